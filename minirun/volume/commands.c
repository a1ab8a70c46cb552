/*
 * minirun/volume/commands.c - the `minirun volume` verbs: create, ls, rm, inspect, prune,
 * and two that stand in for `minirun run -v/--mount` and `rm -v` until the container code
 * calls the library itself: resolve (parse a flag, make what it needs, print the OCI mount)
 * and release. Each prints what docker prints and returns 0, or prints one line and
 * returns 125.
 *
 * See: volume.h, https://docs.docker.com/reference/cli/docker/volume/.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/prune_filter.h"
#include "lib/cli.h"
#include "lib/template.h"
#include "minirun/volume/volume.h"

static int fail(const struct mr_err *err)
{
	return mr_err_report(err, MR_EXIT_RUNTIME);
}

static int usage_err(const char *verb, const char *what)
{
	fprintf(stderr, "minirun: \"volume %s\" requires %s; see 'minirun volume %s --help'\n",
		verb, what, verb);
	return MR_EXIT_OPERANDS;
}

/* a verb of the group without flags of its own (lib/cli.h) */
static int operands(int argc, char **argv, const char *verb, const char *help, int *rc)
{
	char what[32];
	snprintf(what, sizeof(what), "volume %s", verb);
	return mr_verb_operands(argc, argv, what, help, rc);
}

static int cmd_create(int argc, char **argv)
{
	static const struct option lo[] = {{"label", required_argument, 0, 'l'},
					   {"driver", required_argument, 0, 'd'},
					   {"name", required_argument, 0, 'n'},
					   {"opt", required_argument, 0, 'o'},
					   {0, 0, 0, 0}};
	const char *labels[32], *opts[32], *name = NULL;
	size_t nl = 0, no = 0;
	int o, rc;
	optind = 0;
	while ((o = mr_verb_opt(
			argc, argv, "volume create", "d:o:", lo,
			"Usage:  minirun volume create [OPTIONS] [VOLUME]\n\n"
			"Create a volume\n\n"
			"Options:\n"
			"  -d, --driver local   the only driver\n"
			"      --label K=V      set metadata on the volume (up to 32)\n"
			"      --name NAME      the volume's name (default: 64 random hex)\n"
			"  -o, --opt K=V        the local driver's options, as mount(8)'s: type=FS,\n"
			"                       device=SOURCE, o=OPTIONS (up to 32); a container\n"
			"                       mounts that instead of the volume's directory\n"
			"                       (--opt type=tmpfs --opt device=tmpfs --opt o=size=1m)\n",
			&rc)) != -1)
		switch (o) {
		case MR_OPT_DONE: return rc;
		case 'l':
			if (nl == 32) {
				usage_err("create", "at most 32 --label");
				return MR_EXIT_RUNTIME; /* a flag's value, not an operand count */
			}
			labels[nl++] = optarg;
			break;
		case 'o':
			if (no == 32) {
				usage_err("create", "at most 32 --opt");
				return MR_EXIT_RUNTIME; /* a flag's value, not an operand count */
			}
			opts[no++] = optarg;
			break;
		case 'd':
			if (strcmp(optarg, "local")) {
				fprintf(stderr,
					"minirun: plugin \"%s\" not found (only the local "
					"driver exists)\n",
					optarg);
				return MR_EXIT_RUNTIME;
			}
			break;
		case 'n': name = optarg; break;
		}
	if (argc - optind > 1 || (name && optind < argc))
		return usage_err("create", "at most 1 argument (VOLUME)");
	if (optind < argc)
		name = argv[optind];
	char out[VOLUME_NAME_MAX + 1];
	struct mr_err err = {0};
	if (volume_create_opts(volume_root(), name, labels, nl, opts, no, 0, NULL, out, &err) < 0)
		return fail(&err);
	printf("%s\n", out);
	return 0;
}

/* the row `ls --format` sees: docker's volumeContext */
static json_t *ls_row(json_t *rec)
{
	char labels[4096] = "";
	size_t used = 0;
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(rec, "Labels"), k, v)
	{
		if (used < sizeof(labels))
			used += (size_t)snprintf(labels + used, sizeof(labels) - used, "%s%s=%s",
						 used ? "," : "", k,
						 json_is_string(v) ? json_string_value(v) : "");
	}
	return json_pack("{s:O, s:O, s:O, s:O, s:s, s:s, s:s}", "Name",
			 json_object_get(rec, "Name"), "Driver", json_object_get(rec, "Driver"),
			 "Scope", json_object_get(rec, "Scope"), "Mountpoint",
			 json_object_get(rec, "Mountpoint"), "Labels", labels, "Links", "N/A",
			 "Size", "N/A");
}

/* label=KEY or label=KEY=VALUE against LABELS */
static bool label_match(json_t *labels, const char *v)
{
	const char *eq = strchr(v, '=');
	if (!eq)
		return json_object_get(labels, v) != NULL;
	char key[256];
	snprintf(key, sizeof(key), "%.*s", (int)(eq - v), v);
	const char *have = json_string_value(json_object_get(labels, key));
	return have && !strcmp(have, eq + 1);
}

/* docker's `volume ls` filter keys; they differ in their first letter */
static const char *const ls_filter_keys[] = {"name", "driver", "label", "dangling"};

/* is F a KEY=VALUE filter `volume ls` knows (dangling= true or false)? */
static bool ls_filter_ok(const char *f)
{
	const char *eq = strchr(f, '=');
	if (eq && !strncmp(f, "dangling=", 9))
		return !strcmp(eq + 1, "true") || !strcmp(eq + 1, "false") ||
		       !strcmp(eq + 1, "1") || !strcmp(eq + 1, "0");
	for (size_t i = 0; eq && i < sizeof(ls_filter_keys) / sizeof(ls_filter_keys[0]); i++)
		if (strlen(ls_filter_keys[i]) == (size_t)(eq - f) &&
		    !strncmp(f, ls_filter_keys[i], (size_t)(eq - f)))
			return true;
	return false;
}

/* does REC pass every filter of FILTERS[0..n)? name= a part of the name, driver=,
 * label=KEY[=VALUE], dangling=true: no container uses it (its users file names none) */
static bool ls_match(json_t *rec, char **filters, int n)
{
	const char *name = json_string_value(json_object_get(rec, "Name")) ?: "";
	for (int i = 0; i < n; i++) {
		const char *v = strchr(filters[i], '=') + 1;
		bool ok = true;
		switch (filters[i][0]) {
		case 'n': ok = strstr(name, v) != NULL; break;
		case 'd':
			if (filters[i][1] == 'r') {
				ok = !strcmp(
					json_string_value(json_object_get(rec, "Driver")) ?: "", v);
			} else {
				json_t *users = volume_users(volume_root(), name, NULL);
				bool dangling = users && json_array_size(users) == 0;
				json_decref(users);
				ok = dangling == (!strcmp(v, "true") || !strcmp(v, "1"));
			}
			break;
		case 'l': ok = label_match(json_object_get(rec, "Labels"), v); break;
		}
		if (!ok)
			return false;
	}
	return true;
}

static int cmd_ls(int argc, char **argv)
{
	static const struct option lo[] = {{"quiet", no_argument, 0, 'q'},
					   {"format", required_argument, 0, 'F'},
					   {"filter", required_argument, 0, 'f'},
					   {0, 0, 0, 0}};
	const char *format = NULL;
	char *filters[32];
	int o, rc, nf = 0;
	optind = 0;
	while ((o = mr_verb_opt(argc, argv, "volume ls", "qf:", lo,
				"Usage:  minirun volume ls [OPTIONS]\n\n"
				"List volumes\n\n"
				"Options:\n"
				"  -f, --filter filter   Provide filter values (name=, driver=, "
				"label=,\n"
				"                        dangling=true|false)\n"
				"      --format string   Format output using a Go template\n"
				"  -q, --quiet           Only display volume names\n",
				&rc)) != -1)
		switch (o) {
		case MR_OPT_DONE: return rc;
		case 'f':
			if (!ls_filter_ok(optarg) || nf == 32) {
				/* docker's daemon's words; its CLI exits 1 */
				fprintf(stderr,
					"minirun: Invalid filter '%.*s' (use name= driver= label= "
					"dangling=true|false)\n",
					(int)strcspn(optarg, "="), optarg);
				return 1;
			}
			filters[nf++] = optarg;
			break;
		case 'q': format = "{{.Name}}"; break;
		case 'F': format = format && !strcmp(format, "{{.Name}}") ? format : optarg; break;
		}
	if (optind != argc)
		return usage_err("ls", "no arguments");
	struct mr_err err = {0};
	struct mr_format f;
	if (mr_format_open(&f, format, "table {{.Driver}}\\t{{.Name}}", &err) < 0) {
		mr_format_close(&f);
		fprintf(stderr, "template parsing error: %s\n", err.msg);
		return 1;
	}
	json_t *all = volume_list(volume_root(), &err), *rec;
	if (!all) {
		mr_format_close(&f);
		return fail(&err);
	}
	size_t i;
	rc = 0;
	struct mr_tmpl_opts to = {.missing = MR_TMPL_MISSING_FIELD,
				  .type_name = "*formatter.volumeContext",
				  .methods = mr_tmpl_label_methods};
	json_array_foreach(all, i, rec)
	{
		if (!ls_match(rec, filters, nf))
			continue;
		json_t *row = ls_row(rec);
		to.ctx = json_object_get(rec, "Labels");
		if (!rc && mr_format_row(&f, row, &to, &err) < 0)
			rc = 1;
		json_decref(row);
	}
	if (rc) {
		fprintf(stderr, "template parsing error: %s\n", err.msg);
	} else {
		json_t *h =
			json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "Name", "VOLUME NAME",
				  "Driver", "DRIVER", "Scope", "SCOPE", "Mountpoint", "MOUNTPOINT",
				  "Labels", "LABELS", "Links", "LINKS", "Size", "SIZE");
		mr_format_print(&f, h, stdout);
		json_decref(h);
	}
	mr_format_close(&f);
	json_decref(all);
	return rc;
}

static int cmd_rm(int argc, char **argv)
{
	static const struct option lo[] = {{"force", no_argument, 0, 'f'}, {0, 0, 0, 0}};
	int o, force = 0, rc = 0;
	optind = 0;
	while ((o = mr_verb_opt(argc, argv, "volume rm", "f", lo,
				"Usage:  minirun volume rm [OPTIONS] VOLUME [VOLUME...]\n\n"
				"Remove one or more volumes\n\n"
				"Options:\n"
				"  -f, --force   remove even a volume a container uses\n",
				&rc)) != -1)
		switch (o) {
		case MR_OPT_DONE: return rc;
		case 'f': force = 1; break;
		}
	int i = optind;
	if (i == argc)
		return usage_err("rm", "at least 1 argument (VOLUME)");
	for (; i < argc; i++) {
		struct mr_err err = {0};
		if (volume_remove(volume_root(), argv[i], force, &err) < 0)
			rc = mr_err_report(&err, 1); /* docker's CLI: 1 for the daemon's refusal */
		else
			printf("%s\n", argv[i]);
	}
	return rc;
}

static int cmd_inspect(int argc, char **argv)
{
	static const struct option lo[] = {{"format", required_argument, 0, 'f'}, {0, 0, 0, 0}};
	const char *format = NULL;
	int rc = 0, o;
	optind = 0;
	while ((o = mr_verb_opt(
			argc, argv, "volume inspect", "f:", lo,
			"Usage:  minirun volume inspect [OPTIONS] VOLUME [VOLUME...]\n\n"
			"Display detailed information on one or more volumes\n\n"
			"Options:\n"
			"  -f, --format string   Format the output using the given Go template\n",
			&rc)) != -1)
		switch (o) {
		case MR_OPT_DONE: return rc;
		case 'f': format = optarg; break;
		}
	if (optind >= argc)
		return usage_err("inspect", "at least 1 argument (VOLUME)");
	struct mr_err perr = {0};
	if (format && !*format)
		format = NULL; /* docker: -f '' is the JSON */
	/* docker: a template that does not parse is refused first, with status 64 */
	struct mr_tmpl *tmpl = format ? mr_tmpl_parse(format, &perr) : NULL;
	if (format && !tmpl) {
		fprintf(stderr, "template parsing error: %s\n", perr.msg);
		return 64;
	}
	bool printed = false;
	json_t *out = json_array();
	for (int i = optind; i < argc; i++) {
		struct mr_err err = {0};
		json_t *rec = volume_inspect(volume_root(), argv[i], &err);
		/* docker has no raw JSON of a volume: a missing field names its Go type */
		struct mr_tmpl_opts to = {.missing = MR_TMPL_MISSING_GUESS,
					  .type_name = "volume.Volume"};
		char *text = rec && tmpl ? mr_tmpl_render(tmpl, rec, &to, &err) : NULL;
		if (!rec) /* docker's CLI: 1 for a volume its daemon does not know */
			rc = mr_err_report(&err, err.kind == MR_E_NOT_FOUND ? 1 : MR_EXIT_RUNTIME);
		else if (text)
			printf("%s\n", text), printed = true;
		else if (tmpl)
			fprintf(stderr, "template parsing error: %s\n", err.msg), rc = 1;
		free(text);
		if (rec)
			json_array_append_new(out, rec);
	}
	if (!tmpl) {
		char *text = json_dumps(out, JSON_INDENT(4));
		printf("%s\n", text);
		free(text);
	} else if (!printed) {
		putchar('\n'); /* docker writes an empty line when no object printed */
	}
	mr_tmpl_free(tmpl);
	json_decref(out);
	return rc;
}

static int cmd_prune(int argc, char **argv)
{
	static const struct option lo[] = {{"all", no_argument, 0, 'a'},
					   {"force", no_argument, 0, 'f'},
					   {"filter", required_argument, 0, 'F'},
					   {0, 0, 0, 0}};
	struct mr_prune_filter f = {0};
	int o, rc, all = 0;
	optind = 0;
	while ((o = mr_verb_opt(argc, argv, "volume prune", "af", lo,
				"Usage:  minirun volume prune [OPTIONS]\n\n"
				"Remove unused anonymous volumes\n\n"
				"Options:\n"
				"  -a, --all             every unused volume, named ones too\n"
				"      --filter filter   until=<timestamp|duration>, label=K[=V],\n"
				"                        label!=K[=V]\n"
				"  -f, --force           do not prompt (minirun never does)\n",
				&rc)) != -1)
		switch (o) {
		case MR_OPT_DONE: return rc;
		case 'a': all = 1; break;
		case 'F':
			if ((rc = mr_prune_filter_flag(&f, optarg, "volume prune")) != 0)
				return rc;
			break;
		}
	if (optind != argc)
		return usage_err("prune", "no arguments");
	struct mr_err err = {0};
	json_t *removed;
	unsigned long long bytes;
	size_t i;
	if (volume_prune(volume_root(), all, &f, &removed, &bytes, &err) < 0)
		return fail(&err);
	if (json_array_size(removed)) {
		printf("Deleted Volumes:\n");
		for (i = 0; i < json_array_size(removed); i++)
			printf("%s\n", json_string_value(json_array_get(removed, i)));
		printf("\n");
	}
	printf("Total reclaimed space: %lluB\n", bytes);
	json_decref(removed);
	return 0;
}

static int cmd_resolve(int argc, char **argv)
{
	static const struct option lo[] = {{"volume", required_argument, 0, 'v'},
					   {"mount", required_argument, 0, 'm'},
					   {0, 0, 0, 0}};
	struct volume_mount m;
	struct mr_err err = {0};
	const char *v = NULL, *mount = NULL;
	int o, rc;
	optind = 0;
	while ((o = mr_verb_opt(
			argc, argv, "volume resolve", "v:", lo,
			"Usage:  minirun volume resolve -v SPEC|--mount SPEC CONTAINER-ID\n\n"
			"Parse -v/--mount for a container, make what it needs, print the OCI "
			"mount\n",
			&rc)) != -1)
		switch (o) {
		case MR_OPT_DONE: return rc;
		case 'v': v = optarg; break;
		case 'm': mount = optarg; break;
		}
	if (argc - optind != 1 || !v == !mount)
		return usage_err("resolve", "-v SPEC|--mount SPEC CONTAINER-ID");
	if ((v ? volume_parse_v(v, &m, &err) : volume_parse_mount(mount, &m, &err)) < 0 ||
	    volume_resolve(volume_root(), &m, argv[optind], &err) < 0)
		return fail(&err);
	json_t *j = volume_oci_mount(&m);
	char *text = json_dumps(j, JSON_COMPACT);
	printf("%s\n", text);
	free(text);
	json_decref(j);
	return 0;
}

static int cmd_release(int argc, char **argv)
{
	struct mr_err err = {0};
	int rc;
	if (operands(argc, argv, "release",
		     "Usage:  minirun volume release VOLUME CONTAINER-ID\n\n"
		     "A container no longer uses a volume (what rm calls)\n",
		     &rc) < 0)
		return rc;
	if (argc - optind != 2)
		return usage_err("release", "exactly 2 arguments (VOLUME CONTAINER-ID)");
	return volume_release(volume_root(), argv[optind], argv[optind + 1], &err) < 0 ? fail(&err)
										       : 0;
}

const struct mr_command volume_commands[] = {
	{"create", cmd_create, "Create a volume"},
	{"ls", cmd_ls, "List volumes"},
	{"rm", cmd_rm, "Remove one or more volumes"},
	{"inspect", cmd_inspect, "Display detailed information on one or more volumes"},
	{"prune", cmd_prune, "Remove unused anonymous volumes (-a: every unused volume)"},
	{"resolve", cmd_resolve, "Parse -v/--mount for a container, print the OCI mount"},
	{"release", cmd_release, "A container no longer uses a volume (what rm will call)"},
	{NULL, NULL, NULL},
};

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

#include "lib/template.h"
#include "minirun/volume/volume.h"

static int fail(const struct mr_err *err)
{
	fprintf(stderr, "minirun: %s\n", err->msg);
	return MR_EXIT_RUNTIME;
}

static int usage_err(const char *verb, const char *what)
{
	fprintf(stderr, "minirun: \"volume %s\" requires %s; see 'minirun volume %s --help'\n",
		verb, what, verb);
	return MR_EXIT_RUNTIME;
}

static int cmd_create(int argc, char **argv)
{
	static const struct option lo[] = {{"label", required_argument, 0, 'l'},
					   {"driver", required_argument, 0, 'd'},
					   {"name", required_argument, 0, 'n'},
					   {0, 0, 0, 0}};
	const char *labels[32], *name = NULL;
	size_t nl = 0;
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "d:", lo, NULL)) != -1)
		switch (o) {
		case 'l':
			if (nl == 32)
				return usage_err("create", "at most 32 --label");
			labels[nl++] = optarg;
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
		default: return MR_EXIT_RUNTIME;
		}
	if (argc - optind > 1 || (name && optind < argc))
		return usage_err("create", "at most 1 argument (VOLUME)");
	if (optind < argc)
		name = argv[optind];
	char out[VOLUME_NAME_MAX + 1];
	struct mr_err err = {0};
	if (volume_create(volume_root(), name, labels, nl, 0, out, &err) < 0)
		return fail(&err);
	printf("%s\n", out);
	return 0;
}

/* .Label "KEY" (CTX: the volume's Labels) */
static json_t *label(void *ctx, json_t *const *args)
{
	json_t *v =
		json_object_get(ctx, json_string_value(args[0]) ? json_string_value(args[0]) : "");
	return json_is_string(v) ? json_incref(v) : json_string("");
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

static int cmd_ls(int argc, char **argv)
{
	static const struct option lo[] = {{"quiet", no_argument, 0, 'q'},
					   {"format", required_argument, 0, 'F'},
					   {0, 0, 0, 0}};
	const char *format = NULL;
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "q", lo, NULL)) != -1)
		switch (o) {
		case 'q': format = "{{.Name}}"; break;
		case 'F': format = format && !strcmp(format, "{{.Name}}") ? format : optarg; break;
		default: return MR_EXIT_RUNTIME;
		}
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
	int rc = 0;
	struct mr_tmpl_opts to = {
		.missing = MR_TMPL_MISSING_FIELD,
		.type_name = "*formatter.volumeContext",
		.methods = (const struct mr_tmpl_method[]){{"Label", 1, label}, {0}}};
	json_array_foreach(all, i, rec)
	{
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
	int force = 0, rc = 0, i = 1;
	for (; i < argc && argv[i][0] == '-'; i++)
		if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--force"))
			force = 1;
		else
			return usage_err("rm", "[-f] VOLUME...");
	if (i == argc)
		return usage_err("rm", "at least 1 argument (VOLUME)");
	for (; i < argc; i++) {
		struct mr_err err = {0};
		if (volume_remove(volume_root(), argv[i], force, &err) < 0)
			rc = fail(&err);
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
	optind = 1;
	while ((o = getopt_long(argc, argv, "f:", lo, NULL)) != -1)
		switch (o) {
		case 'f': format = optarg; break;
		default: return MR_EXIT_RUNTIME;
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
		if (!rec)
			rc = fail(&err);
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
	int all = 0;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-a") || !strcmp(argv[i], "--all"))
			all = 1;
		else if (strcmp(argv[i], "-f") && strcmp(argv[i], "--force"))
			return usage_err("prune", "only -a/--all and -f/--force");
	struct mr_err err = {0};
	json_t *removed;
	unsigned long long bytes;
	size_t i;
	if (volume_prune(volume_root(), all, &removed, &bytes, &err) < 0)
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
	struct volume_mount m;
	struct mr_err err = {0};
	if (argc != 4 || (strcmp(argv[1], "-v") && strcmp(argv[1], "--mount")))
		return usage_err("resolve", "-v SPEC|--mount SPEC CONTAINER-ID");
	if ((!strcmp(argv[1], "-v") ? volume_parse_v(argv[2], &m, &err)
				    : volume_parse_mount(argv[2], &m, &err)) < 0 ||
	    volume_resolve(volume_root(), &m, argv[3], &err) < 0)
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
	if (argc != 3)
		return usage_err("release", "exactly 2 arguments (VOLUME CONTAINER-ID)");
	return volume_release(volume_root(), argv[1], argv[2], &err) < 0 ? fail(&err) : 0;
}

const struct volume_command volume_commands[] = {
	{"create", cmd_create, "Create a volume"},
	{"ls", cmd_ls, "List volumes"},
	{"rm", cmd_rm, "Remove one or more volumes"},
	{"inspect", cmd_inspect, "Display detailed information on one or more volumes"},
	{"prune", cmd_prune, "Remove unused anonymous volumes (-a: every unused volume)"},
	{"resolve", cmd_resolve, "Parse -v/--mount for a container, print the OCI mount"},
	{"release", cmd_release, "A container no longer uses a volume (what rm will call)"},
	{NULL, NULL, NULL},
};

/*
 * minirun/image/inspect.c - looking inside an image: `image inspect` and `history`.
 *
 *   minirun image inspect [-f TEMPLATE] IMAGE...
 *   minirun history [--no-trunc] [-q] [-H=false] [--format TEMPLATE] IMAGE
 *
 * inspect prints docker's JSON (Id, RepoTags, RepoDigests, Created, Config, Architecture,
 * Os, Size, RootFS ...) plus "Descriptor", the manifest as the OCI store holds it. history
 * walks the config's history[] newest first: a row per build step, with the size of the
 * layer the step made ("0B" for steps that made none, "empty_layer").
 *
 * See: docker-image-inspect(1), docker-history(1), image-spec config.md ("history")
 */
#include "lib/cli.h"
#include "minirun/image/image.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "lib/template.h"

/* every name index.json gives image ID, as docker's RepoTags and RepoDigests */
static void image_names(const struct store *st, const char *id, json_t *tags, json_t *digests)
{
	struct mr_err err;
	json_t *idx = store_index_load(st, &err), *e;
	size_t i;
	json_array_foreach(json_object_get(idx, "manifests"), i, e)
	{
		struct image img;
		json_t *ann = json_object_get(e, "annotations");
		const char *name = json_string_value(json_object_get(ann, IMAGE_ANN_NAME));
		const char *rd = json_string_value(json_object_get(ann, IMAGE_ANN_REPODIGEST));
		struct image_ref ref;
		char repo[600], s[800];
		if (!name ||
		    image_load(st, json_string_value(json_object_get(e, "digest")), &img, NULL) < 0)
			continue;
		int mine = !strcmp(img.id, id);
		image_free(&img);
		if (!mine || ref_parse(name, &ref, NULL) < 0)
			continue;
		ref_familiar_repo(&ref, repo, sizeof(repo));
		if (!ref.digest[0]) {
			snprintf(s, sizeof(s), "%s:%s", repo, ref.tag);
			json_array_append_new(tags, json_string(s));
		}
		if (ref.digest[0] || rd) {
			snprintf(s, sizeof(s), "%s@%s", repo, ref.digest[0] ? ref.digest : rd);
			json_array_append_new(digests, json_string(s));
		}
	}
	json_decref(idx);
}

/*
 * docker_config - the image's config as docker's inspect shows it: every field of docker's
 * container config, in its order, with its zero value where the image has none (Cmd null,
 * User "", ...; the optional ones, such as Healthcheck or StopSignal, only when present),
 * then whatever else the image carries. A template then reads `.Config.Cmd` of an image
 * without a CMD as docker's does (null), instead of failing on a missing key. New reference.
 */
static json_t *docker_config(json_t *cfg)
{
	static const struct {
		const char *key;
		int kind; /* 's' "", 'b' false, 'n' null, 0: only when the image has it */
	} fields[] = {
		{"Hostname", 's'},      {"Domainname", 's'},   {"User", 's'},
		{"AttachStdin", 'b'},   {"AttachStdout", 'b'}, {"AttachStderr", 'b'},
		{"ExposedPorts", 0},    {"Tty", 'b'},          {"OpenStdin", 'b'},
		{"StdinOnce", 'b'},     {"Env", 'n'},          {"Cmd", 'n'},
		{"Healthcheck", 0},     {"ArgsEscaped", 0},    {"Image", 's'},
		{"Volumes", 'n'},       {"WorkingDir", 's'},   {"Entrypoint", 'n'},
		{"NetworkDisabled", 0}, {"MacAddress", 0},     {"OnBuild", 'n'},
		{"Labels", 'n'},        {"StopSignal", 0},     {"StopTimeout", 0},
		{"Shell", 0},
	};
	json_t *out = json_object(), *v;
	const char *k;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		json_t *have = cfg ? json_object_get(cfg, fields[i].key) : NULL;
		if (have)
			json_object_set(out, fields[i].key, have);
		else if (fields[i].kind)
			json_object_set_new(out, fields[i].key,
					    fields[i].kind == 's'   ? json_string("")
					    : fields[i].kind == 'b' ? json_false()
								    : json_null());
	}
	json_object_foreach(cfg, k, v)
	{
		if (!json_object_get(out, k))
			json_object_set(out, k, v);
	}
	return out;
}

/* docker's inspect object for IMG */
static json_t *inspect_object(const struct store *st, const struct image *img)
{
	json_t *c = img->config, *tags = json_array(), *digests = json_array();
	image_names(st, img->id, tags, digests);
	json_t *cfg = json_object_get(c, "config");
	json_t *diffs = json_object_get(json_object_get(c, "rootfs"), "diff_ids");
	cfg = docker_config(cfg);
	diffs = diffs ? json_incref(diffs) : json_array();
	json_t *o = json_pack(
		"{s:s, s:o, s:o, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:I, s:{s:s, s:o}, s:{s:s, s:s, "
		"s:I}}",
		"Id", img->id, "RepoTags", tags, "RepoDigests", digests, "Parent", "", "Comment",
		json_string_value(json_object_get(
			json_array_get(json_object_get(c, "history"),
				       json_array_size(json_object_get(c, "history")) - 1),
			"comment"))
			?: "",
		"Created", json_string_value(json_object_get(c, "created")) ?: "", "Config", cfg,
		"Architecture", json_string_value(json_object_get(c, "architecture")) ?: "", "Os",
		json_string_value(json_object_get(c, "os")) ?: "", "Author",
		json_string_value(json_object_get(c, "author")) ?: "", "Size",
		(json_int_t)image_size(st, img), "RootFS", "Type", "layers", "Layers", diffs,
		"Descriptor", "mediaType",
		json_string_value(json_object_get(img->manifest, "mediaType"))
			?: "application/vnd.oci.image.manifest.v1+json",
		"digest", img->manifest_digest, "size", (json_int_t)0);
	const char *variant = json_string_value(json_object_get(c, "variant"));
	if (variant)
		json_object_set_new(o, "Variant", json_string(variant));
	/* the rest of docker 20.10's keys: the legacy build fields (what a docker build's
	 * config carries, empty for an import or an OCI image), VirtualSize (= Size since
	 * docker 1.10's content store), where the layers live, and the tag time (Go's zero
	 * time: minirun does not keep it). Docker has no Descriptor (docker 25's containerd
	 * store adds it); it stays, as `minirun image inspect -f {{.Descriptor.digest}}` is
	 * how a script finds the manifest. */
	json_t *cc = json_object_get(c, "container_config");
	json_object_set_new(o, "Container",
			    json_string(json_string_value(json_object_get(c, "container")) ?: ""));
	json_object_set_new(o, "ContainerConfig", docker_config(json_is_object(cc) ? cc : NULL));
	json_object_set_new(
		o, "DockerVersion",
		json_string(json_string_value(json_object_get(c, "docker_version")) ?: ""));
	json_object_set(o, "VirtualSize", json_object_get(o, "Size"));
	json_object_set_new(o, "GraphDriver", json_pack("{s:n, s:s}", "Data", "Name", "overlay"));
	json_object_set_new(o, "Metadata",
			    json_pack("{s:s}", "LastTagTime", "0001-01-01T00:00:00Z"));
	char path[4400];
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	store_blob_path(st, img->manifest_digest, path, sizeof(path));
	if (mr_read_file(path, &text, &len, NULL) == 0)
		json_object_set_new(json_object_get(o, "Descriptor"), "size",
				    json_integer((json_int_t)len));
	return o;
}

int image_inspect(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *format = NULL;
	int c, rc = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'h':
			printf("Usage:  minirun image inspect [OPTIONS] IMAGE [IMAGE...]\n\n"
			       "Display detailed information on one or more images\n\n"
			       "Options:\n"
			       "  -f, --format string   Format the output using a template: "
			       "'{{.Id}}', '{{json .Config}}'\n");
			return 0;
		default: return mr_flag_error(c, "image inspect", argv);
		}
	}
	if (optind >= argc)
		return mr_operand_error("image inspect",
					"\"inspect\" requires at least 1 argument.");
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
	struct store st;
	if (image_open_store(&st)) {
		mr_tmpl_free(tmpl);
		return 1;
	}
	json_t *all = json_array();
	for (int i = optind; i < argc; i++) {
		struct image img;
		struct mr_err err = {0};
		if (image_resolve(&st, argv[i], &img, &err) < 0) {
			/* docker prints what it found, and then the error */
			rc = 1;
			fprintf(stderr, "minirun: %s\n", err.msg);
			continue;
		}
		json_t *o = inspect_object(&st, &img);
		char *text = tmpl ? mr_tmpl_render(tmpl, o, NULL, &err) : NULL;
		if (text)
			printf("%s\n", text), printed = true;
		else if (tmpl)
			fprintf(stderr, "template parsing error: %s\n", err.msg), rc = 1;
		free(text);
		json_array_append_new(all, o);
		image_free(&img);
	}
	if (!format) {
		char *s = json_dumps(all, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
		printf("%s\n", s);
		free(s);
	} else if (!printed) {
		putchar('\n'); /* docker writes an empty line when no object printed */
	}
	mr_tmpl_free(tmpl);
	json_decref(all);
	store_close(&st);
	return rc;
}

int cmd_history(int argc, char **argv)
{
	static const struct option opts[] = {
		{"no-trunc", no_argument, NULL, 'T'},    {"quiet", no_argument, NULL, 'q'},
		{"human", required_argument, NULL, 'H'}, {"format", required_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
	};
	int notrunc = 0, quiet = 0, human = 1, c;
	const char *format = NULL;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":qhH:", opts, NULL)) != -1) {
		switch (c) {
		case 'T': notrunc = 1; break;
		case 'q': quiet = 1; break;
		case 'H': human = strcmp(optarg, "false") != 0; break;
		case 'F': format = optarg; break;
		case 'h':
			printf("Usage:  minirun history [OPTIONS] IMAGE\n\n"
			       "Show the history of an image\n\n"
			       "Options:\n"
			       "      --format string Format the output using a template: "
			       "'{{.ID}} {{.CreatedBy}}'\n"
			       "  -H, --human=false   Print sizes and dates as numbers\n"
			       "      --no-trunc      Don't truncate output\n"
			       "  -q, --quiet         Only show image IDs\n");
			return 0;
		default: return mr_flag_error(c, "history", argv);
		}
	}
	if (argc - optind != 1)
		return mr_operand_error("history", "\"history\" requires exactly 1 argument.");
	struct store st;
	struct image img;
	struct mr_err err = {0};
	struct mr_format f = {0};
	struct mr_tmpl_opts o = {.missing = MR_TMPL_MISSING_FIELD,
				 .type_name = "*image.historyContext"};
	if (format && *format && strcmp(format, "table") &&
	    mr_format_open(&f, format, NULL, &err) < 0) {
		mr_format_close(&f);
		fprintf(stderr, "template parsing error: %s\n", err.msg);
		return 1;
	}
	if (!f.tmpl)
		format = NULL; /* "table": the default */
	if (image_open_store(&st)) {
		mr_format_close(&f);
		return 1;
	}
	if (image_resolve_tagged(&st, argv[optind], &img, &err) < 0) {
		mr_format_close(&f);
		store_close(&st);
		return image_error(&err);
	}
	json_t *hist = json_incref(json_object_get(img.config, "history"));
	json_t *layers = json_object_get(img.manifest, "layers");
	json_t *diffs = json_object_get(json_object_get(img.config, "rootfs"), "diff_ids");
	size_t nh = json_array_size(hist), nl = json_array_size(layers);
	if (nh < nl) {
		/* history is optional in a config: then one row per layer, as docker shows it */
		json_decref(hist);
		hist = json_array();
		const char *created = json_string_value(json_object_get(img.config, "created"));
		for (size_t i = 0; i < nl; i++)
			json_array_append_new(
				hist, json_pack("{s:s}", "created", created ? created : ""));
		nh = nl;
	}
	struct table tb;
	table_init(&tb, 5);
	if (!quiet && !format)
		table_add(&tb, "IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT");
	int rc = 0;
	/* the layer index of each history entry: steps that made a layer take them in order */
	size_t layer = 0;
	long *which = calloc(nh + 1, sizeof(*which));
	for (size_t i = 0; i < nh; i++) {
		int empty = json_is_true(json_object_get(json_array_get(hist, i), "empty_layer"));
		which[i] = empty || layer >= nl ? -1 : (long)layer++;
	}
	for (size_t k = nh; k-- > 0 && !rc;) {
		json_t *h = json_array_get(hist, k);
		char id[128], when[64], size[32], by[512];
		snprintf(id, sizeof(id), "%s",
			 k + 1 == nh ? img.id + (notrunc ? 0 : 7) : "<missing>");
		if (!notrunc && k + 1 == nh)
			id[12] = 0;
		if (quiet) {
			printf("%s\n", id);
			continue;
		}
		const char *created = json_string_value(json_object_get(h, "created"));
		if (human)
			fmt_since(created, when, sizeof(when));
		else
			snprintf(when, sizeof(when), "%s", created ? created : "");
		uint64_t bytes = 0;
		if (which[k] >= 0) {
			char path[4400];
			_cleanup_free_ char *text = NULL;
			long long n;
			const char *d = json_string_value(json_array_get(diffs, which[k]));
			snprintf(path, sizeof(path), "%s/layers/sizes/%s", st.root,
				 d ? d + 7 : "-");
			if (d && mr_read_file(path, &text, NULL, NULL) == 0 &&
			    mr_parse_ll(strtok(text, "\n"), 0, 1LL << 60, &n) == 0)
				bytes = n;
			else
				bytes = json_integer_value(
					json_object_get(json_array_get(layers, which[k]), "size"));
		}
		if (human)
			fmt_size(bytes, size, sizeof(size));
		else
			snprintf(size, sizeof(size), "%llu", (unsigned long long)bytes);
		const char *cb = json_string_value(json_object_get(h, "created_by"));
		snprintf(by, sizeof(by), "%s", cb ? cb : "");
		if (!notrunc && strlen(by) > 45)
			strcpy(by + 42, "...");
		const char *comment = json_string_value(json_object_get(h, "comment"));
		if (format) {
			char at[64] = "";
			long long t = parse_rfc3339(created);
			struct tm tm;
			time_t tt = (time_t)t;
			if (t >= 0 && gmtime_r(&tt, &tm))
				strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
			json_t *row =
				json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "ID", id,
					  "CreatedSince", when, "CreatedAt", at, "CreatedBy", by,
					  "Size", size, "Comment", comment ? comment : "");
			if (mr_format_row(&f, row, &o, &err) < 0) {
				fprintf(stderr, "template parsing error: %s\n", err.msg);
				rc = 1;
			}
			json_decref(row);
			continue;
		}
		table_add(&tb, id, when, by, size, comment);
	}
	if (!quiet && !format)
		table_print(&tb);
	if (format && !quiet && !rc) {
		json_t *hdr =
			json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "ID", "IMAGE", "CreatedSince",
				  "CREATED", "CreatedAt", "CREATED AT", "CreatedBy", "CREATED BY",
				  "Size", "SIZE", "Comment", "COMMENT");
		mr_format_print(&f, hdr, stdout);
		json_decref(hdr);
	}
	mr_format_close(&f);
	free(which);
	json_decref(hist);
	image_free(&img);
	store_close(&st);
	return rc;
}

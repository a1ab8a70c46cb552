/*
 * minirun/containers/inspect.c - `minirun inspect`: a container's record, as docker prints it.
 *
 *   minirun inspect [-f TEMPLATE] [--type container|image] NAME|ID...
 *
 * The record (ROOT/containers/ID/container.json) already has docker's shape; inspect only
 * brings its State up to date with the processes first (a container whose monitor was
 * killed reads "exited", however the file left it), and prints the records as one JSON
 * array, or each through -f ('{{.State.Status}}', '{{json .NetworkSettings.Ports}}').
 * A name that is no container but an image is inspected as the image (docker's fall
 * through; --type picks one). -s adds SizeRw (the upper dir's bytes) and SizeRootFs (those
 * plus the image's). Unknown names: "minirun: No such object: x", exit 1.
 *
 * See: docker-inspect(1); README.md here (the record's keys)
 */
#include "lib/cli.h"
#include "minirun/containers/info.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/template.h"
#include "minirun/image/image.h"

static void inspect_usage(void)
{
	printf("Usage:  minirun inspect [OPTIONS] NAME|ID [NAME|ID...]\n\n"
	       "Return low-level information on containers (or images)\n\n"
	       "Options:\n"
	       "  -f, --format string   Format the output using a template: "
	       "'{{.State.Status}}', '{{json .Config}}'\n"
	       "  -s, --size            Display total file sizes (SizeRw, SizeRootFs)\n"
	       "      --type string     Only look for a container or an image "
	       "(container|image)\n");
}

/* is NAME an image of the store? */
static bool is_image(const char *name)
{
	struct store st;
	struct image img;
	bool yes = false;
	if (store_open(&st, containers_root(), NULL) < 0)
		return false;
	if (image_resolve(&st, name, &img, NULL) == 0) {
		image_free(&img);
		yes = true;
	}
	store_close(&st);
	return yes;
}

/* hand the whole command to `image inspect` (same -f) */
static int inspect_images(const char *format, int n, char **names)
{
	char **av = calloc((size_t)n + 4, sizeof(*av));
	int ac = 0;
	av[ac++] = "inspect";
	if (format) {
		av[ac++] = "-f";
		av[ac++] = (char *)format;
	}
	for (int i = 0; i < n; i++)
		av[ac++] = names[i];
	image_root_opt = containers_root();
	int rc = image_inspect(ac, av);
	free(av);
	return rc;
}

/*
 * render - TMPL over the record REC the way docker's CLI runs an inspect template: first
 * over the raw JSON object (what `range` over `.` or `.HostConfig` sees: docker's keys only,
 * without the "Minirun" part), and when that fails, over docker's typed view, where a field
 * its JSON leaves out is still there (nil or ""): State.Health and HostConfig.Init (null), a
 * mount's Name and Driver (""), and minirun's own keys (.Minirun.MonitorPid). docker's CLI
 * does the same two tries the other way round: its Go struct first, and the raw JSON when a
 * struct can't be ranged over. REC is restored before return. NULL with ERR on a failure.
 */
static char *render(struct mr_tmpl *tmpl, json_t *rec, struct mr_err *err)
{
	json_t *mr = json_incref(json_object_get(rec, "Minirun"));
	json_object_del(rec, "Minirun");
	char *s = mr_tmpl_render(tmpl, rec, NULL, err);
	if (mr)
		json_object_set_new(rec, "Minirun", mr);
	if (s)
		return s;
	memset(err, 0, sizeof(*err));
	/* the fields docker's struct has with a nil or empty value */
	json_t *added = json_array(), *m;
	static const struct {
		const char *obj, *key;
	} nils[] = {{"State", "Health"}, {"HostConfig", "Init"}};
	for (size_t i = 0; i < sizeof(nils) / sizeof(nils[0]); i++) {
		json_t *o = json_object_get(rec, nils[i].obj);
		if (json_is_object(o) && !json_object_get(o, nils[i].key)) {
			json_object_set_new(o, nils[i].key, json_null());
			json_array_append_new(added,
					      json_pack("{s:O, s:s}", "m", o, "f", nils[i].key));
		}
	}
	static const char *const omitted[] = {"Name", "Driver"};
	size_t k;
	json_array_foreach(json_object_get(rec, "Mounts"), k, m)
	{
		for (size_t f = 0; f < 2 && json_is_object(m); f++)
			if (!json_object_get(m, omitted[f])) {
				json_object_set_new(m, omitted[f], json_string(""));
				json_array_append_new(
					added, json_pack("{s:O, s:s}", "m", m, "f", omitted[f]));
			}
	}
	s = mr_tmpl_render(tmpl, rec, NULL, err);
	json_array_foreach(added, k, m)
	{
		json_object_del(json_object_get(m, "m"),
				json_string_value(json_object_get(m, "f")));
	}
	json_decref(added);
	return s;
}

int cmd_inspect(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"type", required_argument, NULL, 't'},
		{"size", no_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *format = NULL, *type = NULL;
	bool sizes = false;
	int ch, rc = 0;
	optind = 0;
	while ((ch = getopt_long(argc, argv, ":f:sh", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': format = optarg; break;
		case 't': type = optarg; break;
		case 's': sizes = true; break;
		case 'h': inspect_usage(); return 0;
		default: return mr_flag_error(ch, "inspect", argv);
		}
	}
	if (optind >= argc)
		return mr_operand_error("inspect", "\"inspect\" requires at least 1 argument.");
	if (type && strcmp(type, "container") && strcmp(type, "image"))
		return info_usage_error("inspect",
					"\"%s\" is not a valid value for --type: use "
					"container or image",
					type);
	if (type && !strcmp(type, "image"))
		return inspect_images(format, argc - optind, argv + optind);

	/* docker's fall through: names that are no container but are all images */
	bool any_container = false, all_images = !type;
	for (int i = optind; i < argc; i++) {
		struct container c;
		if (container_open(containers_root(), argv[i], false, &c, NULL) == 0) {
			any_container = true;
			container_close(&c);
		} else if (all_images && !is_image(argv[i])) {
			all_images = false;
		}
	}
	if (!any_container && all_images)
		return inspect_images(format, argc - optind, argv + optind);

	struct mr_err err = {0};
	if (format && !*format)
		format = NULL; /* docker: -f '' is the JSON */
	/* docker: a template that does not parse is refused first, with status 64 */
	struct mr_tmpl *tmpl = format ? mr_tmpl_parse(format, &err) : NULL;
	if (format && !tmpl) {
		fprintf(stderr, "template parsing error: %s\n", err.msg);
		return 64;
	}
	bool printed = false;
	json_t *all = json_array();
	for (int i = optind; i < argc; i++) {
		struct container c;
		struct mr_err err = {0};
		if (container_open(containers_root(), argv[i], false, &c, &err) < 0) {
			if (err.kind == MR_E_NOT_FOUND)
				fprintf(stderr, "minirun: No such %s: %s\n",
					type ? "container" : "object", argv[i]);
			else
				fprintf(stderr, "minirun: %s\n", err.msg);
			rc = 1;
			continue;
		}
		info_refresh(&c);
		if (sizes) {
			uint64_t rw, rootfs;
			info_sizes(&c, &rw, &rootfs);
			json_object_set_new(c.rec, "SizeRw", json_integer((json_int_t)rw));
			json_object_set_new(c.rec, "SizeRootFs", json_integer((json_int_t)rootfs));
		}
		char *s = tmpl ? render(tmpl, c.rec, &err) : NULL;
		if (s)
			printf("%s\n", s), printed = true;
		else if (tmpl)
			fprintf(stderr, "template parsing error: %s\n", err.msg), rc = 1;
		free(s);
		json_array_append(all, c.rec);
		container_close(&c);
	}
	if (!format) {
		char *s = json_dumps(all, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
		printf("%s\n", s ? s : "[]");
		free(s);
	} else if (!printed) {
		putchar('\n'); /* docker writes an empty line when no object printed */
	}
	mr_tmpl_free(tmpl);
	json_decref(all);
	return rc;
}

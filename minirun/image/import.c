/*
 * minirun/image/import.c - `minirun import`: a root filesystem tarball becomes an image.
 *
 *   minirun import [-c CHANGE]... [-m MESSAGE] FILE|- [REPOSITORY[:TAG]]
 *
 * The smallest possible image: one layer (the tarball itself, plain, gzip or zstd, stored
 * as it came), a config naming that layer's diffID and the --change settings (CMD,
 * ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, STOPSIGNAL), and a manifest naming both.
 * Prints the image ID, as docker does. The built-in busybox image is made this way
 * (minirun/image/build.mk); SOURCE_DATE_EPOCH fixes "created" for reproducible IDs.
 *
 * See: docker-import(1), image-spec config.md, manifest.md
 */
#include "lib/cli.h"
#include "minirun/image/image.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/duration.h"
#include "lib/file.h"
#include "unionfs/layer.h"

#define MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_CONFIG   "application/vnd.oci.image.config.v1+json"

const char *layer_media_type(const char *compression)
{
	static const struct {
		const char *comp, *mt;
	} types[] = {
		{"none", "application/vnd.oci.image.layer.v1.tar"},
		{"gzip", "application/vnd.oci.image.layer.v1.tar+gzip"},
		{"zstd", "application/vnd.oci.image.layer.v1.tar+zstd"},
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(compression, types[i].comp))
			return types[i].mt;
	return NULL;
}

int image_create(const struct store *st, const char *config_digest, size_t config_size,
		 json_t *layers, const char *name, char manifest_digest[IMAGE_DIGEST_LEN + 1],
		 char moved[IMAGE_DIGEST_LEN + 1], struct mr_err *err)
{
	json_t *m = json_pack("{s:i, s:s, s:{s:s, s:s, s:I}, s:O}", "schemaVersion", 2, "mediaType",
			      MT_MANIFEST, "config", "mediaType", MT_CONFIG, "digest",
			      config_digest, "size", (json_int_t)config_size, "layers", layers);
	_cleanup_free_ char *mtext = json_dumps(m, JSON_COMPACT);
	json_decref(m);
	if (!mtext || store_put_blob(st, mtext, strlen(mtext), manifest_digest, err) < 0)
		return -1;
	struct image img;
	if (image_load(st, manifest_digest, &img, err) < 0)
		return -1;
	int rc = image_unpack(st, &img, err);
	image_free(&img);
	if (rc < 0)
		return -1;
	return image_add(st, name, manifest_digest, NULL, moved, err);
}

/* "CMD [\"sh\"]" or "CMD sh -c x": the JSON form, else the shell form /bin/sh -c TEXT */
static json_t *exec_form(const char *text)
{
	if (text[0] != '[')
		return json_pack("[s,s,s]", "/bin/sh", "-c", text);
	json_t *a = json_loads(text, 0, NULL), *x;
	size_t i;
	int ok = json_is_array(a);
	json_array_foreach(a, i, x)
	{
		ok &= json_is_string(x);
	}
	if (!ok) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* HEALTHCHECK NONE, or HEALTHCHECK [--interval=D] [--timeout=D] [--start-period=D]
 * [--start-interval=D] [--retries=N] CMD ...: the config's Healthcheck as docker stores it,
 * Test ["NONE"] / ["CMD", ...] (the JSON form) / ["CMD-SHELL", "TEXT"], the durations in
 * nanoseconds and 0 ones left out */
static int healthcheck_change(json_t *cfg, const char *change, const char *arg, struct mr_err *err)
{
	static const struct {
		const char *flag, *key;
	} opts[] = {{"interval", "Interval"},
		    {"timeout", "Timeout"},
		    {"start-period", "StartPeriod"},
		    {"start-interval", "StartInterval"},
		    {"retries", "Retries"}};
	json_t *hc = json_object();
	while (!strncmp(arg, "--", 2)) {
		size_t n = strcspn(arg, " \t"), i;
		char word[128], why[256];
		snprintf(word, sizeof(word), "%.*s", (int)(n - 2 < 127 ? n - 2 : 127), arg + 2);
		char *eq = strchr(word, '=');
		long long v = 0;
		if (eq)
			*eq++ = '\0';
		for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
			if (!strcmp(word, opts[i].flag))
				break;
		if (i == sizeof(opts) / sizeof(opts[0]) || !eq) {
			json_decref(hc);
			return mr_fail(err, 0,
				       "--change '%s': HEALTHCHECK takes --interval= "
				       "--timeout= --start-period= --start-interval= --retries=",
				       change);
		}
		if (!strcmp(word, "retries")
			    ? mr_parse_ll(eq, 0, INT32_MAX, &v) < 0
			    : mr_parse_duration(eq, &v, why, sizeof(why)) < 0 || v < 0) {
			json_decref(hc);
			return mr_fail(
				err, 0, "--change '%s': --%s: '%s' is not a %s", change, word, eq,
				!strcmp(word, "retries") ? "count" : "duration (30s, 1m30s)");
		}
		if (v)
			json_object_set_new(hc, opts[i].key, json_integer(v));
		arg += n;
		arg += strspn(arg, " \t");
	}
	size_t n = strcspn(arg, " \t");
	const char *rest = arg + n + strspn(arg + n, " \t");
	if (n == 4 && !strncasecmp(arg, "NONE", 4) && !*rest) {
		json_decref(hc);
		json_object_set_new(cfg, "Healthcheck", json_pack("{s:[s]}", "Test", "NONE"));
		return 0;
	}
	json_t *test = NULL;
	if (n == 3 && !strncasecmp(arg, "CMD", 3) && *rest) {
		json_t *form = rest[0] == '[' ? exec_form(rest) : NULL;
		test = json_pack("[s]", form ? "CMD" : "CMD-SHELL");
		if (form)
			json_array_extend(test, form);
		else
			json_array_append_new(test, json_string(rest));
		json_decref(form);
	}
	if (!test) {
		json_decref(hc);
		return mr_fail(err, 0, "--change '%s': HEALTHCHECK takes NONE or CMD COMMAND",
			       change);
	}
	/* docker's key order: Test first, then the options */
	json_t *ordered = json_pack("{s:o}", "Test", test);
	json_object_update(ordered, hc);
	json_decref(hc);
	json_object_set_new(cfg, "Healthcheck", ordered);
	return 0;
}

/* One word of a Dockerfile line from S on: quotes removed ("..." and '...'), a backslash
 * escaping the next character; ends at unquoted whitespace, or at the string's end with
 * SPACES (the old `ENV KEY VALUE` form, whose value is the rest of the line). Into OUT (LEN);
 * returns where it stopped, NULL on an unclosed quote. */
static const char *dockerfile_word(const char *s, bool spaces, char *out, size_t len)
{
	size_t n = 0;
	char q = 0;
	for (; *s && (q || spaces || (*s != ' ' && *s != '\t')); s++) {
		char ch = *s;
		if (q && ch == q) {
			q = 0;
			continue;
		}
		if (!q && (ch == '"' || ch == '\'')) {
			q = ch;
			continue;
		}
		if (ch == '\\' && q != '\'' && s[1])
			ch = *++s;
		if (n + 1 < len)
			out[n++] = ch;
	}
	out[n] = '\0';
	return q ? NULL : s;
}

/* ENV or LABEL's arguments ARG into CFG's Env (a key given again replaces its entry in
 * place) or Labels: KEY=VALUE pairs, or the old form KEY VALUE. -1 when malformed. */
static int name_values(json_t *cfg, bool env, const char *arg)
{
	char w[8192];
	size_t first = strcspn(arg, " \t=");
	bool old = arg[first] != '=';
	for (const char *s = arg; *s; s += strspn(s, " \t")) {
		/* each branch below sets end */
		const char *end;
		if (old) { /* KEY, then the rest of the line as the value */
			size_t k = strcspn(s, " \t");
			const char *v = s + k + strspn(s + k, " \t");
			if (!*v)
				return -1;
			char val[8000];
			if (!dockerfile_word(v, true, val, sizeof(val)))
				return -1;
			snprintf(w, sizeof(w), "%.*s=%s", (int)k, s, val);
			end = s + strlen(s);
		} else if (!(end = dockerfile_word(s, false, w, sizeof(w))) || !strchr(w, '=') ||
			   w[0] == '=') {
			return -1;
		}
		char *eq = strchr(w, '=');
		if (env) {
			json_t *list = json_object_get(cfg, "Env"), *e;
			size_t i, klen = (size_t)(eq - w) + 1;
			if (!json_is_array(list))
				json_object_set_new(cfg, "Env", list = json_array());
			bool set = false;
			json_array_foreach(list, i, e)
			{
				if (!set && json_is_string(e) &&
				    !strncmp(json_string_value(e), w, klen)) {
					json_array_set_new(list, i, json_string(w));
					set = true;
				}
			}
			if (!set)
				json_array_append_new(list, json_string(w));
		} else {
			json_t *labels = json_object_get(cfg, "Labels");
			if (!json_is_object(labels))
				json_object_set_new(cfg, "Labels", labels = json_object());
			*eq = '\0';
			json_object_set_new(labels, w, json_string(eq + 1));
		}
		s = end;
	}
	return 0;
}

int image_apply_change(json_t *cfg, const char *change, struct mr_err *err)
{
	char word[16];
	size_t n = strcspn(change, " \t");
	const char *arg = change + n + strspn(change + n, " \t");
	snprintf(word, sizeof(word), "%.*s", (int)(n < 15 ? n : 15), change);
	for (char *p = word; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	if (!*arg)
		return mr_fail(err, 0, "--change '%s': %s needs an argument", change, word);
	if (!strcmp(word, "CMD") || !strcmp(word, "ENTRYPOINT")) {
		json_t *a = exec_form(arg);
		if (!a)
			return mr_fail(err, 0, "--change '%s': not a JSON array of strings",
				       change);
		json_object_set_new(cfg, !strcmp(word, "CMD") ? "Cmd" : "Entrypoint", a);
	} else if (!strcmp(word, "ENV") || !strcmp(word, "LABEL")) {
		if (name_values(cfg, !strcmp(word, "ENV"), arg) < 0)
			return mr_fail(err, 0,
				       "--change '%s': expected KEY=VALUE ... (quote a value with "
				       "spaces), or %s KEY VALUE",
				       change, word);
	} else if (!strcmp(word, "ONBUILD")) {
		/* kept as text, run by a build FROM this image: "WORD rest", WORD in capitals */
		char inner[16];
		size_t m = strcspn(arg, " \t");
		snprintf(inner, sizeof(inner), "%.*s", (int)(m < 15 ? m : 15), arg);
		for (char *p = inner; *p; p++)
			*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
		if (!strcmp(inner, "ONBUILD") || !strcmp(inner, "FROM") ||
		    !strcmp(inner, "MAINTAINER") || !arg[m])
			return mr_fail(err, 0,
				       "--change '%s': ONBUILD takes one instruction with its "
				       "arguments, not FROM, MAINTAINER or ONBUILD",
				       change);
		json_t *list = json_object_get(cfg, "OnBuild");
		if (!json_is_array(list))
			json_object_set_new(cfg, "OnBuild", list = json_array());
		json_array_append_new(list, json_sprintf("%s%s", inner, arg + m));
	} else if (!strcmp(word, "VOLUME")) {
		/* VOLUME ["/a", "/b"] or VOLUME /a /b: each an absolute path, a key of Volumes */
		json_t *list = arg[0] == '[' ? json_loads(arg, 0, NULL) : json_array(), *v;
		size_t i;
		if (arg[0] != '[') {
			char buf[4096], *save = NULL;
			snprintf(buf, sizeof(buf), "%s", arg);
			for (char *w = strtok_r(buf, " \t", &save); w;
			     w = strtok_r(NULL, " \t", &save))
				json_array_append_new(list, json_string(w));
		}
		int ok = json_is_array(list) && json_array_size(list) > 0;
		json_array_foreach(list, i, v)
		{
			ok &= json_is_string(v) && json_string_value(v)[0] == '/';
		}
		if (!ok) {
			json_decref(list);
			return mr_fail(
				err, 0,
				"--change '%s': VOLUME takes absolute paths (VOLUME /data, or "
				"VOLUME [\"/data\"])",
				change);
		}
		json_t *vols = json_object_get(cfg, "Volumes");
		if (!vols)
			json_object_set_new(cfg, "Volumes", vols = json_object());
		json_array_foreach(list, i, v)
		{
			json_object_set_new(vols, json_string_value(v), json_object());
		}
		json_decref(list);
	} else if (!strcmp(word, "HEALTHCHECK")) {
		return healthcheck_change(cfg, change, arg, err);
	} else if (!strcmp(word, "EXPOSE")) {
		json_t *ports = json_object_get(cfg, "ExposedPorts");
		char p[64];
		if (!ports)
			json_object_set_new(cfg, "ExposedPorts", ports = json_object());
		/* EXPOSE 80 81/udp: each word a port */
		for (const char *w = arg; *w; w += strspn(w, " \t")) {
			size_t m = strcspn(w, " \t");
			snprintf(p, sizeof(p), "%.*s%s", (int)m, w,
				 memchr(w, '/', m) ? "" : "/tcp");
			json_object_set_new(ports, p, json_object());
			w += m;
		}
	} else {
		static const struct {
			const char *word, *key;
		} plain[] = {
			{"WORKDIR", "WorkingDir"}, {"USER", "User"}, {"STOPSIGNAL", "StopSignal"}};
		if (!strcmp(word, "WORKDIR") && arg[0] != '/') {
			/* as docker's WORKDIR: a relative one goes on from the one before, or / */
			const char *cur = json_string_value(json_object_get(cfg, "WorkingDir"));
			size_t n = cur ? strlen(cur) : 0;
			while (n && cur[n - 1] == '/')
				n--;
			json_object_set_new(cfg, "WorkingDir",
					    json_sprintf("%.*s/%s", (int)n, cur ? cur : "", arg));
			return 0;
		}
		for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
			if (!strcmp(word, plain[i].word)) {
				json_object_set_new(cfg, plain[i].key, json_string(arg));
				return 0;
			}
		return mr_fail(err, 0,
			       "--change '%s': '%s' is not one of CMD ENTRYPOINT ENV LABEL EXPOSE "
			       "VOLUME WORKDIR USER STOPSIGNAL HEALTHCHECK ONBUILD",
			       change, word);
	}
	return 0;
}

/* "created" now, or SOURCE_DATE_EPOCH's time for reproducible image IDs */
static void created_time(char *buf, size_t len)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		time_t t = (time_t)strtoll(sde, NULL, 10);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	} else {
		fmt_now(buf, len);
	}
}

/* copy FD into a new blob; on success the blob is stored and its digests are in *ld */
static int store_layer_fd(const struct store *st, int fd, const char *file,
			  struct layer_digests *ld, struct mr_err *err)
{
	struct blob_writer w;
	char buf[1 << 16];
	ssize_t n;
	if (blob_writer_open(st, &w, err) < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (blob_writer_write(&w, buf, n, err) < 0)
			goto fail;
	if (n < 0) {
		mr_fail(err, errno, "read '%s'", file);
		goto fail;
	}
	if (layer_digest(w.tmp, ld, err) < 0) {
		mr_prefix(err, "not a layer tar: ");
		goto fail;
	}
	if (!layer_media_type(ld->compression)) {
		mr_fail(err, 0, "%s compression is not an OCI layer type; use none, gzip or zstd",
			ld->compression);
		goto fail;
	}
	return blob_writer_commit(st, &w, ld->digest, NULL, err);
fail:
	blob_writer_abort(&w);
	return -1;
}

static void import_usage(void)
{
	printf("Usage:  minirun import [OPTIONS] file|- [REPOSITORY[:TAG]]\n\n"
	       "Import the contents from a tarball to create a filesystem image\n\n"
	       "Options:\n"
	       "  -c, --change list        Apply a Dockerfile instruction to the image (CMD, "
	       "ENTRYPOINT, ENV, ...)\n"
	       "  -m, --message string     Set the commit message for the imported image\n"
	       "      --platform string    Set the platform (os/arch[/variant]) it claims\n");
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{"change", required_argument, NULL, 'c'},
		{"message", required_argument, NULL, 'm'},
		{"platform", required_argument, NULL, 'p'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct mr_err err = {0};
	json_t *cfg = json_object();
	const char *message = NULL, *platform = NULL;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":c:m:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (image_apply_change(cfg, optarg, &err) < 0) {
				json_decref(cfg);
				return image_error(&err);
			}
			break;
		case 'm': message = optarg; break;
		case 'p': platform = optarg; break;
		case 'h':
			import_usage();
			json_decref(cfg);
			return 0;
		default: json_decref(cfg); return mr_flag_error(c, "import", argv);
		}
	}
	if (argc - optind < 1 || argc - optind > 2) {
		json_decref(cfg);
		return mr_operand_error("import", "\"import\" requires 1 or 2 arguments.");
	}
	const char *file = argv[optind], *name = argv[optind + 1];
	char canon[600], fam[700], os[32], arch[32], variant[32];
	struct image_ref ref;
	/* what the changes made is checked as a pulled image's would be (EXPOSE abc, VOLUME
	 * /proc, STOPSIGNAL NOPE ...): refused here, not at the first run */
	json_t *whole = json_pack("{s:O}", "config", cfg);
	int bad = image_config_check(whole, name ? name : file, &err);
	json_decref(whole);
	if (bad < 0) {
		json_decref(cfg);
		return image_error(&err);
	}
	if (name) {
		if (ref_parse(name, &ref, &err) < 0) {
			json_decref(cfg);
			return image_error(&err);
		}
		ref_canonical(&ref, canon, sizeof(canon));
	}
	if (image_platform(platform, os, arch, variant, &err) < 0) {
		json_decref(cfg);
		return image_error(&err);
	}
	_cleanup_close_ int fd = strcmp(file, "-") ? open(file, O_RDONLY | O_CLOEXEC) : dup(0);
	if (fd < 0) {
		json_decref(cfg);
		return image_errorf("import '%s': %s", file, strerror(errno));
	}

	struct store st;
	if (image_open_store(&st)) {
		json_decref(cfg);
		return 1;
	}
	int rc = 1;
	struct layer_digests ld;
	char created[64], comment[4200], md[IMAGE_DIGEST_LEN + 1];
	_cleanup_free_ char *ctext = NULL;
	if (store_lock(&st, STORE_ADDING, &err) < 0 || store_layer_fd(&st, fd, file, &ld, &err) < 0)
		goto out;
	created_time(created, sizeof(created));
	snprintf(comment, sizeof(comment), "%s", message ? message : "");
	/* docker's CLI sends a local file's bytes as the request body, so its daemon records
	 * "Imported from -" for a file and for stdin alike; the same words here (the host's
	 * path would also leak into every image made from it) */
	if (!message)
		snprintf(comment, sizeof(comment), "Imported from -");
	json_t *config =
		json_pack("{s:s, s:s, s:s, s:o, s:{s:s, s:[s]}, s:[{s:s, s:s, s:s}]}", "created",
			  created, "architecture", arch, "os", os, "config", json_incref(cfg),
			  "rootfs", "type", "layers", "diff_ids", ld.diffid, "history", "created",
			  created, "created_by", "", "comment", comment);
	if (variant[0])
		json_object_set_new(config, "variant", json_string(variant));
	json_t *layers =
		json_pack("[{s:s, s:s, s:I}]", "mediaType", layer_media_type(ld.compression),
			  "digest", ld.digest, "size", (json_int_t)ld.size);
	char cfgd[IMAGE_DIGEST_LEN + 1];
	ctext = json_dumps(config, JSON_COMPACT);
	if (ctext && store_put_blob(&st, ctext, strlen(ctext), cfgd, &err) == 0 &&
	    image_create(&st, cfgd, strlen(ctext), layers, name ? canon : NULL, md, NULL, &err) ==
		    0) {
		struct image img;
		if (image_load(&st, md, &img, &err) == 0) {
			if (name) /* docker's import: the tag, then the import */
				image_event(&st, "tag", img.id,
					    ref_familiar_name(canon, fam, sizeof(fam)), img.config);
			image_event(&st, "import", img.id, NULL, img.config);
			printf("%s\n", img.id);
			image_free(&img);
			rc = 0;
		}
	}
	json_decref(config);
	json_decref(layers);
out:
	store_unlock(&st, STORE_ADDING);
	if (rc) {
		mr_prefix(&err, "import '%s': ", file);
		image_error(&err);
		store_gc(&st, NULL, NULL); /* nothing partial stays: what we stored is unnamed */
	}
	store_close(&st);
	json_decref(cfg);
	return rc;
}

/*
 * minirun/containers/commit.c - `minirun commit`: a container's changes become a new image.
 *
 *   minirun commit [-a AUTHOR] [-m MESSAGE] [-p=false] CONTAINER [REPOSITORY[:TAG]]
 *
 * An image is a stack of layers plus a config; a container is that stack plus one more,
 * writable, directory (the overlay's upper, ROOT/containers/ID/diff). Committing is putting
 * that directory on the stack for good:
 *
 *   1. pause the container (its cgroup frozen: no file changes half-way; -p=false skips it);
 *   2. the upper dir -> an OCI layer tar (unionfs/'s layer_diff: whiteouts become ".wh."
 *      entries, opaque dirs ".wh..wh..opq", same tree -> same bytes), without the empty
 *      mount points the runtime made there (/etc/hosts, a volume's destination the image
 *      lacks, and directories made only to hold them: mountpoints.c), as docker leaves them
 *      out; stored as a blob;
 *   3. the image's config, with the container's Config (Env, Cmd, Entrypoint, WorkingDir,
 *      User, ExposedPorts, Labels, StopSignal), the new layer's diffID appended to
 *      rootfs.diff_ids and a history entry (the command, -m, -a) -> a config blob, whose
 *      digest is the new image's ID;
 *   4. a manifest naming the image's layers and the new one (image_create), named
 *      REPOSITORY[:TAG] if given; prints "sha256:ID" as docker does; thaw the container.
 *
 * See: docker-commit(1); image-spec config.md ("history", "rootfs"); unionfs/layer.h
 */
#include "lib/cli.h"
#include "minirun/containers/info.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "minirun/oci/runtime.h"
#include "minirun/containers/mountpoints.h"
#include "minirun/image/image.h"
#include "unionfs/layer.h"

/* the errno behind a failed archive write (ENOSPC on a full disk), for mr_fail to name:
 * libarchive's own text says only "Write error" */
static int write_errno(struct archive *a)
{
	return archive_errno(a) > 0 ? archive_errno(a) : 0;
}

/* copy the layer tar IN to OUT without the entries LITTER names; the same format as
 * layer_diff writes (pax, written only where needed; no padding), so an unchanged entry
 * keeps its bytes */
static int drop_entries(const char *in, const char *out, char *const *litter, struct mr_err *err)
{
	struct archive *r = archive_read_new(), *w = archive_write_new();
	struct archive_entry *e;
	int rc = 0, st;
	archive_read_support_format_tar(r);
	archive_write_set_format_pax_restricted(w);
	archive_write_set_bytes_in_last_block(w, 1);
	if (archive_read_open_filename(r, in, 1 << 16) != ARCHIVE_OK ||
	    archive_write_open_filename(w, out) != ARCHIVE_OK) {
		rc = mr_fail(err, 0, "filter the layer '%s': %s", in,
			     archive_error_string(r) ?: archive_error_string(w));
		goto out;
	}
	while (rc == 0 && (st = archive_read_next_header(r, &e)) == ARCHIVE_OK) {
		if (container_path_listed(litter, archive_entry_pathname(e))) {
			mr_say("leave out the mount point /%s", archive_entry_pathname(e));
			continue;
		}
		if (archive_write_header(w, e) < ARCHIVE_WARN) {
			rc = mr_fail(err, write_errno(w), "write '%s': %s", out,
				     archive_error_string(w));
			break;
		}
		const void *buf;
		size_t len;
		la_int64_t off;
		while ((st = archive_read_data_block(r, &buf, &len, &off)) == ARCHIVE_OK)
			if (archive_write_data(w, buf, len) < 0) {
				st = ARCHIVE_FATAL;
				break;
			}
		if (st != ARCHIVE_EOF)
			rc = mr_fail(err, write_errno(w), "copy '%s': %s",
				     archive_entry_pathname(e),
				     archive_error_string(r) ?: archive_error_string(w));
	}
	if (rc == 0 && st != ARCHIVE_EOF)
		rc = mr_fail(err, 0, "read '%s': %s", in, archive_error_string(r));
	if (archive_write_close(w) != ARCHIVE_OK && rc == 0)
		rc = mr_fail(err, write_errno(w), "write '%s': %s", out, archive_error_string(w));
out:
	archive_read_free(r);
	archive_write_free(w);
	return rc;
}

/* the upper dir of C as a layer blob in ST; its digests in *ld */
static int commit_layer(const struct store *st, struct container *c, struct layer_digests *ld,
			struct mr_err *err)
{
	char upper[4200], tmp[4200];
	struct layer_diff_opts lo = {.mtime = -1, .compression = LAYER_COMP_NONE};
	struct bundle_rootfs map = {0}; /* --userns=auto: owners back to the container's ids */
	container_userns_rootfs(c, &map);
	lo.shift_uid = map.map_uid, lo.shift_gid = map.map_gid, lo.shift_size = map.map_size;
	container_path(c, "diff", upper, sizeof(upper));
	if (store_tmp_path(st, "commit", tmp, sizeof(tmp), err) < 0)
		return -1;
	mr_say("layer_diff %s -> %s", upper, tmp);
	if (layer_diff(upper, tmp, &lo, ld, err) < 0)
		return -1;
	/* the runtime's mount points: found in the upper dir, dropped from the tar */
	char **lowers = NULL, **mps = container_mountpoints(c), **litter = NULL, tmp2[4300];
	int lrc = info_lowers(c, &lowers, err);
	if (lrc == 0)
		lrc = container_mountpoint_litter(upper, lowers, mps, &litter, err);
	if (lrc == 0 && litter[0]) {
		snprintf(tmp2, sizeof(tmp2), "%s.filtered", tmp);
		lrc = drop_entries(tmp, tmp2, litter, err);
		if (lrc == 0 && rename(tmp2, tmp) < 0)
			lrc = mr_fail(err, errno, "rename '%s'", tmp2);
		if (lrc == 0) /* new bytes, new digests */
			lrc = layer_digest(tmp, ld, err);
		unlink(tmp2);
	}
	if (lowers)
		image_lowerdirs_free(lowers);
	container_paths_free(mps);
	container_paths_free(litter);
	if (lrc < 0) {
		unlink(tmp);
		return -1;
	}
	/* into the store through a blob writer, which checks the digest on the way */
	struct blob_writer w;
	char buf[1 << 16];
	ssize_t n;
	int rc = -1;
	_cleanup_close_ int fd = open(tmp, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		mr_fail(err, errno, "open '%s'", tmp);
	} else if (blob_writer_open(st, &w, err) == 0) {
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			if (blob_writer_write(&w, buf, (size_t)n, err) < 0)
				break;
		if (n == 0)
			rc = blob_writer_commit(st, &w, ld->digest, NULL, err);
		else {
			if (n < 0)
				mr_fail(err, errno, "read '%s'", tmp);
			blob_writer_abort(&w);
		}
	}
	unlink(tmp);
	return rc;
}

/* a vector as a JSON array */
static json_t *strv_json(char *const *v)
{
	json_t *a = json_array();
	for (size_t i = 0; v && v[i]; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* the container's Config R into the image config's INNER (docker's commit keeps these
 * keys of the container's; a null one, as Entrypoint often is, leaves the image's) */
static void config_of_record(const struct container_record *r, json_t *inner)
{
	json_t *exposed = json_object(), *labels = container_labels_json(r);
	for (size_t i = 0; r->config.exposed_ports && r->config.exposed_ports[i]; i++)
		json_object_set_new(exposed, r->config.exposed_ports[i], json_object());
	struct {
		const char *key;
		json_t *v; /* NULL: the record's is null */
	} keys[] = {
		{"Env", r->config.env ? strv_json(r->config.env) : NULL},
		{"Cmd", r->config.cmd ? strv_json(r->config.cmd) : NULL},
		{"Entrypoint", r->config.entrypoint ? strv_json(r->config.entrypoint) : NULL},
		{"WorkingDir", r->config.working_dir ? json_string(r->config.working_dir) : NULL},
		{"User", r->config.user ? json_string(r->config.user) : NULL},
		{"ExposedPorts", r->config.exposed_ports ? json_incref(exposed) : NULL},
		{"Labels", labels}, /* an object in every record minirun wrote */
		{"StopSignal", r->config.stop_signal ? json_string(r->config.stop_signal) : NULL},
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].v)
			json_object_set_new(inner, keys[i].key, keys[i].v);
	json_decref(exposed);
}

/* the image config of the commit: BASE's, with the container's Config and the new layer */
static json_t *commit_config(json_t *base, struct container *c, const struct layer_digests *ld,
			     const char *author, const char *message)
{
	json_t *cfg = json_deep_copy(base);
	json_t *inner = json_object_get(cfg, "config");
	char now[64];
	fmt_now(now, sizeof(now));
	if (!json_is_object(inner))
		json_object_set_new(cfg, "config", inner = json_object());
	config_of_record(&c->r, inner);
	json_object_set_new(cfg, "created", json_string(now));
	if (author)
		json_object_set_new(cfg, "author", json_string(author));
	json_t *rootfs = json_object_get(cfg, "rootfs");
	if (!json_is_object(rootfs))
		json_object_set_new(cfg, "rootfs",
				    rootfs =
					    json_pack("{s:s, s:[]}", "type", "layers", "diff_ids"));
	json_array_append_new(json_object_get(rootfs, "diff_ids"), json_string(ld->diffid));
	/* history: what made the layer - the container's command, as docker records it */
	char by[4096] = "";
	size_t used = (size_t)snprintf(by, sizeof(by), "%s", c->r.path ? c->r.path : "");
	for (size_t i = 0; c->r.args && c->r.args[i]; i++) {
		if (used < sizeof(by))
			used += (size_t)snprintf(by + used, sizeof(by) - used, " %s", c->r.args[i]);
	}
	json_t *h = json_pack("{s:s, s:s}", "created", now, "created_by", by);
	if (author)
		json_object_set_new(h, "author", json_string(author));
	if (message)
		json_object_set_new(h, "comment", json_string(message));
	json_t *hist = json_object_get(cfg, "history");
	if (!json_is_array(hist))
		json_object_set_new(cfg, "history", hist = json_array());
	json_array_append_new(hist, h);
	return cfg;
}

/*
 * commit - steps 2 to 4 above in the store at C's root; the new image ID to ID.
 */
static int commit(struct container *c, const char *name, const char *author, const char *message,
		  char **changes, char id[IMAGE_DIGEST_LEN + 1], struct mr_err *err)
{
	struct store st;
	struct image base;
	struct layer_digests ld;
	int rc = -1;
	if (store_open(&st, c->root, err) < 0)
		return -1;
	/* adding: the gc must not take the new blobs before the manifest names them */
	if (store_lock(&st, STORE_ADDING, err) < 0) {
		store_close(&st);
		return -1;
	}
	const char *image = c->r.image;
	if (image_resolve(&st, image ? image : "", &base, err) < 0) {
		mr_prefix(err, "the container's image: ");
		goto out;
	}
	if (commit_layer(&st, c, &ld, err) == 0) {
		json_t *cfg = commit_config(base.config, c, &ld, author, message);
		json_t *inner = json_object_get(cfg, "config");
		bool cmd_set = false; /* as a Dockerfile's ENTRYPOINT: it drops the Cmd unless a
					 CMD came before it */
		for (char **ch = changes; *ch; ch++) { /* checked as they were parsed */
			image_apply_change(inner, *ch, NULL);
			if (!strncasecmp(*ch, "CMD", 3) && strchr(" \t", (*ch)[3]))
				cmd_set = true;
			else if (!strncasecmp(*ch, "ENTRYPOINT", 10) && strchr(" \t", (*ch)[10]) &&
				 !cmd_set)
				json_object_set_new(inner, "Cmd", json_null());
		}
		_cleanup_free_ char *text = json_dumps(cfg, JSON_COMPACT);
		json_decref(cfg);
		json_t *layers = json_deep_copy(json_object_get(base.manifest, "layers"));
		json_array_append_new(layers, json_pack("{s:s, s:s, s:I}", "mediaType",
							layer_media_type("none"), "digest",
							ld.digest, "size", (json_int_t)ld.size));
		char manifest[IMAGE_DIGEST_LEN + 1], fam[700] = "";
		if (text && store_put_blob(&st, text, strlen(text), id, err) == 0 &&
		    image_create(&st, id, strlen(text), layers, name, manifest, NULL, err) == 0)
			rc = 0;
		if (rc == 0 && name) /* docker's commit: the new name's tag, then the commit */
			image_event(&st, "tag", id, ref_familiar_name(name, fam, sizeof(fam)),
				    NULL);
		if (rc == 0)
			container_event(c, "commit", "comment", message ? message : "", "imageID",
					id, "imageRef", fam);
		json_decref(layers);
	}
	image_free(&base);
out:
	store_unlock(&st, STORE_ADDING);
	store_close(&st);
	return rc;
}

static void commit_usage(void)
{
	printf("Usage:  minirun commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]\n\n"
	       "Create a new image from a container's changes\n\n"
	       "Options:\n"
	       "  -a, --author string    Author (e.g., \"John Hannibal Smith "
	       "<hannibal@a-team.com>\")\n"
	       "  -c, --change list      Apply a Dockerfile instruction to the image (CMD, "
	       "ENV, ...)\n"
	       "  -m, --message string   Commit message\n"
	       "  -p, --pause            Pause container during commit (default true; "
	       "--pause=false)\n");
}

int cmd_commit(int argc, char **argv)
{
	static const struct option opts[] = {
		{"author", required_argument, NULL, 'a'},  {"change", required_argument, NULL, 'c'},
		{"message", required_argument, NULL, 'm'}, {"pause", optional_argument, NULL, 'p'},
		{"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
	};
	const char *author = NULL, *message = NULL;
	bool pause = true;
	int ch;
	char *changes[argc + 1]; /* -c's, checked on a scratch config as they come */
	size_t nchanges = 0;
	json_t *scratch = json_object();
	struct mr_err cerr = {0};
	optind = 0;
	while ((ch = getopt_long(argc, argv, ":a:c:m:ph", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': author = optarg; break;
		case 'c':
			if (image_apply_change(scratch, optarg, &cerr) < 0) {
				json_decref(scratch);
				fprintf(stderr, "minirun: %s\n", cerr.msg);
				return 1;
			}
			changes[nchanges++] = optarg;
			break;
		case 'm': message = optarg; break;
		case 'p': pause = !optarg || strcmp(optarg, "false"); break;
		case 'h': commit_usage(); return 0;
		default: return mr_flag_error(ch, "commit", argv);
		}
	}
	changes[nchanges] = NULL;
	json_decref(scratch);
	if (argc - optind < 1 || argc - optind > 2)
		return mr_operand_error("commit", "\"commit\" requires at least 1 and at most 2 "
						  "arguments.");
	struct mr_err err = {0};
	char canon[600], id[IMAGE_DIGEST_LEN + 1], oci[4200];
	const char *name = NULL;
	if (argv[optind + 1]) {
		struct image_ref ref;
		if (ref_parse(argv[optind + 1], &ref, &err) < 0) {
			fprintf(stderr, "minirun: %s\n", err.msg);
			return 1;
		}
		if (ref.digest[0]) {
			fprintf(stderr,
				"minirun: refusing to create a tag with a digest reference\n");
			return 1;
		}
		ref_canonical(&ref, canon, sizeof(canon));
		name = canon;
	}
	struct container c;
	if (info_open(argv[optind], false, &c) < 0)
		return 1;
	container_oci_root(c.root, oci, sizeof(oci));
	bool paused = false;
	if (pause && container_status(&c) == CONTAINER_RUNNING) {
		mr_say("pause %s while its upper dir is read", c.id);
		if (ctr_pause(oci, c.id, true, &err) < 0) {
			fprintf(stderr, "minirun: pause the container for the commit: %s\n",
				err.msg);
			container_close(&c);
			return 1;
		}
		paused = true;
		container_event(&c, "pause"); /* docker's commit says its pause and unpause */
	}
	int rc = commit(&c, name, author, message, changes, id, &err);
	if (paused) {
		struct mr_err e2 = {0};
		if (ctr_pause(oci, c.id, false, &e2) < 0)
			fprintf(stderr, "minirun: resume after the commit: %s\n", e2.msg);
		else
			container_event(&c, "unpause");
	}
	container_close(&c);
	if (rc < 0) {
		fprintf(stderr, "minirun: %s\n", err.msg);
		return 1;
	}
	printf("%s\n", id);
	return 0;
}

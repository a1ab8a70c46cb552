/*
 * minirun/image/save.c - `minirun save`: images from the store into a docker-archive or an
 * oci-archive tar (the two formats are drawn at the top of archive.c).
 *
 *   minirun save [-o FILE] [--format docker-archive|oci-archive] IMAGE...
 *
 * docker-archive wants each layer uncompressed (HEX/layer.tar, HEX its diffID), so a gzip or
 * zstd layer blob is decompressed to a temp file first; oci-archive takes the blobs as they
 * are, so an image saved that way and loaded back has the same manifest digest. The archive
 * is written to FILE.tmp and renamed: a failed save leaves no half archive behind. Entries
 * get mtime 0 and owner 0, so saving the same images twice gives the same bytes.
 *
 * See: docker-save(1), podman-save(1), libarchive archive_write(3)
 */
#include "lib/cli.h"
#include "minirun/image/image.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "lib/cleanup.h"

/* add one regular file NAME of SIZE bytes, from DATA or else from FD */
static int add_file(struct archive *a, const char *name, const void *data, int fd, uint64_t size,
		    struct mr_err *err)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)size);
	archive_entry_set_mtime(e, 0, 0);
	int rc = archive_write_header(a, e) == ARCHIVE_OK ? 0 : -1;
	archive_entry_free(e);
	if (rc < 0)
		return mr_fail(err, 0, "write '%s': %s", name, archive_error_string(a));
	if (data)
		return archive_write_data(a, data, size) == (la_ssize_t)size
			       ? 0
			       : mr_fail(err, 0, "write '%s': %s", name, archive_error_string(a));
	char buf[1 << 16];
	ssize_t n;
	uint64_t done = 0;
	while (done < size && (n = read(fd, buf, sizeof(buf))) > 0) {
		if (archive_write_data(a, buf, n) != n)
			return mr_fail(err, 0, "write '%s': %s", name, archive_error_string(a));
		done += n;
	}
	if (done != size)
		return mr_fail(err, errno, "read the source of '%s'", name);
	return 0;
}

static int add_dir(struct archive *a, const char *name)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFDIR);
	archive_entry_set_perm(e, 0755);
	archive_entry_set_mtime(e, 0, 0);
	int rc = archive_write_header(a, e) == ARCHIVE_OK ? 0 : -1;
	archive_entry_free(e);
	return rc;
}

/* add blob DIGEST as NAME, checked against its digest first */
static int add_blob(const struct store *st, struct archive *a, const char *name, const char *digest,
		    struct mr_err *err)
{
	char path[4400];
	struct stat sb;
	if (store_check_blob(st, digest, err) < 0)
		return -1;
	store_blob_path(st, digest, path, sizeof(path));
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) < 0)
		return mr_fail(err, errno, "open '%s'", path);
	return add_file(a, name, NULL, fd, sb.st_size, err);
}

/* add blob DIGEST uncompressed as NAME (docker-archive's HEX/layer.tar) */
static int add_layer_tar(const struct store *st, struct archive *a, const char *name,
			 const char *digest, const char *mediatype, struct mr_err *err)
{
	if (!strstr(mediatype, "gzip") && !strstr(mediatype, "zstd"))
		return add_blob(st, a, name, digest, err);
	/* a tar header needs the size first: decompress to a temp file, then copy it in */
	char blob[4400], tmp[4400];
	if (store_check_blob(st, digest, err) < 0 ||
	    store_tmp_path(st, "layer", tmp, sizeof(tmp), err) < 0)
		return -1;
	store_blob_path(st, digest, blob, sizeof(blob));
	struct archive *r = archive_read_new();
	struct archive_entry *e;
	int rc = -1;
	_cleanup_close_ int fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	archive_read_support_filter_all(r);
	archive_read_support_format_raw(r);
	if (fd < 0) {
		mr_fail(err, errno, "create '%s'", tmp);
		goto out;
	}
	if (archive_read_open_filename(r, blob, 1 << 16) != ARCHIVE_OK ||
	    archive_read_next_header(r, &e) != ARCHIVE_OK) {
		mr_fail(err, 0, "layer %s: %s", digest, archive_error_string(r));
		goto out;
	}
	char buf[1 << 16];
	la_ssize_t n;
	uint64_t size = 0;
	while ((n = archive_read_data(r, buf, sizeof(buf))) > 0) {
		if (write(fd, buf, n) != n) {
			mr_fail(err, errno, "write '%s'", tmp);
			goto out;
		}
		size += n;
	}
	if (n < 0) {
		mr_fail(err, 0, "layer %s: %s", digest, archive_error_string(r));
		goto out;
	}
	if (lseek(fd, 0, SEEK_SET) == 0)
		rc = add_file(a, name, NULL, fd, size, err);
out:
	archive_read_free(r);
	unlink(tmp);
	return rc;
}

/* the familiar tag names an argument gives its image: "busybox" -> ["busybox:latest"] */
static void arg_tags(const struct store *st, const char *arg, json_t *tags)
{
	struct image_ref ref;
	struct image img;
	char canon[600], fam[700];
	if (ref_parse(arg, &ref, NULL) < 0 || ref.digest[0])
		return;
	ref_canonical(&ref, canon, sizeof(canon));
	json_t *idx = store_index_load(st, NULL), *e;
	size_t i;
	json_array_foreach(json_object_get(idx, "manifests"), i, e)
	{
		const char *n = json_string_value(
			json_object_get(json_object_get(e, "annotations"), IMAGE_ANN_NAME));
		if (n && !strcmp(n, canon) &&
		    image_load(st, json_string_value(json_object_get(e, "digest")), &img, NULL) ==
			    0) {
			image_free(&img);
			ref_familiar_name(canon, fam, sizeof(fam));
			json_array_append_new(tags, json_string(fam));
			break;
		}
	}
	json_decref(idx);
}

/*
 * The legacy files of docker's format (before manifest.json, docker 1.10): HEX/VERSION
 * ("1.0") and HEX/json (the layer's id and its parent's) in each layer's directory, and
 * `repositories` ({"REPO":{"TAG":"TOP-LAYER-HEX"}}). docker 20.10 still writes them and
 * older tools (and some scanners) read only them. The ids here are the directory names (the
 * layers' diffIDs), which is all these files must agree with.
 */
static int add_legacy_layer(struct archive *a, const char *dir, const char *parent,
			    const json_t *config, struct mr_err *err)
{
	char name[100];
	snprintf(name, sizeof(name), "%s/VERSION", dir);
	if (add_file(a, name, "1.0", -1, 3, err) < 0)
		return -1;
	json_t *j = json_pack("{s:s}", "id", dir);
	if (parent)
		json_object_set_new(j, "parent", json_string(parent));
	const char *created = json_string_value(json_object_get(config, "created"));
	json_object_set_new(j, "created", json_string(created ? created : "1970-01-01T00:00:00Z"));
	json_object_set_new(j, "container_config", json_pack("{s:n}", "Cmd"));
	const char *os = json_string_value(json_object_get(config, "os"));
	if (os)
		json_object_set_new(j, "os", json_string(os));
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	snprintf(name, sizeof(name), "%s/json", dir);
	int rc = text ? add_file(a, name, text, -1, strlen(text), err) : -1;
	free(text);
	return rc;
}

/* note TAGS ("repo:tag" strings) as pointing at layer directory TOP in REPOS */
static void legacy_repositories(json_t *repos, const json_t *tags, const char *top)
{
	size_t i;
	json_t *t;
	json_array_foreach(tags, i, t)
	{
		const char *s = json_string_value(t), *colon = strrchr(s, ':');
		if (!colon || strchr(colon, '/'))
			continue;
		char repo[600];
		snprintf(repo, sizeof(repo), "%.*s", (int)(colon - s), s);
		json_t *r = json_object_get(repos, repo);
		if (!r)
			json_object_set_new(repos, repo, r = json_object());
		json_object_set_new(r, colon + 1, json_string(top));
	}
}

/* has NAME been written already? (layers and blobs shared by several images go in once) */
static int seen(json_t *set, const char *name)
{
	if (json_object_get(set, name))
		return 1;
	json_object_set_new(set, name, json_true());
	return 0;
}

int archive_save(const struct store *st, const char *file, int format, char **names, int n,
		 struct mr_err *err)
{
	char tmp[4200];
	_cleanup_free_ char *text = NULL;
	struct archive *a = archive_write_new();
	json_t *done = json_object(), *docker = json_array(), *oci = json_array();
	json_t *repos = json_object(); /* the legacy `repositories` file */
	int rc = -1, to_stdout = !file || !strcmp(file, "-");
	struct stat sb;
	/* temp + rename only for a regular file: a device, fifo or symlink (/dev/stdout) is written
	 * in place, never replaced by a file of ours */
	int in_place = !to_stdout && lstat(file, &sb) == 0 && !S_ISREG(sb.st_mode);
	archive_write_set_format_pax_restricted(a);
	archive_write_set_bytes_in_last_block(a, 1); /* the same bytes to a file or a pipe */
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", to_stdout ? "-" : file, (int)getpid());
	if ((to_stdout ? archive_write_open_fd(a, STDOUT_FILENO)
		       : archive_write_open_filename(a, in_place ? file : tmp)) != ARCHIVE_OK) {
		mr_fail(err, archive_errno(a), "open '%s' for writing",
			to_stdout ? "stdout" : file);
		goto out;
	}
	if (format == ARCHIVE_OCI) {
		const char *layout = "{\"imageLayoutVersion\":\"1.0.0\"}";
		if (add_file(a, "oci-layout", layout, -1, strlen(layout), err) < 0 ||
		    add_dir(a, "blobs") < 0 || add_dir(a, "blobs/sha256") < 0)
			goto out;
	}
	for (int k = 0; k < n; k++) {
		struct image img;
		char name[200];
		size_t i;
		json_t *l;
		if (image_resolve(st, names[k], &img, err) < 0)
			goto out;
		if (!seen(done, img.id)) /* one save event an image, however often named */
			image_event(st, "save", img.id, NULL, img.config);
		json_t *diffs = json_object_get(json_object_get(img.config, "rootfs"), "diff_ids");
		json_t *layers = json_object_get(img.manifest, "layers");
		if (format == ARCHIVE_DOCKER) {
			json_t *entry = NULL, *e, *files = json_array();
			char top[80] = "";
			/* the same image named twice is one entry with two RepoTags */
			snprintf(name, sizeof(name), "%s.json", img.id + 7);
			json_array_foreach(docker, i, e)
			{
				if (!strcmp(json_string_value(json_object_get(e, "Config")), name))
					entry = e;
			}
			if (!entry) {
				if (add_blob(st, a, name, img.id, err) < 0)
					goto fail;
				json_array_foreach(layers, i, l)
				{
					const char *d = json_string_value(json_array_get(diffs, i));
					char dir[80], parent[80];
					snprintf(parent, sizeof(parent), "%s", top);
					snprintf(dir, sizeof(dir), "%s", d + 7);
					snprintf(top, sizeof(top), "%s", dir);
					snprintf(name, sizeof(name), "%s/layer.tar", d + 7);
					json_array_append_new(files, json_string(name));
					if (seen(done, name))
						continue;
					if (add_dir(a, dir) < 0 ||
					    add_layer_tar(
						    st, a, name,
						    json_string_value(json_object_get(l, "digest")),
						    json_string_value(
							    json_object_get(l, "mediaType"))
							    ?: "",
						    err) < 0 ||
					    add_legacy_layer(a, dir, *parent ? parent : NULL,
							     img.config, err) < 0) {
						json_decref(files);
						goto fail;
					}
				}
				snprintf(name, sizeof(name), "%s.json", img.id + 7);
				entry = json_pack("{s:s, s:[], s:o}", "Config", name, "RepoTags",
						  "Layers", files);
				json_array_append_new(docker, entry);
			} else {
				json_decref(files);
			}
			arg_tags(st, names[k], json_object_get(entry, "RepoTags"));
			const char *last = json_string_value(
				json_array_get(diffs, json_array_size(diffs) - 1));
			if (last && strlen(last) > 7)
				snprintf(top, sizeof(top), "%s", last + 7);
			if (*top)
				legacy_repositories(repos, json_object_get(entry, "RepoTags"), top);
		} else {
			json_t *blobs = json_copy(layers);
			json_array_append(blobs, json_object_get(img.manifest, "config"));
			json_array_append_new(blobs,
					      json_pack("{s:s}", "digest", img.manifest_digest));
			json_array_foreach(blobs, i, l)
			{
				const char *d = json_string_value(json_object_get(l, "digest"));
				snprintf(name, sizeof(name), "blobs/sha256/%s", d + 7);
				if (!seen(done, name) && add_blob(st, a, name, d, err) < 0) {
					json_decref(blobs);
					goto fail;
				}
			}
			json_decref(blobs);
			json_t *tags = json_array(), *t;
			arg_tags(st, names[k], tags);
			char path[4400];
			struct stat sb;
			store_blob_path(st, img.manifest_digest, path, sizeof(path));
			stat(path, &sb);
			const char *mt =
				json_string_value(json_object_get(img.manifest, "mediaType"));
			json_t *desc = json_pack(
				"{s:s, s:s, s:I}", "mediaType",
				mt ? mt : "application/vnd.oci.image.manifest.v1+json", "digest",
				img.manifest_digest, "size", (json_int_t)sb.st_size);
			/* one descriptor per name, as skopeo and podman write them */
			if (!json_array_size(tags))
				json_array_append(oci, desc);
			json_array_foreach(tags, i, t)
			{
				struct image_ref ref;
				char canon[600];
				json_t *d = json_deep_copy(desc);
				ref_parse(json_string_value(t), &ref, NULL);
				ref_canonical(&ref, canon, sizeof(canon));
				json_object_set_new(d, "annotations",
						    json_pack("{s:s, s:s}",
							      "io.containerd.image.name", canon,
							      IMAGE_ANN_NAME, canon));
				json_array_append_new(oci, d);
			}
			json_decref(desc);
			json_decref(tags);
		}
		image_free(&img);
		continue;
	fail:
		image_free(&img);
		goto out;
	}
	if (format == ARCHIVE_DOCKER && json_object_size(repos)) {
		/* one line, newline-ended, as docker writes it */
		char *r = json_dumps(repos, JSON_COMPACT | JSON_SORT_KEYS);
		char *line = NULL;
		if (r && asprintf(&line, "%s\n", r) < 0)
			line = NULL;
		free(r);
		r = line;
		int bad = !r || add_file(a, "repositories", r, -1, strlen(r), err) < 0;
		free(r);
		if (bad)
			goto out;
	}
	/* the index last, as docker writes manifest.json last */
	json_t *top = format == ARCHIVE_DOCKER
			      ? json_incref(docker)
			      : json_pack("{s:i, s:O}", "schemaVersion", 2, "manifests", oci);
	text = json_dumps(top, JSON_COMPACT);
	json_decref(top);
	if (add_file(a, format == ARCHIVE_DOCKER ? "manifest.json" : "index.json", text, -1,
		     strlen(text), err) < 0)
		goto out;
	if (archive_write_close(a) != ARCHIVE_OK) {
		mr_fail(err, 0, "write '%s': %s", file, archive_error_string(a));
		goto out;
	}
	if (!to_stdout && !in_place && rename(tmp, file) < 0) {
		mr_fail(err, errno, "rename '%s' to '%s'", tmp, file);
		goto out;
	}
	rc = 0;
out:
	archive_write_free(a);
	if (rc < 0 && !to_stdout && !in_place)
		unlink(tmp);
	json_decref(done);
	json_decref(docker);
	json_decref(oci);
	json_decref(repos);
	return rc;
}

int cmd_save(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const struct {
		const char *name;
		int format;
	} formats[] = {{"docker-archive", ARCHIVE_DOCKER},
		       {"docker", ARCHIVE_DOCKER},
		       {"oci-archive", ARCHIVE_OCI},
		       {"oci", ARCHIVE_OCI}};
	const char *file = NULL;
	int format = ARCHIVE_DOCKER, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': file = optarg; break;
		case 'f':
			format = 0;
			for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
				if (!strcmp(optarg, formats[i].name))
					format = formats[i].format;
			if (!format)
				return image_usage_error("save",
							 "--format '%s': use docker-archive or "
							 "oci-archive",
							 optarg);
			break;
		case 'h':
			printf("Usage:  minirun save [OPTIONS] IMAGE [IMAGE...]\n\n"
			       "Save one or more images to a tar archive (streamed to STDOUT by "
			       "default)\n\n"
			       "Options:\n"
			       "      --format string   docker-archive (default) or oci-archive\n"
			       "  -o, --output string   Write to a file, instead of STDOUT\n");
			return 0;
		default: return mr_flag_error(c, "save", argv);
		}
	}
	if (optind >= argc)
		return mr_operand_error("save", "\"save\" requires at least 1 argument.");
	if (!file && isatty(STDOUT_FILENO))
		return image_errorf("cowardly refusing to save to a terminal. Use the -o flag or "
				    "redirect");
	struct store st;
	struct mr_err err = {0};
	if (image_open_store(&st))
		return 1;
	int rc = archive_save(&st, file, format, argv + optind, argc - optind, &err);
	store_close(&st);
	return rc < 0 ? image_error(&err) : 0;
}

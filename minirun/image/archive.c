/*
 * minirun/image/archive.c - images in and out of tar files: `load` and `save`.
 *
 *   minirun load [-i FILE] [-q]            docker-archive or oci-archive (found by content)
 *   minirun save [-o FILE] [--format docker-archive|oci-archive] IMAGE...
 *
 * Two archive formats carry images between engines:
 *
 *   docker-archive (`docker save`):  manifest.json  [{"Config": "HEX.json",
 *                                                    "RepoTags": ["busybox:latest"],
 *                                                    "Layers": ["HEX/layer.tar", ...]}]
 *                                     HEX.json       the config (its sha256 is the image ID)
 *                                     HEX/layer.tar  each layer, uncompressed
 *   oci-archive:                      an OCI image layout (oci-layout, index.json, blobs/)
 *                                     in a tar, blobs as they are, names as annotations
 *
 * Loading extracts the archive into a temp directory (libarchive, refusing ".." and
 * absolute paths), then opens each file the manifest names with openat2(RESOLVE_IN_ROOT),
 * so a symlink in a hostile archive can't make us read a file outside it. Every blob is
 * hashed on the way into the store. Nothing is named until every blob is in and unpacked.
 *
 * See: docker-save(1), docker-load(1), image-spec image-layout.md, openat2(2)
 */
#include "lib/cli.h"
#include "minirun/image/image.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "lib/inroot.h"
#include "lib/printable.h"
#include "unionfs/layer.h"

/* ---- load --------------------------------------------------------------------------------- */

/* open PATH below DIRFD as if DIRFD were "/": symlinks can't lead out of the archive
 * (lib/inroot.h; without openat2, any symlink on the way is refused) */
static int open_in(int dirfd, const char *path, struct mr_err *err)
{
	int fd = mr_open_in_root(dirfd, path, O_RDONLY, 0);
	if (fd < 0)
		return mr_fail(err, errno, "the archive's '%s'", path);
	return fd;
}

/* read all of the archive's PATH (opened with open_in) into *out, which the caller frees */
static int read_in(int dirfd, const char *path, char **out, size_t *len, struct mr_err *err)
{
	char p[64];
	_cleanup_close_ int fd = open_in(dirfd, path, err);
	if (fd < 0)
		return -1;
	/* the fd is the safely opened file; /proc/self/fd/N reopens exactly it */
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	return mr_read_file(p, out, len, err);
}

/* the errno behind a failed archive write (ENOSPC on a full disk), for mr_fail to name:
 * libarchive's own text says only "Write error" */
static int write_errno(struct archive *a)
{
	return archive_errno(a) > 0 ? archive_errno(a) : 0;
}

/* extract FILE into the directory DIR, refusing entries that climb out */
static int extract(const char *file, const char *dir, struct mr_err *err)
{
	struct archive *a = archive_read_new(), *w = archive_write_disk_new();
	struct archive_entry *e;
	int rc = 0, r;
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_write_disk_set_options(w, ARCHIVE_EXTRACT_SECURE_SYMLINKS |
						  ARCHIVE_EXTRACT_SECURE_NODOTDOT);
	/* standard input as fd 0, not by the name /dev/stdin: a minimal /dev (a VM's initramfs,
	 * some containers) has no such link */
	bool is_stdin = !strcmp(file, "/dev/stdin");
	if ((is_stdin ? archive_read_open_fd(a, STDIN_FILENO, 1 << 16)
		      : archive_read_open_filename(a, file, 1 << 16)) != ARCHIVE_OK) {
		/* libarchive reads the first block to find the format while it opens: random
		 * bytes or an empty file fail here with its "unrecognized format" errno, which
		 * is EILSEQ on Linux (archive.h leaves the symbol to libarchive's own platform
		 * header) and whose strerror ("Invalid or incomplete multibyte or wide
		 * character") says nothing to a user */
		if (archive_errno(a) == EILSEQ)
			rc = mr_failk(
				err, MR_E_INVALID, 0,
				"%s%s%s is not a tar archive (a docker-archive or oci-archive): "
				"give a file made by 'minirun save' or 'docker save'",
				is_stdin ? "" : "'", is_stdin ? "standard input" : file,
				is_stdin ? "" : "'");
		else
			rc = mr_fail(err, archive_errno(a), "open '%s'", file);
		goto out;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		char clean[4096], full[8600];
		mode_t type = archive_entry_filetype(e);
		if (type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK)
			continue; /* an image archive has files, directories and symlinks only */
		if (layer_clean_path(archive_entry_pathname(e), clean, sizeof(clean), err) < 0) {
			rc = -1;
			mr_prefix(err, "'%s': ", file);
			goto out;
		}
		if (!clean[0])
			continue;
		if (archive_entry_hardlink(e)) {
			char ht[4096];
			if (layer_clean_path(archive_entry_hardlink(e), ht, sizeof(ht), err) < 0) {
				rc = -1;
				goto out;
			}
			snprintf(full, sizeof(full), "%s/%s", dir, ht);
			archive_entry_set_hardlink(e, full);
		}
		snprintf(full, sizeof(full), "%s/%s", dir, clean);
		archive_entry_set_pathname(e, full);
		archive_entry_set_perm(e, type == AE_IFDIR ? 0700 : 0600);
		char shown[300]; /* the archive's names are untrusted: escaped */
		mr_printable(clean, shown, sizeof(shown));
		if (archive_write_header(w, e) != ARCHIVE_OK) {
			rc = mr_fail(err, write_errno(w), "'%s': extract '%s': %s", file, shown,
				     archive_error_string(w));
			goto out;
		}
		if (type == AE_IFREG) {
			const void *buf;
			size_t n;
			la_int64_t off;
			while ((r = archive_read_data_block(a, &buf, &n, &off)) == ARCHIVE_OK)
				if (archive_write_data_block(w, buf, n, off) != ARCHIVE_OK) {
					rc = mr_fail(err, write_errno(w), "'%s': write '%s': %s",
						     file, shown, archive_error_string(w));
					goto out;
				}
			if (r != ARCHIVE_EOF) {
				rc = mr_fail(err, 0, "'%s': %s", file, archive_error_string(a));
				goto out;
			}
		}
		archive_write_finish_entry(w);
	}
	if (r != ARCHIVE_EOF)
		rc = mr_fail(err, 0, "'%s' is not a tar archive: %s", file,
			     archive_error_string(a));
out:
	archive_read_free(a);
	archive_write_free(w);
	return rc;
}

/* copy the archive's PATH into the store; its digest must be EXPECT (if given) */
static int take_blob(const struct store *st, int dirfd, const char *path, const char *expect,
		     char digest[IMAGE_DIGEST_LEN + 1], struct mr_err *err)
{
	struct blob_writer w;
	char buf[1 << 16];
	ssize_t n;
	if (expect && store_has_blob(st, expect)) {
		strcpy(digest, expect);
		return 0;
	}
	_cleanup_close_ int fd = open_in(dirfd, path, err);
	if (fd < 0 || blob_writer_open(st, &w, err) < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (blob_writer_write(&w, buf, n, err) < 0) {
			blob_writer_abort(&w);
			return -1;
		}
	if (n < 0) {
		blob_writer_abort(&w);
		return mr_fail(err, errno, "read the archive's '%s'", path);
	}
	if (blob_writer_commit(st, &w, expect, digest, err) < 0) {
		mr_prefix(err, "the archive's '%s': ", path);
		return -1;
	}
	return 0;
}

/* name the loaded image NAME (docker's words when that moves the name) */
static int name_loaded(const struct store *st, const char *name, const char *md, struct mr_err *err)
{
	char moved[IMAGE_DIGEST_LEN + 1], fam[700];
	struct image old;
	if (image_add(st, name, md, NULL, moved, err) < 0)
		return -1;
	ref_familiar_name(name, fam, sizeof(fam));
	if (moved[0] && image_load(st, moved, &old, NULL) == 0) {
		printf("The image %s already exists, renaming the old one with ID %s to empty string\n",
		       fam, old.id);
		image_free(&old);
	}
	printf("Loaded image: %s\n", fam);
	return 0;
}

/* the stored config blob DIGEST checked for type and shape (image_config_check), the image
 * called NAME in the message */
static int config_ok(const struct store *st, const char *digest, const char *name,
		     struct mr_err *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	if (store_read_blob(st, digest, &text, &len, err) < 0)
		return -1;
	json_t *cfg = json_loadb(text, len, 0, NULL);
	int rc = image_config_check(cfg, name, err);
	json_decref(cfg);
	return rc;
}

static int load_docker(const struct store *st, int dirfd, struct mr_err *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	json_error_t je;
	json_t *m, *tag;
	size_t i, j;
	if (read_in(dirfd, "manifest.json", &text, &len, err) < 0)
		return -1;
	json_t *all = json_loadb(text, len, 0, &je);
	if (!json_is_array(all)) {
		json_decref(all);
		return mr_fail(err, 0, "manifest.json:%d:%d: %s", je.line, je.column,
			       all ? "expected an array" : je.text);
	}
	int rc = 0;
	json_array_foreach(all, i, m)
	{
		const char *cfg = json_string_value(json_object_get(m, "Config"));
		json_t *files = json_object_get(m, "Layers"), *f;
		char cfgd[IMAGE_DIGEST_LEN + 1], md[IMAGE_DIGEST_LEN + 1], path[4400];
		struct stat sb;
		if (!cfg || !json_is_array(files)) {
			rc = mr_fail(err, 0, "manifest.json: entry %zu has no Config or Layers", i);
			break;
		}
		json_t *tag0 = json_array_get(json_object_get(m, "RepoTags"), 0);
		if (take_blob(st, dirfd, cfg, NULL, cfgd, err) < 0 ||
		    config_ok(st, cfgd, json_is_string(tag0) ? json_string_value(tag0) : cfgd,
			      err) < 0) {
			rc = -1;
			break;
		}
		json_t *layers = json_array();
		json_array_foreach(files, j, f)
		{
			char ld[IMAGE_DIGEST_LEN + 1];
			struct layer_digests dg;
			const char *lf = json_string_value(f);
			if (!lf || take_blob(st, dirfd, lf, NULL, ld, err) < 0) {
				rc = lf ? -1
					: mr_fail(err, 0, "manifest.json: a layer is not a string");
				break;
			}
			/* the layer as docker wrote it, usually a plain tar, maybe compressed */
			store_blob_path(st, ld, path, sizeof(path));
			if (layer_digest(path, &dg, err) < 0 || !layer_media_type(dg.compression)) {
				rc = -1;
				if (!err->msg[0] || layer_media_type(dg.compression) == NULL)
					mr_fail(err, 0,
						"the archive's '%s': not a tar, gzip or zstd layer",
						lf);
				break;
			}
			stat(path, &sb);
			json_array_append_new(layers,
					      json_pack("{s:s, s:s, s:I}", "mediaType",
							layer_media_type(dg.compression), "digest",
							ld, "size", (json_int_t)sb.st_size));
		}
		store_blob_path(st, cfgd, path, sizeof(path));
		if (rc < 0 || stat(path, &sb) < 0 ||
		    image_create(st, cfgd, sb.st_size, layers, NULL, md, NULL, err) < 0) {
			json_decref(layers);
			rc = -1;
			break;
		}
		json_decref(layers);
		image_event(st, "load", cfgd, NULL, NULL);
		json_t *tags = json_object_get(m, "RepoTags");
		if (!json_array_size(tags))
			printf("Loaded image ID: %s\n", cfgd);
		json_array_foreach(tags, j, tag)
		{
			struct image_ref ref;
			char canon[600];
			if (!json_is_string(tag) ||
			    ref_parse(json_string_value(tag), &ref, err) < 0) {
				rc = -1;
				break;
			}
			ref_canonical(&ref, canon, sizeof(canon));
			if (name_loaded(st, canon, md, err) < 0) {
				rc = -1;
				break;
			}
		}
		if (rc < 0)
			break;
	}
	json_decref(all);
	return rc;
}

/* the manifest an OCI descriptor leads to: itself, or ours from an index it names */
static int oci_manifest(const struct store *st, int dirfd, json_t *desc,
			char md[IMAGE_DIGEST_LEN + 1], struct mr_err *err)
{
	const char *d = json_string_value(json_object_get(desc, "digest"));
	const char *mt = json_string_value(json_object_get(desc, "mediaType"));
	char path[600];
	if (!d || !digest_valid(d))
		return mr_fail(err, 0, "index.json: a descriptor without a sha256 digest");
	snprintf(path, sizeof(path), "blobs/sha256/%s", d + 7);
	if (take_blob(st, dirfd, path, d, md, err) < 0)
		return -1;
	if (mt && strstr(mt, "index")) {
		/* a multi-platform archive: take this machine's platform */
		_cleanup_free_ char *text = NULL;
		char os[32], arch[32], var[32];
		size_t i;
		json_t *m;
		if (store_read_blob(st, md, &text, NULL, err) < 0 ||
		    image_platform(NULL, os, arch, var, err) < 0)
			return -1;
		json_t *idx = json_loads(text, 0, NULL);
		json_array_foreach(json_object_get(idx, "manifests"), i, m)
		{
			json_t *p = json_object_get(m, "platform");
			if (!strcmp(json_string_value(json_object_get(p, "os")) ?: "", os) &&
			    !strcmp(json_string_value(json_object_get(p, "architecture")) ?: "",
				    arch)) {
				int rc = oci_manifest(st, dirfd, m, md, err);
				json_decref(idx);
				return rc;
			}
		}
		json_decref(idx);
		return mr_fail(err, 0, "the archive's index %s has no manifest for %s/%s", d, os,
			       arch);
	}
	return 0;
}

static int load_oci(const struct store *st, int dirfd, struct mr_err *err)
{
	_cleanup_free_ char *text = NULL;
	size_t i, j;
	json_t *desc, *l;
	if (read_in(dirfd, "index.json", &text, NULL, err) < 0)
		return -1;
	json_t *idx = json_loads(text, 0, NULL);
	if (!json_is_array(json_object_get(idx, "manifests"))) {
		json_decref(idx);
		return mr_fail(err, 0, "index.json: no 'manifests' array");
	}
	int rc = 0;
	json_array_foreach(json_object_get(idx, "manifests"), i, desc)
	{
		char md[IMAGE_DIGEST_LEN + 1], path[600], got[IMAGE_DIGEST_LEN + 1];
		struct image img = {0}; /* freed below also when a blob fails before image_load */
		if (oci_manifest(st, dirfd, desc, md, err) < 0) {
			rc = -1;
			break;
		}
		/* the config and layers the manifest names, each hashed on the way in */
		_cleanup_free_ char *mtext = NULL;
		json_t *man = NULL;
		if (store_read_blob(st, md, &mtext, NULL, err) < 0 ||
		    !(man = json_loads(mtext, 0, NULL))) {
			rc = man ? -1 : mr_fail(err, 0, "manifest %s: not JSON", md);
			break;
		}
		json_t *all = json_copy(json_object_get(man, "layers"));
		json_array_append(all, json_object_get(man, "config"));
		json_array_foreach(all, j, l)
		{
			const char *d = json_string_value(json_object_get(l, "digest"));
			if (!d || !digest_valid(d)) {
				rc = mr_fail(err, 0, "manifest %s: a blob without a sha256 digest",
					     md);
				break;
			}
			snprintf(path, sizeof(path), "blobs/sha256/%s", d + 7);
			if (take_blob(st, dirfd, path, d, got, err) < 0) {
				rc = -1;
				break;
			}
		}
		json_decref(all);
		json_decref(man);
		json_t *ann0 = json_object_get(desc, "annotations");
		const char *called = json_string_value(json_object_get(ann0, IMAGE_ANN_NAME));
		if (rc < 0 || image_load(st, md, &img, err) < 0 ||
		    image_config_check(img.config, called ? called : md, err) < 0 ||
		    image_unpack(st, &img, err) < 0) {
			if (img.manifest)
				image_free(&img);
			rc = -1;
			break;
		}
		/* the name: a full reference in ref.name (podman, us) or containerd's annotation;
		 * a bare tag ("latest", as `skopeo copy oci:dir:latest` writes) names nothing */
		json_t *ann = json_object_get(desc, "annotations");
		const char *names[] = {
			json_string_value(json_object_get(ann, "io.containerd.image.name")),
			json_string_value(json_object_get(ann, IMAGE_ANN_NAME)),
		};
		int named = 0;
		for (size_t k = 0; k < 2 && !named; k++) {
			struct image_ref ref;
			char canon[600];
			if (!names[k] || !strpbrk(names[k], "/:") ||
			    ref_parse(names[k], &ref, NULL) < 0)
				continue;
			ref_canonical(&ref, canon, sizeof(canon));
			if (name_loaded(st, canon, md, err) < 0) {
				rc = -1;
				break;
			}
			named = 1;
		}
		if (rc == 0 && !named) {
			if (image_add(st, NULL, md, NULL, NULL, err) < 0)
				rc = -1;
			else
				printf("Loaded image ID: %s\n", img.id);
		}
		if (rc == 0)
			image_event(st, "load", img.id, NULL, img.config);
		image_free(&img);
		if (rc < 0)
			break;
	}
	json_decref(idx);
	return rc;
}

static int rm_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	return remove(path);
}

int archive_load(const struct store *st, const char *file, struct mr_err *err)
{
	char dir[4400];
	if (store_tmp_path(st, "load", dir, sizeof(dir), err) < 0)
		return -1;
	if (mkdir(dir, 0700) < 0)
		return mr_fail(err, errno, "mkdir '%s'", dir);
	int rc = extract(file, dir, err);
	_cleanup_close_ int dirfd = rc == 0 ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (rc == 0 && dirfd < 0)
		rc = mr_fail(err, errno, "open '%s'", dir);
	if (rc == 0) {
		if (faccessat(dirfd, "manifest.json", F_OK, AT_SYMLINK_NOFOLLOW) == 0)
			rc = load_docker(st, dirfd, err);
		else if (faccessat(dirfd, "index.json", F_OK, AT_SYMLINK_NOFOLLOW) == 0)
			rc = load_oci(st, dirfd, err);
		else
			rc = mr_fail(err, 0,
				     "'%s' is not an image archive: it has neither manifest.json "
				     "(docker-archive) nor index.json (oci-archive)",
				     file);
	}
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return rc;
}

int cmd_load(int argc, char **argv)
{
	static const struct option opts[] = {
		{"input", required_argument, NULL, 'i'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *file = "/dev/stdin";
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":i:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'i': file = optarg; break;
		case 'q': break;
		case 'h':
			printf("Usage:  minirun load [OPTIONS]\n\n"
			       "Load an image from a tar archive (docker-archive or oci-archive) or "
			       "STDIN\n\n"
			       "Options:\n"
			       "  -i, --input string   Read from tar archive file, instead of STDIN\n"
			       "  -q, --quiet          Accepted for docker's sake\n");
			return 0;
		default: return mr_flag_error(c, "load", argv);
		}
	}
	if (optind < argc)
		return mr_operand_error("load", "\"load\" accepts no arguments.");
	if (!strcmp(file, "/dev/stdin") && isatty(STDIN_FILENO))
		return image_errorf("requested load from stdin, but stdin is empty: use -i FILE");
	struct store st;
	struct mr_err err = {0};
	if (image_open_store(&st))
		return 1;
	int rc = 0;
	if (store_lock(&st, STORE_ADDING, &err) < 0 || archive_load(&st, file, &err) < 0)
		rc = 1;
	store_unlock(&st, STORE_ADDING);
	if (rc) {
		image_error(&err);
		store_gc(&st, NULL, NULL); /* nothing partial: unnamed blobs go */
	}
	store_close(&st);
	return rc;
}

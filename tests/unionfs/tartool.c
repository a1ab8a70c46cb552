/*
 * tests/unionfs/tartool.c - the unionfs test suites' helper: build tar files entry by entry
 * (hostile ones included), and print a directory tree as a manifest to compare trees.
 *
 * The VM tier has no python, no GNU tar options and no getfattr/setfattr, so the suites
 * build their layers and compare their trees with this one small program:
 *
 *   tartool mktar [-z|-Z] OUT.tar < SPEC     one entry per SPEC line, paths written as given:
 *       dir PATH [OPT...]                    OPT: mode=0755 uid=0 gid=0 mtime=N
 *       file PATH [data=TEXT] [size=N] [OPT...]   xattr=NAME=VALUE (repeatable)
 *       symlink PATH TARGET [OPT...]         hardlink PATH TARGET
 *       chr|blk PATH MAJOR MINOR [OPT...]    fifo PATH [OPT...]
 *   tartool manifest [-a] [-t] DIR           one line per entry below DIR, sorted:
 *       PATH TYPE MODE UID:GID SIZE SHA256|TARGET|MAJ,MIN [xattrs] [mtime with -t]
 *       (-a: include trusted.overlay.* xattrs, left out by default; -t: mtimes too)
 *   tartool getxattr PATH NAME               print the value (exit 1 if none)
 *   tartool setxattr PATH NAME VALUE
 *
 * Build: `make unionfs` (tests/unionfs/tartool).
 */
#include "lib/err.h"
#include "unionfs/layer.h"
#include "unionfs/overlay.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out, "usage: tartool mktar [-z|-Z] OUT.tar < SPEC\n"
		     "       tartool manifest [-a] [-t] DIR\n"
		     "       tartool getxattr PATH NAME\n"
		     "       tartool setxattr PATH NAME VALUE\n");
}

/* options common to every entry kind: mode= uid= gid= mtime= xattr=N=V data= size= */
static void opt(struct archive_entry *e, const char *o, const char **data, long *size)
{
	if (!strncmp(o, "mode=", 5))
		archive_entry_set_perm(e, (mode_t)strtol(o + 5, NULL, 8));
	else if (!strncmp(o, "uid=", 4))
		archive_entry_set_uid(e, atol(o + 4));
	else if (!strncmp(o, "gid=", 4))
		archive_entry_set_gid(e, atol(o + 4));
	else if (!strncmp(o, "mtime=", 6))
		archive_entry_set_mtime(e, atol(o + 6), 0);
	else if (!strncmp(o, "data=", 5))
		*data = o + 5;
	else if (!strncmp(o, "size=", 5))
		*size = atol(o + 5);
	else if (!strncmp(o, "xattr=", 6)) {
		char *eq = strchr(o + 6, '=');
		if (!eq)
			mr_diex(2, "xattr option '%s' needs NAME=VALUE", o);
		char name[256];
		snprintf(name, sizeof(name), "%.*s", (int)(eq - o - 6), o + 6);
		archive_entry_xattr_add_entry(e, name, eq + 1, strlen(eq + 1));
	} else
		mr_diex(2, "unknown option '%s'", o);
}

static int mktar(int argc, char **argv)
{
	int z = 0;
	if (argc > 2 && (!strcmp(argv[1], "-z") || !strcmp(argv[1], "-Z"))) {
		z = (unsigned char)argv[1][1];
		argv++;
		argc--;
	}
	if (argc != 2)
		mr_diex(2, "mktar needs OUT.tar");
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	if (z == 'z')
		archive_write_add_filter_gzip(a);
	if (z == 'Z')
		archive_write_add_filter_zstd(a);
	if (archive_write_open_filename(a, argv[1]) != ARCHIVE_OK)
		mr_diex(1, "%s: %s", argv[1], archive_error_string(a));
	char line[8192];
	struct archive_entry *e = archive_entry_new();
	while (fgets(line, sizeof(line), stdin)) {
		char *tok[64];
		int n = 0;
		for (char *s = strtok(line, " \t\n"); s && n < 64; s = strtok(NULL, " \t\n"))
			tok[n++] = s;
		if (n == 0 || tok[0][0] == '#')
			continue;
		if (n < 2)
			mr_diex(2, "spec line '%s' needs a path", tok[0]);
		archive_entry_clear(e);
		archive_entry_set_pathname(e, tok[1]);
		archive_entry_set_mtime(e, 1000000000, 0);
		int first = 2;
		const char *data = NULL;
		long size = -1;
		if (!strcmp(tok[0], "dir")) {
			archive_entry_set_filetype(e, AE_IFDIR);
			archive_entry_set_perm(e, 0755);
		} else if (!strcmp(tok[0], "file")) {
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_perm(e, 0644);
		} else if (!strcmp(tok[0], "symlink") || !strcmp(tok[0], "hardlink")) {
			if (n < 3)
				mr_diex(2, "%s needs a target", tok[0]);
			if (tok[0][0] == 's') {
				archive_entry_set_filetype(e, AE_IFLNK);
				archive_entry_set_perm(e, 0777);
				archive_entry_set_symlink(e, tok[2]);
			} else {
				archive_entry_set_filetype(e, AE_IFREG);
				archive_entry_set_perm(e, 0644);
				archive_entry_set_hardlink(e, tok[2]);
			}
			first = 3;
		} else if (!strcmp(tok[0], "chr") || !strcmp(tok[0], "blk")) {
			if (n < 4)
				mr_diex(2, "%s needs MAJOR MINOR", tok[0]);
			archive_entry_set_filetype(e, tok[0][0] == 'c' ? AE_IFCHR : AE_IFBLK);
			archive_entry_set_perm(e, 0644);
			archive_entry_set_rdev(e, makedev(atoi(tok[2]), atoi(tok[3])));
			first = 4;
		} else if (!strcmp(tok[0], "fifo")) {
			archive_entry_set_filetype(e, AE_IFIFO);
			archive_entry_set_perm(e, 0644);
		} else {
			mr_diex(2, "unknown entry kind '%s'", tok[0]);
		}
		for (int i = first; i < n; i++)
			opt(e, tok[i], &data, &size);
		size_t len = data ? strlen(data) : size > 0 ? (size_t)size : 0;
		if (archive_entry_filetype(e) == AE_IFREG && !archive_entry_hardlink(e))
			archive_entry_set_size(e, (la_int64_t)len);
		if (archive_write_header(a, e) < ARCHIVE_WARN)
			mr_diex(1, "%s: %s", tok[1], archive_error_string(a));
		if (data)
			archive_write_data(a, data, len);
		for (long i = 0; !data && size > 0 && i < size; i += 4096) {
			static char block[4096];
			memset(block, 'a' + (int)(i / 4096 % 26), sizeof(block));
			archive_write_data(a, block, (size_t)(size - i < 4096 ? size - i : 4096));
		}
	}
	archive_entry_free(e);
	if (archive_write_close(a) != ARCHIVE_OK)
		mr_diex(1, "%s: %s", argv[1], archive_error_string(a));
	archive_write_free(a);
	return 0;
}

static int all_xattrs, with_mtime;

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sha(const char *path, char out[LAYER_DIGEST_SIZE])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	int fd = open(path, O_RDONLY);
	char buf[65536];
	ssize_t n;
	while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
		EVP_DigestUpdate(c, buf, (size_t)n);
	if (fd >= 0)
		close(fd);
	unsigned char md[32];
	unsigned int len;
	EVP_DigestFinal_ex(c, md, &len);
	EVP_MD_CTX_free(c);
	for (unsigned i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
}

static void xattrs(const char *path)
{
	char list[16384];
	ssize_t len = llistxattr(path, list, sizeof(list));
	char *names[256] = {NULL};
	int n = 0;
	for (char *k = list; len > 0 && k < list + len && n < 256; k += strlen(k) + 1)
		if (all_xattrs ||
		    strncmp(k, LAYER_OVL_XATTR_PREFIX, strlen(LAYER_OVL_XATTR_PREFIX)))
			names[n++] = k;
	qsort(names, (size_t)n, sizeof(*names), cmp);
	for (int i = 0; i < n; i++) {
		unsigned char v[4096];
		ssize_t vl = lgetxattr(path, names[i], v, sizeof(v));
		printf(" %s=", names[i]);
		for (ssize_t j = 0; j < vl; j++)
			printf(v[j] > 32 && v[j] < 127 && v[j] != '%' ? "%c" : "%%%02x", v[j]);
	}
}

static void manifest(const char *root, const char *rel)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s%s", root, rel);
	DIR *d = opendir(dir);
	if (!d)
		mr_die("opendir '%s'", dir);
	char **v = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			char **nv = realloc(v, (n + 1) * sizeof(*v));
			if (!nv || !(nv[n] = strdup(de->d_name)))
				mr_die("readdir '%s'", dir);
			v = nv;
			n++;
		}
	closedir(d);
	if (v)
		qsort(v, n, sizeof(*v), cmp);
	for (size_t i = 0; i < n; i++) {
		char sub[PATH_MAX], path[PATH_MAX * 2];
		snprintf(sub, sizeof(sub), "%s/%s", rel, v[i]);
		snprintf(path, sizeof(path), "%s%s", root, sub);
		struct stat st;
		if (lstat(path, &st) < 0)
			mr_die("lstat '%s'", path);
		static const char types[] = "?pc?d?b?-?l?s";
		printf("%s %c %04o %u:%u", sub, types[(st.st_mode & S_IFMT) >> 12],
		       st.st_mode & 07777, st.st_uid, st.st_gid);
		if (S_ISREG(st.st_mode)) {
			char h[LAYER_DIGEST_SIZE];
			sha(path, h);
			printf(" %lld %.16s", (long long)st.st_size, h);
		} else if (S_ISLNK(st.st_mode)) {
			char t[PATH_MAX];
			ssize_t l = readlink(path, t, sizeof(t) - 1);
			printf(" -> %.*s", (int)(l < 0 ? 0 : l), t);
		} else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
			printf(" %u,%u", major(st.st_rdev), minor(st.st_rdev));
		}
		xattrs(path);
		if (with_mtime)
			printf(" mtime=%lld", (long long)st.st_mtime);
		printf("\n");
		if (S_ISDIR(st.st_mode))
			manifest(root, sub);
		free(v[i]);
	}
	free(v);
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "mktar"))
		return mktar(argc - 1, argv + 1);
	if (!strcmp(argv[1], "manifest")) {
		int i = 2;
		for (; i < argc && argv[i][0] == '-'; i++) {
			all_xattrs |= strchr(argv[i], 'a') != NULL;
			with_mtime |= strchr(argv[i], 't') != NULL;
		}
		if (i != argc - 1)
			mr_diex(2, "manifest needs DIR");
		manifest(argv[i], "");
		return 0;
	}
	if (!strcmp(argv[1], "getxattr") && argc == 4) {
		char v[4096];
		ssize_t n = lgetxattr(argv[2], argv[3], v, sizeof(v));
		if (n < 0)
			return 1;
		printf("%.*s\n", (int)n, v);
		return 0;
	}
	if (!strcmp(argv[1], "setxattr") && argc == 5) {
		if (lsetxattr(argv[2], argv[3], argv[4], strlen(argv[4]), 0) < 0)
			mr_die("setxattr '%s' %s", argv[2], argv[3]);
		return 0;
	}
	usage(stderr);
	return 2;
}

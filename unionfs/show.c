/*
 * unionfs/show.c - what a container changed, read from its overlay upper directory.
 *
 * The upper directory *is* the container's diff: every file there was added or changed,
 * every whiteout (character device 0/0) is a deletion, and an opaque directory hides all
 * the lowers had in it. This prints it the way `docker diff` does, deciding A (added) or
 * C (changed) by looking for the same path in the lower layers:
 *
 *	$ unionfs/show c/upper img/2 img/1
 *	C /etc
 *	A /etc/motd.new
 *	D /etc/motd
 *
 * With -o it prints instead the merged view the container sees, and where each visible
 * path comes from - the upper layer or lower N (1 = top):
 *
 *	$ unionfs/show -o c/upper img/2 img/1
 *	lower 2  /bin/sh
 *	upper    /etc/motd.new
 *
 * Without LOWERs every change shows as A: nothing to compare with.
 * See: Documentation/filesystems/overlayfs.rst, docker-container-diff(1).
 * Build and run: `make unionfs && ./unionfs/show UPPER [LOWER...]`.
 */
#include "lib/err.h"
#include "unionfs/overlay.h"

#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAXLAYERS (OVL_MAX_LOWERS + 1)
static const char *layer[MAXLAYERS]; /* layer[0] = upper, then the lowers, top first */
static size_t nlayers;

static void usage(FILE *out)
{
	fprintf(out,
		"usage: show [-o] UPPER [LOWER...]\n"
		"Print what UPPER changed over the LOWERs (top first), as docker diff does.\n"
		"\n"
		"  -o, --origin   print the merged view instead: each visible path and its layer\n"
		"  -h, --help     show this help\n");
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* names - the sorted entries of directory PATH (NULL if it is not one); *n their count */
static char **names(const char *path, size_t *n)
{
	DIR *d = opendir(path);
	*n = 0;
	if (!d)
		return NULL;
	char **v = NULL;
	struct dirent *de;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			char **nv = realloc(v, (*n + 1) * sizeof(*v));
			if (!nv || !(nv[*n] = strdup(de->d_name)))
				mr_die("readdir '%s'", path);
			v = nv;
			(*n)++;
		}
	closedir(d);
	if (v)
		qsort(v, *n, sizeof(*v), cmp);
	return v;
}

/*
 * in_lowers - does REL ("/a/b") exist in the lowers' merged view? Looks up each lower, top
 * first, component by component as overlay does: a whiteout or a non-directory on the way
 * means "not there", and an opaque directory on the way hides the lowers below it.
 */
static int in_lowers(const char *rel)
{
	for (size_t i = 1; i < nlayers; i++) {
		int opaque_on_way = 0;
		for (const char *c = rel + 1;; c++) {
			if (*c != '/' && *c != '\0')
				continue;
			char p[PATH_MAX];
			struct stat st;
			snprintf(p, sizeof(p), "%s%.*s", layer[i], (int)(c - rel), rel);
			if (lstat(p, &st) < 0)
				break; /* not in this layer: try the next one down */
			if (ovl_is_whiteout(&st))
				return 0;
			if (*c == '\0')
				return 1;
			if (!S_ISDIR(st.st_mode))
				return 0;
			opaque_on_way |= ovl_is_opaque(AT_FDCWD, p, NULL) == 1;
		}
		if (opaque_on_way)
			return 0;
	}
	return 0;
}

/* changes - docker diff of directory REL ("" = root) of the upper; HIDDEN: an opaque
 * directory above hides the lowers, so everything below it is new */
static void changes(const char *rel, int hidden)
{
	char p[PATH_MAX];
	size_t n;
	snprintf(p, sizeof(p), "%s%s", layer[0], rel);
	char **v = names(p, &n);
	for (size_t i = 0; i < n; i++) {
		char sub[PATH_MAX];
		struct stat st;
		snprintf(sub, sizeof(sub), "%s/%s", rel, v[i]);
		snprintf(p, sizeof(p), "%s%s", layer[0], sub);
		if (lstat(p, &st) < 0)
			mr_die("lstat '%s'", p);
		if (ovl_is_whiteout(&st)) {
			if (!hidden) /* a whiteout under an opaque dir hides nothing new */
				printf("D %s\n", sub);
		} else {
			int opq = S_ISDIR(st.st_mode) && ovl_is_opaque(AT_FDCWD, p, NULL) == 1;
			int there = !hidden && in_lowers(sub);
			printf("%c %s%s\n", there ? 'C' : 'A', sub,
			       opq && there ? "   (opaque: what the lowers had here is hidden)"
					    : "");
			if (S_ISDIR(st.st_mode))
				changes(sub, hidden || opq);
		}
		free(v[i]);
	}
	free(v);
}

/* origins - the merged view of directory REL: each visible name and the layer it comes
 * from. FIRST is the topmost layer that has REL as a directory. */
static void origins(const char *rel, size_t first)
{
	char **seen = NULL;
	size_t nseen = 0;
	for (size_t i = first; i < nlayers; i++) {
		char p[PATH_MAX];
		struct stat st;
		snprintf(p, sizeof(p), "%s%s", layer[i], rel);
		if (lstat(p, &st) < 0)
			continue;
		if (!S_ISDIR(st.st_mode))
			break; /* a file or whiteout here hides the directories below */
		size_t n;
		char **v = names(p, &n);
		for (size_t j = 0; j < n; j++) {
			/* bsearch(NULL, 0) is undefined: nothing is seen before the first name */
			if (nseen && bsearch(&v[j], seen, nseen, sizeof(*seen), cmp)) {
				free(v[j]);
				continue;
			}
			char sub[PATH_MAX], q[PATH_MAX];
			snprintf(sub, sizeof(sub), "%s/%s", rel, v[j]);
			snprintf(q, sizeof(q), "%s%s", layer[i], sub);
			struct stat cs;
			if (lstat(q, &cs) == 0 && !ovl_is_whiteout(&cs)) {
				if (i == 0)
					printf("upper    %s\n", sub);
				else
					printf("lower %-2zu %s\n", i, sub);
				if (S_ISDIR(cs.st_mode))
					origins(sub, i);
			}
			seen = realloc(seen, (nseen + 1) * sizeof(*seen));
			if (!seen)
				mr_die("realloc");
			seen[nseen++] = v[j]; /* a whiteout is "seen" too: it hides the lowers */
			qsort(seen, nseen, sizeof(*seen), cmp);
		}
		free(v);
		if (ovl_is_opaque(AT_FDCWD, p, NULL) == 1)
			break; /* opaque: the lowers' contents of this directory are hidden */
	}
	for (size_t j = 0; j < nseen; j++)
		free(seen[j]);
	free(seen);
}

int main(int argc, char **argv)
{
	int origin = 0;
	int c;
	static const struct option longopts[] = {{"origin", no_argument, NULL, 'o'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	opterr = 0;
	while ((c = getopt_long(argc, argv, "oh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': origin = 1; break;
		case 'h': usage(stdout); return 0;
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'show -h'",
				argv[optind - 1]);
		}
	}
	if (optind >= argc)
		mr_diex(MR_EXIT_USAGE, "need an UPPER directory; see 'show -h'");
	for (; optind < argc && nlayers < MAXLAYERS; optind++) {
		struct stat st;
		if (stat(argv[optind], &st) < 0 || !S_ISDIR(st.st_mode))
			mr_diex(1, "%s '%s': not a directory", nlayers ? "lower" : "upper",
				argv[optind]);
		layer[nlayers++] = argv[optind];
	}
	if (origin)
		origins("", 0);
	else
		changes("", 0);
	return 0;
}

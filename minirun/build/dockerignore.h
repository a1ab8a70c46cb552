/*
 * minirun/build/dockerignore.h - which files of the build context .dockerignore leaves out.
 *
 * The file, as docker reads it: one pattern a line; a line starting with # is a comment;
 * blanks around a pattern go; each pattern is cleaned as a path (`./a//b/` -> `a/b`) and
 * a leading / dropped (patterns are relative to the context's root either way); `!` in
 * front makes an exception that takes back what an earlier pattern left out.
 *
 * A pattern is matched against a path relative to the context (`src/main.c`):
 *
 *   *        any run of characters but /        *.o       a.o, not src/a.o
 *   ?        one character but /                ?.txt     a.txt
 *   [a-z]    one of a set ([^a-z]: not one of)  [ab].c    a.c b.c
 *   \c       c itself                           \*        a file named *
 *   **       any number of directories, even none: "**" then "/a.o" is a.o, src/x/a.o
 *
 * and a path is left out when the LAST pattern that matches it, or one of the directories
 * above it, is not an exception: order matters, so `*.md` then `!README.md` keeps README.md,
 * and `!README.md` then `*.md` does not.
 *
 * See: https://docs.docker.com/build/concepts/context/#dockerignore-files ;
 *      moby/patternmatcher (the behaviour, not the code).
 */
#ifndef MR_BUILD_DOCKERIGNORE_H
#define MR_BUILD_DOCKERIGNORE_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/err.h"

struct ignore_pattern;

struct dockerignore {
	struct ignore_pattern *patterns;
	size_t n;
	bool exceptions; /* some pattern starts with ! (a left-out directory may hold
			    files an exception takes back: walk into it) */
};

/*
 * dockerignore_parse - the patterns of TEXT (a .dockerignore file's LEN bytes). Returns 0
 * with *di filled (free with dockerignore_free), or -1 with err: a lone `!` is docker's
 * `illegal exclusion pattern: "!"`, an open `[` is "syntax error in pattern".
 */
int dockerignore_parse(const char *text, size_t len, struct dockerignore *di, struct mr_err *err);

/* dockerignore_add - one pattern, as one line of the file would give it */
int dockerignore_add(struct dockerignore *di, const char *pattern, struct mr_err *err);

/* dockerignore_load - the CONTEXT_DIR/.dockerignore file; none is no pattern at all */
int dockerignore_load(const char *context_dir, struct dockerignore *di, struct mr_err *err);

/*
 * dockerignore_excludes - is PATH (relative to the context, / separated; it is cleaned
 * first) left out of the context? "." (the context itself) never is.
 */
bool dockerignore_excludes(const struct dockerignore *di, const char *path);

void dockerignore_free(struct dockerignore *di);

/* ignore_clean_path - Go's path.Clean in place: `./a//b/../c/` -> `a/c`, "" -> "." */
void ignore_clean_path(char *path);

#endif

/*
 * minirun/build/shlex.h - the Dockerfile's shell lexer: quotes, escapes, $VAR substitution.
 *
 * A Dockerfile is not run by a shell, yet some of its instructions (ENV, ARG, LABEL, COPY,
 * ADD, FROM, WORKDIR, USER, EXPOSE, VOLUME, STOPSIGNAL, and ONBUILD's copies of them) replace
 * variables as a POSIX shell would, with the values the build knows at that point. This is
 * that lexer, as BuildKit's (frontend/dockerfile/shell) does it:
 *
 *   $V  ${V}            the value, "" when V is unset
 *   ${V:-w}  ${V-w}     w when V is unset or empty (":-") / only when unset ("-")
 *   ${V:+w}  ${V+w}     w when V is set and not empty (":+") / set at all ("+"), else ""
 *   ${V:?m}  ${V?m}     the value, or an error "V: m" when unset/empty (":?") or unset ("?")
 *   ${V#p} ${V##p}      V without its shortest / longest prefix matching the glob p
 *   ${V%p} ${V%%p}      V without its shortest / longest suffix matching p
 *   ${V/p/r} ${V//p/r}  the first / every match of p replaced by r
 *   'single'            everything literal;  "double": $ expands, \" \$ \\ escape
 *   \c                  c, literally (the escape character is the file's: \ or `)
 *
 * and `shlex_words` then splits the result into words at unquoted blanks, as the shell
 * does after expansion (a quoted blank, or one that came out of a variable inside quotes,
 * stays in its word). Every error is one line in BuildKit's words, e.g.
 * `failed to process "${A": syntax error: missing '}'`.
 *
 * See: https://docs.docker.com/reference/dockerfile/#environment-replacement,
 *      POSIX sh "Parameter Expansion" (XCU 2.6.2).
 */
#ifndef MR_BUILD_SHLEX_H
#define MR_BUILD_SHLEX_H

#include <stddef.h>

#include "lib/err.h"

/* Where the lexer looks a name up: returns the value, or NULL when NAME is not set. */
struct shlex_env {
	const char *(*get)(void *ctx, const char *name);
	void *ctx;
};

/* Options, BuildKit's Lex fields (the parser needs the first three to find heredocs). */
enum shlex_opt {
	SHLEX_RAW_QUOTES = 1 << 0,  /* keep the quote characters in the result */
	SHLEX_RAW_ESCAPES = 1 << 1, /* keep the escape characters in the result */
	SHLEX_SKIP_UNSET = 1 << 2,  /* leave $V / ${V...} as written when V is unset */
	SHLEX_NO_QUOTES = 1 << 3,   /* treat ' and " as ordinary characters */
};

/*
 * shlex_word - expand WORD with ENV (may be NULL: nothing is set); blanks are kept.
 * ESCAPE is the file's escape character ('\\' or '`'). Returns 0 and a malloc'd *out, or
 * -1 with err ("failed to process \"WORD\": ...").
 */
int shlex_word(const char *word, int escape, unsigned opts, const struct shlex_env *env, char **out,
	       struct mr_err *err);

/*
 * shlex_words - expand WORD, then split it into words (empty words are dropped, as BuildKit
 * drops them). Returns 0 with a malloc'd NULL-terminated array of malloc'd strings in *words
 * and its length in *n (free with shlex_free_words), or -1 with err.
 */
int shlex_words(const char *word, int escape, unsigned opts, const struct shlex_env *env,
		char ***words, size_t *n, struct mr_err *err);

void shlex_free_words(char **words);

/*
 * An environment made of "KEY=VALUE" strings (docker's Env list); a later KEY wins, and
 * "KEY" alone is KEY set to "". Use as:
 *	struct shlex_list l = {kv, n};
 *	struct shlex_env env = SHLEX_ENV_LIST(&l);
 */
struct shlex_list {
	char *const *kv;
	size_t n;
};
const char *shlex_list_get(void *ctx, const char *name);
#define SHLEX_ENV_LIST(list) ((struct shlex_env){shlex_list_get, (void *)(list)})

/*
 * shlex_glob_match - does the whole of S[0..len) match the shell pattern PAT (* any run,
 * ? any one character, \c the character c)? The patterns of ${V#p}, ${V%p}, ${V/p/r}.
 * Returns 1 or 0, or -1 when PAT has an escape BuildKit refuses ("invalid escape '\x'").
 */
int shlex_glob_match(const char *pat, const char *s, size_t len);

#endif

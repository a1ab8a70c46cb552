/*
 * minirun/build/dockerfile.h - a Dockerfile, parsed: the instructions as written.
 *
 * The parse is BuildKit's first stage and nothing more: it reads the file's lines (parser
 * directives, comments, continuations, heredocs), splits each instruction into its keyword,
 * its --flags and its arguments by that instruction's rule, and validates nothing else. An
 * unknown keyword, a missing argument or an unknown flag is the next stage's business (the
 * builder's, or a linter's), which is why a linter can reuse this AST as it stands:
 *
 *	struct dockerfile df = {0};
 *	if (dockerfile_parse_file("Dockerfile", &df, &err) < 0)
 *		...                         // "Dockerfile:3: ENV must have two arguments"
 *	for (size_t i = 0; i < df.n; i++)
 *		if (df.instrs[i].kind == DF_RUN && !df.instrs[i].json) ...
 *	dockerfile_free(&df);
 *
 * How each instruction's arguments are split (BuildKit's "line parsers"):
 *
 *   FROM EXPOSE                 words at blanks           FROM a AS b  -> "a" "AS" "b"
 *   RUN CMD ENTRYPOINT SHELL    a JSON string array, else the rest as one string
 *   COPY ADD VOLUME             a JSON string array, else words at blanks
 *   ENV LABEL                   key, value, separator triples: A=1 -> "A" "1" "="; the old
 *                               form `ENV A 1 2` -> "A" "1 2" ""; quotes are kept as written
 *   ARG                         words (quotes kept): ARG a=1 b -> "a=1" "b"
 *   HEALTHCHECK                 the type word, then RUN's rule: CMD x y -> "CMD" "x y"
 *   ONBUILD                     the instruction it carries, parsed the same way (`sub`)
 *   MAINTAINER STOPSIGNAL USER WORKDIR   the rest as one string
 *   anything else               no arguments (the builder refuses it, the parser does not)
 *
 * JSON that does not parse is not an error: it is the shell form (`CMD [oops` runs
 * "/bin/sh -c '[oops'"), as docker does; a JSON array holding something that is not a
 * string is an error. Flags are the leading words that start with `--`, quotes removed
 * (`COPY --from=build a b`: "--from=build"); `--` ends them.
 *
 * See: https://docs.docker.com/reference/dockerfile/ ; BuildKit's
 *      frontend/dockerfile/parser (the behaviour; no code is taken from it).
 */
#ifndef MR_BUILD_DOCKERFILE_H
#define MR_BUILD_DOCKERFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lib/err.h"

enum df_kind {
	DF_UNKNOWN = 0, /* a keyword the format does not have */
	DF_ADD,
	DF_ARG,
	DF_CMD,
	DF_COPY,
	DF_ENTRYPOINT,
	DF_ENV,
	DF_EXPOSE,
	DF_FROM,
	DF_HEALTHCHECK,
	DF_LABEL,
	DF_MAINTAINER,
	DF_ONBUILD,
	DF_RUN,
	DF_SHELL,
	DF_STOPSIGNAL,
	DF_USER,
	DF_VOLUME,
	DF_WORKDIR,
	DF_KIND_COUNT
};

/* A here-document: RUN <<EOF ... EOF, COPY <<a.txt <<b.txt /dir/, 3<<-END ... */
struct df_heredoc {
	char *name;    /* the delimiter word, quotes removed: <<"EOF" -> EOF */
	unsigned fd;   /* the digits before <<, 0 when none */
	bool expand;   /* no part of the word was quoted: $V in the content expands */
	bool chomp;    /* <<- : leading tabs go from each content line and the terminator */
	char *content; /* the lines between, each with its newline, as written (unchomped) */
};

struct df_instr {
	enum df_kind kind;
	char *keyword;  /* as written ("RUN", "run", "Run"): the casing is a lint's business */
	char *original; /* the whole logical line, continuations joined, ends trimmed */
	char **flags;   /* "--from=build", NULL-terminated; nflags of them */
	size_t nflags;
	char **args; /* the arguments, by the kind's rule above; NULL-terminated */
	size_t nargs;
	bool json;                   /* the arguments came from a JSON array (exec form) */
	struct df_instr *sub;        /* ONBUILD's instruction, else NULL */
	struct df_heredoc *heredocs; /* in the order their << appear; nheredocs of them */
	size_t nheredocs;
	int start_line, end_line; /* 1-based, the heredocs' bodies included */
	char **comments;          /* the comment lines just above it, '#' and blanks trimmed */
	size_t ncomments;
};

struct dockerfile {
	struct df_instr *instrs;
	size_t n;
	char escape;     /* the escape character: '\\', or '`' after # escape=` */
	char *syntax;    /* the values of the # syntax= and # check= directives, else NULL: */
	char *check;     /* noted, and not acted on (there is no frontend image to switch to) */
	char **warnings; /* "Empty continuation line found in: RUN a b", NULL-terminated */
	size_t nwarnings;
	int error_line; /* after a failed parse: the line the error names (0: none) */
};

/*
 * dockerfile_parse - parse the LEN bytes of TEXT. NAME prefixes errors ("NAME:LINE: ...").
 * Returns 0 with *df filled (free it with dockerfile_free), or -1 with err, df->error_line
 * set and nothing else in *df. The errors are docker's: "file with no instructions",
 * "unterminated heredoc", "ENV must have two arguments", "only one escape parser directive
 * can be used", ...
 */
int dockerfile_parse(const char *text, size_t len, const char *name, struct dockerfile *df,
		     struct mr_err *err);

/* dockerfile_parse_file - dockerfile_parse of the file at PATH ("-": standard input). */
int dockerfile_parse_file(const char *path, struct dockerfile *df, struct mr_err *err);

void dockerfile_free(struct dockerfile *df);

/* df_flag - the value of --NAME in IN's flags: "x" for --NAME=x, "" for a bare --NAME,
 * NULL when IN has no such flag (the last one given wins, as BuildKit's flag parser). */
const char *df_flag(const struct df_instr *in, const char *name);

/* The keyword table: DF_RUN <-> "RUN" (any case in); DF_UNKNOWN for anything else. */
enum df_kind df_kind_of(const char *keyword);
const char *df_kind_name(enum df_kind kind);

/*
 * df_heredoc_text - the content as the builder uses it: with <<- (chomp) the leading tabs
 * of every line removed. Returns a malloc'd string, or NULL when out of memory.
 */
char *df_heredoc_text(const struct df_heredoc *h);

/*
 * The dump: BuildKit's parser notation, one line per instruction, the keyword lower-cased,
 * the flags as one list, then each argument quoted as Go quotes a string:
 *
 *	(from "busybox")
 *	(healthcheck ["--interval=5s" "--timeout=3s"] "CMD" "/check --quiet")
 *	(env "GOPATH" "/go" "")
 *	(onbuild (run "echo hi"))
 *
 * df_dump_instr returns the line without its newline, malloc'd (NULL when out of memory);
 * dockerfile_dump writes every line to OUT and returns 0, or -1 with errno on a write error.
 */
char *df_dump_instr(const struct df_instr *in);
int dockerfile_dump(const struct dockerfile *df, FILE *out);

/* df_go_quote - S as Go's strconv.Quote writes it ("a\tb\"c"), appended to a malloc'd
 * string; NULL when out of memory. */
char *df_go_quote(const char *s);

#endif

/*
 * tests/unit/test_build_parse.c - minirun/build's Dockerfile parser and its dump, with cases
 * written from the Dockerfile reference (docs.docker.com/reference/dockerfile): each case
 * is a Dockerfile and the parse BuildKit's notation shows for it, or the error it gets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minirun/build/dockerfile.h"
#include "tests/unit/unit.h"

/* the dump of TEXT, one "(...)" line per instruction, or "error: MSG" */
static char *parse_dump(const char *text, struct dockerfile *df)
{
	struct mr_err err = {0};
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (dockerfile_parse(text, strlen(text), "Dockerfile", df, &err) < 0)
		fprintf(f, "error: %s\n", err.msg);
	else
		dockerfile_dump(df, f);
	fclose(f);
	return out;
}

struct dump_case {
	const char *what, *in, *out;
};

static void check_dumps(const struct dump_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct dockerfile df = {0};
		char *got = parse_dump(c[i].in, &df);
		if (strcmp(got, c[i].out) != 0) {
			fprintf(stderr, "\n%s:\n  want %s  got  %s", c[i].what, c[i].out, got);
			CU_FAIL(c[i].what);
		} else {
			CU_PASS(c[i].what);
		}
		free(got);
		dockerfile_free(&df);
	}
}

#define CHECK_DUMPS(cases) check_dumps(cases, sizeof(cases) / sizeof((cases)[0]))

static void instructions_and_their_argument_rules(void)
{
	static const struct dump_case cases[] = {
		{"FROM image", "FROM busybox\n", "(from \"busybox\")\n"},
		{"FROM ... AS name: words", "from busybox AS base\n",
		 "(from \"busybox\" \"AS\" \"base\")\n"},
		{"FROM --platform", "FROM --platform=linux/amd64 alpine:3.19\n",
		 "(from [\"--platform=linux/amd64\"] \"alpine:3.19\")\n"},
		{"RUN shell form is one string", "FROM a\nRUN echo hi  there\n",
		 "(from \"a\")\n(run \"echo hi  there\")\n"},
		{"RUN exec form", "FROM a\nRUN [\"echo\", \"hi\"]\n",
		 "(from \"a\")\n(run \"echo\" \"hi\")\n"},
		{"CMD JSON that does not parse is the shell form", "CMD [oops\n",
		 "(cmd \"[oops\")\n"},
		{"CMD JSON escapes decoded", "CMD [\"echo\", \"\\u00e9\\t\"]\n",
		 "(cmd \"echo\" \"\xc3\xa9\\t\")\n"},
		{"ENTRYPOINT exec form", "ENTRYPOINT [\"/bin/app\", \"--flag\"]\n",
		 "(entrypoint \"/bin/app\" \"--flag\")\n"},
		{"SHELL", "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n",
		 "(shell \"/bin/bash\" \"-o\" \"pipefail\" \"-c\")\n"},
		{"ENV old form: key, the rest, \"\"", "ENV GOPATH /go\n",
		 "(env \"GOPATH\" \"/go\" \"\")\n"},
		{"ENV old form keeps the value's blanks", "ENV MSG hello   world\n",
		 "(env \"MSG\" \"hello   world\" \"\")\n"},
		{"ENV key=value pairs keep quotes and escapes", "ENV A=1 B=\"x y\" C=a\\ b\n",
		 "(env \"A\" \"1\" \"=\" \"B\" \"\\\"x y\\\"\" \"=\" \"C\" \"a\\\\ b\" \"=\")\n"},
		{"LABEL pairs", "LABEL version=\"1.0\" description=\"a b\"\n",
		 "(label \"version\" \"\\\"1.0\\\"\" \"=\" \"description\" \"\\\"a b\\\"\" \"=\")\n"},
		{"ARG words", "ARG VERSION=latest\nARG a b=2\n",
		 "(arg \"VERSION=latest\")\n(arg \"a\" \"b=2\")\n"},
		{"ARG keeps quotes", "ARG MSG=\"hello world\"\n",
		 "(arg \"MSG=\\\"hello world\\\"\")\n"},
		{"COPY flags then sources and destination",
		 "COPY --from=build --chown=app:app /out /usr/bin/\n",
		 "(copy [\"--from=build\" \"--chown=app:app\"] \"/out\" \"/usr/bin/\")\n"},
		{"COPY JSON form keeps blanks in names", "COPY [\"a b\", \"/c/\"]\n",
		 "(copy \"a b\" \"/c/\")\n"},
		{"COPY flags without values are kept",
		 "COPY --link --parents --exclude=*.md . /app\n",
		 "(copy [\"--link\" \"--parents\" \"--exclude=*.md\"] \".\" \"/app\")\n"},
		{"a flag's quotes are removed", "COPY --chown=\"app user\" a b\n",
		 "(copy [\"--chown=app user\"] \"a\" \"b\")\n"},
		{"ADD --chmod and a URL", "ADD --chmod=644 https://example.com/x /z\n",
		 "(add [\"--chmod=644\"] \"https://example.com/x\" \"/z\")\n"},
		{"RUN --mount", "RUN --mount=type=cache,target=/root/.cache go build\n",
		 "(run [\"--mount=type=cache,target=/root/.cache\"] \"go build\")\n"},
		{"-- ends the flags", "RUN --network=none -- --version\n",
		 "(run [\"--network=none\"] \"--version\")\n"},
		{"VOLUME words or JSON", "VOLUME /data /logs\nVOLUME [\"/db\"]\n",
		 "(volume \"/data\" \"/logs\")\n(volume \"/db\")\n"},
		{"EXPOSE words", "EXPOSE 80/tcp 53/udp\n", "(expose \"80/tcp\" \"53/udp\")\n"},
		{"WORKDIR USER STOPSIGNAL MAINTAINER: the rest as one string",
		 "WORKDIR /a b\nUSER app:app\nSTOPSIGNAL SIGTERM\nMAINTAINER Jane <j@x.org>\n",
		 "(workdir \"/a b\")\n(user \"app:app\")\n(stopsignal \"SIGTERM\")\n"
		 "(maintainer \"Jane <j@x.org>\")\n"},
		{"HEALTHCHECK NONE", "HEALTHCHECK NONE\n", "(healthcheck \"NONE\")\n"},
		{"HEALTHCHECK with every flag",
		 "HEALTHCHECK --interval=5s --timeout=3s --start-period=1s --start-interval=1s "
		 "--retries=3 CMD curl -f http://localhost/\n",
		 "(healthcheck [\"--interval=5s\" \"--timeout=3s\" \"--start-period=1s\" "
		 "\"--start-interval=1s\" \"--retries=3\"] \"CMD\" \"curl -f http://localhost/\")\n"},
		{"HEALTHCHECK CMD exec form", "HEALTHCHECK CMD [\"/check\", \"-q\"]\n",
		 "(healthcheck \"CMD\" \"/check\" \"-q\")\n"},
		{"HEALTHCHECK alone", "HEALTHCHECK\n", "(healthcheck)\n"},
		{"ONBUILD carries an instruction", "ONBUILD RUN make\n",
		 "(onbuild (run \"make\"))\n"},
		{"ONBUILD's instruction has its own flags", "ONBUILD COPY --from=x a b\n",
		 "(onbuild (copy [\"--from=x\"] \"a\" \"b\"))\n"},
		{"an unknown instruction parses, without arguments", "FOO bar\n", "(foo \"\")\n"},
		{"keywords in any case", "Run echo\n", "(run \"echo\")\n"},
		{"RUN with nothing", "RUN\n", "(run)\n"},
	};
	CHECK_DUMPS(cases);
}

static void lines_comments_and_continuations(void)
{
	static const struct dump_case cases[] = {
		{"a continuation keeps the next line's indentation", "RUN a \\\n  b\n",
		 "(run \"a   b\")\n"},
		{"blanks after the escape still continue", "RUN a \\  \t\nb\n", "(run \"a b\")\n"},
		{"comment lines inside a continuation are dropped", "RUN a \\\n# c\n  # d\n  b\n",
		 "(run \"a   b\")\n"},
		{"an empty continuation line is skipped", "RUN a \\\n\n  b\n", "(run \"a   b\")\n"},
		{"# later in a line is not a comment", "RUN echo # not a comment\n",
		 "(run \"echo # not a comment\")\n"},
		{"an escaped escape does not continue", "RUN echo \\\\\nFROM x\n",
		 "(run \"echo \\\\\\\\\")\n(from \"x\")\n"},
		{"escape=` makes ` the continuation", "# escape=`\nRUN dir c:\\ `\n  && echo\n",
		 "(run \"dir c:\\\\   && echo\")\n"},
		{"a directive after an instruction is a comment", "FROM a\n# escape=`\nRUN x `\n",
		 "(from \"a\")\n(run \"x `\")\n"},
		{"a UTF-8 byte-order mark is dropped",
		 "\xef\xbb\xbf"
		 "FROM a\n",
		 "(from \"a\")\n"},
		{"CRLF line ends", "FROM a\r\nRUN b \\\r\n c\r\n",
		 "(from \"a\")\n(run \"b  c\")\n"},
		{"no newline at the end", "FROM a", "(from \"a\")\n"},
		{"a tab is quoted as \\t", "RUN a\tb\n", "(run \"a\\tb\")\n"},
		{"leading blanks before the keyword", "   FROM a\n", "(from \"a\")\n"},
	};
	CHECK_DUMPS(cases);
}

static void parse_errors_name_the_line(void)
{
	static const struct dump_case cases[] = {
		{"a JSON array of something else", "FROM a\nCMD [\"a\", 1]\n",
		 "error: Dockerfile:2: when using JSON array syntax, arrays must be comprised of "
		 "strings only\n"},
		{"ENV with a key only", "FROM a\nENV foo\n",
		 "error: Dockerfile:2: ENV must have two arguments\n"},
		{"LABEL with a key only", "LABEL foo\n",
		 "error: Dockerfile:1: LABEL must have two arguments\n"},
		{"ENV pairs with one missing its =", "ENV a=1 b\n",
		 "error: Dockerfile:1: Syntax error - can't find = in \"b\". Must be of the form: "
		 "name=value\n"},
		{"a directive given twice", "# escape=\\\n# escape=`\nFROM a\n",
		 "error: Dockerfile:2: only one escape parser directive can be used\n"},
		{"an escape that is neither \\ nor `", "# escape=x\nFROM a\n",
		 "error: Dockerfile:1: invalid escape token 'x' does not match ` or \\\n"},
		{"an empty file", "", "error: Dockerfile: file with no instructions\n"},
		{"comments only", "# one\n\n# two\n",
		 "error: Dockerfile:3: file with no instructions\n"},
		{"an unterminated heredoc names its instruction's line",
		 "FROM a\nRUN <<EOF\necho\n", "error: Dockerfile:2: unterminated heredoc\n"},
		{"ONBUILD's instruction's errors", "ONBUILD ENV x\n",
		 "error: Dockerfile:1: ENV must have two arguments\n"},
	};
	CHECK_DUMPS(cases);
}

static struct dockerfile parse_ok(const char *text)
{
	struct dockerfile df = {0};
	struct mr_err err = {0};
	if (dockerfile_parse(text, strlen(text), "Dockerfile", &df, &err) < 0)
		fprintf(stderr, "\nparse: %s\n", err.msg);
	return df;
}

static void directives_are_noted(void)
{
	struct dockerfile df = parse_ok("# syntax=docker/dockerfile:1\n"
					"#  CHECK = skip=JSONArgsRecommended\n"
					"# escape=`\n"
					"FROM a\n");
	CU_ASSERT_STRING_EQUAL(df.syntax ? df.syntax : "", "docker/dockerfile:1");
	CU_ASSERT_STRING_EQUAL(df.check ? df.check : "", "skip=JSONArgsRecommended");
	CU_ASSERT_EQUAL(df.escape, '`');
	CU_ASSERT_EQUAL(df.n, 1);
	CU_ASSERT_EQUAL(df.n ? df.instrs[0].ncomments : 9, 0); /* directives are not comments */
	dockerfile_free(&df);

	/* an unknown directive ends them: the escape line after it is a comment */
	df = parse_ok("# foo=bar\n# escape=`\nFROM a\n");
	CU_ASSERT_EQUAL(df.escape, '\\');
	dockerfile_free(&df);
	/* so does a blank line */
	df = parse_ok("\n# escape=`\nFROM a\n");
	CU_ASSERT_EQUAL(df.escape, '\\');
	dockerfile_free(&df);
}

static void the_ast_is_typed(void)
{
	struct dockerfile df = parse_ok("# the base\n"
					"FROM busybox\n"
					"RUN [\"a\"]\n"
					"copy --from=x \\\n"
					"  a \\\n"
					"  b\n"
					"ONBUILD ADD x y\n"
					"BOGUS\n");
	CU_ASSERT_EQUAL_FATAL(df.n, 5);
	CU_ASSERT_EQUAL(df.instrs[0].kind, DF_FROM);
	CU_ASSERT_EQUAL(df.instrs[0].ncomments, 1);
	CU_ASSERT_STRING_EQUAL(df.instrs[0].comments[0], "the base");
	CU_ASSERT_EQUAL(df.instrs[0].start_line, 2);
	CU_ASSERT(df.instrs[1].kind == DF_RUN && df.instrs[1].json);
	CU_ASSERT_EQUAL(df.instrs[2].kind, DF_COPY);
	CU_ASSERT_STRING_EQUAL(df.instrs[2].keyword, "copy");
	CU_ASSERT_EQUAL(df.instrs[2].start_line, 4);
	CU_ASSERT_EQUAL(df.instrs[2].end_line, 6);
	CU_ASSERT_EQUAL(df.instrs[2].nflags, 1);
	CU_ASSERT_STRING_EQUAL(df.instrs[2].flags[0], "--from=x");
	CU_ASSERT_EQUAL(df.instrs[2].nargs, 2);
	CU_ASSERT_FALSE(df.instrs[2].json);
	CU_ASSERT_STRING_EQUAL(df_flag(&df.instrs[2], "from"), "x");
	CU_ASSERT_PTR_NULL(df_flag(&df.instrs[2], "fro"));
	CU_ASSERT_EQUAL(df.instrs[3].kind, DF_ONBUILD);
	CU_ASSERT(df.instrs[3].sub && df.instrs[3].sub->kind == DF_ADD);
	CU_ASSERT(df.instrs[3].sub && df.instrs[3].sub->start_line == 7);
	CU_ASSERT_EQUAL(df.instrs[4].kind, DF_UNKNOWN);
	CU_ASSERT_STRING_EQUAL(df_kind_name(DF_HEALTHCHECK), "HEALTHCHECK");
	CU_ASSERT_EQUAL(df_kind_of("healthCheck"), DF_HEALTHCHECK);
	dockerfile_free(&df);

	df = parse_ok("RUN a \\\n\n b\n");
	CU_ASSERT_EQUAL_FATAL(df.nwarnings, 1);
	CU_ASSERT_STRING_EQUAL(df.warnings[0], "Empty continuation line found in: RUN a  b");
	dockerfile_free(&df);
}

static void heredocs(void)
{
	struct dockerfile df = parse_ok("FROM a\n"
					"RUN <<EOF\n"
					"echo $HOME\n"
					"EOF\n"
					"RUN <<'EOF' cat\n"
					"$literal\n"
					"EOF\n"
					"COPY <<a.txt <<-\"b.txt\" /dir/\n"
					"aaa\n"
					"a.txt\n"
					"\tbbb\n"
					"\t\tb.txt\n"
					"RUN 3<<EOF cat /proc/self/fd/3\n"
					"x\n"
					"EOF\n"
					"RUN [\"<<EOF\"]\n"
					"RUN echo \"<<EOF\"\n"
					"ONBUILD RUN <<X\n"
					"y\n"
					"X\n");
	CU_ASSERT_EQUAL_FATAL(df.n, 8);
	struct df_instr *r = &df.instrs[1];
	CU_ASSERT_EQUAL_FATAL(r->nheredocs, 1);
	CU_ASSERT_STRING_EQUAL(r->heredocs[0].name, "EOF");
	CU_ASSERT_STRING_EQUAL(r->heredocs[0].content, "echo $HOME\n");
	CU_ASSERT(r->heredocs[0].expand);
	CU_ASSERT_FALSE(r->heredocs[0].chomp);
	CU_ASSERT_EQUAL(r->start_line, 2);
	CU_ASSERT_EQUAL(r->end_line, 4);
	char *d = df_dump_instr(r);
	CU_ASSERT_STRING_EQUAL(d, "run \"<<EOF\""); /* the dump shows the line, not the body */
	free(d);

	r = &df.instrs[2]; /* a quoted delimiter: the body is not expanded */
	CU_ASSERT_EQUAL_FATAL(r->nheredocs, 1);
	CU_ASSERT_STRING_EQUAL(r->heredocs[0].name, "EOF");
	CU_ASSERT_FALSE(r->heredocs[0].expand);

	r = &df.instrs[3]; /* two on one line, in order; <<- strips tabs */
	CU_ASSERT_EQUAL_FATAL(r->nheredocs, 2);
	CU_ASSERT_STRING_EQUAL(r->heredocs[0].name, "a.txt");
	CU_ASSERT_STRING_EQUAL(r->heredocs[0].content, "aaa\n");
	CU_ASSERT_STRING_EQUAL(r->heredocs[1].name, "b.txt");
	CU_ASSERT(r->heredocs[1].chomp);
	CU_ASSERT_FALSE(r->heredocs[1].expand);
	CU_ASSERT_STRING_EQUAL(r->heredocs[1].content, "\tbbb\n");
	char *text = df_heredoc_text(&r->heredocs[1]);
	CU_ASSERT_STRING_EQUAL(text, "bbb\n");
	free(text);

	r = &df.instrs[4];
	CU_ASSERT_EQUAL_FATAL(r->nheredocs, 1);
	CU_ASSERT_EQUAL(r->heredocs[0].fd, 3);

	CU_ASSERT_EQUAL(df.instrs[5].nheredocs, 0); /* exec form: no heredoc */
	CU_ASSERT_EQUAL(df.instrs[6].nheredocs, 0); /* quoted: not a heredoc */
	CU_ASSERT_EQUAL(df.instrs[7].kind, DF_ONBUILD);
	CU_ASSERT_EQUAL_FATAL(df.instrs[7].nheredocs, 1);
	CU_ASSERT_STRING_EQUAL(df.instrs[7].heredocs[0].content, "y\n");
	dockerfile_free(&df);
}

static void go_quoting(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"plain", "\"plain\""},
		{"a\"b\\c", "\"a\\\"b\\\\c\""},
		{"\x01\x7f", "\"\\x01\\x7f\""},
		{"\a\b\f\n\r\t\v", "\"\\a\\b\\f\\n\\r\\t\\v\""},
		{"\xc3\xa9", "\"\xc3\xa9\""},                 /* é is printable */
		{"\xff", "\"\\xff\""},                        /* not UTF-8 */
		{"\xc2\xa0", "\"\\u00a0\""},                  /* no-break space is not */
		{"\xf0\x9f\x90\xb3", "\"\xf0\x9f\x90\xb3\""}, /* an emoji is */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof((cases)[0]); i++) {
		char *q = df_go_quote(cases[i].in);
		CU_ASSERT_STRING_EQUAL(q, cases[i].out);
		free(q);
	}
}

static CU_TestInfo tests[] = {
	{"every instruction splits its arguments by its rule",
	 instructions_and_their_argument_rules},
	{"comments, continuations, escape and line ends", lines_comments_and_continuations},
	{"what the parser refuses names FILE:LINE in docker's words", parse_errors_name_the_line},
	{"syntax, check and escape directives are noted", directives_are_noted},
	{"the AST has kinds, flags, lines, comments, warnings", the_ast_is_typed},
	{"heredocs: bodies, quoting, <<-, several, fd, not in JSON", heredocs},
	{"the dump quotes strings as Go does", go_quoting},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("build: Dockerfile parser", tests)

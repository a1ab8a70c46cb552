/*
 * tests/fuzz/fuzz_dockerfile.c - fuzz `minirun build`'s readers: the Dockerfile parser
 * (minirun/build/parse.c, args.c), its dump (dump.c, `--print-parse`), the shell-word
 * expander (shlex.c) and the .dockerignore matcher (dockerignore.c).
 *
 * Every input goes through all three readers:
 *  - the whole input is a Dockerfile: dockerfile_parse, then dockerfile_dump;
 *  - the whole input is a .dockerignore file, and each of its lines is also a path asked
 *    of the matcher (dockerignore_excludes);
 *  - its first line is a word for shlex_word and shlex_words, with the escape character
 *    and options picked by the line's length, in an environment made of the other lines
 *    ("KEY=VALUE" each, docker's Env list).
 *
 * Oracles, beyond ASan/UBSan and leaks:
 *  - a refused Dockerfile comes with a message naming the file and a line;
 *  - the dump re-parses to itself: each dump line is read back (the notation's Go string
 *    literals unquoted, by a reader written here) to exactly the keyword, flags, ONBUILD
 *    instruction and arguments of the parse, and printed again it is the same line; a
 *    second parse of the same text dumps the same text;
 *  - the expander: a refusal has a message; words never come out empty (they are dropped);
 *  - the matcher: the context itself (".") is never left out, ignore_clean_path is
 *    idempotent and never makes an empty or absolute-to-relative-changed path.
 *
 * Seeds: tests/fuzz/seeds/dockerfile/. See: minirun/build/dockerfile.h, shlex.h,
 * dockerignore.h; tests/fuzz/README.md.
 */
#include "minirun/build/dockerfile.h"
#include "minirun/build/dockerignore.h"
#include "minirun/build/shlex.h"
#include "tests/fuzz/fuzz.h"

#include <ctype.h>

/* ---- a reader of the dump notation ---------------------------------------------------- */

/* One Go string literal at *P (Go's strconv.Unquote for what dump.c writes): the value,
 * malloc'd, and *P past the closing quote; NULL when *P is not a literal. */
static char *unquote(const char **p)
{
	const char *s = *p;
	if (*s != '"')
		return NULL;
	s++;
	size_t cap = strlen(s) + 1, n = 0;
	char *out = malloc(cap * 4 + 8);
	if (!out)
		abort();
	while (*s && *s != '"') {
		if (*s != '\\') {
			out[n++] = *s++;
			continue;
		}
		s++;
		static const char esc[] = "a\ab\bf\fn\nr\rt\tv\v\\\\\"\"";
		const char *e = *s ? strchr(esc, *s) : NULL;
		if (e && (e - esc) % 2 == 0) {
			out[n++] = e[1];
			s++;
			continue;
		}
		int digits = *s == 'x' ? 2 : *s == 'u' ? 4 : *s == 'U' ? 8 : 0;
		if (!digits) {
			free(out);
			return NULL;
		}
		char hex[9] = {0};
		memcpy(hex, s + 1, (size_t)digits);
		if (strlen(hex) != (size_t)digits ||
		    strspn(hex, "0123456789abcdef") != (size_t)digits) {
			free(out);
			return NULL;
		}
		unsigned long c = strtoul(hex, NULL, 16);
		s += 1 + digits;
		if (digits == 2) { /* a byte */
			out[n++] = (char)c;
		} else if (c < 0x80) {
			out[n++] = (char)c;
		} else if (c < 0x800) {
			out[n++] = (char)(0xc0 | c >> 6);
			out[n++] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			out[n++] = (char)(0xe0 | c >> 12);
			out[n++] = (char)(0x80 | (c >> 6 & 0x3f));
			out[n++] = (char)(0x80 | (c & 0x3f));
		} else {
			out[n++] = (char)(0xf0 | c >> 18);
			out[n++] = (char)(0x80 | (c >> 12 & 0x3f));
			out[n++] = (char)(0x80 | (c >> 6 & 0x3f));
			out[n++] = (char)(0x80 | (c & 0x3f));
		}
	}
	if (*s != '"') {
		free(out);
		return NULL;
	}
	out[n] = '\0';
	*p = s + 1;
	return out;
}

/* Check that the dump text at *P (after its opening parenthesis) reads back to IN; *P
 * ends past the instruction's closing parenthesis. LINE is the whole line, for messages. */
static void read_back(const char **p, const struct df_instr *in, const char *line)
{
	const char *s = *p;
	size_t kl = strlen(in->keyword);
	for (size_t i = 0; i < kl; i++)
		if (s[i] != (char)tolower((unsigned char)in->keyword[i]))
			fuzz_oracle("dump '%s': keyword is not '%s'", line, in->keyword);
	s += kl;
	if (in->nflags) {
		if (strncmp(s, " [", 2))
			fuzz_oracle("dump '%s': no flag list", line);
		s += 2;
		for (size_t i = 0; i < in->nflags; i++) {
			if (i && *s++ != ' ')
				fuzz_oracle("dump '%s': flags not separated", line);
			char *f = unquote(&s);
			if (!f || strcmp(f, in->flags[i]))
				fuzz_oracle("dump '%s': flag %zu reads back as '%s', not '%s'",
					    line, i, f ? f : "(nothing)", in->flags[i]);
			free(f);
		}
		if (*s++ != ']')
			fuzz_oracle("dump '%s': flag list not closed", line);
	}
	if (in->sub) {
		if (strncmp(s, " (", 2))
			fuzz_oracle("dump '%s': no ONBUILD instruction", line);
		s += 2;
		read_back(&s, in->sub, line);
	}
	if (in->kind == DF_UNKNOWN) {
		if (strncmp(s, " \"\"", 3))
			fuzz_oracle("dump '%s': an unknown instruction without its empty argument",
				    line);
		s += 3;
	}
	for (size_t i = 0; i < in->nargs; i++) {
		if (*s++ != ' ')
			fuzz_oracle("dump '%s': arguments not separated", line);
		char *a = unquote(&s);
		if (!a || strcmp(a, in->args[i]))
			fuzz_oracle("dump '%s': argument %zu reads back as '%s', not '%s'", line, i,
				    a ? a : "(nothing)", in->args[i]);
		free(a);
	}
	if (*s++ != ')')
		fuzz_oracle("dump '%s': not closed after the arguments", line);
	*p = s;
}

static char *dump_text(const struct dockerfile *df)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f || dockerfile_dump(df, f) < 0)
		fuzz_oracle("dockerfile_dump failed");
	fclose(f);
	return text;
}

static void dockerfile(const char *text, size_t len)
{
	struct dockerfile df = {0};
	struct mr_err err = {0};
	if (dockerfile_parse(text, len, "Dockerfile", &df, &err) < 0) {
		if (strncmp(err.msg, "Dockerfile", 10))
			fuzz_oracle("refused without naming the file: '%s'", err.msg);
		if (df.n || df.instrs)
			fuzz_oracle("a refused parse left %zu instructions", df.n);
		fuzz_refused(err.msg);
		return;
	}
	char *dump = dump_text(&df);
	/* each line reads back to its instruction, and is printed the same again */
	const char *s = dump;
	for (size_t i = 0; i < df.n; i++) {
		char *line = df_dump_instr(&df.instrs[i]);
		if (!line)
			abort();
		if (*s != '(')
			fuzz_oracle("dump of instruction %zu does not start with '('", i);
		s++;
		read_back(&s, &df.instrs[i], line);
		if (*s++ != '\n')
			fuzz_oracle("dump '%s': more after the instruction", line);
		char *again = df_dump_instr(&df.instrs[i]);
		if (!again || strcmp(again, line))
			fuzz_oracle("instruction %zu dumps differently twice", i);
		free(again);
		free(line);
	}
	if (*s)
		fuzz_oracle("dump has more lines than the %zu instructions", df.n);

	/* the same text parses to the same dump */
	struct dockerfile df2 = {0};
	if (dockerfile_parse(text, len, "Dockerfile", &df2, &err) < 0)
		fuzz_oracle("a second parse is refused: %s", err.msg);
	char *dump2 = dump_text(&df2);
	if (strcmp(dump, dump2))
		fuzz_oracle("two parses dump differently:\n%s---\n%s", dump, dump2);
	free(dump2);
	dockerfile_free(&df2);
	free(dump);
	dockerfile_free(&df);
}

/* ---- the expander --------------------------------------------------------------------- */

static void expander(const char *text)
{
	const char *nl = strchr(text, '\n');
	size_t wl = nl ? (size_t)(nl - text) : strlen(text);
	char *word = strndup(text, wl);
	if (!word)
		abort();
	/* the environment: the following lines */
	char *rest = strdup(nl ? nl + 1 : "");
	char *kv[64];
	size_t n = 0;
	for (char *save = NULL, *l = strtok_r(rest, "\n", &save); l && n < 64;
	     l = strtok_r(NULL, "\n", &save))
		kv[n++] = l;
	struct shlex_list list = {kv, n};
	struct shlex_env env = SHLEX_ENV_LIST(&list);
	int escape = wl % 2 ? '`' : '\\';
	unsigned opts = (unsigned)(wl / 2) % 16;
	struct mr_err err = {0};
	char *out = NULL;
	if (shlex_word(word, escape, opts, &env, &out, &err) < 0) {
		if (!err.msg[0])
			fuzz_oracle("shlex_word '%s' refused without a message", word);
	} else {
		free(out);
	}
	char **words = NULL;
	size_t nw = 0;
	memset(&err, 0, sizeof(err));
	if (shlex_words(word, escape, opts, &env, &words, &nw, &err) < 0) {
		if (!err.msg[0])
			fuzz_oracle("shlex_words '%s' refused without a message", word);
	} else {
		for (size_t i = 0; i < nw; i++)
			if (!words[i] || !words[i][0])
				fuzz_oracle("shlex_words '%s': word %zu is empty", word, i);
		if (words[nw])
			fuzz_oracle("shlex_words '%s': not NULL-terminated", word);
		shlex_free_words(words);
	}
	/* the glob of ${V#p}: the word as the pattern, the first variable's line as the text */
	if (n)
		(void)shlex_glob_match(word, kv[0], strlen(kv[0]));
	free(rest);
	free(word);
}

/* ---- the matcher ---------------------------------------------------------------------- */

static void matcher(const char *text, size_t len)
{
	struct dockerignore di = {0};
	struct mr_err err = {0};
	if (dockerignore_parse(text, len, &di, &err) < 0) {
		if (!err.msg[0])
			fuzz_oracle(".dockerignore refused without a message");
		return;
	}
	if (dockerignore_excludes(&di, "."))
		fuzz_oracle("the context itself is left out");
	char *copy = strdup(text);
	for (char *save = NULL, *l = strtok_r(copy, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		(void)dockerignore_excludes(&di, l);
		char *c1 = strdup(l);
		ignore_clean_path(c1);
		char *c2 = strdup(c1);
		ignore_clean_path(c2);
		if (strcmp(c1, c2))
			fuzz_oracle("clean('%s') = '%s', cleaned again '%s'", l, c1, c2);
		if (!c1[0])
			fuzz_oracle("clean('%s') is empty", l);
		if ((l[0] == '/') != (c1[0] == '/'))
			fuzz_oracle("clean('%s') = '%s' changed whether it is absolute", l, c1);
		free(c2);
		free(c1);
	}
	free(copy);
	dockerignore_free(&di);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	size_t len = strlen(s);
	dockerfile(s, len);
	expander(s);
	matcher(s, len);
	free(s);
	return 0;
}

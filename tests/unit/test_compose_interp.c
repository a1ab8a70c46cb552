/*
 * tests/unit/test_compose_interp.c - minirun/compose's variables: interpolation of
 * ${...} (every operator, nesting, $$, the errors) and the .env reader (docker compose's
 * dotenv rules: quotes, escapes, export, comments, multi-line values).
 */
#include <string.h>

#include "minirun/compose/compose.h"
#include "tests/unit/unit.h"

/* the variables every case sees: SET=value, EMPTY= (set, empty); UNSET is not */
static const char *vars(const char *name, void *data)
{
	(void)data;
	if (!strcmp(name, "SET"))
		return "value";
	if (!strcmp(name, "EMPTY"))
		return "";
	if (!strcmp(name, "PORT"))
		return "8080";
	return NULL;
}

/* interpolate IN; NULL on an error (its message in err_out) */
static const char *interp(struct compose_arena *a, const char *in, struct mr_err *err)
{
	return compose_interpolate(a, in, vars, NULL, "f.yaml:3: services.x.image", err);
}

#define EXPECT(in, out)                                                                            \
	do {                                                                                       \
		struct mr_err err_ = {0};                                                          \
		const char *got_ = interp(&a, in, &err_);                                          \
		CU_ASSERT_PTR_NOT_NULL(got_);                                                      \
		if (got_)                                                                          \
			CU_ASSERT_STRING_EQUAL(got_, out);                                         \
	} while (0)

static void plain_names(void)
{
	struct compose_arena a = {0};
	EXPECT("$SET", "value");
	EXPECT("${SET}", "value");
	EXPECT("a${SET}b", "avalueb");
	EXPECT("$SET.x", "value.x");
	EXPECT("no variables", "no variables");
	compose_arena_free(&a);
}

static void unset_is_empty(void)
{
	struct compose_arena a = {0};
	EXPECT("[$UNSET]", "[]");
	EXPECT("[${UNSET}]", "[]");
	compose_arena_free(&a);
}

static void dollar_dollar_is_a_dollar(void)
{
	struct compose_arena a = {0};
	EXPECT("$$SET", "$SET");
	EXPECT("cost: $$5", "cost: $5");
	EXPECT("$${SET}", "${SET}");
	compose_arena_free(&a);
}

static void colon_dash_default_for_unset_or_empty(void)
{
	struct compose_arena a = {0};
	EXPECT("${UNSET:-d}", "d");
	EXPECT("${EMPTY:-d}", "d");
	EXPECT("${SET:-d}", "value");
	compose_arena_free(&a);
}

static void dash_default_for_unset_only(void)
{
	struct compose_arena a = {0};
	EXPECT("${UNSET-d}", "d");
	EXPECT("[${EMPTY-d}]", "[]");
	EXPECT("${SET-d}", "value");
	compose_arena_free(&a);
}

static void plus_replacement(void)
{
	struct compose_arena a = {0};
	EXPECT("${SET:+r}", "r");
	EXPECT("[${EMPTY:+r}]", "[]");
	EXPECT("${EMPTY+r}", "r");
	EXPECT("[${UNSET+r}]", "[]");
	compose_arena_free(&a);
}

static void defaults_nest(void)
{
	struct compose_arena a = {0};
	EXPECT("${UNSET:-${SET}}", "value");
	EXPECT("${UNSET:-${ALSO_UNSET:-deep}}", "deep");
	EXPECT("${UNSET:-${PORT}:80}", "8080:80");
	EXPECT("${SET:+${PORT}}", "8080");
	compose_arena_free(&a);
}

static void default_may_hold_spaces_and_colons(void)
{
	struct compose_arena a = {0};
	EXPECT("${UNSET:-a b:c/d}", "a b:c/d");
	EXPECT("${UNSET:-}", "");
	compose_arena_free(&a);
}

static void required_variable_errors_name_it(void)
{
	struct compose_arena a = {0};
	struct mr_err err = {0};
	CU_ASSERT_PTR_NULL(interp(&a, "${UNSET:?set UNSET first}", &err));
	CU_ASSERT_STRING_EQUAL(err.msg, "f.yaml:3: services.x.image: required variable UNSET is "
					"missing a value: set UNSET first");
	CU_ASSERT_PTR_NULL(interp(&a, "${EMPTY:?}", &err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "required variable EMPTY is missing a value"));
	compose_arena_free(&a);
}

static void question_mark_allows_empty(void)
{
	struct compose_arena a = {0};
	struct mr_err err = {0};
	EXPECT("[${EMPTY?must be set}]", "[]");
	CU_ASSERT_PTR_NULL(interp(&a, "${UNSET?must be set}", &err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "UNSET is missing a value: must be set"));
	compose_arena_free(&a);
}

static void required_message_is_interpolated(void)
{
	struct compose_arena a = {0};
	struct mr_err err = {0};
	CU_ASSERT_PTR_NULL(interp(&a, "${UNSET:?not $SET}", &err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ": not value"));
	compose_arena_free(&a);
}

static void bad_formats_are_errors(void)
{
	static const char *const bad[] = {"${",      "${SET",    "${}",     "${9x}",
					  "$ alone", "${SET!x}", "${SET:x}"};
	struct compose_arena a = {0};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mr_err err = {0};
		CU_ASSERT_PTR_NULL(interp(&a, bad[i], &err));
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "invalid interpolation format"));
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "f.yaml:3"));
	}
	compose_arena_free(&a);
}

static void unset_variables_are_warned_once(void)
{
	struct compose_arena a = {0};
	struct compose_strv warnings = {0};
	struct mr_err err = {0};
	const char *out = compose_interpolate_warn(&a, "$UNSET ${UNSET} ${NODEF:-d} $OTHER $SET",
						   vars, NULL, "f.yaml:2", &warnings, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_STRING_EQUAL(out, "  d  value");
	CU_ASSERT_EQUAL_FATAL(warnings.n, 2); /* UNSET once; a defaulted one is not warned */
	CU_ASSERT_STRING_EQUAL(warnings.v[0], "The \"UNSET\" variable is not set. Defaulting to "
					      "a blank string. (f.yaml:2)");
	CU_ASSERT_PTR_NOT_NULL(strstr(warnings.v[1], "\"OTHER\""));
	compose_arena_free(&a);
}

/* ---- .env ------------------------------------------------------------------------------- */

static const char *shell(const char *name, void *data)
{
	(void)data;
	return !strcmp(name, "FROM_SHELL") ? "shell" : NULL;
}

static struct compose_kvs dotenv(struct compose_arena *a, const char *text, int *rc,
				 struct mr_err *err)
{
	struct compose_kvs kvs = {0};
	*rc = compose_dotenv_parse(a, text, ".env", shell, NULL, &kvs, err);
	return kvs;
}

static const char *val(const struct compose_kvs *kvs, const char *key)
{
	const struct compose_kv *kv = compose_kv_find(kvs, key);
	return kv && kv->value ? kv->value : "<absent>";
}

static void dotenv_simple_lines(void)
{
	struct compose_arena a = {0};
	struct mr_err err = {0};
	int rc;
	struct compose_kvs k = dotenv(&a, "A=1\nB = two \n\nC=\n", &rc, &err);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(k.n, 3);
	CU_ASSERT_STRING_EQUAL(val(&k, "A"), "1");
	CU_ASSERT_STRING_EQUAL(val(&k, "B"), "two");
	CU_ASSERT_STRING_EQUAL(val(&k, "C"), "");
	compose_arena_free(&a);
}

static void dotenv_comments(void)
{
	struct compose_arena a = {0};
	struct mr_err err = {0};
	int rc;
	struct compose_kvs k = dotenv(
		&a, "# a comment\nA=1 # trailing\nB=x#not-a-comment\n  # indented\n", &rc, &err);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(k.n, 2);
	CU_ASSERT_STRING_EQUAL(val(&k, "A"), "1");
	CU_ASSERT_STRING_EQUAL(val(&k, "B"), "x#not-a-comment");
	compose_arena_free(&a);
}

static void dotenv_export_prefix(void)
{
	struct compose_arena a = {0};
	struct mr_err err = {0};
	int rc;
	struct compose_kvs k = dotenv(&a, "export A=1\nexport\tB=2\nexported=3\n", &rc, &err);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(val(&k, "A"), "1");
	CU_ASSERT_STRING_EQUAL(val(&k, "B"), "2");
	CU_ASSERT_STRING_EQUAL(val(&k, "exported"), "3");
	compose_arena_free(&a);
}

static void dotenv_single_quotes_are_literal(void)
{
	struct compose_arena a = {0};
	struct mr_err err = {0};
	int rc;
	struct compose_kvs k = dotenv(&a, "A='$FROM_SHELL \\n # kept'\n", &rc, &err);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(val(&k, "A"), "$FROM_SHELL \\n # kept");
	compose_arena_free(&a);
}

static void dotenv_double_quotes_escape_and_expand(void)
{
	struct compose_arena a = {0};
	struct mr_err err = {0};
	int rc;
	struct compose_kvs k = dotenv(
		&a, "A=\"line1\\nline2\\t\\\"q\\\" \\\\ \\$X ${FROM_SHELL}\" # c\n", &rc, &err);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(val(&k, "A"), "line1\nline2\t\"q\" \\ $X shell");
	compose_arena_free(&a);
}

static void dotenv_multi_line_values(void)
{
	struct compose_arena a = {0};
	struct mr_err err = {0};
	int rc;
	struct compose_kvs k =
		dotenv(&a, "KEY=\"-----BEGIN\nabc\n-----END\"\nNEXT='a\nb'\nZ=1\n", &rc, &err);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(val(&k, "KEY"), "-----BEGIN\nabc\n-----END");
	CU_ASSERT_STRING_EQUAL(val(&k, "NEXT"), "a\nb");
	CU_ASSERT_STRING_EQUAL(val(&k, "Z"), "1");
	compose_arena_free(&a);
}

static void dotenv_expands_earlier_lines_and_shell(void)
{
	struct compose_arena a = {0};
	struct mr_err err = {0};
	int rc;
	struct compose_kvs k =
		dotenv(&a, "HOST=db\nURL=postgres://${HOST}:5432\nS=$FROM_SHELL\nD=${NONE:-dflt}\n",
		       &rc, &err);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(val(&k, "URL"), "postgres://db:5432");
	CU_ASSERT_STRING_EQUAL(val(&k, "S"), "shell");
	CU_ASSERT_STRING_EQUAL(val(&k, "D"), "dflt");
	compose_arena_free(&a);
}

static void dotenv_bare_key_takes_the_shell_value(void)
{
	struct compose_arena a = {0};
	struct mr_err err = {0};
	int rc;
	struct compose_kvs k = dotenv(&a, "FROM_SHELL\nNOT_IN_SHELL\n", &rc, &err);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(val(&k, "FROM_SHELL"), "shell");
	CU_ASSERT_PTR_NULL(compose_kv_find(&k, "NOT_IN_SHELL"));
	compose_arena_free(&a);
}

static void dotenv_later_line_wins(void)
{
	struct compose_arena a = {0};
	struct mr_err err = {0};
	int rc;
	struct compose_kvs k = dotenv(&a, "A=1\nA=2\n", &rc, &err);
	CU_ASSERT_EQUAL(k.n, 1);
	CU_ASSERT_STRING_EQUAL(val(&k, "A"), "2");
	compose_arena_free(&a);
}

static void dotenv_errors_name_the_line(void)
{
	struct compose_arena a = {0};
	struct mr_err err = {0};
	int rc;
	dotenv(&a, "A=1\nB=\"open\n\n", &rc, &err);
	CU_ASSERT_EQUAL(rc, -1);
	CU_ASSERT_STRING_EQUAL(err.msg, ".env:2: B has an unterminated double quote");
	dotenv(&a, "A=1\n\nBAD KEY=1\n", &rc, &err);
	CU_ASSERT_EQUAL(rc, -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ".env:3: unexpected character"));
	compose_arena_free(&a);
}

static void dotenv_crlf_and_no_final_newline(void)
{
	struct compose_arena a = {0};
	struct mr_err err = {0};
	int rc;
	struct compose_kvs k = dotenv(&a, "A=1\r\nB=2", &rc, &err);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(val(&k, "A"), "1");
	CU_ASSERT_STRING_EQUAL(val(&k, "B"), "2");
	compose_arena_free(&a);
}

static CU_TestInfo tests[] = {
	{"$V and ${V} give the value", plain_names},
	{"an unset variable is empty", unset_is_empty},
	{"$$ is a literal $", dollar_dollar_is_a_dollar},
	{"${V:-d} defaults when unset or empty", colon_dash_default_for_unset_or_empty},
	{"${V-d} defaults only when unset", dash_default_for_unset_only},
	{"${V:+r} and ${V+r} replace when set", plus_replacement},
	{"defaults and replacements nest", defaults_nest},
	{"a default may hold spaces and colons", default_may_hold_spaces_and_colons},
	{"${V:?msg} fails naming V, the place and msg", required_variable_errors_name_it},
	{"${V?msg} accepts an empty V", question_mark_allows_empty},
	{"the required message is interpolated", required_message_is_interpolated},
	{"malformed ${...} are errors naming the place", bad_formats_are_errors},
	{"an unset variable without default is warned once", unset_variables_are_warned_once},
	{".env: KEY=VALUE lines, blanks trimmed", dotenv_simple_lines},
	{".env: comments, and # inside a value", dotenv_comments},
	{".env: export prefix", dotenv_export_prefix},
	{".env: single quotes are literal", dotenv_single_quotes_are_literal},
	{".env: double quotes escape and expand", dotenv_double_quotes_escape_and_expand},
	{".env: quoted values span lines", dotenv_multi_line_values},
	{".env: ${V} from earlier lines and the shell", dotenv_expands_earlier_lines_and_shell},
	{".env: a bare KEY takes the shell's value", dotenv_bare_key_takes_the_shell_value},
	{".env: a later line wins", dotenv_later_line_wins},
	{".env: errors name the file and line", dotenv_errors_name_the_line},
	{".env: CRLF and no final newline", dotenv_crlf_and_no_final_newline},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("compose variables", tests)

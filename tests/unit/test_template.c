/*
 * tests/unit/test_template.c - the Go-template engine (lib/template*.c): Go's text/template
 * documentation's examples, docker's documented --format and inspect -f examples, and the
 * messages Go prints for mistakes. Each case is a template, the data it runs over, and the
 * output (or the error) Go and docker give. Run: make test-unit.
 */
#include "lib/template.h"
#include "tests/unit/unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* a container as inspect shows one (the fields the cases use) */
static const char *container =
	"{\"Id\": \"3f1c0a9d2b7e\", \"Name\": \"/web\", \"Path\": \"sh\","
	" \"Args\": [\"-c\", \"sleep 1\"],"
	" \"State\": {\"Status\": \"running\", \"Running\": true, \"ExitCode\": 0, \"Pid\": 42},"
	" \"Config\": {\"Image\": \"busybox\", \"Env\": [\"PATH=/bin\", \"A=1\"],"
	"  \"Labels\": {\"com.example\": \"y\", \"a.b\": \"x\"}, \"Cmd\": [\"sh\"]},"
	" \"NetworkSettings\": {\"Networks\": {\"front\": {\"IPAddress\": \"10.0.0.5\"},"
	"  \"bridge\": {\"IPAddress\": \"172.17.0.2\"}},"
	"  \"Ports\": {\"80/tcp\": [{\"HostIp\": \"0.0.0.0\", \"HostPort\": \"8080\"}]}},"
	" \"HostConfig\": {\"Binds\": null, \"Memory\": 0}, \"Mounts\": []}";

struct tcase {
	const char *tmpl;
	const char *data; /* JSON; NULL: the container */
	const char *want; /* the output, or "ERR:" and the whole message */
};

/* run T over DATA with OPTS: the output, or "ERR:" and the message (a new string) */
static char *run(const char *t, const char *data, const struct mr_tmpl_opts *opts)
{
	struct mr_err err = {0};
	json_error_t jerr;
	json_t *d = json_loads(data ? data : container, JSON_DECODE_ANY, &jerr);
	char *out = NULL;
	struct mr_tmpl *tm = mr_tmpl_parse(t, &err);
	if (tm)
		out = mr_tmpl_render(tm, d, opts, &err);
	if (!out && asprintf(&out, "ERR:%s", err.msg) < 0)
		out = NULL;
	mr_tmpl_free(tm);
	json_decref(d);
	return out;
}

static void check(const struct tcase *cs, size_t n, const struct mr_tmpl_opts *opts)
{
	for (size_t i = 0; i < n; i++) {
		char *got = run(cs[i].tmpl, cs[i].data, opts);
		bool ok = got && !strcmp(got, cs[i].want);
		if (!ok)
			fprintf(stderr, "\n  template %s\n    want [%s]\n    got  [%s]\n",
				cs[i].tmpl, cs[i].want, got ? got : "(null)");
		CU_ASSERT(ok);
		free(got);
	}
}

#define CHECK(cases, ...) check(cases, sizeof(cases) / sizeof(cases[0]), __VA_ARGS__)

static void fields_and_printing_follow_go(void)
{
	static const struct tcase cs[] = {
		{"{{.Name}}", NULL, "/web"},
		{"{{.State.Status}}", NULL, "running"},
		{"{{.State.Pid}} {{.State.Running}}", NULL, "42 true"},
		{"{{.Config.Env}}", NULL, "[PATH=/bin A=1]"},
		{"{{.Config.Labels}}", NULL, "map[a.b:x com.example:y]"},
		{"{{.Mounts}}", NULL, "[]"},
		{"{{.HostConfig.Binds}}", NULL, "<no value>"},
		{"this is a {{ . }}", "\"string\"", "this is a string"},
		{"{{.}}", "[1, \"a\", null, {\"k\": [true]}]", "[1 a <nil> map[k:[true]]]"},
		{"{{.X}}", "{\"X\": 0.5}", "0.5"},
		{"{{.X}} {{.Y}}", "{\"X\": 1000000.0, \"Y\": 1.5e-7}", "1e+06 1.5e-07"},
		/* inspect's JSON: a struct prints its values in order, as Go prints a struct */
		{"{{.State}}", NULL, "{running true 0 42}"},
		{"{{.NetworkSettings.Ports}}", NULL, "map[80/tcp:[{0.0.0.0 8080}]]"},
		{"{{.P}} {{.M}}", "{\"P\": {\"80/tcp\": {}}, \"M\": {}}", "map[80/tcp:{}] map[]"},
		{"{{printf \"%v\" .State}} {{print .State.Status}}", NULL,
		 "{running true 0 42} running"},
	};
	CHECK(cs, NULL);
	/* a map of JSON (no guessing) prints as Go's map[string]interface{} */
	static const struct tcase maps[] = {
		{"{{.State}}", NULL, "map[ExitCode:0 Pid:42 Running:true Status:running]"},
	};
	CHECK(maps, &(struct mr_tmpl_opts){.missing = MR_TMPL_MISSING_NOVALUE});
}

static void docker_course_idioms_work(void)
{
	static const struct tcase cs[] = {
		{"{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", NULL,
		 "172.17.0.210.0.0.5"},
		{"{{json .Config}}", NULL,
		 "{\"Image\":\"busybox\",\"Env\":[\"PATH=/bin\",\"A=1\"],\"Labels\":{\"com.example\":"
		 "\"y\",\"a.b\":\"x\"},\"Cmd\":[\"sh\"]}"},
		{"{{index .Config.Labels \"a.b\"}}", NULL, "x"},
		{"{{range $k, $v := .Config.Labels}}{{$k}}={{$v}} {{end}}", NULL,
		 "a.b=x com.example=y "},
		{"{{if eq .State.Status \"running\"}}up{{else}}down{{end}}", NULL, "up"},
		{"{{join .Args \" \"}}", NULL, "-c sleep 1"},
		{"{{printf \"%-10s|\" .Name}}", NULL, "/web      |"},
		{"{{range $p, $conf := .NetworkSettings.Ports}}{{$p}} -> {{(index $conf 0).HostPort}}"
		 "{{end}}",
		 NULL, "80/tcp -> 8080"},
		{"{{json .NetworkSettings.Ports}}", NULL,
		 "{\"80/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"8080\"}]}"},
		{"{{.NetworkSettings.Networks.bridge.IPAddress}}", NULL, "172.17.0.2"},
		{"{{range .Config.Env}}{{println .}}{{end}}", NULL, "PATH=/bin\nA=1\n"},
		{"{{len .Config.Env}}", NULL, "2"},
		/* a label that is not there: "" (docker's Labels is a map of strings) */
		{"{{index .Config.Labels \"nope\"}}|", NULL, "|"},
	};
	CHECK(cs, NULL);
}

static void docker_functions_work(void)
{
	static const struct tcase cs[] = {
		/* docker/cli templates_test.go */
		{"{{json .Ports}}", "{\"Ports\": \"0.0.0.0:2->8/udp\"}", "\"0.0.0.0:2->8/udp\""},
		{"{{join (split . \":\") \"/\"}}", "\"text:with:colon\"", "text/with/colon"},
		{"{{truncate . 5}}", "\"tupx5xzf6hvsrhnruz5cr8gwp\"", "tupx5"},
		{"{{truncate . 30}}", "\"tupx5xzf6hvsrhnruz5cr8gwp\"", "tupx5xzf6hvsrhnruz5cr8gwp"},
		{"{{pad . 3 3}}", "\"tupx5xzf6hvsrhnruz5cr8gwp\"",
		 "   tupx5xzf6hvsrhnruz5cr8gwp   "},
		{"{{pad . 3 3}}", "\"\"", ""},
		{"{{upper .Config.Image}}", NULL, "BUSYBOX"},
		{"{{lower \"ABC\"}}", NULL, "abc"},
		{"{{title \"hello wide-world\"}}", NULL, "Hello Wide-World"},
		{"{{split .Config.Image \"s\"}}", NULL, "[bu ybox]"},
		{"{{json .HostConfig.Binds}} {{json .Nope.X}}",
		 "{\"HostConfig\": {\"Binds\": null}}", "null null"},
		{"{{json \"<a&b>\"}}", NULL, "\"<a&b>\""},
	};
	CHECK(cs, &(struct mr_tmpl_opts){.missing = MR_TMPL_MISSING_NOVALUE});
}

static void control_structures_work(void)
{
	static const struct tcase cs[] = {
		{"{{range $i, $e := .Config.Env}}{{$i}}:{{$e}};{{end}}", NULL,
		 "0:PATH=/bin;1:A=1;"},
		{"{{range .Mounts}}x{{else}}none{{end}}", NULL, "none"},
		{"{{range .HostConfig.Binds}}x{{else}}none{{end}}", NULL, "none"},
		{"{{with .State}}{{.Pid}}{{end}}", NULL, "42"},
		{"{{with .HostConfig.Binds}}b{{else}}no binds{{end}}", NULL, "no binds"},
		{"{{with $x := .State.Pid}}{{$x}}{{end}}", NULL, "42"},
		{"{{if .State.Running}}yes{{end}}", NULL, "yes"},
		{"{{if eq .State.Status \"exited\"}}down{{else if .State.Running}}up{{else}}?{{end}}",
		 NULL, "up"},
		{"{{if false}}a{{else if false}}b{{else}}c{{end}}", NULL, "c"},
		{"{{with .Config.Labels.nope}}a{{else with .State}}{{.Status}}{{end}}", NULL,
		 "running"},
		{"{{range .Config.Env}}{{if eq . \"A=1\"}}{{break}}{{end}}[{{.}}]{{end}}", NULL,
		 "[PATH=/bin]"},
		{"{{range .Config.Env}}{{if eq . \"PATH=/bin\"}}{{continue}}{{end}}[{{.}}]{{end}}",
		 NULL, "[A=1]"},
		{"{{range 3}}{{.}}{{end}}", NULL, "012"},
		{"{{range .Config.Env}}{{$.Name}} {{end}}", NULL, "/web /web "},
		{"{{range $v := .Args}}<{{$v}}>{{end}}", NULL, "<-c><sleep 1>"},
	};
	CHECK(cs, NULL);
}

static void variables_and_pipelines_work(void)
{
	static const struct tcase cs[] = {
		{"{{$n := .Name}}{{$n}}", NULL, "/web"},
		{"{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}", NULL, "2"},
		{"{{$x := 1}}{{if true}}{{$x := 2}}{{end}}{{$x}}", NULL, "1"},
		{"{{$.State.Status}}", NULL, "running"},
		{"{{.State.Status | upper | printf \"<%s>\"}}", NULL, "<RUNNING>"},
		{"{{.State.ExitCode | printf \"%03d\"}}", NULL, "000"},
		{"{{\"output\" | printf \"%q\"}}", NULL, "\"output\""},
		{"{{printf \"%q\" (print \"out\" \"put\")}}", NULL, "\"output\""},
		{"{{(index .NetworkSettings.Ports \"80/tcp\" 0).HostPort}}", NULL, "8080"},
		{"{{if and .State.Running (eq .State.ExitCode 0)}}ok{{end}}", NULL, "ok"},
		{"{{or .HostConfig.Binds \"none\"}} {{and 1 0 2}} {{or 0 \"\"}}", NULL, "none 0 "},
		{"{{not .State.Running}} {{not \"\"}}", NULL, "false true"},
	};
	CHECK(cs, NULL);
}

static void literals_and_trimming_work(void)
{
	static const struct tcase cs[] = {
		{"{{1.5}} {{0x10}} {{'a'}} {{-3}} {{1e6}} {{1_000}}", NULL,
		 "1.5 16 97 -3 1e+06 1000"},
		{"{{true}} {{false}}", NULL, "true false"},
		{"{{`raw\\n`}}|{{\"esc\\t\"}}", NULL, "raw\\n|esc\t"},
		{"{{23 -}} < {{- 45}}", NULL, "23<45"},
		{"{{ .Name -}}   \n x", NULL, "/webx"},
		{"a  \n {{- .Name}}", NULL, "a/web"},
		{"{{/* a comment */}}ok", NULL, "ok"},
		{"x  {{- /* a comment */ -}}  ok", NULL, "xok"},
		{"{{.Name}}\\t", NULL, "/web\\t"}, /* \t is docker's --format's, not the engine's */
	};
	CHECK(cs, NULL);
}

static void go_builtins_work(void)
{
	static const struct tcase cs[] = {
		{"{{index .Args 1}}", NULL, "sleep 1"},
		{"{{index . \"b\" 1}}", "{\"b\": [5, 6]}", "6"},
		{"{{slice .Name 1 3}} {{slice .Args 1}}", NULL, "we [sleep 1]"},
		{"{{len .Name}} {{len .Config.Labels}}", NULL, "4 2"},
		{"{{eq .State.Status \"exited\" \"running\"}}", NULL, "true"},
		{"{{ne 1 2}} {{eq .Nope \"x\"}}", "{}", "true false"},
		{"{{lt 1 2}} {{le 2 2}} {{gt \"b\" \"a\"}} {{ge 1 2}} {{lt 1.5 2}}", NULL,
		 "true true true false true"},
		{"{{print 1 2 \"a\" \"b\" 3}}", NULL, "1 2ab3"},
		{"{{println \"a\" 1}}", NULL, "a 1\n"},
		{"{{print .Nope}}", "{}", "<nil>"},
		{"{{html \"<a href='x'>&\\\"</a>\"}}", NULL,
		 "&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;"},
		{"{{js \"it's <b>\"}} {{urlquery \"a b&c/d\"}} {{urlquery 1 2}}", NULL,
		 "it\\'s \\u003Cb\\u003E a+b%26c%2Fd 1+2"},
	};
	CHECK(cs, &(struct mr_tmpl_opts){.missing = MR_TMPL_MISSING_NOVALUE});
}

static void printf_knows_go_verbs(void)
{
	static const struct tcase cs[] = {
		{"{{printf \"%5s|%-5s|\" \"ab\" \"cd\"}}", NULL, "   ab|cd   |"},
		{"{{printf \"%x %X %o %b %c\" 255 255 8 5 65}}", NULL, "ff FF 10 101 A"},
		{"{{printf \"%t %v %v\" true 1.5 .Config.Env}}", NULL, "true 1.5 [PATH=/bin A=1]"},
		{"{{printf \"%q %x\" \"a\\\"b\" \"hi\"}}", NULL, "\"a\\\"b\" 6869"},
		{"{{printf \"%.2f %e %g\" 3.14159 1000.0 0.25}}", NULL, "3.14 1.000000e+03 0.25"},
		{"{{printf \"%05d|%+d|%-4d|%x\" 42 7 3 -255}}", NULL, "00042|+7|3   |-ff"},
		{"{{printf \"%.3s|%6.2f|%%\" \"abcdef\" 2.5}}", NULL, "abc|  2.50|%"},
		{"{{printf \"%d\" \"x\"}}", NULL, "%!d(string=x)"},
		{"{{printf \"%s %s\" \"a\"}}", NULL, "a %!s(MISSING)"},
		{"{{printf \"%s\" \"a\" 2}}", NULL, "a%!(EXTRA int=2)"},
		{"{{printf \"%s\" .Config.Labels}}", NULL, "map[a.b:x com.example:y]"},
		{"{{printf \"%*d|\" 4 7}}", NULL, "   7|"},
	};
	CHECK(cs, NULL);
}

static void parse_errors_are_gos(void)
{
	static const struct tcase cs[] = {
		{"{{.Name }", NULL, "ERR:template: :1: unexpected \"}\" in operand"},
		{"{{", NULL, "ERR:template: :1: unclosed action"},
		{"{{.A}", NULL, "ERR:template: :1: bad character U+007D '}'"},
		{"{{if .A}}", NULL, "ERR:template: :1: unexpected EOF"},
		{"{{.A}}{{end}}", NULL, "ERR:template: :1: unexpected {{end}}"},
		{"{{else}}", NULL, "ERR:template: :1: unexpected {{else}}"},
		{"{{foo .A}}", NULL, "ERR:template: :1: function \"foo\" not defined"},
		{"{{}}", NULL, "ERR:template: :1: missing value for command"},
		{"{{$x}}", NULL, "ERR:template: :1: undefined variable \"$x\""},
		{"{{\"abc}}", NULL, "ERR:template: :1: unterminated quoted string"},
		{"{{/* x }}", NULL, "ERR:template: :1: unclosed comment"},
		{"{{(.A}}", NULL, "ERR:template: :1: unclosed left paren"},
		{"{{.A)}}", NULL, "ERR:template: :1: unexpected right paren"},
		{"{{range}}{{end}}", NULL, "ERR:template: :1: missing value for range"},
		{"{{.A | 3}}", NULL,
		 "ERR:template: :1: non executable command in pipeline stage 2"},
		{"ok\n{{.A}", NULL, "ERR:template: :2: bad character U+007D '}'"},
		{"{{break}}", NULL, "ERR:template: :1: {{break}} outside {{range}}"},
		{"{{3.A}}", NULL, "ERR:template: :1: bad number syntax: \"3.A\""},
	};
	CHECK(cs, NULL);
}

static void execution_errors_are_gos(void)
{
	static const struct tcase cs[] = {
		{"{{.Foo}}", NULL,
		 "ERR:template: :1:2: executing \"\" at <.Foo>: map has no entry for key \"Foo\""},
		{"{{.State.Nope}}", NULL,
		 "ERR:template: :1:8: executing \"\" at <.State.Nope>: map has no entry for key "
		 "\"Nope\""},
		{"x {{index .Args 5}}", NULL,
		 "ERR:template: :1:4: executing \"\" at <index .Args 5>: error calling index: index "
		 "out of range: 5"},
		{"{{.Name.Foo}}", NULL,
		 "ERR:template: :1:7: executing \"\" at <.Name.Foo>: can't evaluate field Foo in "
		 "type interface {}"},
		{"{{.HostConfig.Binds.X}}", NULL,
		 "ERR:template: :1:13: executing \"\" at <.HostConfig.Binds.X>: nil pointer "
		 "evaluating interface {}.X"},
		{"{{range .Name}}{{end}}", NULL,
		 "ERR:template: :1:8: executing \"\" at <.Name>: range can't iterate over /web"},
		{"{{nil}}", NULL,
		 "ERR:template: :1:2: executing \"\" at <nil>: nil is not a command"},
		{"{{lt 1 \"a\"}}", NULL,
		 "ERR:template: :1:2: executing \"\" at <lt 1 \"a\">: error calling lt: "
		 "incompatible types for comparison"},
		{"{{len 3}}", NULL,
		 "ERR:template: :1:2: executing \"\" at <len 3>: error calling len: len of type int"},
		{"{{.Name 1}}", NULL,
		 "ERR:template: :1:2: executing \"\" at <.Name>: Name is not a method but has "
		 "arguments"},
		{"{{3 .A}}", NULL,
		 "ERR:template: :1:2: executing \"\" at <3>: can't give argument to non-function 3"},
		{"{{eq 1}}", NULL,
		 "ERR:template: :1:2: executing \"\" at <eq 1>: error calling eq: missing argument "
		 "for comparison"},
		{"{{upper 3}}", NULL,
		 "ERR:template: :1:8: executing \"\" at <3>: wrong type for value; expected string; "
		 "got int"},
		{"{{upper .State.Pid}}", NULL,
		 "ERR:template: :1:14: executing \"\" at <.State.Pid>: wrong type for value; expected "
		 "string; got json.Number"},
		{"{{ne 1}}", NULL,
		 "ERR:template: :1:2: executing \"\" at <ne>: wrong number of args for ne: want 2 "
		 "got 1"},
	};
	CHECK(cs, NULL);
}

/* a missing key: an error in a struct-like object (inspect), <no value> in a map or under
 * MISSING_NOVALUE, and Go's typed message for a row */
static void missing_keys_behave_as_docker(void)
{
	static const struct tcase guess[] = {
		{"{{.Config.Labels.nope}}", NULL, "<no value>"},
		{"{{.NetworkSettings.Networks.nope.IPAddress}}", NULL, "<no value>"},
		{"{{.Nope}}", "{}", "<no value>"},
	};
	CHECK(guess, NULL);
	static const struct tcase novalue[] = {{"{{.Foo}}", NULL, "<no value>"}};
	CHECK(novalue, &(struct mr_tmpl_opts){.missing = MR_TMPL_MISSING_NOVALUE});
	static const struct tcase field[] = {
		{"{{.ID}}", "{\"ID\": \"abc\"}", "abc"},
		{"{{.Foo}}", "{\"ID\": \"abc\"}",
		 "ERR:template: :1:2: executing \"\" at <.Foo>: can't evaluate field Foo in type "
		 "*formatter.ContainerContext"},
	};
	CHECK(field, &(struct mr_tmpl_opts){.missing = MR_TMPL_MISSING_FIELD,
					    .type_name = "*formatter.ContainerContext"});
}

static json_t *label(void *ctx, json_t *const *args)
{
	json_t *v = json_object_get(ctx, json_string_value(args[0]));
	return v ? json_incref(v) : json_string("");
}

static void label_method_reads_the_rows_labels(void)
{
	json_t *labels = json_pack("{s:s}", "com.example.vendor", "ACME");
	static const struct mr_tmpl_method methods[] = {{"Label", 1, label}, {NULL, 0, NULL}};
	struct mr_tmpl_opts o = {
		.missing = MR_TMPL_MISSING_FIELD, .methods = methods, .ctx = labels};
	static const struct tcase cs[] = {
		{"{{.Label \"com.example.vendor\"}}", "{\"Labels\": \"com.example.vendor=ACME\"}",
		 "ACME"},
		{"{{.Labels}}", "{\"Labels\": \"com.example.vendor=ACME\"}",
		 "com.example.vendor=ACME"},
		{"[{{.Label \"nope\"}}]", "{}", "[]"},
		{"{{.Label}}", "{}",
		 "ERR:template: :1:2: executing \"\" at <.Label>: wrong number of args for Label: want 1 "
		 "got 0"},
	};
	CHECK(cs, &o);
	json_decref(labels);
}

/* --format as docker reads it: "table", \t, the header row, the tabwriter */
static char *format(const char *fmt, const char *dflt, const char *header, const char **rows)
{
	struct mr_format f;
	struct mr_err err = {0};
	char *buf = NULL;
	size_t len = 0;
	if (mr_format_open(&f, fmt, dflt, &err) < 0) {
		mr_format_close(&f);
		if (asprintf(&buf, "ERR:%s", err.msg) < 0)
			return NULL;
		return buf;
	}
	for (size_t i = 0; rows[i]; i++) {
		json_t *r = json_loads(rows[i], 0, NULL);
		mr_format_row(&f, r, NULL, &err);
		json_decref(r);
	}
	json_t *h = json_loads(header, 0, NULL);
	FILE *out = open_memstream(&buf, &len);
	mr_format_print(&f, h, out);
	fclose(out);
	json_decref(h);
	mr_format_close(&f);
	return buf;
}

static void table_format_has_header_and_aligned_columns(void)
{
	const char *hdr = "{\"ID\": \"CONTAINER ID\", \"Names\": \"NAMES\", \"Image\": \"IMAGE\"}";
	const char *rows[] = {
		"{\"ID\": \"3f1c0a9d2b7e\", \"Names\": \"web\", \"Image\": \"busybox\"}",
		"{\"ID\": \"77aa\", \"Names\": \"db\", \"Image\": \"redis\"}", NULL};
	char *s = format("table {{.ID}}\\t{{.Names}}", NULL, hdr, rows);
	CU_ASSERT_STRING_EQUAL(s, "CONTAINER ID   NAMES\n3f1c0a9d2b7e   web\n77aa           db\n");
	free(s);
	/* the default when --format is "table" or absent */
	s = format("table", "table {{.Names}}\\t{{.Image}}", hdr, rows);
	CU_ASSERT_STRING_EQUAL(s, "NAMES     IMAGE\nweb       busybox\ndb        redis\n");
	free(s);
	/* an empty --format is the default too; with no default, an empty template */
	s = format("", "table {{.Names}}", hdr, rows + 1);
	CU_ASSERT_STRING_EQUAL(s, "NAMES\ndb\n");
	free(s);
	s = format("", NULL, hdr, rows + 1);
	CU_ASSERT_STRING_EQUAL(s, "\n");
	free(s);
	/* header functions leave the titles alone */
	s = format("table {{upper .Names}}\\t{{lower .Image}}", NULL, hdr, rows);
	CU_ASSERT_STRING_EQUAL(s, "NAMES     IMAGE\nWEB       busybox\nDB        redis\n");
	free(s);
	/* no table: rows as they are, \n made a newline */
	s = format("  {{.Names}}:{{.Image}}\\n  ", NULL, hdr, rows);
	CU_ASSERT_STRING_EQUAL(s, "web:busybox\n\ndb:redis\n\n");
	free(s);
	s = format("json", NULL, hdr, rows + 1);
	CU_ASSERT_STRING_EQUAL(s, "{\"ID\":\"77aa\",\"Names\":\"db\",\"Image\":\"redis\"}\n");
	free(s);
	/* the header of .Label "KEY" is the key's last dotted part, '_' and '-' made spaces */
	const char *none[] = {NULL};
	s = format("table {{.Names}}\\t{{.Label \"com.example.tier_x\"}}", NULL, hdr, none);
	CU_ASSERT_STRING_EQUAL(s, "NAMES     tier x\n");
	free(s);
	s = format("table {{.ID}", NULL, hdr, rows);
	CU_ASSERT_STRING_EQUAL(s, "ERR:template: :1: bad character U+007D '}'");
	free(s);
}

static void tabwriter_lays_out_as_go(void)
{
	static const struct {
		const char *in, *want;
	} cs[] = {
		{"a\tb\n", "a         b\n"},
		{"aaaaaaaaaaaa\tb\nc\td\n", "aaaaaaaaaaaa   b\nc              d\n"},
		/* a line without the column ends the block: widths start again below it */
		{"long-long-long\tx\nno tab\nc\td\n", "long-long-long   x\nno tab\nc         d\n"},
		{"é\tx\n", "é         x\n"},
		{"a\tb\tc\nddddddddddd\te\n", "a             b         c\nddddddddddd   e\n"},
	};
	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&buf, &len);
		mr_tabwrite(cs[i].in, strlen(cs[i].in), out);
		fclose(out);
		if (strcmp(buf, cs[i].want))
			fprintf(stderr, "\n  tabwriter want [%s]\n  got [%s]\n", cs[i].want, buf);
		CU_ASSERT_STRING_EQUAL(buf, cs[i].want);
		free(buf);
	}
}

static CU_TestInfo tests[] = {
	{"fields and printing follow Go", fields_and_printing_follow_go},
	{"docker course idioms work", docker_course_idioms_work},
	{"docker's functions work", docker_functions_work},
	{"control structures work", control_structures_work},
	{"variables and pipelines work", variables_and_pipelines_work},
	{"literals and trimming work", literals_and_trimming_work},
	{"Go's builtins work", go_builtins_work},
	{"printf knows Go's verbs", printf_knows_go_verbs},
	{"parse errors are Go's", parse_errors_are_gos},
	{"execution errors are Go's", execution_errors_are_gos},
	{"missing keys behave as docker", missing_keys_behave_as_docker},
	{".Label reads the row's labels", label_method_reads_the_rows_labels},
	{"table format: header and aligned columns", table_format_has_header_and_aligned_columns},
	{"tabwriter lays out as Go's", tabwriter_lays_out_as_go},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("template", tests)

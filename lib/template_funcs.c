/*
 * lib/template_funcs.c - the functions a template calls, and how its values print.
 *
 * Go's builtins (and or not len index slice print printf println eq ne lt le gt ge html js
 * urlquery call) and the
 * ones docker adds (json join split title lower upper pad truncate), with Go's results and
 * messages: `index .Args 9` is "error calling index: index out of range: 9", `upper 3` is
 * "wrong type for value; expected string; got int".
 *
 * Printing is Go's fmt over the types JSON decodes to: a string bare, an integer in decimal,
 * a real as %g with the fewest digits that read back the same (1e+06, 0.5), [a b] for an
 * array, map[k:v] for an object with its keys sorted, <nil> for a null inside them.
 * printf is template_printf.c.
 *
 * See: template.h; https://pkg.go.dev/text/template#hdr-Functions, https://pkg.go.dev/fmt,
 *      docker/cli templates/templates.go
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/template_impl.h"

/* ---- values ------------------------------------------------------------------------------ */

const char *tval_type(json_t *v)
{
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING: return "string";
	case JSON_INTEGER: return "int";
	case JSON_REAL: return "float64";
	case JSON_TRUE:
	case JSON_FALSE: return "bool";
	case JSON_ARRAY: return "[]interface {}";
	case JSON_OBJECT: return "map[string]interface {}";
	default: return "<nil>";
	}
}

bool tval_truth(json_t *v)
{
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0;
	case JSON_TRUE: return true;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_OBJECT: return json_object_size(v) > 0;
	default: return false;
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **tval_keys(json_t *obj, size_t *n)
{
	const char **keys = calloc(json_object_size(obj) + 1, sizeof(*keys));
	const char *k;
	json_t *v;
	*n = 0;
	if (!keys)
		abort();
	json_object_foreach(obj, k, v)
	{
		keys[(*n)++] = k;
	}
	qsort(keys, *n, sizeof(*keys), cmp_str);
	return keys;
}

/* Go's strconv.FormatFloat(f, 'g', -1, 64): the shortest digits that read back as F, in
 * %e form when the exponent is below -4 or at least 6 */
void tval_format_real(double f, char *buf, size_t len)
{
	if (isnan(f)) {
		snprintf(buf, len, "NaN");
		return;
	}
	if (isinf(f)) {
		snprintf(buf, len, "%sInf", f < 0 ? "-" : "+");
		return;
	}
	char e[64];
	int prec = 1;
	for (; prec < 17; prec++) {
		snprintf(e, sizeof(e), "%.*e", prec - 1, f);
		if (strtod(e, NULL) == f)
			break;
	}
	snprintf(e, sizeof(e), "%.*e", prec - 1, f);
	int exp = atoi(strchr(e, 'e') + 1);
	if (exp < -4 || exp >= 6) {
		/* Go keeps the mantissa's digits as found: 1.5e+07 */
		snprintf(buf, len, "%s", e);
	} else {
		int decimals = prec - 1 - exp;
		snprintf(buf, len, "%.*f", decimals < 0 ? 0 : decimals, f);
	}
}

bool tval_struct_like(json_t *obj)
{
	const char *k;
	json_t *v;
	if (!json_object_size(obj))
		return false;
	json_object_foreach(obj, k, v)
	{
		if (!(k[0] >= 'A' && k[0] <= 'Z'))
			return false;
	}
	return true;
}

enum {
	PV_TOP = 1,     /* the action's value, not inside a collection */
	PV_STRUCTS = 2, /* inspect's JSON: objects that look like Go structs print as {a b} */
	PV_IN_MAP = 4,  /* a map's value */
};

/* V as %v (HOW: PV_*) */
static void print_v(FILE *out, json_t *v, int how)
{
	char num[64];
	int inner = how & PV_STRUCTS;
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING: fwrite(json_string_value(v), 1, json_string_length(v), out); break;
	case JSON_INTEGER: fprintf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
	case JSON_REAL:
		tval_format_real(json_real_value(v), num, sizeof(num));
		fputs(num, out);
		break;
	case JSON_TRUE: fputs("true", out); break;
	case JSON_FALSE: fputs("false", out); break;
	case JSON_ARRAY: {
		size_t i;
		json_t *e;
		fputc('[', out);
		json_array_foreach(v, i, e)
		{
			if (i)
				fputc(' ', out);
			print_v(out, e, inner);
		}
		fputc(']', out);
		break;
	}
	case JSON_OBJECT: {
		/* Go prints a struct's values in its order, {on-failure 3}; docker's JSON keeps
		 * that order. An empty object that is a map's value is an empty struct
		 * (ExposedPorts: map[80/tcp:{}]); elsewhere an empty map, map[]. */
		if ((how & PV_STRUCTS) &&
		    (tval_struct_like(v) || (!json_object_size(v) && (how & PV_IN_MAP)))) {
			const char *k;
			json_t *e;
			bool first = true;
			fputc('{', out);
			json_object_foreach(v, k, e)
			{
				fputs(first ? "" : " ", out);
				print_v(out, e, inner);
				first = false;
			}
			fputc('}', out);
			break;
		}
		size_t n;
		const char **keys = tval_keys(v, &n);
		fputs("map[", out);
		for (size_t i = 0; i < n; i++) {
			fprintf(out, "%s%s:", i ? " " : "", keys[i]);
			print_v(out, json_object_get(v, keys[i]), inner | PV_IN_MAP);
		}
		fputc(']', out);
		free(keys);
		break;
	}
	default: fputs(how & PV_TOP ? "<no value>" : "<nil>", out); break;
	}
}

void tval_print(FILE *out, json_t *v, bool top, bool structs)
{
	print_v(out, v, (top ? PV_TOP : 0) | (structs ? PV_STRUCTS : 0));
}

/* does S print objects as Go structs (inspect's JSON)? */
static bool structs(struct texec *s)
{
	return texec_opts(s)->missing == MR_TMPL_MISSING_GUESS;
}

/* ---- argument checks --------------------------------------------------------------------- */

/* ARGS[I] as a string (an int), or Go's message, placed at that argument */
static bool want_string(struct texec *s, json_t *const *args, size_t i, const char **out)
{
	json_t *v = args[i];
	if (json_is_string(v)) {
		*out = json_string_value(v);
		return true;
	}
	texec_at_arg(s, i);
	if (!v || json_is_null(v))
		texec_fail(s, "invalid value; expected string");
	else
		texec_fail(s, "wrong type for value; expected string; got %s", texec_type(s, v));
	return false;
}

static bool want_int(struct texec *s, json_t *const *args, size_t i, long long *out)
{
	json_t *v = args[i];
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return true;
	}
	texec_at_arg(s, i);
	if (!v || json_is_null(v))
		texec_fail(s, "invalid value; expected int");
	else
		texec_fail(s, "wrong type for value; expected int; got %s", texec_type(s, v));
	return false;
}

/* ---- Go's builtins ----------------------------------------------------------------------- */

static json_t *f_not(struct texec *s, json_t *const *a, size_t n)
{
	(void)s, (void)n;
	return json_boolean(!tval_truth(a[0]));
}

static json_t *f_len(struct texec *s, json_t *const *a, size_t n)
{
	(void)n;
	if (json_is_string(a[0]))
		return json_integer((json_int_t)json_string_length(a[0]));
	if (json_is_array(a[0]))
		return json_integer((json_int_t)json_array_size(a[0]));
	if (json_is_object(a[0]))
		return json_integer((json_int_t)json_object_size(a[0]));
	if (!a[0] || json_is_null(a[0]))
		return texec_fail(s, "error calling len: len of nil pointer");
	return texec_fail(s, "error calling len: len of type %s", tval_type(a[0]));
}

/* index of a missing key: Go gives the map's zero value; for inspect's maps of strings
 * (Labels, Options) that is "", for JSON's map[string]interface{} <no value> */
static json_t *missing_entry(struct texec *s, json_t *obj)
{
	const char *k;
	json_t *v;
	if (texec_opts(s)->missing == MR_TMPL_MISSING_NOVALUE)
		return NULL;
	json_object_foreach(obj, k, v)
	{
		if (!json_is_string(v))
			return NULL;
	}
	return json_string("");
}

static json_t *f_index(struct texec *s, json_t *const *a, size_t n)
{
	json_t *cur = a[0];
	for (size_t i = 1; i < n; i++) {
		long long k;
		if (json_is_array(cur) || json_is_string(cur)) {
			if (!json_is_integer(a[i]))
				return texec_fail(
					s,
					"error calling index: cannot index slice/array with type %s",
					tval_type(a[i]));
			k = json_integer_value(a[i]);
			size_t size =
				json_is_array(cur) ? json_array_size(cur) : json_string_length(cur);
			if (k < 0 || (size_t)k >= size)
				return texec_fail(
					s, "error calling index: index out of range: %lld", k);
			if (json_is_string(cur)) {
				if (i + 1 < n)
					return texec_fail(
						s,
						"error calling index: can't index item of type uint8");
				return json_integer((unsigned char)json_string_value(cur)[k]);
			}
			cur = json_array_get(cur, (size_t)k);
		} else if (json_is_object(cur)) {
			if (!json_is_string(a[i]))
				return texec_fail(
					s,
					"error calling index: value has type %s; should be string",
					tval_type(a[i]));
			json_t *v = json_object_get(cur, json_string_value(a[i]));
			if (!v)
				return i + 1 < n
					       ? texec_fail(
							 s,
							 "error calling index: index of untyped nil")
					       : missing_entry(s, cur);
			cur = v;
		} else if (!cur || json_is_null(cur)) {
			return texec_fail(s, "error calling index: index of untyped nil");
		} else {
			return texec_fail(s, "error calling index: can't index item of type %s",
					  tval_type(cur));
		}
	}
	return cur ? json_incref(cur) : NULL;
}

static json_t *f_slice(struct texec *s, json_t *const *a, size_t n)
{
	json_t *x = a[0];
	if (!json_is_array(x) && !json_is_string(x))
		return texec_fail(s, "error calling slice: can't slice item of type %s",
				  tval_type(x));
	long long size =
		json_is_array(x) ? (long long)json_array_size(x) : (long long)json_string_length(x);
	long long idx[3] = {0, size, size};
	if (n > 4 || (n == 4 && json_is_string(x)))
		return texec_fail(s, "error calling slice: too many slice indexes: %zu", n - 1);
	for (size_t i = 1; i < n; i++) {
		if (!want_int(s, a, i, &idx[i - 1]))
			return NULL;
		if (idx[i - 1] < 0 || idx[i - 1] > size)
			return texec_fail(s, "error calling slice: index out of range: %lld",
					  idx[i - 1]);
	}
	if (n < 4)
		idx[2] = size;
	if (idx[0] > idx[1] || idx[1] > idx[2])
		return texec_fail(s, "error calling slice: invalid slice index: %lld > %lld",
				  idx[0] > idx[1] ? idx[0] : idx[1],
				  idx[0] > idx[1] ? idx[1] : idx[2]);
	if (json_is_string(x))
		return json_stringn(json_string_value(x) + idx[0], (size_t)(idx[1] - idx[0]));
	json_t *r = json_array();
	for (long long i = idx[0]; i < idx[1]; i++)
		json_array_append(r, json_array_get(x, (size_t)i));
	return r;
}

/* fmt.Sprint: a space between two operands when neither is a string; Sprintln: always,
 * and a newline */
static json_t *sprint(json_t *const *a, size_t n, bool ln, bool as_structs)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (i && (ln || (!json_is_string(a[i - 1]) && !json_is_string(a[i]))))
			fputc(' ', f);
		print_v(f, a[i], as_structs ? PV_STRUCTS : 0);
	}
	if (ln)
		fputc('\n', f);
	fclose(f);
	json_t *r = json_stringn(buf, len);
	free(buf);
	return r ? r : json_string("");
}

static json_t *f_print(struct texec *s, json_t *const *a, size_t n)
{
	(void)s;
	return sprint(a, n, false, structs(s));
}

static json_t *f_println(struct texec *s, json_t *const *a, size_t n)
{
	(void)s;
	return sprint(a, n, true, structs(s));
}

/* ---- comparisons ------------------------------------------------------------------------- */

enum kind { K_NONE, K_BOOL, K_NUM, K_STRING, K_OTHER };

static enum kind kind_of(json_t *v)
{
	if (!v || json_is_null(v))
		return K_NONE;
	if (json_is_boolean(v))
		return K_BOOL;
	if (json_is_number(v))
		return K_NUM;
	if (json_is_string(v))
		return K_STRING;
	return K_OTHER;
}

/* <0, 0, >0; -2 with a message when A and B do not compare (ORDERED: lt le gt ge) */
static int compare(struct texec *s, const char *fn, json_t *a, json_t *b, bool ordered, bool *ok)
{
	enum kind ka = kind_of(a), kb = kind_of(b);
	*ok = true;
	if (ordered && (ka == K_NONE || ka == K_BOOL || ka == K_OTHER || kb == K_NONE ||
			kb == K_BOOL || kb == K_OTHER)) {
		*ok = false;
		texec_fail(s, "error calling %s: invalid type for comparison", fn);
		return 0;
	}
	if (ka != kb) {
		if (ka != K_NONE && kb != K_NONE) {
			*ok = false;
			texec_fail(s, "error calling %s: incompatible types for comparison", fn);
		}
		return 1; /* something and nothing differ */
	}
	switch (ka) {
	case K_NONE: return 0;
	case K_BOOL: return json_is_true(a) != json_is_true(b);
	case K_STRING: return strcmp(json_string_value(a), json_string_value(b));
	case K_NUM:
		if (json_is_integer(a) && json_is_integer(b))
			return json_integer_value(a) < json_integer_value(b)   ? -1
			       : json_integer_value(a) > json_integer_value(b) ? 1
									       : 0;
		return json_number_value(a) < json_number_value(b)   ? -1
		       : json_number_value(a) > json_number_value(b) ? 1
								     : 0;
	default:
		*ok = false;
		texec_fail(s, "error calling %s: non-comparable type %s", fn, tval_type(a));
		return 0;
	}
}

static json_t *f_eq(struct texec *s, json_t *const *a, size_t n)
{
	bool ok;
	if (n < 2)
		return texec_fail(s, "error calling eq: missing argument for comparison");
	for (size_t i = 1; i < n; i++) {
		int c = compare(s, "eq", a[0], a[i], false, &ok);
		if (!ok)
			return NULL;
		if (c == 0)
			return json_true();
	}
	return json_false();
}

static json_t *f_ne(struct texec *s, json_t *const *a, size_t n)
{
	bool ok;
	(void)n;
	int c = compare(s, "ne", a[0], a[1], false, &ok);
	return ok ? json_boolean(c != 0) : NULL;
}

#define ORDER_FN(name, test)                                                                       \
	static json_t *f_##name(struct texec *s, json_t *const *a, size_t n)                       \
	{                                                                                          \
		bool ok;                                                                           \
		(void)n;                                                                           \
		int c = compare(s, #name, a[0], a[1], true, &ok);                                  \
		return ok ? json_boolean(test) : NULL;                                             \
	}
ORDER_FN(lt, c < 0)
ORDER_FN(le, c <= 0)
ORDER_FN(gt, c > 0)
ORDER_FN(ge, c >= 0)

/* ---- docker's functions ------------------------------------------------------------------ */

/* json: compact, with '<' '>' '&' as they are (docker turns Go's HTML escaping off) */
static json_t *f_json(struct texec *s, json_t *const *a, size_t n)
{
	(void)n;
	/* a row (ps, images ...) is a Go struct docker marshals through a map: keys sorted */
	size_t flags = JSON_COMPACT | JSON_ENCODE_ANY;
	if (texec_opts(s)->missing == MR_TMPL_MISSING_FIELD)
		flags |= JSON_SORT_KEYS;
	char *text = a[0] ? json_dumps(a[0], flags) : NULL;
	json_t *r = json_string(text ? text : "null");
	free(text);
	return r;
}

static json_t *f_join(struct texec *s, json_t *const *a, size_t n)
{
	const char *sep;
	(void)n;
	if (!json_is_array(a[0]))
		return texec_fail(s, "wrong type for value; expected []string; got %s",
				  tval_type(a[0]));
	if (!want_string(s, a, 1, &sep))
		return NULL;
	char *buf = NULL;
	size_t len = 0, i;
	json_t *e;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		abort();
	json_array_foreach(a[0], i, e)
	{
		if (i)
			fputs(sep, f);
		print_v(f, e, structs(s) ? PV_STRUCTS : 0);
	}
	fclose(f);
	json_t *r = json_stringn(buf, len);
	free(buf);
	return r;
}

static json_t *f_split(struct texec *s, json_t *const *a, size_t n)
{
	const char *str, *sep;
	(void)n;
	if (!want_string(s, a, 0, &str) || !want_string(s, a, 1, &sep))
		return NULL;
	json_t *r = json_array();
	size_t seplen = strlen(sep);
	if (!seplen) { /* each UTF-8 sequence */
		for (const char *p = str; *p;) {
			size_t l = 1;
			while (p[l] && ((unsigned char)p[l] & 0xC0) == 0x80)
				l++;
			json_array_append_new(r, json_stringn(p, l));
			p += l;
		}
		return r;
	}
	for (const char *p = str;;) {
		const char *q = strstr(p, sep);
		json_array_append_new(r, json_stringn(p, q ? (size_t)(q - p) : strlen(p)));
		if (!q)
			break;
		p = q + seplen;
	}
	return r;
}

/* upper, lower, title: ASCII letters change, other bytes stay */
static json_t *recase(struct texec *s, json_t *const *a, int how)
{
	const char *str;
	if (!want_string(s, a, 0, &str))
		return NULL;
	char *t = strdup(str);
	bool word_start = true;
	for (char *p = t; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (how == 'u')
			*p = (char)toupper(c);
		else if (how == 'l')
			*p = (char)tolower(c);
		else if (word_start)
			*p = (char)toupper(c);
		/* strings.Title: a letter, digit, '_' or any non-ASCII byte is inside a word */
		word_start = !(isalnum(c) || c == '_' || c >= 0x80);
	}
	json_t *r = json_string(t);
	free(t);
	return r;
}

static json_t *f_upper(struct texec *s, json_t *const *a, size_t n)
{
	(void)n;
	return recase(s, a, 'u');
}

static json_t *f_lower(struct texec *s, json_t *const *a, size_t n)
{
	(void)n;
	return recase(s, a, 'l');
}

static json_t *f_title(struct texec *s, json_t *const *a, size_t n)
{
	(void)n;
	return recase(s, a, 't');
}

/* truncate S N: the first N bytes (docker cuts bytes, not characters) */
static json_t *f_truncate(struct texec *s, json_t *const *a, size_t n)
{
	const char *str;
	long long len;
	(void)n;
	if (!want_string(s, a, 0, &str) || !want_int(s, a, 1, &len))
		return NULL;
	if (len < 0)
		return texec_fail(s, "error calling truncate: slice bounds out of range [:%lld]",
				  len);
	size_t l = strlen(str);
	return json_stringn(str, (size_t)len < l ? (size_t)len : l);
}

/* pad S BEFORE AFTER: spaces around S, and nothing around an empty S */
static json_t *f_pad(struct texec *s, json_t *const *a, size_t n)
{
	const char *str;
	long long before, after;
	(void)n;
	if (!want_string(s, a, 0, &str) || !want_int(s, a, 1, &before) ||
	    !want_int(s, a, 2, &after))
		return NULL;
	if (!*str)
		return json_string("");
	if (before < 0 || after < 0)
		return texec_fail(s, "error calling pad: negative Repeat count");
	char *buf = NULL;
	if (asprintf(&buf, "%*s%s%*s", (int)before, "", str, (int)after, "") < 0)
		abort();
	json_t *r = json_string(buf);
	free(buf);
	return r;
}

/* ---- Go's escapers: html, js, urlquery -------------------------------------------------- */

/* the text an escaper works on: a lone string as it is, else fmt.Sprint of the arguments */
static char *escaper_input(json_t *const *a, size_t n, bool as_structs)
{
	if (n == 1 && json_is_string(a[0]))
		return strdup(json_string_value(a[0]));
	json_t *v = sprint(a, n, false, as_structs);
	char *r = strdup(json_string_value(v));
	json_decref(v);
	return r;
}

static json_t *escaped(json_t *const *a, size_t n, char how, bool as_structs)
{
	char *in = escaper_input(a, n, as_structs), *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f || !in)
		abort();
	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		unsigned char c = *p;
		if (how == 'h') { /* template.HTMLEscapeString */
			const char *e = c == '"'    ? "&#34;"
					: c == '\'' ? "&#39;"
					: c == '&'  ? "&amp;"
					: c == '<'  ? "&lt;"
					: c == '>'  ? "&gt;"
						    : NULL;
			e ? (void)fputs(e, f) : (void)fputc(c, f);
		} else if (how == 'j') { /* template.JSEscapeString */
			if (c == '\\' || c == '\'' || c == '"')
				fprintf(f, "\\%c", c);
			else if (c == '<' || c == '>' || c == '&' || c == '=' || c < 0x20)
				fprintf(f, "\\u%04X", c);
			else
				fputc(c, f);
		} else { /* url.QueryEscape */
			if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
				fputc(c, f);
			else if (c == ' ')
				fputc('+', f);
			else
				fprintf(f, "%%%02X", c);
		}
	}
	fclose(f);
	json_t *r = json_stringn(buf, len);
	free(buf);
	free(in);
	return r ? r : json_string("");
}

static json_t *f_html(struct texec *s, json_t *const *a, size_t n)
{
	return escaped(a, n, 'h', structs(s));
}

static json_t *f_js(struct texec *s, json_t *const *a, size_t n)
{
	return escaped(a, n, 'j', structs(s));
}

static json_t *f_urlquery(struct texec *s, json_t *const *a, size_t n)
{
	return escaped(a, n, 'u', structs(s));
}

/* call FN ARGS...: JSON holds no functions, so there is never one to call */
static json_t *f_call(struct texec *s, json_t *const *a, size_t n)
{
	char what[128];
	(void)n;
	if (!a[0] || json_is_null(a[0]))
		return texec_fail(s, "error calling call: call of nil");
	texec_arg_string(s, 0, what, sizeof(what));
	return texec_fail(s, "error calling call: non-function %s of type %s", what,
			  tval_type(a[0]));
}

static json_t *f_none(struct texec *s, json_t *const *a, size_t n)
{
	(void)s, (void)a, (void)n;
	return NULL; /* "and" and "or": run by the executor */
}

static const struct tfunc funcs[] = {
	{"and", 1, -1, f_none, false},
	{"or", 1, -1, f_none, false},
	{"not", 1, 1, f_not, false},
	{"len", 1, 1, f_len, false},
	{"index", 1, -1, f_index, false},
	{"slice", 1, -1, f_slice, false},
	{"print", 0, -1, f_print, false},
	{"printf", 1, -1, tfunc_printf, false},
	{"println", 0, -1, f_println, false},
	{"eq", 1, -1, f_eq, false},
	{"ne", 2, 2, f_ne, false},
	{"lt", 2, 2, f_lt, false},
	{"le", 2, 2, f_le, false},
	{"gt", 2, 2, f_gt, false},
	{"ge", 2, 2, f_ge, false},
	{"json", 1, 1, f_json, true},
	{"join", 2, 2, f_join, true},
	{"split", 2, 2, f_split, true},
	{"upper", 1, 1, f_upper, true},
	{"lower", 1, 1, f_lower, true},
	{"title", 1, 1, f_title, true},
	{"truncate", 2, 2, f_truncate, true},
	{"pad", 3, 3, f_pad, false},
	{"html", 0, -1, f_html, false},
	{"js", 0, -1, f_js, false},
	{"urlquery", 0, -1, f_urlquery, false},
	{"call", 1, -1, f_call, false},
};

const struct tfunc *tfunc_find(const char *name)
{
	for (size_t i = 0; i < sizeof(funcs) / sizeof(funcs[0]); i++)
		if (!strcmp(funcs[i].name, name))
			return &funcs[i];
	return NULL;
}

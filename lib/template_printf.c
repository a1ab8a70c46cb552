/*
 * lib/template_printf.c - the template's printf: Go's fmt.Sprintf over JSON values.
 *
 * The verbs a docker template uses, with Go's meaning: %v (as the action prints it), %s,
 * %q (a Go-quoted string, or a quoted character for an integer), %d %x %X %o %b %c for
 * integers and %U (U+0041) (%x of a string is its bytes in hex), %t, %f %e %g for reals; flags "-+#
 *0", widths and precisions, "*" taking them from the arguments; the verb applies to each element of
 *an array or a map ("%s" of [a b] is [a b]). What does not fit prints as Go prints it:
 *%!d(string=x), %!s(MISSING), %!(EXTRA int=2), %!(NOVERB).
 *
 *	{{printf "%-10s|%5.1f" .Name 2.25}}  ->  "/web      |  2.2"
 *
 * See: template_impl.h; https://pkg.go.dev/fmt
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/template_impl.h"

struct spec {
	bool minus, plus, sharp, space, zero;
	int width, prec; /* -1: none */
	bool structs;    /* inspect's JSON: struct-like objects print as {a b} */
	char verb;
};

static size_t runes(const char *s, size_t len)
{
	size_t r = 0;
	for (size_t i = 0; i < len; i++)
		r += ((unsigned char)s[i] & 0xC0) != 0x80;
	return r;
}

/* write S[0..len) padded to the width, as fmt.pad does */
static void pad(FILE *out, const struct spec *sp, const char *s, size_t len, bool zero_ok)
{
	size_t w = runes(s, len);
	size_t fill = sp->width > 0 && (size_t)sp->width > w ? (size_t)sp->width - w : 0;
	if (sp->minus) {
		fwrite(s, 1, len, out);
		for (size_t i = 0; i < fill; i++)
			fputc(' ', out);
		return;
	}
	bool zeros = sp->zero && zero_ok;
	size_t sign = zeros && len && (s[0] == '-' || s[0] == '+') ? 1 : 0;
	fwrite(s, 1, sign, out);
	for (size_t i = 0; i < fill; i++)
		fputc(zeros ? '0' : ' ', out);
	fwrite(s + sign, 1, len - sign, out);
}

/* strconv.Quote */
static void quote(FILE *out, const char *s, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = c == '"'    ? "\\\""
				  : c == '\\' ? "\\\\"
				  : c == '\n' ? "\\n"
				  : c == '\t' ? "\\t"
				  : c == '\r' ? "\\r"
				  : c == '\a' ? "\\a"
				  : c == '\b' ? "\\b"
				  : c == '\f' ? "\\f"
				  : c == '\v' ? "\\v"
					      : NULL;
		if (esc)
			fputs(esc, out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void utf8_put(FILE *out, long cp)
{
	if (cp < 0 || cp > 0x10FFFF)
		cp = 0xFFFD;
	if (cp < 0x80) {
		fputc((int)cp, out);
	} else if (cp < 0x800) {
		fputc((int)(0xC0 | (cp >> 6)), out);
		fputc((int)(0x80 | (cp & 0x3F)), out);
	} else if (cp < 0x10000) {
		fputc((int)(0xE0 | (cp >> 12)), out);
		fputc((int)(0x80 | ((cp >> 6) & 0x3F)), out);
		fputc((int)(0x80 | (cp & 0x3F)), out);
	} else {
		fputc((int)(0xF0 | (cp >> 18)), out);
		fputc((int)(0x80 | ((cp >> 12) & 0x3F)), out);
		fputc((int)(0x80 | ((cp >> 6) & 0x3F)), out);
		fputc((int)(0x80 | (cp & 0x3F)), out);
	}
}

/* an integer in BASE with Go's sign, prefix, precision (minimum digits) and padding */
static void fmt_int(FILE *out, const struct spec *sp, long long v, int base, bool upper)
{
	char digits[80], buf[128];
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t nd = 0;
	do {
		digits[nd++] = set[u % (unsigned)base];
		u /= (unsigned)base;
	} while (u);
	if (sp->prec == 0 && v == 0)
		nd = 0;
	size_t o = 0;
	if (v < 0)
		buf[o++] = '-';
	else if (sp->plus)
		buf[o++] = '+';
	else if (sp->space)
		buf[o++] = ' ';
	if (sp->sharp && base == 16)
		buf[o++] = '0', buf[o++] = upper ? 'X' : 'x';
	else if (sp->sharp && base == 8)
		buf[o++] = '0';
	else if (sp->sharp && base == 2)
		buf[o++] = '0', buf[o++] = 'b';
	for (int i = (int)nd; i < sp->prec; i++)
		buf[o++] = '0';
	while (nd)
		buf[o++] = digits[--nd];
	pad(out, sp, buf, o, sp->prec < 0);
}

static void fmt_float(FILE *out, const struct spec *sp, double f)
{
	char fmtbuf[32], buf[512];
	if (sp->verb == 'v' || ((sp->verb == 'g' || sp->verb == 'G') && sp->prec < 0)) {
		char tmp[64];
		tval_format_real(f, tmp, sizeof(tmp));
		snprintf(buf, sizeof(buf), "%s%s", sp->plus && f >= 0 ? "+" : "", tmp);
	} else {
		snprintf(fmtbuf, sizeof(fmtbuf), "%%%s%s%s.%d%c", sp->plus ? "+" : "",
			 sp->space ? " " : "", sp->sharp ? "#" : "", sp->prec < 0 ? 6 : sp->prec,
			 sp->verb == 'F' ? 'f' : sp->verb);
		snprintf(buf, sizeof(buf), fmtbuf, f);
	}
	pad(out, sp, buf, strlen(buf), true);
}

static void fmt_value(FILE *out, const struct spec *sp, json_t *v);

/* Go's "%!d(string=x)": a verb that does not fit the value */
static void bad_verb(FILE *out, char verb, json_t *v)
{
	fprintf(out, "%%!%c(", verb);
	if (!v || json_is_null(v)) {
		fputs("<nil>", out);
	} else {
		fprintf(out, "%s=", tval_type(v));
		tval_print(out, v, false, false);
	}
	fputc(')', out);
}

static void fmt_value(FILE *out, const struct spec *sp, json_t *v)
{
	char c = sp->verb;
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING: {
		const char *s = json_string_value(v);
		size_t len = json_string_length(v);
		if (c == 'v' || c == 's') {
			size_t cut = len;
			if (sp->prec >= 0) { /* precision counts runes */
				size_t r = 0;
				for (cut = 0; cut < len; cut++)
					if (((unsigned char)s[cut] & 0xC0) != 0x80 &&
					    r++ == (size_t)sp->prec)
						break;
			}
			pad(out, sp, s, cut, false);
		} else if (c == 'q') {
			char *buf = NULL;
			size_t blen = 0;
			FILE *f = open_memstream(&buf, &blen);
			quote(f, s, len);
			fclose(f);
			pad(out, sp, buf, blen, false);
			free(buf);
		} else if (c == 'x' || c == 'X') {
			char *buf = malloc(2 * len + 1);
			for (size_t i = 0; i < len; i++)
				sprintf(buf + 2 * i, c == 'x' ? "%02x" : "%02X",
					(unsigned char)s[i]);
			buf[2 * len] = 0;
			pad(out, sp, buf, 2 * len, false);
			free(buf);
		} else {
			bad_verb(out, c, v);
		}
		return;
	}
	case JSON_INTEGER: {
		long long i = json_integer_value(v);
		switch (c) {
		case 'v':
		case 'd': fmt_int(out, sp, i, 10, false); return;
		case 'x': fmt_int(out, sp, i, 16, false); return;
		case 'X': fmt_int(out, sp, i, 16, true); return;
		case 'o': fmt_int(out, sp, i, 8, false); return;
		case 'b': fmt_int(out, sp, i, 2, false); return;
		case 'c': {
			char buf[8] = {0};
			FILE *f = fmemopen(buf, sizeof(buf), "w");
			utf8_put(f, (long)i);
			fclose(f);
			pad(out, sp, buf, strlen(buf), false);
			return;
		}
		case 'U': {
			char buf[32] = {0};
			FILE *f = fmemopen(buf, sizeof(buf), "w");
			fprintf(f, "U+%04llX", i);
			if (sp->sharp) { /* %#U: U+0041 'A' */
				fputs(" '", f);
				utf8_put(f, (long)i);
				fputc('\'', f);
			}
			fclose(f);
			pad(out, sp, buf, strlen(buf), false);
			return;
		}
		case 'q': {
			char buf[16] = {0};
			FILE *f = fmemopen(buf, sizeof(buf), "w");
			fputc('\'', f);
			utf8_put(f, (long)i);
			fputc('\'', f);
			fclose(f);
			pad(out, sp, buf, strlen(buf), false);
			return;
		}
		default: bad_verb(out, c, v); return;
		}
	}
	case JSON_REAL:
		if (strchr("vfFeEgG", c))
			fmt_float(out, sp, json_real_value(v));
		else
			bad_verb(out, c, v);
		return;
	case JSON_TRUE:
	case JSON_FALSE:
		if (c == 'v' || c == 't')
			pad(out, sp, json_is_true(v) ? "true" : "false", json_is_true(v) ? 4 : 5,
			    false);
		else
			bad_verb(out, c, v);
		return;
	case JSON_ARRAY: {
		/* the verb applies to each element: [a b] */
		size_t i;
		json_t *e;
		fputc('[', out);
		json_array_foreach(v, i, e)
		{
			if (i)
				fputc(' ', out);
			fmt_value(out, sp, e);
		}
		fputc(']', out);
		return;
	}
	case JSON_OBJECT: {
		if (sp->structs && tval_struct_like(v)) { /* {on-failure 3}, as the action prints */
			const char *k;
			json_t *e;
			bool first = true;
			fputc('{', out);
			json_object_foreach(v, k, e)
			{
				fputs(first ? "" : " ", out);
				fmt_value(out, sp, e);
				first = false;
			}
			fputc('}', out);
			return;
		}
		size_t n;
		const char **keys = tval_keys(v, &n);
		fputs("map[", out);
		for (size_t i = 0; i < n; i++) {
			json_t *k = json_string(keys[i]);
			fputs(i ? " " : "", out);
			fmt_value(out, sp, k);
			fputc(':', out);
			fmt_value(out, sp, json_object_get(v, keys[i]));
			json_decref(k);
		}
		fputc(']', out);
		free(keys);
		return;
	}
	default:
		if (c == 'v')
			pad(out, sp, "<nil>", 5, false);
		else
			bad_verb(out, c, NULL);
	}
}

json_t *tfunc_printf(struct texec *s, json_t *const *a, size_t n)
{
	if (!json_is_string(a[0]))
		return texec_fail(s, "wrong type for value; expected string; got %s",
				  tval_type(a[0]));
	const char *fmt = json_string_value(a[0]);
	char *buf = NULL;
	size_t len = 0, arg = 1;
	FILE *out = open_memstream(&buf, &len);
	if (!out)
		abort();
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			fputc(*p, out);
			continue;
		}
		struct spec sp = {.width = -1,
				  .prec = -1,
				  .structs = texec_opts(s)->missing == MR_TMPL_MISSING_GUESS};
		for (p++;; p++) {
			if (*p == '-')
				sp.minus = true;
			else if (*p == '+')
				sp.plus = true;
			else if (*p == '#')
				sp.sharp = true;
			else if (*p == ' ')
				sp.space = true;
			else if (*p == '0')
				sp.zero = !sp.minus;
			else
				break;
		}
		if (*p == '*') {
			long long w = 0;
			if (arg < n && json_is_integer(a[arg]))
				w = json_integer_value(a[arg]);
			else
				fputs("%!(BADWIDTH)", out);
			arg++;
			if (w < 0)
				sp.minus = true, w = -w;
			sp.width = (int)w;
			p++;
		} else {
			for (; isdigit((unsigned char)*p); p++)
				sp.width = (sp.width < 0 ? 0 : sp.width) * 10 + (*p - '0');
		}
		if (*p == '.') {
			p++;
			sp.prec = 0;
			if (*p == '*') {
				if (arg < n && json_is_integer(a[arg]))
					sp.prec = (int)json_integer_value(a[arg]);
				else
					fputs("%!(BADPREC)", out);
				arg++;
				p++;
			} else {
				for (; isdigit((unsigned char)*p); p++)
					sp.prec = sp.prec * 10 + (*p - '0');
			}
		}
		if (!*p) {
			fputs("%!(NOVERB)", out);
			break;
		}
		sp.verb = *p;
		if (sp.verb == '%') {
			fputc('%', out);
			continue;
		}
		if (arg >= n) {
			fprintf(out, "%%!%c(MISSING)", sp.verb);
			continue;
		}
		if (!strchr("vsqdxXobctfFeEgGU", sp.verb)) {
			bad_verb(out, sp.verb, a[arg++]);
			continue;
		}
		fmt_value(out, &sp, a[arg++]);
	}
	if (arg < n) {
		fputs("%!(EXTRA ", out);
		for (size_t i = arg; i < n; i++) {
			fprintf(out, "%s%s=", i > arg ? ", " : "", tval_type(a[i]));
			tval_print(out, a[i], false, false);
		}
		fputc(')', out);
	}
	fclose(out);
	json_t *r = json_stringn(buf, len);
	free(buf);
	return r ? r : json_string("");
}

/*
 * minirun/oci/spec_locate.c - find where a value sits in a JSON text, for error messages.
 *
 * jansson reports line and column for a syntax error, but once a document is parsed the
 * values no longer know where they came from. A user who gets "process.args must be an
 * array" still wants the line, so this file walks the text again along a path
 * ("linux.mounts[2].destination": object keys and array indices) with a tiny scanner
 * that only knows how to skip a JSON value. It assumes the text already parsed.
 *
 * See: RFC 8259 (the JSON grammar); spec.h for the path syntax.
 */
#include "minirun/oci/spec.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *ws(const char *p)
{
	while (*p && isspace((unsigned char)*p))
		p++;
	return p;
}

/* Skip one string starting at '"'; returns the character after the closing quote. */
static const char *skip_string(const char *p)
{
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1])
			p++;
	return *p ? p + 1 : p;
}

/* Skip one value of any kind; returns the character after it. */
static const char *skip_value(const char *p)
{
	p = ws(p);
	if (*p == '"')
		return skip_string(p);
	if (*p == '{' || *p == '[') {
		int depth = 0;
		for (; *p; p++) {
			if (*p == '"') {
				p = skip_string(p) - 1;
				continue;
			}
			if (*p == '{' || *p == '[')
				depth++;
			else if ((*p == '}' || *p == ']') && --depth == 0)
				return p + 1;
		}
		return p;
	}
	while (*p && !strchr(",]} \t\r\n", *p))
		p++;
	return p;
}

/* Walk from the value at P along PATH; returns where the addressed value starts, or NULL. */
static const char *walk(const char *p, const char *path)
{
	p = ws(p);
	if (!*path)
		return p;
	if (*path == '.')
		path++;
	if (*path == '[') {
		long idx = strtol(path + 1, (char **)&path, 10);
		if (*path != ']' || *p != '[')
			return NULL;
		path++;
		p = ws(p + 1);
		for (long i = 0; i < idx; i++) {
			p = ws(skip_value(p));
			if (*p != ',')
				return NULL;
			p = ws(p + 1);
		}
		return *p == ']' ? NULL : walk(p, path);
	}
	size_t klen = strcspn(path, ".[");
	if (*p != '{')
		return NULL;
	p = ws(p + 1);
	while (*p == '"') {
		const char *key = p + 1, *end = skip_string(p);
		bool match = (size_t)(end - 1 - key) == klen && strncmp(key, path, klen) == 0;
		p = ws(end);
		if (*p != ':')
			return NULL;
		if (match)
			return walk(p + 1, path + klen);
		p = ws(skip_value(p + 1));
		if (*p != ',')
			return NULL;
		p = ws(p + 1);
	}
	return NULL;
}

void spec_locate(const char *text, const char *path, int *line, int *col)
{
	const char *at = walk(text, path);
	*line = *col = 0;
	if (!at || !*at)
		return;
	*line = 1, *col = 1;
	for (const char *p = text; p < at; p++) {
		if (*p == '\n')
			(*line)++, *col = 1;
		else
			(*col)++;
	}
}

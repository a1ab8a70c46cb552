/*
 * lib/jsonfile.c - mr_json_load_file: json_load_file, one read(2) instead of a getc per
 * byte (lib/jsonfile.h says why).
 */
#include "lib/jsonfile.h"
#include "lib/cleanup.h"
#include "lib/file.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

json_t *mr_json_load_file(const char *path, size_t flags, json_error_t *je)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	struct mr_err err = {0};
	if (mr_read_file(path, &text, &len, &err) < 0) {
		int e = err.errnum;
		if (je) { /* as jansson words it (its load.c) */
			memset(je, 0, sizeof(*je));
			je->line = -1;
			je->column = -1;
			snprintf(je->source, sizeof(je->source), "%s", path);
			snprintf(je->text, sizeof(je->text), "unable to open %s: %s", path,
				 strerror(e));
		}
		errno = e;
		return NULL;
	}
	json_t *j = json_loadb(text, len, flags, je);
	if (!j && je) /* json_load_file parses through json_loadf, which names a stream */
		snprintf(je->source, sizeof(je->source), "<stream>");
	return j;
}

/*
 * minirun/containers/opts_kvfile.c - docker's env-file format, read once for the two flags
 * that take it: --env-file and --label-file.
 *
 * The format (docker's opts/file.go, the same reader for both flags):
 *   - one KEY=VALUE a line; a UTF-8 BOM at the start of the file is skipped;
 *   - blanks before KEY, blank lines and lines starting with '#' are skipped;
 *   - a CR ending a line is dropped (a file saved on Windows);
 *   - VALUE is taken as it is: its spaces and quotes are kept (no shell reads this file);
 *   - KEY must not be empty ("=1") nor hold a blank ("A B=1"): the file is refused.
 * The flags differ only in what a bare KEY (no '=') means, and that is the caller's: each
 * entry goes to the caller's callback. --env-file takes KEY's value from minirun's own
 * environment, or drops it when unset; --label-file drops it (docker 20.10 does, even
 * when the environment has KEY).
 *
 *   printf 'A=1\n# note\n  B=two words\nHOME\n' >f
 *   minirun run --rm --env-file f busybox env    (A=1, B=two words, HOME=minirun's HOME)
 *
 * See: https://docs.docker.com/reference/cli/docker/container/run/ (--env-file,
 *      --label-file); docker's opts/file.go; opts_set.c and opts_resources.c (the flags).
 */
#include "minirun/containers/opts.h"
#include "lib/cleanup.h"
#include "lib/file.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

int opts_read_kv_file(const char *path, const char *prefix, opts_kv_line fn, void *arg,
		      struct mr_err *err)
{
	_cleanup_free_ char *text = NULL;
	if (mr_read_file(path, &text, NULL, err) < 0) {
		/* docker's words: Go's error, strerror's text in lower case */
		char why[128];
		snprintf(why, sizeof(why), "%s", strerror(errno));
		why[0] = (char)tolower((unsigned char)why[0]);
		return mr_fail(err, 0, "open %s: %s", path, why);
	}
	char *save = NULL, *line = text;
	if (strncmp(line, "\xEF\xBB\xBF", 3) == 0) /* a UTF-8 BOM some editors write */
		line += 3;
	for (line = strtok_r(line, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		while (*line == ' ' || *line == '\t')
			line++;
		size_t n = strlen(line);
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		if (!n || line[0] == '#')
			continue;
		const char *eq = strchr(line, '=');
		size_t klen = eq ? (size_t)(eq - line) : n;
		if (klen == 0)
			return mr_fail(err, 0, "%sno variable name on line '%s'", prefix, line);
		for (size_t i = 0; i < klen; i++)
			if (isspace((unsigned char)line[i]))
				return mr_fail(err, 0, "%svariable '%.*s' contains whitespaces",
					       prefix, (int)klen, line);
		if (fn(arg, line, eq ? OPTS_KV_VALUE : OPTS_KV_BARE, err) < 0)
			return -1;
	}
	return 0;
}

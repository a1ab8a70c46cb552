/*
 * minirun/containers/logs.c - the json-file log (ROOT/containers/ID/ctr.log) and `logs`.
 *
 * The log is docker's json-file format: one JSON object per line, one line per chunk the
 * monitor read from the container (so a line of output may span two objects, and one
 * object may hold several lines), with a tty's output all on "stdout":
 *
 *	{"log":"hi\n","stream":"stdout","time":"2026-11-27T21:15:02.123456789Z"}
 *
 * The monitor appends with O_APPEND and one write(2) per object, so a reader never sees
 * half an object unless the disk is full. Bytes that are not UTF-8 become U+FFFD, as
 * docker's encoder does.
 *
 *   minirun logs [-f] [-t] [--tail N|all] [--since TIME] CONTAINER
 *
 * See: https://docs.docker.com/engine/logging/drivers/json-file/,
 *      https://docs.docker.com/reference/cli/docker/container/logs/
 */
#include "lib/cleanup.h"
#include "minirun/containers/containers.h"
#include "minirun/containers/io_proto.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The length of the valid UTF-8 sequence at S (of N bytes), 0 when it is not one. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned min;
	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		len = 2, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	unsigned cp = s[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and past U+10FFFF are not UTF-8 either */
	if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/* Append TEXT as the inside of a JSON string to OUT (room for 6 bytes per input byte). */
static size_t json_escape(char *out, const char *text, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)text;
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		unsigned char ch = s[i];
		const char *esc = ch == '"' ? "\\\"" : ch == '\\' ? "\\\\" : ch == '\n' ? "\\n"
				: ch == '\r' ? "\\r" : ch == '\t' ? "\\t" : NULL;
		if (esc) {
			memcpy(out + o, esc, 2), o += 2, i++;
		} else if (ch < 0x20 || ch == 0x7f) {
			memcpy(out + o, "\\u00", 4);
			out[o + 4] = hex[ch >> 4], out[o + 5] = hex[ch & 15];
			o += 6, i++;
		} else {
			size_t l = utf8_len(s + i, len - i);
			if (l == 0) {
				memcpy(out + o, "\\ufffd", 6), o += 6, i++;
			} else {
				memcpy(out + o, s + i, l), o += l, i += l;
			}
		}
	}
	return o;
}

int log_append(int fd, const char *stream, const char *text, size_t len)
{
	if (fd < 0)
		return 0;
	struct timespec ts;
	struct tm tm;
	char when[64];
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t w = strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + w, sizeof(when) - w, ".%09ldZ", ts.tv_nsec);

	_cleanup_free_ char *line = malloc(len * 6 + strlen(stream) + sizeof(when) + 64);
	if (!line)
		return -1;
	size_t o = (size_t)sprintf(line, "{\"log\":\"");
	o += json_escape(line + o, text, len);
	o += (size_t)sprintf(line + o, "\",\"stream\":\"%s\",\"time\":\"%s\"}\n", stream, when);
	/* one write: O_APPEND puts the whole object at the end, whoever else appends */
	return write(fd, line, o) == (ssize_t)o ? 0 : -1;
}

/*
 * minirun/containers/logwrite.c - the monitor writes a container's log: one write(2) per
 * chunk of output, in the driver's format, rotated by size.
 *
 * Every chunk of output the monitor reads (io.c, up to 8 KiB) becomes entries here, one per
 * line. A read ends wherever the container's own buffer ended, often mid-line: the start
 * of such a line is held (per stream) until its newline comes, so an entry is a whole line
 * as in docker's log, and `--tail 3` is three lines. A line longer than 16 KiB is cut into
 * 16 KiB entries (docker's "partial" messages), and what is held when the container ends
 * (a prompt without a newline) is written then. This is the monitor's hot path (a container that prints 100 MB passes 100 MB
 * through it, a million lines or more), so a chunk costs one clock_gettime (its entries
 * were read at the same moment), an encode of each entry into a buffer kept for the
 * writer's life, and one write(2) with O_APPEND for all of them: no allocation, no
 * syscall per line, and the date's formatting redone only when the second changes. A
 * reader may see the last entry half written; it waits for the rest (logread.c).
 *
 * The two formats:
 *
 *   json-file  {"log":"hi\n","stream":"stdout","time":"2026-12-06T14:00:00.123456789Z"}
 *              docker's own lines: any tool that reads docker's logs reads these
 *   local      [L:4][time ns:8][stream:1][bytes][L:4], L big-endian = 9 + the bytes;
 *              minirun's own (docker's local frames a protobuf between the same two
 *              lengths). No escaping and no date text: 17 bytes over the output itself,
 *              where json-file spends ~60 and up to 6 per byte. The trailing length is
 *              what lets `logs --tail` walk back from the end without reading it all.
 *
 * Rotation, as docker's json-file does it: before an entry that would take the current
 * file past max-size (a file holds at least one entry, however large), the files shift up
 * one (NAME.1 -> NAME.2 ...; the one that would be NAME.max-file is removed), the current
 * one becomes NAME.1, and a new NAME is opened. So at most max-file files of max-size
 * each are on disk, whatever the container writes. With max-file=1 the current file is
 * truncated instead. A reader that holds the old file keeps reading it (a rename moves no
 * bytes); logread.c follows the rotation by the files' inode numbers.
 *
 * See: logdriver.h, io.c (the caller), logread.c (the reader); rename(2), open(2) O_APPEND;
 *      https://docs.docker.com/engine/logging/drivers/json-file/
 */
#include "minirun/containers/logdriver.h"
#include "lib/cleanup.h"
#include "minirun/containers/containers.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The longest entry: a line longer than this is cut into entries of this size (docker's
 * copier does the same at 16 KiB, marking the pieces "partial") */
#define LOG_LINE_MAX 16384
/* the entries of one chunk, encoded before their one write: room for the largest entry's
 * worst case (every byte escaped), and many small ones */
#define ENTRY_BUF (LOG_LINE_MAX * 6 + 128 + 65536)

/* The start of a line whose newline has not come yet, per stream: a read from the pipe
 * ends wherever the writer's buffer ended, often mid-line. */
struct carry {
	size_t n;
	char buf[LOG_LINE_MAX];
};

struct log_writer {
	struct log_config lc;
	int fd;                /* -1: none */
	long long size;        /* of the current file */
	char path[4096];       /* the current file; NAME.1 ... beside it */
	time_t sec;            /* the second whose text is in date */
	char date[32];         /* "2026-12-06T14:00:00" */
	struct carry carry[2]; /* [0] stdout, [1] stderr */
	char buf[ENTRY_BUF];
};

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

size_t log_json_escape(char *out, const char *text, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	/* JSON's two-character escapes; other control characters become \u00XX */
	static const char *const escapes[] = {
		['"'] = "\\\"", ['\\'] = "\\\\", ['\n'] = "\\n", ['\r'] = "\\r", ['\t'] = "\\t",
	};
	const unsigned char *s = (const unsigned char *)text;
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		unsigned char ch = s[i];
		/* the common case first: printable ASCII goes through as it is */
		if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\') {
			out[o++] = (char)ch, i++;
			continue;
		}
		const char *esc = ch < sizeof(escapes) / sizeof(escapes[0]) ? escapes[ch] : NULL;
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

static int open_current(struct log_writer *w, struct mr_err *err)
{
	w->fd = open(w->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (w->fd < 0)
		return mr_fail(err, errno, "open the log '%s'", w->path);
	struct stat st;
	w->size = fstat(w->fd, &st) == 0 ? (long long)st.st_size : 0;
	return 0;
}

/* LAZY: the file is made at the first entry (flush), not now */
static struct log_writer *writer_new(const char *path, const struct log_config *lc, bool lazy,
				     struct mr_err *err)
{
	struct log_writer *w = calloc(1, sizeof(*w));
	if (!w) {
		mr_fail(err, ENOMEM, "log");
		return NULL;
	}
	w->lc = *lc, w->fd = -1, w->sec = -1;
	if (lc->driver == LOG_NONE)
		return w;
	snprintf(w->path, sizeof(w->path), "%s", path);
	if (!lazy && open_current(w, err) < 0) {
		free(w);
		return NULL;
	}
	return w;
}

struct log_writer *log_writer_open(const char *path, const struct log_config *lc,
				   struct mr_err *err)
{
	return writer_new(path, lc, false, err);
}

void log_writer_close(struct log_writer *w)
{
	if (!w)
		return;
	/* the lines still waiting for their newline: the container has ended, they are all
	 * there will be (docker's copier flushes them at EOF too) */
	for (int i = 0; i < 2; i++)
		if (w->carry[i].n)
			log_writer_append(w, i, NULL, 0);
	if (w->fd >= 0)
		close(w->fd);
	free(w);
}

/*
 * rotate - NAME.(max-file - 2) -> NAME.(max-file - 1), ..., NAME -> NAME.1, a new NAME.
 * The renames go from the oldest down, so no name is ever taken twice; the file that would
 * pass max-file is overwritten by the rename onto it (rename(2) replaces atomically), and
 * a NAME.(max-file) left by a container that had more files before is removed.
 */
static int rotate(struct log_writer *w)
{
	char from[4200], to[4200];
	close(w->fd);
	w->fd = -1;
	if (w->lc.max_file <= 1) {
		/* nowhere to keep the old entries: start the file again (docker's max-file=1) */
		w->fd = open(w->path, O_WRONLY | O_APPEND | O_TRUNC | O_CLOEXEC);
		w->size = 0;
		return w->fd < 0 ? -1 : 0;
	}
	snprintf(to, sizeof(to), "%s.%d", w->path, w->lc.max_file);
	unlink(to);
	for (int i = w->lc.max_file - 1; i >= 1; i--) {
		if (i == 1)
			snprintf(from, sizeof(from), "%s", w->path);
		else
			snprintf(from, sizeof(from), "%s.%d", w->path, i - 1);
		snprintf(to, sizeof(to), "%s.%d", w->path, i);
		if (rename(from, to) < 0 && errno != ENOENT)
			mr_say("log: rename %s -> %s: %s", from, to, strerror(errno));
	}
	mr_say("log: rotated %s (max-size %lld, max-file %d)", w->path, w->lc.max_size,
	       w->lc.max_file);
	return open_current(w, NULL);
}

/* Encode one entry at OUT (room: ENTRY_MAX(len)); its length. */
#define ENTRY_MAX(len) ((len)*6 + 128)
static size_t encode(struct log_writer *w, const struct timespec *ts, bool is_err, char *out,
		     const char *text, size_t len)
{
	char *b = out;
	if (w->lc.driver == LOG_LOCAL) {
		uint32_t l = (uint32_t)(LOG_LOCAL_HEAD + len);
		uint64_t t = (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
		for (int i = 0; i < 4; i++)
			b[i] = (char)(l >> (24 - 8 * i));
		for (int i = 0; i < 8; i++)
			b[4 + i] = (char)(t >> (56 - 8 * i));
		b[12] = is_err ? 2 : 1;
		memcpy(b + 13, text, len);
		memcpy(b + 13 + len, b, 4);
		return 17 + len;
	}
	size_t o = 8;
	memcpy(b, "{\"log\":\"", 8);
	o += log_json_escape(b + o, text, len);
	o += (size_t)snprintf(b + o, 128, "\",\"stream\":\"%s\",\"time\":\"%s.%09ldZ\"}\n",
			      is_err ? "stderr" : "stdout", w->date, ts->tv_nsec);
	return o;
}

/* Write the N bytes encoded at w->buf; -1 when they could not all be written. */
static int flush(struct log_writer *w, size_t n)
{
	if (!n)
		return 0;
	if (w->fd < 0 && open_current(w, NULL) < 0)
		return -1; /* a rotation that could not open the new file: try at each chunk */
	/* one write: O_APPEND puts it all at the end, whoever else appends */
	ssize_t r = write(w->fd, w->buf, n);
	if (r > 0)
		w->size += r;
	return r == (ssize_t)n ? 0 : -1;
}

/* One chunk's encoding in progress: what w->buf holds, not yet written, and its moment */
struct batch {
	struct timespec ts;
	size_t pending;
	int rc;
};

/* Encode the entry TEXT[0..len) (len <= LOG_LINE_MAX) into the batch, rotating first when
 * it would take the file past max-size. */
static void add_entry(struct log_writer *w, struct batch *b, bool is_err, const char *text,
		      size_t len)
{
	if (sizeof(w->buf) - b->pending < ENTRY_MAX(len)) {
		b->rc |= flush(w, b->pending);
		b->pending = 0;
	}
	size_t e = encode(w, &b->ts, is_err, w->buf + b->pending, text, len);
	/* an entry that would take the file past max-size goes into a new one (a file holds
	 * at least one entry, however large) */
	long long now = w->size + (long long)b->pending;
	if (w->lc.max_size > 0 && now > 0 && now + (long long)e > w->lc.max_size) {
		b->rc |= flush(w, b->pending);
		if (b->pending)
			memmove(w->buf, w->buf + b->pending, e);
		b->pending = 0;
		if (rotate(w) < 0)
			b->rc = -1;
	}
	b->pending += e;
}

int log_writer_append(struct log_writer *w, bool is_err, const char *text, size_t len)
{
	if (!w || w->lc.driver == LOG_NONE)
		return 0;
	struct batch b = {.pending = 0, .rc = 0};
	clock_gettime(CLOCK_REALTIME, &b.ts);
	if (w->lc.driver == LOG_JSON_FILE && b.ts.tv_sec != w->sec) {
		struct tm tm;
		gmtime_r(&b.ts.tv_sec, &tm);
		strftime(w->date, sizeof(w->date), "%Y-%m-%dT%H:%M:%S", &tm);
		w->sec = b.ts.tv_sec;
	}
	struct carry *c = &w->carry[is_err];
	if (!text && c->n) { /* log_writer_close: what is held goes out as it is */
		add_entry(w, &b, is_err, c->buf, c->n);
		c->n = 0;
	}
	for (size_t off = 0; off < len;) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) + 1 : len - off;
		if (c->n + n > LOG_LINE_MAX) {
			/* too long to wait for its end: 16 KiB of it go out as a piece */
			size_t room = LOG_LINE_MAX - c->n;
			memcpy(c->buf + c->n, text + off, room);
			add_entry(w, &b, is_err, c->buf, LOG_LINE_MAX);
			c->n = 0;
			off += room;
			continue;
		}
		if (!nl) { /* no newline yet: held until it comes */
			memcpy(c->buf + c->n, text + off, n);
			c->n += n;
		} else if (c->n) { /* the end of a held line */
			memcpy(c->buf + c->n, text + off, n);
			add_entry(w, &b, is_err, c->buf, c->n + n);
			c->n = 0;
		} else {
			add_entry(w, &b, is_err, text + off, n);
		}
		off += n;
	}
	b.rc |= flush(w, b.pending);
	return b.rc;
}

char *log_inspect_path(const struct container *c, char *buf, size_t len)
{
	struct log_config lc;
	log_config_read(&c->r, &lc);
	if (lc.driver != LOG_JSON_FILE) {
		*buf = '\0';
		return buf;
	}
	return log_file_path(c, buf, len);
}

/* ROOT/containers/.logs: the logs of --rm containers (log_file_path), into BUF */
static char *logs_dir(const char *root, char *buf, size_t len)
{
	snprintf(buf, len, "%s/containers/.logs", root);
	return buf;
}

char *log_file_path(const struct container *c, char *buf, size_t len)
{
	struct log_config lc;
	log_config_read(&c->r, &lc);
	const char *name = log_file_name(lc.driver);
	if (!name) {
		*buf = '\0';
		return buf;
	}
	if (c->in_run) {
		char dir[4200];
		snprintf(buf, len, "%s/%s-%s", logs_dir(c->root, dir, sizeof(dir)), c->id, name);
		return buf;
	}
	return container_path(c, name, buf, len);
}

void container_log_drop(const char *root, const char *id)
{
	char dir[4200], path[4500];
	_cleanup_closedir_ DIR *d = opendir(logs_dir(root, dir, sizeof(dir)));
	struct dirent *de;
	size_t n = strlen(id);
	while (d && (de = readdir(d)))
		if (!strncmp(de->d_name, id, n) && de->d_name[n] == '-') {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			unlink(path);
		}
}

struct log_writer *log_writer_for(const struct container *c, struct mr_err *err)
{
	struct log_config lc;
	char path[4400];
	log_config_read(&c->r, &lc);
	/* an --rm container's log's directory (log_file_path) */
	if (c->in_run && mkdir(logs_dir(c->root, path, sizeof(path)), 0700) < 0 &&
	    errno != EEXIST) {
		mr_fail(err, errno, "mkdir '%s'", path);
		return NULL;
	}
	mr_say("log: driver %s, max-size %lld, max-file %d",
	       lc.driver == LOG_NONE ? "none" : log_file_name(lc.driver), lc.max_size, lc.max_file);
	/* an --rm container's log is made at its first output: a run that prints nothing
	 * makes no file on the store's disk (a reader finds no log: logread.c) */
	return writer_new(log_file_path(c, path, sizeof(path)), &lc, c->in_run, err);
}

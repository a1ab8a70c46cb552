/*
 * minirun/containers/logread.c - `logs` reads a container's log back: the rotated files as
 * one stream, oldest entry first, and follows the monitor across a rotation.
 *
 * On disk (logwrite.c): NAME is the file being written, NAME.1 the one before it, up to
 * NAME.(max-file - 1), the oldest. The reader opens them all, newest first, then reads
 * them oldest first. An open file stays readable whatever happens to its name: a rotation
 * renames NAME to NAME.1 under us, and the oldest file may even be removed, yet its fd
 * reads on. Two races are closed this way:
 *
 *   opening   the monitor may rotate between two open(2)s, so one file would be missed
 *             and another read twice: after opening, NAME must still be the file opened
 *             first (same inode), else everything is opened again
 *   following at the end of the file being read, NAME is looked at again: a different
 *             inode means the monitor rotated; our file is found among NAME.1 ... by its
 *             inode, and the files after it (NAME.k-1 ... NAME.1, NAME: several rotations
 *             may have passed while we slept) are read in order. If ours is gone (the
 *             reader fell max-file files behind), what is left is read, the rest is lost,
 *             as with docker
 *
 * --tail N starts N entries before the end without reading the log from its start: a
 * json-file line ends at its '\n', a local frame ends with its own length (logwrite.c),
 * so both are walked backwards from the end of the newest file, into older files as needed.
 *
 * See: logdriver.h, logwrite.c, logs.c (the command); inode(7), rename(2).
 */
#include "minirun/containers/logdriver.h"
#include "lib/cleanup.h"
#include "minirun/containers/io_proto.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define READ_MAX_FILES 1001 /* max-file is at most 1000 (logopts.c), and a spare */

struct log_reader {
	struct log_config lc;
	char path[4200];         /* NAME: the file the monitor writes */
	int fds[READ_MAX_FILES]; /* the files still to read, oldest first; fds[cur] is read */
	size_t nfds, cur;
	ino_t ino;   /* the inode of fds[cur] */
	bool follow; /* cross rotations that happen after the open */
	off_t limit; /* not following: stop the newest file here (its size at open) */
	off_t pos;   /* read so far in fds[cur] */
	char *buf;   /* bytes of fds[cur] read and not yet returned */
	size_t len, off, cap;
	json_t *doc; /* the json-file entry last returned */
};

static void close_files(struct log_reader *r)
{
	for (size_t i = r->cur; i < r->nfds; i++)
		if (r->fds[i] >= 0)
			close(r->fds[i]);
	r->nfds = r->cur = 0;
}

/*
 * open_set - open NAME, NAME.1, ... (newest first), stopping before the file whose inode is
 * STOP (0: none, open all), and put them in r->fds oldest first. Retried when a rotation
 * came in between. Returns how many were opened.
 */
static size_t open_set(struct log_reader *r, ino_t stop)
{
	int got[READ_MAX_FILES];
	ino_t first = 0;
	size_t n = 0;
	for (int attempt = 0; attempt < 10; attempt++) {
		n = 0;
		int max = r->lc.max_file > 1 ? r->lc.max_file : 1;
		for (int i = 0; i < max && n < READ_MAX_FILES - 1; i++) {
			char p[4300];
			if (i == 0)
				snprintf(p, sizeof(p), "%s", r->path);
			else
				snprintf(p, sizeof(p), "%s.%d", r->path, i);
			int fd = open(p, O_RDONLY | O_CLOEXEC);
			struct stat st;
			if (fd < 0)
				continue; /* not made yet, or removed: a gap is not the end */
			if (fstat(fd, &st) < 0 || (stop && st.st_ino == stop)) {
				close(fd);
				break;
			}
			if (i == 0)
				first = st.st_ino;
			got[n++] = fd;
		}
		struct stat now;
		if (!n || (stat(r->path, &now) == 0 && now.st_ino == first))
			break;
		for (size_t i = 0; i < n; i++) /* rotated while we opened: again */
			close(got[i]);
		n = 0;
	}
	for (size_t i = 0; i < n; i++)
		r->fds[r->nfds++] = got[n - 1 - i];
	return n;
}

/* the inode of FD, 0 on error */
static ino_t fd_ino(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 ? st.st_ino : 0;
}

/* Make fds[cur] the file being read from offset AT. */
static void enter(struct log_reader *r, off_t at)
{
	r->ino = fd_ino(r->fds[r->cur]);
	r->pos = lseek(r->fds[r->cur], at, SEEK_SET) < 0 ? 0 : at;
	r->len = r->off = 0;
}

/* Entries in json-file bytes BUF[0..n) ending at a '\n' each: scan back for *WANT more
 * starts; the offset of the earliest one found, *WANT lowered by how many were. */
static off_t back_json(int fd, off_t size, long long *want)
{
	char chunk[65536];
	off_t end = size > 0 ? size - 1 : 0; /* the last '\n' ends the last entry: skip it */
	while (end > 0 && *want > 0) {
		off_t from = end > (off_t)sizeof(chunk) ? end - (off_t)sizeof(chunk) : 0;
		ssize_t got = pread(fd, chunk, (size_t)(end - from), from);
		if (got <= 0)
			break;
		for (ssize_t i = got; i-- > 0;) {
			if (chunk[i] == '\n' && --*want == 0)
				return from + i + 1;
		}
		end = from;
	}
	if (size > 0 && *want > 0)
		--*want; /* the file's first entry */
	return 0;
}

/* The same for local frames: each ends with its length, so hop back frame by frame. */
static off_t back_local(int fd, off_t size, long long *want)
{
	off_t pos = size;
	while (pos >= 8 && *want > 0) {
		unsigned char l[4];
		if (pread(fd, l, 4, pos - 4) != 4)
			break;
		off_t frame = (off_t)((uint32_t)l[0] << 24 | (uint32_t)l[1] << 16 |
				      (uint32_t)l[2] << 8 | l[3]) +
			      8;
		if (frame > pos)
			break; /* not a frame of ours: start from there */
		pos -= frame;
		--*want;
	}
	return pos;
}

/* --tail: the file and offset where the last TAIL entries start. */
static void seek_tail(struct log_reader *r, long long tail)
{
	long long want = tail;
	for (size_t i = r->nfds; i-- > 0;) {
		struct stat st;
		off_t size = fstat(r->fds[i], &st) == 0 ? st.st_size : 0;
		if (i == r->nfds - 1 && r->limit >= 0 && size > r->limit)
			size = r->limit;
		off_t at = want == 0                   ? size
			   : r->lc.driver == LOG_LOCAL ? back_local(r->fds[i], size, &want)
						       : back_json(r->fds[i], size, &want);
		if (want == 0 || i == 0) {
			for (size_t k = 0; k < i; k++)
				close(r->fds[k]);
			r->cur = i;
			enter(r, at);
			return;
		}
	}
}

struct log_reader *log_reader_open(const char *path, const struct log_config *lc, long long tail,
				   bool follow, struct mr_err *err)
{
	struct log_reader *r = calloc(1, sizeof(*r));
	if (!r || !(r->buf = malloc(r->cap = 65536))) {
		free(r);
		mr_fail(err, ENOMEM, "logs");
		return NULL;
	}
	r->lc = *lc, r->follow = follow, r->limit = -1;
	snprintf(r->path, sizeof(r->path), "%s", path);
	if (open_set(r, 0) == 0)
		return r; /* no log yet: a container that never ran has written nothing */
	struct stat st;
	if (!follow)
		r->limit = fstat(r->fds[r->nfds - 1], &st) == 0 ? st.st_size : 0;
	enter(r, 0);
	if (tail >= 0)
		seek_tail(r, tail);
	return r;
}

void log_reader_close(struct log_reader *r)
{
	if (!r)
		return;
	close_files(r);
	json_decref(r->doc);
	free(r->buf);
	free(r);
}

/* "2026-12-06T14:00:00.123456789Z" from nanoseconds since the epoch */
static void format_time(int64_t ns, char *out, size_t len)
{
	time_t sec = (time_t)(ns / 1000000000);
	struct tm tm;
	gmtime_r(&sec, &tm);
	size_t w = strftime(out, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + w, len - w, ".%09dZ", (int)(ns % 1000000000));
}

/* One entry from r->buf at r->off: 1 (r->off past it), 0 when the buffer holds no whole
 * one, -1 when the bytes there are not an entry (skipped, as docker skips a torn line). */
static int parse(struct log_reader *r, struct log_entry *e)
{
	const char *b = r->buf + r->off;
	size_t n = r->len - r->off;
	if (r->lc.driver == LOG_LOCAL) {
		if (n < 4)
			return 0;
		const unsigned char *u = (const unsigned char *)b;
		size_t l = (size_t)u[0] << 24 | (size_t)u[1] << 16 | (size_t)u[2] << 8 | u[3];
		if (l < LOG_LOCAL_HEAD || l > 1 << 20) {
			r->off = r->len; /* lost framing: nothing after it can be trusted */
			return -1;
		}
		if (n < l + 8)
			return 0;
		int64_t t = 0;
		for (int i = 0; i < 8; i++)
			t = t << 8 | u[4 + i];
		e->is_err = u[12] == 2;
		e->text = b + 13, e->len = l - LOG_LOCAL_HEAD;
		e->when = (double)t / 1e9;
		format_time(t, e->time, sizeof(e->time));
		r->off += l + 8;
		return 1;
	}
	const char *nl = memchr(b, '\n', n);
	if (!nl)
		return 0;
	r->off += (size_t)(nl - b) + 1;
	json_decref(r->doc);
	r->doc = json_loadb(b, (size_t)(nl - b), JSON_ALLOW_NUL, NULL);
	json_t *l = json_object_get(r->doc, "log");
	const char *stream = json_string_value(json_object_get(r->doc, "stream"));
	const char *time = json_string_value(json_object_get(r->doc, "time"));
	if (!json_is_string(l) || !stream || !time)
		return -1;
	e->is_err = !strcmp(stream, "stderr");
	e->text = json_string_value(l), e->len = json_string_length(l);
	snprintf(e->time, sizeof(e->time), "%s", time);
	if (log_parse_time(time, 0, &e->when) < 0)
		e->when = 0;
	return 1;
}

/* At the end of the newest file: has the monitor rotated (or, with max-file=1, truncated)
 * it since? Queue what came after ours; true when there is more to read. */
static bool crossed(struct log_reader *r)
{
	struct stat st;
	if (stat(r->path, &st) < 0)
		return false;
	if (st.st_ino == r->ino) {
		if (st.st_size < r->pos) { /* truncated under us: read it from its start */
			enter(r, 0);
			return st.st_size > 0;
		}
		return false;
	}
	int fd = r->fds[r->cur];
	r->fds[r->cur] = -1;
	r->nfds = 0, r->cur = 0;
	size_t n = open_set(r, r->ino); /* what came after ours */
	/* ours stays first: its last bytes may have come after our last read */
	memmove(r->fds + 1, r->fds, n * sizeof(int));
	r->fds[0] = fd, r->nfds = n + 1;
	return true;
}

int log_reader_next(struct log_reader *r, struct log_entry *e)
{
	for (;;) {
		if (r->nfds == 0) {
			/* no log when opened: the container may have started since */
			if (!r->follow || open_set(r, 0) == 0)
				return 0;
			enter(r, 0);
		}
		int k = parse(r, e);
		if (k == 1)
			return 1;
		if (k < 0)
			continue;
		/* room for more: what was returned goes, a partial entry moves to the front */
		memmove(r->buf, r->buf + r->off, r->len - r->off);
		r->len -= r->off, r->off = 0;
		if (r->cap - r->len < 65536) {
			char *nb = realloc(r->buf, r->cap * 2);
			if (!nb)
				return -1;
			r->buf = nb, r->cap *= 2;
		}
		bool last = r->cur + 1 == r->nfds;
		size_t want = r->cap - r->len;
		if (last && r->limit >= 0) {
			if (r->pos >= r->limit)
				return 0;
			if ((off_t)want > r->limit - r->pos)
				want = (size_t)(r->limit - r->pos);
		}
		ssize_t got = read(r->fds[r->cur], r->buf + r->len, want);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got > 0) {
			r->len += (size_t)got, r->pos += got;
			continue;
		}
		if (!last) { /* this file is done; a torn last entry is dropped */
			close(r->fds[r->cur]);
			r->fds[r->cur++] = -1;
			enter(r, 0);
			continue;
		}
		if (!r->follow || !crossed(r))
			return 0;
	}
}

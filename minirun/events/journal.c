/*
 * minirun/events/journal.c - reading the event journal: the lines kept, then the lines to
 * come, across rotations.
 *
 * From the start, the reader opens events.log first and events.log.1 second: a rotation
 * between the two opens makes both names the same file, which is then read once (what the
 * rotation pushed out of events.log.1 was the oldest, and is gone either way). Following,
 * it waits with inotify on the store's directory (a watch on the directory sees the file
 * written, and also a new file made under the name after a rotation, which a watch on the
 * file would not); at the end of what it has, it compares the inode the name holds with
 * the one it reads, and moves to the new file once the old one is read to its end.
 *
 * Only whole lines are handed out: a line being written while it is read (write(2) copies
 * its bytes while readers may read) stays in the buffer until its newline arrives.
 *
 * See: events.h; inotify(7) (IN_MODIFY on a watched directory's files, IN_CREATE,
 *      IN_MOVED_TO).
 */
#include "minirun/events/events.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

int events_reader_open(struct events_reader *r, const char *root, bool from_start, bool follow,
		       struct mr_err *err)
{
	char old[4200];
	struct stat st;
	memset(r, 0, sizeof(*r));
	r->fd = r->old_fd = r->inotify = -1;
	events_path(root, 0, r->path, sizeof(r->path));
	/* the watch before the open: a line written in between is not missed */
	if (follow) {
		r->inotify = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
		if (r->inotify < 0 ||
		    inotify_add_watch(r->inotify, root,
				      IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_ONLYDIR) < 0) {
			mr_fail(err, errno, "watch '%s' for events", root);
			events_reader_close(r);
			return -1;
		}
	}
	r->fd = open(r->path, O_RDONLY | O_CLOEXEC);
	if (r->fd >= 0 && fstat(r->fd, &st) == 0)
		r->ino = st.st_ino;
	if (!from_start) {
		if (r->fd >= 0)
			lseek(r->fd, 0, SEEK_END);
		return 0;
	}
	r->old_fd = open(events_path(root, 1, old, sizeof(old)), O_RDONLY | O_CLOEXEC);
	if (r->old_fd >= 0 && r->fd >= 0 && fstat(r->old_fd, &st) == 0 && st.st_ino == r->ino) {
		close(r->old_fd); /* rotated between the two opens: one file, read once */
		r->old_fd = -1;
	}
	return 0;
}

/* the name now holds another file than the one read (a rotation), or one where there was
 * none: read that one from its start. True when it switched. */
static bool switch_file(struct events_reader *r)
{
	struct stat st;
	if (stat(r->path, &st) < 0 || (r->fd >= 0 && st.st_ino == r->ino))
		return false;
	int fd = open(r->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (r->fd >= 0)
		close(r->fd);
	r->fd = fd;
	r->ino = fstat(fd, &st) == 0 ? st.st_ino : 0;
	r->len = r->at = 0; /* a partial line the old file ended with: never finished */
	return true;
}

int events_reader_next(struct events_reader *r, char **line, int timeout_ms, struct mr_err *err)
{
	for (;;) {
		char *nl = r->buf ? memchr(r->buf + r->at, '\n', r->len - r->at) : NULL;
		if (nl) {
			*nl = '\0';
			*line = r->buf + r->at;
			r->at = (size_t)(nl + 1 - r->buf);
			return 1;
		}
		if (r->at && r->buf) { /* what was handed out goes: the partial line moves first */
			memmove(r->buf, r->buf + r->at, r->len - r->at);
			r->len -= r->at;
			r->at = 0;
		}
		int src = r->old_fd >= 0 ? r->old_fd : r->fd;
		if (src >= 0) {
			if (r->cap - r->len < 16384) {
				char *b = realloc(r->buf, r->cap + 65536);
				if (!b)
					return mr_fail(err, ENOMEM, "read the events");
				r->buf = b;
				r->cap += 65536;
			}
			ssize_t k = read(src, r->buf + r->len, r->cap - r->len);
			if (k < 0 && errno != EINTR)
				return mr_fail(err, errno, "read '%s'", r->path);
			if (k > 0)
				r->len += (size_t)k;
			if (k != 0)
				continue;
			if (src == r->old_fd) { /* the rotated file is read: on to the journal */
				close(r->old_fd);
				r->old_fd = -1;
				r->len = 0;
				continue;
			}
		}
		if (r->inotify >= 0 && switch_file(r))
			continue;
		if (timeout_ms == 0 || r->inotify < 0)
			return 0;
		struct pollfd p = {r->inotify, POLLIN, 0};
		int n = poll(&p, 1, timeout_ms);
		if (n < 0 && errno != EINTR)
			return mr_fail(err, errno, "wait for events");
		if (n == 0)
			return 0;
		char ev[4096];
		while (read(r->inotify, ev, sizeof(ev)) > 0)
			; /* which file changed does not matter: the loop reads and compares */
	}
}

void events_reader_close(struct events_reader *r)
{
	if (r->fd >= 0)
		close(r->fd);
	if (r->old_fd >= 0)
		close(r->old_fd);
	if (r->inotify >= 0)
		close(r->inotify);
	free(r->buf);
	r->buf = NULL;
	r->fd = r->old_fd = r->inotify = -1;
}

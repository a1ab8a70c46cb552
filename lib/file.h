/*
 * lib/file.h - whole-file reads and writes, the way kernel interface files want them.
 *
 * Files under /proc and /sys/fs/cgroup are not ordinary files: a value must arrive in one
 * write(2) (a second write is a second command), and a read may return less than st_size
 * says (usually 0 or 4096). These helpers do one write and read until EOF.
 * All return 0 (or a byte count) on success, -1 with err filled on failure.
 */
#ifndef MR_FILE_H
#define MR_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "lib/err.h"

/* Read all of PATH (relative to dirfd, AT_FDCWD for none) into a new NUL-terminated buffer
 * that the caller frees. *len (may be NULL) gets the length without the NUL. */
int mr_read_file_at(int dirfd, const char *path, char **out, size_t *len, struct mr_err *err);
int mr_read_file(const char *path, char **out, size_t *len, struct mr_err *err);

/* Write DATA to PATH in a single write(2), no O_CREAT (kernel files exist or are wrong).
 * The error names the path and the value: "write 'memory.max' = '12x': Invalid argument". */
int mr_write_file_at(int dirfd, const char *path, const char *data, struct mr_err *err);
int mr_write_file(const char *path, const char *data, struct mr_err *err);
int mr_write_filef(const char *path, struct mr_err *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Create or replace an ordinary file atomically: write a temp file beside it, fsync, rename. */
int mr_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode,
			 struct mr_err *err);
/* mr_replace_file - the same for the string TEXT, without the fsync: for runtime state
 * and records that describe live processes and mean nothing after a reboot (the OCI state,
 * pid files, a container's record, hostname and resolv.conf). On a disk-backed root an
 * fsync per file would cost more than the container setup. */
int mr_replace_file(const char *path, const char *text, mode_t mode, struct mr_err *err);

/* mr_sweep_temps - remove from directory DIR the temp files of writers that died before their
 * rename: "NAME.tmp.PID" (the two writers above) and "NAME.PID.tmp" (what the runtime's state
 * writer named them before the two were one), when no process PID exists. Call it with the
 * lock that serializes the directory's writers held, so that no live writer is half-way
 * through one. Says each removal under -v; returns how many it removed. */
int mr_sweep_temps(const char *dir);

/* Open (creating it, mode 0600) the lock file PATH and take an exclusive flock(2) on it,
 * waiting for any holder. Returns the fd, which holds the lock until closed; -1 with err.
 * flock, not fcntl locks: the lock belongs to the open file, so a forked child holding the
 * fd does not lose it when some other fd of the same file is closed. */
int mr_lock_file(const char *path, struct mr_err *err);

/* mr_fd_path - "/proc/self/fd/FD" into BUF (N bytes; 32 is enough): a name for an fd that
 * mount(2), fsconfig(2) or an exec can take in place of a path. Returns BUF. */
const char *mr_fd_path(char *buf, size_t n, int fd);

/* mkdir -p: create PATH and missing parents with MODE; an existing directory is fine. */
int mr_mkdir_p(const char *path, mode_t mode, struct mr_err *err);

/* Parse a whole decimal string into a long long in [min, max]; -1 (errno EINVAL/ERANGE) if not. */
int mr_parse_ll(const char *s, long long min, long long max, long long *out);

#endif

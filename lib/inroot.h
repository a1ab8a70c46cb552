/*
 * lib/inroot.h - open a path as a process chrooted at a directory would see it.
 *
 * Container images, archives and containers' own files are untrusted: a symlink
 * etc/passwd -> /etc/shadow, or ../../.., means the *host's* file to a naive
 * open("ROOT/etc/passwd"). mr_open_in_root asks the kernel to resolve every component
 * below ROOTFD as if it were "/" (openat2(2) with RESOLVE_IN_ROOT): absolute symlinks and
 * ".." stop at ROOTFD, exactly as for a process inside the container.
 *
 * The fallback: where openat2 is missing (Linux before 5.6, or a seccomp filter or valgrind
 * that answers ENOSYS), the path is walked one component at a time with O_NOFOLLOW, and
 * any symlink on the way (ELOOP) or ".." (EXDEV) is refused rather than resolved. That is
 * stricter than openat2, never looser: a path that needs an in-root symlink fails there.
 * MR_NO_OPENAT2=1 in the environment takes the fallback on any kernel (the tests use it).
 *
 * Below a directory fd already opened in-root, one name at a time: mr_openat_type opens a
 * name only if it is, at the moment it is opened, the kind of file the caller expects (a
 * regular file, a directory). Whoever owns the tree (a running container) can swap a name
 * between the caller's stat and its open: for a symlink, a FIFO (open blocks for ever) or a
 * device node (the host's disk, opened with the host's privileges).
 *
 * See: openat2(2) (RESOLVE_IN_ROOT, RESOLVE_NO_MAGICLINKS), path_resolution(7), open(2)
 *      (O_PATH), proc(5) (/proc/self/fd).
 */
#ifndef MR_INROOT_H
#define MR_INROOT_H

#include <linux/openat2.h> /* RESOLVE_* for the RESOLVE argument */
#include <sys/stat.h>

/*
 * mr_open_in_root - open PATH (leading '/'s ignored; "" or "/" is ROOTFD itself) below the
 * directory fd ROOTFD with open(2) FLAGS (O_CLOEXEC is added; O_CREAT and O_TMPFILE are
 * refused with EINVAL: make files below an fd this returns) and RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS | RESOLVE (extra RESOLVE_* bits, usually 0; the fallback follows no
 * symlink at all, so RESOLVE_NO_SYMLINKS holds there too, and refuses the other extras
 * with ENOSYS). Returns the new fd, or -1 with errno set (ENOENT, ELOOP, EXDEV, ...).
 */
int mr_open_in_root(int rootfd, const char *path, int flags, unsigned long long resolve);

/*
 * mr_openat_type - open DIRFD/NAME (one name, never followed; "" is DIRFD itself) with open(2)
 * FLAGS (O_CLOEXEC added; no O_CREAT) only if it is a file of TYPE (S_IFREG or S_IFDIR). It
 * is first opened O_PATH | O_NOFOLLOW, which opens nothing for real (no device's open, no
 * FIFO's wait), its type checked on that fd, then reopened through /proc/self/fd: the same
 * inode, whatever has been renamed since. *ST (may be NULL) gets its fstat. Returns the fd,
 * or -1 with errno: ELOOP a symlink, ENOTDIR not a directory, EISDIR a directory where a file
 * was wanted, ENXIO another kind of file (a FIFO, a socket, a device), or open(2)'s (ENOENT
 * where /proc is not mounted).
 */
int mr_openat_type(int dirfd, const char *name, int flags, mode_t type, struct stat *st);

#endif

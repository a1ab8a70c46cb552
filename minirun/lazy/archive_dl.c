/*
 * minirun/lazy/archive_dl.c - libarchive, opened on the first call into it (lazylib.h says why).
 *
 * Each line defines one libarchive function minirun calls, with the prototype of
 * <archive.h> or <archive_entry.h> (the compiler checks each against it), forwarding to
 * the real one in libarchive.so.13. Only minirun/minirun links this file; the small
 * programs of unionfs/ link -larchive itself. A call to a function missing here fails
 * minirun's link: add its line.
 *
 * See: archive_read(3), archive_write(3), archive_entry(3); lazylib.h.
 */
#include "minirun/lazy/lazylib.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>

static struct mr_lazylib la = {MR_LIB_ARCHIVE, NULL, NULL};

/* one function a line, as the headers list them: */
/* clang-format off */

/* reading: tars and compressed streams */
MR_LAZY(la, int, archive_filter_code, (struct archive *a, int b), (a, b))
MR_LAZY(la, int, archive_filter_count, (struct archive *a), (a))
MR_LAZY(la, la_ssize_t, archive_read_data, (struct archive *a, void *b, size_t c), (a, b, c))
MR_LAZY(la, int, archive_read_data_block,
	(struct archive *a, const void **b, size_t *c, la_int64_t *d),
	(a, b, c, d))
MR_LAZY(la, int, archive_read_data_into_fd, (struct archive *a, int b), (a, b))
MR_LAZY(la, int, archive_read_free, (struct archive *a), (a))
MR_LAZY(la, struct archive *, archive_read_new, (void), ())
MR_LAZY(la, int, archive_read_next_header, (struct archive *a, struct archive_entry **b), (a, b))
MR_LAZY(la, int, archive_read_open,
	(struct archive *a, void *b, archive_open_callback *c, archive_read_callback *d,
	 archive_close_callback *e),
	(a, b, c, d, e))
MR_LAZY(la, int, archive_read_open_fd, (struct archive *a, int b, size_t c), (a, b, c))
MR_LAZY(la, int, archive_read_open_filename, (struct archive *a, const char *b, size_t c),
	(a, b, c))
MR_LAZY(la, int, archive_read_support_filter_all, (struct archive *a), (a))
MR_LAZY(la, int, archive_read_support_filter_bzip2, (struct archive *a), (a))
MR_LAZY(la, int, archive_read_support_filter_gzip, (struct archive *a), (a))
MR_LAZY(la, int, archive_read_support_filter_xz, (struct archive *a), (a))
MR_LAZY(la, int, archive_read_support_filter_zstd, (struct archive *a), (a))
MR_LAZY(la, int, archive_read_support_format_gnutar, (struct archive *a), (a))
MR_LAZY(la, int, archive_read_support_format_raw, (struct archive *a), (a))
MR_LAZY(la, int, archive_read_support_format_tar, (struct archive *a), (a))
MR_LAZY(la, int, archive_read_support_format_zip, (struct archive *a), (a))

/* writing: tars to files and fds, and files to disk */
MR_LAZY(la, int, archive_write_add_filter_gzip, (struct archive *a), (a))
MR_LAZY(la, int, archive_write_add_filter_zstd, (struct archive *a), (a))
MR_LAZY(la, int, archive_write_close, (struct archive *a), (a))
MR_LAZY(la, la_ssize_t, archive_write_data, (struct archive *a, const void *b, size_t c), (a, b, c))
MR_LAZY(la, la_ssize_t, archive_write_data_block,
	(struct archive *a, const void *b, size_t c, la_int64_t d),
	(a, b, c, d))
MR_LAZY(la, struct archive *, archive_write_disk_new, (void), ())
MR_LAZY(la, int, archive_write_disk_set_options, (struct archive *a, int b), (a, b))
MR_LAZY(la, int, archive_write_finish_entry, (struct archive *a), (a))
MR_LAZY(la, int, archive_write_free, (struct archive *a), (a))
MR_LAZY(la, int, archive_write_header, (struct archive *a, struct archive_entry *b), (a, b))
MR_LAZY(la, struct archive *, archive_write_new, (void), ())
MR_LAZY(la, int, archive_write_open_fd, (struct archive *a, int b), (a, b))
MR_LAZY(la, int, archive_write_open_filename, (struct archive *a, const char *b), (a, b))
MR_LAZY(la, int, archive_write_set_bytes_in_last_block, (struct archive *a, int b), (a, b))
MR_LAZY(la, int, archive_write_set_filter_option,
	(struct archive *a, const char *b, const char *c, const char *d),
	(a, b, c, d))
MR_LAZY(la, int, archive_write_set_format_pax_restricted, (struct archive *a), (a))

/* entries: one file of a tar, its metadata and xattrs */
MR_LAZY(la, time_t, archive_entry_atime, (struct archive_entry *a), (a))
MR_LAZY(la, int, archive_entry_atime_is_set, (struct archive_entry *a), (a))
MR_LAZY(la, long, archive_entry_atime_nsec, (struct archive_entry *a), (a))
MR_LAZY(la, struct archive_entry *, archive_entry_clear, (struct archive_entry *a), (a))
MR_LAZY_VOID(la, archive_entry_copy_stat, (struct archive_entry *a, const struct stat *b), (a, b))
MR_LAZY(la, __LA_MODE_T, archive_entry_filetype, (struct archive_entry *a), (a))
MR_LAZY_VOID(la, archive_entry_free, (struct archive_entry *a), (a))
MR_LAZY(la, la_int64_t, archive_entry_gid, (struct archive_entry *a), (a))
MR_LAZY(la, const char *, archive_entry_hardlink, (struct archive_entry *a), (a))
MR_LAZY(la, __LA_MODE_T, archive_entry_mode, (struct archive_entry *a), (a))
MR_LAZY(la, time_t, archive_entry_mtime, (struct archive_entry *a), (a))
MR_LAZY(la, long, archive_entry_mtime_nsec, (struct archive_entry *a), (a))
MR_LAZY(la, struct archive_entry *, archive_entry_new, (void), ())
MR_LAZY(la, const char *, archive_entry_pathname, (struct archive_entry *a), (a))
MR_LAZY(la, dev_t, archive_entry_rdev, (struct archive_entry *a), (a))
MR_LAZY_VOID(la, archive_entry_set_filetype, (struct archive_entry *a, unsigned int b), (a, b))
MR_LAZY_VOID(la, archive_entry_set_gid, (struct archive_entry *a, la_int64_t b), (a, b))
MR_LAZY_VOID(la, archive_entry_set_hardlink, (struct archive_entry *a, const char *b), (a, b))
MR_LAZY_VOID(la, archive_entry_set_mode, (struct archive_entry *a, __LA_MODE_T b), (a, b))
MR_LAZY_VOID(la, archive_entry_set_mtime, (struct archive_entry *a, time_t b, long c), (a, b, c))
MR_LAZY_VOID(la, archive_entry_set_pathname, (struct archive_entry *a, const char *b), (a, b))
MR_LAZY_VOID(la, archive_entry_set_perm, (struct archive_entry *a, __LA_MODE_T b), (a, b))
MR_LAZY_VOID(la, archive_entry_set_rdev, (struct archive_entry *a, dev_t b), (a, b))
MR_LAZY_VOID(la, archive_entry_set_size, (struct archive_entry *a, la_int64_t b), (a, b))
MR_LAZY_VOID(la, archive_entry_set_symlink, (struct archive_entry *a, const char *b), (a, b))
MR_LAZY_VOID(la, archive_entry_set_uid, (struct archive_entry *a, la_int64_t b), (a, b))
MR_LAZY(la, la_int64_t, archive_entry_size, (struct archive_entry *a), (a))
MR_LAZY(la, const struct stat *, archive_entry_stat, (struct archive_entry *a), (a))
MR_LAZY(la, const char *, archive_entry_symlink, (struct archive_entry *a), (a))
MR_LAZY(la, la_int64_t, archive_entry_uid, (struct archive_entry *a), (a))
MR_LAZY_VOID(la, archive_entry_xattr_add_entry,
	(struct archive_entry *a, const char *b, const void *c, size_t d),
	(a, b, c, d))
MR_LAZY(la, int, archive_entry_xattr_count, (struct archive_entry *a), (a))
MR_LAZY(la, int, archive_entry_xattr_next,
	(struct archive_entry *a, const char **b, const void **c, size_t *d),
	(a, b, c, d))
MR_LAZY(la, int, archive_entry_xattr_reset, (struct archive_entry *a), (a))

/* errors */
MR_LAZY(la, int, archive_errno, (struct archive *a), (a))
MR_LAZY(la, const char *, archive_error_string, (struct archive *a), (a))

/* clang-format on */

/* the one variadic function: formatted here, handed over as a plain string */
void archive_set_error(struct archive *a, int err, const char *fmt, ...)
{
	static __typeof__(&archive_set_error) real;
	char msg[1024];
	va_list ap;
	if (!real)
		real = (__typeof__(&archive_set_error))mr_lazy_sym(&la, "archive_set_error");
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	real(a, err, "%s", msg);
}

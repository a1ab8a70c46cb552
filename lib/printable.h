/*
 * lib/printable.h - a name from untrusted input, made safe to print in one line.
 *
 * A tar entry's name, an image's config value, a container's file name: whoever made them
 * chose their bytes, and an error message that prints them raw hands the terminal their
 * newlines, escape sequences ("\033]0;title\a", "\033[2J") and invalid UTF-8. These helpers
 * print such a name escaped, one line, never longer than the buffer.
 *
 * See: console_codes(4) (what an escape sequence can do to a terminal); utf-8(7).
 */
#ifndef MR_PRINTABLE_H
#define MR_PRINTABLE_H

#include <stddef.h>

/*
 * mr_printable - S (NUL-terminated, NULL prints as "") escaped into BUF of SIZE bytes,
 * which is returned. Printable ASCII and well-formed UTF-8 stay as they are; a backslash
 * becomes "\\", the control characters \n \r \t "\n" "\r" "\t", and every other byte
 * that is a control character (C0, DEL, the C1 range U+0080-U+009F) or not part of
 * well-formed UTF-8 becomes "\xHH". When S does not fit, it is cut (never inside an escape or
 * a UTF-8 sequence) and ends with "...". SIZE must be at least 8.
 */
const char *mr_printable(const char *s, char *buf, size_t size);

/* the same for the first LEN bytes of S, which need not be NUL-terminated */
const char *mr_printable_n(const char *s, size_t len, char *buf, size_t size);

#endif

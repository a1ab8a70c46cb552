/*
 * lib/err.c - error objects, dying with a message, and -v narration (see err.h).
 *
 * Every message starts with the program's name (program_invocation_short_name, a GNU
 * extension set by the C library before main), so a learner always knows who spoke.
 */
#define MR_ERR_DEFINING /* the real mr_fail, not lib/err.h's analyzer-only macro */
#include "lib/err.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int mr_verbose;
int mr_say_fd = STDERR_FILENO;
int mr_err_exit_code = 1;

int mr_fail(struct mr_err *err, int errnum, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
		if (errnum && n >= 0 && (size_t)n < sizeof(err->msg))
			snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", strerror(errnum));
		err->errnum = errnum;
		err->kind = MR_E_SYSTEM;
	}
	errno = errnum;
	return -1;
}

int mr_failk(struct mr_err *err, enum mr_err_kind kind, int errnum, const char *fmt, ...)
{
	char msg[sizeof((struct mr_err){0}.msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	mr_fail(err, errnum, "%s", msg);
	if (err)
		err->kind = kind;
	return -1;
}

void mr_prefix(struct mr_err *err, const char *fmt, ...)
{
	char head[512], old[sizeof(err->msg)];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	size_t n = strlen(head);
	if (n >= sizeof(err->msg))
		n = sizeof(err->msg) - 1;
	memcpy(err->msg, head, n);
	/* the old message follows the new context, cut to what still fits */
	snprintf(err->msg + n, sizeof(err->msg) - n, "%.*s", (int)(sizeof(err->msg) - n - 1), old);
}

int mr_err_report(const struct mr_err *err, int code)
{
	mr_warn("%s", err->msg);
	return code;
}

void mr_die_err(const struct mr_err *err)
{
	exit(mr_err_report(err, mr_err_exit_code));
}

/* vsay - print PREFIX, the message and, if errnum, ": strerror" as ONE line in ONE write:
 * a parent and a child narrating at once must not interleave their halves of a line. */
static void vsay(int fd, const char *prefix, const char *fmt, va_list ap, int errnum)
{
	char line[2048];
	int n = snprintf(line, sizeof(line), "%s", prefix);
	n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (n >= (int)sizeof(line) - 1)
		n = sizeof(line) - 2;
	if (errnum)
		n += snprintf(line + n, sizeof(line) - n, ": %s", strerror(errnum));
	if (n >= (int)sizeof(line) - 1)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	fflush(stderr);
	if (write(fd, line, n) < 0) {
		/* nowhere left to report it */
	}
}

/* vsay_prog - vsay with "PROG: " in front, for the dying and warning messages */
static void vsay_prog(const char *fmt, va_list ap, int errnum)
{
	char prefix[128];
	snprintf(prefix, sizeof(prefix), "%s: ", program_invocation_short_name);
	vsay(STDERR_FILENO, prefix, fmt, ap, errnum);
}

void mr_die(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	vsay_prog(fmt, ap, saved);
	va_end(ap);
	exit(1);
}

void mr_diex(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay_prog(fmt, ap, 0);
	va_end(ap);
	exit(code);
}

void mr_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay_prog(fmt, ap, 0);
	va_end(ap);
}

void mr_say(const char *fmt, ...)
{
	va_list ap;
	if (!mr_verbose)
		return;
	va_start(ap, fmt);
	vsay(mr_say_fd, "=> ", fmt, ap, 0);
	va_end(ap);
}

/*
 * lib/err.h - the project's two error regimes, and -v narration.
 *
 * Library code (ns/ns.c, cgroups/cgroup.c, ...) never prints and never exits: a function
 * that fails returns -1 and fills a `struct mr_err` that its caller prints once, at the top:
 *
 *	struct mr_err err = {0};
 *	if (ns_write_map(pid, "uid_map", "0 1000 1", &err) < 0)
 *		mr_die_err(&err);          // "uts: write /proc/42/uid_map: Operation not permitted"
 *
 * Tiny programs (ns/uts.c, ...) die at once with the syscall and errno: `mr_die("unshare")`.
 *
 * Narration: programs set `mr_verbose` from -v; `mr_say("unshare(CLONE_NEWUTS)")` then prints
 * "=> unshare(CLONE_NEWUTS)" on stderr, so the terminal tells the story the source tells.
 */
#ifndef MR_ERR_H
#define MR_ERR_H

#include <stdarg.h>

/* Exit codes shared by every program, as docker and the shells use them (the table is in
 * docs/HACKING.md, "Command lines and exit codes"). */
enum {
	MR_EXIT_USAGE = 2,     /* bad flag or argument, in a tiny program (minirun: 125) */
	MR_EXIT_RUNTIME = 125, /* the tool itself failed */
	MR_EXIT_CANNOT_EXEC = 126,
	MR_EXIT_NOT_FOUND = 127,
};

/* What kind of failure an error is, so that a caller decides by kind, never by the
 * message's text (a not-found image is pulled, a not-found container is exit 1 ...). */
enum mr_err_kind {
	MR_E_SYSTEM = 0, /* a step failed (a syscall, the machine): the default */
	MR_E_NOT_FOUND,  /* the named object does not exist ("No such image: x") */
	MR_E_CONFLICT,   /* it exists already or is in use ("Conflict. The container name ...") */
	MR_E_INVALID,    /* the input is wrong (a name, a reference, a value) */
	MR_E_USAGE,      /* the command line's shape is wrong: an operand count (docker's CLI: 1) */
};

struct mr_err {
	int errnum;            /* errno of the failing step, 0 if none */
	enum mr_err_kind kind; /* MR_E_SYSTEM unless the maker said otherwise (mr_failk) */
	char msg[1024];        /* "what 'on what'", then ": strerror" when errnum != 0 */
};

/*
 * mr_fail - record a failure in err (may be NULL) and return -1.
 * errnum is an errno value (0 for a failure that is not a syscall's); its strerror text is
 * appended. errno is left equal to errnum so callers may still test it.
 */
int mr_fail(struct mr_err *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* mr_failk - mr_fail, and mark the error as of KIND (mr_fail marks MR_E_SYSTEM). */
int mr_failk(struct mr_err *err, enum mr_err_kind kind, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* For clang's static analyzer (make lint), which reads one file at a time and so can't see
 * that mr_fail and mr_failk always return -1: without this, every `return ok ? 0 :
 * mr_fail(...)` looked to it as if 0 could come back with nothing done. Only while
 * analysing (__clang_analyzer__); lib/err.c, which defines them, undoes it. */
#if defined(__clang_analyzer__) && !defined(MR_ERR_DEFINING)
#define mr_fail(...)  (mr_fail(__VA_ARGS__), -1)
#define mr_failk(...) (mr_failk(__VA_ARGS__), -1)
#endif

/* mr_prefix - put context in front of an error already recorded ("create 'x': " + msg). */
void mr_prefix(struct mr_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* mr_err_report - print "PROG: MSG" on stderr and return CODE: the one error line of a
 * command that goes on to return its exit status (the front end's verbs, minirun oci's). */
int mr_err_report(const struct mr_err *err, int code);

/* mr_die_err - print "PROG: MSG" on stderr and exit(mr_err_exit_code). */
void mr_die_err(const struct mr_err *err) __attribute__((noreturn));

/* mr_die - print "PROG: WHAT: strerror(errno)" and exit(1). For tiny programs only. */
void mr_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* mr_diex - print "PROG: WHAT" (no errno) and exit(code). */
void mr_diex(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

/* mr_warn - print "PROG: WHAT" on stderr and go on. */
void mr_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* -v narration: mr_say prints "=> WHAT" on stderr when mr_verbose is set; on MR_SAY_FD
 * instead when a process's stderr is not its own to narrate on (a health probe's caller:
 * its fd 2 is the probe's output, which the narration must not join). */
extern int mr_verbose;
extern int mr_say_fd;
void mr_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The exit status to use with mr_die_err; tiny programs keep 1, minirun sets 125. */
extern int mr_err_exit_code;

#endif

/*
 * minirun/containers/info.h - the verbs that look at containers and copy out of them:
 * ps inspect top stats port diff cp commit, and the `container` management command.
 *
 * Internal to minirun/containers/ (the info engineer's files): the verb functions that
 * container_info_commands[] (info_commands.c) lists, and the pure pieces they share, which
 * tests/unit/test_containers_info.c checks: docker's STATUS and PORTS words, the quoted
 * COMMAND, the tabwriter layout, and the changes of an overlay upper dir (--format:
 * lib/template.h).
 *
 * See: containers.h (the store these read), docker-ps(1), docker-inspect(1), docker-diff(1)
 */
#ifndef MR_CONTAINERS_INFO_H
#define MR_CONTAINERS_INFO_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "minirun/containers/containers.h"

/* the verbs (argv[0] = the verb's name; return the exit status) */
int cmd_ps(int argc, char **argv);              /* ps.c */
int cmd_inspect(int argc, char **argv);         /* inspect.c */
int cmd_top(int argc, char **argv);             /* top.c */
int cmd_stats(int argc, char **argv);           /* stats.c */
int cmd_port(int argc, char **argv);            /* port.c */
int cmd_diff(int argc, char **argv);            /* diff.c */
int cmd_cp(int argc, char **argv);              /* cp.c */
int cmd_commit(int argc, char **argv);          /* commit.c */
int cmd_container(int argc, char **argv);       /* info_commands.c: container ls|inspect|rm|... */
int cmd_rename(int argc, char **argv);          /* rename.c */
int cmd_update(int argc, char **argv);          /* update.c */
int cmd_export(int argc, char **argv);          /* export.c */
int cmd_container_prune(int argc, char **argv); /* prune.c: container prune */

/* cp.c, for export.c: C's root directory as an fd (/proc/PID/root while it runs, else its
 * overlay mounted in a private mount namespace of this process), and SFD/SNAME written as
 * NAME into the tar A, recursively, never following a link */
struct archive;
int cp_root(struct container *c, struct mr_err *err);
int cp_tar_tree(struct archive *a, int sfd, const char *sname, const char *name,
		struct mr_err *err);
/* cp_tar_shift - the tars cp_tar_tree writes next name C's files with C's own ids: a
 * --userns=auto container's host range shifted back (0 for its root), as commit does */
void cp_tar_shift(const struct container *c);

/* ---- shared by the verbs (info_commands.c) ------------------------------------------------ */

/* info_open - container_open at containers_root(); on failure print "Error: MSG" and
 * return -1 (docker's words: "Error: No such container: x"). */
int info_open(const char *ref, bool lock, struct container *c);
/* info_refresh - bring c->rec's State up to date with the processes (container_status,
 * container_pid): Status, Running, Paused, Restarting, Dead, Pid. The file is not written;
 * c->rec is read again when the monitor recorded an exit since (pointers into it go stale). */
void info_refresh(struct container *c);
/* info_sizes - the bytes of the files in C's upper dir (docker's SizeRw), and those plus
 * its image's (SizeRootFs) (ps.c) */
void info_sizes(struct container *c, uint64_t *rw, uint64_t *rootfs);
/* info_usage_error - "minirun: MSG\nSee 'minirun VERB --help'." on stderr; returns 125 */
int info_usage_error(const char *verb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* info_print_rows - print ROWS (strings whose cells are separated by '\t') as docker's
 * tabwriter does: each column as wide as its widest cell + 3 (at least 10). Frees nothing. */
void info_print_rows(char **rows, size_t n);
/* info_print_rows_min - the same with cells at least MINWIDTH wide (top: 20, as docker 20) */
void info_print_rows_min(char **rows, size_t n, size_t minwidth);

/* ---- what ps shows (ps.c), pure ------------------------------------------------------------ */

/* info_status - docker's STATUS from the record R's State and the status now (STATUS, from
 * container_status): "Up 3 seconds", "Up 3 seconds (Paused)", "Exited (137) 2 minutes ago",
 * "Restarting (1) 5 seconds ago", "Created", "Dead". */
void info_status(const struct container_record *r, enum container_state status, char *buf,
		 size_t len);
/* info_ports - docker's PORTS from the record's ports (NetworkSettings.Ports: "80/tcp" with
 * its bindings, or none for an exposed, unpublished port), as docker's DisplayablePorts writes them:
 * sorted; runs of consecutive ports collapsed where docker collapses them (exposed ones,
 * "80-82/tcp", and those published on the same host port of one address,
 * "0.0.0.0:8000-8002->8000-8002/tcp"), then each port published on another host port,
 * never collapsed: "443/tcp, 0.0.0.0:8080->80/tcp, 0.0.0.0:8081->81/tcp". */
void info_ports(const struct container_port *ports, size_t nports, char *buf, size_t len);
/* info_command - docker's COMMAND: Path and Args joined, truncated to 20 characters with
 * "…" unless NOTRUNC, then quoted as Go's strconv.Quote does ("\"sh -c 'sleep 1…\""). */
void info_command(const struct container_record *r, bool notrunc, char *buf, size_t len);

/* ---- what diff shows (diff.c) -------------------------------------------------------------- */

/* one change of an upper dir: KIND 'A' (added), 'C' (changed), 'D' (deleted) */
struct info_change {
	char kind;
	char *path; /* "/etc/hosts" */
};
/*
 * info_changes - the changes the overlay upper dir UPPER makes over LOWERS (NULL-terminated,
 * top first), as docker diff computes them: a whiteout or an opaque directory is 'D', a path
 * no lower has is 'A', one a lower has is 'C', and the parent of an 'A' or 'D' is 'C' even
 * when it was not copied up. Sorted by path. HIDE (NULL-terminated, may be NULL) names the
 * mount points the runtime made (/etc/hosts ...): left out when added and empty, as docker
 * keeps them in a layer of their own; a directory left "C" with nothing shown below it and
 * its mode and owner as in the image is left out too (overlay copied it up only to hold a
 * hidden name). *out is an array the caller frees with info_changes_free; -1 with err when
 * UPPER cannot be read.
 */
int info_changes(const char *upper, char *const *lowers, const char *const *hide,
		 struct info_change **out, size_t *n, struct mr_err *err);
void info_changes_free(struct info_change *ch, size_t n);
/* info_lowers - C's lower dirs, top first: the record's GraphDriver.Data.LowerDir
 * (":"-separated, as docker's overlay2 records it), else its image's unpacked layers; a
 * NULL-terminated array in *out, freed with image_lowerdirs_free (diff.c; cp uses it) */
int info_lowers(struct container *c, char ***out, struct mr_err *err);

#endif

/*
 * minirun/build/ttyview.h - `minirun build --progress tty`: BuildKit's redrawing progress
 * view, drawn from the plain progress lines the builder writes anyway.
 *
 * The builder speaks one language, BuildKit's plain progress ("#4 [2/3] RUN make", "#4
 * 0.131 output", "#4 DONE 0.4s", "#4 CACHED", "#4 ERROR: ..."); the tty view reads those
 * lines as events and keeps a model of the steps (ttyview_feed), which it draws as BuildKit
 * does (ttyview_render):
 *
 *   [+] Building 2.4s (5/6)
 *    => [internal] load build definition from ./Dockerfile                     0.0s
 *    => CACHED [2/3] COPY app /app                                             0.0s
 *    => [3/3] RUN make                                                         1.2s
 *    => => # cc -o app app.c
 *
 * A running step shows its timer and its last output lines; a finished one collapses to
 * its line and its status lines (an export's "writing image sha256:...", as BuildKit's). The view runs in a process of its own (ttyview_start), fed through a pipe,
 * so the timers tick while the builder waits on a RUN, and it draws the final state once
 * the pipe closes - however the build ended.
 *
 * See: https://docs.docker.com/build/building/variables/#buildkit_progress ; builder.c
 */
#ifndef MR_BUILD_TTYVIEW_H
#define MR_BUILD_TTYVIEW_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "minirun/build/buf.h"

#define TTYVIEW_LOGS 6 /* the output lines a running step shows, as BuildKit's view */

/* One step ("vertex" in BuildKit's words). */
struct ttyvertex {
	int id;                     /* N of "#N" */
	char *name;                 /* "[2/3] RUN make" */
	double start, end;          /* the view's clock; end < 0 while running */
	bool cached, error;         /* "#N CACHED", "#N ERROR: ..." */
	char *status[TTYVIEW_LOGS]; /* its "#N other text" lines ("writing image ..."), */
	int nstatus;                /* the last TTYVIEW_LOGS, shown even once it is done */
	char *errmsg;               /* "#N ERROR: msg" */
	char *logs[TTYVIEW_LOGS];   /* the last output lines, oldest first */
	int nlogs;
};

struct ttyview {
	struct ttyvertex *v;
	size_t n;
	double start; /* the build's start */
	int lines;    /* how many lines the last draw took (the next one moves up over them) */
};

/*
 * ttyview_feed - one plain progress LINE (no newline) at time NOW (seconds, any origin):
 * a new "#N" starts a step; "#N DONE 0.4s", "#N CACHED", "#N ERROR: msg" end it; "#N 0.131
 * text" is its output; any other "#N text" a status line. Lines without "#N" are ignored.
 */
void ttyview_feed(struct ttyview *t, const char *line, double now);

/*
 * ttyview_render - the view at NOW into OUT, as text for a terminal WIDTH columns wide and
 * HEIGHT lines high (the latest steps when they do not all fit): each line cut at WIDTH,
 * "\r\033[K" before it so it replaces what was there. FINAL: the build is over (the header
 * says FINISHED, or ERROR when a step failed; no step is running). Cursor moves are the
 * caller's (ttyview_draw).
 */
void ttyview_render(const struct ttyview *t, double now, int width, int height, bool final,
		    struct sb *out);

void ttyview_free(struct ttyview *t);

/*
 * ttyview_start - a view process drawing on TTY_FD (a terminal): *OUT gets the write end
 * of its pipe (line-buffered; the builder's progress goes there), *PID its process ID.
 * -1 with errno if the pipe or the fork failed (the caller then prints plain progress).
 */
int ttyview_start(int tty_fd, FILE **out, pid_t *pid);
/* ttyview_end - close OUT and wait for PID to draw the final state and exit */
void ttyview_end(FILE *out, pid_t pid);

#endif

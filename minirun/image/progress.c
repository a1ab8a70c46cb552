/*
 * minirun/image/progress.c - one line per layer while pulling or pushing, as docker draws them.
 *
 * On a terminal, each layer keeps its own line and redraws it in place:
 *
 *   a3ed95caeb02: Downloading [=================>              ]  2.1MB/3.6MB  41.2MB/s
 *   5a3ea8efae5d: Download complete
 *
 * (the cursor goes up to the layer's line with ESC[nA, rewrites it, ESC[K clears the rest,
 * and comes back down). Elsewhere (a log, a pipe, a test) each change of status is one
 * plain line, and byte counts are not printed at all: a log gets no 1000 redraws.
 *
 * The lines go where the caller says: `minirun pull` draws on stdout, as docker pull does;
 * run and create draw on stderr, since their stdout is the container's output (or its ID).
 *
 * See: console_codes(4) (CSI A, CSI B, CSI K)
 */
#include "minirun/image/image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct line {
	char id[16], status[64];
	uint64_t done, total;
	double start, last; /* when bytes began, and when the line was last drawn */
};

struct progress {
	int n, tty, quiet;
	FILE *out;
	struct line *lines;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct progress *progress_new(int nlines, int quiet, FILE *out)
{
	struct progress *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->n = nlines;
	p->quiet = quiet;
	p->out = out;
	p->tty = isatty(fileno(out));
	p->lines = calloc(nlines + 1, sizeof(*p->lines));
	if (p->tty && !quiet)
		for (int i = 0; i < nlines; i++)
			fputc('\n', out); /* reserve the lines the layers will draw on */
	return p;
}

/* draw line I in place: up to it, rewrite it, back down */
static void draw(struct progress *p, int i)
{
	struct line *l = &p->lines[i];
	int up = p->n - i;
	fprintf(p->out, "\033[%dA\r%s: %s", up, l->id, l->status);
	if (l->total && l->done < l->total &&
	    (!strcmp(l->status, "Downloading") || !strcmp(l->status, "Pushing"))) {
		char done[32], total[32], rate[32];
		const int width = 50;
		int fill = (int)((double)l->done / l->total * width);
		double secs = now() - l->start;
		fmt_size(l->done, done, sizeof(done));
		fmt_size(l->total, total, sizeof(total));
		fmt_size(secs > 0 ? (uint64_t)(l->done / secs) : 0, rate, sizeof(rate));
		fputs(" [", p->out);
		for (int k = 0; k < width; k++)
			fputc(k < fill ? '=' : k == fill ? '>' : ' ', p->out);
		fprintf(p->out, "] %8s/%s %8s/s", done, total, rate);
	}
	fprintf(p->out, "\033[K\033[%dB\r", up);
	fflush(p->out);
}

void progress_line(struct progress *p, int i, const char *id, const char *status)
{
	if (!p || i < 0 || i >= p->n)
		return;
	struct line *l = &p->lines[i];
	snprintf(l->id, sizeof(l->id), "%.12s", id);
	snprintf(l->status, sizeof(l->status), "%s", status);
	if (!strcmp(status, "Downloading") || !strcmp(status, "Pushing"))
		l->start = now();
	if (p->quiet)
		return;
	if (p->tty) {
		draw(p, i);
	} else {
		fprintf(p->out, "%s: %s\n", l->id, l->status);
		fflush(p->out);
	}
}

void progress_bytes(struct progress *p, int i, uint64_t done, uint64_t total)
{
	if (!p || i < 0 || i >= p->n)
		return;
	struct line *l = &p->lines[i];
	l->done = done;
	l->total = total;
	double t = now();
	/* at most ten redraws a second, and only on a terminal */
	if (p->quiet || !p->tty || (t - l->last < 0.1 && done < total))
		return;
	l->last = t;
	draw(p, i);
}

void progress_free(struct progress *p)
{
	if (!p)
		return;
	free(p->lines);
	free(p);
}

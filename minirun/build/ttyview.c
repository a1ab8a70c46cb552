/*
 * minirun/build/ttyview.c - the tty progress view: BuildKit's plain lines in, a redrawn
 * screen out (ttyview.h says what it shows and why it reads the plain lines).
 *
 * The drawing is a terminal's simplest: move the cursor up over the lines drawn last time
 * (ESC [ N A), then write each line again from its start, clearing what was after it
 * (CR, ESC [ K), and clear below the last one (ESC [ J) when the view got shorter. Ten
 * draws a second while a step runs, so its timer ticks.
 *
 * See: ttyview.h; console_codes(4) (CSI A, K, J); poll(2); ioctl_tty(2) TIOCGWINSZ.
 */
#include "minirun/build/ttyview.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- the model ------------------------------------------------------------------------------ */

static struct ttyvertex *find(struct ttyview *t, int id)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].id == id)
			return &t->v[i];
	return NULL;
}

static void set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = strdup(s);
}

/* append S to the list V of *N lines, dropping the oldest past TTYVIEW_LOGS */
static void push_last(char **v, int *n, const char *s)
{
	if (*n == TTYVIEW_LOGS) {
		free(v[0]);
		memmove(v, v + 1, (TTYVIEW_LOGS - 1) * sizeof(char *));
		(*n)--;
	}
	v[(*n)++] = strdup(s);
}

/* is S "0.131 ..." (a RUN's output line: seconds with three decimals, a space)? */
static bool log_line(const char *s)
{
	size_t d = strspn(s, "0123456789");
	return d && s[d] == '.' && strspn(s + d + 1, "0123456789") == 3 && s[d + 4] == ' ';
}

void ttyview_feed(struct ttyview *t, const char *line, double now)
{
	char *end;
	if (t->start <= 0)
		t->start = now;
	if (line[0] != '#')
		return;
	long id = strtol(line + 1, &end, 10);
	if (end == line + 1 || *end != ' ')
		return;
	const char *rest = end + 1;
	struct ttyvertex *v = find(t, (int)id);
	if (!v) { /* a new step: its first line is its name */
		struct ttyvertex *nv = realloc(t->v, (t->n + 1) * sizeof(*nv));
		if (!nv)
			return;
		t->v = nv;
		v = &nv[t->n++];
		memset(v, 0, sizeof(*v));
		v->id = (int)id;
		v->name = strdup(rest);
		v->start = now;
		v->end = -1;
		return;
	}
	if (!strncmp(rest, "DONE ", 5) || !strcmp(rest, "CACHED") || !strncmp(rest, "ERROR", 5)) {
		v->cached |= !strcmp(rest, "CACHED");
		if (!strncmp(rest, "ERROR", 5)) {
			v->error = true;
			set_str(&v->errmsg, rest + strspn(rest, "ERROR: "));
		}
		if (v->end < 0)
			v->end = now;
		return;
	}
	if (log_line(rest)) /* output: keep the last TTYVIEW_LOGS lines */
		push_last(v->logs, &v->nlogs, strchr(rest, ' ') + 1);
	else
		push_last(v->status, &v->nstatus, rest);
}

void ttyview_free(struct ttyview *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].name);
		free(t->v[i].errmsg);
		for (int k = 0; k < t->v[i].nstatus; k++)
			free(t->v[i].status[k]);
		for (int k = 0; k < t->v[i].nlogs; k++)
			free(t->v[i].logs[k]);
	}
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* ---- the drawing ----------------------------------------------------------------------------- */

/* one line: TEXT cut to fit WIDTH with RIGHT (a timer, may be "") at the right edge */
static void put_line(struct sb *out, const char *text, const char *right, int width)
{
	int rlen = (int)strlen(right), room = width - rlen - (rlen ? 1 : 0);
	int tlen = (int)strlen(text);
	if (room < 0)
		room = 0;
	sb_puts(out, "\r\033[K");
	if (tlen > room) {
		sb_putn(out, text, (size_t)(room > 3 ? room - 3 : room));
		sb_puts(out, room > 3 ? "..." : "");
		tlen = room;
	} else {
		sb_puts(out, text);
	}
	for (int i = tlen; rlen && i < room + 1; i++)
		sb_putc(out, ' ');
	sb_puts(out, right);
	sb_putc(out, '\n');
}

/* the lines step V takes: itself, its status lines, its error, and its output while it
 * runs (or when it failed) */
static int vertex_lines(const struct ttyvertex *v, bool final)
{
	bool open = v->end < 0 && !final;
	return 1 + v->nstatus + (v->errmsg != NULL) + ((open || v->error) ? v->nlogs : 0);
}

static void put_vertex(struct sb *out, const struct ttyvertex *v, double now, int width, bool final)
{
	char right[32], text[4200];
	bool open = v->end < 0 && !final;
	double end = v->end >= 0 ? v->end : now;
	snprintf(right, sizeof(right), "%.1fs", end - v->start);
	snprintf(text, sizeof(text), " => %s%s",
		 v->cached  ? "CACHED "
		 : v->error ? "ERROR "
			    : "",
		 v->name);
	put_line(out, text, right, width);
	for (int k = 0; k < v->nstatus; k++) {
		snprintf(text, sizeof(text), " => => %s", v->status[k]);
		put_line(out, text, "", width);
	}
	if (v->errmsg) {
		snprintf(text, sizeof(text), " => => %s", v->errmsg);
		put_line(out, text, "", width);
	}
	for (int k = 0; (open || v->error) && k < v->nlogs; k++) {
		snprintf(text, sizeof(text), " => => # %s", v->logs[k]);
		put_line(out, text, "", width);
	}
}

void ttyview_render(const struct ttyview *t, double now, int width, int height, bool final,
		    struct sb *out)
{
	char head[128], right[32];
	size_t done = 0, first = 0;
	bool failed = false;
	for (size_t i = 0; i < t->n; i++) {
		done += t->v[i].end >= 0;
		failed |= t->v[i].error;
	}
	/* the latest steps that fit below the header */
	int lines = 0;
	for (size_t i = t->n; i-- > 0;) {
		int l = vertex_lines(&t->v[i], final);
		if (height > 1 && lines + l > height - 1 && i + 1 < t->n) {
			first = i + 1;
			break;
		}
		lines += l;
	}
	snprintf(head, sizeof(head), "[+] Building %.1fs (%zu/%zu)%s",
		 t->start > 0 ? now - t->start : 0.0, done, t->n,
		 final ? (failed ? " ERROR" : " FINISHED") : "");
	right[0] = '\0';
	put_line(out, head, right, width);
	for (size_t i = first; i < t->n; i++)
		put_vertex(out, &t->v[i], now, width, final);
}

/* draw the view on FD over the last draw */
static void draw(struct ttyview *t, int fd, bool final)
{
	struct winsize ws = {0};
	int width = 80, height = 24;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
		width = ws.ws_col;
		height = ws.ws_row > 0 ? ws.ws_row : height;
	}
	struct sb out = {0}, body = {0};
	ttyview_render(t, now_s(), width, height, final, &body);
	int lines = 0;
	for (const char *p = sb_str(&body); *p; p++)
		lines += *p == '\n';
	if (t->lines > 0) {
		char up[32];
		snprintf(up, sizeof(up), "\033[%dA", t->lines);
		sb_puts(&out, up);
	}
	sb_puts(&out, sb_str(&body));
	if (lines < t->lines)
		sb_puts(&out, "\033[J"); /* the view got shorter: clear what was below */
	t->lines = lines;
	for (size_t off = 0; off < out.len;) {
		ssize_t w = write(fd, sb_str(&out) + off, out.len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	sb_free(&out);
	sb_free(&body);
}

/* the view process: lines from IN, ten draws a second on FD, the final one at EOF */
static void run_view(int in, int fd)
{
	struct ttyview t = {0};
	struct sb pending = {0};
	char buf[4096];
	double last = 0;
	/* a Ctrl-C reaches the whole process group: the builder ends its build and closes the
	 * pipe, and the view must live to draw that end */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	t.start = now_s();
	for (;;) {
		struct pollfd p = {.fd = in, .events = POLLIN};
		int r = poll(&p, 1, 100);
		if (r < 0 && errno == EINTR)
			continue;
		if (r > 0) {
			ssize_t n = read(in, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			sb_putn(&pending, buf, (size_t)n);
			if (pending.oom) /* nothing to scan: pending.s may be NULL */
				break;
			char *s = pending.s, *nl;
			while ((nl = memchr(s, '\n', pending.len - (size_t)(s - pending.s)))) {
				*nl = '\0';
				ttyview_feed(&t, s, now_s());
				s = nl + 1;
			}
			size_t left = pending.len - (size_t)(s - pending.s);
			memmove(pending.s, s, left);
			pending.len = left;
		}
		if (now_s() - last >= 0.1) {
			draw(&t, fd, false);
			last = now_s();
		}
	}
	draw(&t, fd, true);
	sb_free(&pending);
	ttyview_free(&t);
}

int ttyview_start(int tty_fd, FILE **out, pid_t *pid)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	fflush(NULL);
	*pid = fork();
	if (*pid < 0) {
		int e = errno;
		close(p[0]);
		close(p[1]);
		errno = e;
		return -1;
	}
	if (*pid == 0) {
		close(p[1]);
		run_view(p[0], tty_fd);
		_exit(0);
	}
	close(p[0]);
	*out = fdopen(p[1], "w");
	if (!*out) {
		int e = errno;
		close(p[1]);
		waitpid(*pid, NULL, 0);
		errno = e;
		return -1;
	}
	setvbuf(*out, NULL, _IOLBF, 0); /* a line at a time: RUN's output child writes too */
	return 0;
}

void ttyview_end(FILE *out, pid_t pid)
{
	fclose(out);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/*
 * minirun/containers/wait.c - `minirun wait [--condition C] CONTAINER...`: block until each
 * container reaches condition C, then print its exit code.
 *
 *   not-running (default)  returns at once for a container that is not running
 *   next-exit              the next exit from now: a stopped container is waited for
 *                          through its next start (a `start`, or a restart policy)
 *   removed                its exit, and then its removal (`rm`, or --rm)
 *
 * No daemon sends the news: the monitor records each exit in the record (container_
 * wait_exit watches it with inotify), and a stopped container's next start is seen as a new
 * StartedAt in its record.
 *
 *   minirun wait --condition removed web
 *
 * See: https://docs.docker.com/reference/cli/docker/container/wait/
 */
#include "minirun/containers/containers.h"
#include "minirun/containers/lifecycle.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/cli.h"

enum condition { NOT_RUNNING, NEXT_EXIT, REMOVED };

static void nap(void)
{
	struct timespec ts = {0, 50 * 1000 * 1000};
	nanosleep(&ts, NULL);
}

static bool live(enum container_state s)
{
	return s == CONTAINER_RUNNING || s == CONTAINER_PAUSED || s == CONTAINER_RESTARTING;
}

/* next-exit for a container not running now: until its record shows a new start */
static int wait_start(struct container *c, struct mr_err *err)
{
	char was[64];
	snprintf(was, sizeof(was), "%s", c->r.state.started_at ?: "");
	for (;;) {
		if (container_reload(c, err) < 0)
			return -1;
		const char *now = c->r.state.started_at ?: "";
		if (strcmp(now, was) || live(container_status(c)))
			return 0;
		nap();
	}
}

static int wait_one(const char *ref, enum condition cond, int *code, struct mr_err *err)
{
	struct container c;
	if (container_open(containers_root(), ref, false, &c, err) < 0)
		return -1;
	int rc = 0;
	if (cond == NEXT_EXIT && !live(container_status(&c)))
		rc = wait_start(&c, err);
	if (rc == 0)
		rc = container_wait_exit(&c, code, err);
	if (cond == REMOVED) {
		if (rc < 0 && err->kind == MR_E_NOT_FOUND)
			rc = 0; /* gone already (--rm): its code came from exit-code, or is 0 */
		while (rc == 0 && access(c.dir, F_OK) == 0)
			nap();
	}
	container_close(&c);
	return rc;
}

int cmd_wait(int argc, char **argv)
{
	static const struct option opts[] = {{"condition", required_argument, NULL, 'c'},
					     {NULL, 0, NULL, 0}};
	static const char help[] =
		"Usage:  minirun wait [OPTIONS] CONTAINER [CONTAINER...]\n\n"
		"Block until one or more containers stop, then print their exit codes\n\n"
		"Options:\n"
		"      --condition string   not-running (default), next-exit or removed\n";
	static const char *const names[] = {"not-running", "next-exit", "removed"};
	enum condition cond = NOT_RUNNING;
	int ch, rc = 0;
	optind = 0;
	while ((ch = mr_verb_opt(argc, argv, "wait", "", opts, help, &rc)) != -1) {
		if (ch == MR_OPT_DONE)
			return rc;
		size_t i = 0;
		while (i < 3 && strcmp(optarg, names[i]))
			i++;
		if (i == 3) {
			fprintf(stderr,
				"minirun: invalid condition \"%s\": use not-running, next-exit or "
				"removed\nSee 'minirun wait --help'.\n",
				optarg);
			return MR_EXIT_RUNTIME;
		}
		cond = (enum condition)i;
	}
	if (optind >= argc) {
		fprintf(stderr, "minirun: \"wait\" requires at least 1 argument.\n"
				"See 'minirun wait --help'.\n");
		return MR_EXIT_RUNTIME;
	}
	for (int i = optind; i < argc; i++) {
		struct mr_err err = {0};
		int code = 0;
		if (wait_one(argv[i], cond, &code, &err) < 0)
			rc = mr_err_report(&err, 1);
		else
			printf("%d\n", code);
		fflush(stdout);
	}
	return rc;
}

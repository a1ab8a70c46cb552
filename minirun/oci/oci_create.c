/*
 * minirun/oci/oci_create.c - `minirun oci create` and `minirun oci run`.
 *
 * create makes the container and returns while its process waits for `start`; the stdio
 * it was given becomes the container's (engines hand it pipes or a pty this way). run is
 * create + start, then, unless --detach, it waits for the process, forwarding signals, and
 * deletes the container, exiting with the process's status. A terminal container under run
 * without --console-socket gets its pty master here, copied to and from our own stdio.
 *
 *   minirun oci create --bundle DIR [--pid-file F] [--console-socket SOCK] ID
 *   minirun oci run [--detach] --bundle DIR ID
 *
 * See: runc-create(8), runc-run(8); runtime.h.
 */
#include "minirun/oci/runtime.h"
#include "minirun/oci/runtime.h"
#include "minirun/oci/oci.h"
#include "minirun/oci/setup.h"

#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

static void usage(FILE *out, const char *verb)
{
	fprintf(out,
		"usage: minirun oci %s [OPTIONS] ID\n\n"
		"  -b, --bundle DIR          the bundle (config.json and the rootfs), default .\n"
		"      --pid-file FILE       write the container's init pid there\n"
		"      --console-socket SOCK send the pty master to this AF_UNIX socket\n"
		"      --preserve-fds N      pass fds 3..3+N-1 on to the process\n"
		"      --no-pivot            move the rootfs onto / instead of pivot_root\n"
		"      --no-new-keyring      keep the caller's session keyring\n"
		"%s",
		verb,
		strcmp(verb, "run") == 0
			? "  -d, --detach              return once started (do not wait or delete)\n"
			: "");
}

/* Parse the options shared by create and run; returns optind or -1 (after printing). */
static int parse(struct oci_global *g, int argc, char **argv, struct ctr_create_opts *o,
		 bool *detach)
{
	static const struct option opts[] = {
		{"bundle", required_argument, NULL, 'b'},
		{"pid-file", required_argument, NULL, 'p'},
		{"console-socket", required_argument, NULL, 'c'},
		{"preserve-fds", required_argument, NULL, 'P'},
		{"no-pivot", no_argument, NULL, 'N'},
		{"no-new-keyring", no_argument, NULL, 'K'},
		{"detach", no_argument, NULL, 'd'},
		{"keep", no_argument, NULL, 'k'},
		{"no-subreaper", no_argument, NULL, 'S'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	char *end;
	while ((c = getopt_long(argc, argv, "+:b:dh", opts, NULL)) != -1) {
		switch (c) {
		case 'b': o->bundle = optarg; break;
		case 'p': o->pid_file = optarg; break;
		case 'c': o->console_socket = optarg; break;
		case 'P':
			o->preserve_fds = (int)strtol(optarg, &end, 10);
			if (*end || o->preserve_fds < 0 || o->preserve_fds > 1024)
				return oci_failx(g, 2, "--preserve-fds must be a count, not '%s'",
						 optarg),
				       -1;
			break;
		case 'N': o->no_pivot = true; break;
		case 'K': o->no_new_keyring = true; break;
		case 'd':
			if (!detach)
				return usage(stderr, argv[0]), -1;
			*detach = true;
			break;
		case 'k':
		case 'S': break;
		case 'h': usage(stdout, argv[0]); exit(0);
		default:
			return oci_failx(g, 2, "flag '%s' %s; see 'minirun oci %s --help'",
					 argv[optind - 1],
					 c == ':' ? "needs a value" : "is unknown", argv[0]),
			       -1;
		}
	}
	o->id = oci_need_id(g, argc, argv, optind, argv[0]);
	return o->id ? optind : -1;
}

int oci_create(struct oci_global *g, int argc, char **argv)
{
	struct ctr_create_opts o = {.console_fd = -1};
	struct mr_err err = {0};
	pid_t pid;
	if (parse(g, argc, argv, &o, NULL) < 0)
		return 2;
	if (clone_exe_reexec(g->argv, &err) < 0)
		return oci_fail(g, &err);
	if (ctr_create(g->root, &o, &pid, &err) < 0)
		return oci_fail(g, &err);
	return 0;
}

static pid_t forward_to;
static void forward(int sig)
{
	if (forward_to > 0)
		kill(forward_to, sig);
}

int oci_run(struct oci_global *g, int argc, char **argv)
{
	struct ctr_create_opts o = {.console_fd = -1};
	struct mr_err err = {0};
	bool detach = false;
	int pair[2] = {-1, -1}, status = 0;
	pid_t pid;
	if (parse(g, argc, argv, &o, &detach) < 0)
		return 2;
	if (clone_exe_reexec(g->argv, &err) < 0)
		return oci_fail(g, &err);
	/* the init is our grandchild; as subreaper it becomes our child when its parent exits */
	if (!detach)
		prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	if (!o.console_socket && !detach) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
			return oci_failx(g, 1, "socketpair: %m");
		o.console_fd = pair[1];
	}
	if (ctr_create(g->root, &o, &pid, &err) < 0)
		return oci_fail(g, &err);
	int master = -1;
	if (pair[0] >= 0) {
		close(pair[1]);
		/* a terminal process has sent its pty master here before create returned;
		 * otherwise nothing came (asking the socket spares reading the config again) */
		struct pollfd p = {pair[0], POLLIN, 0};
		if (poll(&p, 1, 0) == 1 && (p.revents & POLLIN))
			master = console_recv(pair[0], &err);
		close(pair[0]);
	}
	forward_to = pid;
	int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], forward);
	if (ctr_start(g->root, o.id, &err) < 0) {
		oci_fail(g, &err);
		ctr_delete(g->root, o.id, true, NULL);
		return 1;
	}
	if (detach)
		return 0;
	if (master >= 0)
		status = console_proxy(master, pid);
	else if (ctr_wait(pid, &status) < 0)
		status = 1;
	if (ctr_delete(g->root, o.id, true, &err) < 0)
		oci_fail(g, &err);
	return status;
}

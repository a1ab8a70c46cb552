/*
 * minirun/oci/oci_exec.c - `minirun oci exec [OPTIONS] ID [COMMAND ARGS...]`.
 *
 * Runs COMMAND (or the process of --process FILE) inside a running container and, unless
 * --detach, waits for it and exits with its status. --tty gives it a terminal: through
 * --console-socket for an engine, or copied to our own stdio.
 *
 * See: runc-exec(8); exec.c.
 */
#include "minirun/oci/runtime.h"
#include "minirun/oci/runtime.h"
#include "minirun/oci/oci.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static void usage(FILE *out)
{
	fprintf(out, "usage: minirun oci exec [OPTIONS] ID [COMMAND [ARG...]]\n\n"
		     "  -p, --process FILE        a process.json to run instead of COMMAND\n"
		     "  -t, --tty                 give the process a terminal\n"
		     "  -d, --detach              return once it runs\n"
		     "      --pid-file FILE       write its pid there\n"
		     "      --console-socket SOCK send the pty master to this socket\n"
		     "      --cwd DIR             working directory inside the container\n"
		     "  -e, --env KEY=VALUE       add to the environment (repeatable)\n"
		     "  -u, --user UID[:GID]      run as this user\n"
		     "  -c, --cap CAP             add a capability (repeatable)\n"
		     "      --no-new-privs        set no_new_privs\n"
		     "      --preserve-fds N      pass fds 3..3+N-1 on\n");
}

int oci_exec(struct oci_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"process", required_argument, NULL, 'p'},
		{"tty", no_argument, NULL, 't'},
		{"detach", no_argument, NULL, 'd'},
		{"pid-file", required_argument, NULL, 'P'},
		{"console-socket", required_argument, NULL, 'C'},
		{"cwd", required_argument, NULL, 'w'},
		{"env", required_argument, NULL, 'e'},
		{"user", required_argument, NULL, 'u'},
		{"cap", required_argument, NULL, 'c'},
		{"no-new-privs", no_argument, NULL, 'n'},
		{"preserve-fds", required_argument, NULL, 'f'},
		{"process-label", required_argument, NULL, 'L'},
		{"apparmor", required_argument, NULL, 'A'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct ctr_exec_opts o = {0};
	struct mr_err err = {0};
	char *env[256], *caps[64];
	size_t nenv = 0, ncaps = 0;
	int c, status = 0;
	while ((c = getopt_long(argc, argv, "+:p:tdw:e:u:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': o.process_file = optarg; break;
		case 't': o.tty = true; break;
		case 'd': o.detach = true; break;
		case 'P': o.pid_file = optarg; break;
		case 'C': o.console_socket = optarg; break;
		case 'w': o.cwd = optarg; break;
		case 'e':
			if (nenv < 255)
				env[nenv++] = optarg;
			break;
		case 'u': o.user = optarg; break;
		case 'c':
			if (ncaps < 63)
				caps[ncaps++] = optarg;
			break;
		case 'n': o.no_new_privs = true; break;
		case 'f': o.preserve_fds = atoi(optarg); break;
		case 'L':
		case 'A':
			return oci_failx(g, 1, "--%s is not supported: minirun has no LSM support",
					 c == 'L' ? "process-label" : "apparmor");
		case 'h': usage(stdout); return 0;
		default:
			return oci_failx(g, 2, "flag '%s' %s; see 'minirun oci exec --help'",
					 argv[optind - 1],
					 c == ':' ? "needs a value" : "is unknown");
		}
	}
	env[nenv] = NULL, caps[ncaps] = NULL;
	o.env = env, o.cap_add = caps;
	if (optind >= argc)
		return oci_failx(g, 2, "exec needs a container id");
	o.id = argv[optind];
	o.args = argv + optind + 1;
	if (!o.process_file && !o.args[0])
		return oci_failx(g, 2, "exec needs a COMMAND or --process FILE");
	if (clone_exe_reexec(g->argv, &err) < 0)
		return oci_fail(g, &err);
	if (ctr_exec(g->root, &o, &status, &err) < 0) {
		oci_fail(g, &err);
		return err.errnum == ENOENT ? 127 : err.errnum == EACCES ? 126 : 1;
	}
	return status;
}

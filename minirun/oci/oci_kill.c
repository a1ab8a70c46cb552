/*
 * minirun/oci/oci_kill.c - `minirun oci kill [--all] ID [SIGNAL]`: signal a container.
 *
 * SIGNAL is a name ("KILL", "SIGTERM") or a number, SIGTERM by default. Without --all it
 * goes to the init only (in a new pid namespace, the init's death ends every other process
 * there too); with --all, to every process of the container's cgroup.
 *
 * See: runc-kill(8), signal(7), pidfd_send_signal(2).
 */
#include "minirun/oci/runtime.h"
#include "minirun/oci/oci.h"
#include "lib/sig.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>

static void usage(FILE *out)
{
	fprintf(out, "usage: minirun oci kill [OPTIONS] ID [SIGNAL]\n\n"
		     "  -a, --all    signal every process of the container, not only its init\n"
		     "  SIGNAL       a name (TERM, SIGKILL) or number; default SIGTERM\n");
}

int oci_kill(struct oci_global *g, int argc, char **argv)
{
	static const struct option opts[] = {{"all", no_argument, NULL, 'a'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	struct mr_err err = {0};
	bool all = false;
	int c, sig = SIGTERM;
	while ((c = getopt_long(argc, argv, "+:ah", opts, NULL)) != -1) {
		if (c == 'a')
			all = true;
		else if (c == '?' || c == ':')
			return oci_failx(g, 2, "flag '%s' %s; see 'minirun oci kill --help'",
					 argv[optind - 1],
					 c == ':' ? "needs a value" : "is unknown");
		else
			return usage(c == 'h' ? stdout : stderr), c == 'h' ? 0 : 2;
	}
	if (optind >= argc || argc - optind > 2) {
		usage(stderr);
		return 2;
	}
	if (argc - optind == 2 && (sig = mr_sig_parse(argv[optind + 1])) < 0)
		return oci_failx(g, 2,
				 "unknown signal '%s' (use a name such as TERM or KILL, or a "
				 "number)",
				 argv[optind + 1]);
	if (ctr_kill(g->root, argv[optind], sig, all, &err) < 0)
		return oci_fail(g, &err);
	return 0;
}

/*
 * ns/net.c - a new network namespace: nothing but a loopback device, and that one down.
 *
 * A network namespace has its own devices, addresses, routes, ports, firewall rules and
 * /proc/net. A new one holds a single device, `lo`, and even that starts down: a container
 * runtime (or netns/ later in this course) brings lo up and moves one end of a veth pair
 * in before the container can talk to anyone.
 *
 *	$ sudo ns/net
 *	outside: net:[4026531840]  lo (up) eth0 (up)
 *	inside:  net:[4026532310]  lo (down)
 *
 *	$ sudo ns/net -- ls /sys/class/net
 *	lo
 *
 * /sys/class/net is a view of the network namespace of whoever *mounted* that sysfs, not of
 * the reader: a command inside would still list the host's devices there. So the child also
 * enters a new mount namespace and mounts a fresh sysfs on /sys, as container runtimes do.
 *
 * See: network_namespaces(7), unshare(2), netdevice(7) (SIOCGIFFLAGS), if_nameindex(3),
 *      sysfs(5).
 * Build and run: `make ns/net && sudo ./ns/net -v -- ip link`.
 */
#include "lib/err.h"
#include "lib/proc.h"
#include "ns/ns.h"

#include <getopt.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: net [-v] [-- CMD [ARGS...]]\n"
		"Create a network namespace in a child and list the devices on both sides.\n"
		"\n"
		"  -v, --verbose       narrate each system call on stderr\n"
		"  -h, --help          show this help\n"
		"  -- CMD [ARGS...]    run CMD inside (with a fresh /sys); the report then goes to\n"
		"                      stderr, with -v only\n");
}

static FILE *report; /* stdout without CMD, stderr with CMD and -v, else NULL (see ns/uts.c) */

/* show - print this side's network namespace and each device with its state (IFF_UP). */
static void show(const char *side)
{
	struct mr_err err = {0};
	unsigned long ino = ns_inode(0, ns_by_name("net"), &err);
	if (!ino)
		mr_die_err(&err);

	/* Any socket will do for the ioctl; it asks the namespace the socket lives in. */
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct if_nameindex *ifs = if_nameindex();
	if (sock < 0 || !ifs)
		mr_die("list network devices");
	if (report) {
		fprintf(report, "%-8s net:[%lu] ", side, ino);
		for (struct if_nameindex *i = ifs; i->if_index; i++) {
			struct ifreq ifr = {0};
			snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", i->if_name);
			int up = ioctl(sock, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_UP);
			fprintf(report, " %s (%s)", i->if_name, up ? "up" : "down");
		}
		fputc('\n', report);
	}
	if_freenameindex(ifs);
	close(sock);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'net -h'",
				argv[optind - 1]);
		}
	}
	char **cmd = optind < argc ? argv + optind : NULL;
	report = !cmd ? stdout : mr_verbose ? stderr : NULL;
	setvbuf(stdout, NULL, _IOLBF, 0); /* keep the report in step with -v lines on stderr */

	show("outside:");
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		mr_die("fork");
	if (pid == 0) {
		mr_say("unshare(CLONE_NEWNET|CLONE_NEWNS)");
		if (unshare(CLONE_NEWNET | CLONE_NEWNS) < 0)
			mr_die("unshare(CLONE_NEWNET|CLONE_NEWNS) (are you root?)");
		/* Private first, or on a systemd host (/ shared) the sysfs below would be
		 * mounted over the host's /sys too. */
		mr_say("mount(\"/\", MS_REC|MS_PRIVATE)");
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			mr_die("mount --make-rprivate /");
		/* sysfs shows the network namespace of the process mounting it: ours now. */
		mr_say("mount(\"sysfs\", \"/sys\", \"sysfs\", MS_NOSUID|MS_NODEV|MS_NOEXEC)");
		if (mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
			mr_die("mount sysfs on /sys");
		show("inside:");
		fflush(NULL);
		if (cmd) {
			mr_say("execvp(\"%s\") in the new network namespace", cmd[0]);
			mr_exec(cmd);
		}
		return 0;
	}
	int status = mr_wait_exit(pid);
	if (status < 0)
		mr_die("waitpid");
	return status;
}

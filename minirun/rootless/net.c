/*
 * minirun/rootless/net.c - the default network of a rootless container: pasta, else
 * slirp4netns.
 *
 * Root gives a container a veth on a bridge, with NAT. An ordinary user can make network
 * namespaces (its user namespace owns them) but no veth into the host's: nothing it owns
 * reaches the host's network. So a user-space program does: it sits in the host's network
 * namespace with ordinary sockets, and gives the container's namespace an interface whose
 * packets it reads and replays through those sockets.
 *
 *   pasta (Debian's passt): a tap device in the container's namespace that copies the
 *     host's addresses and routes (--config-net), TCP/UDP carried as host sockets, and
 *     ports published by listening on the host (-t HOSTPORT:PORT, -u ...). Preferred: it
 *     is the faster of the two and podman's default since 5.0.
 *   slirp4netns: a tap device with 10.0.2.100/24 and a user-space TCP/IP stack (libslirp).
 *     Publishing needs its API socket; not done here: -p with slirp4netns is refused.
 *
 * Either runs as a daemon of the monitor's, in the host's network namespace, and ends
 * when the container's network namespace does; its pid is kept in a file so that the
 * container's teardown can end it at once.
 *
 * Ports below net.ipv4.ip_unprivileged_port_start (1024 by default) can't be bound by an
 * ordinary user on the host, so publishing one is refused, naming the sysctl.
 *
 * See: pasta(1), slirp4netns(1); podman's rootless networking; rootless.h.
 */
#include "minirun/rootless/rootless.h"

#include "lib/file.h"
#include "lib/proc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* on_path - whether PROG is an executable in PATH */
static bool on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[4200];
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, ":");
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, p, prog);
		if (access(buf, X_OK) == 0)
			return true;
		p += n + (p[n] == ':');
	}
	return false;
}

const char *rootless_net_helper(void)
{
	return on_path("pasta") ? "pasta" : on_path("slirp4netns") ? "slirp4netns" : NULL;
}

/* unprivileged_start - net.ipv4.ip_unprivileged_port_start of the host (1024 if unread) */
static long long unprivileged_start(void)
{
	char *text = NULL;
	size_t len;
	long long v = 1024;
	if (mr_read_file("/proc/sys/net/ipv4/ip_unprivileged_port_start", &text, &len, NULL) == 0) {
		text[strcspn(text, "\n")] = '\0';
		if (mr_parse_ll(text, 0, 65536, &v) < 0)
			v = 1024;
	}
	free(text);
	return v;
}

int rootless_net_check(const struct rootless_port *p, size_t n, struct mr_err *err)
{
	const char *helper = rootless_net_helper();
	if (!helper)
		return mr_fail(err, 0,
			       "the default network of a rootless container needs pasta or "
			       "slirp4netns (Debian: apt-get install passt): install one, or "
			       "use --network none or host");
	/* both make a tap device: a node closed to the user fails them half-way, so say it
	 * now (root of the user namespace is still the user for a host device's mode) */
	int tun = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (tun < 0)
		return mr_fail(err, 0,
			       "the default network of a rootless container needs /dev/net/tun, "
			       "which you may not open (%s): use --network none or host, or as "
			       "root: chmod 0666 /dev/net/tun (what udev does)",
			       strerror(errno));
	close(tun);
	if (n && strcmp(helper, "pasta") != 0)
		return mr_fail(err, 0,
			       "-p: publishing ports rootless needs pasta (Debian: apt-get "
			       "install passt); slirp4netns alone can't here");
	long long start = unprivileged_start();
	for (size_t i = 0; i < n; i++)
		if (p[i].host_port && (long long)p[i].host_port < start)
			return mr_fail(
				err, 0,
				"-p %u:%u: host port %u is below "
				"net.ipv4.ip_unprivileged_port_start (%lld), which an "
				"ordinary user may not bind: use a port >= %lld, or as root: "
				"sysctl net.ipv4.ip_unprivileged_port_start=%u",
				p[i].host_port, p[i].port, p[i].host_port, start, start,
				p[i].host_port);
	return 0;
}

/* free_port - a host port free now for PROTO ("tcp"/"udp") on HOST_IP, for -P and
 * `-p PORT` (pasta wants a number); 0 if none */
static unsigned free_port(const char *proto, const char *host_ip)
{
	int fd = socket(AF_INET, (strcmp(proto, "udp") ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC,
			0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	unsigned port = 0;
	if (host_ip && *host_ip)
		inet_pton(AF_INET, host_ip, &a.sin_addr);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/*
 * helper_up - start the helper on the network namespace NETNS (an fd, ours to close):
 * HOW_CONFIG gives it pasta's --config-net tap (or slirp4netns's tap0, configured), or
 * HOW_PORTS only ports, through pasta's tap TAP left unconfigured: what reaches the
 * namespace then is pasta's loopback "splice" (a connection to the host's port is made
 * anew to 127.0.0.1:PORT inside). Publishes P[0..N); the helper's pid goes into PIDFILE.
 * Returns once the namespace is configured: 0, or -1 with err.
 */
enum helper_how { HOW_CONFIG, HOW_PORTS };
static int helper_up(int netns, enum helper_how how, const char *tap, struct rootless_port *p,
		     size_t n, const char *pidfile, struct mr_err *err)
{
	const char *helper = how == HOW_PORTS ? "pasta" : rootless_net_helper();
	enum { NETNS_FD = 3 }; /* where the child puts the namespace for pasta */
	char netns_path[64], *argv[24 + 2 * 64];
	char specs[64][96];
	int a = 0;
	if (!helper) {
		close(netns);
		return mr_fail(err, 0, "no pasta or slirp4netns (Debian: apt-get install passt)");
	}
	if (n > 64) {
		close(netns);
		return mr_fail(err, E2BIG, "-p: at most 64 ports rootless");
	}
	snprintf(netns_path, sizeof(netns_path), "/proc/self/fd/%d", NETNS_FD);
	unlink(pidfile);
	if (strcmp(helper, "pasta") == 0) {
		argv[a++] = "pasta";
		if (how == HOW_CONFIG)
			argv[a++] = "--config-net";
		else { /* a tap of its own name, left down: ports only, by splicing */
			argv[a++] = "-I";
			argv[a++] = (char *)tap;
			argv[a++] = "--no-icmp";
		}
		argv[a++] = "--quiet";
		argv[a++] = "--pid";
		argv[a++] = (char *)pidfile;
		/* no port is forwarded but the ones asked for, either way */
		argv[a++] = "-T";
		argv[a++] = "none";
		argv[a++] = "-U";
		argv[a++] = "none";
		bool tcp = false, udp = false;
		for (size_t i = 0; i < n; i++) {
			bool is_udp = strcmp(p[i].proto, "udp") == 0;
			if (!p[i].host_port &&
			    !(p[i].host_port = free_port(p[i].proto, p[i].host_ip))) {
				close(netns);
				return mr_fail(err, 0, "-p %u: no free host port", p[i].port);
			}
			/* pasta's spec: [ADDRESS/]HOSTPORT:PORT */
			snprintf(specs[i], sizeof(specs[i]), "%s%s%u:%u",
				 p[i].host_ip && *p[i].host_ip && strcmp(p[i].host_ip, "0.0.0.0")
					 ? p[i].host_ip
					 : "",
				 p[i].host_ip && *p[i].host_ip && strcmp(p[i].host_ip, "0.0.0.0")
					 ? "/"
					 : "",
				 p[i].host_port, p[i].port);
			argv[a++] = is_udp ? "-u" : "-t";
			argv[a++] = specs[i];
			tcp |= !is_udp;
			udp |= is_udp;
		}
		if (!tcp) {
			argv[a++] = "-t";
			argv[a++] = "none";
		}
		if (!udp) {
			argv[a++] = "-u";
			argv[a++] = "none";
		}
		/* not the PID form: pasta drops CAP_SYS_PTRACE before it opens the namespace,
		 * and the container's init is not dumpable, so /proc/PID/ns/net is closed to
		 * it; it gets the namespace as an fd of its own instead (NETNS_FD below). We
		 * are in the user namespace that owns it already: --netns-only. */
		argv[a++] = "--netns-only";
		argv[a++] = "--netns";
		argv[a++] = netns_path;
	} else {
		/* the namespace as an fd too (--netns-type=path); --ready-fd: it stays in the
		 * foreground, so only this says when the tap is up */
		argv[a++] = "slirp4netns";
		argv[a++] = "--configure";
		argv[a++] = "--mtu=65520";
		argv[a++] = "--disable-host-loopback";
		argv[a++] = "--ready-fd=4";
		argv[a++] = "--netns-type=path";
		argv[a++] = netns_path;
		argv[a++] = "tap0";
	}
	argv[a] = NULL;
	if (mr_verbose) {
		char line[2048];
		size_t len = 0;
		for (int i = 0; i < a && len < sizeof(line); i++)
			len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s",
						i ? " " : "", argv[i]);
		mr_say("%s", line);
	}

	int ready[2] = {-1, -1};
	if (pipe2(ready, O_CLOEXEC) < 0) {
		close(netns);
		return mr_fail(err, errno, "pipe");
	}
	pid_t child = fork();
	if (child < 0) {
		close(netns);
		close(ready[0]);
		close(ready[1]);
		return mr_fail(err, errno, "fork");
	}
	if (child == 0) {
		/* stdio: /dev/null, not the container's log or the caller's terminal; pasta
		 * forks itself into the background once its namespace side is set up */
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		dup2(null, 0);
		dup2(null, 1);
		if (!mr_verbose)
			dup2(null, 2);
		if (dup2(netns, NETNS_FD) < 0 || dup2(ready[1], 4) < 0) /* copies stay open */
			_exit(126);
		if (strcmp(helper, "slirp4netns") == 0) {
			/* slirp4netns stays in the foreground: be its own daemon, and say its pid
			 */
			setsid();
			if (fork() != 0)
				_exit(0);
			char text[32];
			snprintf(text, sizeof(text), "%d\n", (int)getpid());
			if (mr_replace_file(pidfile, text, 0600, NULL) < 0)
				_exit(1);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	close(netns);
	close(ready[1]);
	int rc = mr_wait_exit(child);
	/* slirp4netns writes "1" to its --ready-fd once configured (EOF: it died); pasta
	 * is configured when its first process exits, and never writes */
	char c = 0;
	if (rc == 0 && strcmp(helper, "slirp4netns") == 0 &&
	    (read(ready[0], &c, 1) != 1 || c != '1'))
		rc = 1;
	close(ready[0]);
	if (rc != 0)
		return mr_fail(err, 0, "%s for %s failed (exit %d)%s", helper,
			       how == HOW_CONFIG ? "the network namespace" : "the ports", rc,
			       mr_verbose ? ": see its message above" : "; -v shows why");
	return 0;
}

int rootless_net_up(pid_t pid, struct rootless_port *p, size_t n, const char *pidfile,
		    struct mr_err *err)
{
	char nspath[64];
	if (rootless_net_check(p, n, err) < 0)
		return -1;
	snprintf(nspath, sizeof(nspath), "/proc/%d/ns/net", (int)pid);
	int netns = open(nspath, O_RDONLY | O_CLOEXEC);
	if (netns < 0)
		return mr_fail(err, errno, "open '%s'", nspath);
	return helper_up(netns, HOW_CONFIG, NULL, p, n, pidfile, err);
}

int rootless_net_attach(int netns, const char *pidfile, struct mr_err *err)
{
	int fd = fcntl(netns, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return mr_fail(err, errno, "dup");
	return helper_up(fd, HOW_CONFIG, NULL, NULL, 0, pidfile, err);
}

int rootless_net_publish(int netns, const char *tap, struct rootless_port *p, size_t n,
			 const char *pidfile, struct mr_err *err)
{
	int fd = fcntl(netns, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return mr_fail(err, errno, "dup");
	return helper_up(fd, HOW_PORTS, tap, p, n, pidfile, err);
}

void rootless_net_down(const char *pidfile)
{
	char *text = NULL, path[64], *comm = NULL;
	size_t len;
	long long pid;
	if (mr_read_file(pidfile, &text, &len, NULL) < 0)
		return;
	text[strcspn(text, "\n")] = '\0';
	if (mr_parse_ll(text, 2, 1 << 22, &pid) == 0) {
		/* the pid is still the helper's (not reused since): its name says so */
		snprintf(path, sizeof(path), "/proc/%lld/comm", pid);
		if (mr_read_file(path, &comm, &len, NULL) == 0 &&
		    (strncmp(comm, "pasta", 5) == 0 || strncmp(comm, "passt", 5) == 0 ||
		     strncmp(comm, "slirp4netns", 11) == 0)) {
			mr_say("stop %.*s %lld", (int)strcspn(comm, "\n"), comm, pid);
			kill((pid_t)pid, SIGTERM);
		}
		free(comm);
	}
	free(text);
	unlink(pidfile);
}

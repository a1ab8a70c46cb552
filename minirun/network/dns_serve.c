/*
 * minirun/network/dns_serve.c - the DNS responder of a user network: how it is started and
 * stopped without a daemon, and its loop (`minirun network dns-serve NET`).
 *
 * Start (dns_start, from network_connect, the networks lock held):
 *	1. bind GATEWAY:53/udp and GATEWAY:53/tcp here, in the caller: when connect returns,
 *	   the kernel already queues the container's first query, even before the responder
 *	   has run a single instruction
 *	2. fork; the child calls setsid() and forks again, so that the responder is nobody's
 *	   child (the monitor that connects waits for its container's process, and must never
 *	   reap, or be kept waiting by, a responder); the middle process writes the PID file
 *	   and exits
 *	3. the responder puts the sockets on fds 3 and 4, /dev/null on 0 and 1, its log on 2,
 *	   closes every other fd (the networks lock among them: a lock held by a process that
 *	   lives on would block every later command), goes to /, and execs /proc/self/exe
 *	   network dns-serve NET-ID
 * Stop (dns_stop, from the last disconnect and from network rm): SIGTERM to the PID in the
 * file if its start time still matches, then wait on its pidfd until it is gone.
 * Once running, it drops every capability (drop_privileges): it reads root's files as
 * root's uid, and answers on sockets it holds already.
 *
 * The loop: poll the two sockets and the forwarded queries in flight (one connected UDP
 * socket each, so a reply can only come from the server asked); each second, check that
 * the network still has containers and that the PID file still names us, else exit. A
 * forwarded query tries each upstream in turn, 2 s each, then answers SERVFAIL.
 * TCP (RFC 7766: resolvers fall back to it after a truncated answer) takes one query per
 * connection, answered at once; a forward over TCP waits for its answer (1 s to read the
 * query, 2 s per upstream): a slow TCP client holds the responder that long.
 *
 *   minirun -v network dns-serve NET    runs one in the foreground, narrating each query
 *                                       (stop the one connect started first)
 *
 * See: dns.h; RFC 1035 4.2 (UDP 512 bytes, TCP with a 2-byte length); setsid(2);
 *      close_range(2); pidfd_open(2); proc(5) /proc/PID/stat field 22 (starttime).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/network/dns.h"
#include "minirun/network/network.h"

#define MAX_PENDING  64
#define UPSTREAM_MS  2000
#define MAX_UPSTREAM 8

/* ---- the PID file ------------------------------------------------------------------------ */

static char *pid_path(const char *root, const char *net_id, const char *ext, char *buf, size_t size)
{
	snprintf(buf, size, "%s/networks/.dns/%.64s%s", root, net_id, ext);
	return buf;
}

/* field 22 of /proc/PID/stat (clock ticks since boot at which PID started), 0 if gone or a
 * zombie (a responder that exited and awaits its reaper is gone for us) */
static unsigned long long start_time(int pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *p = strrchr(buf, ')'); /* the command name may hold spaces and parentheses */
	unsigned long long t = 0;
	char state = 0;
	if (!p ||
	    sscanf(p + 1,
		   " %c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s "
		   "%*s %*s %*s %llu",
		   &state, &t) != 2 ||
	    state == 'Z')
		return 0;
	return t;
}

int dns_pid(const char *root, const char *net_id)
{
	char path[4400];
	_cleanup_free_ char *text = NULL;
	int pid = 0;
	unsigned long long t = 0;
	if (mr_read_file(pid_path(root, net_id, "", path, sizeof(path)), &text, NULL, NULL) < 0 ||
	    sscanf(text, "%d %llu", &pid, &t) != 2 || pid <= 0)
		return 0;
	return start_time(pid) == t ? pid : 0;
}

/* wait up to MS for PID (started at T) to be gone: on its pidfd when the kernel has them
 * (woken the moment it exits), else by looking every 10 ms. true when gone. */
static bool gone_within(int pid, unsigned long long t, int ms)
{
	_cleanup_close_ int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	/* the pidfd is of the PID checked after it was opened: not of a process that took
	 * the number since */
	if (pfd >= 0 && start_time(pid) == t) {
		struct pollfd p = {.fd = pfd, .events = POLLIN};
		return poll(&p, 1, ms) == 1;
	}
	for (int i = 0; i < ms / 10 && start_time(pid) == t; i++) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return start_time(pid) != t;
}

int dns_stop(const char *root, const char *net_id, struct mr_err *err)
{
	char path[4400];
	int pid = dns_pid(root, net_id);
	if (pid > 0) {
		unsigned long long t = start_time(pid);
		mr_say("dns: stop the responder of network %.12s (pid %d)", net_id, pid);
		kill(pid, SIGTERM);
		/* 1 s of SIGTERM ignored: a stuck responder */
		if (!gone_within(pid, t, 1000) && (kill(pid, SIGKILL), !gone_within(pid, t, 1000)))
			return mr_fail(err, 0, "dns responder %d of network %.12s does not exit",
				       pid, net_id);
	}
	unlink(pid_path(root, net_id, ".log", path, sizeof(path)));
	if (unlink(pid_path(root, net_id, "", path, sizeof(path))) < 0 && errno != ENOENT)
		return mr_fail(err, errno, "remove '%s'", path);
	return 0;
}

/* ---- start ------------------------------------------------------------------------------- */

/* a socket of TYPE bound to ADDR:53, or -1 with err */
static int bound(int type, struct in_addr addr, struct mr_err *err)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(53), .sin_addr = addr};
	char a[INET_ADDRSTRLEN];
	int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0), one = 1;
	if (fd < 0)
		return mr_fail(err, errno, "socket");
	if (type == SOCK_STREAM)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 16) < 0)) {
		int e = errno;
		close(fd);
		return mr_fail(err, e, "bind %s:53/%s", inet_ntop(AF_INET, &addr, a, sizeof(a)),
			       type == SOCK_STREAM ? "tcp" : "udp");
	}
	return fd;
}

/* the responder-to-be, in the grandchild: fds in place, then exec (never returns) */
static void become_responder(const char *root, const char *net_id, int udp, int tcp)
{
	char log[4400];
	sigset_t none;
	int null = open("/dev/null", O_RDWR);
	int logfd = open(pid_path(root, net_id, ".log", log, sizeof(log)),
			 O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
	/* Each onto a fresh fd above 4 first, then onto its place. Where the four are is up to
	 * the caller's open fds, so any fixed fd on the way may hold one of them, and a dup2
	 * onto it closes it (moved through 10 and 11, as this once was, a TCP socket on 10
	 * was closed by UDP's move: a responder that refused every TCP query). F_DUPFD takes
	 * the lowest free fd >= 5: it closes nothing. */
	int nul = fcntl(null, F_DUPFD, 5), lg = fcntl(logfd, F_DUPFD, 5); /* -1 for a -1 */
	int from[5] = {nul, nul, lg, fcntl(udp, F_DUPFD, 5), fcntl(tcp, F_DUPFD, 5)};
	for (int fd = 0; fd < 5; fd++)
		if (from[fd] < 0 || dup2(from[fd], fd) < 0)
			_exit(127);
	close_range(5, ~0u, 0);
	/* nor a directory of ours: a cwd pins its mount (a test's tmpfs, a store being removed) */
	if (chdir("/") < 0)
		_exit(127);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	char *argv[8];
	int a = 0;
	argv[a++] = "minirun";
	if (mr_verbose)
		argv[a++] = "-v"; /* the narration of each query goes to the log */
	argv[a++] = "--root";
	argv[a++] = (char *)root;
	argv[a++] = "network";
	argv[a++] = "dns-serve";
	argv[a++] = (char *)net_id;
	argv[a] = NULL;
	execv("/proc/self/exe", argv);
	_exit(127);
}

int dns_start(const char *root, json_t *rec, struct mr_err *err)
{
	const char *net_id = json_string_value(json_object_get(rec, "Id"));
	struct network_subnet sn;
	struct in_addr gw;
	char path[4400], dir[4400];
	if (!net_id || network_subnet_of(rec, &sn, &gw) < 0)
		return mr_fail(err, 0, "network record without Id or IPAM config");
	if (dns_pid(root, net_id) > 0)
		return 0;
	snprintf(dir, sizeof(dir), "%s/networks/.dns", root);
	if (mr_mkdir_p(dir, 0700, err) < 0)
		return -1;
	_cleanup_close_ int udp = bound(SOCK_DGRAM, gw, err);
	if (udp < 0)
		return -1;
	_cleanup_close_ int tcp = bound(SOCK_STREAM, gw, err);
	if (tcp < 0)
		return -1;
	pid_t mid = fork();
	if (mid < 0)
		return mr_fail(err, errno, "fork");
	if (mid == 0) {
		setsid();
		pid_t pid = fork();
		if (pid < 0)
			_exit(1);
		if (pid == 0)
			become_responder(root, net_id, udp, tcp);
		char text[64];
		snprintf(text, sizeof(text), "%d %llu\n", (int)pid, start_time(pid));
		_exit(mr_replace_file(pid_path(root, net_id, "", path, sizeof(path)), text, 0600,
				      NULL) < 0);
	}
	int status = 0;
	while (waitpid(mid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return mr_fail(err, 0, "dns responder of network %.12s: could not start", net_id);
	mr_say("dns: responder of network %.12s on %s:53 (pid %d)", net_id, inet_ntoa(gw),
	       dns_pid(root, net_id));
	return 0;
}

/* ---- the loop ---------------------------------------------------------------------------- */

struct serve {
	const char *root;
	const char *net_id;
	int udp, tcp;
	json_t *all;           /* the records as last read (network_list), or NULL */
	struct timespec mtime; /* ROOT/networks' mtime then */
	bool settled;          /* ALL was read 100 ms or more after that mtime */
	struct pending {
		int fd; /* connected to upstream[k]; -1 = a free slot */
		struct sockaddr_in client;
		uint8_t query[512];
		size_t len;
		struct dns_upstream up[MAX_UPSTREAM];
		size_t nup, k;
		long long deadline;
	} p[MAX_PENDING];
};

/*
 * records - every network record, fresh: read again only when ROOT/networks changed since
 * the last read (each record is written by a rename into it, which changes its mtime), so a
 * query costs a stat, not a parse of every record. The kernel stamps mtimes from a coarse
 * clock (a tick, 1-10 ms): two renames within one tick leave the same mtime, so a read made
 * less than 100 ms after the last change is used once and never kept (git's "racy" index
 * entries, the same trap). Borrowed (S owns it); NULL when the records can't be read.
 */
static json_t *records(struct serve *s)
{
	char dir[4200];
	struct stat st;
	struct timespec now;
	snprintf(dir, sizeof(dir), "%s/networks", s->root);
	clock_gettime(CLOCK_REALTIME, &now);
	if (stat(dir, &st) < 0) {
		json_decref(s->all);
		return s->all = NULL;
	}
	long long age_ms = (now.tv_sec - st.st_mtim.tv_sec) * 1000LL +
			   (now.tv_nsec - st.st_mtim.tv_nsec) / 1000000;
	if (s->all && s->settled && st.st_mtim.tv_sec == s->mtime.tv_sec &&
	    st.st_mtim.tv_nsec == s->mtime.tv_nsec)
		return s->all;
	json_decref(s->all);
	s->mtime = st.st_mtim;
	s->settled = age_ms >= 100; /* read well after the last change: safe to keep */
	return s->all = network_list(s->root, NULL);
}

static volatile sig_atomic_t stopping;
static void on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* the servers a query of container ASKER goes to: its --dns ones (ROOT/containers/ID/
 * dns.upstream, written at its start), else the host's; never this responder itself */
static size_t upstreams(const char *root, const char *asker, struct dns_upstream *up)
{
	char path[4400];
	_cleanup_free_ char *text = NULL;
	snprintf(path, sizeof(path), "%s/containers/%s/dns.upstream", root, asker ? asker : "-");
	if (!asker || mr_read_file(path, &text, NULL, NULL) < 0 || !strstr(text, "nameserver")) {
		free(text);
		text = NULL;
		if (mr_read_file("/etc/resolv.conf", &text, NULL, NULL) < 0)
			return 0;
	}
	return dns_resolv_servers(text, up, MAX_UPSTREAM);
}

static void send_bare(struct serve *s, const struct sockaddr_in *to, uint16_t id, int rcode)
{
	uint8_t b[12];
	dns_bare_answer(id, rcode, b);
	sendto(s->udp, b, sizeof(b), 0, (const struct sockaddr *)to, sizeof(*to));
}

/* send P's query to its current upstream; -1 when none is left */
static int forward_next(struct pending *p)
{
	for (; p->k < p->nup; p->k++) {
		if (p->fd >= 0)
			close(p->fd);
		p->fd = socket(p->up[p->k].addr.ss_family,
			       SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (p->fd >= 0 &&
		    connect(p->fd, (struct sockaddr *)&p->up[p->k].addr, p->up[p->k].len) == 0 &&
		    send(p->fd, p->query, p->len, 0) == (ssize_t)p->len) {
			p->deadline = now_ms() + UPSTREAM_MS;
			return 0;
		}
	}
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	return -1;
}

/*
 * answer - what to say to QUERY[0..len) from FROM: dns_respond's verdict (dns_names.c)
 * with the records as they are now; a query to forward gets the asker's upstream servers
 * (in UP, *nup of them), SERVFAIL when it has none.
 */
static int answer(struct serve *s, const uint8_t *query, size_t len, struct in_addr from,
		  uint8_t **out, size_t *outlen, struct dns_upstream *up, size_t *nup)
{
	const char *asker = NULL;
	int r = dns_respond(records(s), s->net_id, from, query, len, out, outlen, &asker);
	if (r == DNS_FORWARD && (*nup = upstreams(s->root, asker, up)) == 0) {
		mr_say("dns: no upstream server to forward to: SERVFAIL");
		return dns_reply_rcode(query, len, DNS_SERVFAIL, out, outlen);
	}
	return r;
}

static void serve_udp(struct serve *s)
{
	uint8_t buf[4096], *out = NULL;
	struct sockaddr_in from = {0}; /* unfilled by a peer without an address */
	socklen_t flen = sizeof(from);
	struct dns_upstream up[MAX_UPSTREAM];
	size_t outlen = 0, nup = 0;
	ssize_t len =
		recvfrom(s->udp, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &flen);
	if (len <= 0 || from.sin_family != AF_INET)
		return;
	int r = answer(s, buf, (size_t)len, from.sin_addr, &out, &outlen, up, &nup);
	if (r == 0)
		sendto(s->udp, out, outlen, 0, (struct sockaddr *)&from, sizeof(from));
	free(out);
	if (r != 1)
		return;
	struct pending *p = NULL;
	for (int i = 0; i < MAX_PENDING && !p; i++)
		if (s->p[i].fd < 0)
			p = &s->p[i];
	uint16_t id = (uint16_t)(buf[0] << 8 | buf[1]);
	if (!p || (size_t)len > sizeof(p->query)) {
		send_bare(s, &from, id, DNS_SERVFAIL); /* too many in flight, or oversized */
		return;
	}
	p->client = from;
	memcpy(p->query, buf, (size_t)len);
	p->len = (size_t)len;
	memcpy(p->up, up, sizeof(up));
	p->nup = nup;
	p->k = 0;
	if (forward_next(p) < 0)
		send_bare(s, &from, id, DNS_SERVFAIL);
}

/* a reply (or a timeout: TIMED_OUT) on forwarded query P */
static void serve_pending(struct serve *s, struct pending *p, bool timed_out)
{
	uint8_t buf[4096];
	ssize_t n = 0;
	if (!timed_out) {
		n = recv(p->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && errno != EAGAIN)
			timed_out = true; /* refused (ICMP port unreachable): the next one now */
		else if (n < 12 || memcmp(buf, p->query, 2) != 0)
			return; /* not the answer: keep waiting until the deadline */
	}
	if (!timed_out) {
		sendto(s->udp, buf, (size_t)n, 0, (struct sockaddr *)&p->client, sizeof(p->client));
		close(p->fd);
		p->fd = -1;
		return;
	}
	p->k++;
	if (forward_next(p) < 0)
		send_bare(s, &p->client, (uint16_t)(p->query[0] << 8 | p->query[1]), DNS_SERVFAIL);
}

/* read exactly N bytes from FD (with its receive timeout), or -1 */
static int read_full(int fd, uint8_t *buf, size_t n)
{
	for (size_t got = 0; got < n;) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

/* one forward, waited for: the answer into OUT (new), or -1 */
static int forward_wait(const uint8_t *query, size_t len, struct dns_upstream *up, size_t nup,
			uint8_t **out, size_t *outlen)
{
	struct pending p = {.fd = -1, .len = len, .nup = nup};
	if (len > sizeof(p.query))
		return -1;
	memcpy(p.query, query, len);
	memcpy(p.up, up, nup * sizeof(*up));
	uint8_t buf[4096];
	while (forward_next(&p) == 0) {
		struct pollfd pfd = {.fd = p.fd, .events = POLLIN};
		ssize_t n = poll(&pfd, 1, UPSTREAM_MS) == 1 ? recv(p.fd, buf, sizeof(buf), 0) : -1;
		if (n >= 12 && !memcmp(buf, query, 2) && (*out = malloc((size_t)n))) {
			memcpy(*out, buf, (size_t)n);
			*outlen = (size_t)n;
			close(p.fd);
			return 0;
		}
		p.k++;
	}
	return -1;
}

static void serve_tcp(struct serve *s)
{
	struct sockaddr_in from = {0}; /* unfilled by a peer without an address */
	socklen_t flen = sizeof(from);
	_cleanup_close_ int c = accept4(s->tcp, (struct sockaddr *)&from, &flen, SOCK_CLOEXEC);
	if (c < 0 || from.sin_family != AF_INET)
		return;
	struct timeval tv = {1, 0};
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	uint8_t hdr[2], buf[4096], *out = NULL;
	struct dns_upstream up[MAX_UPSTREAM];
	size_t outlen = 0, nup = 0;
	if (read_full(c, hdr, 2) < 0)
		return;
	size_t len = (size_t)(hdr[0] << 8 | hdr[1]);
	if (len > sizeof(buf) || read_full(c, buf, len) < 0)
		return;
	int r = answer(s, buf, len, from.sin_addr, &out, &outlen, up, &nup);
	if (r == 1 && forward_wait(buf, len, up, nup, &out, &outlen) < 0) {
		uint16_t id = (uint16_t)(buf[0] << 8 | buf[1]);
		if ((out = malloc(12)))
			dns_bare_answer(id, DNS_SERVFAIL, out), outlen = 12;
	}
	if (out) {
		uint8_t l[2] = {(uint8_t)(outlen >> 8), (uint8_t)outlen};
		if (write(c, l, 2) == 2 && write(c, out, outlen) < 0)
			mr_say("dns: tcp answer to %s: %s", inet_ntoa(from.sin_addr),
			       strerror(errno));
	}
	free(out);
}

/* does the network still want us: its record exists with containers, and our PID file
 * names us (a stop, or another responder started after ours was taken for dead) */
static bool still_wanted(struct serve *s)
{
	json_t *all = records(s), *rec;
	size_t i;
	bool want = false;
	json_array_foreach(all, i, rec)
	{
		const char *rid = json_string_value(json_object_get(rec, "Id"));
		if (rid && !strcmp(rid, s->net_id))
			want = json_object_size(json_object_get(rec, "Containers")) > 0;
	}
	return want && dns_pid(s->root, s->net_id) == getpid();
}

/* the responder's own sockets when run by hand (fds 3 and 4 are no sockets) */
static int own_sockets(struct serve *s, struct mr_err *err)
{
	struct stat st3, st4;
	if (fstat(3, &st3) == 0 && S_ISSOCK(st3.st_mode) && fstat(4, &st4) == 0 &&
	    S_ISSOCK(st4.st_mode)) {
		s->udp = 3;
		s->tcp = 4;
		return 0;
	}
	_cleanup_close_ int lock = network_lock(s->root, err);
	if (lock < 0)
		return -1;
	json_t *rec = network_load(s->root, s->net_id, err);
	if (!rec)
		return -1;
	struct network_subnet sn;
	struct in_addr gw;
	int r = network_subnet_of(rec, &sn, &gw);
	json_decref(rec);
	if (r < 0 || (s->udp = bound(SOCK_DGRAM, gw, err)) < 0 ||
	    (s->tcp = bound(SOCK_STREAM, gw, err)) < 0)
		return -1;
	char text[64], path[4400], dir[4400];
	snprintf(dir, sizeof(dir), "%s/networks/.dns", s->root);
	snprintf(text, sizeof(text), "%d %llu\n", (int)getpid(), start_time(getpid()));
	return mr_mkdir_p(dir, 0700, err) < 0 ||
			       mr_replace_file(pid_path(s->root, s->net_id, "", path, sizeof(path)),
					       text, 0600, err) < 0
		       ? -1
		       : 0;
}

/* Once the sockets are bound, the responder needs no privilege: what it reads (the records,
 * /etc/resolv.conf) belongs to root, its uid, and it only sends from sockets of its own. So
 * it drops every capability and can't gain one back (no_new_privs): a flaw in the handling
 * of a container's query can't reach beyond what root's uid alone can do. */
static int drop_privileges(struct mr_err *err)
{
	cap_t none = cap_init();
	int r = none && cap_set_proc(none) == 0 ? 0 : -1;
	int e = errno;
	cap_free(none);
	if (r < 0)
		return mr_fail(err, e, "dns-serve: drop capabilities");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return mr_fail(err, errno, "dns-serve: PR_SET_NO_NEW_PRIVS");
	mr_say("dns: capabilities dropped, no_new_privs set");
	return 0;
}

int network_cmd_dns_serve(int argc, char **argv)
{
	bool help = argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"));
	if (argc >= 2 && argv[1][0] == '-' && !help) { /* a flag: docker's two lines */
		fprintf(stderr,
			"minirun: unknown flag: %s\nSee 'minirun network dns-serve --help'.\n",
			argv[1]);
		return MR_EXIT_RUNTIME;
	}
	if (argc != 2 || help) {
		fprintf(help ? stdout : stderr,
			"Usage:  minirun network dns-serve NETWORK\n\n"
			"Answer names of the network's containers by DNS on its gateway address, "
			"port 53\n(network connect starts this; by hand: stop that one first)\n");
		return help ? 0 : MR_EXIT_RUNTIME;
	}
	struct mr_err err = {0};
	static struct serve s;
	s.root = network_root();
	/* the ID, whatever the user named the network by */
	{
		_cleanup_close_ int lock = network_lock(s.root, &err);
		json_t *rec = lock < 0 ? NULL : network_load(s.root, argv[1], &err);
		if (!rec)
			return mr_err_report(&err, MR_EXIT_RUNTIME);
		s.net_id = strdup(json_string_value(json_object_get(rec, "Id")));
		json_decref(rec);
	}
	if (!s.net_id || own_sockets(&s, &err) < 0 || drop_privileges(&err) < 0)
		return mr_err_report(&err, MR_EXIT_RUNTIME);
	for (int i = 0; i < MAX_PENDING; i++)
		s.p[i].fd = -1;
	struct sigaction sa = {.sa_handler = on_term};
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	long long next_check = now_ms() + 1000;
	while (!stopping) {
		struct pollfd pfd[2 + MAX_PENDING];
		int map[2 + MAX_PENDING], n = 2;
		pfd[0] = (struct pollfd){.fd = s.udp, .events = POLLIN};
		pfd[1] = (struct pollfd){.fd = s.tcp, .events = POLLIN};
		for (int i = 0; i < MAX_PENDING; i++)
			if (s.p[i].fd >= 0) {
				map[n] = i;
				pfd[n++] = (struct pollfd){.fd = s.p[i].fd, .events = POLLIN};
			}
		if (poll(pfd, (nfds_t)n, 200) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents & POLLIN)
			serve_udp(&s);
		if (pfd[1].revents & POLLIN)
			serve_tcp(&s);
		for (int j = 2; j < n; j++)
			if (pfd[j].revents & (POLLIN | POLLERR))
				serve_pending(&s, &s.p[map[j]], false);
		long long now = now_ms();
		for (int i = 0; i < MAX_PENDING; i++)
			if (s.p[i].fd >= 0 && now >= s.p[i].deadline)
				serve_pending(&s, &s.p[i], true);
		if (now >= next_check) {
			next_check = now + 1000;
			if (!still_wanted(&s))
				break;
		}
	}
	mr_say("dns: responder of %.12s exits", s.net_id);
	return 0;
}

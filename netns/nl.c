/*
 * netns/nl.c - rtnetlink sockets and requests, the kernel's error text, and parsing the
 * names and addresses users type. The other netns/ files build messages; this one sends
 * them.
 *
 * A request travels like this (netlink(7)):
 *
 *	us -> kernel:  nlmsghdr{type=RTM_NEWLINK, flags=REQUEST|ACK|CREATE|EXCL, seq=7}
 *	               ifinfomsg{...} + attributes (IFLA_IFNAME "veth0", IFLA_LINKINFO {...})
 *	kernel -> us:  nlmsghdr{type=NLMSG_ERROR, seq=7} nlmsgerr{error=0 or -errno, ...}
 *	               + (with NETLINK_EXT_ACK) attributes: NLMSGERR_ATTR_MSG "the reason"
 *
 * The kernel's reason ("Link already exists", "Invalid prefix for given prefix length")
 * is often more helpful than strerror, so every error carries it.
 *
 * See: netlink(7), rtnetlink(7), Documentation/userspace-api/netlink/intro.rst.
 */
#include "netns/nl_int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/netlink.h>
#include <linux/nsfs.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "ns/ns.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

struct nl *nl_open(struct mr_err *err)
{
	struct nl *nl = calloc(1, sizeof(*nl));
	if (!nl)
		return mr_fail(err, errno, "netlink socket"), NULL;
	nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl->sock) {
		mr_fail(err, errno, "socket(AF_NETLINK, NETLINK_ROUTE)");
		free(nl);
		return NULL;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		mr_fail(err, errno, "bind netlink socket");
		nl_close(nl);
		return NULL;
	}
	/* Ask for the kernel's reason with every error (since Linux 4.12; harmless before). */
	int one = 1;
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned)time(NULL);
	return nl;
}

struct open_in {
	int netns_fd;
	struct nl *nl;
	struct mr_err err;
};

static void *open_in_thread(void *arg)
{
	struct open_in *o = arg;
	if (setns(o->netns_fd, CLONE_NEWNET) < 0)
		mr_fail(&o->err, errno, "setns into the network namespace");
	else
		o->nl = nl_open(&o->err);
	return NULL; /* the thread ends in the other namespace: nobody needs to come back */
}

/*
 * can_return - true when this thread may setns() back into its own network namespace:
 * that needs CAP_SYS_ADMIN in the user namespace owning it, so it is ours (not a user
 * namespace's caller looking at the host's) and CAP_SYS_ADMIN is in our effective set.
 * *self is then an fd of our namespace, to go back with.
 */
static bool can_return(int *self)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[2] = {{0}};
	struct stat mine, owner_st;
	if (syscall(SYS_capget, &h, d) < 0 || !(d[0].effective & (1U << CAP_SYS_ADMIN)))
		return false;
	*self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*self < 0)
		return false;
	int owner = ioctl(*self, NS_GET_USERNS);
	bool ok = owner >= 0 && fstat(owner, &owner_st) == 0 &&
		  stat("/proc/thread-self/ns/user", &mine) == 0 && mine.st_ino == owner_st.st_ino &&
		  mine.st_dev == owner_st.st_dev;
	if (owner >= 0)
		close(owner);
	if (!ok) {
		close(*self);
		*self = -1;
	}
	return ok;
}

struct nl *nl_open_netns(int netns_fd, struct mr_err *err)
{
	/* Why this works: a socket belongs to the namespace it was created in, for life.
	 * setns(CLONE_NEWNET) moves only the calling thread. Root of the host's user
	 * namespace steps in, makes the socket and steps back (no thread: a run's cost). */
	int self = -1;
	if (can_return(&self)) {
		mr_say("setns(netns fd %d, CLONE_NEWNET), open a netlink socket, setns back",
		       netns_fd);
		struct nl *nl = NULL;
		if (setns(netns_fd, CLONE_NEWNET) < 0)
			mr_fail(err, errno, "setns into the network namespace");
		else {
			nl = nl_open(err);
			if (setns(self, CLONE_NEWNET) < 0) {
				/* can_return said we could: going on in the wrong one is worse */
				perror("minirun: setns back into our own network namespace");
				abort();
			}
		}
		close(self);
		return nl;
	}
	/* Why a thread then: a thread of our own steps in, makes the socket and ends there,
	 * and we never have to step back: a rootless caller (in a user namespace of its own)
	 * may enter the namespaces its user namespace owns, but not return to the host's. */
	mr_say("setns(netns fd %d, CLONE_NEWNET) in a thread, to open a netlink socket there",
	       netns_fd);
	struct open_in o = {.netns_fd = netns_fd};
	pthread_t t;
	int e = pthread_create(&t, NULL, open_in_thread, &o);
	if (e)
		return mr_fail(err, e, "pthread_create"), NULL;
	pthread_join(t, NULL);
	if (!o.nl && err)
		*err = o.err;
	return o.nl;
}

void nl_close(struct nl *nl)
{
	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl);
}

int nl_netns_open(const char *spec, struct mr_err *err)
{
	long long pid;
	char path[4096];
	int fd;

	if (!spec || !*spec)
		return mr_fail(err, 0, "empty network namespace: give a PID, a path or a name");
	if (mr_parse_ll(spec, 1, 4194304, &pid) == 0) {
		fd = ns_open((pid_t)pid, ns_by_name("net"), err);
		if (fd < 0)
			return -1;
		return fd;
	}
	if (strchr(spec, '/'))
		snprintf(path, sizeof(path), "%s", spec);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", spec);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mr_fail(err, errno, "network namespace '%s' (%s)", spec, path);
	struct mr_err e2 = {0};
	if (ns_fd_type(fd, &e2) != CLONE_NEWNET) {
		close(fd);
		return mr_fail(err, 0, "'%s' is not a network namespace file", path);
	}
	return fd;
}

struct nlmsghdr *nl_msg(struct nl *nl, void *buf, int type, int flags)
{
	memset(buf, 0, NL_BUFSIZE);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	return nlh;
}

bool nl_reply_ok(const void *buf, size_t len)
{
	const char *p = buf;
	while (len >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)p;
		/* libmnl walks a message's attributes up to its length rounded up to 4: the
		 * kernel pads every message so, and that padding must be in the buffer too */
		size_t step = ((size_t)h->nlmsg_len + 3) & ~(size_t)3; /* no 32-bit wrap */
		if (h->nlmsg_len < sizeof(*h) || step > len)
			return false;
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return true;
}

/* Pick NLMSGERR_ATTR_MSG out of an error's trailing attributes. */
static int ext_attr_cb(const struct nlattr *attr, void *data)
{
	const char **msg = data;
	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		*msg = mnl_attr_get_str(attr);
	return MNL_CB_OK;
}

/* The answer to one request: 0 or -errno, and the kernel's text. */
static int parse_ack(const struct nlmsghdr *nlh, char *ext, size_t extsize)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e))
		return -EBADMSG;
	if (e->error && (nlh->nlmsg_flags & NLM_F_ACK_TLVS) && ext) {
		/* The TLVs follow the echoed request: all of it, or only its header when the
		 * kernel capped it (NLM_F_CAPPED). */
		size_t off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		const char *msg = NULL;
		if (off < mnl_nlmsg_get_payload_len(nlh))
			mnl_attr_parse(nlh, off, ext_attr_cb, &msg);
		if (msg)
			snprintf(ext, extsize, "%s", msg);
	}
	/* the kernel sends 0 or a negative errno; anything else is not an answer we know */
	return e->error > 0 ? -EBADMSG : e->error;
}

int nl_request(struct nl *nl, struct nlmsghdr *nlh, char *ext, size_t extsize)
{
	char buf[NL_BUFSIZE];
	if (ext && extsize)
		ext[0] = '\0';
	nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -1;
	for (;;) {
		ssize_t len = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (len < 0)
			return -1;
		if (!nl_reply_ok(buf, (size_t)len)) {
			errno = EBADMSG;
			return -1;
		}
		int left = (int)len;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; mnl_nlmsg_ok(h, left);
		     h = mnl_nlmsg_next(h, &left)) {
			if (h->nlmsg_seq != nlh->nlmsg_seq || h->nlmsg_type != NLMSG_ERROR)
				continue; /* a stray answer to something else */
			int rc = parse_ack(h, ext, extsize);
			if (rc == 0)
				return 0;
			errno = -rc;
			return -1;
		}
	}
}

int nl_do(struct nl *nl, struct nlmsghdr *nlh, struct mr_err *err, const char *fmt, ...)
{
	char ext[256], what[512];
	if (nl_request(nl, nlh, ext, sizeof(ext)) == 0)
		return 0;
	int e = errno;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	mr_fail(err, e, "%s", what);
	if (err && ext[0]) {
		size_t n = strlen(err->msg);
		snprintf(err->msg + n, sizeof(err->msg) - n, " (kernel: %s)", ext);
	}
	errno = e;
	return -1;
}

int nl_dump(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data, const char *what,
	    struct mr_err *err)
{
	char buf[NL_BUFSIZE];
	nlh->nlmsg_flags |= NLM_F_DUMP;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return mr_fail(err, errno, "dump %s", what);
	for (;;) {
		ssize_t len = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (len < 0)
			return mr_fail(err, errno, "dump %s", what);
		if (!nl_reply_ok(buf, (size_t)len))
			return mr_fail(err, EBADMSG, "dump %s", what);
		int rc = mnl_cb_run(buf, (size_t)len, nlh->nlmsg_seq, nl->portid, cb, data);
		if (rc == MNL_CB_STOP)
			return 0;
		if (rc < 0)
			return mr_fail(err, errno, "dump %s", what);
	}
}

void *nl_grow(void **arr, size_t *n, size_t size)
{
	char *p = realloc(*arr, (*n + 1) * size);
	if (!p)
		return NULL;
	*arr = p;
	memset(p + *n * size, 0, size);
	return p + (*n)++ * size;
}

int nl_need_index(struct nl *nl, const char *name, struct mr_err *err)
{
	int idx = nl_link_index(nl, name);
	if (idx <= 0) {
		/* ENODEV, as the kernel says of an index that is gone: the callers' missing_ok
		 * checks take both the same way (a link can go between their two lookups) */
		mr_fail(err, 0, "no such interface '%s'", name);
		errno = ENODEV;
		return -1;
	}
	return idx;
}

/* ---- parsing -------------------------------------------------------------------------------- */

int nl_check_ifname(const char *name, struct mr_err *err)
{
	if (!name || !*name)
		return mr_fail(err, 0, "empty interface name");
	size_t len = strlen(name);
	if (len >= IFNAMSIZ)
		return mr_fail(err, 0,
			       "interface name '%s' is %zu bytes; the kernel allows at most %d",
			       name, len, IFNAMSIZ - 1);
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return mr_fail(err, 0, "interface name '%s' is not allowed", name);
	for (const char *c = name; *c; c++)
		if (*c == '/' || *c == ':' || isspace((unsigned char)*c))
			return mr_fail(err, 0,
				       "interface name '%s' contains '%c'; use letters, digits, "
				       "'-', '_' or '.'",
				       name, *c == '\t' || *c == '\n' ? ' ' : *c);
	return 0;
}

int nl_parse_ipv4(const char *s, struct in_addr *out, struct mr_err *err)
{
	/* inet_pton accepts only the four-dotted-decimal form: no "10.1", no octal. */
	if (!s || inet_pton(AF_INET, s, out) != 1)
		return mr_fail(err, 0, "'%s' is not an IPv4 address (like 10.88.0.1)", s ? s : "");
	return 0;
}

int nl_parse_cidr(const char *s, struct nl_cidr *out, struct mr_err *err)
{
	char ip[INET_ADDRSTRLEN];
	const char *slash = s ? strchr(s, '/') : NULL;
	long long prefix;

	if (!slash || (size_t)(slash - s) >= sizeof(ip) ||
	    mr_parse_ll(slash + 1, 0, 32, &prefix) < 0)
		return mr_fail(err, 0, "'%s' is not an IPv4 CIDR (like 10.88.0.2/24)", s ? s : "");
	memcpy(ip, s, slash - s);
	ip[slash - s] = '\0';
	if (inet_pton(AF_INET, ip, &out->addr) != 1)
		return mr_fail(err, 0, "'%s' is not an IPv4 CIDR (like 10.88.0.2/24)", s);
	out->prefix = (int)prefix;
	return 0;
}

char *nl_cidr_network(const struct nl_cidr *c, char *buf, size_t size)
{
	uint32_t mask = c->prefix ? htonl(~0u << (32 - c->prefix)) : 0;
	struct in_addr net = {.s_addr = c->addr.s_addr & mask};
	char ip[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &net, ip, sizeof(ip));
	snprintf(buf, size, "%s/%d", ip, c->prefix);
	return buf;
}

int nl_parse_mac(const char *s, unsigned char mac[6], struct mr_err *err)
{
	unsigned v[6];
	char end;
	if (!s || strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		   &end) != 6)
		return mr_fail(err, 0, "'%s' is not a MAC address (like 02:42:0a:58:00:02)",
			       s ? s : "");
	for (int i = 0; i < 6; i++)
		mac[i] = (unsigned char)v[i];
	return 0;
}

/*
 * netns/ping.c - one ICMP echo request and its reply, sent from inside a network namespace:
 * the proof that two namespaces can talk, without shelling out to ping(8).
 *
 * A raw ICMP socket, like a netlink socket, belongs to the namespace it was created in:
 * we setns() there, create it, and setns() back, then send and wait from here.
 *
 * See: icmp(7), raw(7), RFC 792 (echo request, type 8; echo reply, type 0).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "netns/netlink.h"

/* The Internet checksum: one's complement of the one's complement sum of 16-bit words. */
static uint16_t csum(const void *data, size_t len)
{
	const uint16_t *w = data;
	uint32_t sum = 0;
	for (; len > 1; len -= 2)
		sum += *w++;
	if (len)
		sum += *(const uint8_t *)w;
	sum = (sum >> 16) + (sum & 0xffff);
	sum += sum >> 16;
	return (uint16_t)~sum;
}

/* A raw ICMP socket in NETNS_FD's namespace (-1: ours). */
static int icmp_socket(int netns_fd, struct mr_err *err)
{
	_cleanup_close_ int home = -1;
	if (netns_fd >= 0) {
		home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (home < 0)
			return mr_fail(err, errno, "open /proc/thread-self/ns/net");
		if (setns(netns_fd, CLONE_NEWNET) < 0)
			return mr_fail(err, errno, "setns into the network namespace");
	}
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	int e = errno;
	if (home >= 0 && setns(home, CLONE_NEWNET) < 0) {
		e = errno;
		if (fd >= 0)
			close(fd);
		return mr_fail(err, e, "setns back to our own network namespace");
	}
	if (fd < 0)
		return mr_fail(err, e, "socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)");
	return fd;
}

static long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

long netns_ping(int netns_fd, const char *addr, int timeout_ms, struct mr_err *err)
{
	struct sockaddr_in to = {.sin_family = AF_INET};
	if (nl_parse_ipv4(addr, &to.sin_addr, err) < 0)
		return -1;
	_cleanup_close_ int fd = icmp_socket(netns_fd, err);
	if (fd < 0)
		return -1;

	struct {
		struct icmphdr h;
		char payload[32];
	} req = {0};
	uint16_t id = (uint16_t)getpid();
	req.h.type = ICMP_ECHO;
	req.h.un.echo.id = htons(id);
	req.h.un.echo.sequence = htons(1);
	memcpy(req.payload, "minirun netns ping", 18);
	req.h.checksum = csum(&req, sizeof(req));

	mr_say("ICMP echo request to %s", addr);
	long start = now_us();
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return mr_fail(err, errno, "send ICMP echo to %s", addr);
	for (;;) {
		long left_ms = timeout_ms - (now_us() - start) / 1000;
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (left_ms <= 0 || poll(&p, 1, (int)left_ms) == 0)
			return mr_fail(err, 0, "no reply from %s within %d ms", addr, timeout_ms);
		char buf[1500];
		struct sockaddr_in from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return mr_fail(err, errno, "receive ICMP from %s", addr);
		}
		/* A raw socket hands us the IP header too, and every ICMP packet that arrives:
		 * keep only the echo reply to our id, from the address we pinged. */
		const struct iphdr *ip = (const struct iphdr *)buf;
		size_t hl = (size_t)ip->ihl * 4;
		if ((size_t)n < hl + sizeof(struct icmphdr))
			continue;
		const struct icmphdr *rep = (const struct icmphdr *)(buf + hl);
		if (rep->type == ICMP_ECHOREPLY && ntohs(rep->un.echo.id) == id &&
		    from.sin_addr.s_addr == to.sin_addr.s_addr)
			return now_us() - start;
	}
}

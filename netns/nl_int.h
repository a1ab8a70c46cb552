/*
 * netns/nl_int.h - what the rtnetlink files (nl.c link.c addr.c vxlan.c) share inside the
 * library. Not for users of the library: they include netns/netlink.h.
 *
 * One request is: a buffer, a header made by nl_msg() (type, flags, our sequence number),
 * the family header (struct ifinfomsg, ifaddrmsg, rtmsg ...) and attributes put with
 * mnl_attr_put*(), then nl_request() which sends it and waits for the kernel's answer.
 */
#ifndef MR_NETNS_NL_INT_H
#define MR_NETNS_NL_INT_H

#include <libmnl/libmnl.h>
#include <stdbool.h>

#include "netns/netlink.h"

struct nl {
	struct mnl_socket *sock;
	unsigned portid; /* our address on the netlink bus (the kernel picks it) */
	unsigned seq;    /* the sequence number of the last request */
};

/* A buffer big enough for any request or any one datagram of a dump. */
#define NL_BUFSIZE 32768

/* Start a message of TYPE with FLAGS (NLM_F_REQUEST is added) in BUF. */
struct nlmsghdr *nl_msg(struct nl *nl, void *buf, int type, int flags);

/* Send NLH (built with NLM_F_ACK by nl_msg) and wait for the kernel's ACK.
 * Returns 0, or -1 with errno set to the kernel's error and EXT (EXTSIZE bytes) holding
 * the extended-ack message ("" when the kernel gave none). */
int nl_request(struct nl *nl, struct nlmsghdr *nlh, char *ext, size_t extsize);

/* nl_request, and on failure fill err: "WHAT: strerror (kernel: EXT)". */
int nl_do(struct nl *nl, struct nlmsghdr *nlh, struct mr_err *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Send a dump request NLH (NLM_F_DUMP) and call CB(nlh, data) for every answer.
 * -1 with err ("dump WHAT: ...") on failure. */
int nl_dump(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data, const char *what,
	    struct mr_err *err);

/* nl_reply_ok - does BUF[0..LEN) hold whole netlink messages only? Checked before libmnl
 * walks a reply: mnl_nlmsg_ok() compares a message's length as an int, so a header that
 * claims 2 GiB or more passes it, and mnl_cb_run() then reads far past the buffer. */
bool nl_reply_ok(const void *buf, size_t len);

/* Grow *arr (of *n elements of SIZE bytes) by one zeroed element; NULL on ENOMEM. */
void *nl_grow(void **arr, size_t *n, size_t size);

/* The ifindex of NAME, or -1 with errno ENODEV and err "no such interface 'NAME'". */
int nl_need_index(struct nl *nl, const char *name, struct mr_err *err);

#endif

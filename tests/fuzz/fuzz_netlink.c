/*
 * tests/fuzz/fuzz_netlink.c - fuzz netns/'s parsing of the kernel's netlink replies.
 *
 * The library reads rtnetlink answers with libmnl callbacks: link dumps (RTM_NEWLINK ->
 * struct nl_link), address, route and bridge-fdb dumps, the nsid answer, the index of one
 * link, and the error/ack messages with the kernel's extended text (NLMSGERR_ATTR_MSG).
 * Those callbacks are static, so this file compiles the three sources in (and the
 * archive's copies are not linked). The input is a buffer as recvfrom() would fill it:
 * messages of any type, attributes of any length. It is copied into a buffer of exactly
 * its size, so ASan sees any read past the end of what the kernel sent.
 *
 * A reply nl_reply_ok() refuses (a message longer than the buffer) is refused by the
 * library before any callback runs, so it is skipped here too.
 *
 * Oracles: every parsed string (link name, kind, MAC, CIDR, route) is NUL-terminated
 * inside its field and every MAC has the xx:xx:xx:xx:xx:xx shape; an ack parses to 0 or
 * to a negative errno, and the kernel's text it extracts is a terminated string.
 *
 * Seeds: tests/fuzz/seeds/netlink/ (real dumps of this machine's links and addresses).
 * See: netns/netlink.h, netns/nl.c, link.c, addr.c; rtnetlink(7), libmnl.
 */
/* the three files whole: their reply parsers are static, and the target drives them directly */
#include "netns/addr.c" /* NOLINT(bugprone-suspicious-include) */
#include "netns/link.c" /* NOLINT(bugprone-suspicious-include) */
#include "netns/nl.c"   /* NOLINT(bugprone-suspicious-include) */
#include "tests/fuzz/fuzz.h"

#include <ctype.h>

static void terminated(const char *what, const char *s, size_t size)
{
	if (!memchr(s, '\0', size))
		fuzz_oracle("%s is not terminated", what);
}

static void mac_shaped(const char *mac)
{
	if (!mac[0])
		return;
	for (int i = 0; i < 17; i++)
		if (i % 3 == 2 ? mac[i] != ':' : !isxdigit((unsigned char)mac[i]))
			fuzz_oracle("MAC '%s'", mac);
	if (mac[17])
		fuzz_oracle("MAC '%s' is too long", mac);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *buf = malloc(size ? size : 1);
	memcpy(buf, data, size);
	/* what the library does with every reply before libmnl walks it (nl_reply_ok) */
	if (!nl_reply_ok(buf, size)) {
		free(buf);
		return 0;
	}

	struct link_list links = {0};
	mnl_cb_run(buf, size, 0, 0, link_cb, &links);
	for (size_t i = 0; i < links.n; i++) {
		terminated("link name", links.v[i].name, sizeof(links.v[i].name));
		terminated("link kind", links.v[i].kind, sizeof(links.v[i].kind));
		terminated("link mac", links.v[i].mac, sizeof(links.v[i].mac));
		mac_shaped(links.v[i].mac);
	}
	free(links.v);

	struct addr_list addrs = {0};
	mnl_cb_run(buf, size, 0, 0, addr_cb, &addrs);
	for (size_t i = 0; i < addrs.n; i++)
		terminated("address", addrs.v[i].cidr, sizeof(addrs.v[i].cidr));
	free(addrs.v);

	struct route_list routes = {0};
	mnl_cb_run(buf, size, 0, 0, route_cb, &routes);
	for (size_t i = 0; i < routes.n; i++) {
		terminated("route dst", routes.v[i].dst, sizeof(routes.v[i].dst));
		terminated("route gw", routes.v[i].gw, sizeof(routes.v[i].gw));
	}
	free(routes.v);

	for (int bridge = 0; bridge < 2; bridge++) {
		struct fdb_list fdb = {.bridge = bridge};
		mnl_cb_run(buf, size, 0, 0, fdb_cb, &fdb);
		for (size_t i = 0; i < fdb.n; i++)
			mac_shaped(fdb.v[i].mac);
		free(fdb.v);
	}

	int idx = 0, nsid = -1;
	mnl_cb_run(buf, size, 0, 0, index_cb, &idx);
	mnl_cb_run(buf, size, 0, 0, nsid_cb, &nsid);

	/* the acks, as nl_request walks them */
	int left = (int)size;
	for (struct nlmsghdr *h = buf; mnl_nlmsg_ok(h, left); h = mnl_nlmsg_next(h, &left)) {
		char ext[256];
		ext[0] = '\0';
		if (h->nlmsg_type != NLMSG_ERROR)
			continue;
		int rc = parse_ack(h, ext, sizeof(ext));
		if (rc > 0)
			fuzz_oracle("an ack parsed to %d", rc);
		terminated("the kernel's text", ext, sizeof(ext));
	}
	free(buf);
	return 0;
}

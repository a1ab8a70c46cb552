/*
 * netns/nat_int.h - what nat.c shares with docker_user.c inside the library. Not for users
 * of the library: they include netns/nat.h.
 */
#ifndef MR_NETNS_NAT_INT_H
#define MR_NETNS_NAT_INT_H

#include "lib/err.h"

/* Run nft command text CMD (one or more lines) as one transaction through libnftables.
 * With OUT, what nft would print, in a new string the caller frees. -1 with err holding
 * nft's first error line, errno EEXIST / ENOENT / EPERM when that is what the kernel said. */
int nat_nft(const char *cmd, char **out, struct mr_err *err);

/* Check that interface NAME can go inside "..." in nft text unescaped (letters, digits,
 * '-', '_', '.'; a valid interface name). -1 with err saying what is wrong. */
int nat_check_ifname(const char *name, struct mr_err *err);

#endif

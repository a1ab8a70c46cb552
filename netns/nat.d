netns/nat.o: netns/nat.c netns/nat.h lib/err.h lib/cleanup.h lib/file.h \
 netns/netlink.h
netns/nat.h:
lib/err.h:
lib/cleanup.h:
lib/file.h:
netns/netlink.h:

netns/ping.o: netns/ping.c lib/cleanup.h netns/netlink.h lib/err.h
lib/cleanup.h:
netns/netlink.h:
lib/err.h:

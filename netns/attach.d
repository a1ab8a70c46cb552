netns/attach.o: netns/attach.c netns/netlink.h lib/err.h
netns/netlink.h:
lib/err.h:

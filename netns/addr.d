netns/addr.o: netns/addr.c netns/nl_int.h netns/netlink.h lib/err.h
netns/nl_int.h:
netns/netlink.h:
lib/err.h:

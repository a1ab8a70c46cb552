netns/veth.o: netns/veth.c lib/err.h netns/netlink.h
lib/err.h:
netns/netlink.h:

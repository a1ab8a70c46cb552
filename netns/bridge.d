netns/bridge.o: netns/bridge.c lib/err.h netns/nat.h netns/netlink.h
lib/err.h:
netns/nat.h:
netns/netlink.h:

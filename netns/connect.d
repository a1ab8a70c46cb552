netns/connect.o: netns/connect.c lib/err.h lib/file.h netns/netlink.h
lib/err.h:
lib/file.h:
netns/netlink.h:

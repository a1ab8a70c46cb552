netns/show.o: netns/show.c lib/err.h lib/file.h netns/netlink.h
lib/err.h:
lib/file.h:
netns/netlink.h:

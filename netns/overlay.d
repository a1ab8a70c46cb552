netns/overlay.o: netns/overlay.c lib/err.h lib/file.h netns/netlink.h
lib/err.h:
lib/file.h:
netns/netlink.h:

netns/nl.o: netns/nl.c netns/nl_int.h netns/netlink.h lib/err.h \
 lib/cleanup.h lib/file.h ns/ns.h
netns/nl_int.h:
netns/netlink.h:
lib/err.h:
lib/cleanup.h:
lib/file.h:
ns/ns.h:

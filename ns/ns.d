ns/ns.o: ns/ns.c ns/ns.h lib/err.h lib/cleanup.h lib/file.h
ns/ns.h:
lib/err.h:
lib/cleanup.h:
lib/file.h:

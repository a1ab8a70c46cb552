minirun/image/pull.o: minirun/image/pull.c minirun/image/registry.h \
 minirun/image/image.h lib/err.h lib/cleanup.h
minirun/image/registry.h:
minirun/image/image.h:
lib/err.h:
lib/cleanup.h:

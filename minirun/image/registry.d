minirun/image/registry.o: minirun/image/registry.c \
 minirun/image/registry.h minirun/image/image.h lib/err.h lib/cleanup.h \
 lib/file.h
minirun/image/registry.h:
minirun/image/image.h:
lib/err.h:
lib/cleanup.h:
lib/file.h:

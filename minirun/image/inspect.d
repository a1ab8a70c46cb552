minirun/image/inspect.o: minirun/image/inspect.c minirun/image/image.h \
 lib/err.h lib/cleanup.h lib/file.h
minirun/image/image.h:
lib/err.h:
lib/cleanup.h:
lib/file.h:

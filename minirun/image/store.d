minirun/image/store.o: minirun/image/store.c minirun/image/image.h \
 lib/err.h lib/cleanup.h lib/file.h
minirun/image/image.h:
lib/err.h:
lib/cleanup.h:
lib/file.h:

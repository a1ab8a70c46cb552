minirun/image/gc.o: minirun/image/gc.c minirun/image/image.h lib/err.h \
 lib/cleanup.h lib/file.h
minirun/image/image.h:
lib/err.h:
lib/cleanup.h:
lib/file.h:

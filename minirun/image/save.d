minirun/image/save.o: minirun/image/save.c minirun/image/image.h \
 lib/err.h lib/cleanup.h
minirun/image/image.h:
lib/err.h:
lib/cleanup.h:

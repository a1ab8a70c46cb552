minirun/image/progress.o: minirun/image/progress.c minirun/image/image.h \
 lib/err.h
minirun/image/image.h:
lib/err.h:

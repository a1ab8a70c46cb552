minirun/image/format.o: minirun/image/format.c minirun/image/image.h \
 lib/err.h
minirun/image/image.h:
lib/err.h:

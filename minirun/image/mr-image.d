minirun/image/mr-image.o: minirun/image/mr-image.c minirun/image/image.h \
 lib/err.h
minirun/image/image.h:
lib/err.h:

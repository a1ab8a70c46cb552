minirun/image/ref.o: minirun/image/ref.c minirun/image/image.h lib/err.h
minirun/image/image.h:
lib/err.h:

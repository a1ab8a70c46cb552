minirun/image/rmi.o: minirun/image/rmi.c minirun/image/image.h lib/err.h
minirun/image/image.h:
lib/err.h:

minirun/image/commands.o: minirun/image/commands.c minirun/image/image.h \
 lib/err.h lib/cleanup.h lib/file.h
minirun/image/image.h:
lib/err.h:
lib/cleanup.h:
lib/file.h:

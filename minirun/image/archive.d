minirun/image/archive.o: minirun/image/archive.c minirun/image/image.h \
 lib/err.h lib/cleanup.h lib/file.h unionfs/layer.h
minirun/image/image.h:
lib/err.h:
lib/cleanup.h:
lib/file.h:
unionfs/layer.h:

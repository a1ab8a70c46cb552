minirun/image/images.o: minirun/image/images.c minirun/image/image.h \
 lib/err.h lib/cleanup.h lib/file.h unionfs/layer.h
minirun/image/image.h:
lib/err.h:
lib/cleanup.h:
lib/file.h:
unionfs/layer.h:

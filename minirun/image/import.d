minirun/image/import.o: minirun/image/import.c minirun/image/image.h \
 lib/err.h lib/cleanup.h unionfs/layer.h
minirun/image/image.h:
lib/err.h:
lib/cleanup.h:
unionfs/layer.h:

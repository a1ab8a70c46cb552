# minirun/volume/ - docker's named volumes (ROOT/volumes/NAME/_data) and the -v / --mount
# flags. libvolume.a is linked by minirun, whose dispatcher runs volume_commands[]
# (minirun volume ...).
VOLUME_LIB_SRCS := minirun/volume/volume.c minirun/volume/mounts.c minirun/volume/populate.c \
		   minirun/volume/commands.c
LIBVOLUME := minirun/volume/libvolume.a
minirun/volume/libvolume.a: $(VOLUME_LIB_SRCS:.c=.o)
MR_ARCHIVES += $(LIBVOLUME)
UNIT_LDLIBS += -ljansson
minirun/volume: $(LIBVOLUME)
.PHONY: minirun/volume

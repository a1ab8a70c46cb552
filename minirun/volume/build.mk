# minirun/volume/ - docker's named volumes (ROOT/volumes/NAME/_data) and the -v / --mount
# flags. libvolume.a is linked by minirun; mr-volume is a stand-in front end over
# volume_commands[] until minirun's dispatcher takes them.
VOLUME_LIB_SRCS := minirun/volume/volume.c minirun/volume/mounts.c minirun/volume/commands.c
VOLUME_PROGS := minirun/volume/mr-volume
LIBVOLUME := minirun/volume/libvolume.a
minirun/volume/libvolume.a: $(VOLUME_LIB_SRCS:.c=.o)
MR_ARCHIVES += $(LIBVOLUME)
$(VOLUME_PROGS): $(LIBVOLUME) $(LIBMR)
$(VOLUME_PROGS): LDLIBS += -ljansson
UNIT_LDLIBS += -ljansson
PROGS += $(VOLUME_PROGS)
minirun/volume: $(VOLUME_PROGS)
.PHONY: minirun/volume

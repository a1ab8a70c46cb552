# minirun/system/ - `minirun system df|prune|info`, `minirun info`, `minirun version`: what
# docker's daemon tells about itself, read from the store. libsystem.a is linked by minirun.
SYSTEM_LIB_SRCS := $(wildcard minirun/system/*.c)
LIBSYSTEM := minirun/system/libsystem.a
minirun/system/libsystem.a: $(SYSTEM_LIB_SRCS:.c=.o)
MR_ARCHIVES += $(LIBSYSTEM)
UNIT_LDLIBS += -ljansson
minirun/system: $(LIBSYSTEM)
.PHONY: minirun/system

# minirun/compose/ - the compose model (libfyaml -> typed structs: compose.h) and
# `minirun compose`. libcompose.a is linked by minirun, whose dispatcher calls compose_main.
COMPOSE_LIB_SRCS := $(wildcard minirun/compose/*.c)
LIBCOMPOSE := minirun/compose/libcompose.a
minirun/compose/libcompose.a: $(COMPOSE_LIB_SRCS:.c=.o)
MR_ARCHIVES += $(LIBCOMPOSE)
UNIT_LDLIBS += -lfyaml -ljansson
minirun/compose: $(LIBCOMPOSE)
.PHONY: minirun/compose

# minirun/rootless/ - minirun as an ordinary user (rootless.h): the user's store and
# runtime directories, the user namespace kept by a pause process, what a rootless
# container may ask of cgroups. librootless.a is linked by minirun.
ROOTLESS_SRCS := $(wildcard minirun/rootless/*.c)
LIBROOTLESS := minirun/rootless/librootless.a
minirun/rootless/librootless.a: $(ROOTLESS_SRCS:.c=.o)
MR_ARCHIVES += $(LIBROOTLESS)
minirun/rootless: $(LIBROOTLESS)
.PHONY: minirun/rootless

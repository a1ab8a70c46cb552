# minirun/containers/ - docker's containers: records under ROOT/containers, the run flags,
# the OCI config made from an image, the per-container monitor, stdio and logs.
# libcontainers.a is linked by minirun, whose dispatcher runs the three verb tables.
CONTAINERS_LIB_SRCS := $(wildcard minirun/containers/*.c)
LIBCONTAINERS := minirun/containers/libcontainers.a
minirun/containers/libcontainers.a: $(CONTAINERS_LIB_SRCS:.c=.o)
MR_ARCHIVES += $(LIBCONTAINERS)
UNIT_LDLIBS += -ljansson -lseccomp
minirun/containers: $(LIBCONTAINERS)
.PHONY: minirun/containers
# config.c and seccomp_default.c use libcap (capability names), opts.c libm (--cpus)
UNIT_LDLIBS += -lcap -lm

# minirun/containers/ - docker's containers: records under ROOT/containers, the run flags,
# the per-container monitor, stdio and logs (the OCI config they get: minirun/bundle/).
# libcontainers.a is linked by minirun, whose dispatcher runs the three verb tables.
CONTAINERS_LIB_SRCS := $(wildcard minirun/containers/*.c)
LIBCONTAINERS := minirun/containers/libcontainers.a
minirun/containers/libcontainers.a: $(CONTAINERS_LIB_SRCS:.c=.o)
MR_ARCHIVES += $(LIBCONTAINERS)
UNIT_LDLIBS += -ljansson
minirun/containers: $(LIBCONTAINERS)
.PHONY: minirun/containers
# opts_set.c uses libm (--cpus)
UNIT_LDLIBS += -lm

# --init's pid 1 (init/minirun-init.c, kept out of the library's wildcard): a static binary,
# bind-mounted into containers whose images carry no libc of ours. A PROG, so `make install`
# puts it in $(LIBEXEC)/minirun/containers/init/, where container_init_path() looks.
CONTAINERS_INIT := minirun/containers/init/minirun-init
$(CONTAINERS_INIT): $(LIBMR)
$(CONTAINERS_INIT): LDFLAGS += -static
PROGS += $(CONTAINERS_INIT)
minirun/containers: $(CONTAINERS_INIT)
minirun: $(CONTAINERS_INIT)

# minirun/oci/ - the OCI runtime (README.md here): liboci.a, the runtime as library calls
# (runtime.h, the one header the rest of minirun includes), and the runc-compatible command
# line over it (oci.c, oci_VERB.c), which `minirun oci` and minirun/minirun-oci run.
OCI_LIB_SRCS := $(filter-out minirun/oci/oci%.c minirun/oci/test_%.c,\
	$(wildcard minirun/oci/*.c))
OCI_CLI_SRCS := $(filter-out minirun/oci/oci_main.c,$(wildcard minirun/oci/oci*.c))
LIBOCI := minirun/oci/liboci.a
minirun/oci/liboci.a: $(OCI_LIB_SRCS:.c=.o)
MR_ARCHIVES += $(LIBOCI)
OCI_LDLIBS := -ljansson -lseccomp -lcap -lm
UNIT_LDLIBS += $(OCI_LDLIBS)

# the binary engines run: the OCI verbs alone (oci_main.c), linked statically against
# the three libraries they use, so that each exec (two per create) loads nothing else.
# Built beside minirun/minirun, where podman's --runtime and the tests name it.
minirun/minirun-oci: minirun/oci/oci_main.o $(OCI_CLI_SRCS:.c=.o) $(LIBOCI) $(LIBROOTLESS) \
		$(LIBUNIONFS) $(LIBCG) $(LIBNS) $(LIBMR)
	rm -f $@
	$(CC) $(LDFLAGS) $(MR_STATIC) $(OCI_ENTRY) -o $@ $(filter %.o %.a,$^) $(OCI_LDLIBS)
# its entry point: early_seal.c's re-exec before glibc starts (static x86-64 builds only)
OCI_ENTRY_FLAGS := -Wl,-u,mr_early_entry -Wl,-e,mr_early_entry
OCI_ENTRY := $(if $(and $(MR_STATIC),$(filter x86_64,$(shell uname -m))),$(OCI_ENTRY_FLAGS))

# test helper: receives the pty master on a --console-socket (tests/integration/minirun)
minirun/oci/test_console_recv: minirun/oci/test_console_recv.o $(LIBOCI) $(LIBROOTLESS) \
		$(LIBUNIONFS) $(LIBCG) $(LIBNS) $(LIBMR)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o %.a,$^) $(OCI_LDLIBS)
CLEAN += minirun/minirun-oci minirun/oci/test_console_recv

minirun/oci: minirun/minirun-oci minirun/oci/test_console_recv
all: minirun/minirun-oci minirun/oci/test_console_recv
.PHONY: minirun/oci

# minirun/ - the runtime: one binary (minirun/minirun) over a library of setup steps.
# `make minirun` builds it, minirun-oci (the OCI runtime alone, for engines), and the test helpers.
MINIRUN_LIB_SRCS := $(filter-out minirun/main.c minirun/oci%.c minirun/test_%.c minirun/%_dl.c,\
	$(wildcard minirun/*.c))
MINIRUN_CLI_SRCS := $(filter-out minirun/oci_main.c,$(wildcard minirun/oci*.c))
LIBMINIRUN := minirun/libminirun.a
minirun/libminirun.a: $(MINIRUN_LIB_SRCS:.c=.o)
MR_ARCHIVES += $(LIBMINIRUN)
MINIRUN_LDLIBS := -ljansson -lseccomp -lcap -lm
# main.c (not minirun.c) holds main(): the binary has its own link rule instead of PROGS'
# the front end's commands: containers, the image store, networks and volumes, over unionfs/ and netns/
MINIRUN_FRONT := $(LIBCOMPOSE) $(LIBCONTAINERS) $(LIBIMAGE) $(LIBNETWORK) $(LIBVOLUME) $(LIBUNIONFS) $(LIBNETNS)
# libarchive, libnftables and libcrypto are not linked: minirun opens each on the first
# call into it (minirun/lazylib.h: they were most of the time of a `minirun run`); libcurl
# likewise (minirun/image/curl_dl.c)
MINIRUN_DL := minirun/archive_dl.o minirun/nftables_dl.o minirun/crypto_dl.o
# and the three small libraries every verb uses are linked in whole (Debian ships their
# .a): one shared object less each for the loader at every start (0.2 ms of the 0.9)
MINIRUN_STATIC_LDLIBS := -Wl,-Bstatic -ljansson -lseccomp -lcap -Wl,-Bdynamic
MINIRUN_FRONT_LDLIBS := -lfyaml -lmnl -lm
minirun/minirun: minirun/main.o $(MINIRUN_CLI_SRCS:.c=.o) $(MINIRUN_DL) $(MINIRUN_FRONT) \
		$(LIBMINIRUN) $(LIBCG) $(LIBNS) $(LIBMR)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o %.a,$^) $(MINIRUN_STATIC_LDLIBS) $(MINIRUN_FRONT_LDLIBS)
UNIT_LDLIBS += $(MINIRUN_LDLIBS)
INSTALL_PROGS += minirun/minirun
CLEAN += minirun/minirun
all: minirun/minirun

# the binary engines run: the OCI verbs alone (oci_main.c), linked statically against
# the three libraries they use, so that each exec (two per create) loads nothing else
minirun/minirun-oci: minirun/oci_main.o $(MINIRUN_CLI_SRCS:.c=.o) $(LIBMINIRUN) $(LIBCG) $(LIBNS) \
		$(LIBMR)
	rm -f $@
	$(CC) $(LDFLAGS) -static -o $@ $(filter %.o %.a,$^) $(MINIRUN_LDLIBS)

# test helper: receives the pty master on a --console-socket (tests/integration/minirun)
minirun/test_console_recv: minirun/test_console_recv.o $(LIBMINIRUN) $(LIBCG) $(LIBNS) $(LIBMR)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o %.a,$^) $(MINIRUN_LDLIBS)
CLEAN += minirun/minirun-oci minirun/test_console_recv

minirun: minirun/minirun minirun/minirun-oci minirun/test_console_recv
all: minirun/minirun-oci minirun/test_console_recv

# `make install` puts minirun in $(BINDIR) (INSTALL_PROGS); this adds minirun-oci
install: install-minirun
install-minirun: minirun/minirun-oci
	install -d $(DESTDIR)$(BINDIR)
	rm -f $(DESTDIR)$(BINDIR)/minirun-oci
	install -m 755 minirun/minirun-oci $(DESTDIR)$(BINDIR)/minirun-oci
.PHONY: minirun install-minirun

# minirun/ - the `minirun` command: main.c, a dispatcher over the layers in the folders
# here (docs/HACKING.md has the map). `make minirun` builds it, minirun-oci (the OCI runtime
# alone, for engines: minirun/oci/build.mk), and the test helpers.
# main.c (not minirun.c) holds main(): the binary has its own link rule instead of PROGS';
# commands.c its tables of commands and --help.
# The front end's commands: system, compose, build, scan, containers, the bundle they make, the
# image store, networks and volumes, over unionfs/ and netns/; then the OCI runtime
MINIRUN_FRONT := $(LIBSYSTEM) $(LIBCOMPOSE) $(LIBBUILD) $(LIBSCAN) $(LIBCONTAINERS) $(LIBBUNDLE) $(LIBIMAGE) \
	$(LIBNETWORK) $(LIBVOLUME) $(LIBUNIONFS) $(LIBNETNS)
# libarchive, libnftables and libcrypto are not linked: minirun opens each on the first
# call into it (minirun/lazy/lazylib.h: they were most of the time of a `minirun run`);
# libcurl likewise (minirun/image/curl_dl.c). MINIRUN_DL: minirun/lazy/build.mk
# and the three small libraries every verb uses are linked in whole (Debian ships their
# .a): one shared object less each for the loader at every start (0.2 ms of the 0.9);
# libfyaml (compose's YAML) likewise, so that a plain `run` pays nothing for compose;
# and libm too: minirun calls only round() and llround() of it, and glibc's libm.a has
# both without ifuncs, while libm.so is a whole object for the loader (~10 page faults
# and its relocations at each start: bench/README.md "Each exec")
MINIRUN_STATIC_LDLIBS := -Wl,-Bstatic -ljansson -lseccomp -lcap -lfyaml -lm -Wl,-Bdynamic
MINIRUN_FRONT_LDLIBS := -lmnl
# Full RELRO (-z now): every symbol of libc and libmnl bound at the start and the table made
# read-only, rather than each one bound at its first call. A hardening (a stray write can't
# redirect a call), and cheaper on the path that counts: the monitor binds as it starts,
# before its container's ID (monitor_spawn.c, "The early monitor"), not ~200 times on the way
# to the start (`run --rm`, interleaved: 0.988x in the median; bench/README.md, "Session 15")
MINIRUN_LINK := -Wl,-z,relro -Wl,-z,now
minirun/minirun: minirun/main.o minirun/commands.o $(OCI_CLI_SRCS:.c=.o) $(MINIRUN_DL) $(MINIRUN_FRONT) \
		$(LIBOCI) $(LIBCG) $(LIBNS) $(LIBROOTLESS) $(LIBLAZY) $(LIBEVENTS) $(LIBMR)
	$(CC) $(LDFLAGS) $(MINIRUN_LINK) -o $@ $(filter %.o %.a,$^) $(MINIRUN_STATIC_LDLIBS) \
		$(MINIRUN_FRONT_LDLIBS)
INSTALL_PROGS += minirun/minirun
CLEAN += minirun/minirun
all: minirun/minirun

minirun: minirun/minirun minirun/oci
.PHONY: minirun install-minirun

# `make install` puts minirun in $(BINDIR) (INSTALL_PROGS); this adds minirun-oci
install: install-minirun
install-minirun: minirun/minirun-oci
	install -d $(DESTDIR)$(BINDIR)
	rm -f $(DESTDIR)$(BINDIR)/minirun-oci
	install -m 755 minirun/minirun-oci $(DESTDIR)$(BINDIR)/minirun-oci

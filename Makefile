# minirun - top-level Makefile.
#
#   make              build every program next to its source (ns/uts.c -> ns/uts)
#   make ns           build one directory (also: lib, cgroups, unionfs, netns, minirun)
#   make deps         install the Debian packages the project needs (idempotent)
#   make demo         deps + build + a guided run of the toolkit
#   make test         deps + build + every test tier, then one line of totals
#   make test-unit | test-host | test-vm | test-labs    one tier
#   make test-long | test-docker   the slow suites (tests/long.list) | the docker differential
#   make test-build-conformance   `minirun build` vs docker build and buildah, every case
#   make vm           boot the pure cgroup v2 test VM with an interactive shell
#   make install      install the programs under $(PREFIX) (default /usr/local)
#   make format | lint | clean     (lint: clang-format, the layers' includes, cppcheck,
#                                   clang-tidy, clang's static analyzer)
#   make analyze      the static analyzer alone (files changed since their last analysis;
#                     the whole tree, ~5 minutes, the first time)
#   make fuzz | fuzz-smoke         the libFuzzer targets (tests/fuzz/README.md)
#   make asan-test-unit | asan-test-host   the unit / host tier under ASan+UBSan
#
# Each directory describes its own programs and library in DIR/build.mk; this file holds
# the rules they share. A program P.c links P.o, the archives named as its prerequisites
# (in order: most specific first, lib/libmr.a last), and its LDLIBS.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
LIBEXEC ?= $(PREFIX)/libexec/minirun
CC      ?= gcc
CFLAGS  ?= -O2 -g
MR_CFLAGS = -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -I. -MMD -MP
LDFLAGS ?=
# how minirun-oci is linked: statically (engines exec it twice per create); empty in the
# sanitizer build (make asan-test-host), as ASan can't link a static program
MR_STATIC ?= -static

PROGS :=        # every program to build; each build.mk adds its own
INSTALL_PROGS :=# the subset `make install` puts in $(BINDIR) (the rest go to $(LIBEXEC))
CLEAN :=        # extra files each build.mk wants removed by `make clean`

all:            # the default goal; its prerequisites come from the build.mk files

# In dependency order: a build.mk may name the archives of the directories before it.
MR_DIRS := lib ns cgroups unionfs netns minirun/lazy minirun/rootless minirun/events minirun/oci \
	minirun/image minirun/network minirun/volume minirun/bundle minirun/containers \
	minirun/build minirun/compose minirun/scan minirun/system minirun tests tests/fuzz
include $(foreach d,$(MR_DIRS),$(wildcard $(d)/build.mk))

all: $(PROGS)

%.o: %.c
	$(CC) $(MR_CFLAGS) $(CFLAGS) -c -o $@ $<

# made anew each time: `ar r` replaces members but never drops one, so an object whose
# source was renamed or removed would stay in the archive and, earlier in it, win the link
# over the file that now defines the same function (seen: a stale netns/attach.o)
%.a:
	@rm -f $@
	$(AR) rcs $@ $^

$(PROGS): %: %.o
	$(CC) $(LDFLAGS) -o $@ $(filter %.o %.a,$^) $(LDLIBS)

-include $(shell find . -name '*.d' -not -path './build/*' 2>/dev/null)

# ---- Debian packages: everything the project builds, tests and benchmarks with ----------
# build: compiler, and the libraries DESIGN.md chose
DEB_BUILD := gcc make pkg-config libc6-dev libcap-dev libcunit1-dev libseccomp-dev \
	libjansson-dev libarchive-dev libssl-dev libcurl4-openssl-dev libmnl-dev \
	libnftables-dev libyaml-dev libfyaml-dev libsqlite3-dev libldns-dev
# tests: the tools tests use to check what the code did, the VM tier, the peers
DEB_TEST := iproute2 nftables procps psmisc util-linux kmod zstd tar gzip apache2-utils openssl \
	busybox-static qemu-system-x86 bats jq rpm python3-jsonschema
DEB_PEERS := runc crun podman containerd skopeo umoci docker-registry hyperfine iperf3 \
	docker.io buildah docker-compose
# rootless: the setuid id mappers, the user-space networks, the overlay fallback
DEB_ROOTLESS := uidmap passt slirp4netns fuse-overlayfs
# images: `make debian-image` turns a debootstrap of Debian into an image
DEB_IMAGES := debootstrap
# tidy: formatting and static analysis
DEB_TIDY := clang-format clang-tidy cppcheck clang libclang-rt-14-dev clang-tools-14
DEB_PACKAGES := $(sort $(DEB_BUILD) $(DEB_TEST) $(DEB_ROOTLESS) $(DEB_PEERS) $(DEB_IMAGES) \
	$(DEB_TIDY))

deps:
	@tests/deps.sh $(DEB_PACKAGES)

# ---- the README's two commands ----------------------------------------------------------
demo: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory busybox-image-import
	@./demo.sh

# The totals are the last line make test prints, but one: when a test failed, make's own
# "make: *** [Makefile:N: test] Error 1" comes after them, and there is no honest way to
# leave it out. GNU make (4.3, job.c's child_error) prints that line for every recipe line
# that fails unless its error is ignored (`-`), and then only -s silences the "(ignored)"
# line; an ignored error makes the run exit 0. The ways to exit non-zero without it are
# make being killed by a signal (exit 128+N, the shell's "Terminated") or -q's "not up to
# date" status, each a lie about what happened. So the layout keeps that one line and only
# it: the tiers run in a sub-make with -s, where each failing tier is ignored silently (it
# is in its results file, which tests/totals reads), and tests/totals runs in this recipe,
# not in a sub-make, whose failure would add a second line. The totals go to stdout, make's
# line to stderr: `make test 2>/dev/null | tail -n 1` is the totals line.
test: deps
	@echo "make test: every tier (unit, asan, fuzz, host, vm, labs), about 15 minutes on 2 cores;" \
		"the vm tier downloads Debian's kernel the first time (it says the size; kept in build/vm/cache)"
	@$(MAKE) --no-print-directory $(TEST_JOBS) all
	@$(MAKE) --no-print-directory -s test-tiers
	@$(TEST_TOTALS)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXEC)
	for p in $(INSTALL_PROGS); do install -m 755 $$p $(DESTDIR)$(BINDIR)/; done
	for p in $(filter-out $(INSTALL_PROGS),$(PROGS)); do \
		d=$(DESTDIR)$(LIBEXEC)/$$(dirname $$p); install -d $$d; install -m 755 $$p $$d/; done

SOURCES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
format:
	clang-format -i $(SOURCES)
lint:
	clang-format --dry-run --Werror $(SOURCES)
	tests/lint/includes.sh
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
		-I. -D_GNU_SOURCE $(filter %.c,$(SOURCES))
	@echo "clang-tidy (.clang-tidy's checks) on $(words $(filter %.c,$(SOURCES))) files"
	@printf '%s\n' $(filter %.c,$(SOURCES)) | xargs -P2 -n8 sh -c \
		'clang-tidy --quiet "$$@" -- -std=gnu11 -D_GNU_SOURCE -I. 2>/dev/null' clang-tidy \
		| grep -E 'warning:|error:' | sort -u | awk '{ print; n++ } END { exit n > 0 }'
	@tests/lint/analyze.sh

# clang's static analyzer over every program's files (tests/lint/analyze.sh; findings that
# stay are listed with their reason in tests/lint/analyze.supp), each file analysed again
# only when it or a header it includes changed: `tests/lint/analyze.sh --full` for all.
analyze:
	@tests/lint/analyze.sh

.PHONY: analyze

clean:
	rm -f $(PROGS) $(CLEAN)
	find . -path ./build -prune -o \( -name '*.o' -o -name '*.a' -o -name '*.d' \) -print \
		| xargs rm -f

distclean: clean
	rm -rf build

.PHONY: all deps demo test install format lint clean distclean

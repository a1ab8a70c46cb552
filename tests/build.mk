# tests/ - the test tiers. Each tier writes one result line per test into
# build/results/TIER.tap ("ok - NAME", "not ok - NAME", "ok - NAME # SKIP why") and ends
# the file with "# done"; tests/totals adds the tiers up into the last line of `make test`.

UNIT_SRCS := $(wildcard tests/unit/*.c)
# every library archive the build.mk files declare (linked as a group: order-free), and
# UNIT_LDLIBS, the -l flags each build.mk adds for its library
UNIT_LIBS = $(filter-out $(LIBMR),$(MR_ARCHIVES)) $(LIBMR)
tests/unit/run-unit: $(UNIT_SRCS:.c=.o) $(UNIT_LIBS)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) -Wl,--start-group $(filter %.a,$^) -Wl,--end-group \
		$(sort $(UNIT_LDLIBS)) -lcunit
CLEAN += tests/unit/run-unit

RESULTS := build/results

test-unit: tests/unit/run-unit
	@mkdir -p $(RESULTS)
	@tests/unit/run-unit $(RESULTS)/unit.tap

test-host: all
	@mkdir -p $(RESULTS)
	@tests/run-suites host $(RESULTS)/host.tap tests/integration

# the host tier as on the hosts users have: ip_forward 1, / shared, a UTF-8 locale
# (tests/host-as-users.sh says how each is made and undone); not part of `make test`, whose
# host tier runs on this machine as it is: CI runs it where time allows
test-host-as-users: all
	@mkdir -p $(RESULTS)
	@tests/host-as-users.sh $(RESULTS)/host-as-users.tap

# the suites tests/long.list leaves out of `make test`: differential runs against dockerd,
# docker-compose and buildah, and slow scenarios (CI runs them before `make test`)
test-long: all
	@mkdir -p $(RESULTS)
	@MR_LONG=only MR_SUITE_TIMEOUT=1800 tests/run-suites long $(RESULTS)/long.tap \
		tests/integration tests/differential

# the differential suite alone: every case of tests/differential/docker.cases run by a
# private dockerd and by minirun, compared (minutes: docker's side is most of it)
test-docker: all
	@mkdir -p $(RESULTS)
	@MR_LONG=1 MR_SUITE_TIMEOUT=1800 tests/run-suites docker $(RESULTS)/docker.tap tests/differential

# the build conformance suite alone (tests/integration/build/conformance/README.md): every
# case built by minirun, docker's classic builder and buildah, and compared; minutes
test-build-conformance: all
	@mkdir -p $(RESULTS)
	@MR_SUITE_TIMEOUT=1800 MR_SUITES='build/conformance\.t' tests/run-suites conformance \
		$(RESULTS)/conformance.tap tests/integration/build

test-vm: all
	@mkdir -p $(RESULTS)
	@tests/vm/run $(RESULTS)/vm.tap

# an overlay network across two VMs joined by a wire (tests/vm/pair/overlay.t): not in
# test-vm, as it boots two more VMs for one suite
test-vm-overlay: all
	@mkdir -p $(RESULTS)
	@tests/vm/run --pair tests/vm/pair/overlay.t $(RESULTS)/vm-overlay.tap

test-labs: all
	@mkdir -p $(RESULTS)
	@labs/lab test-all $(RESULTS)/labs.tap

vm: all
	@tests/vm/run --shell

# test-tiers: every tier, even after one fails (each tier's failure is in its results file),
# the VM tier beside the others (tests/tiers says why); test-all: then the totals (non-zero
# on any failure). `make test` runs the two steps itself: the Makefile says why, above its
# `test` target.
TEST_TOTALS = tests/totals $(RESULTS) unit asan fuzz host vm labs
# TEST_JOBS: the builds' -jN in `make test` (nothing to add when make runs with -j already)
TEST_JOBS = $(if $(findstring jobserver,$(MAKEFLAGS)),,-j$(shell nproc 2>/dev/null || echo 2))
test-tiers:
	@MAKE="$(MAKE)" MR_BUILD_JOBS="$(TEST_JOBS)" tests/tiers $(RESULTS)
test-all:
	@$(MAKE) --no-print-directory -s test-tiers
	@$(TEST_TOTALS)

.PHONY: test-unit test-host test-host-as-users test-long test-docker test-build-conformance test-vm test-labs test-tiers test-all vm
.PHONY: test-vm-overlay

# ---- sanitizers: the same code built with ASan + UBSan, in a mirror of the tree ----------
# tests/mirror.sh makes build/asan a tree of links to the sources; the Makefile runs there
# with clang and the sanitizer flags, so the normal objects are never touched. Leaks are
# reported too (LeakSanitizer runs at every exit).
#
#   make asan-test-unit   the unit tier under ASan/UBSan: build/results/asan.tap (part of
#                         `make test`)
#   make asan-test-host   every program under ASan/UBSan, then the host tier run against
#                         them (MR_TOP=build/asan; MR_SUITES= picks suites as for
#                         test-host): slow, run it before a release. LeakSanitizer can't
#                         stop the world in a process that is PID 1 of a new PID namespace
#                         (it exits with "LeakSanitizer has encountered a fatal error"):
#                         run such suites (ns/pid, containers) with
#                         ASAN_OPTIONS=detect_leaks=0
ASAN_DIR := build/asan
# -Wno-string-concatenation: clang alone warns on a path deliberately split over two literals
SAN_WNO := -Wno-string-concatenation
ASAN_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined $(SAN_WNO)
ASAN_MAKE = $(MAKE) --no-print-directory -C $(ASAN_DIR) CC=clang CFLAGS='$(ASAN_CFLAGS)' \
	LDFLAGS='-fsanitize=address,undefined'
# (the recipes run it with "+": make hands its jobserver only to lines naming $(MAKE) itself)
# halt on the first error, a report per line; leaks at exit; UBSan with a stack
export ASAN_OPTIONS ?= detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1

asan-build-unit:
	@tests/mirror.sh $(ASAN_DIR)
	@+$(ASAN_MAKE) tests/unit/run-unit

# the unit runner's lines, renamed asan/...; a sanitizer report (the runner dies, or
# exits non-zero at a leak after its last test) is one failure of its own
asan-test-unit: asan-build-unit
	@mkdir -p $(RESULTS)
	@rc=0; $(ASAN_DIR)/tests/unit/run-unit $(RESULTS)/asan.raw >/dev/null || rc=$$?; \
	sed 's/^\(not ok\|ok\) - unit\//\1 - asan\//' $(RESULTS)/asan.raw | grep -v '^# done' \
		>$(RESULTS)/asan.tap; rm -f $(RESULTS)/asan.raw; \
	if [ $$rc != 0 ]; then echo "not ok - asan: the unit runner exited $$rc under" \
		"ASan/UBSan (its report is above)" >>$(RESULTS)/asan.tap; fi; \
	echo "# done" >>$(RESULTS)/asan.tap; \
	grep '^not ok' $(RESULTS)/asan.tap || true; \
	echo "asan: $$(grep -c '^ok' $(RESULTS)/asan.tap) passed," \
		"$$(grep -c '^not ok' $(RESULTS)/asan.tap) failed"; \
	! grep -q '^not ok' $(RESULTS)/asan.tap

# The programs under ASan, except the two that must be static (the container's init and the
# escape suite's swapper: they run inside busybox roots without a C library, and ASan can't
# link statically): those are the normal build's, copied in. MR_STATIC= lets minirun-oci
# link dynamically there.
asan-test-host: all
	@tests/mirror.sh $(ASAN_DIR)
	@+$(ASAN_MAKE) MR_STATIC= $(filter-out $(CONTAINERS_INIT) $(SWAPPER),$(PROGS)) \
		minirun/minirun minirun/minirun-oci minirun/oci/test_console_recv \
		$(UNIONFS_TARTOOL)
	@for p in $(CONTAINERS_INIT) $(SWAPPER); do cp $$p $(ASAN_DIR)/$$p; done
	@mkdir -p $(ASAN_DIR)/build $(ASAN_DIR)/$(dir $(BUSYBOX_TAR)) $(RESULTS)
	@[ -e $(ASAN_DIR)/build/rootfs ] || ln -s $(CURDIR)/build/rootfs $(ASAN_DIR)/build/rootfs
	@ln -sf $(CURDIR)/$(BUSYBOX_TAR) $(ASAN_DIR)/$(BUSYBOX_TAR)
	@MR_TOP=$(CURDIR)/$(ASAN_DIR) tests/run-suites asan-host $(RESULTS)/asan-host.tap \
		$(ASAN_DIR)/tests/integration

.PHONY: asan-build-unit asan-test-unit asan-test-host

# A busybox root filesystem for the tests, the labs and ns/container: build/rootfs/busybox
ROOTFS := build/rootfs/busybox
$(ROOTFS): tests/rootfs.sh
	@mkdir -p build/rootfs
	@tests/rootfs.sh $@
rootfs: $(ROOTFS)
all: $(ROOTFS)
.PHONY: rootfs

# tests/containers/swapper: a static program the escape suite binds into busybox containers
# (tests/integration/containers/escape.t) to swap a directory and a symlink atomically
SWAPPER := tests/containers/swapper
$(SWAPPER): tests/containers/swapper.o
	$(CC) $(LDFLAGS) -static -o $@ $^
all: $(SWAPPER)
CLEAN += $(SWAPPER) tests/containers/swapper.o

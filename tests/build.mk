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

test-vm: all
	@mkdir -p $(RESULTS)
	@tests/vm/run $(RESULTS)/vm.tap

test-labs: all
	@mkdir -p $(RESULTS)
	@labs/lab test-all $(RESULTS)/labs.tap

vm: all
	@tests/vm/run --shell

# test-all: every tier, even after one fails, then the totals (non-zero on any failure)
test-all:
	@rm -rf $(RESULTS); mkdir -p $(RESULTS)
	-@$(MAKE) --no-print-directory test-unit
	-@$(MAKE) --no-print-directory test-host
	-@$(MAKE) --no-print-directory test-vm
	-@$(MAKE) --no-print-directory test-labs
	@tests/totals $(RESULTS) unit host vm labs

.PHONY: test-unit test-host test-vm test-labs test-all vm

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

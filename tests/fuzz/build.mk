# tests/fuzz/ - libFuzzer targets, one per parser (README.md here). They are built with
# clang in a mirror of the tree (build/fuzz, made by tests/mirror.sh), where every library
# is compiled with -fsanitize=fuzzer-no-link,address,undefined: the normal objects are
# never touched.
#
#   make fuzz          run every target FUZZ_S seconds (default 60), keep new corpus
#                      entries in tests/fuzz/corpus/TARGET/, crashes in tests/fuzz/crashes/
#   make fuzz FUZZ_TARGETS='spec ref'   only those (names without fuzz_)
#   make fuzz-smoke    replay every seed, corpus entry and saved crash once (a few
#                      seconds; a tier of `make test`: build/results/fuzz.tap)
#   make fuzz-build    just build them (build/fuzz/tests/fuzz/fuzz_NAME)
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_PROGS := $(addprefix tests/fuzz/fuzz_,$(FUZZ_NAMES))
FUZZ_S ?= 60
FUZZ_TARGETS ?= $(FUZZ_NAMES)
FUZZ_DIR := build/fuzz
# SAN_WNO: the clang warnings the sanitizer builds turn off (tests/build.mk)
FUZZ_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=undefined $(SAN_WNO)

# The link rule, used inside the mirror only: a target links its own object and every
# library archive (as a group, like the unit runner), with libFuzzer's main().
$(FUZZ_PROGS): %: %.o $(UNIT_LIBS)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< \
		-Wl,--start-group $(filter %.a,$^) -Wl,--end-group $(sort $(UNIT_LDLIBS))

fuzz-build:
	@tests/mirror.sh $(FUZZ_DIR)
	@$(MAKE) --no-print-directory -C $(FUZZ_DIR) CC=clang CFLAGS='$(FUZZ_CFLAGS)' \
		LDFLAGS='-fsanitize=address,undefined' $(FUZZ_PROGS)

fuzz: fuzz-build
	@FUZZ_S=$(FUZZ_S) tests/fuzz/run fuzz $(FUZZ_TARGETS)

fuzz-smoke: fuzz-build
	@mkdir -p $(RESULTS)
	@tests/fuzz/run smoke $(RESULTS)/fuzz.tap $(FUZZ_NAMES)

.PHONY: fuzz fuzz-build fuzz-smoke

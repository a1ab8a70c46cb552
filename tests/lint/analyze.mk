# tests/lint/analyze.mk - clang's static analyzer, one source file at a time, each file's
# findings kept in a file of its own so that the next run analyses only what changed. Run by
# tests/lint/analyze.sh (make lint, make analyze), not by hand:
#
#   make -f tests/lint/analyze.mk -j2 [ANALYZE_DIR=build/analyze]
#
# FILE.c's findings (the analyzer's stderr, "FILE:LINE:COL: warning: MESSAGE [CHECKER]"
# lines among them) go to ANALYZE_DIR/FILE.txt, remade when FILE.c, a header of the tree it
# includes (clang's -MMD list, ANALYZE_DIR/FILE.d) or this file changes: the same stamp per
# object that make's own build uses for the .o files. A file that does not compile stops the
# run with the compiler's message.
#
# The files: every C file of the libraries and programs, the ones `make all` compiles (not
# the unit tests: CUnit's CU_ASSERT does not stop a test, so every assert-then-use reads as
# a NULL dereference; not the fuzz targets, built by clang with libFuzzer's own flags).
#
# See: clang(1) --analyze, https://clang-analyzer.llvm.org/; tests/lint/analyze.sh.

ANALYZE_DIR ?= build/analyze
ANALYZE_SRCS := $(shell git ls-files '*.c' | grep -v -e '^tests/unit/' -e '^tests/fuzz/')
# the build's flags (Makefile's MR_CFLAGS and CFLAGS) but the warnings, which stay gcc's
ANALYZE_FLAGS := -std=gnu11 -D_GNU_SOURCE -I. -O2

all: $(ANALYZE_SRCS:%.c=$(ANALYZE_DIR)/%.txt)

# -o /dev/null: the analyzer writes no report file (its default, a .plist, is for IDEs);
# the findings come on stderr. Written under a temporary name, so that a run killed halfway
# leaves no stamp that would hide the file from the next run.
$(ANALYZE_DIR)/%.txt: %.c tests/lint/analyze.mk
	@mkdir -p $(@D)
	@clang --analyze $(ANALYZE_FLAGS) -MMD -MP -MF $(ANALYZE_DIR)/$*.d -MT $@ -o /dev/null \
		$< 2>$@.tmp || { cat $@.tmp >&2; rm -f $@.tmp; exit 1; }
	@mv $@.tmp $@

.PHONY: all
.DELETE_ON_ERROR:

-include $(wildcard $(ANALYZE_SRCS:%.c=$(ANALYZE_DIR)/%.d))

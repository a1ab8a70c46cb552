# lib/ - the helpers every directory shares: error objects, whole-file I/O, in-root opens, exec,
# sha256 of small buffers, signal names, Go durations.
LIBMR := lib/libmr.a
lib/libmr.a: lib/duration.o lib/err.o lib/file.o lib/inroot.o lib/proc.o lib/sha256.o lib/sig.o
MR_ARCHIVES += $(LIBMR)
lib: $(LIBMR)
.PHONY: lib

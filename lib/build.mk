# lib/ - the helpers every directory shares: error objects, whole-file I/O, exec.
LIBMR := lib/libmr.a
lib/libmr.a: lib/err.o lib/file.o lib/proc.o
MR_ARCHIVES += $(LIBMR)
lib: $(LIBMR)
.PHONY: lib

# lib/ - the helpers every directory shares: error objects, the verbs' --help and flag errors,
# whole-file I/O, in-root opens, exec, sha256 of small buffers, signal names, printable names.
LIBMR := lib/libmr.a
lib/libmr.a: lib/cli.o lib/err.o lib/file.o lib/inroot.o lib/printable.o lib/proc.o lib/sha256.o \
	lib/sig.o
MR_ARCHIVES += $(LIBMR)
lib: $(LIBMR)
.PHONY: lib

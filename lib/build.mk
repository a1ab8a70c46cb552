# lib/ - the helpers every directory shares: error objects, the verbs' --help and flag errors,
# whole-file I/O, in-root opens, exec, sha256 of small buffers, signal names, printable names,
# Go durations, helper threads, docker's --since/--until times, and the Go-template engine of
# the front end's --format (template*.c, over jansson: pulled only into the programs that
# call it).
LIBMR := lib/libmr.a
lib/libmr.a: lib/cli.o lib/duration.o lib/err.o lib/file.o lib/inroot.o lib/jsonfile.o lib/printable.o lib/prune_filter.o \
	lib/proc.o lib/sha256.o lib/sig.o lib/thread.o lib/timestamp.o lib/template.o lib/template_lex.o lib/template_parse.o \
	lib/template_funcs.o lib/template_printf.o lib/template_table.o
UNIT_LDLIBS += -ljansson
MR_ARCHIVES += $(LIBMR)
lib: $(LIBMR)
.PHONY: lib

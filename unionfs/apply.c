/*
 * unionfs/apply.c - apply one OCI layer tar to a directory.
 *
 * What `docker pull` does for each layer of an image, and what `tar -x` would do if it
 * knew about whiteouts and did not trust the archive: entries named ".wh.NAME" remove
 * NAME, ".wh..wh..opq" empties a directory of what lower layers put there, and no entry
 * may write outside DIR (no "..", no absolute path, nothing through a symlink). With -o
 * the whiteouts become overlayfs whiteouts instead, and DIR is a layer directory ready to
 * be a lowerdir. A failed apply leaves DIR as it was.
 *
 *	$ unionfs/apply base.tar.gz rootfs          # plain: the flattened root filesystem
 *	$ unionfs/apply -o top.tar layers/3         # overlay: c 0 0 whiteouts, opaque xattrs
 *
 * See: unionfs/layer_apply.c (how), https://github.com/opencontainers/image-spec/blob/main/layer.md
 * Build and run: `make unionfs && ./unionfs/apply -v LAYER.tar DIR` (as root: owners,
 * device nodes and overlay whiteouts need it).
 */
#include "lib/err.h"
#include "unionfs/layer.h"

#include <getopt.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: apply [-v] [-o] [-n] [-q] LAYER.tar DIR\n"
		"Apply a layer tar (plain, gzip or zstd; '-' for stdin) to DIR.\n"
		"\n"
		"  -o, --overlay     make overlay whiteouts (c 0 0, opaque xattr): DIR must not exist yet\n"
		"  -n, --no-owners   keep files owned by the caller (when not root)\n"
		"  -q, --quiet       print nothing on success\n"
		"  -v, --verbose     narrate each step on stderr\n"
		"  -h, --help        show this help\n"
		"\n"
		"DIR not existing: extracted to a temporary directory, renamed to DIR at the end.\n"
		"DIR existing: applied in place; on any error everything is put back.\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"overlay", no_argument, NULL, 'o'}, {"no-owners", no_argument, NULL, 'n'},
		{"quiet", no_argument, NULL, 'q'},   {"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},    {NULL, 0, NULL, 0},
	};
	struct layer_apply_opts o = {.mode = LAYER_PLAIN};
	int quiet = 0, c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":onqvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o.mode = LAYER_OVERLAY; break;
		case 'n': o.no_owners = 1; break;
		case 'q': quiet = 1; break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'apply -h'",
				argv[optind - 1]);
		}
	}
	if (argc - optind != 2)
		mr_diex(MR_EXIT_USAGE, "need LAYER.tar and DIR; see 'apply -h'");
	const char *layer = argv[optind], *dir = argv[optind + 1];

	struct mr_err err = {0};
	struct layer_stats st;
	mr_say("apply %s to %s (%s whiteouts)", layer, dir,
	       o.mode == LAYER_OVERLAY ? "overlay" : "plain");
	if (layer_apply(layer, dir, &o, &st, &err) < 0) {
		/* the library's words name no option of this program's; its -n does */
		if (err.errnum == EPERM && !o.no_owners) {
			size_t n = strlen(err.msg);
			snprintf(err.msg + n, sizeof(err.msg) - n,
				 "; -n (--no-owners) keeps the files yours");
		}
		mr_die_err(&err);
	}
	if (!quiet)
		printf("%s -> %s: %lu entries (%lu files, %lu dirs, %lu hard links, %lu whiteouts, %lu opaque), "
		       "%.1f MiB\n",
		       layer, dir, st.entries, st.files, st.dirs, st.links, st.whiteouts,
		       st.opaques, (double)st.bytes / (1 << 20));
	return 0;
}

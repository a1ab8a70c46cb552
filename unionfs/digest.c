/*
 * unionfs/digest.c - print a layer blob's digest and diffID.
 *
 * An image manifest lists each layer by the sha256 of the blob (its digest, usually of
 * the gzip-compressed tar); the image config lists the same layers by the sha256 of the
 * uncompressed tar (the diffID). Recompressing a layer changes the first, never the second.
 *
 *	$ unionfs/digest layer.tar.gz
 *	sha256:4f3c...  sha256:9a1b...  1048576  gzip  layer.tar.gz
 *
 * See: https://github.com/opencontainers/image-spec/blob/main/config.md#layer-diffid
 * Build and run: `make unionfs && ./unionfs/digest LAYER...`.
 */
#include "lib/err.h"
#include "unionfs/layer.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *out)
{
	fprintf(out, "usage: digest LAYER...\n"
		     "Print DIGEST DIFFID SIZE COMPRESSION NAME for each layer blob.\n"
		     "\n"
		     "  -h, --help   show this help\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	opterr = 0; /* we print our own one-line message */
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(stdout); return 0;
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'digest -h'",
				argv[optind - 1]);
		}
	}
	if (optind >= argc)
		mr_diex(MR_EXIT_USAGE, "need a LAYER; see 'digest -h'");
	for (int i = optind; i < argc; i++) {
		struct layer_digests d;
		struct mr_err err = {0};
		if (layer_digest(argv[i], &d, &err) < 0)
			mr_die_err(&err);
		printf("%s %s %llu %s %s\n", d.digest, d.diffid, d.size, d.compression, argv[i]);
	}
	return 0;
}

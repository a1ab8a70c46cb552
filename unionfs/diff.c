/*
 * unionfs/diff.c - turn an overlay upper directory into an OCI layer tar.
 *
 * The upper directory of a container holds what the container changed; this writes it
 * as the layer `docker commit` or a Dockerfile RUN step would: new and changed files as
 * they are, deleted files as ".wh.NAME", a directory deleted and made again as an opaque
 * directory ("DIR/.wh..wh..opq"). With -t the entries get a fixed mtime, so the same
 * change gives the same bytes and so the same digest, whenever and wherever it is made.
 *
 *	$ unionfs/diff -t 0 c/upper layer.tar
 *	sha256:ab12... sha256:ab12... 10240 none layer.tar
 *
 * See: unionfs/layer_diff.c, https://github.com/opencontainers/image-spec/blob/main/layer.md
 * Build and run: `make unionfs && ./unionfs/diff -v UPPER OUT.tar`.
 */
#include "lib/err.h"
#include "lib/file.h"
#include "unionfs/layer.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: diff [-v] [-z|-Z] [-t SECONDS] UPPER OUT.tar\n"
		"Write the overlay upper directory UPPER as a layer tar; print its digest and diffID.\n"
		"\n"
		"  -t, --mtime SECONDS   give every entry this mtime (reproducible digests)\n"
		"  -z, --gzip            compress with gzip (no timestamp in its header)\n"
		"  -Z, --zstd            compress with zstd\n"
		"  -v, --verbose         name each entry on stderr as it is written\n"
		"  -h, --help            show this help\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"mtime", required_argument, NULL, 't'}, {"gzip", no_argument, NULL, 'z'},
		{"zstd", no_argument, NULL, 'Z'},        {"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
	};
	struct layer_diff_opts o = {.mtime = -1};
	long long t;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":t:zZvh", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (mr_parse_ll(optarg, 0, 1LL << 40, &t) < 0)
				mr_diex(MR_EXIT_USAGE, "--mtime '%s': want seconds since 1970",
					optarg);
			o.mtime = t;
			break;
		case 'z': o.compression = LAYER_COMP_GZIP; break;
		case 'Z': o.compression = LAYER_COMP_ZSTD; break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			mr_diex(MR_EXIT_USAGE, "option '%s' needs an argument; see 'diff -h'",
				argv[optind - 1]);
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'diff -h'",
				argv[optind - 1]);
		}
	}
	if (argc - optind != 2)
		mr_diex(MR_EXIT_USAGE, "need UPPER and OUT.tar; see 'diff -h'");
	struct mr_err err = {0};
	struct layer_digests d;
	if (layer_diff(argv[optind], argv[optind + 1], &o, &d, &err) < 0)
		mr_die_err(&err);
	printf("%s %s %llu %s %s\n", d.digest, d.diffid, d.size, d.compression, argv[optind + 1]);
	return 0;
}

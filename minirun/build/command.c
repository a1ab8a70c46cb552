/*
 * minirun/build/command.c - the `minirun build` command line.
 *
 *   $ minirun build --print-parse Dockerfile
 *   (from "busybox")
 *   (env "GOPATH" "/go" "")
 *   (run "echo hi")
 *
 * --print-parse shows what the parser made of a Dockerfile, in BuildKit's notation
 * (dump.c), and builds nothing: the first thing to try when a line does not do what it
 * seems to say. A file the parser refuses is one line naming FILE:LINE and the reason in
 * docker's words, and exit status 1.
 *
 * See: build.h, dockerfile.h; docker-build(1)
 */
#include "minirun/build/build.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "lib/err.h"
#include "minirun/build/dockerfile.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage:  minirun build --print-parse FILE|-\n"
		"\n"
		"Build an image from a Dockerfile.\n"
		"\n"
		"Options:\n"
		"      --print-parse FILE   print the parse of FILE (\"-\": stdin) in BuildKit's\n"
		"                           notation, one line per instruction, and build nothing\n"
		"  -h, --help               print this help\n"
		"\n"
		"Building itself (-t, -f, --build-arg, --target, ...) is not written yet.\n");
}

static int print_parse(const char *file)
{
	struct dockerfile df = {0};
	struct mr_err err = {0};
	if (dockerfile_parse_file(file, &df, &err) < 0) {
		fprintf(stderr, "minirun: %s\n", err.msg);
		return 1;
	}
	for (size_t i = 0; i < df.nwarnings; i++)
		fprintf(stderr, "[WARNING]: %s\n", df.warnings[i]);
	int rc = dockerfile_dump(&df, stdout);
	if (rc < 0)
		fprintf(stderr, "minirun: write the parse: %s\n", strerror(errno));
	dockerfile_free(&df);
	return rc < 0 ? 1 : 0;
}

int build_main(int argc, char **argv, char **full)
{
	static const struct option opts[] = {
		{"print-parse", required_argument, NULL, 'P'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *parse_file = NULL;
	int c;
	(void)full;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'P': parse_file = optarg; break;
		case 'h': usage(stdout); return 0;
		default:
			fprintf(stderr, "minirun: see 'minirun build --help'\n");
			return MR_EXIT_USAGE;
		}
	}
	if (parse_file) {
		if (optind != argc) {
			fprintf(stderr, "minirun: build --print-parse takes one FILE and no "
					"context; see 'minirun build --help'\n");
			return MR_EXIT_USAGE;
		}
		return print_parse(parse_file);
	}
	fprintf(stderr, "minirun: build: building images is not written yet (only "
			"--print-parse FILE is); see 'minirun build --help'\n");
	return MR_EXIT_USAGE;
}

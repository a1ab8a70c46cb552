/*
 * minirun/build/command.c - the `minirun build` command line.
 *
 *   $ minirun build -t hello .
 *   #1 [internal] load build definition from ./Dockerfile
 *   ...
 *   #3 [2/2] RUN echo hi > /greeting
 *   #3 DONE 0.3s
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
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cli.h"
#include "lib/err.h"
#include "lib/file.h"
#include "minirun/build/dockerfile.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage:  minirun build [OPTIONS] CONTEXT|-\n"
		"        minirun build --print-parse FILE|-\n"
		"\n"
		"Build an image from a Dockerfile.\n"
		"\n"
		"Options:\n"
		"      --build-arg K[=V]    set a build-time variable (K alone: from the environment)\n"
		"  -f, --file FILE          the Dockerfile (default CONTEXT/Dockerfile)\n"
		"      --iidfile FILE       write the image ID to FILE\n"
		"      --label K=V          set a label on the image (more than once: several)\n"
		"      --network MODE       RUN's network: none (the default), host, or bridge\n"
		"                           (a container on the default bridge, as `run` makes it)\n"
		"      --no-cache           do not use the cache\n"
		"      --pull               pull each base image again, even when the store has it\n"
		"                           (a missing one is always pulled, as `minirun pull` does)\n"
		"  -o, --output SPEC        write the filesystem instead of storing an image:\n"
		"                           type=local,dest=DIR or type=tar,dest=FILE (FILE -:\n"
		"                           stdout); DIR alone is type=local, - alone a tar\n"
		"      --platform OS/ARCH   the target platform: only this machine's (no emulation)\n"
		"      --progress MODE      auto (default: tty when stderr is a terminal), plain\n"
		"                           (BuildKit's lines: #N ...), or tty (a redrawn view)\n"
		"      --print-parse FILE   print the parse of FILE (\"-\": stdin) in BuildKit's\n"
		"                           notation, one line per instruction, and build nothing\n"
		"  -q, --quiet              no progress; print the image ID\n"
		"  -t, --tag NAME[:TAG]     name the image (more than once: several names)\n"
		"      --target STAGE       build STAGE (and the stages it needs), not the last\n"
		"  -h, --help               print this help\n"
		"\n"
		"CONTEXT - reads a tar of the context, or a Dockerfile alone, from stdin.\n"
		"A FROM image the store lacks is pulled as `minirun pull` does.\n"
		"Not written yet: RUN --mount; --platform other than this machine's.\n");
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

/* a usage error in docker's words and status (docs/HACKING.md: 125, as docker's CLI) */
static int usage_error(const char *what)
{
	fprintf(stderr, "minirun: build: %s\nSee 'minirun build --help'.\n", what);
	return MR_EXIT_RUNTIME;
}

int build_main(int argc, char **argv, char **full)
{
	static const struct option opts[] = {
		{"print-parse", required_argument, NULL, 'P'},
		{"build-arg", required_argument, NULL, 'B'},
		{"file", required_argument, NULL, 'f'},
		{"iidfile", required_argument, NULL, 'I'},
		{"label", required_argument, NULL, 'L'},
		{"network", required_argument, NULL, 'N'},
		{"no-cache", no_argument, NULL, 'C'},
		{"pull", no_argument, NULL, 'U'},
		{"platform", required_argument, NULL, 'p'},
		{"progress", required_argument, NULL, 'R'},
		{"output", required_argument, NULL, 'o'},
		{"quiet", no_argument, NULL, 'q'},
		{"tag", required_argument, NULL, 't'},
		{"target", required_argument, NULL, 'T'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *parse_file = NULL, *iidfile = NULL;
	char *tags[argc + 1], *build_args[argc + 1], *labels[argc + 1];
	struct build_opts o = {.tags = tags, .build_args = build_args, .labels = labels};
	int c;
	(void)full;
	optind = 1;
	opterr = 0; /* mr_flag_error says it, in docker's words */
	while ((c = getopt_long(argc, argv, "+:f:o:qt:h", opts, NULL)) != -1) {
		switch (c) {
		case 'P': parse_file = optarg; break;
		case 'B': build_args[o.nbuild_args++] = optarg; break;
		case 'f': o.dockerfile = optarg; break;
		case 'I': iidfile = optarg; break;
		case 'L': labels[o.nlabels++] = optarg; break;
		case 'N':
			if (strcmp(optarg, "none") && strcmp(optarg, "host") &&
			    strcmp(optarg, "bridge"))
				return usage_error("--network takes none, host or bridge");
			o.network = optarg;
			break;
		case 'C': o.no_cache = true; break;
		case 'U': o.pull = true; break;
		case 'R':
			if (!strcmp(optarg, "auto"))
				o.progress = BUILD_PROGRESS_AUTO;
			else if (!strcmp(optarg, "plain"))
				o.progress = BUILD_PROGRESS_PLAIN;
			else if (!strcmp(optarg, "tty"))
				o.progress = BUILD_PROGRESS_TTY;
			else
				return usage_error("--progress takes auto, plain or tty");
			if (o.progress == BUILD_PROGRESS_TTY && !isatty(2))
				return usage_error("--progress tty: stderr is not a terminal (use "
						   "plain)");
			break;
		case 'p': {
			struct mr_err perr = {0};
			if (build_platform_check(optarg, &perr) < 0) {
				char msg[sizeof(perr.msg) + 16];
				snprintf(msg, sizeof(msg), "--platform %s", perr.msg);
				return usage_error(msg);
			}
			break;
		}
		case 'o': {
			struct mr_err oerr = {0};
			char type[16], dest[4096];
			if (build_output_spec(optarg, type, dest, &oerr) < 0)
				return usage_error(oerr.msg);
			o.output = optarg;
			break;
		}
		case 'q': o.quiet = true; break;
		case 't': tags[o.ntags++] = optarg; break;
		case 'T': o.target = optarg; break;
		case 'h': usage(stdout); return 0;
		default: return mr_flag_error(c, "build", argv);
		}
	}
	if (parse_file) {
		if (optind != argc) {
			return usage_error("--print-parse takes one FILE and no context");
		}
		return print_parse(parse_file);
	}
	if (argc - optind != 1) {
		fprintf(stderr,
			"minirun: build: \"build\" requires exactly 1 argument (the context)\n"
			"See 'minirun build --help'.\n");
		return MR_EXIT_OPERANDS; /* docker's CLI: 1 for an operand count */
	}
	o.context = argv[optind];
	struct stat sb;
	if (strcmp(o.context, "-") && (stat(o.context, &sb) < 0 || !S_ISDIR(sb.st_mode))) {
		fprintf(stderr,
			"minirun: build: unable to prepare context: path \"%s\" not found "
			"or not a directory\n",
			o.context);
		return 1;
	}
	char df[PATH_MAX];
	if (!o.dockerfile && strcmp(o.context, "-")) {
		snprintf(df, sizeof(df), "%s/Dockerfile", o.context);
		o.dockerfile = df;
	}
	char id[IMAGE_DIGEST_LEN + 1];
	struct mr_err err = {0};
	if (build_image(&o, id, &err) < 0) {
		fprintf(stderr, "minirun: %s\n", err.msg);
		return 1;
	}
	if (o.quiet && id[0])
		printf("%s\n", id);
	if (iidfile && id[0] && mr_write_file(iidfile, id, &err) < 0) {
		fprintf(stderr, "minirun: %s\n", err.msg);
		return 1;
	}
	return 0;
}

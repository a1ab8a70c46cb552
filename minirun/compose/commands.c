/*
 * minirun/compose/commands.c - `minirun compose`: the project's options, then a verb.
 *
 *   minirun compose [-f FILE]... [-p NAME] [--project-directory DIR] [--env-file FILE]...
 *                   [--profile NAME]... COMMAND [ARGS...]
 *
 *   $ minirun compose -f compose.yaml -f dev.yaml config --format json
 *   $ minirun compose config --services
 *
 * Each verb loads the project (compose_load: files, variables, merge, name, profiles) and
 * works on the typed model. The options are docker compose's, before the verb.
 *
 * See: compose.h; https://docs.docker.com/reference/cli/docker/compose/
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/cli.h"
#include "minirun/compose/compose.h"
#include "minirun/oci/runtime.h" /* MINIRUN_VERSION */

#define MAX_LIST 32

/* the project's options, as the verbs get them */
struct project_opts {
	const char *files[MAX_LIST], *env_files[MAX_LIST], *profiles[MAX_LIST];
	struct compose_options opt;
};

static int fail(const struct mr_err *err)
{
	fprintf(stderr, "minirun: %s\n", err->msg);
	return 1;
}

/* append V to LIST (at most MAX_LIST); -1 with a message when full */
static int add(const char **list, size_t *n, const char *v, const char *flag)
{
	if (*n == MAX_LIST) {
		fprintf(stderr, "minirun: compose: at most %d %s\n", MAX_LIST, flag);
		return -1;
	}
	list[(*n)++] = v;
	return 0;
}

/* -t SECONDS of down, stop and up: a number of seconds, or -1 after saying why */
static int parse_timeout(const char *verb, const char *arg)
{
	char *end;
	long t = strtol(arg, &end, 10);
	if (*end || end == arg || t < 0 || t > 1 << 30) {
		fprintf(stderr, "minirun: %s -t %s: not a number of seconds\n", verb, arg);
		return -1;
	}
	return (int)t;
}

/* what docker compose warns about, on stderr */
static void warn(const struct compose_project *p)
{
	for (size_t i = 0; i < p->warnings.n; i++)
		fprintf(stderr, "minirun: WARN: %s\n", p->warnings.v[i]);
}

static void config_usage(FILE *out)
{
	fprintf(out, "Usage:  minirun compose [OPTIONS] config [OPTIONS] [SERVICE...]\n\n"
		     "Print the project's model after merge and interpolation.\n\n"
		     "Options:\n"
		     "      --format FORMAT   yaml (default) or json\n"
		     "  -q, --quiet           only check the model; print nothing\n"
		     "      --services        print the services' names, one a line\n"
		     "      --volumes         print the volumes' names, one a line\n"
		     "      --profiles        print every profile the services name, one a line\n"
		     "  -o, --output FILE     write to FILE instead of the standard output\n");
}

static int cmd_config(struct project_opts *po, int argc, char **argv)
{
	static const struct option lo[] = {
		{"format", required_argument, 0, 'F'}, {"quiet", no_argument, 0, 'q'},
		{"services", no_argument, 0, 's'},     {"volumes", no_argument, 0, 'V'},
		{"profiles", no_argument, 0, 'P'},     {"output", required_argument, 0, 'o'},
		{"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
	const char *format = "yaml", *output = NULL;
	int quiet = 0, list = 0, o;
	optind = 1;
	opterr = 0; /* mr_flag_error says it */
	while ((o = getopt_long(argc, argv, "+:qo:h", lo, NULL)) != -1)
		switch (o) {
		case 'F': format = optarg; break;
		case 'q': quiet = 1; break;
		case 's':
		case 'V':
		case 'P': list = o; break;
		case 'o': output = optarg; break;
		case 'h': config_usage(stdout); return 0;
		default: return mr_flag_error(o, "compose config", argv);
		}
	if (strcmp(format, "yaml") && strcmp(format, "json")) {
		fprintf(stderr, "minirun: config --format %s: unsupported; use yaml or json\n",
			format);
		return MR_EXIT_USAGE;
	}
	po->opt.services = (const char *const *)argv + optind;
	po->opt.nservices = (size_t)(argc - optind);
	struct mr_err err = {0};
	struct compose_project *p = compose_load(&po->opt, &err);
	if (!p)
		return fail(&err);
	warn(p);
	FILE *out = output ? fopen(output, "w") : stdout;
	if (!out) {
		perror(output);
		compose_project_free(p);
		return 1;
	}
	if (quiet) {
	} else if (list == 's') {
		for (size_t i = 0; i < p->nservices; i++)
			fprintf(out, "%s\n", p->services[i].name);
	} else if (list == 'V') {
		for (size_t i = 0; i < p->nvolumes; i++)
			fprintf(out, "%s\n", p->volumes[i].key);
	} else if (list == 'P') {
		for (size_t i = 0; i < p->all_profiles.n; i++)
			fprintf(out, "%s\n", p->all_profiles.v[i]);
	} else {
		json_t *j = compose_to_json(p);
		compose_escape_dollars(j);
		if (!strcmp(format, "json")) {
			json_dumpf(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			fputc('\n', out);
		} else {
			compose_print_yaml(out, j);
		}
		json_decref(j);
	}
	if (output)
		fclose(out);
	compose_project_free(p);
	return 0;
}

/* load the project with the services named in ARGV[FIRST..]; NULL after printing why */
static struct compose_project *load(struct project_opts *po, int argc, char **argv, int first)
{
	po->opt.services = (const char *const *)argv + first;
	po->opt.nservices = (size_t)(argc - first);
	struct mr_err err = {0};
	struct compose_project *p = compose_load(&po->opt, &err);
	if (!p)
		fail(&err);
	else
		warn(p);
	return p;
}

static int cmd_build(struct project_opts *po, int argc, char **argv)
{
	static const struct option lo[] = {{"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
	int o;
	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "+:h", lo, NULL)) != -1)
		switch (o) {
		case 'h':
			printf("Usage:  minirun compose [OPTIONS] build [SERVICE...]\n\n"
			       "Build the image of each service with a build section, named by its\n"
			       "image key, else PROJECT-SERVICE.\n");
			return 0;
		default: return mr_flag_error(o, "compose build", argv);
		}
	struct compose_project *p = load(po, argc, argv, optind);
	struct mr_err err = {0};
	int rc = !p ? 1 : compose_build(p, &err) < 0 ? fail(&err) : 0;
	compose_project_free(p);
	return rc;
}

static void up_usage(FILE *out)
{
	fprintf(out,
		"Usage:  minirun compose [OPTIONS] up [OPTIONS] [SERVICE...]\n\n"
		"Create and start the project's containers; without -d, follow their output\n"
		"until they have all exited (Ctrl-C stops them, a second Ctrl-C kills them).\n\n"
		"Options:\n"
		"  -d, --detach                    run in the background\n"
		"      --build                     build images before starting containers\n"
		"      --no-build                  don't build an image, even if it's missing\n"
		"      --wait                      wait for services to be running|healthy "
		"(implies -d)\n"
		"      --force-recreate            recreate the containers even if unchanged\n"
		"      --no-recreate               keep existing containers even if changed\n"
		"      --no-deps                   don't start the services' dependencies\n"
		"      --scale SVC=N               N containers of SVC (overrides "
		"deploy.replicas)\n"
		"      --remove-orphans            remove containers of services no longer "
		"defined\n"
		"  -t, --timeout SECONDS           the stop timeout on Ctrl-C or an abort\n"
		"      --abort-on-container-exit   stop every container when one exits\n"
		"      --abort-on-container-failure  the same, when one exits non-zero\n"
		"      --exit-code-from SERVICE    exit with SERVICE's exit code (implies\n"
		"                                  --abort-on-container-exit)\n"
		"      --attach SERVICE            show only these services' output\n"
		"      --no-attach SERVICE         don't show this service's output\n"
		"      --no-color                  no colours in the output\n");
}

/* up's options that are lists (--attach, --no-attach) */
struct up_lists {
	const char *attach[MAX_LIST], *no_attach[MAX_LIST];
};

static int cmd_up(struct project_opts *po, int argc, char **argv)
{
	static const struct option lo[] = {{"detach", no_argument, 0, 'd'},
					   {"force-recreate", no_argument, 0, 'F'},
					   {"no-recreate", no_argument, 0, 'N'},
					   {"scale", required_argument, 0, 'S'},
					   {"remove-orphans", no_argument, 0, 'O'},
					   {"build", no_argument, 0, 'B'},
					   {"no-build", no_argument, 0, 'n'},
					   {"wait", no_argument, 0, 'W'},
					   {"no-deps", no_argument, 0, 'D'},
					   {"timeout", required_argument, 0, 't'},
					   {"abort-on-container-exit", no_argument, 0, 'A'},
					   {"abort-on-container-failure", no_argument, 0, 'a'},
					   {"exit-code-from", required_argument, 0, 'x'},
					   {"attach", required_argument, 0, 'T'},
					   {"no-attach", required_argument, 0, 'U'},
					   {"no-color", no_argument, 0, 'C'},
					   {"help", no_argument, 0, 'h'},
					   {0, 0, 0, 0}};
	int detach = 0, o;
	struct compose_up_opts uo = {.recreate = COMPOSE_RECREATE_CHANGED};
	struct compose_attach_opts ao = {.timeout = -1, .colour = isatty(1)};
	struct up_lists ul = {0};
	struct compose_arena scratch = {0}; /* the --scale values */
	char *eq, *end;
	clock_gettime(CLOCK_REALTIME, &ao.since); /* the output shown starts here */
	ao.attach = ul.attach;
	ao.no_attach = ul.no_attach;
	optind = 1;
	opterr = 0; /* mr_flag_error says it */
	while ((o = getopt_long(argc, argv, "+:dt:h", lo, NULL)) != -1) {
		int rc = 0;
		switch (o) {
		case 'd': detach = 1; break;
		case 'F': uo.recreate = COMPOSE_RECREATE_FORCE; break;
		case 'O': uo.remove_orphans = 1; break;
		case 'N': uo.recreate = COMPOSE_RECREATE_NEVER; break;
		case 'B': uo.build = 1; break;
		case 'n': uo.no_build = 1; break;
		case 'W': uo.wait = detach = 1; break;
		case 'D': uo.no_deps = 1; break;
		case 'A': ao.on_exit = COMPOSE_EXIT_ABORT; break;
		case 'a': ao.on_exit = COMPOSE_EXIT_ABORT_FAILURE; break;
		case 'x':
			ao.exit_code_from = optarg;
			ao.on_exit = COMPOSE_EXIT_ABORT;
			break;
		case 'T': rc = add(ul.attach, &ao.nattach, optarg, "--attach"); break;
		case 'U': rc = add(ul.no_attach, &ao.nno_attach, optarg, "--no-attach"); break;
		case 'C': ao.colour = 0; break;
		case 't': rc = (ao.timeout = parse_timeout("compose up", optarg)); break;
		case 'S':
			eq = strchr(optarg, '=');
			if (!eq || eq == optarg || strtol(eq + 1, &end, 10) < 0 || *end ||
			    end == eq + 1) {
				fprintf(stderr, "minirun: --scale %s: give SERVICE=NUMBER\n",
					optarg);
				rc = -1;
				break;
			}
			*eq = '\0';
			compose_kv_set(&scratch, &uo.scale, optarg, eq + 1);
			*eq = '=';
			break;
		case 'h':
			compose_arena_free(&scratch);
			up_usage(stdout);
			return 0;
		default: compose_arena_free(&scratch); return mr_flag_error(o, "compose up", argv);
		}
		if (rc < 0) {
			compose_arena_free(&scratch);
			return MR_EXIT_USAGE;
		}
	}
	const char *clash = uo.build && uo.no_build       ? "--build and --no-build"
			    : detach && ao.exit_code_from ? "--exit-code-from and --detach"
			    : detach && ao.on_exit        ? "--abort-on-container-exit and --detach"
							  : NULL;
	if (clash) {
		compose_arena_free(&scratch);
		fprintf(stderr, "minirun: compose up: %s are incompatible\n", clash);
		return MR_EXIT_USAGE;
	}
	uo.all_services = optind == argc;
	ao.services = uo.services = (const char *const *)argv + optind;
	ao.nservices = uo.nservices = (size_t)(argc - optind);
	struct compose_project *p = load(po, argc, argv, optind);
	struct mr_err err = {0};
	/* the services the attach flags name, checked before anything is made */
	const char *bad = NULL, *flag = NULL;
	for (size_t i = 0; p && !bad && i < ao.nattach + ao.nno_attach + 1; i++) {
		const char *svc = i < ao.nattach                   ? ao.attach[i]
				  : i < ao.nattach + ao.nno_attach ? ao.no_attach[i - ao.nattach]
								   : ao.exit_code_from;
		flag = i < ao.nattach                   ? "--attach"
		       : i < ao.nattach + ao.nno_attach ? "--no-attach"
							: "--exit-code-from";
		if (svc && !compose_service_find(p, svc))
			bad = svc;
	}
	if (bad) {
		fprintf(stderr, "minirun: compose up %s %s: no such service\n", flag, bad);
		compose_project_free(p);
		compose_arena_free(&scratch);
		return 1;
	}
	int rc = !p ? 1 : compose_up(p, &uo, &err) < 0 ? fail(&err) : 0;
	if (rc == 0 && !detach)
		rc = compose_attach(p, &ao);
	compose_project_free(p);
	compose_arena_free(&scratch);
	return rc;
}

static void down_usage(FILE *out)
{
	fprintf(out, "Usage:  minirun compose [OPTIONS] down [OPTIONS]\n\n"
		     "Stop and remove the project's containers and networks.\n\n"
		     "Options:\n"
		     "  -v, --volumes          also remove the named volumes and anonymous ones\n"
		     "  -t, --timeout SECONDS  the stop timeout (default: each container's, 10)\n"
		     "      --remove-orphans   also remove containers of services no longer "
		     "defined\n"
		     "      --rmi local|all    also remove the images built for services without "
		     "image: (local),\n"
		     "                         or every service's image (all)\n");
}

static int cmd_down(struct project_opts *po, int argc, char **argv)
{
	static const struct option lo[] = {
		{"volumes", no_argument, 0, 'v'},        {"timeout", required_argument, 0, 't'},
		{"remove-orphans", no_argument, 0, 'O'}, {"rmi", required_argument, 0, 'R'},
		{"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
	int volumes = 0, orphans = 0, timeout = -1, rmi = -1, o;
	optind = 1;
	opterr = 0; /* mr_flag_error says it */
	while ((o = getopt_long(argc, argv, "+:vt:h", lo, NULL)) != -1)
		switch (o) {
		case 'v': volumes = 1; break;
		case 'O': orphans = 1; break;
		case 'R':
			if (strcmp(optarg, "local") && strcmp(optarg, "all")) {
				fprintf(stderr,
					"minirun: compose down --rmi %s: give local (the images "
					"built for services without image:) or all\n",
					optarg);
				return MR_EXIT_USAGE;
			}
			rmi = !strcmp(optarg, "all");
			break;
		case 't':
			if ((timeout = parse_timeout("compose down", optarg)) < 0)
				return MR_EXIT_USAGE;
			break;
		case 'h': down_usage(stdout); return 0;
		default: return mr_flag_error(o, "compose down", argv);
		}
	if (optind < argc) {
		down_usage(stderr);
		return MR_EXIT_OPERANDS; /* an operand count: 1, as docker compose's cobra Args */
	}
	/* every service, whatever the profiles: down removes what any up made */
	po->opt.profiles = (const char *const[]){"*"};
	po->opt.nprofiles = 1;
	struct compose_project *p = load(po, argc, argv, optind);
	if (!p)
		return 1;
	struct mr_err err = {0};
	int rc = compose_down(p, timeout, volumes, orphans, &err) < 0 ? fail(&err) : 0;
	if (rc == 0 && rmi >= 0 && compose_remove_images(p, rmi) < 0)
		rc = 1;
	compose_project_free(p);
	return rc;
}

static int cmd_stop(struct project_opts *po, int argc, char **argv)
{
	static const struct option lo[] = {{"timeout", required_argument, 0, 't'},
					   {"help", no_argument, 0, 'h'},
					   {0, 0, 0, 0}};
	struct compose_stop_opts so = {.timeout = -1};
	int o;
	optind = 1;
	opterr = 0; /* mr_flag_error says it */
	while ((o = getopt_long(argc, argv, "+:t:h", lo, NULL)) != -1)
		switch (o) {
		case 't':
			if ((so.timeout = parse_timeout("compose stop", optarg)) < 0)
				return MR_EXIT_USAGE;
			break;
		case 'h':
			printf("Usage:  minirun compose [OPTIONS] stop [-t SECONDS] [SERVICE...]\n\n"
			       "Stop the services' containers, dependents first; the containers of "
			       "one\ndependency level at once.\n\n"
			       "Options:\n"
			       "  -t, --timeout SECONDS  the stop timeout (default: each container's, "
			       "10)\n");
			return 0;
		default: return mr_flag_error(o, "compose stop", argv);
		}
	po->opt.profiles = (const char *const[]){"*"};
	po->opt.nprofiles = 1;
	struct compose_project *p = load(po, argc, argv, argc);
	if (!p)
		return 1;
	for (int i = optind; i < argc; i++)
		if (!compose_service_find(p, argv[i])) {
			fprintf(stderr, "minirun: no such service: %s\n", argv[i]);
			compose_project_free(p);
			return 1;
		}
	struct mr_err err = {0};
	int rc = compose_stop(p, (const char *const *)argv + optind, (size_t)(argc - optind), &so,
			      &err) < 0
			 ? fail(&err)
			 : 0;
	compose_project_free(p);
	return rc;
}

static int cmd_ps(struct project_opts *po, int argc, char **argv)
{
	static const struct option lo[] = {
		{"all", no_argument, 0, 'a'},      {"quiet", no_argument, 0, 'q'},
		{"services", no_argument, 0, 's'}, {"format", required_argument, 0, 'F'},
		{"help", no_argument, 0, 'h'},     {0, 0, 0, 0}};
	int all = 0, quiet = 0, services = 0, json = 0, o;
	optind = 1;
	opterr = 0; /* mr_flag_error says it */
	while ((o = getopt_long(argc, argv, "+:aqh", lo, NULL)) != -1)
		switch (o) {
		case 'a': all = 1; break;
		case 'q': quiet = 1; break;
		case 's': services = 1; break;
		case 'F':
			if (strcmp(optarg, "table") && strcmp(optarg, "json")) {
				fprintf(stderr,
					"minirun: compose ps --format %s: unsupported; use table or "
					"json\n",
					optarg);
				return MR_EXIT_USAGE;
			}
			json = !strcmp(optarg, "json");
			break;
		case 'h':
			printf("Usage:  minirun compose [OPTIONS] ps [OPTIONS]\n\n"
			       "List the project's containers.\n\n"
			       "Options:\n"
			       "  -a, --all             stopped containers too\n"
			       "  -q, --quiet           only the IDs\n"
			       "      --services        only the services' names\n"
			       "      --format FORMAT   table (default) or json (one object a "
			       "line)\n");
			return 0;
		default: return mr_flag_error(o, "compose ps", argv);
		}
	po->opt.profiles = (const char *const[]){"*"};
	po->opt.nprofiles = 1;
	struct compose_project *p = load(po, argc, argv, argc);
	if (!p)
		return 1;
	struct mr_err err = {0};
	int rc = compose_ps(p, all, quiet, services, json, stdout, &err) < 0 ? fail(&err) : 0;
	compose_project_free(p);
	return rc;
}

/* the verbs over the project's containers (verbs.c), every service whatever its profile */
static int over_containers(struct project_opts *po, int argc, char **argv,
			   int (*fn)(struct compose_project *, int, char **))
{
	po->opt.profiles = (const char *const[]){"*"};
	po->opt.nprofiles = 1;
	struct compose_project *p = load(po, argc, argv, argc);
	if (!p)
		return 1;
	int rc = fn(p, argc, argv);
	compose_project_free(p);
	return rc;
}

static int cmd_passthrough(struct project_opts *po, int argc, char **argv)
{
	return over_containers(po, argc, argv, compose_passthrough);
}

static int cmd_exec(struct project_opts *po, int argc, char **argv)
{
	return over_containers(po, argc, argv, compose_exec);
}

static int cmd_logs(struct project_opts *po, int argc, char **argv)
{
	return over_containers(po, argc, argv, compose_logs);
}

static int cmd_port(struct project_opts *po, int argc, char **argv)
{
	return over_containers(po, argc, argv, compose_port);
}

/* FLAG refused in docker's words, for the verbs that parse without getopt */
static int unknown_flag(const char *verb, const char *flag)
{
	fprintf(stderr, "minirun: unknown flag: %s\nSee 'minirun compose %s --help'.\n", flag,
		verb);
	return MR_EXIT_RUNTIME;
}

/* the verbs over the services' images: their flags are refused, but --help */
static int over_images(struct project_opts *po, int argc, char **argv,
		       int (*fn)(struct compose_project *, int, char **), const char *usage)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("Usage:  minirun compose [OPTIONS] %s\n", usage);
			return 0;
		}
		if (argv[i][0] == '-' && strcmp(argv[0], "images"))
			return unknown_flag(argv[0], argv[i]);
	}
	po->opt.profiles = (const char *const[]){"*"};
	po->opt.nprofiles = 1;
	struct compose_project *p = load(po, argc, argv, argc);
	if (!p)
		return 1;
	int rc = fn(p, argc, argv);
	compose_project_free(p);
	return rc;
}

static int cmd_pull(struct project_opts *po, int argc, char **argv)
{
	return over_images(po, argc, argv, compose_pull_images,
			   "pull [SERVICE...]\n\nPull the image of each service with image:.");
}

static int cmd_push(struct project_opts *po, int argc, char **argv)
{
	return over_images(po, argc, argv, compose_push_images,
			   "push [SERVICE...]\n\nPush the image of each service with image: to "
			   "its registry.");
}

static int cmd_images(struct project_opts *po, int argc, char **argv)
{
	return over_images(po, argc, argv, compose_images,
			   "images [-q] [SERVICE...]\n\nThe image of each of the project's "
			   "containers (-q: their IDs).");
}

/* version needs no project: minirun's own, which `compose` is part of */
static int cmd_version(struct project_opts *po, int argc, char **argv)
{
	(void)po;
	int shrt = argc == 2 && !strcmp(argv[1], "--short");
	if (argc > 1 && !shrt) {
		if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
			printf("Usage:  minirun compose version [--short]\n");
			return 0;
		}
		return unknown_flag("version", argv[1]);
	}
	printf(shrt ? "%s\n" : "minirun compose version %s\n", MINIRUN_VERSION);
	return 0;
}

static int cmd_run(struct project_opts *po, int argc, char **argv)
{
	static const struct option lo[] = {
		{"rm", no_argument, 0, 'r'},        {"no-deps", no_argument, 0, 'N'},
		{"env", required_argument, 0, 'e'}, {"no-TTY", no_argument, 0, 'T'},
		{"help", no_argument, 0, 'h'},      {0, 0, 0, 0}};
	struct compose_run_opts ro = {.tty = isatty(0)};
	const char *env[MAX_LIST];
	int o;
	optind = 1;
	opterr = 0; /* mr_flag_error says it */
	while ((o = getopt_long(argc, argv, "+:e:Th", lo, NULL)) != -1)
		switch (o) {
		case 'r': ro.rm = 1; break;
		case 'N': ro.no_deps = 1; break;
		case 'T': ro.tty = 0; break;
		case 'e':
			if (add(env, &ro.nenv, optarg, "-e") < 0)
				return MR_EXIT_USAGE;
			break;
		case 'h':
			printf("Usage:  minirun compose run [--rm] [--no-deps] [-T] [-e K=V] "
			       "SERVICE [COMMAND [ARG...]]\n");
			return 0;
		default: return mr_flag_error(o, "compose run", argv);
		}
	if (optind >= argc) {
		fprintf(stderr, "minirun: compose run needs a SERVICE\n");
		return MR_EXIT_OPERANDS;
	}
	ro.env = env;
	if (optind + 1 < argc) {
		ro.cmd = argv + optind + 1;
		ro.ncmd = (size_t)(argc - optind - 1);
	}
	const char *service = argv[optind];
	struct compose_project *p = load(po, optind + 1, argv, optind);
	if (!p)
		return 1;
	struct mr_err err = {0};
	int rc = compose_run(p, service, &ro, &err);
	if (rc < 0)
		rc = fail(&err);
	compose_project_free(p);
	return rc;
}

/* ls needs no project: it reads the labels of every container of the store */
static int cmd_ls(struct project_opts *po, int argc, char **argv)
{
	(void)po;
	int all = 0, quiet = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-a") || !strcmp(argv[i], "--all"))
			all = 1;
		else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = 1;
		else {
			fprintf(stderr, "Usage:  minirun compose ls [-a] [-q]\n");
			return MR_EXIT_USAGE;
		}
	}
	struct mr_err err = {0};
	return compose_ls(all, quiet, stdout, &err) < 0 ? fail(&err) : 0;
}

static const struct {
	const char *name;
	int (*fn)(struct project_opts *po, int argc, char **argv);
	const char *help;
} verbs[] = {
	{"config", cmd_config, "print the project's model after merge and interpolation"},
	{"up", cmd_up, "create and start the services' containers, and follow them (-d: not)"},
	{"build", cmd_build, "build the images of the services with a build section"},
	{"ps", cmd_ps, "list the project's containers"},
	{"down", cmd_down, "stop and remove the containers and networks (-v: volumes)"},
	{"logs", cmd_logs, "the containers' logs, each line behind its name (-f, --tail N)"},
	{"exec", cmd_exec, "run a command in a service's container (-T: no terminal)"},
	{"run", cmd_run, "a one-off container of a service, in the foreground (--rm)"},
	{"start", cmd_passthrough, "start the services' stopped containers"},
	{"stop", cmd_stop, "stop the services' containers (-t SECONDS)"},
	{"restart", cmd_passthrough, "restart the services' containers"},
	{"kill", cmd_passthrough, "send a signal to the services' containers (-s SIGNAL)"},
	{"pause", cmd_passthrough, "pause the services' containers"},
	{"unpause", cmd_passthrough, "unpause the services' containers"},
	{"rm", cmd_passthrough, "remove the services' stopped containers (-f: running too)"},
	{"top", cmd_passthrough, "the processes of each container"},
	{"port", cmd_port, "where a service's port is published"},
	{"pull", cmd_pull, "pull the services' images"},
	{"push", cmd_push, "push the services' images to their registries"},
	{"images", cmd_images, "the images of the project's containers"},
	{"version", cmd_version, "minirun compose's version"},
	{"ls", cmd_ls, "the projects of the store's containers (-a: stopped too)"},
};

static void usage(FILE *out)
{
	fprintf(out, "Usage:  minirun compose [OPTIONS] COMMAND [ARGS...]\n\n"
		     "Options:\n"
		     "  -f, --file FILE             a compose file (several: merged in order)\n"
		     "  -p, --project-name NAME     the project's name\n"
		     "      --project-directory DIR the directory relative paths start from\n"
		     "      --env-file FILE         variables for interpolation (instead of .env)\n"
		     "      --profile NAME          a profile to enable (several allowed)\n\n"
		     "Commands:\n");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(out, "  %-10s %s\n", verbs[i].name, verbs[i].help);
}

int compose_main(int argc, char **argv)
{
	static const struct option lo[] = {{"file", required_argument, 0, 'f'},
					   {"project-name", required_argument, 0, 'p'},
					   {"project-directory", required_argument, 0, 'D'},
					   {"env-file", required_argument, 0, 'E'},
					   {"profile", required_argument, 0, 'P'},
					   {"help", no_argument, 0, 'h'},
					   {0, 0, 0, 0}};
	struct project_opts po = {0};
	po.opt.files = po.files;
	po.opt.env_files = po.env_files;
	po.opt.profiles = po.profiles;
	int o;
	optind = 1;
	opterr = 0; /* mr_flag_error says it */
	while ((o = getopt_long(argc, argv, "+:f:p:h", lo, NULL)) != -1) {
		int rc = 0;
		switch (o) {
		case 'f': rc = add(po.files, &po.opt.nfiles, optarg, "-f"); break;
		case 'p': po.opt.project_name = optarg; break;
		case 'D': po.opt.project_directory = optarg; break;
		case 'E': rc = add(po.env_files, &po.opt.nenv_files, optarg, "--env-file"); break;
		case 'P': rc = add(po.profiles, &po.opt.nprofiles, optarg, "--profile"); break;
		case 'h': usage(stdout); return 0;
		default: return mr_flag_error(o, "compose", argv);
		}
		if (rc < 0)
			return MR_EXIT_USAGE;
	}
	if (optind >= argc) {
		usage(stderr);
		return MR_EXIT_USAGE;
	}
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(argv[optind], verbs[i].name))
			return verbs[i].fn(&po, argc - optind, argv + optind);
	fprintf(stderr,
		"minirun: '%s' is not a 'minirun compose' command; see 'minirun compose "
		"--help'\n",
		argv[optind]);
	return MR_EXIT_USAGE;
}

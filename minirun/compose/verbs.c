/*
 * minirun/compose/verbs.c - the compose verbs that are a container verb over the project's
 * containers: start, stop, restart, kill, pause, unpause, rm, top, exec and logs.
 *
 *	minirun compose stop -t 5 web      = minirun stop -t 5 PROJECT-web-1 [PROJECT-web-2 ...]
 *	minirun compose exec db sh         = minirun exec -it PROJECT-db-1 sh
 *	minirun compose logs -f            = minirun logs -f C, for each container C at once,
 *	                                     each line prefixed "C  | " (in a colour of its own
 *	                                     on a terminal), interleaved as they come
 *
 * The containers are found in the store by their labels (compose_containers), in
 * dependency order; stop, kill and rm go the other way (dependents first), as `down` does.
 *
 * See: https://docs.docker.com/reference/cli/docker/compose/
 */
#include "minirun/compose/compose.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "minirun/containers/containers.h"

/* the front end's verb NAME, from its three tables */
static const struct mr_command *container_verb(const char *name)
{
	static const struct mr_command *const tables[] = {container_commands, container_io_commands,
							  container_info_commands};
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct mr_command *c = tables[t]; c->name; c++)
			if (!strcmp(c->name, name))
				return c;
	return NULL;
}

static const struct {
	const char *verb;
	int reverse;              /* dependents first */
	int one_each;             /* the container verb takes one container (top) */
	const char *const *takes; /* the flags that take a value */
} passthrough[] = {
	{"start", 0, 0, (const char *const[]){NULL}},
	{"stop", 1, 0, (const char *const[]){"-t", "--timeout", "-s", "--signal", NULL}},
	{"restart", 0, 0, (const char *const[]){"-t", "--timeout", "-s", "--signal", NULL}},
	{"kill", 1, 0, (const char *const[]){"-s", "--signal", NULL}},
	{"pause", 0, 0, (const char *const[]){NULL}},
	{"unpause", 0, 0, (const char *const[]){NULL}},
	{"rm", 1, 0, (const char *const[]){NULL}},
	{"top", 0, 1, (const char *const[]){NULL}},
};

static int takes_value(const char *const *takes, const char *flag)
{
	for (; *takes; takes++)
		if (!strcmp(*takes, flag))
			return 1;
	return 0;
}

int compose_passthrough(struct compose_project *p, int argc, char **argv)
{
	size_t k = 0;
	while (strcmp(passthrough[k].verb, argv[0]))
		k++;
	struct compose_arena *a = &p->arena;
	/* argv: the verb's options go through, the other words are services */
	struct compose_strv opts = {0}, services = {0}, names;
	for (int i = 1; i < argc; i++) {
		struct compose_strv *to = argv[i][0] == '-' ? &opts : &services;
		*(char **)compose_push(a, &to->v, &to->n, sizeof(char *)) = argv[i];
		if (to == &opts && takes_value(passthrough[k].takes, argv[i]) && i + 1 < argc)
			*(char **)compose_push(a, &opts.v, &opts.n, sizeof(char *)) = argv[++i];
	}
	for (size_t i = 0; i < services.n; i++)
		if (!compose_service_find(p, services.v[i])) {
			fprintf(stderr, "minirun: no such service: %s\n", services.v[i]);
			return 1;
		}
	struct mr_err err = {0};
	if (compose_containers(p, (const char *const *)services.v, services.n, &names, &err) < 0) {
		fprintf(stderr, "minirun: %s\n", err.msg);
		return 1;
	}
	const struct mr_command *verb = container_verb(argv[0]);
	if (!verb || !names.n)
		return 0; /* nothing of the project: nothing to do, as docker compose */
	if (passthrough[k].reverse)
		for (size_t i = 0; i < names.n / 2; i++) {
			char *t = names.v[i];
			names.v[i] = names.v[names.n - 1 - i];
			names.v[names.n - 1 - i] = t;
		}
	int rc = 0;
	for (size_t first = 0; first < names.n;) {
		size_t count = passthrough[k].one_each ? 1 : names.n;
		char **v = compose_alloc(a, (opts.n + count + 2) * sizeof(char *));
		size_t n = 0;
		v[n++] = argv[0];
		for (size_t i = 0; i < opts.n; i++)
			v[n++] = opts.v[i];
		for (size_t i = 0; i < count; i++)
			v[n++] = names.v[first + i];
		if (passthrough[k].one_each) {
			printf("%s\n", names.v[first]);
			fflush(stdout);
		}
		if (mr_verbose) {
			fprintf(stderr, "=> minirun");
			for (size_t i = 0; i < n; i++)
				fprintf(stderr, " %s", v[i]);
			fputc('\n', stderr);
		}
		optind = 1;
		int r = verb->fn((int)n, v);
		rc = rc ? rc : r;
		first += count;
	}
	return rc;
}

/* ---- exec ----------------------------------------------------------------------------- */

int compose_exec(struct compose_project *p, int argc, char **argv)
{
	static const char *const takes[] = {"-e", "--env", "-u", "--user", "-w", "--workdir", NULL};
	struct compose_arena *a = &p->arena;
	char **v = compose_alloc(a, ((size_t)argc + 4) * sizeof(char *));
	size_t n = 0;
	int i = 1, tty = isatty(0), detach = 0;
	long index = 1;
	v[n++] = "exec";
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-T") || !strcmp(argv[i], "--no-TTY")) {
			tty = 0;
		} else if (!strcmp(argv[i], "--index") && i + 1 < argc) {
			index = strtol(argv[++i], NULL, 10);
		} else {
			detach |= !strcmp(argv[i], "-d") || !strcmp(argv[i], "--detach");
			v[n++] = argv[i];
			if (takes_value(takes, argv[i]) && i + 1 < argc)
				v[n++] = argv[++i];
		}
	}
	if (i + 1 >= argc) {
		fprintf(stderr, "Usage:  minirun compose exec [-T] [-d] [-e K=V] [-u USER] "
				"[-w DIR] [--index N] SERVICE COMMAND [ARG...]\n");
		return MR_EXIT_USAGE;
	}
	const struct compose_service *s = compose_service_find(p, argv[i]);
	if (!s) {
		fprintf(stderr, "minirun: no such service: %s\n", argv[i]);
		return 1;
	}
	if (!detach) /* docker compose exec: stdin always, a terminal unless -T */
		v[n++] = tty ? "-it" : "-i";
	struct compose_strv names;
	struct mr_err err = {0};
	const char *one = argv[i];
	if (compose_containers(p, &one, 1, &names, &err) < 0) {
		fprintf(stderr, "minirun: %s\n", err.msg);
		return 1;
	}
	if (index < 1 || (size_t)index > names.n) {
		fprintf(stderr, "minirun: service \"%s\" is not running container #%ld\n", s->name,
			index);
		return 1;
	}
	v[n++] = names.v[index - 1];
	for (i++; i < argc; i++)
		v[n++] = argv[i];
	v[n] = NULL;
	optind = 1;
	return container_verb("exec")->fn((int)n, v);
}

/* ---- port ------------------------------------------------------------------------------- */

int compose_port(struct compose_project *p, int argc, char **argv)
{
	long index = 1;
	const char *proto = "tcp";
	int i = 1;
	for (; i + 1 < argc && argv[i][0] == '-'; i += 2)
		if (!strcmp(argv[i], "--index"))
			index = strtol(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--protocol"))
			proto = argv[i + 1];
		else
			break;
	if (argc - i != 2) {
		fprintf(stderr, "Usage:  minirun compose port [--index N] [--protocol tcp|udp] "
				"SERVICE PRIVATE_PORT\n");
		return MR_EXIT_USAGE;
	}
	struct compose_strv names;
	struct mr_err err = {0};
	const char *one = argv[i];
	if (!compose_service_find(p, one)) {
		fprintf(stderr, "minirun: no such service: %s\n", one);
		return 1;
	}
	if (compose_containers(p, &one, 1, &names, &err) < 0 || index < 1 ||
	    (size_t)index > names.n) {
		fprintf(stderr, "minirun: %s\n",
			err.msg[0] ? err.msg : "the service has no such container");
		return 1;
	}
	char *v[] = {"port", names.v[index - 1],
		     compose_printf(&p->arena, "%s/%s", argv[i + 1], proto), NULL};
	optind = 1;
	return container_verb("port")->fn(3, v);
}

/* ---- logs ------------------------------------------------------------------------------- */

int compose_log_relay(char **opts, size_t nopts, const char *name, const char *prefix)
{
	int fds[2];
	if (pipe(fds) < 0)
		return 1;
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* a relay that dies takes its reader along */
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		char **v = calloc(nopts + 3, sizeof(char *));
		if (!v)
			_exit(1);
		size_t n = 0;
		v[n++] = "logs";
		for (size_t i = 0; i < nopts; i++)
			v[n++] = opts[i];
		v[n++] = (char *)name;
		optind = 1;
		int rc = container_verb("logs")->fn((int)n, v);
		fflush(stdout);
		_exit(rc);
	}
	close(fds[1]);
	FILE *in = fdopen(fds[0], "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	while (in && (len = getline(&line, &cap, in)) > 0) {
		char *out = NULL;
		int olen = asprintf(&out, "%s%.*s\n", prefix, (int)(len - (line[len - 1] == '\n')),
				    line);
		if (olen > 0 && write(1, out, (size_t)olen) < 0)
			break;
		free(out);
	}
	free(line);
	if (in)
		fclose(in);
	int status = 0;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

char *compose_log_prefix(struct compose_arena *a, const char *name, size_t i, size_t width,
			 int colour)
{
	static const int colours[] = {36, 33, 32, 35, 34, 96, 93, 92, 95, 94};
	return colour ? compose_printf(a, "\033[%dm%-*s |\033[0m ", colours[i % 10], (int)width,
				       name)
		      : compose_printf(a, "%-*s | ", (int)width, name);
}

int compose_logs(struct compose_project *p, int argc, char **argv)
{
	static const char *const takes[] = {"--tail", "-n", "--since", "--until", NULL};
	struct compose_arena *a = &p->arena;
	struct compose_strv opts = {0}, services = {0}, names;
	int colour = isatty(1);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--no-color")) {
			colour = 0;
			continue;
		}
		struct compose_strv *to = argv[i][0] == '-' ? &opts : &services;
		*(char **)compose_push(a, &to->v, &to->n, sizeof(char *)) = argv[i];
		if (to == &opts && takes_value(takes, argv[i]) && i + 1 < argc)
			*(char **)compose_push(a, &opts.v, &opts.n, sizeof(char *)) = argv[++i];
	}
	struct mr_err err = {0};
	if (compose_containers(p, (const char *const *)services.v, services.n, &names, &err) < 0) {
		fprintf(stderr, "minirun: %s\n", err.msg);
		return 1;
	}
	size_t width = 0;
	for (size_t i = 0; i < names.n; i++)
		if (strlen(names.v[i]) > width)
			width = strlen(names.v[i]);
	fflush(stdout);
	pid_t *kids = compose_alloc(a, (names.n + 1) * sizeof(pid_t));
	for (size_t i = 0; i < names.n; i++) {
		char *prefix = compose_log_prefix(a, names.v[i], i, width, colour);
		kids[i] = fork();
		if (kids[i] == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			_exit(compose_log_relay(opts.v, opts.n, names.v[i], prefix));
		}
	}
	int rc = 0;
	for (size_t i = 0; i < names.n; i++) {
		int status = 0;
		if (kids[i] > 0 && waitpid(kids[i], &status, 0) > 0 &&
		    (!WIFEXITED(status) || WEXITSTATUS(status)))
			rc = 1;
		if (kids[i] < 0)
			rc = 1;
	}
	return rc;
}

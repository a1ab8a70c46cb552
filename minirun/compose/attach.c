/*
 * minirun/compose/attach.c - `compose up` in the foreground: once compose_up has made and
 * started the containers, follow their output and stay until they have all exited.
 *
 *	$ minirun compose up
 *	Attaching to demo-api-1, demo-db-1
 *	demo-db-1   | ready
 *	demo-api-1  | listening on 80
 *	^CGracefully stopping... (press Ctrl+C again to force)
 *	 Container demo-api-1  Stopping
 *	 Container demo-api-1  Stopped
 *	demo-api-1 exited with code 143
 *	...
 *
 * There is no daemon to attach to: each attached container gets a relay, a process running
 * `logs -f --since UP'S-START NAME` with each line put behind "NAME | " (verbs.c's
 * compose_log_relay, what `compose logs -f` does). `logs -f` follows the container across
 * the restarts of its restart policy and ends when it has exited for good, so a relay's end
 * is that container's exit: its exit code is read from its record then ("NAME exited with
 * code N"), and `up` returns when every relay has ended. --since is the time `up` began, so
 * a container that was already running and is kept shows only what it writes from now on,
 * and one this `up` started shows everything.
 *
 * The signals are read from a signalfd (blocked, so none is lost between two checks):
 *
 *	SIGINT/SIGTERM, first   "Gracefully stopping..." and the stopper, a process running
 *	                        compose_stop (stop.c: dependents first, a level at once)
 *	SIGINT/SIGTERM, second  the killer, a process running `kill` (SIGKILL) over them
 *	SIGCHLD                 a relay, the stopper or the killer has ended
 *
 * The relays, the stopper and the killer ignore SIGINT: a Ctrl-C on the terminal reaches
 * the whole foreground process group, and only `up` decides what it means. They die with
 * `up` (PR_SET_PDEATHSIG), so a SIGKILLed `up` leaves no process behind, only containers
 * (which `down` removes).
 *
 * --abort-on-container-exit: the first attached container to exit stops them all ("Aborting
 * on container exit..."), and `up` exits with its code; --abort-on-container-failure the
 * same for the first non-zero exit; --exit-code-from SERVICE (implies the first) exits with
 * the code of SERVICE's first container to exit. Interrupted, `up` exits 130 (128+SIGINT),
 * as docker compose does; else 0.
 *
 * See: https://docs.docker.com/reference/cli/docker/compose/up/; signalfd(2),
 *      PR_SET_PDEATHSIG in prctl(2).
 */
#include "minirun/compose/labels.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "minirun/containers/containers.h"

/* one attached container and its relay */
struct watched {
	char *name, *service, *prefix;
	pid_t relay;  /* 0 once ended */
	int restarts; /* relays started again for a container still running */
};

/* the state of the foreground up */
struct session {
	struct compose_project *p;
	const struct compose_attach_opts *ao;
	struct watched *w;
	size_t n, alive;
	pid_t stopper, killer; /* 0: not started or ended */
	int signals;           /* SIGINT/SIGTERM received */
	int aborting;          /* the stopper started by an exit */
	int code, code_set;    /* the exit code chosen by an exit (abort, exit-code-from) */
	int sfd;               /* the signalfd */
};

/* in a child of the session: signals as they were, but SIGINT ignored (Ctrl-C reaches the
 * whole process group: up alone decides), dead with up */
static void child_setup(const struct session *s)
{
	sigset_t none;
	sigemptyset(&none);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	sigprocmask(SIG_SETMASK, &none, NULL);
	close(s->sfd);
}

/* is SERVICE in the list V (N long) */
static int listed(const char *const *v, size_t n, const char *service)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], service))
			return 1;
	return 0;
}

/* Is a container of SERVICE attached: --attach's services if given, else the services
 * named on up's command line, else every one; less --no-attach's; --exit-code-from's
 * always (its exit is waited for). */
static int attached(const struct compose_attach_opts *ao, const char *service)
{
	if (ao->exit_code_from && !strcmp(ao->exit_code_from, service))
		return 1;
	if (listed(ao->no_attach, ao->nno_attach, service))
		return 0;
	if (ao->nattach)
		return listed(ao->attach, ao->nattach, service);
	return !ao->nservices || listed(ao->services, ao->nservices, service);
}

/* The attached containers (not the one-offs of `compose run`) into S; 0 or -1 with err */
static int find_watched(struct session *s, struct mr_err *err)
{
	struct compose_strv names;
	if (compose_containers(s->p, NULL, 0, &names, err) < 0)
		return -1;
	for (size_t i = 0; i < names.n; i++) {
		struct container c;
		struct mr_err e = {0};
		if (container_open(containers_root(), names.v[i], false, &c, &e) < 0)
			continue;
		const char *svc = label_of(&c.r, L_SERVICE), *one = label_of(&c.r, L_ONEOFF);
		if (svc && !(one && !strcmp(one, "True")) && compose_service_find(s->p, svc) &&
		    attached(s->ao, svc)) {
			struct watched *w = compose_push(&s->p->arena, &s->w, &s->n, sizeof(*w));
			w->name = names.v[i];
			w->service = compose_strdup(&s->p->arena, svc);
		}
		container_close(&c);
	}
	return 0;
}

/* fork W's relay: `logs -f --since SINCE NAME`, each line behind W's prefix */
static void start_relay(struct session *s, struct watched *w, const struct timespec *since)
{
	char from[48];
	snprintf(from, sizeof(from), "%lld.%09ld", (long long)since->tv_sec, since->tv_nsec);
	char *opts[] = {"-f", "--since", from};
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		child_setup(s);
		_exit(compose_log_relay(opts, 3, w->name, w->prefix));
	}
	w->relay = pid > 0 ? pid : 0;
	s->alive += pid > 0;
}

/* a relay for each watched container, from the time up began */
static void start_relays(struct session *s)
{
	size_t width = 0;
	for (size_t i = 0; i < s->n; i++)
		if (strlen(s->w[i].name) > width)
			width = strlen(s->w[i].name);
	for (size_t i = 0; i < s->n; i++) {
		s->w[i].prefix =
			compose_log_prefix(&s->p->arena, s->w[i].name, i, width, s->ao->colour);
		start_relay(s, &s->w[i], &s->ao->since);
	}
}

/* the services the stopper and the killer act on: those named on up's command line, else
 * every one (docker compose's) */
static void start_stopper(struct session *s)
{
	if (s->stopper)
		return;
	fflush(NULL);
	s->stopper = fork();
	if (s->stopper == 0) {
		child_setup(s);
		struct compose_stop_opts so = {.timeout = s->ao->timeout};
		struct mr_err err = {0};
		if (compose_stop(s->p, s->ao->services, s->ao->nservices, &so, &err) < 0) {
			fprintf(stderr, "minirun: %s\n", err.msg);
			_exit(1);
		}
		_exit(0);
	}
	if (s->stopper < 0)
		s->stopper = 0;
}

static void start_killer(struct session *s)
{
	if (s->killer)
		return;
	fflush(NULL);
	s->killer = fork();
	if (s->killer == 0) {
		child_setup(s);
		/* `kill` (SIGKILL) over the services' containers: its stdout lists them, its
		 * stderr what had already stopped; neither is news here */
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		char **v = compose_alloc(&s->p->arena, (s->ao->nservices + 2) * sizeof(char *));
		v[0] = "kill";
		for (size_t i = 0; i < s->ao->nservices; i++)
			v[i + 1] = (char *)s->ao->services[i];
		_exit(compose_passthrough(s->p, (int)s->ao->nservices + 1, v));
	}
	if (s->killer < 0)
		s->killer = 0;
}

/* the relay of W has ended: its container has exited; say so and act on it */
static void exited(struct session *s, struct watched *w)
{
	struct container c;
	struct mr_err err = {0};
	int code = -1, running = 0;
	/* read, not waited for: up must stay free to act on a signal. A relay that ended
	 * while its container still runs (its logs failed) is started again, from now, a
	 * few times; a container that is gone (removed meanwhile) has no code to say */
	if (container_open(containers_root(), w->name, false, &c, &err) == 0) {
		enum container_state st = container_status(&c);
		running = st == CONTAINER_RUNNING || st == CONTAINER_RESTARTING ||
			  st == CONTAINER_PAUSED;
		code = c.r.state.exit_code;
		container_close(&c);
	}
	if (running && w->restarts++ < 3) {
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		start_relay(s, w, &now);
		return;
	}
	if (running)
		code = -1;
	if (code >= 0) {
		printf("%s exited with code %d\n", w->name, code);
		fflush(stdout);
	}
	const struct compose_attach_opts *ao = s->ao;
	if (ao->exit_code_from && !strcmp(ao->exit_code_from, w->service) && !s->code_set) {
		s->code = code < 0 ? 1 : code;
		s->code_set = 1;
	}
	int abort = ao->on_exit == COMPOSE_EXIT_ABORT ||
		    (ao->on_exit == COMPOSE_EXIT_ABORT_FAILURE && code != 0);
	if (abort && !s->aborting && !s->signals) {
		s->aborting = 1;
		if (!ao->exit_code_from && !s->code_set) {
			s->code = code < 0 ? 1 : code;
			s->code_set = 1;
		}
		fprintf(stderr, "Aborting on container exit...\n");
		start_stopper(s);
	}
}

/* reap what has ended of the relays, the stopper and the killer */
static void reap(struct session *s)
{
	int status;
	for (size_t i = 0; i < s->n; i++)
		if (s->w[i].relay && waitpid(s->w[i].relay, &status, WNOHANG) == s->w[i].relay) {
			s->w[i].relay = 0;
			s->alive--;
			exited(s, &s->w[i]);
		}
	if (s->stopper && waitpid(s->stopper, &status, WNOHANG) == s->stopper)
		s->stopper = 0;
	if (s->killer && waitpid(s->killer, &status, WNOHANG) == s->killer)
		s->killer = 0;
}

int compose_attach(struct compose_project *p, const struct compose_attach_opts *ao)
{
	struct session s = {.p = p, .ao = ao, .sfd = -1};
	struct mr_err err = {0};
	if (find_watched(&s, &err) < 0) {
		fprintf(stderr, "minirun: %s\n", err.msg);
		return 1;
	}
	printf("Attaching to ");
	for (size_t i = 0; i < s.n; i++)
		printf("%s%s", i ? ", " : "", s.w[i].name);
	printf("\n");
	/* blocked and read from the signalfd, their action the default again (a shell
	 * leaves SIGINT ignored for a command it starts in the background) */
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old); /* first: a signal now is kept pending, not lost */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	s.sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (s.sfd < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		fprintf(stderr, "minirun: compose up: signalfd: %s\n", strerror(errno));
		return 1;
	}
	start_relays(&s);
	while (s.alive || s.stopper || s.killer) {
		struct pollfd pf = {s.sfd, POLLIN, 0};
		if (poll(&pf, 1, -1) < 0 && errno != EINTR)
			break;
		struct signalfd_siginfo si;
		while (read(s.sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
			if (si.ssi_signo == SIGCHLD) {
				reap(&s);
			} else if (!s.signals++ && !s.stopper) {
				fprintf(stderr,
					"Gracefully stopping... (press Ctrl+C again to force)\n");
				start_stopper(&s);
			} else {
				start_killer(&s);
			}
			if (!s.alive && !s.stopper && !s.killer)
				break;
		}
		reap(&s); /* a SIGCHLD merged with one read before the child ended */
	}
	close(s.sfd);
	signal(SIGINT, SIG_IGN); /* one more Ctrl-C now is too late to act on: up is done */
	signal(SIGTERM, SIG_IGN);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (s.signals)
		return 128 + SIGINT;
	return s.code_set ? s.code : 0;
}

/*
 * lib/thread.c - mr_thread_start: a helper thread, its signals blocked, begun on another CPU
 * than its creator's (lib/thread.h says why).
 *
 * See: pthread_attr_setaffinity_np(3), sched_getaffinity(2).
 */
#include "lib/thread.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>

struct start {
	void *(*fn)(void *);
	void *arg;
	cpu_set_t cpus; /* the creator's CPUs, given back once the thread runs */
	int wide;       /* whether to give them back (a placement was asked for) */
};

static void *trampoline(void *p)
{
	struct start s = *(struct start *)p;
	free(p);
	/* the placement was for the start: from here on, any CPU the creator may use */
	if (s.wide)
		sched_setaffinity(0, sizeof(s.cpus), &s.cpus);
	return s.fn(s.arg);
}

int mr_thread_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
	struct start *s = calloc(1, sizeof(*s));
	if (!s)
		return ENOMEM;
	s->fn = fn, s->arg = arg;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	int me = sched_getcpu();
	if (me >= 0 && sched_getaffinity(0, sizeof(s->cpus), &s->cpus) == 0 &&
	    CPU_ISSET(me, &s->cpus) && CPU_COUNT(&s->cpus) > 1) {
		cpu_set_t others = s->cpus;
		CPU_CLR(me, &others);
		s->wide = pthread_attr_setaffinity_np(&attr, sizeof(others), &others) == 0;
	}
	sigset_t all, old;
	sigfillset(&all); /* inherited by the thread: the caller's signals stay the caller's */
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int e = pthread_create(t, &attr, trampoline, s);
	if (e == EINVAL && s->wide) { /* a placement refused: begun where the kernel puts it */
		s->wide = 0;
		e = pthread_create(t, NULL, trampoline, s);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (e != 0)
		free(s);
	return e;
}

void mr_thread_join(pthread_t t, bool *started)
{
	if (*started)
		pthread_join(t, NULL);
	*started = false;
}

/*
 * lib/thread.h - a helper thread started for work beside the caller's own: with every
 * signal blocked (the caller's handlers run on the caller's thread), and placed on another
 * CPU than the caller's.
 *
 * Why the placement: the kernel puts a new thread on its creator's CPU more often than not,
 * where the two then take turns while another CPU is idle; and the threads started here
 * (the container's network namespace, the device filter's BPF load, the early monitor's
 * spawn) exist only to run beside their creator. Measured on this project's 2-CPU
 * machines, interleaved: `run --rm` 0.95x with the first two placed, 0.92x with the
 * spawner too (bench/README.md, session 16). The placement
 * holds for the start only: the thread's first act is to allow again every CPU its creator
 * may use, so that a thread still running when its creator waits for it can take the
 * creator's CPU, and one that moves (the scheduler's balance) is not held back.
 *
 * See: pthread_create(3), pthread_attr_setaffinity_np(3), sched_setaffinity(2), sched(7).
 */
#ifndef MR_THREAD_H
#define MR_THREAD_H

#include <pthread.h>
#include <stdbool.h>

/* mr_thread_start - FN(ARG) on a new thread (*T, for pthread_join), as the top of this file
 * says; on a machine, or under a cpuset, of one CPU, where it would otherwise. Returns 0,
 * or pthread_create's error number (nothing started). */
int mr_thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

/* mr_thread_join - wait for T when *STARTED says it was started, then mark it joined (a
 * second call waits for nothing) */
void mr_thread_join(pthread_t t, bool *started);

#endif

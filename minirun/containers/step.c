/*
 * minirun/containers/step.c - named steps of `run`, for narration and for the crash test.
 *
 * `run` makes many things in order (README.md, "The steps of run"). Each step calls
 * container_step("NAME") when it is reached. Under -v that narrates "=> step NAME"; with
 * $MINIRUN_TEST_DIE_AT=NAME the process SIGKILLs itself right there, which is how
 * tests/integration/containers/killsteps.t proves that `rm -f` cleans up after a `kill -9`
 * at every step. The monitor inherits the environment, so the steps it runs die too.
 * $MINIRUN_TEST_DIE_AT=NAME:SIG sends SIG instead (a crash: its last words, monitor_note.c);
 * NAME:exit=N calls exit(N) there. $MINIRUN_TEST_STALL_AT=NAME:MS makes the process sleep
 * MS milliseconds there instead, as a loaded machine may (to widen a race for a test).
 * $MINIRUN_TEST_STEP_TIMES=FILE appends "PID STEP USEC CPU
 * MINFLT" (the monotonic clock; the process's CPU microseconds and minor page faults so
 * far) to FILE at each step: where a run's time goes (bench/README.md).
 *
 * See: README.md here; signal(7).
 */
#include "minirun/containers/containers.h"
#include "lib/sig.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

const char *container_step_last = "";

void container_step(const char *step)
{
	const char *die = getenv("MINIRUN_TEST_DIE_AT");
	size_t n = die ? strcspn(die, ":") : 0;
	container_step_last = step;
	const char *times = getenv("MINIRUN_TEST_STEP_TIMES");
	if (times) {
		struct timespec ts;
		struct rusage ru = {0};
		clock_gettime(CLOCK_MONOTONIC, &ts);
		getrusage(RUSAGE_SELF, &ru);
		FILE *f = fopen(times, "ae");
		if (f) {
			fprintf(f, "%d %s %lld %lld %ld\n", (int)getpid(), step,
				(long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000,
				(long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
					ru.ru_utime.tv_usec + ru.ru_stime.tv_usec,
				ru.ru_minflt);
			fclose(f);
		}
	}
	mr_say("step %s", step);
	/* "STEP" dies of SIGKILL (no cleanup at all: that is the point); "STEP:SEGV" of the
	 * signal named, as a crash there would (the monitor's last words, monitor_note.c) */
	const char *stall = getenv("MINIRUN_TEST_STALL_AT");
	size_t sn = stall ? strcspn(stall, ":") : 0;
	if (stall && stall[sn] == ':' && strlen(step) == sn && strncmp(stall, step, sn) == 0) {
		long ms = atol(stall + sn + 1);
		struct timespec pause = {ms / 1000, (ms % 1000) * 1000000};
		while (nanosleep(&pause, &pause) < 0 && errno == EINTR)
			;
	}
	if (die && strlen(step) == n && strncmp(die, step, n) == 0) {
		if (!strncmp(die + n, ":exit=", 6))
			exit(atoi(die + n + 6)); /* "STEP:exit=N": exit(3) from an odd place */
		int sig = die[n] ? mr_sig_parse(die + n + 1) : SIGKILL;
		kill(getpid(), sig > 0 ? sig : SIGKILL);
	}
}

/*
 * minirun/containers/step.c - named steps of `run`, for narration and for the crash test.
 *
 * `run` makes many things in order (README.md, "The steps of run"). Each step calls
 * container_step("NAME") when it is reached. Under -v that narrates "=> step NAME"; with
 * $MINIRUN_TEST_DIE_AT=NAME the process SIGKILLs itself right there, which is how
 * tests/integration/containers/killsteps.t proves that `rm -f` cleans up after a `kill -9`
 * at every step. The monitor inherits the environment, so the steps it runs die too.
 *
 * See: README.md here; signal(7).
 */
#include "minirun/containers/containers.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void container_step(const char *step)
{
	const char *die = getenv("MINIRUN_TEST_DIE_AT");
	mr_say("step %s", step);
	if (die && strcmp(die, step) == 0)
		kill(getpid(), SIGKILL); /* no cleanup at all: that is the point */
}

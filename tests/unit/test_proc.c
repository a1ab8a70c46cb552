/*
 * tests/unit/test_proc.c - lib/proc.c's start time: a pid and its start time name one
 * process, and a process that has exited (a zombie, or reaped) has none.
 */
#include "lib/proc.h"
#include "tests/unit/unit.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void a_live_process_has_a_start_time_that_stays(void)
{
	unsigned long long self = mr_proc_start_time(getpid());
	CU_ASSERT_NOT_EQUAL(self, 0);
	CU_ASSERT_EQUAL(mr_proc_start_time(getpid()), self);
	CU_ASSERT_EQUAL(mr_proc_start_time(0), 0);
	CU_ASSERT_EQUAL(mr_proc_start_time(-1), 0);
}

static void an_exited_child_has_none_before_and_after_its_reaping(void)
{
	int go[2];
	CU_ASSERT_FATAL(pipe(go) == 0);
	pid_t pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) { /* waits until the parent closes the pipe, then exits */
		char c;
		close(go[1]);
		_exit(read(go[0], &c, 1) == 0 ? 0 : 1);
	}
	close(go[0]);
	unsigned long long t = mr_proc_start_time(pid);
	CU_ASSERT_NOT_EQUAL(t, 0);
	CU_ASSERT(t >= mr_proc_start_time(getpid())); /* started after us */
	close(go[1]);
	/* a zombie until reaped: waitid with WNOWAIT sees it exit and leaves it there */
	siginfo_t si;
	CU_ASSERT_FATAL(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) == 0);
	CU_ASSERT_EQUAL(mr_proc_start_time(pid), 0);
	CU_ASSERT_EQUAL(mr_wait_exit(pid), 0);
	CU_ASSERT_EQUAL(mr_proc_start_time(pid), 0);
}

static CU_TestInfo tests[] = {
	{"a live process has a start time, the same each time",
	 a_live_process_has_a_start_time_that_stays},
	{"an exited child has none, a zombie or reaped",
	 an_exited_child_has_none_before_and_after_its_reaping},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("lib proc", tests)

/*
 * tests/unit/test_build_ttyview.c - the tty progress view (minirun/build/ttyview.c): the
 * plain progress lines BuildKit prints, read as the steps' events, and the screen drawn
 * from them: a running step with its timer and last output lines, finished ones collapsed,
 * CACHED and ERROR marked, the header counting done steps, FINISHED at the end.
 */
#include <string.h>

#include "minirun/build/ttyview.h"
#include "tests/unit/unit.h"

/* the view of LINES (fed one a second from t=100) at NOW, with the escapes taken out */
static char *view(const char *const *lines, double now, int width, int height, bool final)
{
	struct ttyview t = {0};
	struct sb out = {0}, clean = {0};
	for (int i = 0; lines[i]; i++)
		ttyview_feed(&t, lines[i], 100 + i);
	ttyview_render(&t, now, width, height, final, &out);
	for (const char *p = sb_str(&out); *p; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\033') {
			p += strspn(p + 2, "0123456789") + 2; /* CSI digits final */
			continue;
		}
		sb_putc(&clean, *p);
	}
	sb_free(&out);
	ttyview_free(&t);
	return sb_take(&clean);
}

static const char *const build[] = {
	"#1 [internal] load build definition from Dockerfile",
	"#1 DONE 0.0s",
	"",
	"#2 [1/3] FROM busybox",
	"#2 DONE 0.0s",
	"#3 [2/3] COPY a /a",
	"#3 CACHED",
	"#4 [3/3] RUN make",
	"#4 0.101 cc -c a.c",
	"#4 0.202 cc -c b.c",
	NULL,
};

static void running_step(void)
{
	char *v = view(build, 110.5, 40, 24, false);
	CU_ASSERT_STRING_EQUAL(v, "[+] Building 10.5s (3/4)\n"
				  " => [internal] load build defini... 1.0s\n"
				  " => [1/3] FROM busybox              1.0s\n"
				  " => CACHED [2/3] COPY a /a          1.0s\n"
				  " => [3/3] RUN make                  3.5s\n"
				  " => => # cc -c a.c\n"
				  " => => # cc -c b.c\n");
	free(v);
}

static void finished(void)
{
	const char *const more[] = {
		build[0],
		build[1],
		build[2],
		build[3],
		build[4],
		build[5],
		build[6],
		build[7],
		build[8],
		build[9],
		"#4 DONE 1.0s",
		"#5 exporting to image",
		"#5 writing image sha256:abc done",
		"#5 DONE 0.0s",
		NULL,
	};
	char *v = view(more, 120, 40, 24, true);
	CU_ASSERT_STRING_EQUAL(v, "[+] Building 20.0s (5/5) FINISHED\n"
				  " => [internal] load build defini... 1.0s\n"
				  " => [1/3] FROM busybox              1.0s\n"
				  " => CACHED [2/3] COPY a /a          1.0s\n"
				  " => [3/3] RUN make                  3.0s\n"
				  " => exporting to image              2.0s\n"
				  " => => writing image sha256:abc done\n");
	free(v);
}

static void error_and_logs(void)
{
	const char *const failed[] = {
		"#1 [1/2] FROM busybox",
		"#1 DONE 0.0s",
		"#2 [2/2] RUN false",
		"#2 0.1 not a log line (two decimals)",
		"#2 0.100 l1",
		"#2 0.200 l2",
		"#2 0.300 l3",
		"#2 0.400 l4",
		"#2 0.500 l5",
		"#2 0.600 l6",
		"#2 0.700 l7",
		"#2 ERROR: process \"/bin/sh -c false\" did not complete successfully: exit code: 1",
		NULL,
	};
	char *v = view(failed, 115, 50, 24, true);
	/* the last six lines only; the message as the step's status */
	CU_ASSERT_PTR_NOT_NULL(strstr(v, " => ERROR [2/2] RUN false"));
	CU_ASSERT_PTR_NOT_NULL(strstr(v, " => => process \"/bin/sh -c false\" did not compl...\n"));
	CU_ASSERT_PTR_NULL(strstr(v, "# l1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(v, " => => # l2\n => => # l3\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(v, " => => # l7\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(v, "(2/2) ERROR\n"));
	free(v);
}

static void fits_the_screen(void)
{
	/* 4 lines high: the header and the latest steps that fit */
	char *v = view(build, 110.5, 40, 4, false);
	CU_ASSERT_STRING_EQUAL(v, "[+] Building 10.5s (3/4)\n"
				  " => [3/3] RUN make                  3.5s\n"
				  " => => # cc -c a.c\n"
				  " => => # cc -c b.c\n");
	free(v);
}

static CU_TestInfo tests[] = {
	{"a running step: its timer and output; finished ones collapsed", running_step},
	{"the final state: FINISHED, each step one line and its status lines", finished},
	{"a failed step: ERROR, its message and its last six lines", error_and_logs},
	{"more steps than lines: the latest ones", fits_the_screen},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("build: tty progress", tests)

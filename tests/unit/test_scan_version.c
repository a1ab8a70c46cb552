/*
 * tests/unit/test_scan_version.c - the version orderings scan matches advisories by
 * (minirun/scan/debver.c, apkver.c, rpmver.c).
 *
 * dpkg's: thousands of random pairs (half of them near-twins: one changed by a '~', a
 * leading zero, an epoch, a revision) each checked against `dpkg --compare-versions`, the
 * reference. The pairs come from a seeded generator; the seed is printed and
 * MR_SCAN_SEED=N repeats a run. Without dpkg on the machine only the fixed cases run.
 * apk's: cases written from apk-tools' rules (no apk here to ask).
 * rpm's: cases by hand, then random pairs checked against rpm's own rpm.vercmp (rpm's Lua,
 * one `rpm --eval` run for all of them) when Debian's `rpm` package is installed.
 *
 * Run with `make test-unit`.
 */
#include "minirun/scan/scan.h"
#include "tests/unit/unit.h"

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define NPAIRS 3000

static int sign(int c)
{
	return c < 0 ? -1 : c > 0;
}

static void deb_order_by_hand(void)
{
	static const struct {
		const char *a, *b;
		int want;
	} cases[] = {
		{"1.0", "1.0", 0},
		{"1.0", "1.0-0", 0},    /* no revision = revision "0" */
		{"0:1.0", "1.0", 0},    /* no epoch = epoch 0 */
		{"1:0.1", "2.0", 1},    /* the epoch first */
		{"1.0~rc1", "1.0", -1}, /* '~' before the end */
		{"1.0~~", "1.0~", -1},  /* and before another '~' that is followed by more */
		{"1.0", "1.0a", -1},    /* the end before a letter */
		{"1.0a", "1.0+", -1},   /* a letter before a non-letter */
		{"1.0.1", "1.0a", 1},   /* '.' after a letter */
		{"1.010", "1.9", 1},    /* digits as numbers */
		{"1.01", "1.1", 0},     /* leading zeros do not count */
		{"2.36-9+deb12u4", "2.36-9+deb12u10", -1},
		{"3.0.11-1~deb12u2", "3.0.11-1", -1},
		{"1.2.13.dfsg-1", "1.2.13-1", 1},
		{"7.88.1-10+deb12u5", "7.88.1-10+deb12u12", -1},
		{"1:1.2.13.dfsg-1", "1.3", 1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = sign(deb_version_cmp(cases[i].a, cases[i].b));
		int back = sign(deb_version_cmp(cases[i].b, cases[i].a));
		if (got != cases[i].want || back != -cases[i].want)
			printf("    # %s vs %s: %d (want %d)\n", cases[i].a, cases[i].b, got,
			       cases[i].want);
		CU_ASSERT_EQUAL(got, cases[i].want);
		CU_ASSERT_EQUAL(back, -cases[i].want);
	}
}

static void deb_validity(void)
{
	CU_ASSERT_TRUE(deb_version_valid("1:2.3-4"));
	CU_ASSERT_TRUE(deb_version_valid("2.3~rc1+dfsg-4.1~bpo12+1"));
	CU_ASSERT_TRUE(deb_version_valid("1.2-3-4")); /* a '-' in upstream, with a revision */
	CU_ASSERT_FALSE(deb_version_valid(""));
	CU_ASSERT_FALSE(deb_version_valid("a1.0"));
	CU_ASSERT_FALSE(deb_version_valid("x:1.0"));
	CU_ASSERT_FALSE(deb_version_valid("1.0-"));
	CU_ASSERT_FALSE(deb_version_valid("1.0 2"));
	CU_ASSERT_FALSE(deb_version_valid("1.0-a_b"));
}

/* ---- random pairs against dpkg --------------------------------------------------------- */

static unsigned long long rng;
static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng >> 33) % n);
}

static void rand_chars(char *buf, size_t *n, const char *alphabet, unsigned len)
{
	size_t k = strlen(alphabet);
	for (unsigned i = 0; i < len; i++)
		buf[(*n)++] = alphabet[rnd((unsigned)k)];
	buf[*n] = 0;
}

/* a random valid version: [epoch:]digit[upstream chars][-revision] */
static void rand_version(char *buf)
{
	size_t n = 0;
	if (rnd(5) == 0)
		n += (size_t)sprintf(buf, "%u:", rnd(3));
	buf[n++] = (char)('0' + rnd(10));
	rand_chars(buf, &n, "00112233456789....aabz+~~", rnd(8));
	if (rnd(2)) {
		buf[n++] = '-';
		rand_chars(buf, &n, "0123456789", 1);
		rand_chars(buf, &n, "0123456789.a+~", rnd(5));
	}
	buf[n] = 0;
}

/* a near-twin of A: one small change of the kind that decides real comparisons */
static void mutate(const char *a, char *b)
{
	size_t n = strlen(a), at = 1 + rnd((unsigned)n);
	switch (rnd(7)) {
	case 0: sprintf(b, "%s~", a); break;
	case 1: sprintf(b, "%s+b1", a); break;
	case 2: sprintf(b, "0:%s", strchr(a, ':') ? strchr(a, ':') + 1 : a); break;
	case 3: sprintf(b, "%s.0", a); break;
	case 4: /* a zero inside, before a digit if there is one */
		sprintf(b, "%.*s0%s", (int)(at > n ? n : at), a, a + (at > n ? n : at));
		break;
	case 5: sprintf(b, "%s~rc1", a); break;
	default: /* one character replaced by another of the same class, if it stays valid */
		strcpy(b, a);
		if (at < n && b[at] >= '0' && b[at] <= '9')
			b[at] = (char)('0' + rnd(10));
		else if (at < n && b[at] >= 'a' && b[at] <= 'z')
			b[at] = (char)('a' + rnd(26));
		break;
	}
	if (!deb_version_valid(b))
		strcpy(b, a);
}

/* dpkg_says - does `dpkg --compare-versions A OP B` hold? 1 yes, 0 no, -1 cannot run */
static int dpkg_says(const char *a, const char *op, const char *b)
{
	char *argv[] = {"dpkg", "--compare-versions", (char *)a, (char *)op, (char *)b, NULL};
	pid_t pid;
	int status;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", 1, 0); /* its warnings */
	int r = posix_spawnp(&pid, "dpkg", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r != 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status) == 0 ? 1 : WEXITSTATUS(status) == 1 ? 0 : -1;
}

static void deb_order_matches_dpkg(void)
{
	if (dpkg_says("1", "lt", "2") != 1 || dpkg_says("1", "gt", "2") != 0) {
		printf("    # dpkg is not installed: the random pairs were not checked\n");
		return;
	}
	const char *env = getenv("MR_SCAN_SEED");
	unsigned long long seed = env ? strtoull(env, NULL, 10) : (unsigned long long)time(NULL);
	rng = seed;
	printf("    # dpkg ordering: %d random pairs, seed %llu (MR_SCAN_SEED=%llu repeats it)\n",
	       NPAIRS, seed, seed);
	int bad = 0, failed_runs = 0, eq = 0;
	for (int i = 0; i < NPAIRS; i++) {
		char a[64], b[80];
		rand_version(a);
		if (i % 2)
			mutate(a, b);
		else
			rand_version(b);
		int ours = sign(deb_version_cmp(a, b));
		eq += ours == 0;
		int r = dpkg_says(a, ours < 0 ? "lt" : ours > 0 ? "gt" : "eq", b);
		if (r < 0) {
			failed_runs++;
			continue;
		}
		if (r == 0 && bad++ < 10)
			printf("    # %s vs %s: ours %d, dpkg disagrees\n", a, b, ours);
	}
	printf("    # %d pairs, %d equal by our ordering, %d dpkg runs failed\n", NPAIRS, eq,
	       failed_runs);
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(failed_runs, 0);
}

/* ---- apk -------------------------------------------------------------------------------- */

static void apk_order_from_the_rules(void)
{
	static const struct {
		const char *a, *b;
		int want;
	} cases[] = {
		{"1.0", "1.0", 0},
		{"1.0", "1.1", -1},
		{"1.10", "1.9", 1}, /* numbers, not strings */
		{"2", "10", -1},
		{"1.0", "1.0.1", -1}, /* more components is newer */
		{"1.0.0", "1.0", 1},
		{"1.0a", "1.0", 1}, /* a letter after the numbers is newer */
		{"1.0a", "1.0b", -1},
		{"1.0a", "1.0.1", -1},    /* a letter sorts before a further number */
		{"1.0_alpha", "1.0", -1}, /* pre-release suffixes before none */
		{"1.0_beta", "1.0_alpha", 1},
		{"1.0_pre", "1.0_beta", 1},
		{"1.0_rc", "1.0_pre", 1},
		{"1.0_rc1", "1.0", -1},
		{"1.0_rc1", "1.0_rc2", -1},
		{"1.0_alpha2", "1.0_alpha10", -1}, /* a suffix's number as a number */
		{"1.0_cvs", "1.0", 1},             /* post-release suffixes after none */
		{"1.0_svn", "1.0_cvs", 1},
		{"1.0_git", "1.0_svn", 1},
		{"1.0_hg", "1.0_git", 1},
		{"1.0_p", "1.0_hg", 1},
		{"1.0_p1", "1.0_p2", -1},
		{"1.0_p1", "1.0.1", -1}, /* a suffix sorts before a further number */
		{"1.0-r1", "1.0", 1},    /* a revision is newer than none */
		{"1.0-r1", "1.0-r2", -1},
		{"1.0-r10", "1.0-r9", 1},
		{"1.0_rc1-r5", "1.0-r0", -1}, /* the suffix decides before the revision */
		{"1.2.4_git20230717-r4", "1.2.4_git20230717-r5", -1},
		{"1.2.4_git20230717-r4", "1.2.4-r4", 1},
		{"1.02", "1.1", -1}, /* a leading zero: compared as strings */
		{"1.01", "1.001", 1},
		{"1.0~abc", "1.0~abd", -1}, /* commit hashes as strings */
		{"1.0~abc", "1.0", 1},
		{"1.0~abc-r1", "1.0~abc", 1},
		{"3.1.4-r5", "3.1.4-r5", 0},
		{"20230311", "20230312", -1},
		{"1.36.1-r15", "1.36.1-r19", -1},
		{"3.1.4_p1-r0", "3.1.4-r1", 1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = sign(apk_version_cmp(cases[i].a, cases[i].b));
		int back = sign(apk_version_cmp(cases[i].b, cases[i].a));
		if (got != cases[i].want || back != -cases[i].want)
			printf("    # %s vs %s: %d, back %d (want %d)\n", cases[i].a, cases[i].b,
			       got, back, cases[i].want);
		CU_ASSERT_EQUAL(got, cases[i].want);
		CU_ASSERT_EQUAL(back, -cases[i].want);
	}
	CU_ASSERT(sizeof(cases) / sizeof(cases[0]) >= 30);
}

static void apk_validity(void)
{
	CU_ASSERT_TRUE(apk_version_valid("1.2.3"));
	CU_ASSERT_TRUE(apk_version_valid("1.2.3a_rc1_p2~deadbeef-r4"));
	CU_ASSERT_TRUE(apk_version_valid("1.2.4_git20230717-r4"));
	CU_ASSERT_FALSE(apk_version_valid(""));
	CU_ASSERT_FALSE(apk_version_valid("a1"));
	CU_ASSERT_FALSE(apk_version_valid("1.0_foo"));  /* an unknown suffix */
	CU_ASSERT_FALSE(apk_version_valid("1.0-1"));    /* a revision is -rN */
	CU_ASSERT_FALSE(apk_version_valid("1.0ab"));    /* one letter only */
	CU_ASSERT_FALSE(apk_version_valid("1.0-r1.2")); /* nothing after the revision */
	CU_ASSERT_FALSE(apk_version_valid("1.0_rc1a")); /* no letter after a suffix */
}

/* ---- rpm -------------------------------------------------------------------------------- */

static void rpm_order_by_hand(void)
{
	static const struct {
		const char *a, *b;
		int want;
	} cases[] = {
		{"1.0-1", "1.0-1", 0},
		{"1.0-1", "1.0-2", -1},
		{"1.10-1", "1.9-1", 1}, /* numbers by value */
		{"1.010", "1.10", 0},   /* leading zeros dropped */
		{"1.0", "1_0", 0},      /* separators do not count */
		{"1.0", "1.0.1", -1},   /* the longer is newer */
		{"1.a", "1.1", -1},     /* a number is newer than letters */
		{"1.0a", "1.0", 1},     /* letters after the end: newer */
		{"1.0~rc1", "1.0", -1}, /* '~' before even the end */
		{"1.0~rc1", "1.0~rc2", -1},
		{"1.0^git1", "1.0", 1},    /* '^' after the end */
		{"1.0^git1", "1.0.1", -1}, /* ... but before anything else */
		{"1:1.0-1", "2.0-1", 1},   /* the epoch first */
		{"0:1.0-1", "1.0-1", 0},   /* no epoch is 0 */
		{"3.0.7-18.el9_2", "3.0.7-18.el9", 1},
		{"2023c-1.el9", "2023c-1.el9~rc1", 1},
		{"abc", "abd", -1},   /* letters as strings */
		{"1.0", "1.0-2", -1}, /* no release: older than any */
		{"5.1.8-6.el9_1", "5.1.8-6.el9_1", 0},
		{"1.0.fc30", "1.0.fc30", 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = sign(rpm_version_cmp(cases[i].a, cases[i].b));
		int back = sign(rpm_version_cmp(cases[i].b, cases[i].a));
		if (got != cases[i].want || back != -cases[i].want)
			printf("    # %s vs %s: %d, back %d (want %d)\n", cases[i].a, cases[i].b,
			       got, back, cases[i].want);
		CU_ASSERT_EQUAL(got, cases[i].want);
		CU_ASSERT_EQUAL(back, -cases[i].want);
	}
}

/* a random rpm EVR: [epoch:]version[-release], of the characters rpm versions use */
static void rand_evr(char *buf)
{
	size_t n = 0;
	if (rnd(5) == 0)
		n += (size_t)sprintf(buf, "%u:", rnd(3));
	buf[n++] = (char)('0' + rnd(10));
	rand_chars(buf, &n, "0012345789..._abz~^", rnd(8));
	if (rnd(4)) {
		buf[n++] = '-';
		rand_chars(buf, &n, "0123456789.el_~^a", 1 + rnd(6));
	}
	buf[n] = 0;
}

static void rpm_order_matches_rpm(void)
{
	char script[] = "/tmp/mr-rpmver.XXXXXX", out[] = "/tmp/mr-rpmver-out.XXXXXX";
	int fd = mkstemp(script), ofd = mkstemp(out);
	CU_ASSERT_FATAL(fd >= 0 && ofd >= 0);
	FILE *f = fdopen(fd, "w");
	const char *env = getenv("MR_SCAN_SEED");
	unsigned long long seed = env ? strtoull(env, NULL, 10) : (unsigned long long)time(NULL);
	rng = seed;
	static char as[NPAIRS][48], bs[NPAIRS][48];
	for (int i = 0; i < NPAIRS; i++) {
		rand_evr(as[i]);
		if (i % 2 == 0)
			rand_evr(bs[i]);
		else /* a near-twin: a '~', '^' or segment appended, or the epoch dropped */
			switch (rnd(4)) {
			case 0: sprintf(bs[i], "%.40s~1", as[i]); break;
			case 1: sprintf(bs[i], "%.40s^1", as[i]); break;
			case 2: sprintf(bs[i], "%.40s.a", as[i]); break;
			default:
				sprintf(bs[i], "%.40s",
					strchr(as[i], ':') ? strchr(as[i], ':') + 1 : as[i]);
			}
		fprintf(f, "io.write(rpm.vercmp(\"%s\", \"%s\"), \"\\n\")\n", as[i], bs[i]);
	}
	fclose(f);
	char expr[128];
	snprintf(expr, sizeof(expr), "%%{lua: dofile('%s')}", script);
	char *argv[] = {"rpm", "--eval", expr, NULL};
	pid_t pid;
	int status = -1;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, ofd, 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", 1, 0);
	int r = posix_spawnp(&pid, "rpm", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r == 0)
		waitpid(pid, &status, 0);
	close(ofd);
	unlink(script);
	FILE *o = fopen(out, "r");
	unlink(out);
	if (r != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || !o) {
		printf("    # rpm is not installed (apt-get install rpm): the random pairs were "
		       "not checked\n");
		if (o)
			fclose(o);
		return;
	}
	printf("    # rpm ordering: %d random pairs, seed %llu (MR_SCAN_SEED=%llu repeats it)\n",
	       NPAIRS, seed, seed);
	int bad = 0, read = 0, eq = 0;
	for (int i = 0; i < NPAIRS; i++) {
		int theirs;
		if (fscanf(o, "%d", &theirs) != 1)
			break;
		read++;
		int ours = sign(rpm_version_cmp(as[i], bs[i]));
		eq += ours == 0;
		if (ours != theirs && bad++ < 10)
			printf("    # %s vs %s: ours %d, rpm %d\n", as[i], bs[i], ours, theirs);
	}
	fclose(o);
	printf("    # %d answers from rpm, %d equal by our ordering\n", read, eq);
	CU_ASSERT_EQUAL(read, NPAIRS);
	CU_ASSERT_EQUAL(bad, 0);
}

static CU_TestInfo tests[] = {
	{"dpkg ordering: epochs, '~', letters before symbols, numbers by value", deb_order_by_hand},
	{"dpkg ordering agrees with dpkg --compare-versions on random pairs",
	 deb_order_matches_dpkg},
	{"dpkg versions: what dpkg accepts and refuses", deb_validity},
	{"apk ordering follows apk-tools' rules: suffixes, letters, -rN, leading zeros",
	 apk_order_from_the_rules},
	{"apk versions: the grammar's valid and invalid forms", apk_validity},
	{"rpm ordering: epochs, '~' and '^', numbers against letters, no release",
	 rpm_order_by_hand},
	{"rpm ordering agrees with rpm's rpm.vercmp on random pairs", rpm_order_matches_rpm},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("scan versions", tests)

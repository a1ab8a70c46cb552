/*
 * tests/unit/test_oci_seccomp_bpf.c - the short seccomp programs of
 * minirun/oci/seccomp_bpf.c answer every call exactly as libseccomp's do.
 *
 * Each profile is compiled both ways (tests/unit/seccomp_diff.h's sd_both_compile:
 * libseccomp's context and the policy as plain data); seccomp_diff.h runs both programs over every
 * syscall number 0..1023 of x86_64, x32, i386, aarch64 and arm, the number space's edges,
 * a foreign architecture, and arguments around each comparison's boundary.
 */
#include "minirun/bundle/bundle.h"
#include "minirun/oci/seccomp_bpf.h"
#include "minirun/oci/setup.h"
#include "tests/unit/seccomp_diff.h"
#include "tests/unit/unit.h"

#include <errno.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* PROFILE (linux.seccomp) compiled both ways and compared; *MINE / *REF: the lengths
 * (0 when seccomp_bpf.c left the profile to libseccomp) */
static bool same_answers(json_t *profile, size_t *mine, size_t *ref)
{
	struct sd_both b = {0};
	bool ok = false;
	*mine = *ref = 0;
	if (sd_both_compile(profile, &b) < 0) {
		fprintf(stderr, "\n  compile: %s\n", b.err.msg);
		sd_both_free(&b);
		return false;
	}
	if (sd_both_export(&b) == 0 && b.gen == 0) {
		struct sd_pair p = {.a = b.ref, .na = b.nref, .b = b.mine, .nb = b.nmine};
		ok = sd_compare(&p, &b.pol, 1023, 4);
		if (!ok)
			fprintf(stderr, "\n  libseccomp vs seccomp_bpf.c differ: %s\n", p.why);
		*mine = b.nmine;
		*ref = b.nref;
	} else if (b.gen == 1) {
		ok = true;
		*ref = b.nref;
	}
	sd_both_free(&b);
	return ok;
}

static json_t *parse(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	if (!j)
		fprintf(stderr, "\n  bad test profile: %s\n", e.text);
	return j;
}

/* docker's default profile (minirun's own, bundle/seccomp_default.c) for one CAPS set */
static void default_profile_with(unsigned long long caps)
{
	size_t mine, ref;
	json_t *p = container_seccomp_default(caps);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_TRUE(same_answers(p, &mine, &ref));
	if (caps == container_caps_default())
		fprintf(stderr, "\n  docker's default: %zu instructions, libseccomp's %zu\n", mine,
			ref);
	CU_ASSERT(mine > 0 && mine * 2 < ref); /* written here, and far shorter */
	json_decref(p);
}

static void default_profile_same_answers(void)
{
	unsigned long long def = container_caps_default();
	default_profile_with(def);
	default_profile_with(def | 1ULL << CAP_SYS_ADMIN);
	default_profile_with(def | 1ULL << CAP_SYS_PTRACE | 1ULL << CAP_SYS_TIME);
	default_profile_with(0);
	default_profile_with((1ULL << (CAP_LAST_CAP + 1)) - 1);
}

/* docker's default with 150 more personality values: that syscall's checks are longer than
 * a conditional jump reaches (255), so the search jumps over them by JA */
static void far_jumps_same_answers(void)
{
	size_t mine, ref;
	json_t *p = container_seccomp_default(container_caps_default());
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	json_t *list = json_object_get(p, "syscalls");
	for (int v = 100; v < 250; v++)
		json_array_append_new(list,
				      json_pack("{s:[s], s:s, s:[{s:i, s:i, s:s}]}", "names",
						"personality", "action", "SCMP_ACT_ALLOW", "args",
						"index", 0, "value", v, "op", "SCMP_CMP_EQ"));
	CU_ASSERT_TRUE(same_answers(p, &mine, &ref));
	CU_ASSERT(mine > 750);
	json_decref(p);
}

/* profiles of tests/integration (minirun/config.t) and of every feature: actions, ops */
static const char *const profiles[] = {
	"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\","
	" \"SCMP_ARCH_X86\"], \"syscalls\": [{\"names\": [\"mkdir\", \"mkdirat\"], \"action\":"
	" \"SCMP_ACT_ERRNO\", \"errnoRet\": 1}, {\"names\": [\"uname\"], \"action\":"
	" \"SCMP_ACT_ERRNO\", \"errnoRet\": 38, \"args\": [{\"index\": 0, \"value\": 0, \"op\":"
	" \"SCMP_CMP_NE\"}]}]}",
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"execve\", \"brk\","
	" \"mmap\", \"read\", \"write\", \"close\", \"exit_group\", \"socket\", \"accept\"],"
	" \"action\": \"SCMP_ACT_ALLOW\"}]}",
	/* every action, every operator, x32, i386's socketcall and ipc */
	"{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"architectures\": [\"SCMP_ARCH_X86\","
	" \"SCMP_ARCH_X32\"], \"syscalls\": ["
	"{\"names\": [\"read\", \"write\", \"openat\"], \"action\": \"SCMP_ACT_ALLOW\"},"
	"{\"names\": [\"close\"], \"action\": \"SCMP_ACT_TRAP\"},"
	"{\"names\": [\"dup\"], \"action\": \"SCMP_ACT_TRACE\", \"errnoRet\": 7},"
	"{\"names\": [\"dup2\"], \"action\": \"SCMP_ACT_LOG\"},"
	"{\"names\": [\"dup3\"], \"action\": \"SCMP_ACT_KILL_THREAD\"},"
	"{\"names\": [\"lseek\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 2,"
	" \"value\": 4294967290, \"op\": \"SCMP_CMP_GT\"}]},"
	"{\"names\": [\"pread64\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 3,"
	" \"value\": 65536, \"op\": \"SCMP_CMP_LE\"}]},"
	"{\"names\": [\"preadv\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0,"
	" \"value\": 3, \"op\": \"SCMP_CMP_GE\"}]},"
	"{\"names\": [\"pwrite64\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1,"
	" \"value\": 4096, \"op\": \"SCMP_CMP_LT\"}]},"
	"{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 25, \"args\":"
	" [{\"index\": 1, \"value\": 4294967295, \"valueTwo\": 21505, \"op\":"
	" \"SCMP_CMP_MASKED_EQ\"}]},"
	"{\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0,"
	" \"value\": 0, \"op\": \"SCMP_CMP_EQ\"}, {\"index\": 0, \"value\": 8, \"op\":"
	" \"SCMP_CMP_EQ\"}]},"
	"{\"names\": [\"shmget\", \"recvmmsg\", \"accept\"], \"action\": \"SCMP_ACT_ALLOW\"},"
	"{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\":"
	" [{\"index\": 0, \"value\": 40, \"op\": \"SCMP_CMP_NE\"}]}]}",
	/* a deny-list: the default allows, a few calls refused, one killed */
	"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"keyctl\","
	" \"add_key\", \"request_key\", \"mount\", \"umount2\"], \"action\": \"SCMP_ACT_ERRNO\"},"
	"{\"names\": [\"reboot\"], \"action\": \"SCMP_ACT_KILL\"}]}",
	/* an empty rule list */
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38}",
};

static void feature_profiles_same_answers(void)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		size_t mine, ref;
		json_t *p = parse(profiles[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		if (!same_answers(p, &mine, &ref))
			CU_FAIL(profiles[i]);
		CU_ASSERT(mine > 0); /* written here, not left to libseccomp */
		json_decref(p);
	}
}

/* rules libseccomp's program answers otherwise than they mean (seccomp_bpf.c's simple()),
 * so libseccomp's program is loaded for them, whole */
static const char *const left[] = {
	/* two actions with comparisons on one syscall */
	"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"write\"], \"action\":"
	" \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]},"
	"{\"names\": [\"write\"], \"action\": \"SCMP_ACT_KILL\", \"args\": [{\"index\": 0,"
	" \"value\": 2, \"op\": \"SCMP_CMP_EQ\"}]}]}",
	/* a value past 32 bits */
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"lseek\"], \"action\":"
	" \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 2, \"value\": 8589934593, \"op\":"
	" \"SCMP_CMP_NE\"}]}]}",
	/* two comparisons in one rule */
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"pread64\"],"
	" \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 3, \"value\": 7, \"op\":"
	" \"SCMP_CMP_NE\"}, {\"index\": 0, \"value\": 3, \"op\": \"SCMP_CMP_NE\"}]}]}",
};

static void other_rules_left_to_libseccomp(void)
{
	for (size_t i = 0; i < sizeof(left) / sizeof(left[0]); i++) {
		size_t mine, ref;
		json_t *p = parse(left[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		CU_ASSERT_TRUE(same_answers(p, &mine, &ref));
		CU_ASSERT_EQUAL(mine, 0);
		CU_ASSERT(ref > 0);
		json_decref(p);
	}
}

/* The kernel loads the short program of docker's default and it does its job: a child
 * process (no_new_privs, so no privilege needed) gets its pid, and EPERM from keyctl. */
static void kernel_loads_the_short_program(void)
{
	json_t *prof = container_seccomp_default(container_caps_default());
	struct sd_both b = {0};
	CU_ASSERT_EQUAL_FATAL(sd_both_compile(prof, &b), 0);
	CU_ASSERT_EQUAL_FATAL(b.gen, 0);
	pid_t pid = fork();
	if (pid == 0) {
		struct sock_fprog fp = {.len = (unsigned short)b.nmine, .filter = b.mine};
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0)
			_exit(2);
		if (syscall(SYS_getpid) != getpid() || syscall(SYS_keyctl, 0, 0, 0, 0, 0) != -1 ||
		    errno != EPERM)
			_exit(3);
		_exit(0);
	}
	int st = -1;
	CU_ASSERT_EQUAL(waitpid(pid, &st, 0), pid);
	CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	sd_both_free(&b);
	json_decref(prof);
}

/* seccomp_allows (the init's question before it drops its privileges early): PROFILE's
 * program, ours or libseccomp's, lets each of NRS through whatever the arguments */
static bool profile_allows(const char *profile, const long *nrs, size_t n)
{
	json_t *p = parse(profile);
	struct sd_both b = {0};
	bool ok = false;
	if (p && sd_both_compile(p, &b) == 0 && (b.gen == 0 || sd_both_export(&b) == 0)) {
		struct seccomp_prog prog = {
			.fprog = {.len = (unsigned short)(b.gen == 0 ? b.nmine : b.nref),
				  .filter = b.gen == 0 ? b.mine : b.ref}};
		ok = seccomp_allows(&prog, nrs, n);
	} else {
		CU_FAIL("profile compiled");
	}
	sd_both_free(&b);
	json_decref(p);
	return ok;
}

static void allows_by_number_alone(void)
{
	const long wait[] = {SYS_poll, SYS_read, SYS_close, SYS_execve};
	const long rd[] = {SYS_read}, cl[] = {SYS_close}, pl[] = {SYS_poll};
	json_t *dflt = container_seccomp_default(container_caps_default());
	char *text = json_dumps(dflt, 0);
	CU_ASSERT_TRUE(profile_allows(text, wait, 4));
	free(text);
	json_decref(dflt);
	CU_ASSERT_TRUE(seccomp_allows(NULL, wait, 4)); /* no filter: anything goes */
	const char *nopoll = "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": "
			     "[{\"names\": [\"poll\"], \"action\": \"SCMP_ACT_ERRNO\"}]}";
	CU_ASSERT_TRUE(profile_allows(nopoll, rd, 1));
	CU_ASSERT_FALSE(profile_allows(nopoll, pl, 1));
	CU_ASSERT_FALSE(profile_allows(nopoll, wait, 4));
	/* read refused for one fd only: allowed or not depends on an argument */
	const char *rdarg = "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": "
			    "[{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": "
			    "[{\"index\": 0, \"value\": 99, \"op\": \"SCMP_CMP_EQ\"}]}]}";
	CU_ASSERT_FALSE(profile_allows(rdarg, rd, 1));
	CU_ASSERT_TRUE(profile_allows(rdarg, cl, 1));
	/* a default that refuses, and an allow list without close */
	const char *list = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
			   "[{\"names\": [\"read\", \"poll\"], \"action\": \"SCMP_ACT_ALLOW\"}]}";
	CU_ASSERT_TRUE(profile_allows(list, rd, 1));
	CU_ASSERT_FALSE(profile_allows(list, cl, 1));
}

static CU_TestInfo tests[] = {
	{"docker's default profile, five capability sets: same answers, under half the length",
	 default_profile_same_answers},
	{"checks longer than a conditional jump: the search jumps by JA, same answers",
	 far_jumps_same_answers},
	{"every action and operator, x32, i386's socketcall/ipc: same answers",
	 feature_profiles_same_answers},
	{"two actions, 2^33, two comparisons on one syscall: libseccomp's program, whole",
	 other_rules_left_to_libseccomp},
	{"the kernel loads the short default program: getpid works, keyctl gets EPERM",
	 kernel_loads_the_short_program},
	{"seccomp_allows: by the number alone; refused, or hanging on an argument, is no",
	 allows_by_number_alone},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("oci: seccomp BPF", tests)

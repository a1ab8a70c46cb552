/*
 * tests/fuzz/fuzz_seccomp.c - fuzz minirun/oci/seccomp_bpf.c's short seccomp programs
 * against libseccomp's, over random policies.
 *
 * The input, read byte by byte (missing bytes read as 0): the default action, a bit set of
 * architectures (x86, x32, aarch64, arm besides the native one), then rules of 5 bytes and
 * more: a syscall name (from a list with neighbours in the numbering, i386's socketcall and
 * ipc calls, calls some ABIs lack), an action, an errno, how many comparisons (0-3), each
 * of an argument index, an operator and a value (a small number, a 32-bit edge, or a
 * 64-bit one).
 *
 * Oracle: when libseccomp accepts the policy and seccomp_bpf.c writes a program for it
 * (it may leave one to libseccomp), both programs answer the same for every syscall number
 * 0..520 of each ABI, x32's, the number space's edges and a foreign architecture, with
 * arguments around each comparison's boundary (tests/unit/seccomp_diff.h).
 *
 * libseccomp 2.5.4 has bugs of its own the fuzzer meets: a program that lost the syscall
 * number (libseccomp_lost_nr, below: not compared), a leak (suppressed, below), and
 * policies it loops on forever (timeouts: nothing of minirun's runs then).
 * FUZZ_SECCOMP_DUMP=1 prints the policy and both programs (to read a reproducer).
 *
 * Seeds: tests/fuzz/seeds/seccomp/. See: tests/fuzz/README.md.
 */
#include "minirun/oci/seccomp_bpf.h"
#include "tests/fuzz/fuzz.h"
#include "tests/unit/seccomp_diff.h"

#include <jansson.h>
#include <linux/audit.h>

static const char *const names[] = {
	"read",     "write",      "open",   "close",       "stat",       "fstat",    "lseek",
	"mmap",     "brk",        "ioctl",  "socket",      "connect",    "accept",   "accept4",
	"send",     "recv",       "sendto", "recvfrom",    "recvmmsg",   "sendmmsg", "socketpair",
	"shutdown", "socketcall", "ipc",    "shmget",      "shmat",      "semop",    "semget",
	"msgsnd",   "clone",      "clone3", "personality", "arch_prctl", "uname",    "getpid",
	"getppid",  "exit_group", "keyctl", "fstatat64",   "_llseek",    "openat2",  "futex",
};
static const char *const actions[] = {"SCMP_ACT_ALLOW",       "SCMP_ACT_ERRNO", "SCMP_ACT_KILL",
				      "SCMP_ACT_TRAP",        "SCMP_ACT_LOG",   "SCMP_ACT_TRACE",
				      "SCMP_ACT_KILL_PROCESS"};
static const char *const ops[] = {"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",       "SCMP_CMP_EQ",
				  "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"};
static const char *const archs[] = {"SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64",
				    "SCMP_ARCH_ARM"};

struct in {
	const uint8_t *p;
	size_t n;
};

static uint8_t byte(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static json_int_t value(struct in *in)
{
	uint8_t k = byte(in), v = byte(in);
	switch (k % 4) {
	case 0: return v;
	case 1: return (json_int_t)(0xffffffffULL - (v % 3) + 1) - 1; /* 2^32-3 .. 2^32-1 */
	case 2: return (json_int_t)(((uint64_t)(v % 4) << 32) | (v & 0xf0));
	default: return -(json_int_t)(v % 3) - 1;
	}
}

static json_t *policy(struct in *in)
{
	json_t *p = json_object(), *list = json_array(), *al = json_array();
	json_object_set_new(p, "defaultAction", json_string(actions[byte(in) % 7]));
	json_object_set_new(p, "defaultErrnoRet", json_integer(byte(in) % 40));
	uint8_t abits = byte(in);
	for (size_t i = 0; i < 4; i++)
		if (abits >> i & 1)
			json_array_append_new(al, json_string(archs[i]));
	json_object_set_new(p, "architectures", al);
	for (int r = 0; r < 12 && in->n >= 4; r++) {
		json_t *rule = json_object(), *nl = json_array(), *args = json_array();
		uint8_t nm = byte(in), nn = 1 + byte(in) % 3;
		for (uint8_t k = 0; k < nn; k++)
			json_array_append_new(
				nl,
				json_string(
					names[(nm + 7 * k) % (sizeof(names) / sizeof(names[0]))]));
		json_object_set_new(rule, "names", nl);
		json_object_set_new(rule, "action", json_string(actions[byte(in) % 7]));
		json_object_set_new(rule, "errnoRet", json_integer(byte(in) % 40));
		uint8_t na = byte(in) % 4;
		for (uint8_t a = 0; a < na; a++) {
			uint8_t io = byte(in);
			json_t *c = json_object();
			json_object_set_new(c, "index", json_integer(io % 6));
			json_object_set_new(c, "op", json_string(ops[(io >> 3) % 7]));
			json_object_set_new(c, "value", json_integer(value(in)));
			json_object_set_new(c, "valueTwo", json_integer(value(in)));
			json_array_append_new(args, c);
		}
		json_object_set_new(rule, "args", args);
		json_array_append_new(list, rule);
	}
	json_object_set_new(p, "syscalls", list);
	return p;
}

/* LeakSanitizer's suppressions: libseccomp 2.5.4 leaks its rule copies when an i386
 * socket call's rule compares argument 0 (the subcall's place in socketcall); that is not
 * minirun's memory (tests/fuzz/crashes/seccomp/leak-0f54857...: the reproducer). */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libseccomp.so\n";
}

/* libseccomp 2.5.4's program sometimes tests the syscall number right after an arch test,
 * with the arch value still in the accumulator (seen when an ABI's section has no rule of
 * its own, or x86_64's holds only rules with comparisons and x32 is listed): that ABI's
 * rules never match. Such a program is not the reference for anything; seccomp_bpf.c's is
 * right there (crash-5510c46..., crash-2c6fb83...). */
static bool libseccomp_lost_nr(const struct sock_filter *f, size_t n)
{
	static const uint32_t archs[] = {AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64,
					 AUDIT_ARCH_ARM};
	for (size_t i = 0; i < n; i++) {
		if (f[i].code != (BPF_JMP | BPF_JEQ | BPF_K))
			continue;
		bool arch = false;
		for (size_t k = 0; k < sizeof(archs) / sizeof(archs[0]); k++)
			arch |= f[i].k == archs[k];
		size_t t = i + 1 + f[i].jt;
		if (arch && t < n && BPF_CLASS(f[t].code) == BPF_JMP)
			return true;
	}
	return false;
}

/* FUZZ_SECCOMP_DUMP=1: both programs on stderr, one instruction a line */
static void dump_programs(const struct sd_both *b)
{
	for (size_t i = 0; i < b->nref + b->nmine; i++) {
		const struct sock_filter *f = i < b->nref ? &b->ref[i] : &b->mine[i - b->nref];
		fprintf(stderr, "%s %3zu: %04x %3u %3u %#x\n", i < b->nref ? "ref" : "new",
			i < b->nref ? i : i - b->nref, f->code, f->jt, f->jf, f->k);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = {data, size};
	json_t *prof = policy(&in);
	if (getenv("FUZZ_SECCOMP_DUMP"))
		json_dumpf(prof, stderr, JSON_INDENT(1)), fputc(10, stderr);
	struct sd_both b = {0};
	if (sd_both_compile(prof, &b) == 0) {
		if (b.gen < 0)
			fuzz_oracle("seccomp_bpf_generate failed with no memory shortage");
		if (b.gen == 0 && sd_both_export(&b) == 0 && !libseccomp_lost_nr(b.ref, b.nref)) {
			struct sd_pair p = {.a = b.ref, .na = b.nref, .b = b.mine, .nb = b.nmine};
			if (getenv("FUZZ_SECCOMP_DUMP"))
				dump_programs(&b);
			if (!sd_compare(&p, &b.pol, 520, 2))
				fuzz_oracle("libseccomp and seccomp_bpf.c differ: %s", p.why);
		}
	}
	sd_both_free(&b);
	json_decref(prof);
	return 0;
}

/*
 * minirun/oci/early_seal.c - clone_exe.c's sealed re-exec, done before glibc starts.
 *
 * create, run and exec re-execute minirun-oci from a private read-only overlay of its
 * directory (clone_exe.c) before they do anything for a container. The first start did
 * nothing else, yet paid a whole start of the static binary: glibc's CPU probe (~45
 * cpuid instructions, each a trap to the hypervisor on a VM), libcap's constructor (6
 * prctls), the option parsing: ~0.3 ms, 34 page faults and 24 syscalls of each `run`
 * (bench/README.md "Each exec"). So the binary's entry point is here (minirun/oci/build.mk
 * links it with -e): for those verbs it makes the same overlay and executes the binary
 * from it with raw syscalls, before any of that runs. In every other case -- another verb,
 * -v or --debug (whose narration tells of the re-exec), MINIRUN_SEAL set, an exe that is a
 * memfd or on an overlay already, a kernel that refuses the overlay -- it goes on to
 * glibc's _start untouched, and clone_exe.c decides as before.
 *
 * Nothing here is needed for safety: whatever it skips or gets wrong, clone_exe_reexec
 * still checks the seal (a detached read-only overlay, or sealed memfd) and re-executes.
 *
 * Rules for this file, which runs before the C library exists: no libc calls at all (no
 * TLS, so no errno and no stack protector; no IRELATIVE relocations applied yet, so no
 * strlen or memcpy, and no loop the compiler could turn into one: see the barriers), and
 * no pointers in initialised data (a static-pie would not have relocated them yet).
 *
 * See: the x86-64 psABI "Process Initialization" (the stack at the entry point, %rdx);
 *      fsopen(2), fsmount(2), execveat(2); clone_exe.c.
 */
#if defined(__x86_64__)
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#ifndef OVERLAYFS_SUPER_MAGIC
#define OVERLAYFS_SUPER_MAGIC 0x794c7630
#endif
#define NOLIBC    __attribute__((no_stack_protector, no_sanitize("address", "undefined")))
#define BARRIER() __asm__ volatile("" ::: "memory") /* keeps a loop a loop */

NOLIBC static long sys6(long n, long a, long b, long c, long d, long e)
{
	long r;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return r;
}

NOLIBC static int eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++, b++;
		BARRIER();
	}
	return *a == *b;
}

/* True when ARGV's verb (after runc's global options) is one that re-executes. On
 * anything it does not know for sure it says no: clone_exe.c then does the re-exec. */
NOLIBC static int wants_seal(char **argv)
{
	for (int i = 1; argv[i]; i++) {
		const char *a = argv[i];
		if (a[0] != '-')
			return eq(a, "create") || eq(a, "run") || eq(a, "exec");
		if (eq(a, "--root") || eq(a, "--log") || eq(a, "--log-format") ||
		    eq(a, "--rootless") || eq(a, "--criu")) {
			if (!argv[++i])
				return 0;
		} else if (!eq(a, "--systemd-cgroup")) {
			/* -v, --debug (narration wanted), --x=y, abbreviations, --help ... */
			return 0;
		}
	}
	return 0;
}

NOLIBC static int seal_env(char **envp)
{
	static const char name[] = "MINIRUN_SEAL=";
	for (; *envp; envp++) {
		int i = 0;
		while (name[i] && (*envp)[i] == name[i]) {
			i++;
			BARRIER();
		}
		if (!name[i])
			return 1;
	}
	return 0;
}

/* Is /proc/self/exe a plain file on the host (neither a memfd nor on any overlay)? */
NOLIBC static int plain_exe(void)
{
	static struct statfs fs; /* static: zeroed without a memset call */
	long fd = sys6(SYS_open, (long)"/proc/self/exe", O_RDONLY | O_CLOEXEC, 0, 0, 0);
	if (fd < 0)
		return 0;
	int plain = sys6(SYS_fcntl, fd, F_GET_SEALS, 0, 0, 0) < 0 &&
		    sys6(SYS_fstatfs, fd, (long)&fs, 0, 0, 0) == 0 &&
		    fs.f_type != OVERLAYFS_SUPER_MAGIC;
	sys6(SYS_close, fd, 0, 0, 0, 0);
	return plain;
}

/* Called from the entry point with the initial stack; returns only when glibc's start
 * should go on (see the file's header), else the binary runs again from the overlay. */
NOLIBC __attribute__((used)) void mr_early_seal(long *sp)
{
	static char exe[4096], lower[8192 + 16];
	char **argv = (char **)(sp + 1), **envp = argv + sp[0] + 1;
	if (sp[0] < 2 || !wants_seal(argv) || seal_env(envp) || !plain_exe())
		return;
	long len = sys6(SYS_readlink, (long)"/proc/self/exe", (long)exe, sizeof(exe) - 1, 0, 0);
	if (len <= 1 || len >= (long)sizeof(exe) - 1 || exe[0] != '/')
		return;
	exe[len] = '\0';
	long slash = len - 1;
	while (exe[slash] != '/')
		slash--;
	/* lowerdir: the binary's directory, ':' and '\' escaped, then the dummy layer */
	long n = 0;
	for (long i = 0; i < (slash ? slash : 1); i++) {
		if (exe[i] == ':' || exe[i] == '\\')
			lower[n++] = '\\';
		lower[n++] = exe[i];
		BARRIER();
	}
	const char *dummy = ":/dev"; /* clone_exe.c's DUMMY_LOWER */
	for (long i = 0; i <= 5; i++)
		lower[n++] = dummy[i];
	long fs = sys6(SYS_fsopen, (long)"overlay", FSOPEN_CLOEXEC, 0, 0, 0);
	if (fs < 0)
		return;
	long mnt = -1;
	if (sys6(SYS_fsconfig, fs, FSCONFIG_SET_STRING, (long)"lowerdir", (long)lower, 0) == 0) {
		sys6(SYS_fsconfig, fs, FSCONFIG_SET_STRING, (long)"xino", (long)"off", 0);
		if (sys6(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, 0, 0, 0) == 0)
			mnt = sys6(SYS_fsmount, fs, FSMOUNT_CLOEXEC,
				   MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID, 0, 0);
	}
	sys6(SYS_close, fs, 0, 0, 0, 0);
	if (mnt < 0)
		return;
	/* by name in the mount, as clone_exe.c, so that comm and ps show the binary's name */
	sys6(SYS_execveat, mnt, (long)(exe + slash + 1), (long)argv, (long)envp, 0);
	sys6(SYS_close, mnt, 0, 0, 0, 0);
}

/* The entry point: the kernel's initial stack (argc, argv, envp, auxv) is passed on to
 * glibc's _start as it came, and %rdx too (its rtld_fini; 0 from the kernel). */
__asm__(".text\n"
	".globl mr_early_entry\n"
	".type mr_early_entry,@function\n"
	"mr_early_entry:\n"
	"	mov %rsp, %rdi\n"
	"	push %rdx\n"
	"	sub $8, %rsp\n" /* the call below then finds the stack 16-byte aligned */
	"	call mr_early_seal\n"
	"	add $8, %rsp\n"
	"	pop %rdx\n"
	"	jmp _start\n"
	".size mr_early_entry, .-mr_early_entry\n");
#endif

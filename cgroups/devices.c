/*
 * cgroups/devices.c - which device nodes the processes of a cgroup may open or mknod.
 *
 * Holding a device node is not enough to use it: the kernel asks the devices controller
 * first, on every open(2) and mknod(2) of a block or character device. Without a rule a
 * container with CAP_MKNOD could `mknod /x b 8 0` and read the host's disk. The rules
 * (struct cg_device_rule) are the OCI ones: allow or deny, a type (a = all, b, c), a major
 * and minor (-1 = any) and an access subset of "rwm" (read, write, mknod). Like runc, the
 * last rule that matches decides, and a request no rule matches is denied.
 *
 * v2 (unified): no file at all. The policy is an eBPF program of type
 * BPF_PROG_TYPE_CGROUP_DEVICE, attached to the cgroup's directory: the kernel runs it on
 * every device access and it returns 1 (allow) or 0 (deny, EPERM). We write it here as
 * raw instructions, one block per rule, and load it with bpf(2) (no libbpf). Applying
 * rules again (`update`) replaces the program in one step (BPF_F_REPLACE).
 *
 * Hybrid hosts (v1 controllers, plus the unified tree at /sys/fs/cgroup/unified): the same
 * eBPF program, on the cgroup's directory in the unified tree. The kernel asks both: first
 * the program of the process's v2 cgroup, then its v1 devices cgroup, and either may say
 * no (devcgroup_check_permission in security/device_cgroup.c). The program alone is
 * enough, and it spares the container a v1 devices cgroup: moving a process into a v1
 * hierarchy waits for an RCU grace period, measured at 5-10 ms of each `minirun run` here.
 *
 * v1 (legacy hosts with no unified tree, a kernel without the program type, or a cgroup
 * that already has a devices directory): the `devices` hierarchy. The cgroup gets a
 * directory there too (below our own cgroup of that hierarchy, like every v1 directory of
 * cgroup_v1.c), then "a" goes to devices.deny (deny everything) and each rule, in order, to
 * devices.allow or devices.deny as "c 1:3 rwm". The kernel keeps the list itself.
 *
 * See: Documentation/admin-guide/cgroup-v1/devices.rst; cgroup-v2.rst "Device
 *      controller"; include/uapi/linux/bpf.h (struct bpf_cgroup_dev_ctx); runc's
 *      libcontainer/cgroups/devices (devicefilter); bpf(2).
 * Build: make cgroups. Used by minirun for linux.resources.devices.
 */
#include "cgroups/cgroup_impl.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* "rwm" subset -> BPF_DEVCG_ACC_* bits (the same letters v1 writes as they are) */
static unsigned access_bits(const char *access)
{
	static const struct {
		char c;
		unsigned bit;
	} letters[] = {
		{'r', BPF_DEVCG_ACC_READ}, {'w', BPF_DEVCG_ACC_WRITE}, {'m', BPF_DEVCG_ACC_MKNOD}};
	unsigned bits = 0;
	for (size_t i = 0; i < sizeof(letters) / sizeof(letters[0]); i++)
		if (strchr(access, letters[i].c))
			bits |= letters[i].bit;
	return bits;
}

static int check_rule(const struct cg_device_rule *r, size_t i, struct mr_err *err)
{
	if (!strchr("abc", r->type) || !r->type)
		return cg_failx(err, EINVAL, "device rule %zu: type '%c' is not a, b or c", i,
				r->type ? r->type : '?');
	if (!r->access[0] || strspn(r->access, "rwm") != strlen(r->access))
		return cg_failx(err, EINVAL, "device rule %zu: access '%s' is not a subset of rwm",
				i, r->access);
	if (r->major < -1 || r->minor < -1 || r->major > 0xfffff || r->minor > 0xfffff)
		return cg_failx(err, EINVAL, "device rule %zu: major/minor out of range", i);
	return 0;
}

/* ---- v1: the devices hierarchy ---------------------------------------------------------- */

/* "c 1:3 rwm", "a *:* rwm" */
static void v1_line(const struct cg_device_rule *r, char *out, size_t size)
{
	char maj[24] = "*", min[24] = "*";
	if (r->major >= 0)
		snprintf(maj, sizeof(maj), "%lld", (long long)r->major);
	if (r->minor >= 0)
		snprintf(min, sizeof(min), "%lld", (long long)r->minor);
	snprintf(out, size, "%c %s:%s %s", r->type, maj, min, r->access);
}

/* The cgroup's path relative to our own cgroup of its first node's hierarchy (or the
 * absolute inner path when it is not below it), into REL. */
static void first_rel(const struct cg *cg, char *rel, size_t size)
{
	const struct cg_node *nd = &cg->node[0];
	const char *mount = cg->sys.v2_mount, *own = cg->sys.v2_own;
	for (int j = 0; !nd->v2 && j < cg->sys.n_v1; j++)
		if (!strcmp(cg->sys.v1[j].controllers, nd->hier))
			mount = cg->sys.v1[j].mount, own = cg->sys.v1[j].own;
	const char *inner = nd->dir + strlen(mount);
	size_t n = strlen(own);
	if (!strcmp(own, "/") && inner[0] == '/')
		snprintf(rel, size, "%s", inner + 1);
	else if (!strncmp(inner, own, n) && inner[n] == '/')
		snprintf(rel, size, "%s", inner + n + 1);
	else
		snprintf(rel, size, "%s", inner[0] ? inner : "/");
}

/* The devices node of CG, made when missing: the same path as the cgroup's other
 * directories, placed below our own cgroup of the devices hierarchy (never above it). */
static struct cg_node *v1_devices_node(struct cg *cg, struct mr_err *err)
{
	const struct cg_hier *h = cg_v1_hier(&cg->sys, "devices");
	char rel[PATH_MAX], inner[PATH_MAX];

	for (int i = 0; i < cg->n; i++)
		if (!cg->node[i].v2 && h && !strcmp(cg->node[i].hier, h->controllers))
			return &cg->node[i];
	if (!h)
		return cg_failx(err, ENOENT,
				"no v1 devices hierarchy (grep devices /proc/cgroups)"),
		       NULL;
	if (cg->n > CG_MAX_HIER)
		return cg_failx(err, ENOSPC, "cgroup '%s': too many hierarchies", cg->path), NULL;
	first_rel(cg, rel, sizeof(rel));
	if (cg_build_path(h->own, rel, true, inner, sizeof(inner), err) < 0)
		return NULL;
	struct cg_node *nd = &cg->node[cg->n];
	memset(nd, 0, sizeof(*nd));
	if (snprintf(nd->dir, sizeof(nd->dir), "%s%s", h->mount, inner) >= (int)sizeof(nd->dir))
		return mr_fail(err, ENAMETOOLONG, "cgroup path '%s'", inner), NULL;
	snprintf(nd->hier, sizeof(nd->hier), "%s", h->controllers);
	/* mkdir each level below our own cgroup; the levels above are not ours to make */
	size_t base = strlen(h->mount) + (strcmp(h->own, "/") ? strlen(h->own) : 0);
	for (size_t i = base + 1;; i++) {
		char c = nd->dir[i];
		if (c != '/' && c != '\0')
			continue;
		nd->dir[i] = '\0';
		if (mkdir(nd->dir, 0755) == 0) {
			mr_say("mkdir %s", nd->dir);
			if (cg->n_made < CG_MAX_MADE)
				memcpy(cg->made[cg->n_made++], nd->dir, strlen(nd->dir) + 1);
		} else if (errno != EEXIST) {
			mr_fail(err, errno, "mkdir '%s'", nd->dir);
			nd->dir[i] = c;
			return NULL;
		}
		nd->dir[i] = c;
		if (c == '\0')
			break;
	}
	cg->n++; /* from now on cg_add_pid and cg_remove include it */
	return nd;
}

static int v1_apply(struct cg *cg, const struct cg_device_rule *rules, size_t n, struct mr_err *err)
{
	struct cg_node *nd = v1_devices_node(cg, err);
	char line[64];
	if (!nd)
		return -1;
	/* Why "a" first: a new devices cgroup inherits its parent's list (usually "allow
	 * everything"); denying all makes the rules below the whole list, as in runc. On an
	 * existing cgroup (`update`) this also clears the old list, and for the few
	 * microseconds until the rules are written again an open(2) in it is refused: v1
	 * has no atomic swap (runc computes the difference instead). */
	if (cg_node_write(nd, "devices.deny", "a", err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		v1_line(&rules[i], line, sizeof(line));
		if (cg_node_write(nd, rules[i].allow ? "devices.allow" : "devices.deny", line,
				  err) < 0)
			return -1;
	}
	return 0;
}

/* ---- v2: an eBPF program ---------------------------------------------------------------- */

/* The instruction forms the program uses (what the kernel's filter.h macros spell) */
#define INSN(c, d, s, o, i)                                                                        \
	((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})
#define LDX_W(d, s, o)   INSN(BPF_LDX | BPF_MEM | BPF_W, d, s, o, 0)   /* d = *(u32 *)(s+o) */
#define MOV_X(d, s)      INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0) /* d = s */
#define MOV_K(d, k)      INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, k) /* d = k */
#define AND_K(d, k)      INSN(BPF_ALU64 | BPF_AND | BPF_K, d, 0, 0, k) /* d &= k */
#define RSH_K(d, k)      INSN(BPF_ALU64 | BPF_RSH | BPF_K, d, 0, 0, k) /* d >>= k */
#define XOR_K(d, k)      INSN(BPF_ALU64 | BPF_XOR | BPF_K, d, 0, 0, k) /* d ^= k */
#define OR_X(d, s)       INSN(BPF_ALU64 | BPF_OR | BPF_X, d, s, 0, 0)  /* d |= s */
#define JNE_K(d, k, off) INSN(BPF_JMP | BPF_JNE | BPF_K, d, 0, off, k) /* if d != k skip off */
#define EXIT()           INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)          /* return r0 */

/* One test of a rule: r0 (the first test of the block) or r6 = REG ^ K (REG & K when
 * MASK), zero when the field matches; r6 is then or'ed into r0. */
static void add_test(struct bpf_insn *insns, size_t *k, bool first, int reg, int32_t x, bool mask)
{
	int d = first ? BPF_REG_0 : BPF_REG_6;
	insns[(*k)++] = MOV_X(d, reg);
	insns[(*k)++] = mask ? AND_K(d, x) : XOR_K(d, x);
	if (!first)
		insns[(*k)++] = OR_X(BPF_REG_0, BPF_REG_6);
}

/*
 * cg_devices_prog - the program for RULES into INSNS; returns its length.
 *
 * The kernel calls it with r1 = struct bpf_cgroup_dev_ctx *:
 *   access_type  low 16 bits the type (BPF_DEVCG_DEV_BLOCK or _CHAR), high 16 the access
 *                asked for (BPF_DEVCG_ACC_MKNOD | _READ | _WRITE)
 *   major, minor
 * Prologue: r2 = type, r3 = access, r4 = major, r5 = minor.
 * Then one block per rule, LAST rule first, so that the first block that matches is the
 * last matching rule (last match wins). A block sums up its tests in r0, each zero when
 * its field matches: r2 ^ type, r4 ^ major, r5 ^ minor (a field the rule leaves open,
 * "a" or -1, has no test) and for the access r3 & ~rule (the request must be a subset of
 * the rule's letters), or'ed together; then "if r0 != 0 jump to the next block; r0 =
 * allow; exit".
 * Epilogue: no rule matched: r0 = 0, deny.
 *
 * Why one jump per rule and not one per field (a row of "if r2 != type" tests, as runc
 * writes it): the verifier walks both sides of every conditional jump, and each side
 * that learnt a field's value ("r2 == char" past the first test) reaches the next block
 * as a state of its own, walked again. With the default rules that was 195 instructions
 * walked for 64, and loading the program (bpf BPF_PROG_LOAD, at each create) took about
 * 0.2 ms; with one jump per block each instruction is walked once (120 for 120) and the
 * load takes about half as long. The values compared fit in 20 bits (check_rule), so
 * the 64-bit xor with the sign-extended immediate is the comparison the jump made.
 */
size_t cg_devices_prog(const struct cg_device_rule *rules, size_t n, struct bpf_insn *insns)
{
	size_t k = 0;
	insns[k++] = LDX_W(BPF_REG_2, BPF_REG_1, offsetof(struct bpf_cgroup_dev_ctx, access_type));
	insns[k++] = MOV_X(BPF_REG_3, BPF_REG_2);
	insns[k++] = AND_K(BPF_REG_2, 0xffff); /* r2 = type */
	insns[k++] = RSH_K(BPF_REG_3, 16);     /* r3 = access */
	insns[k++] = LDX_W(BPF_REG_4, BPF_REG_1, offsetof(struct bpf_cgroup_dev_ctx, major));
	insns[k++] = LDX_W(BPF_REG_5, BPF_REG_1, offsetof(struct bpf_cgroup_dev_ctx, minor));
	for (size_t i = n; i-- > 0;) {
		const struct cg_device_rule *r = &rules[i];
		size_t tests = 0;
		unsigned acc = access_bits(r->access);
		if (r->type != 'a')
			add_test(insns, &k, tests++ == 0, BPF_REG_2,
				 r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR, false);
		if (r->major >= 0)
			add_test(insns, &k, tests++ == 0, BPF_REG_4, (int32_t)r->major, false);
		if (r->minor >= 0)
			add_test(insns, &k, tests++ == 0, BPF_REG_5, (int32_t)r->minor, false);
		unsigned all = BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE;
		if (acc != all)
			add_test(insns, &k, tests++ == 0, BPF_REG_3, (int32_t)(all & ~acc), true);
		/* Why stop: a block without a test ("a *:* rwm") matches everything, so the
		 * blocks of earlier rules could never run, and the verifier refuses a program
		 * with unreachable instructions. */
		if (tests == 0) {
			insns[k++] = MOV_K(BPF_REG_0, r->allow ? 1 : 0);
			insns[k++] = EXIT();
			return k;
		}
		/* a mismatch jumps over the r0 and exit to the first instruction of the next block */
		insns[k++] = JNE_K(BPF_REG_0, 0, 2);
		insns[k++] = MOV_K(BPF_REG_0, r->allow ? 1 : 0);
		insns[k++] = EXIT();
	}
	insns[k++] = MOV_K(BPF_REG_0, 0);
	insns[k++] = EXIT();
	return k;
}

/* An fd of the device filter already attached to the cgroup directory DIR (one this file
 * attached before: `update` replaces it), or -1 when there is none. */
static int attached_filter(int dir)
{
	union bpf_attr attr;
	uint32_t ids[8] = {0};
	memset(&attr, 0, sizeof(attr));
	attr.query.target_fd = (uint32_t)dir;
	attr.query.attach_type = BPF_CGROUP_DEVICE;
	attr.query.prog_ids = (uint64_t)(uintptr_t)ids;
	attr.query.prog_cnt = sizeof(ids) / sizeof(ids[0]);
	if (syscall(SYS_bpf, BPF_PROG_QUERY, &attr, sizeof(attr)) < 0 || attr.query.prog_cnt == 0)
		return -1;
	/* the newest is last: the one a previous apply attached */
	uint32_t id = ids[attr.query.prog_cnt - 1];
	memset(&attr, 0, sizeof(attr));
	attr.prog_id = id;
	return (int)syscall(SYS_bpf, BPF_PROG_GET_FD_BY_ID, &attr, sizeof(attr));
}

/* RULES' program loaded (bpf BPF_PROG_LOAD), with the verifier's log into LOG when LOG */
static int load(const struct cg_device_rule *rules, size_t n, char *log, size_t logsize)
{
	struct bpf_insn insns[CG_DEVICES_MAX_INSNS(CG_MAX_DEVICE_RULES)];
	union bpf_attr attr;
	size_t len = cg_devices_prog(rules, n, insns);
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = (uint32_t)len;
	attr.license = (uint64_t)(uintptr_t) "GPL";
	if (log) {
		attr.log_buf = (uint64_t)(uintptr_t)log;
		attr.log_size = (uint32_t)logsize;
		attr.log_level = 1;
	}
	mr_say("bpf(BPF_PROG_LOAD) a device filter of %zu instructions for %zu rules", len, n);
	return (int)syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
}

/* RULES checked, the first bad one named in err */
static int check_rules(const struct cg_device_rule *rules, size_t n, struct mr_err *err)
{
	if (n > CG_MAX_DEVICE_RULES)
		return cg_failx(err, E2BIG, "%zu device rules: at most %d", n, CG_MAX_DEVICE_RULES);
	for (size_t i = 0; i < n; i++)
		if (check_rule(&rules[i], i, err) < 0)
			return -1;
	return 0;
}

int cg_devices_load(const struct cg_device_rule *rules, size_t n)
{
	return check_rules(rules, n, NULL) < 0 ? -1 : load(rules, n, NULL, 0);
}

/* PROG: cg_devices_load's fd for RULES, taken over; -1: loaded here */
static int v2_apply(struct cg *cg, const struct cg_device_rule *rules, size_t n, int prog,
		    struct mr_err *err)
{
	struct cg_node *nd = cg_v2_node(cg);
	static char log[8192];

	if (!nd) {
		if (prog >= 0)
			close(prog);
		return cg_failx(err, ENOENT, "cgroup '%s' has no v2 directory", cg->path);
	}
	log[0] = '\0';
	if (prog < 0)
		prog = load(rules, n, NULL, 0);
	if (prog < 0 && errno != EPERM) {
		/* Why not ask for the verifier's log at once: it formats a line per
		 * instruction, a good part of the load's time; only a refusal needs it */
		prog = load(rules, n, log, sizeof(log));
	}
	if (prog < 0) {
		/* the verifier says why in its last line before the "processed N insns" tally */
		char *last = log;
		for (char *l = log, *nl; *l; l = nl + 1) {
			if ((nl = strchr(l, '\n')))
				*nl = '\0';
			if (*l && strncmp(l, "processed ", 10))
				last = l;
			if (!nl)
				break;
		}
		return mr_fail(err, errno, "load the device filter (bpf BPF_PROG_LOAD%s%s)",
			       *last ? ": " : "", last);
	}
	int dir = open(nd->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0) {
		close(prog);
		return mr_fail(err, errno, "open '%s'", nd->dir);
	}
	int old = attached_filter(dir);
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)dir;
	attr.attach_bpf_fd = (uint32_t)prog;
	attr.attach_type = BPF_CGROUP_DEVICE;
	attr.attach_flags = BPF_F_ALLOW_MULTI;
	if (old >= 0) {
		/* Why replace and not attach a second one: with several programs on one
		 * cgroup each must allow, so a new policy could only take rights away. The
		 * swap is atomic: no instant with no policy, or with both. */
		attr.attach_flags |= BPF_F_REPLACE;
		attr.replace_bpf_fd = (uint32_t)old;
		mr_say("bpf(BPF_PROG_ATTACH, BPF_F_REPLACE) it in place of the filter on %s",
		       nd->dir);
	} else {
		mr_say("bpf(BPF_PROG_ATTACH) it to %s", nd->dir);
	}
	int rc = (int)syscall(SYS_bpf, BPF_PROG_ATTACH, &attr, sizeof(attr));
	int e = errno;
	/* the attachment holds its own reference: the program lives as long as the cgroup */
	close(dir);
	close(prog);
	if (old >= 0)
		close(old);
	return rc < 0 ? mr_fail(err, e, "attach the device filter to '%s'", nd->dir) : 0;
}

int cg_devices_apply(struct cg *cg, const struct cg_device_rule *rules, size_t n,
		     struct mr_err *err)
{
	return cg_devices_apply_loaded(cg, rules, n, -1, err);
}

int cg_devices_apply_loaded(struct cg *cg, const struct cg_device_rule *rules, size_t n, int prog,
			    struct mr_err *err)
{
	int rc = -1;
	if (check_rules(rules, n, err) < 0)
		goto out;
	/* Which of the two: a cgroup that has a v1 devices directory already keeps it (an
	 * `update` of a container made that way); otherwise the program wherever the cgroup
	 * has a v2 directory, hybrid hosts included (see the header); v1 where it has none,
	 * or where this kernel can't run the program (EINVAL: no such program type) */
	const struct cg_hier *h = cg_v1_hier(&cg->sys, "devices");
	if (!cg_dir(cg, "devices") && cg_v2_node(cg)) {
		struct mr_err e = {0};
		rc = v2_apply(cg, rules, n, prog, &e);
		prog = -1; /* v2_apply's now */
		if (rc == 0)
			return 0;
		/* EINVAL: no such program type; EPERM/EACCES/ENOSYS: bpf(2) refused (an LSM,
		 * a seccomp filter): where a v1 devices hierarchy is there, it does the job */
		bool fallback = e.errnum == EINVAL || e.errnum == EPERM || e.errnum == EACCES ||
				e.errnum == ENOSYS;
		if (!h || !fallback) {
			if (err)
				*err = e;
			return -1;
		}
		mr_say("no device filter on this kernel (%s): the v1 devices hierarchy", e.msg);
	}
	if (prog >= 0)
		close(prog);
	if (h)
		return v1_apply(cg, rules, n, err);
	return cg_failx(err, ENOENT, "cgroup '%s': no devices controller (no v1 devices hierarchy)",
			cg->path);
out:
	if (prog >= 0)
		close(prog);
	return rc;
}

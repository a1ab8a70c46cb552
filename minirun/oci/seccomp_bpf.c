/*
 * minirun/oci/seccomp_bpf.c - a seccomp policy written as a short BPF program: the
 * allowed syscall numbers as ranges found by a binary search.
 *
 * The kernel runs a seccomp filter on every system call, over a struct seccomp_data:
 *
 *	offset 0   nr                  the syscall number (as the architecture numbers it)
 *	offset 4   arch                AUDIT_ARCH_*: which ABI the call came in by
 *	offset 8   instruction_pointer
 *	offset 16  args[6]             64 bits each; on little-endian machines the low word
 *	                               of args[i] is at 16+8i, the high word at 20+8i
 *
 * and the filter's answer is its RET value (SECCOMP_RET_ALLOW, _ERRNO|errno, _KILL...).
 * A filter is classic BPF (cBPF): one accumulator A, 32-bit loads, conditional jumps that
 * only go forward by at most 255 instructions (JA goes further), RET. The kernel checks
 * the program, converts it to eBPF and JIT-compiles it when it is loaded; all three grow
 * with its length, and it runs the program on every syscall, so a short program whose
 * path is short is cheaper twice.
 *
 * libseccomp (the reference: seccomp.c compiles every policy with it) tests the syscall
 * number against each rule in turn: docker's default profile, ~290 allowed syscalls on
 * three ABIs, becomes ~980 instructions, and an allowed call walks ~100 of them. But the
 * allowed numbers are mostly consecutive (x86_64: 288 syscalls in 31 runs), so here the
 * program is laid out as:
 *
 *	ld  arch                              1. which ABI? one JEQ each, else the policy's
 *	jeq AUDIT_ARCH_X86_64 -> x86_64          bad-architecture action (the kernel's arch
 *	jeq AUDIT_ARCH_I386   -> i386            value is fixed per ABI)
 *	ret BADARCH
 *   x86_64:
 *	ld  nr
 *	jge 0x40000000 -> x32                 2. x32 shares x86_64's arch value: its numbers
 *	                                         carry bit 30 (__X32_SYSCALL_BIT); with no x32
 *	                                         in the policy they get BADARCH
 *	jge 200 -> ...                        3. a binary search over the ranges: each range
 *	jge 96 -> ...                            of numbers has one outcome (an action, or the
 *	ret ALLOW  (numbers 0..95)               argument checks of one syscall); ~6 jumps
 *	...                                      reach any range
 *   one syscall with argument checks:      4. each rule of that syscall in turn: every
 *	ld  args[0].hi ; jeq 0 ...               comparison holds -> its action; none of
 *	ld  args[0].lo ; jeq 1 ...               the rules holds -> the default action
 *	ret ALLOW
 *	ret DEFAULT
 *
 * Exactly libseccomp's answers, for every syscall number (tests/unit/test_oci_seccomp_bpf.c
 * runs both programs side by side):
 *   - A range merges numbers consecutive among those the policy names. A number no rule
 *     names keeps the default action even where the kernel defines no syscall: folding it
 *     into an allowed range would turn the default's EPERM into the kernel's ENOSYS, which
 *     programs probing for a new syscall can tell apart (and the gaps are few).
 *   - Comparisons are unsigned, on 64 bits on 64-bit ABIs, on the low 32 bits on 32-bit
 *     ones (x86, x32, arm), as libseccomp does them; MASKED_EQ is (arg & mask) ==
 *     (value & mask), a value with bits outside the mask being libseccomp's too.
 *     Written here: a rule of one comparison of a value under 2^32 (docker's are).
 *   - Rules of one syscall: one without comparisons decides alone (the first such one if
 *     several); else one rule with a comparison, or several that each test one argument
 *     for equality (personality(2)'s), are tried in turn. Other rules with comparisons
 *     are left to libseccomp (seccomp_bpf_generate returns 1): its program is what they
 *     mean (simple, below, says why).
 *   - i386 reaches the socket and SysV IPC calls through socketcall(2) and ipc(2) too:
 *     a rule on socket() also allows socketcall(SYS_SOCKET, ...) (arg 0 is the call's
 *     number there), and the direct syscall where the ABI has one, as libseccomp does.
 *   - libseccomp also tests its negative "pseudo" numbers (syscalls an ABI doesn't have);
 *     no kernel passes one, and they are not written here.
 *
 * See: seccomp(2), Documentation/userspace-api/seccomp_filter.rst, linux/filter.h,
 *      seccomp_export_bpf(3), seccomp_syscall_resolve_name_arch(3).
 */
#include "minirun/oci/seccomp_bpf.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define X32_BIT   0x40000000u
#define NR_OFF    0
#define ARCH_OFF  4
#define ARG_LO(i) (16u + 8u * (i)) /* little-endian ABIs only (all of the table below) */
#define ARG_HI(i) (20u + 8u * (i))

/* the ABIs written here: libseccomp's token, the kernel's arch value, argument width */
static const struct abi {
	uint32_t token, audit;
	int bits;
} abis[] = {
	{SCMP_ARCH_X86_64, AUDIT_ARCH_X86_64, 64},
	{SCMP_ARCH_X32, AUDIT_ARCH_X86_64, 32},
	{SCMP_ARCH_X86, AUDIT_ARCH_I386, 32},
	/* aarch64 and arm stay libseccomp's: its programs for them answer rules with
	 * comparisons differently (tests/fuzz/fuzz_seccomp.c), to be understood on such a
	 * machine */
};

/* ---- the policy ---- */

int seccomp_policy_add_arch(struct seccomp_policy *p, uint32_t arch)
{
	for (size_t i = 0; i < p->narchs; i++)
		if (p->archs[i] == arch)
			return 0;
	if (p->narchs == sizeof(p->archs) / sizeof(p->archs[0]))
		return -1;
	p->archs[p->narchs++] = arch;
	return 0;
}

int seccomp_policy_add_rule(struct seccomp_policy *p, const char *name, uint32_t action,
			    unsigned nargs, const struct scmp_arg_cmp *args)
{
	if (nargs > 6)
		return -1;
	if (p->nrules == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 64;
		struct seccomp_rule *r = realloc(p->rules, cap * sizeof(*r));
		if (!r)
			return -1;
		p->rules = r;
		p->cap = cap;
	}
	struct seccomp_rule *r = &p->rules[p->nrules];
	if (!(r->name = strdup(name)))
		return -1;
	r->action = action;
	r->nargs = nargs;
	memcpy(r->args, args, nargs * sizeof(*args));
	p->nrules++;
	return 0;
}

void seccomp_policy_free(struct seccomp_policy *p)
{
	for (size_t i = 0; i < p->nrules; i++)
		free(p->rules[i].name);
	free(p->rules);
	memset(p, 0, sizeof(*p));
}

/* ---- a growing program ---- */

struct prog {
	struct sock_filter *v;
	size_t n, cap;
	bool oom;
};

static void put(struct prog *b, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 32;
		struct sock_filter *v = b->oom ? NULL : realloc(b->v, cap * sizeof(*v));
		if (!v) {
			b->oom = true;
			return;
		}
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n++] = (struct sock_filter){code, jt, jf, k};
}

static void append(struct prog *dst, const struct prog *src)
{
	dst->oom |= src->oom;
	for (size_t i = 0; i < src->n && !dst->oom; i++)
		put(dst, src->v[i].code, src->v[i].jt, src->v[i].jf, src->v[i].k);
}

/* "if A >= K (or == K) go to the code LEN instructions on, else fall through" */
static void jump_over(struct prog *b, uint16_t op, uint32_t k, size_t len)
{
	if (len <= 255) {
		put(b, BPF_JMP | op | BPF_K, (uint8_t)len, 0, k);
	} else { /* too far for a conditional jump: it jumps to a JA */
		put(b, BPF_JMP | op | BPF_K, 0, 1, k);
		put(b, BPF_JMP | BPF_JA, 0, 0, (uint32_t)len);
	}
}

/* ---- one ABI's syscalls ---- */

/* a rule on one syscall number of one ABI; ORDER keeps the policy's order */
struct entry {
	uint32_t nr;
	size_t order;
	const struct seccomp_rule *rule;
	int subcall; /* > 0: socketcall/ipc's arg 0 must equal it, the rule's arg 0 is not used */
};

/* a range of numbers with one outcome: ACTION, or (E != NULL) the N rules at E */
struct range {
	uint32_t lo;
	uint32_t action;
	const struct entry *e;
	size_t n;
};

struct abi_work {
	const struct abi *abi;
	uint32_t def;
	struct entry *e;
	size_t ne, cape;
	struct range *r;
	size_t nr, capr;
	bool oom;
};

static void add_entry(struct abi_work *w, uint32_t nr, size_t order, const struct seccomp_rule *r,
		      int subcall)
{
	if (w->ne == w->cape) {
		size_t cap = w->cape ? 2 * w->cape : 256;
		struct entry *e = realloc(w->e, cap * sizeof(*e));
		if (!e) {
			w->oom = true;
			return;
		}
		w->e = e;
		w->cape = cap;
	}
	w->e[w->ne++] = (struct entry){nr, order, r, subcall};
}

static void add_range(struct abi_work *w, uint32_t lo, uint32_t action, const struct entry *e,
		      size_t n)
{
	/* consecutive numbers of one action make one range */
	if (!e && w->nr && !w->r[w->nr - 1].e && w->r[w->nr - 1].action == action)
		return;
	if (w->nr == w->capr) {
		size_t cap = w->capr ? 2 * w->capr : 64;
		struct range *r = realloc(w->r, cap * sizeof(*r));
		if (!r) {
			w->oom = true;
			return;
		}
		w->r = r;
		w->capr = cap;
	}
	w->r[w->nr++] = (struct range){lo, action, e, n};
}

static int by_nr(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* i386's multiplexers: socketcall(2) for the socket calls, ipc(2) for SysV IPC. libseccomp
 * names a call reached only through them by a "pseudo" number: -(100 + SYS_*) for
 * socketcall, -(200 + the ipc call) for ipc. */
#define X86_SOCKETCALL 102
#define X86_IPC        117

/* the direct i386 number of NAME (i386 gained direct socket and IPC syscalls in Linux 4.3
 * and 5.1), or -1: libseccomp's table, read back number by number */
static int x86_direct(const char *name)
{
	for (int nr = 0; nr < 512; nr++) {
		char *s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86, nr);
		bool same = s && strcmp(s, name) == 0;
		free(s);
		if (same)
			return nr;
	}
	return -1;
}

/* W's entries: the policy's rules, on this ABI's numbers */
static void collect(struct abi_work *w, const struct seccomp_policy *p)
{
	for (size_t i = 0; i < p->nrules && !w->oom; i++) {
		const struct seccomp_rule *r = &p->rules[i];
		int nr = seccomp_syscall_resolve_name_arch(w->abi->token, r->name);
		if (nr >= 0) {
			add_entry(w, (uint32_t)nr, i, r, 0);
			continue;
		}
		if (w->abi->token != SCMP_ARCH_X86 || nr > -101 || nr < -299 ||
		    (nr < -120 && nr > -201))
			continue; /* no such syscall on this ABI */
		bool sock = nr >= -120;
		add_entry(w, sock ? X86_SOCKETCALL : X86_IPC, i, r, sock ? -nr - 100 : -nr - 200);
		int direct = x86_direct(r->name);
		if (direct >= 0)
			add_entry(w, (uint32_t)direct, i, r, 0);
	}
}

/* Rule E as libseccomp's program means it: one comparison (arg 0's subcall on socketcall
 * and ipc counting as one), of a 32-bit value. libseccomp writes a syscall's rules as one
 * decision tree, 32 bits a node, and tests/fuzz/fuzz_seccomp.c found its programs answer
 * other than "all comparisons of the rule hold" for some rules of two comparisons and more
 * (two NE), and for values past 32 bits (NE of 2^33 on x86_64; any on arm): those stay
 * libseccomp's, whose program is what they mean. */
static bool simple(const struct entry *e)
{
	unsigned n = e->subcall ? 1 : 0;
	for (unsigned k = 0; k < e->rule->nargs; k++) {
		const struct scmp_arg_cmp *c = &e->rule->args[k];
		if (e->subcall && c->arg == 0)
			continue;
		if (++n > 1 || c->datum_a >> 32 ||
		    (c->op == SCMP_CMP_MASKED_EQ && (c->datum_b >> 32 || !c->datum_a)))
			return false; /* (a mask of 0 makes a rule libseccomp takes as having none) */
	}
	return n == 1;
}

/* the N rules at E (N > 1) are "argument K equals one of these values", each simple: the
 * rules of docker's personality(2), or socketcall's and ipc's calls. Other sets of two rules and more on one syscall stay
 * libseccomp's (see simple). */
static bool one_of(const struct entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!simple(&e[i]))
			return false;
		/* a subcall: arg 0 == the call */
		unsigned arg = e[i].subcall ? 0 : e[i].rule->args[0].arg;
		unsigned arg0 = e[0].subcall ? 0 : e[0].rule->args[0].arg;
		if (arg != arg0 || (!e[i].subcall && e[i].rule->args[0].op != SCMP_CMP_EQ))
			return false;
	}
	return true;
}

/* W's ranges over [LO, HI]: each number its syscall's outcome, else the default.
 * Returns 1 when a syscall has rules this generator leaves to libseccomp. */
static int make_ranges(struct abi_work *w, uint32_t lo, uint64_t hi)
{
	size_t i = 0;
	uint64_t next = lo;
	if (w->ne)
		qsort(w->e, w->ne, sizeof(*w->e), by_nr);
	while (i < w->ne && w->e[i].nr < lo)
		i++;
	while (i < w->ne && w->e[i].nr <= hi) {
		size_t j = i, uncond = SIZE_MAX;
		bool mixed = false;
		for (; j < w->ne && w->e[j].nr == w->e[i].nr; j++) {
			if (w->e[j].rule->nargs == 0 && !w->e[j].subcall && uncond == SIZE_MAX)
				uncond = j;
			mixed |= w->e[j].rule->action != w->e[i].rule->action;
		}
		if (next < w->e[i].nr)
			add_range(w, (uint32_t)next, w->def, NULL, 0);
		if (uncond != SIZE_MAX)
			add_range(w, w->e[i].nr, w->e[uncond].rule->action, NULL, 0);
		else if (mixed || (j - i == 1 && !simple(&w->e[i])) ||
			 (j - i > 1 && !one_of(&w->e[i], j - i)))
			return 1;
		else
			add_range(w, w->e[i].nr, 0, &w->e[i], j - i);
		next = (uint64_t)w->e[i].nr + 1;
		i = j;
	}
	if (next <= hi)
		add_range(w, (uint32_t)next, w->def, NULL, 0);
	return 0;
}

/* the length of comparison C's code */
static size_t cmp_len(const struct scmp_arg_cmp *c, int bits)
{
	if (bits == 32)
		return c->op == SCMP_CMP_MASKED_EQ ? 3 : 2;
	switch (c->op) {
	case SCMP_CMP_EQ:
	case SCMP_CMP_NE: return 4;
	case SCMP_CMP_MASKED_EQ: return 6;
	default: return 5;
	}
}

/* Comparison C, falling through when it holds, else jumping to FAIL (the instruction
 * FAIL_AT of the block B grows, at most 255 on). 64 bits: the high words decide unless
 * they are equal, then the low words do. */
static void put_cmp(struct prog *b, const struct scmp_arg_cmp *c, int bits, size_t fail_at)
{
	uint32_t a_lo = (uint32_t)c->datum_a, a_hi = (uint32_t)(c->datum_a >> 32);
	/* MASKED_EQ: libseccomp compares to the value under the mask too */
	uint64_t masked = c->datum_b & c->datum_a;
	uint32_t b_lo = (uint32_t)masked, b_hi = (uint32_t)(masked >> 32);
	const uint16_t ld = BPF_LD | BPF_W | BPF_ABS, jeq = BPF_JMP | BPF_JEQ | BPF_K,
		       jgt = BPF_JMP | BPF_JGT | BPF_K, jge = BPF_JMP | BPF_JGE | BPF_K;
#define FAIL ((uint8_t)(fail_at - b->n - 1)) /* from the instruction being put */
	if (bits == 64) {
		put(b, ld, 0, 0, ARG_HI(c->arg));
		switch (c->op) {
		case SCMP_CMP_EQ: put(b, jeq, 0, FAIL, a_hi); break;
		case SCMP_CMP_NE: /* high words differ: holds */ put(b, jeq, 0, 2, a_hi); break;
		case SCMP_CMP_GT:
		case SCMP_CMP_GE: /* above: holds; below: fails; equal: the low words */
			put(b, jgt, 3, 0, a_hi);
			put(b, jeq, 0, FAIL, a_hi);
			break;
		case SCMP_CMP_LT:
		case SCMP_CMP_LE: /* above: fails; below: holds */
			put(b, jgt, FAIL, 0, a_hi);
			put(b, jeq, 0, 2, a_hi);
			break;
		case SCMP_CMP_MASKED_EQ:
			put(b, BPF_ALU | BPF_AND | BPF_K, 0, 0, a_hi);
			put(b, jeq, 0, FAIL, b_hi);
			break;
		default: break;
		}
	}
	put(b, ld, 0, 0, ARG_LO(c->arg));
	switch (c->op) {
	case SCMP_CMP_EQ: put(b, jeq, 0, FAIL, a_lo); break;
	case SCMP_CMP_NE: put(b, jeq, FAIL, 0, a_lo); break;
	case SCMP_CMP_GT: put(b, jgt, 0, FAIL, a_lo); break;
	case SCMP_CMP_GE: put(b, jge, 0, FAIL, a_lo); break;
	case SCMP_CMP_LT: put(b, jge, FAIL, 0, a_lo); break;
	case SCMP_CMP_LE: put(b, jgt, FAIL, 0, a_lo); break;
	case SCMP_CMP_MASKED_EQ:
		put(b, BPF_ALU | BPF_AND | BPF_K, 0, 0, a_lo);
		put(b, jeq, 0, FAIL, b_lo);
		break;
	default: break;
	}
#undef FAIL
}

/* one syscall's rules with comparisons, each in turn, then the default */
static void put_checks(struct prog *b, const struct range *r, int bits, uint32_t def)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct entry *e = &r->e[i];
		const struct seccomp_rule *rule = e->rule;
		struct scmp_arg_cmp cmp[7];
		size_t n = 0, len = 1, start = b->n;
		if (e->subcall) /* socketcall/ipc: arg 0 is the call's number */
			cmp[n++] =
				(struct scmp_arg_cmp){0, SCMP_CMP_EQ, (scmp_datum_t)e->subcall, 0};
		for (unsigned k = 0; k < rule->nargs; k++)
			if (!e->subcall || rule->args[k].arg != 0)
				cmp[n++] = rule->args[k];
		for (size_t k = 0; k < n; k++)
			len += cmp_len(&cmp[k], bits);
		for (size_t k = 0; k < n; k++)
			put_cmp(b, &cmp[k], bits, start + len);
		put(b, BPF_RET | BPF_K, 0, 0, rule->action);
	}
	put(b, BPF_RET | BPF_K, 0, 0, def);
}

/* the length of one syscall's checks (put_checks) */
static size_t checks_len(const struct range *r, int bits)
{
	size_t len = 1;
	for (size_t i = 0; i < r->n; i++) {
		const struct entry *e = &r->e[i];
		len += 1 +
		       (e->subcall ? cmp_len(&(struct scmp_arg_cmp){.op = SCMP_CMP_EQ}, bits) : 0);
		for (unsigned k = 0; k < e->rule->nargs; k++)
			if (!e->subcall || e->rule->args[k].arg != 0)
				len += cmp_len(&e->rule->args[k], bits);
	}
	return len;
}

/* The binary search over the ranges R[A..Z) (A = nr): "nr >= the first number of R[mid]"
 * splits them in two halves. A range of one action is a jump to a RET shared by the whole
 * ABI (the "labels", put after the search; put_search notes each jump in FIX), a syscall's
 * checks are put inline. LABELS false: every range inline, for an ABI too long for the
 * 255-instruction jumps. */
struct search {
	const struct abi_work *w;
	bool labels;
	struct fix {
		size_t at;
		bool jt;
		uint32_t action;
	} * fix;
	size_t nfix, capfix;
	bool oom;
};

static bool is_label(const struct search *s, size_t a, size_t z)
{
	return s->labels && z - a == 1 && !s->w->r[a].e;
}

static size_t search_len(const struct search *s, size_t a, size_t z)
{
	if (z - a == 1)
		return is_label(s, a, z) ? 0
		       : s->w->r[a].e    ? checks_len(&s->w->r[a], s->w->abi->bits)
					 : 1;
	size_t mid = a + (z - a) / 2, low = search_len(s, a, mid);
	return (low > 255 && !is_label(s, mid, z) ? 2 : 1) + low + search_len(s, mid, z);
}

static void note_fix(struct search *s, size_t at, bool jt, uint32_t action)
{
	if (s->nfix == s->capfix) {
		size_t cap = s->capfix ? 2 * s->capfix : 64;
		struct fix *f = realloc(s->fix, cap * sizeof(*f));
		if (!f) {
			s->oom = true;
			return;
		}
		s->fix = f;
		s->capfix = cap;
	}
	s->fix[s->nfix++] = (struct fix){at, jt, action};
}

static void put_search(struct prog *b, struct search *s, size_t a, size_t z)
{
	const struct abi_work *w = s->w;
	if (z - a == 1) {
		if (w->r[a].e)
			put_checks(b, &w->r[a], w->abi->bits, w->def);
		else if (!s->labels)
			put(b, BPF_RET | BPF_K, 0, 0, w->r[a].action);
		return;
	}
	size_t mid = a + (z - a) / 2, low = search_len(s, a, mid);
	const uint16_t jge = BPF_JMP | BPF_JGE | BPF_K;
	if (low > 255 && is_label(s, mid, z)) { /* too far: put_ranges starts again */
		note_fix(s, b->n, true, w->r[mid].action);
		put(b, jge, 0, 0, w->r[mid].lo);
	} else if (low > 255) { /* a JGE to the high half would jump too far: over a JA */
		put(b, jge, 0, 1, w->r[mid].lo);
		put(b, BPF_JMP | BPF_JA, 0, 0, (uint32_t)low);
	} else {
		if (is_label(s, mid, z))
			note_fix(s, b->n, true, w->r[mid].action);
		if (is_label(s, a, mid))
			note_fix(s, b->n, false, w->r[a].action);
		put(b, jge, (uint8_t)low, 0, w->r[mid].lo);
	}
	put_search(b, s, a, mid);
	put_search(b, s, mid, z);
}

/* the search over W's ranges, with shared RETs when the jumps reach them; 1: too long */
static int put_ranges(struct prog *b, const struct abi_work *w)
{
	struct search s = {.w = w, .labels = w->nr > 1};
	size_t start = b->n;
	put_search(b, &s, 0, w->nr);
	/* the labels: one RET per action, the jumps to them set now */
	uint32_t acts[64];
	size_t nacts = 0, at = b->n;
	bool near = !s.oom;
	for (size_t i = 0; i < s.nfix && near; i++) {
		size_t k = 0;
		while (k < nacts && acts[k] != s.fix[i].action)
			k++;
		if (k == nacts) {
			if (nacts == sizeof(acts) / sizeof(acts[0])) {
				near = false;
				break;
			}
			acts[nacts++] = s.fix[i].action;
			put(b, BPF_RET | BPF_K, 0, 0, s.fix[i].action);
		}
		size_t off = at + k - s.fix[i].at - 1;
		if (off > 255 || b->oom) {
			near = false;
			break;
		}
		if (s.fix[i].jt)
			b->v[s.fix[i].at].jt = (uint8_t)off;
		else
			b->v[s.fix[i].at].jf = (uint8_t)off;
	}
	free(s.fix);
	if (near || s.oom)
		return s.oom ? -1 : 0;
	b->n = start; /* every range inline then */
	s = (struct search){.w = w, .labels = false};
	put_search(b, &s, 0, w->nr);
	return 0;
}

/* ABI's code for numbers [LO, HI] into B (A = nr already); 1: left to libseccomp */
static int put_abi(struct prog *b, const struct seccomp_policy *p, const struct abi *abi,
		   uint32_t lo, uint64_t hi)
{
	struct abi_work w = {.abi = abi, .def = p->def};
	collect(&w, p);
	int rc = w.oom ? -1 : make_ranges(&w, lo, hi);
	if (rc == 0 && w.oom)
		rc = -1;
	if (rc == 0)
		rc = put_ranges(b, &w);
	free(w.e);
	free(w.r);
	return rc;
}

static const struct abi *abi_of(uint32_t token)
{
	for (size_t i = 0; i < sizeof(abis) / sizeof(abis[0]); i++)
		if (abis[i].token == token)
			return &abis[i];
	return NULL;
}

static bool has_arch(const struct seccomp_policy *p, uint32_t token)
{
	for (size_t i = 0; i < p->narchs; i++)
		if (p->archs[i] == token)
			return true;
	return false;
}

/* the code of one kernel arch value: x86_64 with or without x32, or one ABI */
static int put_arch(struct prog *b, const struct seccomp_policy *p, const struct abi *abi)
{
	put(b, BPF_LD | BPF_W | BPF_ABS, 0, 0, NR_OFF);
	if (abi->token != SCMP_ARCH_X86_64 && abi->token != SCMP_ARCH_X32)
		return put_abi(b, p, abi, 0, UINT32_MAX);
	/* x86_64 numbers below the x32 bit, x32 numbers from it on */
	const struct abi *x86_64 = abi_of(SCMP_ARCH_X86_64), *x32 = abi_of(SCMP_ARCH_X32);
	struct prog low = {0};
	int rc = 0;
	if (!x86_64 || !x32)
		return 1; /* (both are in the table) */
	if (has_arch(p, SCMP_ARCH_X86_64))
		rc = put_abi(&low, p, x86_64, 0, X32_BIT - 1);
	else
		put(&low, BPF_RET | BPF_K, 0, 0, p->badarch);
	if (rc == 0) {
		jump_over(b, BPF_JGE, X32_BIT, low.n);
		append(b, &low);
		if (has_arch(p, SCMP_ARCH_X32)) {
			rc = put_abi(b, p, x32, X32_BIT, UINT32_MAX);
		} else { /* as libseccomp: nr -1 (a tracer skipped the call) is no x32 call */
			put(b, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, UINT32_MAX);
			put(b, BPF_RET | BPF_K, 0, 0, p->def);
			put(b, BPF_RET | BPF_K, 0, 0, p->badarch);
		}
	}
	free(low.v);
	return rc;
}

int seccomp_bpf_generate(const struct seccomp_policy *p, struct sock_filter **ins, size_t *n)
{
	const struct abi *todo[8];
	size_t ntodo = 0;
	for (size_t i = 0; i < p->narchs; i++) {
		const struct abi *abi = abi_of(p->archs[i]);
		if (!abi)
			return 1;
		if (abi->token == SCMP_ARCH_X32 && has_arch(p, SCMP_ARCH_X86_64))
			continue; /* written with x86_64: one arch value */
		todo[ntodo++] = abi;
	}
	/* the sections after the dispatch, each one's offset from the dispatch's end */
	struct prog body = {0}, out = {0};
	size_t at[8];
	int rc = 0;
	for (size_t i = 0; i < ntodo && rc == 0; i++) {
		at[i] = body.n;
		rc = put_arch(&body, p, todo[i]);
	}
	if (rc == 0) {
		/* dispatch: JEQ + JA per arch value (2 instructions), then RET badarch */
		size_t dlen = 2 * ntodo + 1;
		put(&out, BPF_LD | BPF_W | BPF_ABS, 0, 0, ARCH_OFF);
		for (size_t i = 0; i < ntodo; i++) {
			put(&out, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, todo[i]->audit);
			/* the JA is instruction 2i+1 of the dispatch: it jumps past the rest */
			put(&out, BPF_JMP | BPF_JA, 0, 0, (uint32_t)(dlen - 2 * i - 2 + at[i]));
		}
		put(&out, BPF_RET | BPF_K, 0, 0, p->badarch);
		append(&out, &body);
		if (out.oom)
			rc = -1;
		else if (out.n > BPF_MAXINSNS)
			rc = 1;
	}
	free(body.v);
	if (rc != 0) {
		free(out.v);
		return rc;
	}
	*ins = out.v;
	*n = out.n;
	return 0;
}

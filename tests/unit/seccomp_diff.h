/*
 * tests/unit/seccomp_diff.h - runs two seccomp BPF programs side by side (libseccomp's and
 * minirun/oci/seccomp_bpf.c's) in the runtime's cBPF interpreter (seccomp_eval.c), over
 * every syscall number of every ABI and arguments around each comparison's boundary, and
 * reports the first call on which they answer differently; and the setup both sides need, a profile compiled both
 * ways (sd_both_compile). Header-only: tests/unit/test_oci_seccomp_bpf.c and
 * tests/fuzz/fuzz_seccomp.c both use it.
 *
 * See: linux/filter.h (the instruction set), Documentation/networking/filter.rst.
 */
#ifndef MR_SECCOMP_DIFF_H
#define MR_SECCOMP_DIFF_H

#include "minirun/oci/seccomp_bpf.h"

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A profile compiled both ways: libseccomp's context (and, once sd_both_export has run,
 * its program REF), the policy as plain data, and seccomp_bpf.c's program MINE. */
struct sd_both {
	scmp_filter_ctx ctx;
	struct seccomp_policy pol;
	struct sock_filter *mine, *ref;
	size_t nmine, nref;
	int gen; /* seccomp_bpf_generate's answer: 0 MINE written, 1 left to libseccomp, -1 */
	struct mr_err err;
};

/* PROFILE (a config.json's linux.seccomp) compiled by seccomp_compile_policy and handed to
 * seccomp_bpf_generate. Returns 0; -1 when the profile is refused (B->err says why). B is
 * the caller's, zeroed before, freed by sd_both_free whatever this returned. */
static int sd_both_compile(json_t *profile, struct sd_both *b)
{
	struct spec s = {.seccomp = profile, .name = "config.json", .text = ""};
	if (seccomp_compile_policy(&s, &b->ctx, &b->pol, &b->err) < 0)
		return -1;
	b->gen = seccomp_bpf_generate(&b->pol, &b->mine, &b->nmine);
	return 0;
}

/* libseccomp's program for B (compiled) into B->ref: 0, or -1 with B->err set. Apart from
 * sd_both_compile because the fuzz target asks for it only when seccomp_bpf.c wrote a
 * program to compare it with; the unit test asks for it always. */
static int sd_both_export(struct sd_both *b)
{
	return seccomp_export(b->ctx, &b->ref, &b->nref, &b->err);
}

static void sd_both_free(struct sd_both *b)
{
	if (b->ctx)
		seccomp_release(b->ctx);
	seccomp_policy_free(&b->pol);
	free(b->mine);
	free(b->ref);
	memset(b, 0, sizeof(*b));
}

/* the two programs and where they were first seen to differ */
struct sd_pair {
	const struct sock_filter *a, *b;
	size_t na, nb;
	unsigned long calls;
	bool differ;
	char why[256];
};

/* both programs on D; returns whether either read an argument */
static bool sd_call(struct sd_pair *p, const struct seccomp_data *d)
{
	bool args = false;
	p->calls++;
	if (p->differ)
		return false;
	uint32_t ra = seccomp_bpf_run(p->a, p->na, d, &args),
		 rb = seccomp_bpf_run(p->b, p->nb, d, &args);
	if (ra == rb && ra != 0xdeadbeef)
		return args;
	p->differ = true;
	snprintf(p->why, sizeof(p->why),
		 "arch %#x nr %#x args %#llx %#llx %#llx %#llx %#llx %#llx: %#x vs %#x", d->arch,
		 d->nr, (unsigned long long)d->args[0], (unsigned long long)d->args[1],
		 (unsigned long long)d->args[2], (unsigned long long)d->args[3],
		 (unsigned long long)d->args[4], (unsigned long long)d->args[5], ra, rb);
	return false;
}

/* the values each argument is tried at: every comparison's data, one either side, with
 * the high word kept, cleared and set, and small numbers (socketcall's and ipc's calls) */
static size_t sd_values(const struct seccomp_policy *pol, uint64_t *v, size_t max)
{
	size_t n = 0;
	for (uint64_t i = 0; i <= 32 && n < max; i++)
		v[n++] = i;
	v[n++] = UINT64_MAX;
	v[n++] = 1ULL << 32;
	v[n++] = 0xffffffffULL;
	for (size_t r = 0; r < pol->nrules; r++)
		for (unsigned k = 0; k < pol->rules[r].nargs; k++) {
			uint64_t d[2] = {pol->rules[r].args[k].datum_a,
					 pol->rules[r].args[k].datum_b};
			for (int j = 0; j < 2; j++) {
				uint64_t base[] = {d[j], d[j] & 0xffffffffULL, d[j] | 1ULL << 32,
						   d[j] ^ 0xffffffff00000000ULL};
				for (size_t b = 0; b < 4 && n + 3 <= max; b++) {
					v[n++] = base[b] - 1;
					v[n++] = base[b];
					v[n++] = base[b] + 1;
				}
			}
		}
	return n;
}

/* the argument indexes some rule compares, as bits */
static unsigned sd_used_args(const struct seccomp_policy *pol)
{
	unsigned used = 1; /* arg 0: socketcall's and ipc's call */
	for (size_t r = 0; r < pol->nrules; r++)
		for (unsigned k = 0; k < pol->rules[r].nargs; k++)
			used |= 1u << pol->rules[r].args[k].arg;
	return used;
}

/* one syscall number NR of ARCH: with all arguments 0, and if either program looked at
 * them, with every argument sample: each used argument alone at each value, then ROUNDS
 * vectors of values picked by a small LCG from SEED */
static void sd_nr(struct sd_pair *p, uint32_t arch, uint32_t nr, const uint64_t *v, size_t nv,
		  unsigned used, unsigned rounds, uint32_t seed)
{
	struct seccomp_data d = {.nr = (int)nr, .arch = arch};
	if (!sd_call(p, &d))
		return;
	for (unsigned i = 0; i < 6; i++) {
		if (!(used >> i & 1))
			continue;
		for (size_t k = 0; k < nv; k++) {
			memset(d.args, 0, sizeof(d.args));
			d.args[i] = v[k];
			sd_call(p, &d);
		}
	}
	for (unsigned r = 0; r < rounds; r++) {
		for (unsigned i = 0; i < 6; i++) {
			seed = seed * 1103515245u + 12345u;
			d.args[i] = v[(seed >> 8) % nv];
		}
		sd_call(p, &d);
	}
}

/* Both programs over every call of POL's architectures: numbers 0..MAXNR (and the x32
 * ones, bit 30 set), the edges of the number space, and a foreign arch value. Returns
 * true when they answer the same everywhere; else P->why says where they first differ. */
static bool sd_compare(struct sd_pair *p, const struct seccomp_policy *pol, uint32_t maxnr,
		       unsigned rounds)
{
	static const uint32_t archs[] = {AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64,
					 AUDIT_ARCH_ARM, AUDIT_ARCH_PPC64LE};
	static const uint32_t edges[] = {0x3fffffff, 0x7fffffff, 0x80000000, 0xfffffffe,
					 0xffffffff};
	uint64_t v[512];
	size_t nv = sd_values(pol, v, sizeof(v) / sizeof(v[0]));
	unsigned used = sd_used_args(pol);
	for (size_t a = 0; a < sizeof(archs) / sizeof(archs[0]); a++) {
		for (uint32_t nr = 0; nr <= maxnr; nr++) {
			sd_nr(p, archs[a], nr, v, nv, used, rounds, nr);
			if (archs[a] == AUDIT_ARCH_X86_64)
				sd_nr(p, archs[a], nr | 0x40000000u, v, nv, used, rounds, nr);
		}
		for (size_t e = 0; e < sizeof(edges) / sizeof(edges[0]); e++)
			sd_nr(p, archs[a], edges[e], v, nv, used, rounds, edges[e]);
	}
	return !p->differ;
}

#endif

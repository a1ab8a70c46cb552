/*
 * minirun/oci/seccomp_bpf.h - a seccomp policy as plain data, and the short BPF program
 * seccomp_bpf.c writes for it (libseccomp's is the reference: seccomp.c, the tests).
 */
#ifndef MR_SECCOMP_BPF_H
#define MR_SECCOMP_BPF_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"
#include "minirun/oci/spec.h"

/* One rule as libseccomp was given it: a syscall name, an action, and comparisons that
 * must all hold (none: the rule holds for every call of that syscall). */
struct seccomp_rule {
	char *name;
	uint32_t action;
	unsigned nargs;
	struct scmp_arg_cmp args[6];
};

/* The policy: the default action, the architectures (SCMP_ARCH_* tokens, the native one
 * included), and the rules in the order they were added (the order decides between two
 * rules without comparisons of different actions: the first one wins, as in libseccomp). */
struct seccomp_policy {
	uint32_t def;
	uint32_t badarch; /* the action for a call from an architecture not listed */
	uint32_t archs[16];
	size_t narchs;
	struct seccomp_rule *rules;
	size_t nrules, cap;
};

/* seccomp_policy_add_arch / _rule - record an architecture (once) / a rule; -1 on ENOMEM
 * or too many architectures. */
int seccomp_policy_add_arch(struct seccomp_policy *p, uint32_t arch);
int seccomp_policy_add_rule(struct seccomp_policy *p, const char *name, uint32_t action,
			    unsigned nargs, const struct scmp_arg_cmp *args);
void seccomp_policy_free(struct seccomp_policy *p);

/* seccomp_bpf_generate - the BPF program for P in a malloc'd *INS of *N instructions.
 * Returns 0; 1 when P uses something this generator leaves to libseccomp (an architecture
 * other than x86_64, x32, x86; rules with comparisons other than seccomp_bpf.c's header
 * lists; a program too long), *INS untouched; -1 on ENOMEM. */
int seccomp_bpf_generate(const struct seccomp_policy *p, struct sock_filter **ins, size_t *n);

/* seccomp_bpf_run (seccomp_eval.c) - the value program PROG of N instructions returns for
 * call D, as the kernel would compute it; 0xdeadbeef for a program the kernel's checker
 * would refuse (one that runs off its end or jumps out of it, an instruction outside
 * seccomp's set). *MORE is set when the run loaded more of D than nr and arch (the
 * instruction pointer or an argument): a run that loaded neither takes the same path
 * whatever they are. */
uint32_t seccomp_bpf_run(const struct sock_filter *prog, size_t n, const struct seccomp_data *d,
			 bool *more);

/* ---- seccomp.c ---- */
/* seccomp_compile_policy - seccomp_compile, also filling *POL (NULL: not wanted) with the
 * policy as given to libseccomp. On error *POL is freed. */
int seccomp_compile_policy(const struct spec *s, scmp_filter_ctx *out, struct seccomp_policy *pol,
			   struct mr_err *err);
/* seccomp_export - libseccomp's BPF for CTX in a malloc'd *INS of *N instructions. */
int seccomp_export(scmp_filter_ctx ctx, struct sock_filter **ins, size_t *n, struct mr_err *err);

#endif

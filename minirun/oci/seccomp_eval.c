/*
 * minirun/oci/seccomp_eval.c - what a seccomp filter answers to one system call, computed
 * here as the kernel would: a small interpreter of classic BPF.
 *
 * The runtime asks it one question before it loads a container's filter: will the few
 * calls the init makes between the filter and its execve (waiting for `start` on
 * exec.fifo, closing fds) be allowed? When they will, the privileges can go before the
 * wait instead of after it (init.c says why that is worth doing). The unit tests ask it
 * more (tests/unit/seccomp_diff.h): two programs, libseccomp's and seccomp_bpf.c's, must
 * answer every call alike.
 *
 * The machine (seccomp_bpf.c's header has the struct seccomp_data it reads): an
 * accumulator A, an index register X, 16 words of scratch memory, 32-bit loads from the
 * call's data at fixed offsets, ALU operations, forward jumps, RET. The kernel's checker
 * refuses a program that runs off its end, jumps out of it, divides by a constant 0 or
 * uses an instruction seccomp does not allow; this interpreter answers 0xdeadbeef to
 * such a program instead, which is no action the kernel knows.
 *
 * See: linux/filter.h (the instruction set), linux/seccomp.h (the return values);
 *      Documentation/userspace-api/seccomp_filter.rst; seccomp(2).
 */
#include "minirun/oci/seccomp_bpf.h"

#include <linux/seccomp.h>
#include <string.h>

static uint32_t alu(uint16_t code, uint32_t a, uint32_t src, bool *bad)
{
	switch (BPF_OP(code)) {
	case BPF_ADD: return a + src;
	case BPF_SUB: return a - src;
	case BPF_MUL: return a * src;
	case BPF_DIV:
	case BPF_MOD:
		if (!src) {
			*bad = true;
			return 0;
		}
		return BPF_OP(code) == BPF_DIV ? a / src : a % src;
	case BPF_AND: return a & src;
	case BPF_OR: return a | src;
	case BPF_XOR: return a ^ src;
	case BPF_LSH: return src < 32 ? a << src : 0;
	case BPF_RSH: return src < 32 ? a >> src : 0;
	case BPF_NEG: return -a;
	default: *bad = true; return 0;
	}
}

uint32_t seccomp_bpf_run(const struct sock_filter *prog, size_t n, const struct seccomp_data *d,
			 bool *more)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = {0};
	const unsigned char *data = (const unsigned char *)d;
	bool bad = false;
	for (size_t pc = 0; pc < n && !bad; pc++) {
		const struct sock_filter *f = &prog[pc];
		uint32_t src = BPF_SRC(f->code) == BPF_X ? x : f->k;
		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			if (f->code == (BPF_LD | BPF_W | BPF_ABS) && f->k <= sizeof(*d) - 4 &&
			    f->k % 4 == 0) {
				memcpy(&a, data + f->k, 4);
				*more |= f->k >= 8; /* past nr and arch */
			} else if (f->code == (BPF_LD | BPF_IMM)) {
				a = f->k;
			} else if (f->code == (BPF_LD | BPF_MEM) && f->k < BPF_MEMWORDS) {
				a = mem[f->k];
			} else {
				bad = true;
			}
			break;
		case BPF_LDX:
			if (f->code == (BPF_LDX | BPF_IMM))
				x = f->k;
			else if (f->code == (BPF_LDX | BPF_MEM) && f->k < BPF_MEMWORDS)
				x = mem[f->k];
			else
				bad = true;
			break;
		case BPF_ST:
		case BPF_STX:
			if (f->k >= BPF_MEMWORDS)
				bad = true;
			else
				mem[f->k] = BPF_CLASS(f->code) == BPF_ST ? a : x;
			break;
		case BPF_ALU: a = alu(f->code, a, src, &bad); break;
		case BPF_JMP: {
			bool t;
			switch (BPF_OP(f->code)) {
			case BPF_JA:
				if (f->k >= n - pc - 1)
					return 0xdeadbeef;
				pc += f->k;
				continue;
			case BPF_JEQ: t = a == src; break;
			case BPF_JGT: t = a > src; break;
			case BPF_JGE: t = a >= src; break;
			case BPF_JSET: t = (a & src) != 0; break;
			default: return 0xdeadbeef;
			}
			pc += t ? f->jt : f->jf;
			if (pc >= n - 1) /* the target must be an instruction: pc + 1 < n */
				return 0xdeadbeef;
			break;
		}
		case BPF_RET: return BPF_RVAL(f->code) == BPF_A ? a : f->k;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default: return 0xdeadbeef;
		}
	}
	return 0xdeadbeef;
}

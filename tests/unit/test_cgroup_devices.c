/*
 * tests/unit/test_cgroup_devices.c - the eBPF device filter's decisions (cgroups/devices.c
 * cg_devices_prog): the program allows exactly what the rules say, last match winning and
 * no match denied, for random rule sets and every kind of request.
 *
 * The program is run here by a small interpreter of the few instructions it is made of (an
 * unknown one fails the test), so no kernel is needed; the kernel's verifier accepting it is
 * tests/integration/minirun/config.t's business.
 */
#include "cgroups/cgroup_impl.h"
#include "tests/unit/unit.h"

#include <linux/bpf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FELL_OFF 99 /* the program ran past its end: a broken program */
#define BAD_OP   98 /* an instruction this interpreter does not know */

/* Run PROG on a request: ctx = {access_type, major, minor}; r0 at exit. */
static uint64_t run(const struct bpf_insn *prog, size_t len, uint32_t type, uint32_t access,
		    uint32_t major, uint32_t minor)
{
	uint64_t r[11] = {0};
	uint32_t ctx[3] = {type | access << 16, major, minor};
	for (size_t pc = 0; pc < len; pc++) {
		const struct bpf_insn *i = &prog[pc];
		uint64_t k = (uint64_t)(int64_t)i->imm; /* sign-extended, as the kernel does */
		switch (i->code) {
		case BPF_LDX | BPF_MEM | BPF_W: r[i->dst_reg] = ctx[i->off / 4]; break;
		case BPF_ALU64 | BPF_MOV | BPF_X: r[i->dst_reg] = r[i->src_reg]; break;
		case BPF_ALU64 | BPF_MOV | BPF_K: r[i->dst_reg] = k; break;
		case BPF_ALU64 | BPF_AND | BPF_K: r[i->dst_reg] &= k; break;
		case BPF_ALU64 | BPF_XOR | BPF_K: r[i->dst_reg] ^= k; break;
		case BPF_ALU64 | BPF_OR | BPF_X: r[i->dst_reg] |= r[i->src_reg]; break;
		case BPF_ALU64 | BPF_RSH | BPF_K: r[i->dst_reg] >>= k; break;
		case BPF_JMP | BPF_JNE | BPF_K:
			if (r[i->dst_reg] != k)
				pc += (size_t)i->off;
			break;
		case BPF_JMP | BPF_EXIT: return r[0];
		default: return BAD_OP;
		}
	}
	return FELL_OFF;
}

/* The rules' own meaning: the last rule that matches decides; none denies. */
static uint64_t model(const struct cg_device_rule *rules, size_t n, uint32_t type, uint32_t access,
		      uint32_t major, uint32_t minor)
{
	for (size_t i = n; i-- > 0;) {
		const struct cg_device_rule *r = &rules[i];
		unsigned acc = (strchr(r->access, 'm') ? BPF_DEVCG_ACC_MKNOD : 0) |
			       (strchr(r->access, 'r') ? BPF_DEVCG_ACC_READ : 0) |
			       (strchr(r->access, 'w') ? BPF_DEVCG_ACC_WRITE : 0);
		if (r->type != 'a' &&
		    type != (r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR))
			continue;
		if ((r->major >= 0 && major != r->major) || (r->minor >= 0 && minor != r->minor))
			continue;
		if (access & ~acc)
			continue;
		return r->allow ? 1 : 0;
	}
	return 0;
}

/* Every request over a grid of types, access sets and numbers: PROG's answer is the
 * model's; the count of disagreements. */
static int disagreements(const struct cg_device_rule *rules, size_t n)
{
	static struct bpf_insn prog[CG_DEVICES_MAX_INSNS(CG_MAX_DEVICE_RULES)];
	static const uint32_t nums[] = {0, 1, 3, 5, 7, 136, 0xfff, 0xfffff};
	size_t len = cg_devices_prog(rules, n, prog);
	int bad = 0;
	if (len > CG_DEVICES_MAX_INSNS(n))
		return -1;
	for (uint32_t type = 0; type <= 3; type++)
		for (uint32_t access = 0; access <= 7; access++)
			for (size_t a = 0; a < sizeof(nums) / sizeof(nums[0]); a++)
				for (size_t b = 0; b < sizeof(nums) / sizeof(nums[0]); b++)
					bad += run(prog, len, type, access, nums[a], nums[b]) !=
					       model(rules, n, type, access, nums[a], nums[b]);
	return bad;
}

static void the_default_rules_decide_as_written(void)
{
	/* minirun/oci/cgstep.c's defaults after a config's "deny all" */
	static const struct cg_device_rule rules[] = {
		{false, 'a', -1, -1, "rwm"}, {true, 'c', -1, -1, "m"}, {true, 'b', -1, -1, "m"},
		{true, 'c', 1, 3, "rwm"},    {true, 'c', 1, 5, "rwm"}, {true, 'c', 1, 7, "rwm"},
		{true, 'c', 1, 8, "rwm"},    {true, 'c', 1, 9, "rwm"}, {true, 'c', 5, 0, "rwm"},
		{true, 'c', 5, 1, "rwm"},    {true, 'c', 5, 2, "rwm"}, {true, 'c', 136, -1, "rwm"},
	};
	CU_ASSERT_EQUAL(disagreements(rules, sizeof(rules) / sizeof(rules[0])), 0);
	static struct bpf_insn prog[CG_DEVICES_MAX_INSNS(12)];
	size_t len = cg_devices_prog(rules, 12, prog);
	CU_ASSERT_EQUAL(run(prog, len, BPF_DEVCG_DEV_CHAR, BPF_DEVCG_ACC_READ, 1, 3), 1);
	CU_ASSERT_EQUAL(run(prog, len, BPF_DEVCG_DEV_CHAR, BPF_DEVCG_ACC_READ, 1, 11), 0);
	CU_ASSERT_EQUAL(run(prog, len, BPF_DEVCG_DEV_BLOCK, BPF_DEVCG_ACC_MKNOD, 8, 0), 1);
	CU_ASSERT_EQUAL(run(prog, len, BPF_DEVCG_DEV_BLOCK, BPF_DEVCG_ACC_READ, 8, 0), 0);
}

static void random_rule_sets_decide_as_written(void)
{
	static const char *const access[] = {"r", "w", "m", "rw", "rm", "wm", "rwm"};
	static const int64_t nums[] = {-1, 0, 1, 3, 136, 0xfff, 0xfffff};
	struct cg_device_rule rules[16];
	int bad = 0;
	srand(14);
	for (int t = 0; t < 2000; t++) {
		size_t n = 1 + (size_t)rand() % 16;
		for (size_t i = 0; i < n; i++) {
			rules[i].allow = rand() % 3 != 0;
			rules[i].type = "abc"[rand() % 3];
			rules[i].major = nums[rand() % 7];
			rules[i].minor = nums[rand() % 7];
			strcpy(rules[i].access, access[rand() % 7]);
		}
		bad += disagreements(rules, n) != 0;
	}
	CU_ASSERT_EQUAL(bad, 0);
}

static void a_rule_matching_everything_ends_the_program(void)
{
	/* the verifier refuses unreachable instructions: nothing may follow "a *:* rwm" */
	static const struct cg_device_rule rules[] = {
		{true, 'c', 1, 3, "rwm"}, {true, 'a', -1, -1, "rwm"}, {false, 'c', 1, 5, "r"}};
	static struct bpf_insn prog[CG_DEVICES_MAX_INSNS(3)];
	size_t len = cg_devices_prog(rules, 3, prog);
	CU_ASSERT_EQUAL(prog[len - 1].code, BPF_JMP | BPF_EXIT);
	CU_ASSERT_EQUAL(run(prog, len, BPF_DEVCG_DEV_BLOCK, BPF_DEVCG_ACC_WRITE, 8, 0), 1);
	CU_ASSERT_EQUAL(run(prog, len, BPF_DEVCG_DEV_CHAR, BPF_DEVCG_ACC_READ, 1, 5), 0);
	CU_ASSERT_EQUAL(disagreements(rules, 3), 0);
}

static CU_TestInfo tests[] = {
	{"the default device rules decide as written", the_default_rules_decide_as_written},
	{"random device rule sets decide as written (last match wins, none denies)",
	 random_rule_sets_decide_as_written},
	{"a rule matching everything ends the program",
	 a_rule_matching_everything_ends_the_program},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("cgroup device filter", tests)

/*
 * minirun/seccomp.c - linux.seccomp compiled into a BPF filter with libseccomp.
 *
 * The policy is the config's: a default action, the architectures the filter must
 * recognise (a 32-bit syscall on a 64-bit kernel has other numbers), and rules of
 * syscall names with optional argument comparisons. libseccomp turns names into numbers
 * per architecture and writes the BPF. The filter is compiled in the runtime before the
 * container process exists, so a bad profile is refused before anything is made, and the
 * process only loads it, as late as possible before exec.
 *
 * Unknown syscall names are skipped (profiles list syscalls of every architecture and of
 * newer kernels); unknown actions, operators, architectures and flags are refused by name.
 *
 * See: seccomp(2), seccomp_rule_add(3), seccomp_attr_set(3),
 *      runtime-spec config-linux.md "Seccomp".
 */
#include "minirun/setup.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	uint32_t action; /* the ones taking an errno are completed by action_of */
} actions[] = {
	{"SCMP_ACT_KILL", SCMP_ACT_KILL},
	{"SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD},
	{"SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS},
	{"SCMP_ACT_TRAP", SCMP_ACT_TRAP},
	{"SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0)},
	{"SCMP_ACT_TRACE", SCMP_ACT_TRACE(0)},
	{"SCMP_ACT_ALLOW", SCMP_ACT_ALLOW},
	{"SCMP_ACT_LOG", SCMP_ACT_LOG},
};

static const struct {
	const char *name;
	enum scmp_compare op;
} operators[] = {
	{"SCMP_CMP_NE", SCMP_CMP_NE},
	{"SCMP_CMP_LT", SCMP_CMP_LT},
	{"SCMP_CMP_LE", SCMP_CMP_LE},
	{"SCMP_CMP_EQ", SCMP_CMP_EQ},
	{"SCMP_CMP_GE", SCMP_CMP_GE},
	{"SCMP_CMP_GT", SCMP_CMP_GT},
	{"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
};

/* The action named in O.KEY, with O.ERRNOKEY (default EPERM) for ERRNO and TRACE. */
static int action_of(const struct spec *s, json_t *o, const char *path, const char *key,
		     const char *errnokey, uint32_t *out, struct mr_err *err)
{
	const char *name = json_string_value(json_object_get(o, key));
	json_t *e = json_object_get(o, errnokey);
	uint32_t eno = EPERM;
	if (!name)
		return spec_bad(s, err, path, "needs \"%s\" (an SCMP_ACT_* name)", key);
	if (e && !json_is_integer(e))
		return spec_bad(s, err, path, "%s must be an integer", errnokey);
	if (e)
		eno = (uint32_t)json_integer_value(e);
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		if (strcmp(actions[i].name, name) != 0)
			continue;
		if (actions[i].action == SCMP_ACT_ERRNO(0))
			*out = SCMP_ACT_ERRNO(eno);
		else if (actions[i].action == SCMP_ACT_TRACE(0))
			*out = SCMP_ACT_TRACE(eno);
		else
			*out = actions[i].action;
		return 0;
	}
	if (strcmp(name, "SCMP_ACT_NOTIFY") == 0)
		return spec_bad(s, err, path, "%s SCMP_ACT_NOTIFY is not supported by minirun",
				key);
	return spec_bad(s, err, path, "%s names an unknown action '%s'", key, name);
}

static int add_arch(const struct spec *s, scmp_filter_ctx ctx, const char *name, size_t i,
		    struct mr_err *err)
{
	char lower[64], path[64];
	snprintf(path, sizeof(path), "linux.seccomp.architectures[%zu]", i);
	if (strncmp(name, "SCMP_ARCH_", 10) != 0 || strlen(name) > 60)
		return spec_bad(s, err, path, "must be an SCMP_ARCH_* name, not '%s'", name);
	size_t n = 0;
	for (const char *c = name + 10; *c; c++)
		lower[n++] = (char)tolower((unsigned char)*c);
	lower[n] = '\0';
	uint32_t arch = seccomp_arch_resolve_name(lower);
	if (!arch)
		return spec_bad(s, err, path, "names an unknown architecture '%s'", name);
	int rc = seccomp_arch_add(ctx, arch);
	if (rc < 0 && rc != -EEXIST)
		return mr_fail(err, -rc, "seccomp: add architecture %s", name);
	return 0;
}

static int parse_args(const struct spec *s, json_t *args, const char *path,
		      struct scmp_arg_cmp *out, size_t *n, bool *same_index, struct mr_err *err)
{
	json_t *a;
	size_t i;
	unsigned seen = 0;
	*n = 0;
	*same_index = false;
	json_array_foreach(args, i, a)
	{
		char q[128];
		snprintf(q, sizeof(q), "%s.args[%zu]", path, i);
		json_t *idx = json_object_get(a, "index"), *val = json_object_get(a, "value");
		json_t *two = json_object_get(a, "valueTwo");
		const char *op = json_string_value(json_object_get(a, "op"));
		if (!json_is_integer(idx) || json_integer_value(idx) < 0 ||
		    json_integer_value(idx) > 5)
			return spec_bad(s, err, q, "index must be 0 to 5");
		if (!json_is_integer(val) || (two && !json_is_integer(two)))
			return spec_bad(s, err, q, "value and valueTwo must be integers");
		if (i >= 6)
			return spec_bad(s, err, q, "is one comparison too many (6 at most)");
		size_t k;
		for (k = 0; op && k < sizeof(operators) / sizeof(operators[0]); k++)
			if (strcmp(operators[k].name, op) == 0)
				break;
		if (!op || k == sizeof(operators) / sizeof(operators[0]))
			return spec_bad(s, err, q, "op must be an SCMP_CMP_* name, not '%s'",
					op ? op : "(none)");
		unsigned bit = 1u << json_integer_value(idx);
		if (seen & bit)
			*same_index = true;
		seen |= bit;
		out[(*n)++] = (struct scmp_arg_cmp){
			.arg = (unsigned)json_integer_value(idx),
			.op = operators[k].op,
			.datum_a = (scmp_datum_t)json_integer_value(val),
			.datum_b = two ? (scmp_datum_t)json_integer_value(two) : 0,
		};
	}
	return 0;
}

static int add_rules(const struct spec *s, scmp_filter_ctx ctx, uint32_t def, struct mr_err *err)
{
	json_t *list = json_object_get(s->seccomp, "syscalls"), *rule;
	size_t i;
	if (list && !json_is_array(list))
		return spec_bad(s, err, "linux.seccomp.syscalls", "must be an array");
	json_array_foreach(list, i, rule)
	{
		char path[64];
		uint32_t act;
		struct scmp_arg_cmp args[6];
		size_t nargs = 0;
		bool same = false;
		snprintf(path, sizeof(path), "linux.seccomp.syscalls[%zu]", i);
		json_t *names = json_object_get(rule, "names"), *a = json_object_get(rule, "args");
		if (!json_is_array(names))
			return spec_bad(s, err, path,
					"needs \"names\" (an array of syscall names)");
		if (action_of(s, rule, path, "action", "errnoRet", &act, err) < 0)
			return -1;
		if (a && !json_is_array(a))
			return spec_bad(s, err, path, "args must be an array");
		if (a && parse_args(s, a, path, args, &nargs, &same, err) < 0)
			return -1;
		if (act == def)
			continue; /* libseccomp refuses a rule equal to the default, and it is a
				     no-op */
		size_t k;
		json_t *nm;
		json_array_foreach(names, k, nm)
		{
			const char *name = json_string_value(nm);
			if (!name)
				return spec_bad(s, err, path, "names[%zu] must be a string", k);
			int nr = seccomp_syscall_resolve_name(name);
			if (nr == __NR_SCMP_ERROR)
				continue; /* not a syscall of this architecture or kernel */
			int rc = 0;
			if (!same)
				rc = seccomp_rule_add_array(ctx, act, nr, (unsigned)nargs, args);
			else /* comparisons on one argument mean "any of them": one rule each */
				for (size_t j = 0; j < nargs && rc == 0; j++)
					rc = seccomp_rule_add_array(ctx, act, nr, 1, &args[j]);
			if (rc < 0)
				return mr_fail(err, -rc, "seccomp: rule for %s (%s)", name, path);
		}
	}
	return 0;
}

int seccomp_compile(const struct spec *s, scmp_filter_ctx *out, struct mr_err *err)
{
	uint32_t def;
	json_t *archs, *flags, *v;
	size_t i;
	*out = NULL;
	if (!s->seccomp)
		return 0;
	if (action_of(s, s->seccomp, "linux.seccomp", "defaultAction", "defaultErrnoRet", &def,
		      err) < 0)
		return -1;
	scmp_filter_ctx ctx = seccomp_init(def);
	if (!ctx)
		return mr_fail(err, EINVAL, "seccomp_init");
	/* no_new_privs is the config's choice (process.noNewPrivileges), not libseccomp's */
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	archs = json_object_get(s->seccomp, "architectures");
	json_array_foreach(archs, i, v)
	{
		if (!json_is_string(v) || add_arch(s, ctx, json_string_value(v), i, err) < 0) {
			seccomp_release(ctx);
			return json_is_string(v) ? -1
						 : spec_bad(s, err, "linux.seccomp.architectures",
							    "must hold strings");
		}
	}
	flags = json_object_get(s->seccomp, "flags");
	json_array_foreach(flags, i, v)
	{
		const char *f = json_string_value(v);
		int rc = 0;
		if (f && strcmp(f, "SECCOMP_FILTER_FLAG_LOG") == 0)
			rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1);
		else if (f && strcmp(f, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0)
			rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1);
		else if (!f || strcmp(f, "SECCOMP_FILTER_FLAG_TSYNC") != 0) {
			char q[64];
			snprintf(q, sizeof(q), "linux.seccomp.flags[%zu]", i);
			seccomp_release(ctx);
			return spec_bad(s, err, q, "names an unsupported flag '%s'", f ? f : "?");
		}
		if (rc < 0) {
			seccomp_release(ctx);
			return mr_fail(err, -rc, "seccomp: flag %s", f);
		}
	}
	if (add_rules(s, ctx, def, err) < 0) {
		seccomp_release(ctx);
		return -1;
	}
	*out = ctx;
	return 0;
}

int seccomp_install(scmp_filter_ctx ctx, struct mr_err *err)
{
	if (!ctx)
		return 0;
	int rc = seccomp_load(ctx);
	if (rc < 0)
		return mr_fail(err, -rc, "load the seccomp filter");
	return 0;
}

/*
 * minirun/oci/seccomp.c - linux.seccomp compiled into a BPF filter with libseccomp.
 *
 * The policy is the config's: a default action, the architectures the filter must
 * recognise (a 32-bit syscall on a 64-bit kernel has other numbers), and rules of
 * syscall names with optional argument comparisons. libseccomp turns names into numbers
 * per architecture and writes the BPF. The filter is compiled in the runtime before the
 * container process exists, so a bad profile is refused before anything is made, and the
 * process only loads it, as late as possible before exec.
 *
 * Compiling is the slow part of starting a container: for docker's default profile
 * (~350 syscalls, three architectures) libseccomp takes 10-40 ms to build its rule tree
 * and as long again to generate the BPF, on every container. So the BPF is generated once
 * per profile and kept in the state root's .seccomp-cache/: the file is named after a
 * hash of the profile's JSON and holds that JSON too, compared in full on every use, so a
 * hash collision can only miss the cache, never load another profile's filter. The
 * container process loads the program with seccomp(2) itself.
 *
 * Unknown syscall names are skipped (profiles list syscalls of every architecture and of
 * newer kernels); unknown actions, operators, architectures and flags are refused by name.
 *
 * See: seccomp(2), seccomp_rule_add(3), seccomp_attr_set(3),
 *      runtime-spec config-linux.md "Seccomp".
 */
#include "minirun/oci/setup.h"
#include "minirun/oci/seccomp_bpf.h"

#include "lib/cleanup.h"
#include "lib/file.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

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

/* the rule as libseccomp was given it, into POL too (when wanted) */
static int rule_add(scmp_filter_ctx ctx, struct seccomp_policy *pol, uint32_t act, const char *name,
		    int nr, unsigned nargs, const struct scmp_arg_cmp *args)
{
	int rc = seccomp_rule_add_array(ctx, act, nr, nargs, args);
	if (rc == 0 && pol && seccomp_policy_add_rule(pol, name, act, nargs, args) < 0)
		rc = -ENOMEM;
	return rc;
}

static int add_rules(const struct spec *s, scmp_filter_ctx ctx, struct seccomp_policy *pol,
		     uint32_t def, struct mr_err *err)
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
				rc = rule_add(ctx, pol, act, name, nr, (unsigned)nargs, args);
			else /* comparisons on one argument mean "any of them": one rule each */
				for (size_t j = 0; j < nargs && rc == 0; j++)
					rc = rule_add(ctx, pol, act, name, nr, 1, &args[j]);
			if (rc < 0)
				return mr_fail(err, -rc, "seccomp: rule for %s (%s)", name, path);
		}
	}
	return 0;
}

/* linux.seccomp.flags, as seccomp(2) flags: the filter is loaded with seccomp(2) itself
 * (seccomp_install), so libseccomp's attributes play no part. TSYNC is accepted and has
 * nothing to do: the filter is loaded by a single-threaded process. */
static const struct {
	const char *name;
	unsigned int bit;
} flag_names[] = {
	{"SECCOMP_FILTER_FLAG_TSYNC", 0},
	{"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
	{"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
};

/* the seccomp(2) bit of flag NAME, -1 when it is not one we know */
static long flag_bit(const char *name)
{
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if (strcmp(flag_names[i].name, name) == 0)
			return flag_names[i].bit;
	return -1;
}

int seccomp_compile(const struct spec *s, scmp_filter_ctx *out, struct mr_err *err)
{
	return seccomp_compile_policy(s, out, NULL, err);
}

/* POL's default, bad-architecture action and architectures: CTX's (the native one is in
 * every new context) */
static int policy_head(scmp_filter_ctx ctx, json_t *archs, uint32_t def, struct seccomp_policy *pol)
{
	size_t i;
	json_t *v;
	uint32_t bad = 0;
	if (seccomp_attr_get(ctx, SCMP_FLTATR_ACT_BADARCH, &bad) < 0)
		return -1;
	pol->def = def;
	pol->badarch = bad;
	if (seccomp_policy_add_arch(pol, seccomp_arch_native()) < 0)
		return -1;
	json_array_foreach(archs, i, v)
	{
		char lower[64];
		size_t n = 0;
		const char *name = json_string_value(v) + 10; /* checked by add_arch */
		for (; *name && n < sizeof(lower) - 1; name++)
			lower[n++] = (char)tolower((unsigned char)*name);
		lower[n] = '\0';
		if (seccomp_policy_add_arch(pol, seccomp_arch_resolve_name(lower)) < 0)
			return -1;
	}
	return 0;
}

int seccomp_compile_policy(const struct spec *s, scmp_filter_ctx *out, struct seccomp_policy *pol,
			   struct mr_err *err)
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
		if (!f || flag_bit(f) < 0) {
			char q[64];
			snprintf(q, sizeof(q), "linux.seccomp.flags[%zu]", i);
			seccomp_release(ctx);
			return spec_bad(s, err, q, "names an unsupported flag '%s'", f ? f : "?");
		}
	}
	if (pol && policy_head(ctx, archs, def, pol) < 0) {
		seccomp_release(ctx);
		seccomp_policy_free(pol);
		return mr_fail(err, ENOMEM, "seccomp");
	}
	if (add_rules(s, ctx, pol, def, err) < 0) {
		seccomp_release(ctx);
		if (pol)
			seccomp_policy_free(pol);
		return -1;
	}
	*out = ctx;
	return 0;
}

/* the seccomp(2) flags of linux.seccomp.flags (checked by seccomp_compile) */
static unsigned int flags_of(json_t *seccomp)
{
	unsigned int flags = 0;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(seccomp, "flags"), i, v)
	{
		long bit = json_is_string(v) ? flag_bit(json_string_value(v)) : -1;
		if (bit > 0)
			flags |= (unsigned int)bit;
	}
	return flags;
}

int seccomp_export(scmp_filter_ctx ctx, struct sock_filter **ins, size_t *n, struct mr_err *err)
{
	_cleanup_close_ int fd = memfd_create("seccomp-bpf", MFD_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return mr_fail(err, errno, "memfd_create");
	int rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0)
		return mr_fail(err, -rc, "seccomp: generate the BPF");
	if (fstat(fd, &st) < 0 || st.st_size <= 0 || st.st_size % sizeof(struct sock_filter))
		return mr_fail(err, EINVAL, "seccomp: the generated BPF");
	*n = (size_t)st.st_size / sizeof(struct sock_filter);
	if (!(*ins = malloc((size_t)st.st_size)))
		return mr_fail(err, ENOMEM, "seccomp");
	if (pread(fd, *ins, (size_t)st.st_size, 0) != st.st_size) {
		free(*ins);
		return mr_fail(err, errno, "seccomp: read the BPF back");
	}
	return 0;
}

/* The cache file: MAGIC, the key's length and text, then the BPF instructions. */
/* 2: the BPF is seccomp_bpf.c's where it can be (1 was libseccomp's, always) */
#define CACHE_MAGIC "minirun seccomp bpf 2\n"

static void cache_path(const char *dir, const char *key, char *buf, size_t len)
{
	unsigned long long h = 1469598103934665603ULL; /* FNV-1a: only a name, see above */
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	snprintf(buf, len, "%s/.seccomp-cache/%016llx", dir, h);
}

/* the cached BPF for KEY, or -1 (absent, another profile's, unreadable: compile) */
static int cache_load(const char *path, const char *key, struct sock_filter **ins, size_t *n)
{
	_cleanup_free_ char *data = NULL;
	size_t len, klen = strlen(key), head = strlen(CACHE_MAGIC) + sizeof(uint32_t);
	uint32_t stored;
	if (mr_read_file(path, &data, &len, NULL) < 0 || len < head ||
	    memcmp(data, CACHE_MAGIC, strlen(CACHE_MAGIC)) != 0)
		return -1;
	memcpy(&stored, data + strlen(CACHE_MAGIC), sizeof(stored));
	if (stored != klen || len < head + klen || memcmp(data + head, key, klen) != 0 ||
	    (len - head - klen) == 0 || (len - head - klen) % sizeof(struct sock_filter))
		return -1;
	*n = (len - head - klen) / sizeof(struct sock_filter);
	if (!(*ins = malloc(len - head - klen)))
		return -1;
	memcpy(*ins, data + head + klen, len - head - klen);
	return 0;
}

/* best effort: a cache that can't be written only costs the next container the compile */
static void cache_store(const char *dir, const char *path, const char *key,
			const struct sock_filter *ins, size_t n)
{
	uint32_t k32 = (uint32_t)strlen(key);
	struct iovec iov[] = {
		{(void *)CACHE_MAGIC, strlen(CACHE_MAGIC)},
		{&k32, sizeof(k32)},
		{(void *)key, k32},
		{(void *)ins, n * sizeof(*ins)},
	};
	size_t total = 0;
	char cdir[4200], tmp[4500];
	for (size_t i = 0; i < sizeof(iov) / sizeof(iov[0]); i++)
		total += iov[i].iov_len;
	snprintf(cdir, sizeof(cdir), "%s/.seccomp-cache", dir);
	/* the state root itself may not exist yet: made as state.c makes it */
	if (mr_mkdir_p(dir, 0711, NULL) < 0 || (mkdir(cdir, 0700) < 0 && errno != EEXIST))
		return;
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	bool ok = writev(fd, iov, sizeof(iov) / sizeof(iov[0])) == (ssize_t)total;
	close(fd);
	if (!ok || rename(tmp, path) < 0)
		unlink(tmp);
}

/* the BPF for S: seccomp_bpf.c's short program, libseccomp's where that leaves it */
static int compile_bpf(const struct spec *s, struct sock_filter **ins, size_t *n,
		       struct mr_err *err)
{
	scmp_filter_ctx ctx;
	struct seccomp_policy pol = {0};
	if (seccomp_compile_policy(s, &ctx, &pol, err) < 0)
		return -1;
	int rc = seccomp_bpf_generate(&pol, ins, n);
	seccomp_policy_free(&pol);
	if (rc == 1)
		rc = seccomp_export(ctx, ins, n, err);
	else if (rc < 0)
		mr_fail(err, ENOMEM, "seccomp");
	seccomp_release(ctx);
	return rc;
}

int seccomp_prepare(const struct spec *s, const char *cache_dir, struct seccomp_prog **out,
		    struct mr_err *err)
{
	*out = NULL;
	if (!s->seccomp)
		return 0;
	const struct scmp_version *v = seccomp_version();
	_cleanup_free_ char *profile = json_dumps(s->seccomp, JSON_COMPACT | JSON_SORT_KEYS);
	_cleanup_free_ char *key = NULL;
	if (!profile ||
	    asprintf(&key, "libseccomp %u.%u.%u\n%s", v->major, v->minor, v->micro, profile) < 0)
		return mr_fail(err, ENOMEM, "seccomp");
	struct seccomp_prog *p = calloc(1, sizeof(*p));
	struct sock_filter *ins = NULL;
	size_t n = 0;
	char path[4400];
	if (!p)
		return mr_fail(err, ENOMEM, "seccomp");
	p->flags = flags_of(s->seccomp);
	if (cache_dir)
		cache_path(cache_dir, key, path, sizeof(path));
	if (!cache_dir || cache_load(path, key, &ins, &n) < 0) {
		if (compile_bpf(s, &ins, &n, err) < 0) {
			free(p);
			return -1;
		}
		if (cache_dir)
			cache_store(cache_dir, path, key, ins, n);
		mr_say("seccomp: %zu BPF instructions compiled%s", n, cache_dir ? ", cached" : "");
	} else
		mr_say("seccomp: %zu BPF instructions from %s", n, path);
	p->fprog.filter = ins;
	p->fprog.len = (unsigned short)n;
	*out = p;
	return 0;
}

void seccomp_prog_free(struct seccomp_prog *p)
{
	if (p) {
		free(p->fprog.filter);
		free(p);
	}
}

int seccomp_install(const struct seccomp_prog *p, struct mr_err *err)
{
	if (!p)
		return 0;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, p->flags, &p->fprog) < 0)
		return mr_fail(err, errno, "load the seccomp filter");
	return 0;
}

/* the AUDIT_ARCH_* value of this build's own ABI, which the init's calls come in by; 0 for
 * an ABI not named here (seccomp_allows then promises nothing) */
#if defined(__x86_64__) && !defined(__ILP32__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#else
#define NATIVE_ARCH 0
#endif

bool seccomp_allows(const struct seccomp_prog *p, const long *nrs, size_t n)
{
	if (!p)
		return true;
	for (size_t i = 0; i < n; i++) {
		struct seccomp_data d = {.nr = (int)nrs[i], .arch = NATIVE_ARCH};
		bool more = false;
		uint32_t ret = seccomp_bpf_run(p->fprog.filter, p->fprog.len, &d, &more);
		if (!NATIVE_ARCH || more || (ret & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_ALLOW)
			return false;
	}
	return true;
}

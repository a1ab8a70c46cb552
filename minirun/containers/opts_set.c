/*
 * minirun/containers/opts_set.c - what each `run` / `create` flag means: the table of flags,
 * and the setter that turns a flag's value into fields of struct container_opts.
 *
 * One table below lists every flag with its docker name, its help line and what it sets;
 * the parser (opts.c) and `run --help` both read it, so they can't disagree. Booleans and
 * plain strings are set through their field's offset; every other value has a setter here.
 *
 * Bad values fail here, before anything exists, with docker's message shape:
 *   invalid argument "12x" for "-m, --memory" flag: invalid size: '12x'
 * --ulimit and --device values are read by hostflags.c's parsers (docker's go-units and
 * CLI rules); what only the host can answer (does the device exist?) is asked later.
 *
 * See: https://docs.docker.com/reference/cli/docker/container/run/ ; docker's opts/env.go
 *      (the env-file format); opts.c (the syntax around the values).
 * Try: minirun run --help
 */
#include "minirun/containers/opts.h"
#include "minirun/containers/logdriver.h"
#include "minirun/containers/dns_flags.h"
#include "lib/cleanup.h"
#include "lib/duration.h"
#include "lib/file.h"
#include "minirun/bundle/bundle.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- messages ----------------------------------------------------------------------------- */

/* docker's flag name in messages: "-m, --memory" when it has a short form, else "--cpus" */
static const char *flag_label(const struct opt *f, char *buf, size_t len)
{
	if (f->shortname)
		snprintf(buf, len, "-%c, --%s", f->shortname, f->name);
	else
		snprintf(buf, len, "--%s", f->name);
	return buf;
}

/* invalid argument "V" for "-m, --memory" flag: WHY -- the message of every bad value */
static int bad_value(const struct opt *f, const char *v, struct mr_err *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int bad_value(const struct opt *f, const char *v, struct mr_err *err, const char *fmt, ...)
{
	char why[512], label[64];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return mr_fail(err, 0, "invalid argument \"%s\" for \"%s\" flag: %s", v,
		       flag_label(f, label, sizeof(label)), why);
}

/* ---- the setters: each turns one flag's value into fields of O ---------------------------- */

/* Go's strconv.ParseBool, which pflag uses for "--rm=false" */
static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
	static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};
	for (size_t i = 0; i < 6; i++) {
		if (strcmp(v, yes[i]) == 0)
			return *out = true, 0;
		if (strcmp(v, no[i]) == 0)
			return *out = false, 0;
	}
	return -1;
}

static int set_bool(struct container_opts *o, const char *v, const struct opt *f,
		    struct mr_err *err)
{
	if (parse_bool(v, (bool *)((char *)o + f->off)) < 0)
		return bad_value(f, v, err, "strconv.ParseBool: parsing \"%s\": invalid syntax", v);
	return 0;
}

static int set_string(struct container_opts *o, const char *v, const struct opt *f,
		      struct mr_err *err)
{
	(void)err;
	*(const char **)((char *)o + f->off) = v;
	return 0;
}

/* --ip: an IPv4 address (docker's CLI checks the form; the network, its subnet) */
static int set_ip(struct container_opts *o, const char *v, const struct opt *f, struct mr_err *err)
{
	struct in_addr a;
	(void)f;
	if (inet_pton(AF_INET, v, &a) != 1)
		return mr_fail(err, 0, "invalid IPv4 address: %s", v);
	o->ip = v;
	return 0;
}

/* --mac-address: six bytes, not multicast (network_parse_mac); "" is none, as docker's */
static int set_mac(struct container_opts *o, const char *v, const struct opt *f, struct mr_err *err)
{
	char mac[18];
	(void)f;
	if (*v && network_parse_mac(v, mac, err) < 0)
		return -1;
	o->mac_address = *v ? v : NULL;
	return 0;
}

static int set_list(struct container_opts *o, const char *v, const struct opt *f,
		    struct mr_err *err)
{
	return opts_strv_add((char ***)((char *)o + f->off), v, err);
}

static int set_int64(const struct opt *f, const char *v, long long *out, struct mr_err *err)
{
	if (mr_parse_ll(v, LLONG_MIN, LLONG_MAX, out) < 0)
		return bad_value(f, v, err, "strconv.ParseInt: parsing \"%s\": %s", v,
				 errno == ERANGE ? "value out of range" : "invalid syntax");
	return 0;
}

/* -e K=V, and -e K: the caller's value of K, or nothing when it has none (as docker).
 * The entry, malloc'd, goes to *OUT (NULL: dropped). -1 with err on ENOMEM. */
static int env_entry(const char *v, char **out, struct mr_err *err)
{
	*out = NULL;
	if (!strchr(v, '=')) {
		const char *val = getenv(v);
		if (val && asprintf(out, "%s=%s", v, val) < 0)
			return *out = NULL, mr_fail(err, ENOMEM, "env");
		return 0;
	}
	return (*out = strdup(v)) ? 0 : mr_fail(err, ENOMEM, "env");
}

static int set_env(struct container_opts *o, const char *v, const struct opt *f, struct mr_err *err)
{
	if (v[0] == '=' || v[0] == '\0')
		return bad_value(f, v, err, "invalid environment variable: %s", v);
	_cleanup_free_ char *kv = NULL;
	if (env_entry(v, &kv, err) < 0)
		return -1;
	return kv ? opts_strv_add(&o->env, kv, err) : 0;
}

/* The entries of an env file, as they are read (appended in one step when all are: a file
 * may hold 100,000 lines, and adding them one by one would walk the list each time) */
struct env_lines {
	char **v;
	size_t n, cap;
};

static void env_lines_free(struct env_lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* an env-file entry (opts_kv_line) into the env_lines ARG: "K=V" as it is, a bare "K" with
 * the caller's value (env_entry); -1 with err on ENOMEM */
static int env_lines_add(void *arg, const char *line, enum opts_kv_kind kind, struct mr_err *err)
{
	struct env_lines *l = arg;
	char *kv;
	(void)kind; /* env_entry tells "K" from "K=V" itself, as -e does */
	if (env_entry(line, &kv, err) < 0)
		return -1;
	if (!kv)
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		char **nv = realloc(l->v, cap * sizeof(char *));
		if (!nv) {
			free(kv);
			return mr_fail(err, ENOMEM, "env");
		}
		l->v = nv;
		l->cap = cap;
	}
	l->v[l->n++] = kv;
	return 0;
}

/* --env-file FILE: docker's env-file format (opts_kvfile.c); a bare "K" takes the caller's
 * value, or is dropped. The file's entries go to the parse's own list, before every -e
 * (struct parse, opts.h). */
static int set_env_file(struct container_opts *o, const char *v, const struct opt *f,
			struct mr_err *err)
{
	struct parse *ps = (struct parse *)o;
	(void)f;
	struct env_lines l = {0};
	if (opts_read_kv_file(v, "", env_lines_add, &l, err) < 0) {
		env_lines_free(&l);
		return -1;
	}
	return l.n ? opts_strv_take(&ps->env_files, l.v, l.n, err) : (free(l.v), 0);
}

static int set_label(struct container_opts *o, const char *v, const struct opt *f,
		     struct mr_err *err)
{
	if (v[0] == '=' || v[0] == '\0')
		return bad_value(f, v, err, "invalid label: %s", v);
	if (strchr(v, '='))
		return opts_strv_add(&o->labels, v, err);
	_cleanup_free_ char *kv = NULL; /* docker: "-l key" is the label key="" */
	if (asprintf(&kv, "%s=", v) < 0)
		return mr_fail(err, ENOMEM, "label");
	return opts_strv_add(&o->labels, kv, err);
}

/* -m, --shm-size: docker's sizes, into the long long at F's offset */
static int set_bytes(struct container_opts *o, const char *v, const struct opt *f,
		     struct mr_err *err)
{
	struct mr_err why = {0};
	long long b = container_parse_bytes(v, &why);
	if (b < 0)
		return bad_value(f, v, err, "%s", why.msg);
	*(long long *)((char *)o + f->off) = b;
	return 0;
}

/* --ulimit, --device: checked by hostflags.c's parsers, kept as given (the record and the
 * host check parse them again) */
static int set_host_list(struct container_opts *o, const char *v, const struct opt *f,
			 struct mr_err *err)
{
	struct mr_err why = {0};
	struct container_ulimit u;
	struct container_device d;
	if ((f->name[0] == 'u' ? container_ulimit_parse(v, &u, &why)
			       : container_device_parse(v, &d, &why)) < 0)
		return bad_value(f, v, err, "%s", why.msg);
	return set_list(o, v, f, err);
}

static int set_memory_swap(struct container_opts *o, const char *v, const struct opt *f,
			   struct mr_err *err)
{
	struct mr_err why = {0};
	if (strcmp(v, "-1") == 0)
		return o->memory_swap = -1, 0;
	long long b = container_parse_bytes(v, &why);
	if (b < 0)
		return bad_value(f, v, err, "%s", why.msg);
	o->memory_swap = b;
	return 0;
}

static int set_cpus(struct container_opts *o, const char *v, const struct opt *f,
		    struct mr_err *err)
{
	char *end;
	errno = 0;
	double c = strtod(v, &end);
	if (errno || end == v || *end || !isfinite(c) || c < 0)
		return bad_value(f, v, err, "failed to parse %s as a rational number", v);
	/* docker keeps NanoCPUs, an integer: 1e-9 CPU is the finest step */
	double nano = c * 1e9;
	if (fabs(nano - round(nano)) > 1e-3)
		return bad_value(f, v, err, "value is too precise");
	o->cpus = c;
	return 0;
}

static int set_pids(struct container_opts *o, const char *v, const struct opt *f,
		    struct mr_err *err)
{
	long long n;
	if (set_int64(f, v, &n, err) < 0)
		return -1;
	o->pids_limit = n <= 0 ? -1 : n; /* docker: 0 and -1 both mean unlimited */
	return 0;
}

static int set_stop_timeout(struct container_opts *o, const char *v, const struct opt *f,
			    struct mr_err *err)
{
	long long n;
	if (set_int64(f, v, &n, err) < 0)
		return -1;
	if (n < -1 || n > INT32_MAX)
		return bad_value(f, v, err, "strconv.ParseInt: parsing \"%s\": value out of range",
				 v);
	o->stop_timeout = (int)n;
	return 0;
}

/* tmpfs_opt_ok - one option of --tmpfs DEST:OPTS is a mount flag docker's tmpfs accepts or a
 * tmpfs data option with a value of the right shape. Checked here, with the flag, because the
 * kernel's answer at start is a bare EINVAL for the whole mount ("mount tmpfs on '/x':
 * Invalid argument", with a config.json line number the user never wrote). Docker checks only
 * the option names at create; the values it leaves to the kernel at start. WHY gets the
 * reason. */
static bool tmpfs_opt_ok(const char *o, size_t n, char *why, size_t len)
{
	static const char *const flags[] = {"ro",         "rw",          "exec",
					    "noexec",     "suid",        "nosuid",
					    "dev",        "nodev",       "sync",
					    "async",      "dirsync",     "mand",
					    "nomand",     "atime",       "noatime",
					    "diratime",   "nodiratime",  "relatime",
					    "norelatime", "strictatime", "nostrictatime",
					    "private",    "rprivate",    "shared",
					    "rshared",    "slave",       "rslave",
					    "unbindable", "runbindable", NULL};
	const char *eq = memchr(o, '=', n);
	size_t kn = eq ? (size_t)(eq - o) : n;
	if (!eq) {
		for (size_t i = 0; flags[i]; i++)
			if (strlen(flags[i]) == n && !strncmp(o, flags[i], n))
				return true;
		snprintf(why, len, "unknown tmpfs option '%.*s'", (int)n, o);
		return false;
	}
	const char *val = eq + 1, *end = o + n;
	size_t vn = (size_t)(end - val);
	size_t digits = strspn(val, "0123456789");
	if (digits > vn)
		digits = vn;
	if (kn == 4 && !strncmp(o, "size", 4)) {
		/* bytes, with k, m or g (either case), or a percentage of memory */
		if (digits &&
		    (digits == vn || (digits + 1 == vn && strchr("kKmMgG%", val[digits]))))
			return true;
		snprintf(why, len,
			 "size=%.*s is not a size: give bytes, with k, m or g (size=64m), or a "
			 "percentage of memory (size=10%%)",
			 (int)vn, val);
		return false;
	}
	if (kn == 4 && !strncmp(o, "mode", 4)) {
		if (vn && vn <= 4 && strspn(val, "01234567") >= vn)
			return true;
		snprintf(why, len, "mode=%.*s is not an octal mode (mode=1777)", (int)vn, val);
		return false;
	}
	static const char *const numeric[] = {"uid", "gid", "nr_inodes", "nr_blocks", NULL};
	for (size_t i = 0; numeric[i]; i++)
		if (strlen(numeric[i]) == kn && !strncmp(o, numeric[i], kn)) {
			/* nr_inodes and nr_blocks take k, m, g as size= does */
			if (digits && (digits == vn || (i >= 2 && digits + 1 == vn &&
							strchr("kKmMgG", val[digits]))))
				return true;
			snprintf(why, len, "%.*s is not a number", (int)n, o);
			return false;
		}
	if (kn == 4 && !strncmp(o, "mpol", 4))
		return true; /* a NUMA policy: its grammar is the kernel's to check */
	snprintf(why, len, "unknown tmpfs option '%.*s'", (int)kn, o);
	return false;
}

static int set_tmpfs(struct container_opts *o, const char *v, const struct opt *f,
		     struct mr_err *err)
{
	if (v[0] != '/') /* docker's daemon's words (its CLI takes any value) */
		return mr_fail(err, 0, "invalid mount path: '%.*s' mount path must be absolute",
			       (int)strcspn(v, ":"), v);
	const char *opts = strchr(v, ':');
	while (opts && *opts) {
		opts++;
		size_t n = strcspn(opts, ",");
		char why[200];
		if (n == 0 || !tmpfs_opt_ok(opts, n, why, sizeof(why)))
			return bad_value(f, v, err, "%s", n ? why : "an empty tmpfs option");
		opts += n;
	}
	return opts_strv_add(&o->tmpfs, v, err);
}

/* --expose PORT[/PROTO] or START-END[/PROTO]: one "PORT/PROTO" entry per port (docker's
 * ExposedPorts keys), tcp unless a protocol is given */
static int set_expose(struct container_opts *o, const char *v, const struct opt *f,
		      struct mr_err *err)
{
	unsigned lo, hi;
	int n = 0;
	const char *slash = strchr(v, '/'), *proto = slash ? slash + 1 : "tcp";
	if (sscanf(v, "%u-%u%n", &lo, &hi, &n) == 2 && n == (slash ? slash - v : (int)strlen(v)))
		;
	else if (sscanf(v, "%u%n", &lo, &n) == 1 && n == (slash ? slash - v : (int)strlen(v)))
		hi = lo;
	else
		return bad_value(f, v, err, "invalid range format for --expose: %s", v);
	if (!lo || hi > 65535 || hi < lo)
		return bad_value(f, v, err, "invalid range format for --expose: %s", v);
	if (strcmp(proto, "tcp") && strcmp(proto, "udp") && strcmp(proto, "sctp"))
		return bad_value(f, v, err, "invalid proto: %s", proto);
	for (unsigned p = lo; p <= hi; p++) {
		char key[32];
		snprintf(key, sizeof(key), "%u/%s", p, proto);
		if (opts_strv_add(&o->expose, key, err) < 0)
			return -1;
	}
	return 0;
}

/* capability names as docker takes them: any case, with or without CAP_, or ALL. Kept as
 * typed (docker's HostConfig.CapAdd shows "net_admin" when that was typed); the bundle
 * normalises them (container_caps). A name that is no capability is refused now, in
 * docker's words ("invalid CapAdd: unknown capability: "CAP_FLY""). */
static int set_cap(struct container_opts *o, const char *v, const struct opt *f, struct mr_err *err)
{
	char name[64];
	bool add = f->name[4] == 'a';
	char ***list = add ? &o->cap_add : &o->cap_drop;
	size_t n = strlen(v);
	if (n == 0 || n > 40)
		return mr_fail(err, 0, "invalid Cap%s: unknown capability: \"%s\"",
			       add ? "Add" : "Drop", v);
	if (strcasecmp(v, "ALL") == 0)
		return opts_strv_add(list, v, err);
	snprintf(name, sizeof(name), "%s%s", strncasecmp(v, "CAP_", 4) == 0 ? "" : "CAP_", v);
	for (char *c = name; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	if (!container_cap_known(name))
		return mr_fail(err, 0, "invalid Cap%s: unknown capability: \"%s\"",
			       add ? "Add" : "Drop", name);
	return opts_strv_add(list, v, err);
}

/* --security-opt: the options minirun honours; anything else is refused by name (docker
 * also takes apparmor= and label=, which need LSMs minirun does not drive) */
static int set_security_opt(struct container_opts *o, const char *v, const struct opt *f,
			    struct mr_err *err)
{
	(void)f;
	int mine = opts_ns_security_opt(o, v, err); /* systempaths=, apparmor= */
	if (mine)
		return mine < 0 ? -1 : 0;
	if (strcmp(v, "no-new-privileges") == 0 || strcmp(v, "no-new-privileges=true") == 0 ||
	    strcmp(v, "no-new-privileges:true") == 0)
		o->no_new_privs = true;
	else if (strcmp(v, "no-new-privileges=false") == 0 ||
		 strcmp(v, "no-new-privileges:false") == 0)
		o->no_new_privs = false;
	else if (strncmp(v, "no-new-privileges", 17) == 0)
		return mr_fail(err, 0, "invalid --security-opt 2: \"%s\"", v);
	else if (strncmp(v, "seccomp=", 8) == 0 || strncmp(v, "seccomp:", 8) == 0) {
		const char *p = v + 8;
		char *text = NULL;
		if (strcmp(p, "unconfined") == 0)
			text = strdup("unconfined");
		else {
			/* docker's CLI reads the file now and sends its text: the container
			 * keeps the profile it was created with, whatever happens to the file */
			struct mr_err e2 = {0};
			if (mr_read_file(p, &text, NULL, &e2) < 0)
				return mr_fail(err, e2.errnum,
					       "opening seccomp profile (%s) failed", p);
			json_error_t je;
			json_t *j = json_loads(text, 0, &je);
			free(text);
			if (!json_is_object(j)) {
				json_decref(j);
				return mr_fail(
					err, 0, "decoding seccomp profile failed: %s:%d:%d: %s", p,
					je.line, je.column, j ? "must be a JSON object" : je.text);
			}
			text = json_dumps(j, JSON_COMPACT);
			json_decref(j);
		}
		if (!text)
			return mr_fail(err, ENOMEM, "security-opt");
		free(o->seccomp_profile);
		o->seccomp_profile = text;
	} else
		return mr_fail(err, 0,
			       "invalid --security-opt: \"%s\" (minirun knows no-new-privileges"
			       "[:true|false], seccomp=unconfined|FILE, systempaths=unconfined "
			       "and apparmor=unconfined)",
			       v);
	return opts_strv_add(&o->security_opt, v, err);
}

static int set_restart(struct container_opts *o, const char *v, const struct opt *f,
		       struct mr_err *err)
{
	static const struct {
		const char *name;
		enum container_restart policy;
	} policies[] = {
		{"no", RESTART_NO},
		{"on-failure", RESTART_ON_FAILURE},
		{"always", RESTART_ALWAYS},
		{"unless-stopped", RESTART_UNLESS_STOPPED},
	};
	(void)f;
	const char *colon = strchr(v, ':');
	size_t len = colon ? (size_t)(colon - v) : strlen(v);
	long long max = 0;
	if (colon && len == 0)
		return mr_fail(err, 0,
			       "invalid restart policy format: no policy provided before colon");
	if (colon && mr_parse_ll(colon + 1, 0, INT32_MAX, &max) < 0)
		return mr_fail(err, 0,
			       "invalid restart policy format: maximum retry count must be an "
			       "integer");
	for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++) {
		if (strlen(policies[i].name) != len || strncmp(policies[i].name, v, len) != 0)
			continue;
		/* docker's daemon's words and kind (create exits 1, run 125); a count of 0
		 * is no count, as there */
		if (max != 0 && policies[i].policy != RESTART_ON_FAILURE)
			return mr_failk(err, MR_E_INVALID, 0,
					"maximum retry count cannot be used with restart policy "
					"'%s'",
					policies[i].name);
		o->restart = policies[i].policy;
		o->restart_max = (int)max;
		return 0;
	}
	/* docker's daemon's words (it lists no choices; --help does) */
	return mr_failk(err, MR_E_INVALID, 0, "invalid restart policy '%.*s'", (int)len, v);
}

static int set_port(struct container_opts *o, const char *v, const struct opt *f,
		    struct mr_err *err)
{
	(void)f;
	return network_parse_ports(v, &o->ports, &o->nports, err); /* a range: a port each */
}

static int set_mount(struct container_opts *o, const char *v, const struct opt *f,
		     struct mr_err *err)
{
	struct volume_mount *m = realloc(o->mounts, (o->nmounts + 1) * sizeof(*m));
	if (!m)
		return mr_fail(err, ENOMEM, "mounts");
	o->mounts = m;
	memset(&m[o->nmounts], 0, sizeof(*m));
	struct mr_err why = {0};
	if (f->name[0] == 'v') { /* -v: the volume library's message is docker's whole one */
		if (volume_parse_v(v, &m[o->nmounts], err) < 0)
			return -1;
	} else if (volume_parse_mount(v, &m[o->nmounts], &why) < 0) {
		/* the library's message is docker's whole one too: its CLI's ("invalid argument
		 * ... for "--mount" flag: ...") for the syntax, its daemon's ("invalid mount
		 * config for type ...") for the meaning */
		*err = why;
		return -1;
	}
	o->nmounts++;
	return 0;
}

static int set_pull(struct container_opts *o, const char *v, const struct opt *f,
		    struct mr_err *err)
{
	(void)f;
	if (strcmp(v, "missing") == 0 || strcmp(v, "never") == 0 || strcmp(v, "always") == 0) {
		o->pull_never = v[0] == 'n';
		o->pull_always = v[0] == 'a';
		return 0;
	}
	return mr_fail(err, 0,
		       "invalid pull option: '%s': must be one of \"always\", \"missing\" or "
		       "\"never\"",
		       v);
}

/* --health-interval, --health-timeout, --health-start-period, --health-start-interval: a Go
 * duration ("1m30s"), into the long long (nanoseconds) at F's offset; 0 leaves the image's
 * (or docker's default); a negative one is refused, as docker's CLI does, and so is one
 * under a millisecond, as docker's daemon does */
static int set_duration(struct container_opts *o, const char *v, const struct opt *f,
			struct mr_err *err)
{
	char why[256];
	long long ns;
	if (mr_parse_duration(v, &ns, why, sizeof(why)) < 0)
		return bad_value(f, v, err, "%s", why);
	if (ns < 0)
		return mr_fail(err, 0, "--%s cannot be negative", f->name);
	if (ns > 0 && ns < 1000000)
		return mr_fail(err, 0, "--%s cannot be less than 1ms", f->name);
	*(long long *)((char *)o + f->off) = ns;
	return 0;
}

static int set_health_retries(struct container_opts *o, const char *v, const struct opt *f,
			      struct mr_err *err)
{
	long long n;
	if (set_int64(f, v, &n, err) < 0)
		return -1;
	if (n < 0)
		return mr_fail(err, 0, "--health-retries cannot be negative");
	if (n > INT32_MAX)
		return bad_value(f, v, err, "strconv.ParseInt: parsing \"%s\": value out of range",
				 v);
	o->health_retries = (int)n;
	return 0;
}

/* ---- the table ---------------------------------------------------------------------------- */

#define F(field) offsetof(struct container_opts, field)
const struct opt opts_table[] = {
	{0, "add-host", NULL, "list", 0, opts_set_dns,
	 "Add a custom host-to-IP mapping (host:ip, or host:host-gateway)"},
	{0, "blkio-weight", NULL, "uint16", 0, opts_set_blkio_weight,
	 "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)"},
	{0, "cap-add", NULL, "list", 0, set_cap, "Add Linux capabilities"},
	{0, "cap-drop", NULL, "list", 0, set_cap, "Drop Linux capabilities"},
	{0, "cgroupns", NULL, "string", 0, opts_set_ns_mode,
	 "Cgroup namespace to use (host|private) (default \"private\")"},
	{0, "cidfile", NULL, "string", F(cidfile), set_string,
	 "Write the container ID to the file"},
	{0, "cpu-period", NULL, "int", F(cpu_period), opts_set_ll,
	 "Limit CPU CFS (Completely Fair Scheduler) period"},
	{0, "cpu-quota", NULL, "int", F(cpu_quota), opts_set_ll,
	 "Limit CPU CFS (Completely Fair Scheduler) quota"},
	{'c', "cpu-shares", NULL, "int", F(cpu_shares), opts_set_ll,
	 "CPU shares (relative weight)"},
	{0, "cpus", NULL, "decimal", 0, set_cpus, "Number of CPUs"},
	{0, "cpuset-cpus", NULL, "string", F(cpuset_cpus), opts_set_cpuset,
	 "CPUs in which to allow execution (0-3, 0,1)"},
	{0, "cpuset-mems", NULL, "string", F(cpuset_mems), opts_set_cpuset,
	 "MEMs in which to allow execution (0-3, 0,1)"},
	{'d', "detach", NULL, NULL, F(detach), set_bool,
	 "Run container in background and print container ID"},
	{0, "detach-keys", NULL, "string", F(detach_keys), set_string,
	 "Override the key sequence for detaching a container"},
	{0, "device", NULL, "list", F(devices), set_host_list,
	 "Add a host device to the container (HOST[:CONTAINER[:PERMS]], PERMS of rwm)"},
	{0, "device-read-bps", NULL, "list", F(blkio_rbps), opts_set_throttle,
	 "Limit read rate (bytes per second) from a device (DEV:RATE, e.g. /dev/vda:1mb)"},
	{0, "device-read-iops", NULL, "list", F(blkio_riops), opts_set_throttle,
	 "Limit read rate (IO per second) from a device"},
	{0, "device-write-bps", NULL, "list", F(blkio_wbps), opts_set_throttle,
	 "Limit write rate (bytes per second) to a device"},
	{0, "device-write-iops", NULL, "list", F(blkio_wiops), opts_set_throttle,
	 "Limit write rate (IO per second) to a device"},
	{0, "dns", NULL, "list", 0, opts_set_dns, "Set custom DNS servers"},
	{0, "dns-option", NULL, "list", 0, opts_set_dns, "Set DNS options"},
	{0, "dns-search", NULL, "list", 0, opts_set_dns, "Set custom DNS search domains"},
	{0, "entrypoint", NULL, "string", F(entrypoint), set_string,
	 "Overwrite the default ENTRYPOINT of the image"},
	{'e', "env", NULL, "list", 0, set_env, "Set environment variables"},
	{0, "env-file", NULL, "list", 0, set_env_file, "Read in a file of environment variables"},
	{0, "group-add", NULL, "list", F(group_add), set_list,
	 "Add additional groups to join (a name in the container's /etc/group, or a GID)"},
	{0, "health-cmd", NULL, "string", F(health_cmd), set_string,
	 "Command to run to check health"},
	{0, "health-interval", NULL, "duration", F(health_interval), set_duration,
	 "Time between running the check (ms|s|m|h) (default 0s)"},
	{0, "health-retries", NULL, "int", 0, set_health_retries,
	 "Consecutive failures needed to report unhealthy"},
	{0, "health-start-interval", NULL, "duration", F(health_start_interval), set_duration,
	 "Time between running the check during the start period (ms|s|m|h) (default 0s)"},
	{0, "expose", NULL, "list", 0, set_expose, "Expose a port or a range of ports"},
	{0, "health-start-period", NULL, "duration", F(health_start_period), set_duration,
	 "Start period for the container to initialize before starting health-retries "
	 "countdown (ms|s|m|h) (default 0s)"},
	{0, "health-timeout", NULL, "duration", F(health_timeout), set_duration,
	 "Maximum time to allow one check to run (ms|s|m|h) (default 0s)"},
	{'h', "hostname", NULL, "string", F(hostname), set_string, "Container host name"},
	{0, "init", NULL, NULL, F(init), set_bool,
	 "Run an init inside the container that forwards signals and reaps processes"},
	{'i', "interactive", NULL, NULL, F(interactive), set_bool,
	 "Keep STDIN open even if not attached"},
	{0, "ip", NULL, "string", 0, set_ip,
	 "IPv4 address (e.g., 172.30.100.104), on a user-defined network"},
	{0, "ipc", NULL, "string", 0, opts_set_ns_mode,
	 "IPC mode to use (private, shareable, none, host, container:NAME|ID)"},
	{'l', "label", NULL, "list", 0, set_label, "Set meta data on a container"},
	{0, "label-file", NULL, "list", 0, opts_set_label_file,
	 "Read in a line delimited file of labels"},
	{0, "log-driver", NULL, "string", 0, log_set_driver,
	 "Logging driver for the container (json-file, local, none)"},
	{0, "log-opt", NULL, "list", 0, log_set_opt,
	 "Log driver options (max-size, max-file, compress=false)"},
	{0, "mac-address", NULL, "string", 0, set_mac,
	 "Container MAC address (e.g., 92:d0:c6:0a:29:33), on its first network"},
	{'m', "memory", NULL, "bytes", F(memory), set_bytes, "Memory limit"},
	{0, "memory-reservation", NULL, "bytes", F(memory_reservation), set_bytes,
	 "Memory soft limit"},
	{0, "memory-swap", NULL, "bytes", 0, set_memory_swap,
	 "Swap limit equal to memory plus swap: '-1' to enable unlimited swap"},
	{0, "memory-swappiness", NULL, "int", 0, opts_set_swappiness,
	 "Tune container memory swappiness (0 to 100) (default -1)"},
	{0, "mount", NULL, "mount", 0, set_mount, "Attach a filesystem mount to the container"},
	{0, "name", NULL, "string", F(name), set_string, "Assign a name to the container"},
	{0, "network", "net", "network", F(network), set_string,
	 "Connect a container to a network (bridge, host, none, NAME, container:ID)"},
	{0, "network-alias", NULL, "list", F(network_aliases), set_list,
	 "Add network-scoped alias for the container"},
	{0, "oom-kill-disable", NULL, NULL, F(oom_kill_disable), set_bool, "Disable OOM Killer"},
	{0, "oom-score-adj", NULL, "int", 0, opts_set_oom_score_adj,
	 "Tune host's OOM preferences (-1000 to 1000)"},
	{0, "pid", NULL, "string", 0, opts_set_ns_mode,
	 "PID namespace to use (host, container:NAME|ID)"},
	{0, "pids-limit", NULL, "int", 0, set_pids,
	 "Tune container pids limit (set -1 for unlimited)"},
	{0, "platform", NULL, "string", F(platform), set_string,
	 "Set platform if server is multi-platform capable"},
	{0, "no-healthcheck", NULL, NULL, F(no_healthcheck), set_bool,
	 "Disable any container-specified HEALTHCHECK"},
	{0, "privileged", NULL, NULL, F(privileged), set_bool,
	 "Give extended privileges to this container"},
	{'p', "publish", NULL, "list", 0, set_port, "Publish a container's port(s) to the host"},
	{'P', "publish-all", NULL, NULL, F(publish_all), set_bool,
	 "Publish all exposed ports to random ports"},
	{0, "pull", NULL, "string", 0, set_pull,
	 "Pull image before running (\"always\", \"missing\", \"never\") (default "
	 "\"missing\")"},
	{0, "read-only", NULL, NULL, F(read_only), set_bool,
	 "Mount the container's root filesystem as read only"},
	{0, "restart", NULL, "string", 0, set_restart,
	 "Restart policy to apply when a container exits (default \"no\")"},
	{0, "rm", NULL, NULL, F(rm), set_bool,
	 "Automatically remove the container and its associated anonymous volumes when it exits"},
	{0, "security-opt", NULL, "list", 0, set_security_opt,
	 "Security Options (no-new-privileges, seccomp=unconfined|FILE, "
	 "systempaths=unconfined, apparmor=unconfined)"},
	{0, "shm-size", NULL, "bytes", F(shm_size), set_bytes, "Size of /dev/shm (default 64m)"},
	{0, "stop-signal", NULL, "string", F(stop_signal), set_string,
	 "Signal to stop the container"},
	{0, "stop-timeout", NULL, "int", 0, set_stop_timeout,
	 "Timeout (in seconds) to stop a container"},
	{0, "sysctl", NULL, "map", 0, opts_set_sysctl,
	 "Sysctl options (namespaced ones: net.*, kernel.shm*, kernel.msg*, kernel.sem, "
	 "fs.mqueue.*, kernel.domainname)"},
	{0, "tmpfs", NULL, "list", 0, set_tmpfs, "Mount a tmpfs directory"},
	{'t', "tty", NULL, NULL, F(tty), set_bool, "Allocate a pseudo-TTY"},
	{0, "ulimit", NULL, "ulimit", F(ulimits), set_host_list,
	 "Ulimit options (NAME=SOFT[:HARD], -1 unlimited)"},
	{'u', "user", NULL, "string", F(user), set_string,
	 "Username or UID (format: <name|uid>[:<group|gid>])"},
	{0, "userns", NULL, "string", 0, opts_set_ns_mode,
	 "User namespace to use (host, auto: a subordinate id range of its own)"},
	{0, "uts", NULL, "string", 0, opts_set_ns_mode,
	 "UTS namespace to use (host, container:NAME|ID)"},
	{'v', "volume", NULL, "list", 0, set_mount, "Bind mount a volume"},
	{0, "volumes-from", NULL, "list", F(volumes_from), set_list,
	 "Mount volumes from the specified container(s)"},
	{'w', "workdir", NULL, "string", F(workdir), set_string,
	 "Working directory inside the container"},
};
#undef F
const size_t opts_count = sizeof(opts_table) / sizeof(opts_table[0]);

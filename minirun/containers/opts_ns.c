/*
 * minirun/containers/opts_ns.c - the run/create flags that choose a container's namespaces
 * and loosen its confinement: --sysctl, --pid, --ipc, --uts, --cgroupns, --userns, and the
 * --security-opt words systempaths= and apparmor=.
 *
 * A container gets a new namespace of every kind (bundle/config.c). These flags hand one of
 * them back to the host ("host"), or join it to another container's ("container:NAME|ID",
 * the namespace of that container's init, so both see the same processes / shared memory /
 * hostname). --userns=auto goes the other way: root in the container becomes an unprivileged
 * host uid (containers/userns.c). --sysctl writes a kernel setting, but only one that lives in
 * a namespace of the container's own (net.* in its network namespace, the System V IPC and
 * POSIX mqueue limits in its ipc namespace, the domain name in its uts namespace): any other
 * would change the host for every process on it, so it is refused by name, as docker's CLI
 * refuses it.
 *
 * The setters check the syntax (docker's words); opts_ns_check() below checks the flags against
 * each other (a net.* sysctl with --network host, -h with --uts host ...) before anything is
 * made. Whether container:X exists and runs is asked at create and at each start
 * (containers/nsjoin.c); the OCI config is written by bundle/nsmodes.c.
 *
 * See: namespaces(7), sysctl(8); https://docs.docker.com/reference/cli/docker/container/run/
 *      (--sysctl, --pid, --ipc, --uts, --userns, --cgroupns, --security-opt);
 *      docs.podman.io --userns (auto), --ipc (none, shareable).
 * Try: minirun run --rm --sysctl net.ipv4.ip_forward=1 busybox cat /proc/sys/net/ipv4/ip_forward
 *      minirun run --rm --pid host busybox ps
 */
#include "minirun/containers/opts.h"
#include "minirun/network/network.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The sysctls a container may set: docker's CLI list (opts.ValidateSysctl), and the uts
 * namespace's two, which runc and podman also allow. Each is owned by one namespace. */
static const struct {
	const char *name; /* a whole name, or a prefix ending in '.' */
	const char *ns;   /* the namespace that owns it: "ipc", "net", "uts" */
} sysctl_table[] = {
	{"kernel.msgmax", "ipc"}, {"kernel.msgmnb", "ipc"},          {"kernel.msgmni", "ipc"},
	{"kernel.sem", "ipc"},    {"kernel.shmall", "ipc"},          {"kernel.shmmax", "ipc"},
	{"kernel.shmmni", "ipc"}, {"kernel.shm_rmid_forced", "ipc"}, {"fs.mqueue.", "ipc"},
	{"net.", "net"},          {"kernel.domainname", "uts"},      {"kernel.hostname", "uts"},
};

const char *opts_sysctl_ns(const char *kv)
{
	size_t klen = strcspn(kv, "=");
	for (size_t i = 0; i < sizeof(sysctl_table) / sizeof(sysctl_table[0]); i++) {
		size_t n = strlen(sysctl_table[i].name);
		bool prefix = sysctl_table[i].name[n - 1] == '.';
		if (prefix ? klen > n && !strncmp(kv, sysctl_table[i].name, n)
			   : klen == n && !strncmp(kv, sysctl_table[i].name, n))
			return sysctl_table[i].ns;
	}
	return NULL;
}

/* --sysctl NAME=VALUE: a namespaced sysctl (the table above), else refused in docker's CLI
 * words. A name with '/' or ".." could climb out of /proc/sys: refused too (the value may
 * hold anything: it is what is written into the file). The record keeps both as JSON
 * strings: what is no UTF-8 is refused, rather than dropped from it. */
int opts_set_sysctl(struct container_opts *o, const char *v, const struct opt *f,
		    struct mr_err *err)
{
	(void)f;
	const char *eq = strchr(v, '=');
	size_t klen = eq ? (size_t)(eq - v) : strlen(v);
	json_t *utf8 = json_string(v);
	json_decref(utf8);
	if (!utf8)
		return mr_fail(err, 0, "invalid argument \"%s\" for \"--sysctl\" flag: not UTF-8",
			       v);
	if (!eq || klen == 0 || !opts_sysctl_ns(v) || memchr(v, '/', klen) ||
	    memmem(v, klen, "..", 2) != NULL)
		return mr_fail(
			err, 0,
			"invalid argument \"%s\" for \"--sysctl\" flag: sysctl '%s' is not "
			"whitelisted (only namespaced ones: net.*, kernel.shm*, kernel.msg*, "
			"kernel.sem, fs.mqueue.*, kernel.domainname)",
			v, v);
	return opts_strv_add(&o->sysctls, v, err);
}

/* --pid, --ipc, --uts, --cgroupns, --userns: the mode, checked against the words each one
 * takes. Docker's own --uts takes only "host"; container:X is podman's, kept here because a
 * lab joins a running container's hostname with it. */
int opts_set_ns_mode(struct container_opts *o, const char *v, const struct opt *f,
		     struct mr_err *err)
{
	static const struct {
		const char *flag, *kind; /* "pid", docker's "PID" in its message */
		const char *words;       /* the modes, '|' between */
		bool container;          /* container:X too */
		size_t off;              /* the field */
	} modes[] = {
		{"pid", "PID", "host", true, offsetof(struct container_opts, pid_mode)},
		{"ipc", "IPC", "private|shareable|none|host", true,
		 offsetof(struct container_opts, ipc_mode)},
		{"uts", "UTS", "host", true, offsetof(struct container_opts, uts_mode)},
		{"cgroupns", "CGROUP", "host|private", false,
		 offsetof(struct container_opts, cgroupns_mode)},
		{"userns", "USER", "host|auto", false,
		 offsetof(struct container_opts, userns_mode)},
	};
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strcmp(f->name, modes[i].flag) != 0)
			continue;
		const char **field = (const char **)((char *)o + modes[i].off);
		bool ok = *v == '\0'; /* docker: "" is the default */
		const char *w = modes[i].words;
		while (!ok && *w) {
			size_t n = strcspn(w, "|");
			ok = strlen(v) == n && !strncmp(v, w, n);
			w += n + (w[n] == '|');
		}
		if (!ok && modes[i].container && !strncmp(v, "container:", 10) && v[10])
			ok = true;
		if (!ok && !strcmp(modes[i].flag, "userns") && !strcmp(v, "keep-id"))
			return mr_fail(err, 0,
				       "--userns: keep-id maps the caller's own uid into the "
				       "container, which is rootless minirun's default already; a "
				       "root-run container takes host or auto");
		if (!ok)
			return mr_fail(err, 0, "--%s: invalid %s mode: \"%s\" (use %s%s)",
				       modes[i].flag, modes[i].kind, v, modes[i].words,
				       modes[i].container ? " or container:NAME|ID" : "");
		*field = *v ? v : NULL;
		return 0;
	}
	return mr_fail(err, 0, "--%s: no such namespace flag", f->name);
}

/* --security-opt systempaths=unconfined and apparmor=PROFILE (docker's CLI takes ':' for
 * '=' too). Returns 1 when V was one of them (handled: 0 errors), 0 when it is another
 * option (opts_set.c's), -1 with err when it is a bad one of them. */
int opts_ns_security_opt(struct container_opts *o, const char *v, struct mr_err *err)
{
	if (!strncmp(v, "systempaths", 11) && (v[11] == '=' || v[11] == ':')) {
		if (strcmp(v + 12, "unconfined") != 0)
			return mr_fail(err, 0,
				       "invalid --security-opt: \"%s\" (systempaths takes only "
				       "unconfined)",
				       v);
		/* docker's CLI takes it out of SecurityOpt and empties MaskedPaths and
		 * ReadonlyPaths instead (record: bundle/nsmodes.c) */
		o->systempaths_unconfined = true;
		return 1;
	}
	if (!strncmp(v, "apparmor", 8) && (v[8] == '=' || v[8] == ':')) {
		const char *p = v + 9;
		bool host_has = access("/sys/kernel/security/apparmor", F_OK) == 0;
		if (strcmp(p, "unconfined") != 0) {
			if (!host_has)
				return mr_fail(
					err, 0,
					"--security-opt %s: this host has no AppArmor "
					"(/sys/kernel/security/apparmor is missing): no profile "
					"can be applied; drop the option or give "
					"apparmor=unconfined",
					v);
			return mr_fail(
				err, 0,
				"--security-opt %s: minirun does not load AppArmor profiles; "
				"give apparmor=unconfined, or confine the container with "
				"seccomp and capabilities",
				v);
		}
		o->apparmor = p; /* unconfined: nothing to apply, on any host */
		return opts_strv_add(&o->security_opt, v, err) < 0 ? -1 : 1;
	}
	return 0;
}

/* is MODE the word WORD? (NULL is not) */
static bool is(const char *mode, const char *word)
{
	return mode && !strcmp(mode, word);
}

/* opts_ns_check - the namespace flags against each other and against --network, before
 * anything is made; -1 with one line naming the pair */
int opts_ns_check(const struct container_opts *o, struct mr_err *err)
{
	const char *net = o->network ? o->network : "default";
	for (size_t i = 0; o->sysctls && o->sysctls[i]; i++) {
		const char *kv = o->sysctls[i], *ns = opts_sysctl_ns(kv);
		int klen = (int)strcspn(kv, "=");
		/* runc's words, said before anything is made (runc says them at the start) */
		if (!strcmp(ns, "net") && is(net, "host"))
			return mr_fail(
				err, 0,
				"--sysctl %s: sysctl \"%.*s\" not allowed in host network "
				"namespace (it would change the host's; drop --network host)",
				kv, klen, kv);
		if (!strcmp(ns, "ipc") && is(o->ipc_mode, "host"))
			return mr_fail(err, 0,
				       "--sysctl %s: sysctl \"%.*s\" not allowed in host ipc "
				       "namespace (it would change the host's; drop --ipc host)",
				       kv, klen, kv);
		if (!strcmp(ns, "uts") && is(o->uts_mode, "host"))
			return mr_fail(err, 0,
				       "--sysctl %s: sysctl \"%.*s\" not allowed in host uts "
				       "namespace (drop --uts host)",
				       kv, klen, kv);
		if (!strncmp(kv, "kernel.hostname=", 16))
			return mr_fail(
				err, 0,
				"--sysctl %s: set the host name with -h/--hostname (runc: it "
				"conflicts with the OCI \"hostname\" field)",
				kv);
	}
	if (o->hostname && o->uts_mode) /* docker's words */
		return mr_fail(err, 0, "conflicting options: hostname and the UTS mode");
	if (o->privileged && is(o->userns_mode, "auto")) /* docker's words, then why */
		return mr_fail(err, 0,
			       "privileged mode is incompatible with user namespaces: you must "
			       "run the container in the host namespace (--userns=host)");
	if (is(o->userns_mode, "auto") && o->oom_score_adj)
		return mr_fail(
			err, 0,
			"--oom-score-adj and --userns=auto conflict: the remapped root can't "
			"write its own /proc/self/oom_score_adj (give --userns=host)");
	if (is(o->userns_mode, "auto") && (is(o->pid_mode, "host") || is(net, "host") ||
					   is(o->ipc_mode, "host") || is(o->uts_mode, "host")))
		return mr_fail(err, 0,
			       "--userns=auto can't share the host's pid, network, ipc or uts "
			       "namespace: a namespace the host's user namespace owns is out of "
			       "the remapped root's reach (give --userns=host)");
	return 0;
}

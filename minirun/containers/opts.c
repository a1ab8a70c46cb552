/*
 * minirun/containers/opts.c - `run` / `create` flags, parsed the way docker's CLI does.
 *
 * docker parses its flags with spf13/pflag, and people type them the way pflag allows:
 * "--name web" and "--name=web", short flags combined ("-it", "-dp 80:80"), a short flag's
 * value glued on ("-eFOO=bar", "-p8080:80"), flags stop at the first word that is not one
 * (the IMAGE: everything after it is the container's command, "-v" included), and "--"
 * stops them too. This file is that syntax; what each flag means, and its help line, is the
 * table in opts_set.c, which the parser and `run --help` both read.
 *
 * Bad input fails here, before anything exists: an unknown flag or a missing value in
 * pflag's words ("unknown flag: --x"), a bad value in docker's (the setters), and the checks
 * docker's daemon does on the whole set (-m at least 6MB, --memory-swap needs -m, --restart
 * with --rm ...). The caller prints "minirun: MSG" and exits 125.
 *
 * See: https://docs.docker.com/reference/cli/docker/container/run/ ; pflag's README
 *      ("Command line flag syntax"); opts_set.c (the flags).
 * Try: minirun run --help
 */
#include "minirun/containers/opts.h"
#include "minirun/containers/logdriver.h"
#include "lib/printable.h"
#include "lib/sig.h"
#include "minirun/oci/runtime.h" /* oci_mount_dest_check */
#include "minirun/rootless/rootless.h"

#include <ctype.h>
#include <limits.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- small helpers ------------------------------------------------------------------------ */

int opts_strv_add(char ***v, const char *s, struct mr_err *err)
{
	size_t n = 0;
	while (*v && (*v)[n])
		n++;
	char **nv = realloc(*v, (n + 2) * sizeof(char *));
	if (!nv)
		return mr_fail(err, ENOMEM, "flags");
	*v = nv;
	if (!(nv[n] = strdup(s)))
		return mr_fail(err, ENOMEM, "flags");
	nv[n + 1] = NULL;
	return 0;
}

int opts_strv_take(char ***v, char **add, size_t n, struct mr_err *err)
{
	size_t have = 0;
	while (*v && (*v)[have])
		have++;
	char **nv = realloc(*v, (have + n + 1) * sizeof(char *));
	if (!nv) {
		for (size_t i = 0; i < n; i++)
			free(add[i]);
		free(add);
		return mr_fail(err, ENOMEM, "flags");
	}
	memcpy(nv + have, add, n * sizeof(char *));
	nv[have + n] = NULL;
	*v = nv;
	free(add);
	return 0;
}

void opts_strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* ---- the table's flags, by name, and as `--help` lists them ------------------------------- */

static const struct opt *find_long(const char *name, size_t len)
{
	for (size_t i = 0; i < opts_count; i++) {
		const struct opt *f = &opts_table[i];
		if ((strlen(f->name) == len && strncmp(f->name, name, len) == 0) ||
		    (f->alias && strlen(f->alias) == len && strncmp(f->alias, name, len) == 0))
			return f;
	}
	return NULL;
}

static const struct opt *find_short(char c)
{
	for (size_t i = 0; i < opts_count; i++)
		if (opts_table[i].shortname == c)
			return &opts_table[i];
	return NULL;
}

static int apply(struct container_opts *o, const struct opt *f, const char *v, struct mr_err *err)
{
	if (!f->meta && !v)
		v = "true";
	return f->set(o, v, f, err);
}

void container_opts_usage(const char *verb, FILE *out)
{
	fprintf(out, "Usage:  minirun %s [OPTIONS] IMAGE [COMMAND] [ARG...]\n\n%s\n\nOptions:\n",
		verb,
		strcmp(verb, "create") == 0 ? "Create a new container"
					    : "Create and run a new container from an image");
	/* the help column starts after the widest flag, as in docker's own table */
	int width = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < opts_count; i++) {
			const struct opt *f = &opts_table[i];
			char left[64];
			int n = f->shortname ? snprintf(left, sizeof(left), "-%c, --%s",
							f->shortname, f->name)
					     : snprintf(left, sizeof(left), "    --%s", f->name);
			if (f->meta)
				n += snprintf(left + n, sizeof(left) - (size_t)n, " %s", f->meta);
			if (pass == 0) {
				width = n > width ? n : width;
				continue;
			}
			fprintf(out, "  %-*s %s\n", width, left, f->help);
			if (f->alias)
				fprintf(out, "  %-*s the same as --%s\n", width,
					"    --net network", f->name);
		}
	}
	fprintf(out, "  %-*s %s\n", width, "    --help", "Print usage");
}

/* ---- checks across flags (docker's daemon does these at create) -------------------------- */

static bool name_ok(const char *n)
{
	/* docker: ^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$ */
	if (*n == '/')
		n++;
	if (!isalnum((unsigned char)n[0]) || !n[1])
		return false;
	for (const char *c = n + 1; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("_.-", *c))
			return false;
	return true;
}

static int check(const struct container_opts *o, struct mr_err *err)
{
	const char *net = o->network ? o->network : NETWORK_DEFAULT;
	bool host = strcmp(net, "host") == 0, joined = strncmp(net, "container:", 10) == 0;
	bool user_net = !host && !joined && strcmp(net, "none") != 0 &&
			strcmp(net, NETWORK_DEFAULT) != 0 && strcmp(net, "default") != 0;
	char shown[80]; /* a name or hostname as given, escaped and cut for the message */
	/* MR_E_INVALID: what docker's daemon refuses, not its CLI (create: 1, run: 125) */
	if (log_check_opts(o, err) < 0) /* --log-driver, --log-opt: logopts.c */
		return -1;
	if (o->name && !name_ok(o->name))
		return mr_failk(err, MR_E_INVALID, 0,
				"Invalid container name (%s), only [a-zA-Z0-9][a-zA-Z0-9_.-] are "
				"allowed",
				mr_printable(o->name, shown, sizeof(shown)));
	/* the name is a file of the store (containers/.names/NAME) */
	if (o->name && strlen(o->name + (o->name[0] == '/')) > CONTAINER_NAME_MAX)
		return mr_failk(err, MR_E_INVALID, 0,
				"Invalid container name (%s): longer than %d characters",
				mr_printable(o->name, shown, sizeof(shown)), CONTAINER_NAME_MAX);
	/* the kernel's limit (sethostname(2)); a control character would reach /etc/hosts and
	 * every prompt that shows the name */
	if (o->hostname && strlen(o->hostname) > HOST_NAME_MAX)
		return mr_fail(err, 0, "invalid hostname (%s): longer than %d characters",
			       mr_printable(o->hostname, shown, sizeof(shown)), HOST_NAME_MAX);
	for (const char *h = o->hostname; h && *h; h++)
		if ((unsigned char)*h < 0x20 || *h == 0x7f)
			return mr_fail(err, 0,
				       "invalid hostname (%s): it holds a control character",
				       mr_printable(o->hostname, shown, sizeof(shown)));
	if (o->memory > 0 && o->memory < 6 * 1024 * 1024)
		return mr_fail(err, 0, "Minimum memory limit allowed is 6MB");
	if (o->memory > 0 && o->memory_reservation > o->memory)
		return mr_fail(
			err, 0,
			"Minimum memory limit can not be less than memory reservation limit, "
			"see usage");
	if (o->memory_swap && !o->memory)
		return mr_fail(
			err, 0,
			"You should always set the Memory limit when using Memoryswap limit, "
			"see usage");
	if (o->memory_swap > 0 && o->memory_swap < o->memory)
		return mr_fail(err, 0,
			       "Minimum memoryswap limit should be larger than memory limit, see "
			       "usage");
	/* rootless: a limit is refused unless its controller is delegated, never dropped */
	const char *no =
		o->memory || o->memory_swap ? rootless_cgroup_refusal("-m", "memory") : NULL;
	if (!no && o->cpus)
		no = rootless_cgroup_refusal("--cpus", "cpu");
	if (!no && o->pids_limit > 0)
		no = rootless_cgroup_refusal("--pids-limit", "pids");
	if (no)
		return mr_fail(err, 0, "%s", no);
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (o->cpus && (o->cpus < 0.01 || o->cpus > (double)ncpu))
		return mr_fail(err, 0,
			       "Range of CPUs is from 0.01 to %ld.00, as there are only %ld CPUs "
			       "available",
			       ncpu, ncpu);
	if (opts_resources_check(o, err) < 0) /* --cpu-*, --blkio-weight, --oom-score-adj */
		return -1;
	if (o->stop_signal && mr_sig_parse(o->stop_signal) < 0)
		return mr_fail(err, 0, "Invalid signal: %s", o->stop_signal);
	if (o->no_healthcheck &&
	    (o->health_cmd || o->health_interval || o->health_timeout || o->health_retries ||
	     o->health_start_period || o->health_start_interval))
		return mr_fail(err, 0, "--no-healthcheck conflicts with --health-* options");
	if (o->rm && o->restart != RESTART_NO)
		return mr_fail(err, 0, "Conflicting options: --restart and --rm");
	if (o->workdir && o->workdir[0] != '/')
		return mr_fail(err, 0,
			       "the working directory '%s' is invalid, it needs to be an absolute "
			       "path",
			       o->workdir);
	/* a volume, bind or tmpfs may not replace /proc, /sys or /dev, nor go below /proc (runc's
	 * rule, and the front end's for its own mounts: see oci_mount_dest_check) */
	for (size_t i = 0; i < o->nmounts; i++)
		if (oci_mount_dest_check(o->mounts[i].target, NULL, OCI_MOUNT_RULES_FRONT_END,
					 err) < 0)
			return -1;
	for (size_t i = 0; o->tmpfs && o->tmpfs[i]; i++) {
		char dest[4096];
		snprintf(dest, sizeof(dest), "%.*s", (int)strcspn(o->tmpfs[i], ":"), o->tmpfs[i]);
		if (oci_mount_dest_check(dest, "tmpfs", OCI_MOUNT_RULES_FRONT_END, err) < 0)
			return -1;
	}
	if (o->hostname && (host || joined))
		return mr_fail(err, 0, "conflicting options: hostname and the network mode");
	/* no interface of its own to give the MAC to (--network none: kept, and unused) */
	if (o->mac_address && (host || joined))
		return mr_failk(err, MR_E_INVALID, 0,
				"conflicting options: mac-address and the network mode");
	if (joined && (o->nports || o->publish_all))
		return mr_fail(err, 0,
			       "conflicting options: port publishing and the container type "
			       "network mode");
	if (joined && !net[10])
		return mr_fail(err, 0, "invalid network mode: %s (container:ID needs an ID)", net);
	if (o->network_aliases && !user_net)
		return mr_fail(err, 0,
			       "network-scoped alias is supported only for containers in user "
			       "defined networks");
	if (user_net && network_check_name(net, err) < 0)
		return -1;
	return opts_ns_check(o, err); /* --sysctl, --pid, --ipc, --uts, --userns: opts_ns.c */
}

/* ---- the parser -------------------------------------------------------------------------- */

/* One argv word starting with '-' (not "-" or "--"): a long flag or a cluster of shorts.
 * *i is advanced past a value taken from the next word. */
static int parse_word(int argc, char **argv, int *i, struct container_opts *o, bool *help,
		      struct mr_err *err)
{
	char *a = argv[*i];
	if (a[1] == '-') {
		char *name = a + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		if (len == 4 && strncmp(name, "help", 4) == 0)
			return *help = true, 0;
		const struct opt *f = find_long(name, len);
		if (!f)
			return mr_fail(err, 0, "unknown flag: --%.*s", (int)len, name);
		if (eq)
			return apply(o, f, eq + 1, err);
		if (!f->meta)
			return apply(o, f, NULL, err);
		if (*i + 1 >= argc)
			return mr_fail(err, 0, "flag needs an argument: --%s", f->name);
		return apply(o, f, argv[++*i], err);
	}
	for (char *c = a + 1; *c; c++) {
		const struct opt *f = find_short(*c);
		if (!f)
			return mr_fail(err, 0, "unknown shorthand flag: '%c' in %s", *c, a);
		if (!f->meta) {
			if (c[1] == '=') /* "-d=false" */
				return apply(o, f, c + 2, err);
			if (apply(o, f, NULL, err) < 0)
				return -1;
			continue;
		}
		if (c[1]) /* "-eFOO=bar", "-e=FOO=bar": the rest of the word is the value */
			return apply(o, f, c[1] == '=' ? c + 2 : c + 1, err);
		if (*i + 1 >= argc)
			return mr_fail(err, 0, "flag needs an argument: '%c' in %s", *c, a);
		return apply(o, f, argv[++*i], err);
	}
	return 0;
}

/* Join the env-file entries (first) and the -e ones (after) into o->env. */
static int join_env(struct parse *ps, struct mr_err *err)
{
	struct container_opts *o = &ps->o;
	size_t n = 0;
	while (o->env && o->env[n])
		n++;
	/* in one step: an env file may hold 100,000 entries (see opts_strv_take) */
	char **e = o->env;
	o->env = ps->env_files;
	ps->env_files = NULL;
	if (!n) {
		free(e);
		return 0;
	}
	return opts_strv_take(&o->env, e, n, err);
}

/* The same for labels: the --label-file entries first, then -l (the last of a key wins) */
static int join_labels(struct parse *ps, struct mr_err *err)
{
	struct container_opts *o = &ps->o;
	size_t n = 0;
	while (o->labels && o->labels[n])
		n++;
	char **l = o->labels;
	o->labels = ps->label_files;
	ps->label_files = NULL;
	if (!n) {
		free(l);
		return 0;
	}
	return opts_strv_take(&o->labels, l, n, err);
}

int container_opts_parse(int argc, char **argv, struct container_opts *o, bool *help,
			 struct mr_err *err)
{
	int i, rc = 0;
	/* parse into a struct parse (the flags, and what only the parse needs), then hand
	 * its flags over to *out */
	struct container_opts *out = o;
	struct parse ps = {.o = {.stop_timeout = -1}, .env_files = NULL, .label_files = NULL};
	o = &ps.o;
	*help = false;
	for (i = 1; i < argc && rc == 0 && !*help; i++) {
		char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break; /* the IMAGE: the flags end here, as pflag's SetInterspersed(false)
				*/
		rc = parse_word(argc, argv, &i, o, help, err);
	}
	if (rc == 0 && !*help)
		rc = join_env(&ps, err);
	if (rc == 0 && !*help)
		rc = join_labels(&ps, err);
	opts_strv_free(ps.env_files);
	opts_strv_free(ps.label_files);
	*out = ps.o;
	o = out;
	if (rc < 0 || *help) {
		container_opts_free(o);
		return rc;
	}
	if (i >= argc) {
		container_opts_free(o);
		/* MR_E_USAGE: the operand count, which docker's CLI exits 1 for (a flag: 125) */
		return mr_failk(err, MR_E_USAGE, 0, "\"minirun %s\" requires at least 1 argument.",
				argv[0]);
	}
	o->image = argv[i++];
	if (!*o->image) {
		container_opts_free(o);
		return mr_fail(err, 0, "invalid reference format: the image name is empty");
	}
	if (i < argc) {
		o->cmd = calloc((size_t)(argc - i) + 1, sizeof(char *));
		if (!o->cmd) {
			container_opts_free(o);
			return mr_fail(err, ENOMEM, "command");
		}
		for (int k = 0; i + k < argc; k++)
			o->cmd[k] = argv[i + k]; /* into argv: o owns only the array */
	}
	if (check(o, err) < 0) {
		container_opts_free(o);
		return -1;
	}
	return 0;
}

void container_opts_free(struct container_opts *o)
{
	free(o->cmd);
	opts_strv_free(o->env);
	opts_strv_free(o->labels);
	opts_strv_free(o->expose);
	opts_strv_free(o->network_aliases);
	opts_strv_free(o->tmpfs);
	opts_strv_free(o->volumes_from);
	opts_strv_free(o->cap_add);
	opts_strv_free(o->cap_drop);
	opts_strv_free(o->security_opt);
	free(o->seccomp_profile);
	opts_strv_free(o->group_add);
	opts_strv_free(o->ulimits);
	opts_strv_free(o->devices);
	opts_strv_free(o->sysctls);
	opts_strv_free(o->blkio_rbps);
	opts_strv_free(o->blkio_wbps);
	opts_strv_free(o->blkio_riops);
	opts_strv_free(o->blkio_wiops);
	opts_strv_free(o->log_opts);
	opts_strv_free(o->dns);
	opts_strv_free(o->dns_search);
	opts_strv_free(o->dns_options);
	opts_strv_free(o->extra_hosts);
	free(o->ports);
	free(o->mounts);
	memset(o, 0, sizeof(*o));
	o->stop_timeout = -1;
}

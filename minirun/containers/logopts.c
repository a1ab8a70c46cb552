/*
 * minirun/containers/logopts.c - `--log-driver` and `--log-opt`: which logging driver a
 * container gets, and how its log is rotated.
 *
 * Docker's daemon keeps a container's output through a logging driver chosen at create;
 * minirun's monitor does the same (logwrite.c). What the flags asked is kept in the record
 * (host.log_type and host.log_opts of struct container_record, log_config_record) and
 * record_json.c writes it as docker's inspect shows it, the option values as given:
 *
 *	"LogConfig": {"Type": "json-file", "Config": {"max-file": "3", "max-size": "10m"}}
 *
 * and read back at each start (log_config_read), so `inspect` and the monitor agree.
 *
 * The options minirun knows (others are refused by name, before anything is made):
 *
 *   max-size=SIZE   rotate when the file would pass SIZE: "10m" is 10,000,000 bytes, as
 *                   docker's units.FromHumanSize reads it (decimal, unlike -m's 1024)
 *   max-file=N      files kept, the current one included (docker's default 1: without
 *                   max-size, nothing rotates; with max-file=1 the file starts again)
 *   compress=false  accepted; rotated files are never compressed here (docker gzips them
 *                   with compress=true, which minirun refuses rather than ignores)
 *
 * A container created without --log-driver gets minirun.conf's log-driver (json-file when
 * it names none), and a container whose driver is the conf's (given or not) the conf's
 * log-opts for every key it does not set itself: docker's daemon merges daemon.json's
 * "log-driver" and "log-opts" the same way. A container on another driver gets none of
 * them. inspect shows the result:
 *
 *	minirun.conf:   log-driver = json-file
 *	                log-opts = max-size=10m, max-file=3
 *	run             {"Type": "json-file", "Config": {"max-file": "3", "max-size": "10m"}}
 *	run --log-opt max-file=5
 *	                {"Type": "json-file", "Config": {"max-file": "5", "max-size": "10m"}}
 *	run --log-driver local
 *	                {"Type": "local", "Config": {}}
 *
 * Docker accepts more (tag, labels, env: attributes of the messages its other drivers send
 * to syslog, journald, fluentd ...); json-file keeps none of them here, so they are refused
 * with what to do instead, never silently dropped. So are those other drivers: with no
 * daemon, there is nothing to send the log elsewhere.
 *
 * See: logdriver.h; https://docs.docker.com/engine/logging/drivers/json-file/ (the options),
 *      https://docs.docker.com/engine/logging/drivers/local/ (local's defaults: 20m x 5).
 * Try: minirun run -d --log-opt max-size=1m --log-opt max-file=3 busybox yes
 *      minirun inspect -f '{{json .HostConfig.LogConfig}}' CONTAINER
 */
#include "minirun/containers/logdriver.h"
#include "lib/file.h"
#include "minirun/containers/opts.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const driver_names[] = {
	[LOG_JSON_FILE] = "json-file",
	[LOG_LOCAL] = "local",
	[LOG_NONE] = "none",
};

/* docker's other drivers: they send the log elsewhere (a daemon, a service), which a
 * daemonless runtime has no place for; named, so the refusal can say so */
static const char *const docker_only_drivers[] = {
	"syslog", "journald", "gelf",    "fluentd",    "awslogs",
	"splunk", "etwlogs",  "gcplogs", "logentries",
};
/* the options docker's json-file and local take that minirun does not: attributes of the
 * messages those drivers send elsewhere */
static const char *const docker_only_opts[] = {"labels", "labels-regex", "env", "env-regex", "tag"};

static bool in(const char *s, size_t len, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == len && !strncmp(s, list[i], len))
			return true;
	return false;
}

static int driver_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(driver_names) / sizeof(driver_names[0]); i++)
		if (!strcmp(name, driver_names[i]))
			return (int)i;
	return -1;
}

const char *log_file_name(enum log_driver d)
{
	return d == LOG_JSON_FILE ? "ctr.log" : d == LOG_LOCAL ? "ctr-local.log" : NULL;
}

int log_set_driver(struct container_opts *o, const char *v, const struct opt *f, struct mr_err *err)
{
	(void)f, (void)err;
	o->log_driver = v; /* checked with the options, once all flags are read */
	return 0;
}

int log_set_opt(struct container_opts *o, const char *v, const struct opt *f, struct mr_err *err)
{
	(void)f;
	/* docker's CLI: a KEY=VALUE, else "invalid key/value pair format in logging opts" */
	const char *eq = strchr(v, '=');
	if (!eq || eq == v)
		return mr_fail(err, 0, "invalid key/value pair format in logging opts: %s", v);
	return opts_strv_add(&o->log_opts, v, err);
}

/*
 * parse_size - docker's units.FromHumanSize: "10m", "10MB", "1.5k", "2048" -> bytes, with
 * decimal multiples (k = 1000); -1 when S is not a size.
 */
static long long parse_size(const char *s)
{
	static const char units[] = "kmgtp";
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || !isdigit((unsigned char)*s) || errno)
		return -1;
	double mult = 1;
	if (*end == ' ')
		end++;
	const char *u = *end ? strchr(units, tolower((unsigned char)*end)) : NULL;
	if (u && *end) {
		for (const char *p = units; p <= u; p++)
			mult *= 1000;
		end++;
	}
	if (*end == 'i' || *end == 'I')
		end++;
	if (*end == 'b' || *end == 'B')
		end++;
	/* (double)LLONG_MAX is 2^63, one past it: a size that large does not convert */
	if (*end || v * mult >= (double)LLONG_MAX)
		return -1;
	return (long long)(v * mult);
}

/* The value of KEY in the list of "K=V" OPTS, or NULL. The last one given wins, as a map
 * filled in order does in docker's CLI. */
static const char *opt_value(char **opts, const char *key)
{
	const char *v = NULL;
	size_t n = strlen(key);
	for (size_t i = 0; opts && opts[i]; i++)
		if (!strncmp(opts[i], key, n) && opts[i][n] == '=')
			v = opts[i] + n + 1;
	return v;
}

/* Check the driver NAME's options OPTS and fill LC from them; -1 with docker's words. */
static int config_parse(const char *name, char **opts, struct log_config *lc, struct mr_err *err)
{
	int d = driver_parse(name);
	size_t nd = sizeof(docker_only_drivers) / sizeof(docker_only_drivers[0]);
	if (d < 0 && in(name, strlen(name), docker_only_drivers, nd))
		return mr_failk(err, MR_E_INVALID, 0,
				"log driver '%s': minirun keeps logs itself, with json-file, "
				"local or none (no daemon sends them elsewhere)",
				name);
	if (d < 0) /* docker's own words for a name it does not know either */
		return mr_failk(err, MR_E_INVALID, 0,
				"error looking up logging plugin %s: plugin \"%s\" not found", name,
				name);
	lc->driver = (enum log_driver)d;
	/* docker's local driver keeps 100 MB by default: 5 files of 20 MB */
	lc->max_size = d == LOG_LOCAL ? 20 * 1000 * 1000 : -1;
	lc->max_file = d == LOG_LOCAL ? 5 : 1;
	if (d == LOG_NONE)
		return 0; /* docker checks no options for none: there is no file to shape */
	for (size_t i = 0; opts && opts[i]; i++) {
		const char *o = opts[i];
		size_t kl = strcspn(o, "=");
		if (!strncmp(o, "max-size=", 9) || !strncmp(o, "max-file=", 9) ||
		    !strncmp(o, "compress=", 9))
			continue;
		size_t no = sizeof(docker_only_opts) / sizeof(docker_only_opts[0]);
		if (in(o, kl, docker_only_opts, no))
			return mr_failk(
				err, MR_E_INVALID, 0,
				"log opt '%.*s': minirun's %s driver keeps no message "
				"attributes; it takes max-size, max-file and compress=false",
				(int)kl, o, name);
		return mr_failk(err, MR_E_INVALID, 0, "unknown log opt '%.*s' for %s log driver",
				(int)kl, o, name);
	}
	const char *size = opt_value(opts, "max-size"), *files = opt_value(opts, "max-file");
	const char *compress = opt_value(opts, "compress");
	if (size) {
		lc->max_size = parse_size(size);
		if (lc->max_size < 0)
			return mr_failk(err, MR_E_INVALID, 0,
					"failed to initialize logging driver: invalid size: '%s'",
					size);
		if (lc->max_size == 0)
			return mr_failk(err, MR_E_INVALID, 0, "max-size must be a positive number");
	}
	if (files) {
		long long n;
		if (mr_parse_ll(files, LLONG_MIN, LLONG_MAX, &n) < 0)
			return mr_failk(err, MR_E_INVALID, 0,
					"failed to initialize logging driver: strconv.Atoi: "
					"parsing \"%s\": invalid syntax",
					files);
		if (n < 1)
			return mr_failk(err, MR_E_INVALID, 0, "max-file cannot be less than 1");
		lc->max_file = n > 1000 ? 1000 : (int)n;
	}
	if (compress) {
		static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};
		static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
		bool known = false, on = false;
		for (size_t i = 0; i < 6; i++) {
			known |= !strcmp(compress, no[i]) || !strcmp(compress, yes[i]);
			on |= !strcmp(compress, yes[i]);
		}
		if (!known)
			return mr_failk(err, MR_E_INVALID, 0,
					"failed to initialize logging driver: strconv.ParseBool: "
					"parsing \"%s\": invalid syntax",
					compress);
		if (on)
			return mr_failk(err, MR_E_INVALID, 0,
					"log opt 'compress=%s': minirun keeps rotated logs "
					"uncompressed; give compress=false or leave it out",
					compress);
	}
	return 0;
}

/* ---- minirun.conf's defaults: daemon.json's "log-driver" and "log-opts" ---------------- */

/* The conf's log-driver and its log-opts as a NULL-terminated list of "K=V" (read once,
 * kept for the process). -1 with err when minirun.conf can't be read or says something
 * wrong (conf.c's "FILE:LINE: ..."). */
static int conf_default(const char **driver, char *const **opts, struct mr_err *err)
{
	static const char *d;
	static char **list;
	static char *text;
	const char *v;
	if (d) {
		*driver = d, *opts = list;
		return 0;
	}
	if (minirun_conf_get("log-driver", driver, err) < 0 ||
	    minirun_conf_get("log-opts", &v, err) < 0)
		return -1;
	size_t n = 1;
	for (const char *c = v; *c; c++)
		n += *c == ',';
	free(text);
	free(list);
	text = strdup(v);
	list = calloc(n + 1, sizeof(*list));
	if (!text || !list)
		return mr_fail(err, ENOMEM, "log-opts");
	n = 0;
	char *save = NULL;
	for (char *t = strtok_r(text, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		while (*t == ' ' || *t == '\t')
			t++;
		size_t len = strlen(t);
		while (len && (t[len - 1] == ' ' || t[len - 1] == '\t'))
			t[--len] = '\0';
		if (len)
			list[n++] = t;
	}
	d = *driver;
	*opts = list;
	return 0;
}

/* the driver of a container created without --log-driver: the conf's, else json-file (a
 * conf that can't be read is log_conf_check's to report, at create) */
static const char *default_driver(void)
{
	const char *d;
	char *const *opts;
	struct mr_err ignored = {0};
	return conf_default(&d, &opts, &ignored) == 0 ? d : "json-file";
}

int log_conf_check(struct mr_err *err)
{
	const char *d;
	char *const *opts;
	struct log_config lc;
	struct mr_err why = {0};
	if (conf_default(&d, &opts, err) < 0)
		return -1;
	if (!strcmp(d, "none")) /* docker checks no options for none */
		return 0;
	for (size_t i = 0; opts[i]; i++) {
		static const char *const known[] = {"max-size", "max-file", "compress"};
		size_t kl = strcspn(opts[i], "=");
		if (!in(opts[i], kl, known, sizeof(known) / sizeof(known[0])))
			return mr_fail(
				err, 0,
				"%s: log-opts: unknown option '%.*s' (%s takes max-size=SIZE, "
				"max-file=N and compress=false)",
				minirun_conf_path(), (int)kl, opts[i], d);
	}
	if (config_parse(d, (char **)opts, &lc, &why) < 0)
		return mr_fail(err, 0,
			       "%s: log-opts: %s (%s takes max-size=SIZE, max-file=N and "
			       "compress=false)",
			       minirun_conf_path(), why.msg, d);
	return 0;
}

int log_config_parse(const struct container_opts *o, struct log_config *lc, struct mr_err *err)
{
	return config_parse(o->log_driver ? o->log_driver : default_driver(), o->log_opts, lc, err);
}

int log_check_opts(const struct container_opts *o, struct mr_err *err)
{
	struct log_config lc;
	return log_config_parse(o, &lc, err);
}

static int by_key(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t kx = strcspn(x, "="), ky = strcspn(y, "=");
	int c = strncmp(x, y, kx < ky ? kx : ky);
	return c ? c : (kx > ky) - (kx < ky);
}

/* does the "K=V" list OPTS give KEY_VALUE's key? */
static bool has_key(char *const *opts, const char *key_value)
{
	size_t kl = strcspn(key_value, "=");
	for (size_t i = 0; opts && opts[i]; i++)
		if (!strncmp(opts[i], key_value, kl) && opts[i][kl] == '=')
			return true;
	return false;
}

int log_config_record(const struct container_opts *o, struct container_record *r)
{
	const char *driver = o->log_driver ? o->log_driver : default_driver(), *d;
	char *const *conf = NULL;
	struct mr_err ignored = {0};
	/* the conf's options, for the keys O does not give, when O is on the conf's driver */
	if (conf_default(&d, &conf, &ignored) < 0 || strcmp(driver, d))
		conf = NULL;
	size_t n = 0, nc = 0;
	while (o->log_opts && o->log_opts[n])
		n++;
	while (conf && conf[nc])
		nc++;
	/* docker's Config is a Go map: its JSON has the keys sorted (a stable sort keeps the
	 * last of a key given twice last, so it wins, as in docker's map) */
	const char **sorted = n + nc ? malloc((n + nc) * sizeof(*sorted)) : NULL;
	size_t m = 0;
	if (n + nc && !sorted)
		return -1;
	for (size_t i = 0; i < nc; i++)
		if (!has_key(o->log_opts, conf[i]))
			sorted[m++] = conf[i];
	for (size_t i = 0; i < n; i++)
		sorted[m++] = o->log_opts[i];
	for (size_t i = 1; i < m; i++) /* insertion sort: stable, and m is tiny */
		for (size_t k = i; k > 0 && by_key(&sorted[k - 1], &sorted[k]) > 0; k--) {
			const char *t = sorted[k];
			sorted[k] = sorted[k - 1], sorted[k - 1] = t;
		}
	/* a key given twice: the later one's value, in the place of the first (a map) */
	struct container_kvs *l = &r->host.log_opts;
	container_kvs_free(l);
	l->present = true;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < m; i++) {
		const char *kv = sorted[i], *eq = strchr(kv, '=');
		char key[256];
		snprintf(key, sizeof(key), "%.*s", (int)(eq - kv), kv);
		if (l->n && !strcmp(l->kv[l->n - 1].key, key))
			container_record_set_str(&l->kv[l->n - 1].value, eq + 1);
		else
			rc = container_kvs_add(l, key, eq + 1);
	}
	free(sorted);
	container_record_set_str(&r->host.log_type, driver);
	return rc < 0 || !r->host.log_type ? -1 : 0;
}

void log_config_read(const struct container_record *r, struct log_config *lc)
{
	const struct container_kvs *cfg = &r->host.log_opts;
	/* back to the "K=V" list the checks read, each whole (a value cut short would mean
	 * another size); a record is ours, checked when written */
	char *opts[8] = {0};
	size_t n = 0;
	for (size_t i = 0; i < cfg->n; i++)
		if (n < 7 && asprintf(&opts[n], "%s=%s", cfg->kv[i].key, cfg->kv[i].value) >= 0)
			n++;
	const char *type = r->host.log_type;
	if (config_parse(type ? type : "json-file", opts, lc, NULL) < 0)
		*lc = (struct log_config){LOG_JSON_FILE, -1, 1};
	for (size_t i = 0; i < n; i++)
		free(opts[i]);
}

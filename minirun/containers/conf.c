/*
 * minirun/containers/conf.c - minirun.conf: the store-wide defaults an operator sets once
 * (docker keeps them in daemon.json; minirun has no daemon, so every command reads the file).
 *
 * Where: $MINIRUN_CONFIG when set (tests point it at a file of their own), else for root
 * /etc/minirun/minirun.conf, else (rootless) $XDG_CONFIG_HOME/minirun/minirun.conf, with
 * ~/.config for an unset XDG_CONFIG_HOME. A missing file is no error: every key has a default.
 *
 * The format is the smallest that says what it means, one setting a line:
 *
 *	# remap root of every container to a subordinate range of its own
 *	userns-remap = auto
 *	userns-user = containers
 *
 * blank lines and '#' comments are skipped, blanks around '=' are dropped. A key this table
 * does not know is an error naming the file and line (a typo must not pass for a setting), as
 * is a value a key does not take.
 *
 *	userns-remap   host|auto    --userns when run/create give none (docker's userns-remap,
 *	                            podman's userns in containers.conf); default host
 *	userns-user    NAME         whose /etc/subuid and /etc/subgid ranges --userns=auto takes
 *	                            (podman's choice: "containers"); default containers
 *	subuid-file    PATH         default /etc/subuid (a test, or a host keeping the ranges
 *	subgid-file    PATH         elsewhere, names its own); default /etc/subgid
 *	log-driver     json-file|local|none   the logging driver of a container created
 *	                            without --log-driver (daemon.json's "log-driver");
 *	                            default json-file
 *	log-opts       K=V[,K=V...]  that driver's options (daemon.json's "log-opts"): a
 *	                            container on the same driver takes those it does not give
 *	                            itself; one on another driver, none (logopts.c); default none
 *
 * A value is checked here when the file is read (one of the listed ones, or K=V pairs);
 * log-opts' values are checked against log-driver at every create (logopts.c), as docker's
 * daemon checks its own defaults: a bad one stops every create, naming this file.
 *
 * See: subuid(5); docker's dockerd --userns-remap; podman's containers.conf(5) [containers]
 *      userns; https://docs.docker.com/engine/logging/configure/ (daemon.json's log-driver
 *      and log-opts); containers/userns.c and logopts.c (the readers).
 * Try: printf 'userns-remap=auto\n' >/tmp/mr.conf
 *      MINIRUN_CONFIG=/tmp/mr.conf minirun run --rm busybox cat /proc/self/uid_map
 */
#include "lib/cleanup.h"
#include "lib/err.h"
#include "lib/file.h"
#include "minirun/containers/containers.h"
#include "minirun/rootless/rootless.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* LOG_OPTS: the key takes a comma-separated list of K=V (log-opts) */
static const char LOG_OPTS[] = "K=V[,K=V...]";

/* every key: its default, and the values it takes ('|' between; NULL: any; LOG_OPTS) */
static struct {
	const char *key, *dflt, *values;
	char *set; /* the file's value, once read */
} keys[] = {
	{"userns-remap", "host", "host|auto", NULL},
	{"userns-user", "containers", NULL, NULL},
	{"subuid-file", "/etc/subuid", NULL, NULL},
	{"subgid-file", "/etc/subgid", NULL, NULL},
	{"log-driver", "json-file", "json-file|local|none", NULL},
	{"log-opts", "", LOG_OPTS, NULL},
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static bool loaded;
static char path_used[4096];

const char *minirun_conf_path(void)
{
	const char *env = getenv("MINIRUN_CONFIG"), *xdg = getenv("XDG_CONFIG_HOME");
	if (env && *env)
		snprintf(path_used, sizeof(path_used), "%s", env);
	else if (geteuid() == 0 && !rootless_active()) /* root in a user's namespace: rootless */
		snprintf(path_used, sizeof(path_used), "/etc/minirun/minirun.conf");
	else if (xdg && *xdg)
		snprintf(path_used, sizeof(path_used), "%s/minirun/minirun.conf", xdg);
	else
		snprintf(path_used, sizeof(path_used), "%s/.config/minirun/minirun.conf",
			 getenv("HOME") ? getenv("HOME") : "/");
	return path_used;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* V as log-opts takes it: "K=V" pairs, a comma between, blanks around each allowed */
static bool kv_list_ok(const char *v)
{
	while (*v) {
		size_t n = strcspn(v, ","), lead = strspn(v, " \t");
		const char *eq = memchr(v, '=', n);
		if (!eq || eq == v + lead || (v[n] == ',' && !v[n + 1]))
			return false;
		v += n + (v[n] == ',');
	}
	return true;
}

static bool value_ok(const char *values, const char *v)
{
	if (values == LOG_OPTS)
		return kv_list_ok(v);
	while (values && *values) {
		size_t n = strcspn(values, "|");
		if (strlen(v) == n && !strncmp(values, v, n))
			return true;
		values += n + (values[n] == '|');
	}
	return !values;
}

/* read the file once; -1 with "FILE:LINE: ..." */
static int load(struct mr_err *err)
{
	if (loaded)
		return 0;
	const char *path = minirun_conf_path();
	_cleanup_free_ char *text = NULL;
	struct mr_err e2 = {0};
	if (mr_read_file(path, &text, NULL, &e2) < 0) {
		if (errno == ENOENT)
			return loaded = true, 0;
		return mr_fail(err, e2.errnum, "%s: %s", path, e2.msg);
	}
	int lineno = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		lineno++; /* blank lines are skipped by strtok: numbers count the lines seen */
		char *l = trim(line);
		if (!*l || *l == '#')
			continue;
		char *eq = strchr(l, '=');
		if (!eq)
			return mr_fail(err, 0, "%s:%d: '%s' is not KEY = VALUE", path, lineno, l);
		*eq = '\0';
		const char *k = trim(l), *v = trim(eq + 1);
		size_t i;
		for (i = 0; i < NKEYS && strcmp(keys[i].key, k); i++)
			;
		if (i == NKEYS) {
			char known[256] = "";
			for (size_t j = 0; j < NKEYS; j++)
				snprintf(known + strlen(known), sizeof(known) - strlen(known),
					 "%s%s", j ? ", " : "", keys[j].key);
			return mr_fail(err, 0, "%s:%d: unknown key '%s' (minirun knows %s)", path,
				       lineno, k, known);
		}
		if (!value_ok(keys[i].values, v))
			return mr_fail(err, 0, "%s:%d: %s takes %s, not '%s'", path, lineno, k,
				       keys[i].values, v);
		free(keys[i].set);
		if (!(keys[i].set = strdup(v)))
			return mr_fail(err, ENOMEM, "%s", path);
	}
	mr_say("read %s", path);
	loaded = true;
	return 0;
}

int minirun_conf_get(const char *key, const char **value, struct mr_err *err)
{
	if (load(err) < 0)
		return -1;
	for (size_t i = 0; i < NKEYS; i++)
		if (!strcmp(keys[i].key, key)) {
			*value = keys[i].set ? keys[i].set : keys[i].dflt;
			return 0;
		}
	return mr_fail(err, 0, "minirun.conf: no key '%s'", key);
}

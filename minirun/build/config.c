/*
 * minirun/build/config.c - the instructions that change the image's config and make no
 * layer: ENV LABEL WORKDIR USER CMD ENTRYPOINT SHELL EXPOSE VOLUME STOPSIGNAL HEALTHCHECK
 * ONBUILD MAINTAINER ARG.
 *
 * Each one's arguments are expanded (all but CMD, ENTRYPOINT, SHELL and HEALTHCHECK, which
 * are the container's business), the config's field set as docker's image config has it
 * (Env "K=V" in order, ExposedPorts {"80/tcp":{}}, Healthcheck {Test, Interval in ns ...}),
 * and a history entry is added with BuildKit's "created_by" and "empty_layer": true.
 * WORKDIR is the one exception: when its directory is missing, it is made, in a layer
 * (bld_workdir, layers.c), as BuildKit makes it.
 *
 * See: https://docs.docker.com/reference/dockerfile/ ; image-spec config.md; builder.h
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/build/buf.h"
#include "minirun/build/builder.h"
#include "minirun/build/dockerfile.h"
#include "minirun/build/shlex.h"
#include "minirun/containers/containers.h"

/* set K=V in the config's Env (replacing K's old value, keeping its place) */
void bld_env_set(struct builder *b, const char *k, const char *v)
{
	json_t *env = json_object_get(bld_cfg(b), "Env");
	if (!json_is_array(env))
		json_object_set_new(bld_cfg(b), "Env", env = json_array());
	char *kv = NULL;
	if (asprintf(&kv, "%s=%s", k, v) < 0)
		return;
	size_t i, len = strlen(k);
	json_t *e;
	json_array_foreach(env, i, e)
	{
		const char *s = json_string_value(e) ?: "";
		if (strncmp(s, k, len) == 0 && s[len] == '=') {
			json_array_set_new(env, i, json_string(kv));
			free(kv);
			return;
		}
	}
	json_array_append_new(env, json_string(kv));
	free(kv);
}

/* the command of CMD/ENTRYPOINT/RUN: the exec form as is, the shell form as SHELL + it */
json_t *bld_command(struct builder *b, const struct df_instr *in)
{
	json_t *a = json_array();
	if (in->json) {
		for (size_t i = 0; i < in->nargs; i++)
			json_array_append_new(a, json_string(in->args[i]));
		return a;
	}
	json_t *shell = json_object_get(bld_cfg(b), "Shell");
	if (json_is_array(shell) && json_array_size(shell))
		json_array_extend(a, shell);
	else
		json_array_extend(a, shell = json_pack("[s,s]", "/bin/sh", "-c")),
			json_decref(shell);
	json_array_append_new(a, json_string(in->nargs ? in->args[0] : ""));
	return a;
}

/* ["a" "b"]: how BuildKit's history writes a command (Go's %q of a list) */
void bld_go_list(struct sb *out, json_t *a)
{
	size_t i;
	json_t *v;
	sb_putc(out, '[');
	json_array_foreach(a, i, v)
	{
		char *q = df_go_quote(json_string_value(v) ?: "");
		if (i)
			sb_putc(out, ' ');
		sb_puts(out, q ? q : "\"\"");
		free(q);
	}
	sb_putc(out, ']');
}

/* ---- the metadata instructions --------------------------------------------------------------- */

/* a Go duration ("1m30s", "500ms") in nanoseconds, -1 if it is not one */
static long long duration(const char *s)
{
	static const struct {
		const char *unit;
		long long ns;
	} units[] = {{"ns", 1},           {"us", 1000},         {"ms", 1000000},
		     {"s", 1000000000LL}, {"m", 60000000000LL}, {"h", 3600000000000LL}};
	long long total = 0;
	if (!*s)
		return -1;
	while (*s) {
		char *end;
		double v = strtod(s, &end);
		if (end == s)
			return -1;
		size_t k, n = 0;
		for (k = 0; k < sizeof(units) / sizeof(units[0]); k++) {
			n = strlen(units[k].unit);
			if (!strncmp(end, units[k].unit, n) &&
			    !(n == 1 && units[k].unit[0] == 'm' && end[1] == 's'))
				break;
		}
		if (k == sizeof(units) / sizeof(units[0]))
			return -1;
		total += (long long)(v * units[k].ns);
		s = end + n;
	}
	return total;
}

static int do_healthcheck(struct builder *b, const struct df_instr *in)
{
	if (!in->nargs)
		return mr_fail(b->err, 0, "HEALTHCHECK requires an argument");
	json_t *hc = json_object();
	if (!strcasecmp(in->args[0], "NONE")) {
		json_object_set_new(hc, "Test", json_pack("[s]", "NONE"));
	} else if (!strcasecmp(in->args[0], "CMD")) {
		json_t *t = json_array();
		json_array_append_new(t, json_string(in->json ? "CMD" : "CMD-SHELL"));
		for (size_t i = 1; i < in->nargs; i++)
			json_array_append_new(t, json_string(in->args[i]));
		json_object_set_new(hc, "Test", t);
		static const char *const keys[][2] = {{"interval", "Interval"},
						      {"timeout", "Timeout"},
						      {"start-period", "StartPeriod"},
						      {"start-interval", "StartInterval"}};
		for (size_t k = 0; k < 4; k++) {
			const char *v = df_flag(in, keys[k][0]);
			if (!v)
				continue;
			long long ns = duration(v);
			if (ns < 0) {
				json_decref(hc);
				return mr_fail(b->err, 0, "time: invalid duration \"%s\"", v);
			}
			json_object_set_new(hc, keys[k][1], json_integer(ns));
		}
		const char *r = df_flag(in, "retries");
		if (r)
			json_object_set_new(hc, "Retries", json_integer(atoi(r)));
	} else {
		json_decref(hc);
		return mr_fail(b->err, 0, "Unknown type \"%s\" in HEALTHCHECK (try CMD)",
			       in->args[0]);
	}
	json_object_set_new(bld_cfg(b), "Healthcheck", hc);
	return 0;
}

/* ARG NAME[=DEFAULT]...: the value a --build-arg gives, else the default */
int bld_arg(struct builder *b, const struct df_instr *in, struct strv *into)
{
	for (size_t i = 0; i < in->nargs; i++) {
		char *name = strdup(in->args[i]), *eq = name ? strchr(name, '=') : NULL;
		char *def = NULL;
		if (!name)
			return mr_fail(b->err, ENOMEM, "ARG");
		if (eq) {
			*eq = '\0';
			def = bld_expand(b, eq + 1);
			if (!def) {
				free(name);
				return -1;
			}
		}
		const char *v = bld_build_arg(b, name);
		if (v)
			strv_push(&b->used, strdup(name));
		if (v || def) {
			char *kv = NULL;
			if (asprintf(&kv, "%s=%s", name, v ? v : def) >= 0)
				strv_push(into, kv);
		}
		free(def);
		free(name);
	}
	return 0;
}

/* the instructions that change the config only */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * expose_ports - EXPOSE SPEC into the map M (and ADDED, for the history) as docker's
 * port parser reads it: [[IP:]HOSTPORT:]PORT[-END][/PROTO], the protocol lower-cased
 * ("443/TCP" is 443/tcp) and tcp by default, a range one entry per port; the IP and the
 * host port mean nothing in an image and are dropped, as BuildKit does.
 */
static int expose_ports(struct builder *b, const char *spec, json_t *m, json_t *added)
{
	const char *p = strrchr(spec, ':') ? strrchr(spec, ':') + 1 : spec;
	const char *slash = strchr(p, '/');
	char proto[16] = "tcp";
	if (slash && slash[1]) {
		size_t i = 0;
		for (const char *q = slash + 1; *q && i + 1 < sizeof(proto); q++)
			proto[i++] = (char)tolower((unsigned char)*q);
		proto[i] = '\0';
	}
	if (strcmp(proto, "tcp") && strcmp(proto, "udp") && strcmp(proto, "sctp"))
		return mr_fail(b->err, 0, "invalid proto: %s", slash + 1);
	char *end;
	long lo = strtol(p, &end, 10), hi = lo;
	if (end != p && *end == '-')
		hi = strtol(end + 1, &end, 10);
	if (end == p || (*end && *end != '/') || lo < 0 || hi < lo || hi > 65535)
		return mr_fail(b->err, 0, "invalid containerPort: %.*s",
			       (int)(slash ? (size_t)(slash - p) : strlen(p)), p);
	for (long port = lo; port <= hi; port++) {
		char key[32];
		snprintf(key, sizeof(key), "%ld/%s", port, proto);
		json_object_set_new(m, key, json_object());
		json_object_set_new(added, key, json_true());
	}
	return 0;
}

int bld_meta(struct builder *b, const struct df_instr *in)
{
	struct sb by = {0};
	json_t *c = bld_cfg(b);
	int rc = 0;
	sb_puts(&by, df_kind_name(in->kind));
	switch (in->kind) {
	case DF_ENV:
	case DF_LABEL:
		for (size_t i = 0; i + 3 <= in->nargs; i += 3) { /* key, value, separator */
			char *k = bld_expand(b, in->args[i]),
			     *v = k ? bld_expand(b, in->args[i + 1]) : NULL;
			if (!k || !v) {
				free(k);
				rc = -1;
				break;
			}
			if (in->kind == DF_ENV) {
				bld_env_set(b, k, v);
			} else {
				json_t *l = json_object_get(c, "Labels");
				if (!json_is_object(l))
					json_object_set_new(c, "Labels", l = json_object());
				json_object_set_new(l, k, json_string(v));
			}
			sb_putc(&by, ' ');
			sb_puts(&by, k);
			sb_putc(&by, '=');
			sb_puts(&by, v);
			free(k);
			free(v);
		}
		break;
	case DF_WORKDIR: {
		char *d = in->nargs ? bld_expand(b, in->args[0]) : NULL;
		if (!d) {
			rc = in->nargs
				     ? -1
				     : mr_fail(b->err, 0, "WORKDIR requires exactly one argument");
			break;
		}
		char path[PATH_MAX];
		const char *wd = json_string_value(json_object_get(c, "WorkingDir"));
		snprintf(path, sizeof(path), "%s/%s", d[0] == '/' ? "" : (wd && *wd ? wd : ""), d);
		ignore_clean_path(path);
		json_object_set_new(c, "WorkingDir", json_string(path));
		sb_putc(&by, ' ');
		sb_puts(&by, path);
		free(d);
		/* the directory, when missing, in a layer of its own (history added there) */
		int made = bld_workdir(b, path, sb_str(&by));
		if (made != 0) {
			sb_free(&by);
			return made < 0 ? -1 : 0;
		}
		break;
	}
	case DF_USER:
	case DF_STOPSIGNAL: {
		char *v = in->nargs ? bld_expand(b, in->args[0]) : NULL;
		if (!v) {
			rc = in->nargs ? -1
				       : mr_fail(b->err, 0, "%s requires exactly one argument",
						 df_kind_name(in->kind));
			break;
		}
		json_object_set_new(c, in->kind == DF_USER ? "User" : "StopSignal", json_string(v));
		sb_putc(&by, ' ');
		sb_puts(&by, v);
		free(v);
		break;
	}
	case DF_CMD:
	case DF_ENTRYPOINT: {
		json_t *cmd = bld_command(b, in);
		sb_putc(&by, ' ');
		bld_go_list(&by, cmd);
		json_object_set_new(c, in->kind == DF_CMD ? "Cmd" : "Entrypoint", cmd);
		if (in->kind == DF_CMD)
			b->cmd_set = true;
		else if (!b->cmd_set) /* ENTRYPOINT resets a CMD this stage did not set */
			json_object_del(c, "Cmd");
		break;
	}
	case DF_SHELL:
		if (!in->json) {
			rc = mr_fail(b->err, 0, "SHELL requires the arguments to be in JSON form");
			break;
		}
		json_object_set_new(c, "Shell", bld_command(b, in));
		sb_puts(&by, " ["); /* BuildKit's history: Go's %v of the list */
		for (size_t i = 0; i < in->nargs; i++) {
			sb_puts(&by, i ? " " : "");
			sb_puts(&by, in->args[i]);
		}
		sb_putc(&by, ']');
		break;
	case DF_EXPOSE:
	case DF_VOLUME: {
		/* the history as BuildKit writes it, Go's %v of what was added:
		 * "EXPOSE map[443/tcp:{} 80/tcp:{}]", "VOLUME [/data /logs]" */
		json_t *added = json_object();
		for (size_t i = 0; i < in->nargs; i++) {
			char *v = bld_expand(b, in->args[i]);
			if (!v) {
				rc = -1;
				break;
			}
			const char *key = in->kind == DF_EXPOSE ? "ExposedPorts" : "Volumes";
			json_t *m = json_object_get(c, key);
			if (!json_is_object(m))
				json_object_set_new(c, key, m = json_object());
			if (in->kind == DF_EXPOSE) {
				rc = expose_ports(b, v, m, added);
			} else {
				json_object_set_new(m, v, json_object());
				json_object_set_new(added, v, json_true());
			}
			free(v);
			if (rc < 0)
				break;
		}
		const char **keys = calloc(json_object_size(added) + 1, sizeof(char *));
		size_t nk = 0;
		const char *k;
		json_t *v;
		json_object_foreach(added, k, v)
		{
			if (keys)
				keys[nk++] = k;
		}
		if (in->kind == DF_EXPOSE && keys)
			qsort(keys, nk, sizeof(*keys), cmp_str);
		sb_puts(&by, in->kind == DF_EXPOSE ? " map[" : " [");
		for (size_t i = 0; i < nk; i++) {
			sb_puts(&by, i ? " " : "");
			sb_puts(&by, keys[i]);
			sb_puts(&by, in->kind == DF_EXPOSE ? ":{}" : "");
		}
		sb_putc(&by, ']');
		free(keys);
		json_decref(added);
		break;
	}
	case DF_HEALTHCHECK:
		rc = do_healthcheck(b, in);
		sb_putc(&by, ' ');
		sb_puts(&by, in->original + strlen(in->keyword) + 1);
		break;
	case DF_ONBUILD: {
		json_t *ob = json_object_get(c, "OnBuild");
		if (!json_is_array(ob))
			json_object_set_new(c, "OnBuild", ob = json_array());
		const char *rest = in->original + strlen(in->keyword);
		rest += strspn(rest, " \t");
		json_array_append_new(ob, json_string(rest));
		sb_putc(&by, ' ');
		sb_puts(&by, rest);
		break;
	}
	case DF_MAINTAINER:
		json_object_set_new(b->s.config, "author",
				    json_string(in->nargs ? in->args[0] : ""));
		sb_putc(&by, ' ');
		sb_puts(&by, in->nargs ? in->args[0] : "");
		break;
	case DF_ARG:
		rc = bld_arg(b, in, &b->args);
		for (size_t i = 0; rc == 0 && i < in->nargs; i++) {
			sb_putc(&by, ' ');
			sb_puts(&by, in->args[i]);
		}
		break;
	default: rc = mr_fail(b->err, 0, "unknown instruction: %s", in->keyword);
	}
	if (rc == 0)
		bld_history(b, sb_str(&by), true);
	sb_free(&by);
	return rc;
}

/*
 * minirun/containers/ps.c - `minirun ps`: the containers of the store, one line each.
 *
 *   minirun ps [-a] [-q] [-s] [--no-trunc] [-l | -n N] [-f KEY=VALUE]... [--format FMT]
 *
 * There is no daemon to ask: each container is a directory ROOT/containers/ID whose
 * container.json (the record) says what it was told, and whose processes say whether it
 * still runs (container_status). ps reads every record, newest first, and prints docker's
 * columns with docker's words:
 *
 *   CONTAINER ID   IMAGE     COMMAND       CREATED          STATUS          PORTS NAMES
 *   3f1c0a9d2b7e   busybox   "sleep 100"   10 seconds ago   Up 9 seconds    0.0.0.0:8080->80/tcp
 * web
 *
 * --format takes docker's template fields (.ID .Names .Image .Command .CreatedAt .RunningFor
 * .Status .State .Ports .Labels .Mounts .Networks .Size, {{json .}}), with "table" for a
 * header and aligned columns. Filters (-f): id= name= (a substring) status= exited=N
 * label=K[=V] ancestor= (the image as given, or its ID) network= volume= publish=PORT[/P]
 * expose= before=C since=C health=starting|healthy|unhealthy|none; the same key twice is
 * "or", two keys are "and".
 *
 * See: docker-ps(1); info.h (the pieces shared with the other verbs)
 */
#include "lib/cli.h"
#include "minirun/containers/info.h"

#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/file.h"
#include "lib/template.h"
#include "minirun/image/image.h"

void info_refresh(struct container *c)
{
	/* a record read just before its monitor recorded the exit and ended: read it again */
	if (container_state_live(c->r.state.status) && container_status(c) == CONTAINER_EXITED &&
	    !container_exit_lost(c))
		container_reload(c, NULL);
	enum container_state s = container_status(c);
	pid_t pid = container_pid(c);
	if (container_exit_lost(c)) {
		/* it ended with nobody to see it (its monitor was killed): say so */
		const char *why;
		c->r.state.exit_code = container_exit_noted(c, &why);
		container_record_set_str(&c->r.state.error, why);
	}
	container_record_set_state(&c->r, s);
	c->r.state.dead = s == CONTAINER_DEAD;
	c->r.state.pid = pid;
	container_record_to_json(&c->r, c->rec); /* what inspect and --format print */
}

/* ---- one row ----------------------------------------------------------------------------- */

static uint64_t size_sum_total;
static int size_add(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)path, (void)ftw;
	if (flag == FTW_F && S_ISREG(sb->st_mode))
		size_sum_total += (uint64_t)sb->st_size;
	return 0;
}

void info_sizes(struct container *c, uint64_t *rw, uint64_t *rootfs)
{
	char dir[4200];
	struct store st;
	struct image img;
	uint64_t image_bytes = 0;
	size_sum_total = 0;
	nftw(container_path(c, "diff", dir, sizeof(dir)), size_add, 16, FTW_PHYS);
	if (store_open(&st, c->root, NULL) == 0) {
		if (image_resolve(&st, c->r.image ? c->r.image : "", &img, NULL) == 0) {
			image_bytes = image_size(&st, &img);
			image_free(&img);
		}
		store_close(&st);
	}
	*rw = size_sum_total;
	*rootfs = size_sum_total + image_bytes;
}

/* "12B (virtual 4.27MB)": the upper dir's bytes, and those plus the image's */
static void ps_size(struct container *c, char *buf, size_t len)
{
	uint64_t rw, rootfs;
	char a[32], b[32];
	info_sizes(c, &rw, &rootfs);
	fmt_size(rw, a, sizeof(a));
	fmt_size(rootfs, b, sizeof(b));
	snprintf(buf, len, "%s (virtual %s)", a, b);
}

/* the names of the networks, joined by ',' */
static json_t *networks_joined(const struct container_record *r)
{
	char out[4096] = "";
	size_t used = 0;
	for (size_t i = 0; i < r->nnetworks && used < sizeof(out); i++)
		used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%s", used ? "," : "",
					 r->networks[i].name);
	return json_string(out);
}

/* the labels as "K=V" pairs, joined by ',' */
static json_t *labels_joined(const struct container_record *r)
{
	char out[4096] = "";
	size_t used = 0;
	for (size_t i = 0; i < r->config.nlabels && used < sizeof(out); i++)
		used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%s=%s", used ? "," : "",
					 r->config.labels[i].key, r->config.labels[i].value);
	return json_string(out);
}

/* the object a --format template sees for container C (its State refreshed) */
static json_t *ps_row(struct container *c, bool notrunc, bool with_size)
{
	const struct container_record *r = &c->r;
	char id[CONTAINER_ID_LEN + 1], cmd[256], created[64], ago[64], status[128], ports[2048];
	char size[96] = "";
	const char *status_now = container_state_name(r->state.status);
	const char *created_at = r->created ? r->created : "";
	snprintf(id, sizeof(id), "%s", c->id);
	if (!notrunc)
		id[12] = 0;
	info_command(r, notrunc, cmd, sizeof(cmd));
	long long t = parse_rfc3339(created_at);
	time_t tt = (time_t)(t < 0 ? 0 : t);
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(created, sizeof(created), "%Y-%m-%d %H:%M:%S +0000 UTC", &tm);
	fmt_since(created_at, ago, sizeof(ago));
	info_status(r, r->state.status, status, sizeof(status));
	if (r->mr.broken)
		snprintf(status, sizeof(status),
			 "Broken (record unreadable)"); /* rm -f removes it */
	info_ports(r->ports, r->nports, ports, sizeof(ports));
	if (with_size)
		ps_size(c, size, sizeof(size));
	const char *name = r->name ? r->name : "";
	json_t *mounts = json_array(), *m;
	size_t i, volumes = 0;
	for (i = 0; i < r->nmounts; i++) {
		const struct container_mount *mt = &r->mounts[i];
		const char *n = mt->name && *mt->name ? mt->name : mt->source ? mt->source : "";
		json_array_append_new(mounts, json_string(n));
		volumes += mt->type && !strcmp(mt->type, "volume");
	}
	json_t *mnames = json_string("");
	json_array_foreach(mounts, i, m)
	{
		char *s = NULL;
		if (asprintf(&s, "%s%s%s", json_string_value(mnames), i ? "," : "",
			     json_string_value(m)) > 0)
			json_string_set(mnames, s);
		free(s);
	}
	json_decref(mounts);
	char nvol[32];
	snprintf(nvol, sizeof(nvol), "%zu", volumes);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:s}",
			 "ID", id, "Names", name[0] == '/' ? name + 1 : name, "Image",
			 r->config.image ? r->config.image : "", "Command", cmd, "CreatedAt",
			 created, "RunningFor", ago, "Status", status, "State", status_now, "Ports",
			 ports, "Labels", labels_joined(r), "Networks", networks_joined(r),
			 "Mounts", mnames, "LocalVolumes", nvol, "Size", size);
}

/* the header row: each field's column title */
static json_t *ps_header(void)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
			 "ID", "CONTAINER ID", "Names", "NAMES", "Image", "IMAGE", "Command",
			 "COMMAND", "CreatedAt", "CREATED AT", "RunningFor", "CREATED", "Status",
			 "STATUS", "State", "STATE", "Ports", "PORTS", "Labels", "LABELS",
			 "Networks", "NETWORKS", "Mounts", "MOUNTS", "LocalVolumes",
			 "LOCAL VOLUMES", "Size", "SIZE");
}

/* ---- filters ------------------------------------------------------------------------------ */

/* the filters: each takes the container and the value after "KEY=" */
static bool by_id(struct container *c, const char *v)
{
	return !strncmp(c->id, v, strlen(v));
}

/* a substring of the name (docker takes a regular expression) */
static bool by_name(struct container *c, const char *v)
{
	return strstr(c->r.name ? c->r.name : "", v[0] == '/' ? v + 1 : v) != NULL;
}

static bool by_status(struct container *c, const char *v)
{
	return container_state_parse(v) == (int)c->r.state.status;
}

static bool by_exited(struct container *c, const char *v)
{
	return c->r.state.status == CONTAINER_EXITED && c->r.state.exit_code == atoll(v);
}

/* health=starting|healthy|unhealthy|none: State.Health.Status, "none" without a check */
static bool by_health(struct container *c, const char *v)
{
	enum container_health h = c->r.state.health;
	return !strcmp(h != CONTAINER_HEALTH_NONE ? container_health_name(h) : "none", v);
}

/* docker takes these four values of health= and refuses any other */
static bool health_value_ok(const char *v)
{
	static const char *const ok[] = {"starting", "healthy", "unhealthy", "none"};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(v, ok[i]))
			return true;
	return false;
}

/* "K" (the label is set) or "K=V" */
static bool by_label(struct container *c, const char *v)
{
	char k[256];
	const char *eq = strchr(v, '=');
	snprintf(k, sizeof(k), "%.*s", (int)(eq ? (size_t)(eq - v) : strlen(v)), v);
	const char *l = container_label(&c->r, k);
	return l && (!eq || !strcmp(l, eq + 1));
}

/* the image as given (with or without ":latest"), or its ID or a prefix of it */
static bool by_ancestor(struct container *c, const char *v)
{
	const char *image = c->r.config.image ? c->r.config.image : "";
	const char *id = c->r.image ? c->r.image : "", *hex = strncmp(v, "sha256:", 7) ? v : v + 7;
	size_t n = strlen(v), ni = strlen(image);
	if (!strcmp(image, v) || (!strncmp(image, v, n) && !strcmp(image + n, ":latest")) ||
	    (!strncmp(v, image, ni) && !strcmp(v + ni, ":latest")))
		return true;
	return strlen(hex) >= 4 && strlen(id) > 7 && !strncmp(id + 7, hex, strlen(hex));
}

static bool by_network(struct container *c, const char *v)
{
	const char *mode = c->r.host.network_mode;
	if (mode && !strcmp(mode, "default")) /* docker's word for the default bridge */
		mode = NETWORK_DEFAULT;
	return container_record_network(&c->r, v) || (mode && !strcmp(mode, v));
}

/* a volume's name, or a mount's source or destination */
static bool by_volume(struct container *c, const char *v)
{
	for (size_t i = 0; i < c->r.nmounts; i++) {
		const struct container_mount *m = &c->r.mounts[i];
		if ((m->name && !strcmp(m->name, v)) || (m->source && !strcmp(m->source, v)) ||
		    (m->destination && !strcmp(m->destination, v)))
			return true;
	}
	return false;
}

/* PORT[/PROTO] as a key ("80/tcp"), into buf */
static const char *port_key(const char *v, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", v, strchr(v, '/') ? "" : "/tcp");
	return buf;
}

/* published: the record's ports have the key with a host binding */
static bool by_publish(struct container *c, const char *v)
{
	char key[32];
	const struct container_port *p =
		container_record_port(&c->r, port_key(v, key, sizeof(key)));
	return p && p->nbindings > 0;
}

/* exposed: the key among Config.ExposedPorts or the ports */
static bool by_expose(struct container *c, const char *v)
{
	char key[32];
	port_key(v, key, sizeof(key));
	for (size_t i = 0; c->r.config.exposed_ports && c->r.config.exposed_ports[i]; i++)
		if (!strcmp(c->r.config.exposed_ports[i], key))
			return true;
	return container_record_port(&c->r, key) != NULL;
}

/* created before / after the container V (RFC 3339 UTC times compare as strings) */
static int created_cmp(struct container *c, const char *v)
{
	struct container other;
	if (container_open(containers_root(), v, false, &other, NULL) < 0)
		return 0;
	int r = strcmp(c->r.created ? c->r.created : "", other.r.created ? other.r.created : "");
	container_close(&other);
	return r;
}

static bool by_before(struct container *c, const char *v)
{
	return created_cmp(c, v) < 0;
}

static bool by_since(struct container *c, const char *v)
{
	return created_cmp(c, v) > 0;
}

/* isolation= is a Windows setting: on Linux docker's daemon matches every container */
static bool by_isolation(struct container *c, const char *v)
{
	(void)c, (void)v;
	return true;
}

/* is-task=: a swarm service's task; there are none here, so true matches none */
static bool by_is_task(struct container *c, const char *v)
{
	(void)c;
	return strcmp(v, "true") != 0 && strcmp(v, "1") != 0;
}

static bool bool_value(const char *v)
{
	static const char *const ok[] = {"true", "false", "1", "0"};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(v, ok[i]))
			return true;
	return false;
}

static const struct {
	const char *key;
	bool (*match)(struct container *c, const char *value);
} filter_table[] = {
	{"id", by_id},           {"name", by_name},           {"status", by_status},
	{"exited", by_exited},   {"label", by_label},         {"ancestor", by_ancestor},
	{"network", by_network}, {"volume", by_volume},       {"publish", by_publish},
	{"expose", by_expose},   {"before", by_before},       {"since", by_since},
	{"health", by_health},   {"isolation", by_isolation}, {"is-task", by_is_task},
};

struct filter {
	bool (*match)(struct container *c, const char *value);
	const char *value;
};

/* every key given must match one of its values */
static bool filters_match(struct container *c, const struct filter *fs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool any = false, seen = false;
		for (size_t j = 0; j < n; j++) {
			if (fs[j].match != fs[i].match)
				continue;
			if (j < i) {
				seen = true; /* this key was decided already */
				break;
			}
			any = any || fs[j].match(c, fs[j].value);
		}
		if (!seen && !any)
			return false;
	}
	return true;
}

/* "KEY=VALUE" -> F; -1 for an unknown key or no '=' */
static int parse_filter(const char *arg, struct filter *f)
{
	const char *eq = strchr(arg, '=');
	for (size_t i = 0; eq && i < sizeof(filter_table) / sizeof(filter_table[0]); i++)
		if (strlen(filter_table[i].key) == (size_t)(eq - arg) &&
		    !strncmp(arg, filter_table[i].key, (size_t)(eq - arg))) {
			f->match = filter_table[i].match;
			f->value = eq + 1;
			return 0;
		}
	return -1;
}

/* ---- the command ------------------------------------------------------------------------- */

static void ps_usage(void)
{
	printf("Usage:  minirun ps [OPTIONS]\n\n"
	       "List containers\n\n"
	       "Options:\n"
	       "  -a, --all             Show all containers (default shows just running)\n"
	       "  -f, --filter filter   Filter output: id= name= status= exited= label=K[=V] "
	       "ancestor=\n"
	       "                        network= volume= publish= expose= before= since=\n"
	       "                        health=starting|healthy|unhealthy|none isolation= "
	       "is-task=\n"
	       "      --format string   'table', 'json', 'table TEMPLATE' or a TEMPLATE: "
	       "'{{.ID}} {{.Names}}'\n"
	       "  -n, --last int        Show n last created containers (includes all states)\n"
	       "  -l, --latest          Show the latest created container (includes all states)\n"
	       "      --no-trunc        Don't truncate output\n"
	       "  -q, --quiet           Only display container IDs\n"
	       "  -s, --size            Display total file sizes\n");
}

#define PS_TABLE                                                                                   \
	"{{.ID}}\\t{{.Image}}\\t{{.Command}}\\t{{.RunningFor}}\\t{{.Status}}\\t{{.Ports}}\\t{{.Names}}"

int cmd_ps(int argc, char **argv)
{
	static const struct option opts[] = {
		{"all", no_argument, NULL, 'a'},          {"filter", required_argument, NULL, 'f'},
		{"format", required_argument, NULL, 'F'}, {"last", required_argument, NULL, 'n'},
		{"latest", no_argument, NULL, 'l'},       {"no-trunc", no_argument, NULL, 'T'},
		{"quiet", no_argument, NULL, 'q'},        {"size", no_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	bool all = false, quiet = false, notrunc = false, size = false;
	long long last = -1;
	const char *format = NULL;
	struct filter filters[32];
	size_t nf = 0;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, ":af:n:lqsh", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': all = true; break;
		case 'f':
			if (nf >= 32 || parse_filter(optarg, &filters[nf]) < 0) {
				/* docker's daemon's words, naming the key; its CLI exits 1 */
				char key[64];
				snprintf(key, sizeof(key), "%.*s", (int)strcspn(optarg, "="),
					 optarg);
				fprintf(stderr,
					"minirun: Invalid filter '%s' (use id= name= status= "
					"exited= label= ancestor= network= volume= publish= "
					"expose= before= since= health= isolation= is-task=)\n",
					key);
				return 1;
			}
			/* docker's daemon checks a status against the states a container has */
			static const char *const states[] = {"created",  "restarting", "running",
							     "removing", "paused",     "exited",
							     "dead"};
			bool known = filters[nf].match != by_status;
			for (size_t k = 0; !known && k < sizeof(states) / sizeof(states[0]); k++)
				known = !strcmp(filters[nf].value, states[k]);
			if (!known) {
				fprintf(stderr,
					"minirun: Invalid filter 'status=%s' (a status is created, "
					"restarting, running, removing, paused, exited or dead)\n",
					filters[nf].value);
				return 1;
			}
			if (filters[nf].match == by_is_task && !bool_value(filters[nf].value)) {
				fprintf(stderr, "minirun: Invalid filter 'is-task=[%s]'\n",
					filters[nf].value);
				return 1;
			}
			if (filters[nf].match == by_health && !health_value_ok(filters[nf].value)) {
				fprintf(stderr,
					"minirun: Unrecognised filter value for health: %s\n",
					filters[nf].value);
				return MR_EXIT_RUNTIME;
			}
			nf++;
			break;
		case 'F': format = optarg; break;
		case 'n':
			if (mr_parse_ll(optarg, -1, 1 << 30, &last) < 0)
				return info_usage_error(
					"ps",
					"invalid argument \"%s\" for \"-n, --last\" "
					"flag: not a number",
					optarg);
			break;
		case 'l': last = 1; break;
		case 'T': notrunc = true; break;
		case 'q': quiet = true; break;
		case 's': size = true; break;
		case 'h': ps_usage(); return 0;
		default: return mr_flag_error(ch, "ps", argv);
		}
	}
	if (optind < argc)
		return mr_operand_error("ps", "\"ps\" accepts no arguments.");
	if (format && strstr(format, ".Size"))
		size = true; /* docker computes the sizes when the template shows them */
	/* docker checks the template before it lists anything */
	struct mr_format f;
	struct mr_err err = {0};
	if (mr_format_open(&f, format, size ? "table " PS_TABLE "\\t{{.Size}}" : "table " PS_TABLE,
			   &err) < 0) {
		mr_format_close(&f);
		fprintf(stderr, "failed to parse template: %s\n", err.msg);
		return 1;
	}
	char **ids = container_ids(containers_root(), &err);
	if (!ids) {
		mr_format_close(&f);
		fprintf(stderr, "minirun: %s\n", err.msg);
		return 1;
	}
	struct mr_tmpl_opts o = {.missing = MR_TMPL_MISSING_FIELD,
				 .type_name = "*formatter.ContainerContext",
				 .methods = mr_tmpl_label_methods};
	int rc = 0;
	long long shown = 0;
	for (char **id = ids; *id && (last < 0 || shown < last) && !rc; id++) {
		struct container c;
		if (container_open(containers_root(), *id, false, &c, NULL) < 0)
			continue; /* removed meanwhile */
		info_refresh(&c);
		if ((all || last >= 0 || container_state_live(c.r.state.status)) &&
		    filters_match(&c, filters, nf)) {
			shown++;
			if (quiet) {
				printf("%.*s\n", notrunc ? CONTAINER_ID_LEN : 12, c.id);
			} else {
				json_t *row = ps_row(&c, notrunc, size);
				json_t *labels = container_labels_json(&c.r);
				o.ctx = labels;
				if (mr_format_row(&f, row, &o, &err) < 0)
					rc = 1;
				o.ctx = NULL;
				json_decref(labels);
				json_decref(row);
			}
		}
		container_close(&c);
	}
	container_ids_free(ids);
	if (rc) /* docker prints no row when one fails */
		fprintf(stderr, "failed to execute template: %s\n", err.msg);
	else if (!quiet) {
		json_t *h = ps_header();
		mr_format_print(&f, h, stdout);
		json_decref(h);
	}
	mr_format_close(&f);
	return rc;
}

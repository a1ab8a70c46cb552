/*
 * minirun/containers/info_format.c - docker's words for containers, as pure functions: the
 * STATUS column ("Up 3 seconds", "Exited (137) 2 minutes ago"), PORTS ("0.0.0.0:8080->80/tcp"),
 * the quoted and truncated COMMAND, the tabwriter layout of top, and the A/C/D changes `diff`
 * finds in an overlay upper dir. (--format templates: lib/template.h.)
 *
 * Pure (no store, no processes), so that tests/unit/test_containers_info.c checks each
 * against docker's own output; ps, inspect, stats and port print through them.
 *
 * See: info.h; docker's cli/command/formatter (container.go, formatter.go),
 *      github.com/docker/go-units (HumanDuration), Go's strconv.Quote
 */
#include "minirun/containers/info.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/inroot.h"
#include "minirun/image/image.h"
#include "unionfs/overlay.h"

/* ---- docker's words (pure) --------------------------------------------------------------- */

/* "3 seconds" for the time since RFC3339 (fmt_since without its " ago") */
static void since(const char *rfc3339, char *buf, size_t len)
{
	fmt_since(rfc3339, buf, len);
	size_t n = strlen(buf);
	if (n > 4 && !strcmp(buf + n - 4, " ago"))
		buf[n - 4] = 0;
}

/* a time Go leaves unset is "0001-01-01T00:00:00Z"; ours may also be missing or "" */
static bool time_set(const char *t)
{
	return t && *t && strncmp(t, "0001-01-01", 10) != 0;
}

void info_status(const struct container_record *r, enum container_state status, char *buf,
		 size_t len)
{
	char ago[64];
	long long code = r->state.exit_code;
	const char *started = r->state.started_at ? r->state.started_at : "";
	const char *finished = r->state.finished_at ? r->state.finished_at : "";
	if (status == CONTAINER_RUNNING || status == CONTAINER_PAUSED) {
		/* docker's: "(Paused)", else the health check's "(healthy)", "(unhealthy)",
		 * "(health: starting)" */
		enum container_health health = r->state.health;
		char tail[32] = "";
		if (status == CONTAINER_PAUSED)
			snprintf(tail, sizeof(tail), " (Paused)");
		else if (health != CONTAINER_HEALTH_NONE)
			snprintf(tail, sizeof(tail), " (%s%s)",
				 health == CONTAINER_HEALTH_STARTING ? "health: " : "",
				 container_health_name(health));
		since(started, ago, sizeof(ago));
		snprintf(buf, len, "Up %s%s", ago, tail);
	} else if (status == CONTAINER_RESTARTING) {
		fmt_since(finished, ago, sizeof(ago));
		snprintf(buf, len, "Restarting (%lld) %s", code, ago);
	} else if (status == CONTAINER_DEAD) {
		snprintf(buf, len, "Dead");
	} else if (status == CONTAINER_CREATED || !time_set(started)) {
		snprintf(buf, len, "Created");
	} else if (!time_set(finished)) {
		snprintf(buf, len, "Exited (%lld)", code);
	} else {
		fmt_since(finished, ago, sizeof(ago));
		snprintf(buf, len, "Exited (%lld) %s", code, ago);
	}
}

/* one port as docker's API lists it for ps: the container's PORT/PROTO and, published, the
 * host's IP and HOST_PORT (IP "" for a port only exposed) */
struct port_entry {
	unsigned port, host_port;
	char ip[INET6_ADDRSTRLEN + 8];
	char proto[8];
};

/* an address's rank in netip's order (0 none, 4 IPv4, 16 IPv6, 32 not an address), its
 * bytes in OUT */
static int ip_rank(const char *ip, unsigned char out[16])
{
	if (!*ip)
		return 0;
	if (inet_pton(AF_INET, ip, out) == 1)
		return 4;
	return inet_pton(AF_INET6, ip, out) == 1 ? 16 : 32;
}

/* netip's order of addresses: none first, then IPv4, then IPv6, each by its bytes */
static int ip_cmp(const char *a, const char *b)
{
	unsigned char x[16], y[16];
	int ra = ip_rank(a, x), rb = ip_rank(b, y);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	return ra == 4 || ra == 16 ? memcmp(x, y, (size_t)ra) : strcmp(a, b);
}

/* docker's sort of the ports: container port, host IP, host port, proto */
static int port_cmp(const void *a, const void *b)
{
	const struct port_entry *x = a, *y = b;
	int c;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	if ((c = ip_cmp(x->ip, y->ip)))
		return c;
	if (x->host_port != y->host_port)
		return x->host_port < y->host_port ? -1 : 1;
	return strcmp(x->proto, y->proto);
}

/* append ", TEXT" (TEXT alone first) to BUF, cut at LEN */
static void ports_add(char *buf, size_t len, const char *text)
{
	size_t used = strlen(buf);
	if (used + 1 < len)
		snprintf(buf + used, len - used, "%s%s", used ? ", " : "", text);
}

/* "IP:HOST" as Go's net.JoinHostPort writes it: an IPv6 address in brackets */
static void join_host_port(const char *ip, const char *port, char *buf, size_t len)
{
	bool v6 = strchr(ip, ':') != NULL;
	snprintf(buf, len, "%s%s%s:%s", v6 ? "[" : "", ip, v6 ? "]" : "", port);
}

/* a run of ports FIRST-LAST of one address and proto (E names them): "80-82/tcp", or
 * "0.0.0.0:8000-8002->8000-8002/tcp" where host and container ports are the same */
static void ports_add_group(char *buf, size_t len, const struct port_entry *e, unsigned first,
			    unsigned last)
{
	char ports[32], text[160];
	if (first == last)
		snprintf(ports, sizeof(ports), "%u", first);
	else
		snprintf(ports, sizeof(ports), "%u-%u", first, last);
	if (e->ip[0]) {
		char hp[96];
		join_host_port(e->ip, ports, hp, sizeof(hp));
		snprintf(text, sizeof(text), "%s->%s/%s", hp, ports, e->proto);
	} else
		snprintf(text, sizeof(text), "%s/%s", ports, e->proto);
	ports_add(buf, len, text);
}

/* the ports of NetworkSettings.Ports, one entry a binding (an exposed port: one, no IP); a
 * new array in *OUT (the caller frees it), their count returned */
static size_t port_entries(const struct container_port *ports, size_t nports,
			   struct port_entry **out)
{
	size_t n = 0, cap = 0;
	struct port_entry *v = NULL;
	for (size_t k = 0; k < nports; k++) {
		const char *key = ports[k].key;
		unsigned port = 0;
		char proto[8] = "tcp";
		if (sscanf(key, "%u/%7s", &port, proto) < 1)
			continue;
		size_t nb = ports[k].nbindings;
		for (size_t i = 0; i < (nb ? nb : 1); i++) {
			if (n == cap) {
				cap = cap ? 2 * cap : 16;
				struct port_entry *nv = realloc(v, cap * sizeof(*v));
				if (!nv)
					break;
				v = nv;
			}
			struct port_entry *e = &v[n++];
			*e = (struct port_entry){.port = port};
			snprintf(e->proto, sizeof(e->proto), "%s", proto);
			if (!nb)
				continue;
			const struct container_port_binding *b = &ports[k].bindings[i];
			const char *ip = b->host_ip;
			snprintf(e->ip, sizeof(e->ip), "%s", *ip ? ip : "0.0.0.0");
			e->host_port = (unsigned)strtoul(b->host_port, NULL, 10);
		}
	}
	*out = v;
	return n;
}

void info_ports(const struct container_port *ports, size_t nports, char *buf, size_t len)
{
	struct port_entry *v = NULL;
	size_t n = port_entries(ports, nports, &v);
	/* docker's DisplayablePorts: sorted, then consecutive ports of one address and proto
	 * are one group ("80-82/tcp", "0.0.0.0:8000-8002->8000-8002/tcp"): an exposed port,
	 * or one published on the same host port. A group is written when a gap ends it, and
	 * the groups still open follow in the order they began; a port published on another
	 * host port ("0.0.0.0:8080->80/tcp") is never grouped: those come last, in order. */
	struct group {
		const struct port_entry *e; /* its address and proto */
		unsigned first, last;
	} *groups = calloc(n ? n : 1, sizeof(*groups));
	size_t ng = 0;
	if (len)
		buf[0] = 0;
	if (!groups || !len) {
		free(v);
		free(groups);
		return;
	}
	if (n) /* qsort(NULL, 0, ...) is undefined: v is NULL for no ports */
		qsort(v, n, sizeof(*v), port_cmp);
	for (size_t i = 0; i < n; i++) {
		const struct port_entry *e = &v[i];
		if (e->ip[0] && e->host_port != e->port)
			continue; /* a mapping: written at the end */
		struct group *g = NULL;
		for (size_t k = 0; k < ng && !g; k++)
			if (!strcmp(groups[k].e->ip, e->ip) &&
			    !strcmp(groups[k].e->proto, e->proto))
				g = &groups[k];
		if (!g) {
			groups[ng++] = (struct group){e, e->port, e->port};
		} else if (e->port == g->last + 1) {
			g->last = e->port;
		} else {
			ports_add_group(buf, len, g->e, g->first, g->last);
			*g = (struct group){e, e->port, e->port};
		}
	}
	for (size_t k = 0; k < ng; k++)
		ports_add_group(buf, len, groups[k].e, groups[k].first, groups[k].last);
	for (size_t i = 0; i < n; i++) {
		const struct port_entry *e = &v[i];
		char hp[96], host_port[16], text[160];
		if (!e->ip[0] || e->host_port == e->port)
			continue;
		snprintf(host_port, sizeof(host_port), "%u", e->host_port);
		join_host_port(e->ip, host_port, hp, sizeof(hp));
		snprintf(text, sizeof(text), "%s->%u/%s", hp, e->port, e->proto);
		ports_add(buf, len, text);
	}
	free(groups);
	free(v);
}

void info_command(const struct container_record *r, bool notrunc, char *buf, size_t len)
{
	char cmd[4096];
	size_t used = (size_t)snprintf(cmd, sizeof(cmd), "%s", r->path ? r->path : "");
	/* as docker's daemon writes Command: an argument with a space in single quotes,
	 * nothing else escaped ("sh -c 'exit 4'") */
	for (size_t i = 0; r->args && r->args[i]; i++) {
		const char *v = r->args[i];
		const char *q = strchr(v, ' ') ? "'" : "";
		if (used < sizeof(cmd))
			used += (size_t)snprintf(cmd + used, sizeof(cmd) - used, " %s%s%s", q, v,
						 q);
	}
	/* docker's Ellipsis(cmd, 20): a longer command is cut to 19 characters and "…" */
	size_t chars = 0, cut = 0;
	for (size_t k = 0; cmd[k]; k++)
		if (((unsigned char)cmd[k] & 0xC0) != 0x80 && ++chars == 20)
			cut = k;
	if (!notrunc && chars > 20)
		snprintf(cmd + cut, sizeof(cmd) - cut, "…");
	/* strconv.Quote: backslash and quote escaped, control characters as \n \t \xNN */
	size_t o = 0;
	if (len < 3) {
		if (len)
			buf[0] = 0;
		return;
	}
	buf[o++] = '"';
	for (const char *p = cmd; *p && o + 6 < len; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == '"' || ch == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)ch;
		} else if (ch == '\n' || ch == '\t') {
			buf[o++] = '\\';
			buf[o++] = ch == '\n' ? 'n' : 't';
		} else if (ch < 0x20 || ch == 0x7f) {
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", ch);
		} else {
			buf[o++] = (char)ch;
		}
	}
	buf[o++] = '"';
	buf[o] = 0;
}

/* the width of S[0..len) on a terminal: UTF-8 code points ("…" is one) */
static size_t display_width(const char *s, size_t len)
{
	size_t w = 0;
	for (size_t i = 0; i < len; i++)
		w += ((unsigned char)s[i] & 0xC0) != 0x80;
	return w;
}

void info_print_rows(char **rows, size_t n)
{
	info_print_rows_min(rows, n, 10);
}

void info_print_rows_min(char **rows, size_t n, size_t minwidth)
{
	/* docker: tabwriter.NewWriter(out, MINWIDTH, 1, 3, ' ', 0) - at least MINWIDTH wide, 3
	 * of padding, the last cell of a line not padded; widths count characters, not bytes */
	enum { MAXCOLS = 64 };
	size_t w[MAXCOLS] = {0};
	for (size_t i = 0; i < n; i++) {
		const char *c = rows[i];
		for (size_t col = 0; col < MAXCOLS; col++) {
			size_t l = strcspn(c, "\t");
			if (!c[l])
				break;
			if (display_width(c, l) > w[col])
				w[col] = display_width(c, l);
			c += l + 1;
		}
	}
	for (size_t i = 0; i < n; i++) {
		const char *c = rows[i];
		for (size_t col = 0;; col++) {
			size_t l = strcspn(c, "\t");
			if (!c[l] || col >= MAXCOLS) {
				printf("%s\n", c);
				break;
			}
			size_t width = w[col] + 3 < minwidth ? minwidth : w[col] + 3;
			printf("%.*s%*s", (int)l, c, (int)(width - display_width(c, l)), "");
			c += l + 1;
		}
	}
}

/* ---- diff: the changes of an upper dir ------------------------------------------------------ */

struct changes {
	struct info_change *v;
	size_t n, cap;
	char *const *lowers;
	const char *const *hide;
};

static void change_add(struct changes *cs, char kind, const char *path)
{
	if (cs->n == cs->cap) {
		cs->cap = cs->cap ? 2 * cs->cap : 64;
		cs->v = realloc(cs->v, cs->cap * sizeof(*cs->v));
	}
	cs->v[cs->n].kind = kind;
	cs->v[cs->n++].path = strdup(path);
}

/* is PATH in the image, the lowers seen top first? A whiteout in a higher lower hides it.
 * Its stat goes to *SB (may be NULL). PATH is looked up below each lower with no symlink
 * followed (lib/inroot.h), as mountpoints.c's in_image does: an image is untrusted, and
 * lstat("LOWER/etc/x") would follow a layer's etc -> /root to the host's /root/x. */
static bool in_lowers(char *const *lowers, const char *path, struct stat *out)
{
	struct stat sb;
	for (size_t i = 0; lowers && lowers[i]; i++) {
		_cleanup_close_ int r = open(lowers[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
		_cleanup_close_ int fd =
			r < 0 ? -1
			      : mr_open_in_root(r, path, O_PATH | O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
		if (fd >= 0 && fstat(fd, &sb) == 0) {
			if (out)
				*out = sb;
			return !ovl_is_whiteout(&sb);
		}
	}
	return false;
}

/* a runtime mount point (HIDE), still as the runtime made it: an empty file or dir */
static bool hidden(const struct changes *cs, const char *path, int dirfd, const char *name,
		   const struct stat *sb)
{
	bool listed = false;
	for (size_t i = 0; cs->hide && cs->hide[i] && !listed; i++)
		listed = !strcmp(cs->hide[i], path);
	if (!listed)
		return false;
	if (S_ISREG(sb->st_mode))
		return sb->st_size == 0;
	if (!S_ISDIR(sb->st_mode))
		return false;
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;
	bool empty = d != NULL;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = false;
	if (d)
		closedir(d);
	else if (fd >= 0)
		close(fd);
	return empty;
}

/* walk directory FD (PATH inside the container, "" for /) depth first */
static int changes_walk(struct changes *cs, int fd, const char *path, struct mr_err *err)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return mr_fail(err, errno, "open '%s'", *path ? path : "/");
	}
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char p[8192];
		struct stat sb;
		snprintf(p, sizeof(p), "%s/%s", path, e->d_name);
		if (fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = mr_fail(err, errno, "stat '%s'", p);
			break;
		}
		bool dir = S_ISDIR(sb.st_mode);
		struct stat lb;
		/* overlay's two ways of saying "deleted": a 0/0 character device, an opaque dir */
		if (ovl_is_whiteout(&sb) || (dir && ovl_is_opaque(dirfd(d), e->d_name, NULL) == 1))
			change_add(cs, 'D', p);
		else if (in_lowers(cs->lowers, p, &lb))
			/* a directory as the image has it is only a candidate: 'c' */
			change_add(cs,
				   dir && S_ISDIR(lb.st_mode) && lb.st_mode == sb.st_mode &&
						   lb.st_uid == sb.st_uid && lb.st_gid == sb.st_gid
					   ? 'c'
					   : 'C',
				   p);
		else if (hidden(cs, p, dirfd(d), e->d_name, &sb))
			continue;
		else
			change_add(cs, 'A', p);
		if (dir) {
			int sub = openat(dirfd(d), e->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			rc = sub < 0 ? mr_fail(err, errno, "open '%s'", p)
				     : changes_walk(cs, sub, p, err);
		}
	}
	closedir(d);
	return rc;
}

static int change_cmp(const void *a, const void *b)
{
	return strcmp(((const struct info_change *)a)->path, ((const struct info_change *)b)->path);
}

int info_changes(const char *upper, char *const *lowers, const char *const *hide,
		 struct info_change **out, size_t *n, struct mr_err *err)
{
	struct changes cs = {.lowers = lowers, .hide = hide};
	int fd = open(upper, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return mr_fail(err, errno, "open '%s'", upper);
	if (changes_walk(&cs, fd, "", err) < 0) {
		info_changes_free(cs.v, cs.n);
		return -1;
	}
	/* the parent of an addition or deletion is a change too, even where the upper has it
	 * only because overlay copied it up to hold the new name (docker's rule) */
	size_t walked = cs.n;
	for (size_t i = 0; i < walked; i++) {
		if (cs.v[i].kind == 'C' || cs.v[i].kind == 'c')
			continue;
		char parent[8192];
		snprintf(parent, sizeof(parent), "%s", cs.v[i].path);
		*strrchr(parent, '/') = 0;
		if (!*parent)
			continue;
		bool have = false;
		for (size_t j = 0; j < cs.n && !have; j++)
			have = !strcmp(cs.v[j].path, parent);
		if (!have)
			change_add(&cs, 'C', parent);
	}
	if (cs.n) /* qsort(NULL, 0) is undefined */
		qsort(cs.v, cs.n, sizeof(*cs.v), change_cmp);
	/* a candidate 'c' is shown when something below it is: sorted, "/a/..." follows "/a" */
	size_t k = 0;
	for (size_t i = 0; i < cs.n; i++) {
		if (cs.v[i].kind == 'c') {
			size_t l = strlen(cs.v[i].path);
			bool below = false;
			for (size_t j = i + 1; j < cs.n && !below; j++) {
				if (strncmp(cs.v[j].path, cs.v[i].path, l) ||
				    cs.v[j].path[l] != '/')
					break;
				below = cs.v[j].kind != 'c';
			}
			if (!below) {
				free(cs.v[i].path);
				continue;
			}
			cs.v[i].kind = 'C';
		}
		cs.v[k++] = cs.v[i];
	}
	cs.n = k;
	*out = cs.v;
	*n = cs.n;
	return 0;
}

void info_changes_free(struct info_change *ch, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ch[i].path);
	free(ch);
}

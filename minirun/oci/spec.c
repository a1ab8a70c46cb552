/*
 * minirun/oci/spec.c - parse and check an OCI bundle's config.json (see spec.h).
 *
 * The whole file is one idea: turn untrusted JSON into checked C values, or say exactly
 * which value is wrong and where. Tables map names to numbers (mount options to MS_*,
 * namespace names, hook names), so adding a name is adding a row. The process object has
 * its own file (spec_process.c) because `exec --process FILE` reads one on its own; the
 * typed getters that locate each bad value are in spec_get.c.
 *
 * See: runtime-spec config.md and config-linux.md; mount(2); getrlimit(2);
 *      capabilities(7); jansson "Decoding" (json_error_t line/column).
 */
#include "minirun/oci/spec_impl.h"
#include "lib/cleanup.h"
#include "lib/file.h"
#include "ns/ns.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/stat.h>

const char *const spec_capset_names[SPEC_NCAPSETS] = {
	"bounding", "effective", "inheritable", "permitted", "ambient",
};
const char *const spec_hook_names[HOOK_NKINDS] = {
	"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};

/* ---- mounts ------------------------------------------------------------------------------ */

/* Mount options: SET is or-ed into the flags, CLEAR taken out, PROP is a propagation. */
static const struct {
	const char *name;
	unsigned long set, clear, prop;
} mount_opts[] = {
	{"defaults", 0, 0, 0},
	{"ro", MS_RDONLY, 0, 0},
	{"rw", 0, MS_RDONLY, 0},
	{"nosuid", MS_NOSUID, 0, 0},
	{"suid", 0, MS_NOSUID, 0},
	{"nodev", MS_NODEV, 0, 0},
	{"dev", 0, MS_NODEV, 0},
	{"noexec", MS_NOEXEC, 0, 0},
	{"exec", 0, MS_NOEXEC, 0},
	{"sync", MS_SYNCHRONOUS, 0, 0},
	{"async", 0, MS_SYNCHRONOUS, 0},
	{"dirsync", MS_DIRSYNC, 0, 0},
	{"remount", MS_REMOUNT, 0, 0},
	{"mand", MS_MANDLOCK, 0, 0},
	{"nomand", 0, MS_MANDLOCK, 0},
	{"atime", 0, MS_NOATIME, 0},
	{"noatime", MS_NOATIME, 0, 0},
	{"diratime", 0, MS_NODIRATIME, 0},
	{"nodiratime", MS_NODIRATIME, 0, 0},
	{"relatime", MS_RELATIME, 0, 0},
	{"norelatime", 0, MS_RELATIME, 0},
	{"strictatime", MS_STRICTATIME, 0, 0},
	{"nostrictatime", 0, MS_STRICTATIME, 0},
	{"private", 0, 0, MS_PRIVATE},
	{"rprivate", 0, 0, MS_PRIVATE | MS_REC},
	{"shared", 0, 0, MS_SHARED},
	{"rshared", 0, 0, MS_SHARED | MS_REC},
	{"slave", 0, 0, MS_SLAVE},
	{"rslave", 0, 0, MS_SLAVE | MS_REC},
	{"unbindable", 0, 0, MS_UNBINDABLE},
	{"runbindable", 0, 0, MS_UNBINDABLE | MS_REC},
	/* accepted and ignored: selinux relabel and copy-up hints engines add */
	{"z", 0, 0, 0},
	{"Z", 0, 0, 0},
	{"tmpcopyup", 0, 0, 0},
	{"notmpcopyup", 0, 0, 0},
	{"copy-symlink", 0, 0, 0},
	{"nocopyup", 0, 0, 0},
};

static int parse_mount_options(struct pctx *c, const char *path, json_t *opts, struct spec_mount *m)
{
	size_t i, k;
	json_t *v;
	size_t dlen = 0;
	json_array_foreach(opts, i, v)
	{
		char q[300];
		snprintf(q, sizeof(q), "%s.options[%zu]", path, i);
		if (!json_is_string(v))
			return bad(c, q, "must be a string");
		const char *o = json_string_value(v);
		if (strcmp(o, "bind") == 0 || strcmp(o, "rbind") == 0) {
			m->bind = true;
			m->rec = o[0] == 'r';
			continue;
		}
		if (strcmp(o, "rro") == 0 || strcmp(o, "idmap") == 0 || strcmp(o, "ridmap") == 0)
			return bad(c, q, "'%s' is not supported by minirun; remove it", o);
		for (k = 0; k < sizeof(mount_opts) / sizeof(mount_opts[0]); k++)
			if (strcmp(mount_opts[k].name, o) == 0)
				break;
		if (k < sizeof(mount_opts) / sizeof(mount_opts[0])) {
			m->flags = (m->flags | mount_opts[k].set) & ~mount_opts[k].clear;
			if (mount_opts[k].prop)
				m->propagation = mount_opts[k].prop;
			continue;
		}
		/* anything else is filesystem data: "mode=755", "size=65536k", "newinstance" */
		size_t n = strlen(o);
		char *d = realloc(m->data, dlen + n + 2);
		if (!d)
			return mr_fail(c->err, ENOMEM, "%s", q);
		m->data = d;
		if (dlen)
			d[dlen++] = ',';
		memcpy(d + dlen, o, n + 1);
		dlen += n;
	}
	m->ro = m->flags & MS_RDONLY;
	return 0;
}

static int parse_mounts(struct pctx *c, struct spec *s)
{
	json_t *a, *v, *opts;
	size_t i;
	if (get_arr(c, s->doc, "", "mounts", &a) < 0)
		return -1;
	if (!a)
		return 0;
	s->mounts = calloc(json_array_size(a) + 1, sizeof(*s->mounts));
	if (!s->mounts)
		return mr_fail(c->err, ENOMEM, "mounts");
	json_array_foreach(a, i, v)
	{
		char path[64];
		struct spec_mount *m = &s->mounts[s->nmounts++];
		snprintf(path, sizeof(path), "mounts[%zu]", i);
		if (!json_is_object(v))
			return bad(c, path, "must be an object");
		if (get_str(c, v, path, "destination", true, &m->dest) < 0 ||
		    get_str(c, v, path, "type", false, &m->type) < 0 ||
		    get_str(c, v, path, "source", false, &m->source) < 0 ||
		    get_arr(c, v, path, "options", &opts) < 0)
			return -1;
		char q[80];
		snprintf(q, sizeof(q), "%s.destination", path);
		if (m->dest[0] != '/')
			return bad(c, q, "must be an absolute path inside the container, not '%s'",
				   m->dest);
		if (opts && parse_mount_options(c, path, opts, m) < 0)
			return -1;
		if (m->type && strcmp(m->type, "bind") == 0)
			m->bind = true;
		if (!m->bind && !m->type)
			return bad(c, path, "needs a \"type\" (or a bind/rbind option)");
		if (m->bind && (!m->source || !m->source[0]))
			return bad(c, path, "is a bind mount and needs a \"source\"");
	}
	return 0;
}

/* ---- linux ------------------------------------------------------------------------------- */

static int parse_ns_list(struct pctx *c, struct spec *s, json_t *lx)
{
	json_t *a, *v;
	size_t i;
	if (get_arr(c, lx, "linux", "namespaces", &a) < 0)
		return -1;
	json_array_foreach(a, i, v)
	{
		char path[64];
		const char *type = NULL, *nspath = NULL;
		snprintf(path, sizeof(path), "linux.namespaces[%zu]", i);
		if (!json_is_object(v))
			return bad(c, path, "must be an object");
		if (get_str(c, v, path, "type", true, &type) < 0 ||
		    get_str(c, v, path, "path", false, &nspath) < 0)
			return -1;
		const struct ns_type *t = ns_by_name(type);
		if (!t || strcmp(type, t->spec) != 0)
			return bad(c, path,
				   "has an unknown namespace type '%s' (use pid, network, "
				   "mount, ipc, uts, user, cgroup or time)",
				   type);
		if (spec_ns(s, t->flag))
			return bad(c, path, "lists namespace type '%s' twice", type);
		if (nspath && !*nspath)
			nspath = NULL;
		if (nspath && nspath[0] != '/')
			return bad(c, path, "path must be absolute, not '%s'", nspath);
		s->ns[s->nns++] = (struct spec_ns){t->flag, nspath};
		if (!nspath)
			s->ns_new |= t->flag;
	}
	return 0;
}

/* [{containerID, hostID, size}, ...] -> "c h s\n..." as uid_map wants it. */
static int parse_idmap(struct pctx *c, json_t *lx, const char *key, char **out)
{
	json_t *a, *v;
	size_t i, len = 0;
	if (get_arr(c, lx, "linux", key, &a) < 0)
		return -1;
	if (!a || json_array_size(a) == 0)
		return 0;
	char *map = calloc(json_array_size(a), 64);
	if (!map)
		return mr_fail(c->err, ENOMEM, "%s", key);
	json_array_foreach(a, i, v)
	{
		char path[64];
		long long in = -1, host = -1, size = -1;
		snprintf(path, sizeof(path), "linux.%s[%zu]", key, i);
		if (!json_is_object(v)) {
			free(map);
			return bad(c, path, "must be an object");
		}
		if (get_int(c, v, path, "containerID", 0, UINT32_MAX - 1, &in, NULL) < 0 ||
		    get_int(c, v, path, "hostID", 0, UINT32_MAX - 1, &host, NULL) < 0 ||
		    get_int(c, v, path, "size", 1, UINT32_MAX, &size, NULL) < 0) {
			free(map);
			return -1;
		}
		if (in < 0 || host < 0 || size < 0) {
			free(map);
			return bad(c, path, "needs containerID, hostID and size");
		}
		len += sprintf(map + len, "%lld %lld %lld\n", in, host, size);
	}
	*out = map;
	return 0;
}

static int parse_devices(struct pctx *c, struct spec *s, json_t *lx)
{
	json_t *a, *v;
	size_t i;
	if (get_arr(c, lx, "linux", "devices", &a) < 0)
		return -1;
	if (!a)
		return 0;
	s->devices = calloc(json_array_size(a) + 1, sizeof(*s->devices));
	if (!s->devices)
		return mr_fail(c->err, ENOMEM, "devices");
	json_array_foreach(a, i, v)
	{
		char path[64];
		const char *type = NULL;
		long long major = 0, minor = 0, mode = 0666, uid = 0, gid = 0;
		struct spec_device *d = &s->devices[s->ndevices++];
		snprintf(path, sizeof(path), "linux.devices[%zu]", i);
		if (!json_is_object(v))
			return bad(c, path, "must be an object");
		if (get_str(c, v, path, "path", true, &d->path) < 0 ||
		    get_str(c, v, path, "type", true, &type) < 0 ||
		    get_int(c, v, path, "major", 0, 0xfffff, &major, NULL) < 0 ||
		    get_int(c, v, path, "minor", 0, 0xfffff, &minor, NULL) < 0 ||
		    get_int(c, v, path, "fileMode", 0, 07777, &mode, NULL) < 0 ||
		    get_int(c, v, path, "uid", 0, UINT32_MAX - 1, &uid, NULL) < 0 ||
		    get_int(c, v, path, "gid", 0, UINT32_MAX - 1, &gid, NULL) < 0)
			return -1;
		if (d->path[0] != '/')
			return bad(c, path, "path must be absolute, not '%s'", d->path);
		if (strlen(type) != 1 || !strchr("cbpu", type[0]))
			return bad(c, path, "type must be c, b, u or p, not '%s'", type);
		d->type = type[0] == 'u' ? 'c' : type[0];
		d->major = major, d->minor = minor, d->mode = mode, d->uid = uid, d->gid = gid;
	}
	return 0;
}

static int parse_paths(struct pctx *c, json_t *lx, const char *key, const char ***out, size_t *n)
{
	char **v = NULL;
	if (get_strv(c, lx, "linux", key, &v) < 0)
		return -1;
	*out = (const char **)v;
	for (*n = 0; v && v[*n]; (*n)++)
		if (v[*n][0] != '/') {
			char q[64];
			snprintf(q, sizeof(q), "linux.%s[%zu]", key, *n);
			return bad(c, q, "must be an absolute path, not '%s'", v[*n]);
		}
	return 0;
}

static int parse_linux(struct pctx *c, struct spec *s)
{
	json_t *lx, *v;
	const char *prop = NULL;
	s->rootfs_propagation = MS_PRIVATE | MS_REC;
	s->personality = -1;
	if (get_obj(c, s->doc, "", "linux", &lx) < 0)
		return -1;
	if (!lx)
		return 0;
	if (parse_ns_list(c, s, lx) < 0 || parse_idmap(c, lx, "uidMappings", &s->uid_map) < 0 ||
	    parse_idmap(c, lx, "gidMappings", &s->gid_map) < 0 || parse_devices(c, s, lx) < 0 ||
	    get_str(c, lx, "linux", "cgroupsPath", false, &s->cgroups_path) < 0 ||
	    get_obj(c, lx, "linux", "resources", &s->resources) < 0 ||
	    get_obj(c, lx, "linux", "sysctl", &s->sysctl) < 0 ||
	    parse_paths(c, lx, "maskedPaths", &s->masked, &s->nmasked) < 0 ||
	    parse_paths(c, lx, "readonlyPaths", &s->readonly, &s->nreadonly) < 0 ||
	    get_str(c, lx, "linux", "rootfsPropagation", false, &prop) < 0 ||
	    get_obj(c, lx, "linux", "seccomp", &s->seccomp) < 0 ||
	    get_obj(c, lx, "linux", "timeOffsets", &s->time_offsets) < 0 ||
	    get_str(c, lx, "linux", "mountLabel", false, &s->mount_label) < 0)
		return -1;
	if ((s->uid_map || s->gid_map) && !(s->ns_new & CLONE_NEWUSER))
		return bad(c, "linux.uidMappings",
			   "needs a new user namespace in linux.namespaces");
	if ((s->ns_new & CLONE_NEWUSER) && (!s->uid_map || !s->gid_map))
		return bad(c, "linux.namespaces",
			   "has a new user namespace but linux.uidMappings or "
			   "linux.gidMappings is missing");
	if (prop) {
		size_t k;
		for (k = 0; k < sizeof(mount_opts) / sizeof(mount_opts[0]); k++)
			if (mount_opts[k].prop && strcmp(mount_opts[k].name, prop) == 0)
				break;
		if (k == sizeof(mount_opts) / sizeof(mount_opts[0]))
			return bad(c, "linux.rootfsPropagation",
				   "must be a propagation such as "
				   "rprivate or rslave, not '%s'",
				   prop);
		s->rootfs_propagation = mount_opts[k].prop;
	}
	const char *key;
	json_object_foreach(s->sysctl, key, v) if (!json_is_string(v))
	{
		char q[200];
		snprintf(q, sizeof(q), "linux.sysctl.%s", key);
		return bad(c, q, "must be a string");
	}
	if (s->time_offsets && !(s->ns_new & CLONE_NEWTIME))
		return bad(c, "linux.timeOffsets",
			   "needs a new time namespace in linux.namespaces");
	if ((v = json_object_get(lx, "personality"))) {
		const char *dom = NULL;
		if (!json_is_object(v))
			return bad(c, "linux.personality", "must be an object");
		if (get_str(c, v, "linux.personality", "domain", true, &dom) < 0)
			return -1;
		if (strcmp(dom, "LINUX") == 0)
			s->personality = 0x0000;
		else if (strcmp(dom, "LINUX32") == 0)
			s->personality = 0x0008;
		else
			return bad(c, "linux.personality.domain", "must be LINUX or LINUX32");
	}
	return 0;
}

static int parse_hooks(struct pctx *c, struct spec *s)
{
	json_t *hooks;
	if (get_obj(c, s->doc, "", "hooks", &hooks) < 0)
		return -1;
	for (int k = 0; hooks && k < HOOK_NKINDS; k++) {
		json_t *a, *v;
		size_t i;
		char path[64];
		snprintf(path, sizeof(path), "hooks");
		if (get_arr(c, hooks, path, spec_hook_names[k], &a) < 0)
			return -1;
		if (!a)
			continue;
		s->hooks[k].list = calloc(json_array_size(a) + 1, sizeof(struct spec_hook));
		if (!s->hooks[k].list)
			return mr_fail(c->err, ENOMEM, "hooks");
		json_array_foreach(a, i, v)
		{
			long long t = 0;
			struct spec_hook *h = &s->hooks[k].list[s->hooks[k].n++];
			snprintf(path, sizeof(path), "hooks.%s[%zu]", spec_hook_names[k], i);
			if (!json_is_object(v))
				return bad(c, path, "must be an object");
			if (get_str(c, v, path, "path", true, &h->path) < 0 ||
			    get_strv(c, v, path, "args", &h->args) < 0 ||
			    get_strv(c, v, path, "env", &h->env) < 0 ||
			    get_int(c, v, path, "timeout", 1, 86400, &t, NULL) < 0)
				return -1;
			if (h->path[0] != '/')
				return bad(c, path, "path must be absolute, not '%s'", h->path);
			h->timeout = (int)t;
		}
	}
	return 0;
}

const struct spec_ns *spec_ns(const struct spec *s, int flag)
{
	for (size_t i = 0; i < s->nns; i++)
		if (s->ns[i].flag == flag)
			return &s->ns[i];
	return NULL;
}

/* The parts of the document above process/lx: version, root, names, annotations. */
static int parse_top(struct pctx *c, struct spec *s)
{
	json_t *root, *proc;
	const char *rpath = NULL;
	if (!json_is_object(s->doc))
		return mr_fail(c->err, 0, "%s: must hold a JSON object", c->name);
	if (get_str(c, s->doc, "", "ociVersion", true, &s->oci_version) < 0)
		return -1;
	if (strncmp(s->oci_version, "1.", 2) != 0)
		return bad(c, "ociVersion", "must be a runtime-spec 1.x version, not '%s'",
			   s->oci_version);
	if (get_obj(c, s->doc, "", "root", &root) < 0)
		return -1;
	if (!root)
		return mr_fail(c->err, 0, "%s: needs \"root\" with the rootfs path", c->name);
	if (get_str(c, root, "root", "path", true, &rpath) < 0 ||
	    get_bool(c, root, "root", "readonly", &s->root_ro) < 0)
		return -1;
	if (rpath[0] == '/')
		s->rootfs = strdup(rpath);
	else if (asprintf(&s->rootfs, "%s/%s", s->bundle, rpath) < 0)
		s->rootfs = NULL;
	if (!s->rootfs)
		return mr_fail(c->err, ENOMEM, "root.path");
	if (get_obj(c, s->doc, "", "process", &proc) < 0)
		return -1;
	if (!proc)
		return mr_fail(c->err, 0, "%s: needs a \"process\" to run", c->name);
	if (spec_parse_process(proc, c->text, c->name, &s->proc, c->err) < 0)
		return -1;
	if (get_str(c, s->doc, "", "hostname", false, &s->hostname) < 0 ||
	    get_str(c, s->doc, "", "domainname", false, &s->domainname) < 0 ||
	    get_obj(c, s->doc, "", "annotations", &s->annotations) < 0)
		return -1;
	return 0;
}

/* The runtime spec's "unlimited" for an rlimit is 2^64-1, which runc, podman and
 * containerd write; jansson reads integers as signed 64 bits and refuses it ("too big
 * integer"). So every bare number token 18446744073709551615 (outside strings) of TEXT is
 * rewritten in place as -1 and spaces, the same length, so error columns stay true; the
 * rlimit parser reads -1 as RLIM_INFINITY. */
static void unlimited_as_minus_one(char *text)
{
	static const char max[] = "18446744073709551615";
	const size_t n = sizeof(max) - 1;
	bool in_string = false;
	for (char *p = text; *p; p++) {
		if (in_string) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				in_string = false;
		} else if (*p == '"') {
			in_string = true;
		} else if (!strncmp(p, max, n) && !isdigit((unsigned char)p[n]) &&
			   (p == text || !isdigit((unsigned char)p[-1]))) {
			memcpy(p, "-1", 2);
			memset(p + 2, ' ', n - 2);
			p += n - 1;
		}
	}
}

/* the spec over DOC (its reference is the spec's now: freed with it), TEXT its JSON */
static struct spec *spec_of_doc(json_t *doc, const char *text, const char *name, const char *bundle,
				struct mr_err *err)
{
	struct spec *s = calloc(1, sizeof(*s));
	if (!s)
		json_decref(doc);
	else
		s->doc = doc;
	if (!s || !(s->text = strdup(text ? text : "")) || !(s->name = strdup(name)) ||
	    !(s->bundle = strdup(bundle))) {
		spec_free(s);
		mr_fail(err, ENOMEM, "%s", name);
		return NULL;
	}
	struct pctx c = {s->text, s->name, err};
	if (parse_top(&c, s) < 0 || parse_mounts(&c, s) < 0 || parse_linux(&c, s) < 0 ||
	    parse_hooks(&c, s) < 0) {
		spec_free(s);
		return NULL;
	}
	if (s->hostname && *s->hostname && !(s->ns_new & CLONE_NEWUTS) &&
	    !spec_ns(s, CLONE_NEWUTS)) {
		bad(&c, "hostname", "needs a uts namespace in linux.namespaces");
		spec_free(s);
		return NULL;
	}
	return s;
}

struct spec *spec_parse_text(const char *text, const char *name, const char *bundle,
			     struct mr_err *err)
{
	json_error_t je;
	_cleanup_free_ char *copy = strdup(text);
	if (!copy) {
		mr_fail(err, ENOMEM, "%s", name);
		return NULL;
	}
	unlimited_as_minus_one(copy);
	json_t *doc = json_loads(copy, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		mr_fail(err, 0, "%s:%d:%d: malformed JSON: %s", name, je.line, je.column, je.text);
		return NULL;
	}
	return spec_of_doc(doc, text, name, bundle, err);
}

struct spec *spec_parse_tree(json_t *config, const char *text, const char *name, const char *bundle,
			     struct mr_err *err)
{
	if (!json_is_object(config)) {
		mr_fail(err, 0, "%s: must be a JSON object", name);
		return NULL;
	}
	return spec_of_doc(json_incref(config), text, name, bundle, err);
}

struct spec *spec_load(const char *bundle, struct mr_err *err)
{
	return spec_load_tree(bundle, NULL, NULL, err);
}

struct spec *spec_load_tree(const char *bundle, json_t *config, const char *text,
			    struct mr_err *err)
{
	struct stat st;
	_cleanup_free_ char *abs = NULL, *path = NULL, *file = NULL;

	if (stat(bundle, &st) < 0) {
		mr_fail(err, errno, "bundle '%s'", bundle);
		return NULL;
	}
	if (!S_ISDIR(st.st_mode)) {
		mr_fail(err, ENOTDIR, "bundle '%s' must be a directory holding config.json",
			bundle);
		return NULL;
	}
	if (!(abs = realpath(bundle, NULL))) {
		mr_fail(err, errno, "bundle '%s'", bundle);
		return NULL;
	}
	struct spec *s;
	if (config) { /* the caller's tree: the file says the same, no need to read it back */
		s = spec_parse_tree(config, text, "config.json", abs, err);
	} else {
		if (asprintf(&path, "%s/config.json", abs) < 0) {
			path = NULL;
			mr_fail(err, ENOMEM, "bundle");
			return NULL;
		}
		if (mr_read_file(path, &file, NULL, err) < 0)
			return NULL;
		s = spec_parse_text(file, "config.json", abs, err);
	}
	if (!s)
		return NULL;
	if (stat(s->rootfs, &st) < 0 || !S_ISDIR(st.st_mode)) {
		mr_fail(err, errno ? errno : ENOTDIR,
			"config.json: root.path '%s' must be a directory", s->rootfs);
		spec_free(s);
		return NULL;
	}
	return s;
}

void spec_free(struct spec *s)
{
	if (!s)
		return;
	spec_process_free(&s->proc);
	for (size_t i = 0; i < s->nmounts; i++)
		free(s->mounts[i].data);
	free(s->mounts);
	free(s->devices);
	free(s->masked);
	free(s->readonly);
	free(s->uid_map);
	free(s->gid_map);
	for (int k = 0; k < HOOK_NKINDS; k++) {
		for (size_t i = 0; i < s->hooks[k].n; i++) {
			free(s->hooks[k].list[i].args);
			free(s->hooks[k].list[i].env);
		}
		free(s->hooks[k].list);
	}
	free(s->rootfs);
	free(s->bundle);
	free(s->text);
	free(s->name);
	json_decref(s->doc);
	free(s);
}

/*
 * tests/fuzz/fuzz_spec.c - fuzz the OCI config.json parser (minirun/oci/spec*.c).
 *
 * The input is a config.json. spec_parse_text either refuses it, with one message naming
 * config.json (and, where it can, the line and column), or turns it into a struct spec.
 *
 * Oracle: a config that parses is written back as JSON from the structure alone (the
 * small serializer below: the runtime has none of its own), and that JSON must parse to
 * the same structure, compared as a canonical text dump of every field. A field the
 * parser reads one way and the structure can't say back (a lost flag, a truncated map, a
 * value silently clamped) shows up as a difference.
 *
 * Seeds: tests/fuzz/seeds/spec/ (runc's default spec, podman- and docker-made configs).
 * See: minirun/oci/spec.h; tests/fuzz/README.md.
 */
#include "minirun/oci/spec.h"
#include "ns/ns.h"
#include "tests/fuzz/fuzz.h"

#include <ctype.h>
#include <sched.h>
#include <sys/capability.h>
#include <sys/mount.h>

/* ---- the canonical dump: every field of the structure, one per line ------------------- */

static void dump_strv(FILE *f, const char *what, char **v)
{
	fprintf(f, "%s:", what);
	for (; v && *v; v++)
		fprintf(f, " [%s]", *v);
	fputc('\n', f);
}

static void dump_json(FILE *f, const char *what, json_t *j)
{
	char *s = j ? json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	fprintf(f, "%s: %s\n", what, s ? s : "(none)");
	free(s);
}

#define STR(s) ((s) ? (s) : "(null)")

static void dump_process(FILE *f, const struct spec_process *p)
{
	fprintf(f, "terminal %d size %ux%u uid %u gid %u umask %d\n", p->terminal, p->cols, p->rows,
		p->uid, p->gid, p->umask);
	fprintf(f, "gids:");
	for (size_t i = 0; i < p->ngids; i++)
		fprintf(f, " %u", p->gids[i]);
	fputc('\n', f);
	dump_strv(f, "args", p->args);
	dump_strv(f, "env", p->env);
	fprintf(f, "cwd [%s] has_caps %d\n", STR(p->cwd), p->has_caps);
	for (int s = 0; s < SPEC_NCAPSETS; s++)
		fprintf(f, "caps %s %llx\n", spec_capset_names[s], (unsigned long long)p->caps[s]);
	for (size_t i = 0; i < p->nrlimits; i++)
		fprintf(f, "rlimit %d %s %llu %llu\n", p->rlimits[i].resource, p->rlimits[i].name,
			(unsigned long long)p->rlimits[i].soft,
			(unsigned long long)p->rlimits[i].hard);
	fprintf(f, "nnp %d oom %d/%d apparmor [%s] selinux [%s]\n", p->no_new_privs,
		p->has_oom_score_adj, p->oom_score_adj, STR(p->apparmor), STR(p->selinux));
}

static char *dump(const struct spec *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		abort();
	fprintf(f, "oci [%s] rootfs [%s] ro %d host [%s] domain [%s]\n", STR(s->oci_version),
		STR(s->rootfs), s->root_ro, STR(s->hostname), STR(s->domainname));
	dump_process(f, &s->proc);
	for (size_t i = 0; i < s->nmounts; i++) {
		const struct spec_mount *m = &s->mounts[i];
		fprintf(f, "mount [%s] [%s] [%s] flags %lx prop %lx bind %d rec %d ro %d [%s]\n",
			STR(m->dest), STR(m->type), STR(m->source), m->flags, m->propagation,
			m->bind, m->rec, m->ro, STR(m->data));
	}
	for (size_t i = 0; i < s->nns; i++)
		fprintf(f, "ns %x [%s]\n", s->ns[i].flag, STR(s->ns[i].path));
	fprintf(f, "ns_new %x uid_map [%s] gid_map [%s]\n", s->ns_new, STR(s->uid_map),
		STR(s->gid_map));
	for (size_t i = 0; i < s->ndevices; i++) {
		const struct spec_device *d = &s->devices[i];
		fprintf(f, "device [%s] %c %ld %ld %o %u %u\n", d->path, d->type, d->major,
			d->minor, d->mode, d->uid, d->gid);
	}
	fprintf(f, "cgroups [%s]\n", STR(s->cgroups_path));
	dump_json(f, "resources", s->resources);
	dump_json(f, "sysctl", s->sysctl);
	for (size_t i = 0; i < s->nmasked; i++)
		fprintf(f, "masked [%s]\n", s->masked[i]);
	for (size_t i = 0; i < s->nreadonly; i++)
		fprintf(f, "readonly [%s]\n", s->readonly[i]);
	fprintf(f, "rootfs_prop %lx personality %ld label [%s]\n", s->rootfs_propagation,
		s->personality, STR(s->mount_label));
	dump_json(f, "seccomp", s->seccomp);
	dump_json(f, "timeOffsets", s->time_offsets);
	for (int k = 0; k < HOOK_NKINDS; k++)
		for (size_t i = 0; i < s->hooks[k].n; i++) {
			const struct spec_hook *h = &s->hooks[k].list[i];
			fprintf(f, "hook %s [%s] timeout %d\n", spec_hook_names[k], h->path,
				h->timeout);
			dump_strv(f, " args", h->args);
			dump_strv(f, " env", h->env);
		}
	dump_json(f, "annotations", s->annotations);
	fclose(f);
	return out;
}

/* ---- the serializer: struct spec -> config.json ---------------------------------------- */

static json_t *strv_json(char **v)
{
	json_t *a = json_array();
	for (; v && *v; v++)
		json_array_append_new(a, json_string(*v));
	return a;
}

static json_t *paths_json(const char **v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static void set_str(json_t *o, const char *key, const char *v)
{
	if (v)
		json_object_set_new(o, key, json_string(v));
}

static void set_copy(json_t *o, const char *key, json_t *v)
{
	if (v)
		json_object_set_new(o, key, json_deep_copy(v));
}

static json_t *rlim_json(rlim_t v)
{
	return json_integer(v == RLIM_INFINITY ? -1 : (json_int_t)v);
}

static json_t *process_json(const struct spec_process *p)
{
	json_t *o = json_object(), *u = json_object();
	json_object_set_new(o, "terminal", json_boolean(p->terminal));
	if (p->rows || p->cols)
		json_object_set_new(o, "consoleSize",
				    json_pack("{s:i,s:i}", "height", p->rows, "width", p->cols));
	json_object_set_new(u, "uid", json_integer(p->uid));
	json_object_set_new(u, "gid", json_integer(p->gid));
	if (p->umask >= 0)
		json_object_set_new(u, "umask", json_integer(p->umask));
	if (p->ngids) {
		json_t *g = json_array();
		for (size_t i = 0; i < p->ngids; i++)
			json_array_append_new(g, json_integer(p->gids[i]));
		json_object_set_new(u, "additionalGids", g);
	}
	json_object_set_new(o, "user", u);
	json_object_set_new(o, "args", strv_json(p->args));
	if (p->env)
		json_object_set_new(o, "env", strv_json(p->env));
	set_str(o, "cwd", p->cwd);
	if (p->has_caps) {
		json_t *caps = json_object();
		for (int s = 0; s < SPEC_NCAPSETS; s++) {
			json_t *a = json_array();
			for (int c = 0; c < 64; c++)
				if (p->caps[s] & (1ULL << c)) {
					char *n = cap_to_name(c), *q;
					for (q = n; *q; q++)
						*q = (char)toupper((unsigned char)*q);
					json_array_append_new(a, json_string(n));
					cap_free(n);
				}
			json_object_set_new(caps, spec_capset_names[s], a);
		}
		json_object_set_new(o, "capabilities", caps);
	}
	if (p->nrlimits) {
		json_t *a = json_array();
		for (size_t i = 0; i < p->nrlimits; i++)
			json_array_append_new(a,
					      json_pack("{s:s,s:o,s:o}", "type", p->rlimits[i].name,
							"soft", rlim_json(p->rlimits[i].soft),
							"hard", rlim_json(p->rlimits[i].hard)));
		json_object_set_new(o, "rlimits", a);
	}
	json_object_set_new(o, "noNewPrivileges", json_boolean(p->no_new_privs));
	if (p->has_oom_score_adj)
		json_object_set_new(o, "oomScoreAdj", json_integer(p->oom_score_adj));
	set_str(o, "apparmorProfile", p->apparmor);
	set_str(o, "selinuxLabel", p->selinux);
	return o;
}

/* mount flags and propagations back to option names (the parser's table, inverted) */
static const struct {
	const char *name;
	unsigned long flag;
} flag_names[] = {
	{"ro", MS_RDONLY},         {"nosuid", MS_NOSUID},
	{"nodev", MS_NODEV},       {"noexec", MS_NOEXEC},
	{"sync", MS_SYNCHRONOUS},  {"dirsync", MS_DIRSYNC},
	{"remount", MS_REMOUNT},   {"mand", MS_MANDLOCK},
	{"noatime", MS_NOATIME},   {"nodiratime", MS_NODIRATIME},
	{"relatime", MS_RELATIME}, {"strictatime", MS_STRICTATIME},
};
static const struct {
	const char *name;
	unsigned long prop;
} prop_names[] = {
	{"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC},
	{"shared", MS_SHARED},         {"rshared", MS_SHARED | MS_REC},
	{"slave", MS_SLAVE},           {"rslave", MS_SLAVE | MS_REC},
	{"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

static const char *prop_name(unsigned long prop)
{
	for (size_t i = 0; i < sizeof(prop_names) / sizeof(prop_names[0]); i++)
		if (prop_names[i].prop == prop)
			return prop_names[i].name;
	return NULL;
}

static json_t *mount_json(const struct spec_mount *m)
{
	json_t *o = json_object(), *opts = json_array();
	set_str(o, "destination", m->dest);
	set_str(o, "type", m->type);
	set_str(o, "source", m->source);
	if (m->bind)
		json_array_append_new(opts, json_string(m->rec ? "rbind" : "bind"));
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if (m->flags & flag_names[i].flag)
			json_array_append_new(opts, json_string(flag_names[i].name));
	if (m->propagation && prop_name(m->propagation))
		json_array_append_new(opts, json_string(prop_name(m->propagation)));
	if (m->data)
		json_array_append_new(opts, json_string(m->data));
	json_object_set_new(o, "options", opts);
	return o;
}

/* "c h s\n..." back to [{containerID, hostID, size}] */
static json_t *idmap_json(const char *map)
{
	json_t *a = json_array();
	long long c, h, n;
	int used;
	while (map && sscanf(map, "%lld %lld %lld\n%n", &c, &h, &n, &used) == 3) {
		json_array_append_new(
			a, json_pack("{s:I,s:I,s:I}", "containerID", c, "hostID", h, "size", n));
		map += used;
	}
	return a;
}

static json_t *linux_json(const struct spec *s)
{
	json_t *lx = json_object(), *ns = json_array(), *devs = json_array();
	for (size_t i = 0; i < s->nns; i++) {
		json_t *e = json_pack("{s:s}", "type", ns_by_flag(s->ns[i].flag)->spec);
		set_str(e, "path", s->ns[i].path);
		json_array_append_new(ns, e);
	}
	json_object_set_new(lx, "namespaces", ns);
	if (s->uid_map)
		json_object_set_new(lx, "uidMappings", idmap_json(s->uid_map));
	if (s->gid_map)
		json_object_set_new(lx, "gidMappings", idmap_json(s->gid_map));
	for (size_t i = 0; i < s->ndevices; i++) {
		const struct spec_device *d = &s->devices[i];
		char t[2] = {d->type, 0};
		json_array_append_new(
			devs, json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I}", "path", d->path, "type", t,
					"major", (json_int_t)d->major, "minor",
					(json_int_t)d->minor, "fileMode", (json_int_t)d->mode,
					"uid", (json_int_t)d->uid, "gid", (json_int_t)d->gid));
	}
	json_object_set_new(lx, "devices", devs);
	set_str(lx, "cgroupsPath", s->cgroups_path);
	set_copy(lx, "resources", s->resources);
	set_copy(lx, "sysctl", s->sysctl);
	json_object_set_new(lx, "maskedPaths", paths_json(s->masked, s->nmasked));
	json_object_set_new(lx, "readonlyPaths", paths_json(s->readonly, s->nreadonly));
	if (prop_name(s->rootfs_propagation))
		set_str(lx, "rootfsPropagation", prop_name(s->rootfs_propagation));
	set_copy(lx, "seccomp", s->seccomp);
	set_copy(lx, "timeOffsets", s->time_offsets);
	if (s->personality >= 0)
		json_object_set_new(lx, "personality",
				    json_pack("{s:s}", "domain",
					      s->personality == 0x0008 ? "LINUX32" : "LINUX"));
	set_str(lx, "mountLabel", s->mount_label);
	return lx;
}

static json_t *spec_json(const struct spec *s)
{
	json_t *o = json_object(), *mounts = json_array(), *hooks = json_object();
	set_str(o, "ociVersion", s->oci_version);
	json_object_set_new(o, "root",
			    json_pack("{s:s,s:b}", "path", s->rootfs, "readonly", s->root_ro));
	json_object_set_new(o, "process", process_json(&s->proc));
	set_str(o, "hostname", s->hostname);
	set_str(o, "domainname", s->domainname);
	for (size_t i = 0; i < s->nmounts; i++)
		json_array_append_new(mounts, mount_json(&s->mounts[i]));
	json_object_set_new(o, "mounts", mounts);
	json_object_set_new(o, "linux", linux_json(s));
	for (int k = 0; k < HOOK_NKINDS; k++) {
		if (!s->hooks[k].n)
			continue;
		json_t *a = json_array();
		for (size_t i = 0; i < s->hooks[k].n; i++) {
			const struct spec_hook *h = &s->hooks[k].list[i];
			json_t *e = json_pack("{s:s}", "path", h->path);
			if (h->args)
				json_object_set_new(e, "args", strv_json(h->args));
			if (h->env)
				json_object_set_new(e, "env", strv_json(h->env));
			if (h->timeout)
				json_object_set_new(e, "timeout", json_integer(h->timeout));
			json_array_append_new(a, e);
		}
		json_object_set_new(hooks, spec_hook_names[k], a);
	}
	json_object_set_new(o, "hooks", hooks);
	set_copy(o, "annotations", s->annotations);
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mr_err err = {0};
	char *text = fuzz_str(data, size);
	struct spec *s = spec_parse_text(text, "config.json", "/bundle", &err);
	free(text);
	if (!s) {
		/* refused: with one message that names the file */
		if (strncmp(err.msg, "config.json", 11) != 0)
			fuzz_oracle("a refusal that does not name config.json: '%s'", err.msg);
		fuzz_refused(err.msg);
		return 0;
	}
	json_t *j = spec_json(s);
	char *again = json_dumps(j, JSON_INDENT(2));
	json_decref(j);
	struct mr_err err2 = {0};
	struct spec *s2 = spec_parse_text(again, "config.json", "/bundle", &err2);
	if (!s2)
		fuzz_oracle("the config written back from the parsed one is refused: %s\n%s",
			    err2.msg, again);
	char *d1 = dump(s), *d2 = dump(s2);
	if (strcmp(d1, d2) != 0)
		fuzz_oracle("the config written back parses differently:\n--- parsed\n%s--- "
			    "written back and parsed again\n%s",
			    d1, d2);
	free(d1);
	free(d2);
	free(again);
	spec_free(s2);
	spec_free(s);
	return 0;
}

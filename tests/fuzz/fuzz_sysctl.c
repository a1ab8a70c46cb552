/*
 * tests/fuzz/fuzz_sysctl.c - fuzz `--sysctl NAME=VALUE` (minirun/containers/opts_ns.c): which
 * kernel settings a container may set, the checks against --network/--ipc/--uts host, and
 * the record's HostConfig.Sysctls (minirun/containers/record.c), whence linux.sysctl.
 *
 * The input: one byte whose bits give --network host (1), --ipc host (2), --uts host (4),
 * then lines, each one --sysctl value, given to the flag's setter in turn.
 *
 * Oracles, against a second reading written here from docker's documented list (its CLI's
 * opts.ValidateSysctl: kernel.msgmax, msgmnb, msgmni, sem, shmall, shmmax, shmmni,
 * shm_rmid_forced, fs.mqueue.*, net.*; and the uts namespace's kernel.domainname and
 * kernel.hostname, as runc allows):
 *  - a value is accepted exactly when it is NAME=VALUE in UTF-8 (the record is JSON) with
 *    NAME on that list, without '/' or ".." (either could climb out of /proc/sys); a
 *    refusal names the value;
 *  - the record's Sysctls map (container_record_host, laid out as create writes it) is
 *    exactly the accepted NAME -> VALUE, the last one of a name winning;
 *  - the check across flags refuses exactly when a setting of the network, ipc or uts
 *    namespace meets that namespace shared with the host, or names kernel.hostname.
 *
 * Seeds: tests/fuzz/seeds/sysctl/. See: minirun/containers/opts.h; tests/fuzz/README.md.
 */
#include "minirun/containers/containers.h"
#include "minirun/containers/opts.h"
#include "tests/fuzz/fuzz.h"

/* the namespace owning NAME (KLEN bytes), from docker's list; NULL: not allowed */
static const char *owner(const char *name, size_t klen)
{
	static const char *const ipc[] = {"kernel.msgmax", "kernel.msgmnb",         "kernel.msgmni",
					  "kernel.sem",    "kernel.shmall",         "kernel.shmmax",
					  "kernel.shmmni", "kernel.shm_rmid_forced"};
	for (size_t i = 0; i < sizeof(ipc) / sizeof(ipc[0]); i++)
		if (klen == strlen(ipc[i]) && !strncmp(name, ipc[i], klen))
			return "ipc";
	if (klen > 10 && !strncmp(name, "fs.mqueue.", 10))
		return "ipc";
	if (klen > 4 && !strncmp(name, "net.", 4))
		return "net";
	if ((klen == 17 && !strncmp(name, "kernel.domainname", 17)) ||
	    (klen == 15 && !strncmp(name, "kernel.hostname", 15)))
		return "uts";
	return NULL;
}

static bool dotdot(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == '.' && s[i + 1] == '.')
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *text = fuzz_str(data + 1, size - 1), *line = text, *next;
	struct container_opts o;
	struct mr_err err = {0};
	json_t *want = json_object();
	bool conflict = false;
	memset(&o, 0, sizeof(o));
	o.network = data[0] & 1 ? "host" : NULL;
	o.ipc_mode = data[0] & 2 ? "host" : NULL;
	o.uts_mode = data[0] & 4 ? "host" : NULL;
	for (; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		const char *eq = strchr(line, '=');
		size_t klen = eq ? (size_t)(eq - line) : 0;
		const char *ns = eq ? owner(line, klen) : NULL;
		json_t *utf8 = json_string(line); /* what the record can hold */
		bool ok = utf8 && ns && !memchr(line, '/', klen) && !dotdot(line, klen);
		json_decref(utf8);
		err.msg[0] = '\0';
		int r = opts_set_sysctl(&o, line, NULL, &err);
		if ((r == 0) != ok)
			fuzz_oracle("--sysctl '%s' %s", line, ok ? "refused" : "accepted");
		if (r < 0) {
			if (!strstr(err.msg, line))
				fuzz_oracle("the refusal of '%s' does not name it: %s", line,
					    err.msg);
			continue;
		}
		char key[4096];
		snprintf(key, sizeof(key), "%.*s", (int)klen, line);
		json_object_set_new(want, key, json_string(eq + 1));
		conflict |= (!strcmp(ns, "net") && o.network) ||
			    (!strcmp(ns, "ipc") && o.ipc_mode) ||
			    (!strcmp(ns, "uts") && o.uts_mode) ||
			    (klen == 15 && !strncmp(line, "kernel.hostname", 15));
	}
	/* the record's HostConfig, as create lays it out */
	struct container_record rec = {0};
	json_t *tree =
		container_record_host(&rec, &o, &err) == 0 ? container_record_json_new(&rec) : NULL;
	container_record_free(&rec);
	if (!tree)
		fuzz_oracle("the record of accepted --sysctl values failed: %s", err.msg);
	json_t *got = json_object_get(json_object_get(tree, "HostConfig"), "Sysctls");
	if (json_object_size(want) ? !json_equal(got, want) : got != NULL) {
		char *g = json_dumps(got, JSON_ENCODE_ANY), *w = json_dumps(want, 0);
		fuzz_oracle("the record's Sysctls %s, not %s", g ? g : "(none)", w ? w : "?");
	}
	err.msg[0] = '\0';
	int r = opts_ns_check(&o, &err);
	if ((r < 0) != conflict)
		fuzz_oracle("the check %s (%s)", r < 0 ? "refuses" : "accepts", err.msg);
	json_decref(tree);
	json_decref(want);
	opts_strv_free(o.sysctls);
	free(text);
	return 0;
}

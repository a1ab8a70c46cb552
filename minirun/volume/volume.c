/*
 * minirun/volume/volume.c - the volume store: create, list, inspect, remove, prune, and
 * the users file that says which containers a volume is in use by.
 *
 * Ordering: create writes _data first and volume.json last, so a directory without a
 * record is a half-made volume that the next create of that name finishes; rm removes the
 * record first, so a half-removed volume is already gone from ls and rm just finishes the
 * directory. Every change holds ROOT/volumes/.lock.
 *
 * See: volume.h, https://docs.docker.com/reference/cli/docker/volume/.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/prune_filter.h"
#include "lib/jsonfile.h"
#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/events/events.h"
#include "minirun/volume/volume.h"

const char *volume_root_opt;

const char *volume_root(void)
{
	const char *env = getenv("MINIRUN_ROOT");
	if (volume_root_opt && *volume_root_opt)
		return volume_root_opt;
	return env && *env ? env : "/var/lib/minirun";
}

int volume_check_name(const char *name, struct mr_err *err)
{
	size_t len = strlen(name);
	int ok = len >= 2 && len <= VOLUME_NAME_MAX &&
		 strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", name[0]);
	for (size_t i = 1; ok && i < len; i++)
		ok = (name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		     (name[i] >= '0' && name[i] <= '9') || strchr("_.-", name[i]);
	if (ok)
		return 0;
	return mr_fail(err, 0,
		       "create %s: \"%s\" includes invalid characters for a local volume name, "
		       "only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a "
		       "host directory, use absolute path",
		       name, name);
}

int volume_lock(const char *root, struct mr_err *err)
{
	char dir[PATH_MAX], path[PATH_MAX + 8];
	snprintf(dir, sizeof(dir), "%s/volumes", root);
	if (mr_mkdir_p(dir, 0700, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/.lock", dir);
	return mr_lock_file(path, err);
}

static char *vpath(const char *root, const char *name, const char *file, char *buf, size_t size)
{
	snprintf(buf, size, "%s/volumes/%s%s%s", root, name, file ? "/" : "", file ? file : "");
	return buf;
}

json_t *volume_inspect(const char *root, const char *name, struct mr_err *err)
{
	char path[PATH_MAX];
	json_error_t je;
	if (volume_check_name(name, NULL) < 0) { /* never look outside the store */
		mr_failk(err, MR_E_NOT_FOUND, 0, "No such volume: %s", name);
		return NULL;
	}
	vpath(root, name, "volume.json", path, sizeof(path));
	json_t *rec = mr_json_load_file(path, 0, &je);
	if (!rec)
		mr_failk(err, errno == ENOENT ? MR_E_NOT_FOUND : MR_E_SYSTEM, 0,
			 errno == ENOENT ? "No such volume: %s" : "%s: %s: %s", name, path,
			 je.text);
	return rec;
}

json_t *volume_list(const char *root, struct mr_err *err)
{
	char dir[PATH_MAX];
	struct dirent **names;
	snprintf(dir, sizeof(dir), "%s/volumes", root);
	json_t *all = json_array();
	int n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		if (errno == ENOENT)
			return all;
		json_decref(all);
		mr_fail(err, errno, "read '%s'", dir);
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		json_t *rec = names[i]->d_name[0] == '.'
				      ? NULL
				      : volume_inspect(root, names[i]->d_name, NULL);
		if (rec)
			json_array_append_new(all, rec);
		free(names[i]);
	}
	free(names);
	return all;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw);

/* sweep_new - remove the .new.NAME.PID directories of creates whose process is gone (a kill
 * between mkdir and rename); with the lock held, so no live create is half-way through one */
static void sweep_new(const char *root)
{
	char dir[PATH_MAX], path[PATH_MAX + 300];
	snprintf(dir, sizeof(dir), "%s/volumes", root);
	_cleanup_closedir_ DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));) {
		const char *dot = strrchr(e->d_name, '.');
		if (strncmp(e->d_name, ".new.", 5) != 0 || !dot || dot == e->d_name + 4)
			continue;
		int pid = atoi(dot + 1);
		if (pid > 0 && (kill(pid, 0) == 0 || errno != ESRCH))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
		mr_say("removed %s (a create that was killed half-way)", path);
	}
}

/*
 * options_of - the local driver's --opt K=V list as the record's Options object (keys
 * sorted, as docker's Go map prints them), or NULL with docker's words: only type, device
 * and o are known ("invalid option key: \"x\"", its validOpts less the XFS quota's size),
 * and each of type and device needs the other, o needs both ("missing required option").
 */
static json_t *options_of(const char *const *opts, size_t n, struct mr_err *err)
{
	static const char *const known[] = {"device", "o", "type"}; /* sorted */
	json_t *obj = json_object();
	for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
		for (size_t i = 0; i < n; i++) {
			size_t klen = strcspn(opts[i], "=");
			if (strlen(known[k]) == klen && !strncmp(known[k], opts[i], klen))
				json_object_set_new(obj, known[k],
						    json_string(opts[i] + klen + !!opts[i][klen]));
		}
	for (size_t i = 0; i < n; i++) {
		size_t klen = strcspn(opts[i], "=");
		char key[64];
		snprintf(key, sizeof(key), "%.*s", (int)klen, opts[i]);
		if (!json_object_get(obj, key)) {
			json_decref(obj);
			mr_failk(err, MR_E_INVALID, 0,
				 "invalid option key: \"%s\" (the local driver knows type, device "
				 "and o)",
				 key);
			return NULL;
		}
	}
	bool type = json_object_get(obj, "type"), device = json_object_get(obj, "device");
	const char *missing = (type || json_object_get(obj, "o")) && !device   ? "device"
			      : (device || json_object_get(obj, "o")) && !type ? "type"
									       : NULL;
	if (missing) {
		json_decref(obj);
		mr_failk(err, MR_E_INVALID, 0, "missing required option: \"%s\"", missing);
		return NULL;
	}
	return obj;
}

int volume_create(const char *root, const char *name, const char *const *labels, size_t nlabels,
		  int anonymous, const char *user, char name_out[VOLUME_NAME_MAX + 1],
		  struct mr_err *err)
{
	return volume_create_opts(root, name, labels, nlabels, NULL, 0, anonymous, user, name_out,
				  err);
}

int volume_create_opts(const char *root, const char *name, const char *const *labels,
		       size_t nlabels, const char *const *opts, size_t nopts, int anonymous,
		       const char *user, char name_out[VOLUME_NAME_MAX + 1], struct mr_err *err)
{
	char tmp[PATH_MAX], tpath[PATH_MAX + 32], *text = NULL;
	char path[PATH_MAX], created[40];
	if (name && volume_check_name(name, err) < 0)
		return -1;
	json_t *options = options_of(opts, nopts, err);
	if (!options)
		return -1;
	json_decref(options); /* checked now, made again below: nothing to free on the way */
	for (size_t i = 0; i < nlabels; i++)
		if (!strchr(labels[i], '=') || labels[i][0] == '=')
			return mr_fail(err, 0, "invalid label '%s': use KEY=VALUE", labels[i]);
	if (name)
		snprintf(name_out, VOLUME_NAME_MAX + 1, "%s", name);
	else {
		unsigned char b[32];
		if (getrandom(b, sizeof(b), 0) != sizeof(b))
			return mr_fail(err, errno, "getrandom");
		for (int i = 0; i < 32; i++)
			sprintf(name_out + 2 * i, "%02x", b[i]);
	}
	_cleanup_close_ int lock = volume_lock(root, err);
	if (lock < 0)
		return -1;
	if (access(vpath(root, name_out, "volume.json", path, sizeof(path)), F_OK) == 0) {
		/* docker: creating an existing volume just names it (and says create again) */
		events_emit(root, "volume", "create", name_out, "driver", "local");
		return 0;
	}
	/* The volume is made whole in a hidden directory (its _data, the users file naming
	 * USER, its record) and renamed into place: a kill half-way leaves no volume that nobody
	 * owns (an anonymous one made for a container its rm -v could not find) but a
	 * .new.NAME.PID directory that the next create sweeps. A directory without a record
	 * (left by a create of an older minirun) is not a volume: it goes. */
	sweep_new(root);
	if (access(vpath(root, name_out, NULL, path, sizeof(path)), F_OK) == 0)
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	snprintf(tmp, sizeof(tmp), "%s/volumes/.new.%s.%d", root, name_out, (int)getpid());
	snprintf(tpath, sizeof(tpath), "%s/_data", tmp);
	if (mr_mkdir_p(tpath, 0755, err) < 0)
		return -1;
	if (user) {
		char line[VOLUME_NAME_MAX + 80];
		int n = snprintf(line, sizeof(line), "%s\n", user);
		snprintf(tpath, sizeof(tpath), "%s/users", tmp);
		if (mr_write_file_atomic(tpath, line, (size_t)n, 0600, err) < 0)
			goto fail;
	}
	vpath(root, name_out, "_data", path, sizeof(path));
	mr_say("volume %s: %s", name_out, path);
	time_t now = time(NULL);
	struct tm tm;
	strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	json_t *lab = json_object();
	for (size_t i = 0; i < nlabels; i++) {
		const char *eq = strchr(labels[i], '=');
		char key[256];
		snprintf(key, sizeof(key), "%.*s", (int)(eq - labels[i]), labels[i]);
		json_object_set_new(lab, key, json_string(eq + 1));
	}
	if (anonymous)
		json_object_set_new(lab, VOLUME_ANON_LABEL, json_string(""));
	json_t *rec =
		json_pack("{s:s, s:s, s:o, s:s, s:s, s:o, s:s}", "CreatedAt", created, "Driver",
			  "local", "Labels", lab, "Mountpoint", path, "Name", name_out, "Options",
			  options_of(opts, nopts, NULL), "Scope", "local");
	text = json_dumps(rec, JSON_INDENT(4));
	json_decref(rec);
	if (!text) {
		mr_fail(err, ENOMEM, "encode volume record");
		goto fail;
	}
	snprintf(tpath, sizeof(tpath), "%s/volume.json", tmp);
	if (mr_write_file_atomic(tpath, text, strlen(text), 0600, err) < 0)
		goto fail;
	free(text);
	text = NULL;
	if (rename(tmp, vpath(root, name_out, NULL, path, sizeof(path))) < 0) {
		mr_fail(err, errno, "rename '%s' to '%s'", tmp, path);
		goto fail;
	}
	events_emit(root, "volume", "create", name_out, "driver", "local");
	return 0;
fail:
	free(text);
	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return -1;
}

json_t *volume_users(const char *root, const char *name, struct mr_err *err)
{
	char path[PATH_MAX];
	_cleanup_free_ char *text = NULL;
	json_t *users = json_array();
	if (mr_read_file(vpath(root, name, "users", path, sizeof(path)), &text, NULL, err) < 0) {
		if (errno == ENOENT)
			return users;
		json_decref(users);
		return NULL;
	}
	for (char *save = NULL, *l = strtok_r(text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save))
		json_array_append_new(users, json_string(l));
	return users;
}

/* Write the users file from USERS (removed when empty). */
static int write_users(const char *root, const char *name, json_t *users, struct mr_err *err)
{
	char path[PATH_MAX], *text = NULL;
	size_t len = 0, i;
	vpath(root, name, "users", path, sizeof(path));
	if (json_array_size(users) == 0)
		return unlink(path) < 0 && errno != ENOENT
			       ? mr_fail(err, errno, "remove '%s'", path)
			       : 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return mr_fail(err, errno, "users");
	for (i = 0; i < json_array_size(users); i++)
		fprintf(f, "%s\n", json_string_value(json_array_get(users, i)));
	fclose(f);
	int r = mr_write_file_atomic(path, text, len, 0600, err);
	free(text);
	return r;
}

/* Add (add != 0) or remove ID in NAME's users file, with the lock held. */
static int change_users(const char *root, const char *name, const char *id, int add,
			struct mr_err *err)
{
	json_t *users = volume_users(root, name, err), *u;
	size_t i;
	if (!users)
		return -1;
	json_array_foreach(users, i, u)
	{
		if (!strcmp(json_string_value(u), id))
			break;
	}
	int r = 0;
	if (add && i == json_array_size(users)) {
		json_array_append_new(users, json_string(id));
		r = write_users(root, name, users, err);
	} else if (!add && i < json_array_size(users)) {
		json_array_remove(users, i);
		r = write_users(root, name, users, err);
	}
	json_decref(users);
	return r;
}

int volume_use(const char *root, const char *name, const char *id, struct mr_err *err)
{
	_cleanup_close_ int lock = volume_lock(root, err);
	if (lock < 0)
		return -1;
	json_t *rec = volume_inspect(root, name, err);
	if (!rec)
		return -1;
	json_decref(rec);
	return change_users(root, name, id, 1, err);
}

int volume_release(const char *root, const char *name, const char *id, struct mr_err *err)
{
	_cleanup_close_ int lock = volume_lock(root, err);
	if (lock < 0)
		return -1;
	return volume_check_name(name, err) < 0 ? -1 : change_users(root, name, id, 0, err);
}

static unsigned long long du_bytes;
static int du_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)p, (void)flag, (void)ftw;
	if (S_ISREG(st->st_mode))
		du_bytes += (unsigned long long)st->st_size;
	return 0;
}
static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)ftw;
	return flag == FTW_DP ? rmdir(p) : unlink(p);
}

/* Remove NAME's record then its directory, with the lock held; *bytes += its size. */
static int remove_locked(const char *root, const char *name, unsigned long long *bytes,
			 struct mr_err *err)
{
	char path[PATH_MAX];
	du_bytes = 0;
	nftw(vpath(root, name, "_data", path, sizeof(path)), du_one, 16, FTW_PHYS);
	if (bytes)
		*bytes += du_bytes;
	if (unlink(vpath(root, name, "volume.json", path, sizeof(path))) < 0)
		return mr_fail(err, errno, "remove '%s'", path);
	/* FTW_PHYS: a symlink a container left in the volume is removed, never followed */
	if (nftw(vpath(root, name, NULL, path, sizeof(path)), rm_one, 16, FTW_DEPTH | FTW_PHYS) < 0)
		return mr_fail(err, errno, "remove '%s'", path);
	mr_say("removed volume %s", name);
	events_emit(root, "volume", "destroy", name, "driver", "local");
	return 0;
}

int volume_remove(const char *root, const char *name, int force, struct mr_err *err)
{
	_cleanup_close_ int lock = volume_lock(root, err);
	if (lock < 0)
		return -1;
	json_t *rec = volume_inspect(root, name, err);
	if (!rec)
		return -1;
	json_decref(rec);
	json_t *users = volume_users(root, name, err);
	if (!users)
		return -1;
	if (json_array_size(users) && !force) {
		char list[1024] = "";
		size_t i, off = 0;
		json_t *u;
		json_array_foreach(users, i, u)
		{
			if (off < sizeof(list))
				off += snprintf(list + off, sizeof(list) - off, "%s%s",
						i ? ", " : "", json_string_value(u));
		}
		json_decref(users);
		return mr_fail(err, 0, "remove %s: volume is in use - [%s]", name, list);
	}
	json_decref(users);
	return remove_locked(root, name, NULL, err);
}

int volume_prune(const char *root, int all, const struct mr_prune_filter *f, json_t **removed,
		 unsigned long long *bytes, struct mr_err *err)
{
	_cleanup_close_ int lock = volume_lock(root, err);
	if (lock < 0)
		return -1;
	json_t *vols = volume_list(root, err), *rec;
	size_t i;
	if (!vols)
		return -1;
	*removed = json_array();
	*bytes = 0;
	json_array_foreach(vols, i, rec)
	{
		const char *name = json_string_value(json_object_get(rec, "Name"));
		json_t *users = volume_users(root, name, NULL);
		int busy = !users || json_array_size(users) > 0;
		json_decref(users);
		json_t *labels = json_object_get(rec, "Labels");
		const char *created = json_string_value(json_object_get(rec, "CreatedAt"));
		if (busy || (!all && !json_object_get(labels, VOLUME_ANON_LABEL)) ||
		    (f &&
		     !mr_prune_filter_match(f, created ? mr_prune_rfc3339(created) : -1, labels)))
			continue;
		if (remove_locked(root, name, bytes, err) < 0) {
			json_decref(vols);
			return -1;
		}
		json_array_append_new(*removed, json_string(name));
	}
	json_decref(vols);
	return 0;
}

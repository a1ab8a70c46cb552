/*
 * minirun/containers/store.c - the container store: IDs, names, records, locks.
 *
 * A container is the directory ROOT/containers/ID. Its name is a separate claim,
 * ROOT/containers/.names/NAME, a file holding the ID, linked into place whole (link(2) fails
 * on an existing name; the file is the container's lock, which holds its ID): two `run
 * --name web` racing each other can't both create it, so exactly one wins (the other gets
 * docker's "Conflict" message). The directory is made before the claim and the claim
 * removed before the directory, so a claim whose directory is missing is stale (a `kill -9`
 * between the two) and is taken over.
 *
 * The record, container.json, is replaced atomically (a temp file renamed over it) by a
 * process holding the container's flock (ROOT/containers/ID/lock). Readers never lock: a
 * rename is all or nothing.
 *
 * An --rm container's directory is in the run root instead, RUN/records/ID, and
 * ROOT/containers/ID is a symbolic link to it (c->in_run). Why: such a container lives one
 * start, and every file made on the store's disk costs a new inode there and its removal as
 * much again (bench/README.md: ~0.2 ms each on a journal-less ext4; a run made six); on the
 * run root's tmpfs they cost next to nothing. The link is not made new either: it comes
 * from a pool and goes back to it, leading to the directory through a slot on the run
 * root (rmlink.c). Every path through ROOT/containers/ID works as before, through the
 * link. The target is made before the link and removed after it (trash.c), so a link that
 * dangles is one whose run root was lost (a reboot): docker's daemon removes --rm
 * containers when it starts again, and the next listing here sweeps such a link and its
 * name (container_ids). Its name claim can't link the lock across two file systems: it is
 * a second link to the store's link (no new inode either), read back through it
 * (rmlink_id). The log stays on the store's disk (logwrite.c): it may grow without bound,
 * a tmpfs is memory.
 *
 * See: README.md here (the layout); open(2) O_EXCL; flock(2); getrandom(2).
 */
#include "minirun/containers/containers.h"
#include "lib/jsonfile.h"
#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/containers/lifecycle.h"
#include "minirun/containers/logdriver.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

/* docker's generated names are "adjective_surname" (moby's namesgenerator); these are our
 * own short lists, of computing people, for the same shape */
static const char *const adjectives[] = {
	"admiring", "brave",    "clever",  "dazzling", "eager",  "festive", "gallant",
	"happy",    "jolly",    "keen",    "lucid",    "modest", "nifty",   "optimistic",
	"pensive",  "quirky",   "relaxed", "serene",   "tender", "upbeat",  "vibrant",
	"wizardly", "youthful", "zealous", "bold",     "calm",   "dreamy",  "elegant",
};
static const char *const surnames[] = {
	"hopper",   "lovelace",  "turing",  "ritchie",   "thompson", "torvalds", "knuth",
	"dijkstra", "hamilton",  "liskov",  "kernighan", "mccarthy", "backus",   "allen",
	"goldberg", "engelbart", "lamport", "wirth",     "perlman",  "cerf",     "shannon",
	"noether",  "babbage",   "johnson", "bartik",    "wilkes",   "hoare",    "pike",
};
#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

static char *containers_dir(const char *root, char *buf, size_t len)
{
	snprintf(buf, len, "%s/containers", root);
	return buf;
}

/* the files of one start, kept in the run directory (root.c) */
static bool run_file(const char *file)
{
	/* not hosts: minirun/network rewrites it where it has always been (connect.c) */
	static const char *const run[] = {"monitor.pid",   "monitor.err",    "bundle",
					  "merged",        "attach.sock",    "hostname",
					  "resolv.conf",   "net-helper.pid", "exit-code",
					  "exec-console-", "upper"};
	for (size_t i = 0; i < NELEMS(run); i++) {
		size_t n = strlen(run[i]);
		if (!strncmp(file, run[i], n) &&
		    (!file[n] || file[n] == '/' || run[i][n - 1] == '-'))
			return true;
	}
	return false;
}

bool container_upper_in_run(const struct container *c)
{
	char run[4096], want[4200];
	if (c->in_run)
		return true;
	snprintf(want, sizeof(want), "%s/upper/diff",
		 containers_run_dir(c->root, c->id, run, sizeof(run)));
	return c->r.upper_dir && !strcmp(c->r.upper_dir, want);
}

/* diff/ or work/ (or a path below them) */
static bool upper_file(const char *file)
{
	size_t n = strcspn(file, "/");
	return (n == 4 && (!strncmp(file, "diff", 4) || !strncmp(file, "work", 4)));
}

char *container_path(const struct container *c, const char *file, char *buf, size_t len)
{
	char run[4096];
	if (upper_file(file) && container_upper_in_run(c))
		snprintf(buf, len, "%s/upper/%s",
			 containers_run_dir(c->root, c->id, run, sizeof(run)), file);
	else if (run_file(file))
		snprintf(buf, len, "%s/%s", containers_run_dir(c->root, c->id, run, sizeof(run)),
			 file);
	else
		snprintf(buf, len, "%s/%s", c->dir, file);
	return buf;
}

/* 32 random bytes as 64 hex digits, as docker's IDs */
static int new_id(char id[CONTAINER_ID_LEN + 1], struct mr_err *err)
{
	unsigned char b[CONTAINER_ID_LEN / 2];
	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return mr_fail(err, errno, "getrandom");
	for (size_t i = 0; i < sizeof(b); i++)
		sprintf(id + 2 * i, "%02x", b[i]);
	return 0;
}

bool container_is_id(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");
	return n == CONTAINER_ID_LEN && !s[n];
}

/* docker's rule for --name: [a-zA-Z0-9][a-zA-Z0-9_.-]+ */
static int check_name(const char *name, struct mr_err *err)
{
	bool ok = isalnum((unsigned char)name[0]) && name[1];
	for (const char *p = name; ok && *p; p++)
		ok = isalnum((unsigned char)*p) || strchr("_.-", *p);
	if (!ok)
		return mr_fail(err, 0,
			       "Invalid container name (%s), only [a-zA-Z0-9][a-zA-Z0-9_.-] are "
			       "allowed",
			       name);
	return 0;
}

/* docker's "No such container: REF", errnum ENOENT without strerror's text */
static int no_such(struct mr_err *err, const char *ref)
{
	mr_failk(err, MR_E_NOT_FOUND, 0, "No such container: %s", ref);
	if (err)
		err->errnum = ENOENT;
	return -1;
}

int container_claim_read(const char *root, const char *name, char id[CONTAINER_ID_LEN + 1])
{
	char path[4400], dir[4400];
	_cleanup_free_ char *text = NULL;
	struct stat claim, link;
	snprintf(path, sizeof(path), "%s/containers/.names/%s", root, name);
	/* an --rm container's claim is a second link to its directory's link (claim_name),
	 * which leads to the ID (rmlink.c). One that is no longer the same file as the link
	 * of the ID it leads to was left behind: stale (ESTALE), as is one whose run root was
	 * lost (rmlink_id) */
	if (lstat(path, &claim) == 0 && S_ISLNK(claim.st_mode)) {
		if (rmlink_id(path, id) < 0)
			return -1;
		snprintf(dir, sizeof(dir), "%s/containers/%s", root, id);
		if (lstat(dir, &link) < 0 || link.st_ino != claim.st_ino ||
		    link.st_dev != claim.st_dev) {
			errno = ESTALE;
			return -1;
		}
		return 0;
	}
	if (mr_read_file(path, &text, NULL, NULL) < 0)
		return -1;
	snprintf(id, CONTAINER_ID_LEN + 1, "%.64s", text);
	return 0;
}

/* claim NAME for ID; 1 if taken by a live container (its ID in other), 0 done, -1 error.
 * IN_RUN: ID's directory is a link (make_dir), and the claim a second link to it. */
static int claim_name(const char *root, const char *name, const char *id, bool in_run,
		      char other[CONTAINER_ID_LEN + 1], struct mr_err *err)
{
	char path[4400], dir[4400], whole[4400];
	snprintf(path, sizeof(path), "%s/containers/.names/%s", root, name);
	/* Why the claim is a link to a file already written, not an O_EXCL create then a
	 * write: in between, the claim was empty. A kill there left an empty claim no rm
	 * could find (it names no ID), and a racing claimer took an empty claim for a stale
	 * one, unlinked it and won as well. link(2) makes the claim appear whole; the file
	 * it links from is in the container's own directory, which rm removes. */
	/* The file linked is the container's lock, which container_new wrote the ID into: no
	 * file of its own for the claim (each new file is an inode on the store's disk). An
	 * --rm container's lock is on the run root's file system, most often another one: its
	 * claim links the store's link to its directory instead (linkat without
	 * AT_SYMLINK_FOLLOW), a name for the same file, which leads to the ID (rmlink.c). */
	snprintf(whole, sizeof(whole), "%s/containers/%s/lock", root, id);
	snprintf(dir, sizeof(dir), "%s/containers/%s", root, id);
	const char *from = in_run ? dir : whole;
	char held[CONTAINER_ID_LEN + 1] = "";
	int fd = in_run ? -1 : open(whole, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t n = fd < 0 ? -1 : read(fd, held, CONTAINER_ID_LEN);
	if (fd >= 0)
		close(fd);
	if (!in_run && (n != CONTAINER_ID_LEN || strcmp(held, id) != 0))
		return mr_fail(err, errno ? errno : EIO, "read the ID back from '%s'", whole);
	for (int attempt = 0; attempt < 2; attempt++) {
		if (linkat(AT_FDCWD, from, AT_FDCWD, path, 0) == 0)
			return 0;
		if (errno != EEXIST)
			return mr_fail(err, errno, "create '%s'", path);
		if (container_claim_read(root, name, other) < 0) {
			if (errno == ESTALE) /* its container's run root is lost */
				unlink(path);
			continue; /* or removed meanwhile: try again */
		}
		snprintf(dir, sizeof(dir), "%s/containers/%s", root, other);
		if (strlen(other) == CONTAINER_ID_LEN && access(dir, F_OK) == 0)
			return 1;
		/* stale: its container directory is gone (a kill -9 between the two steps) */
		unlink(path);
	}
	return mr_fail(err, EBUSY, "claim name '%s': it keeps changing", name);
}

/* make C's directory: ROOT/containers/ID, or for IN_RUN RUN/records/ID and the link to it
 * (the target first: see the top of this file) */
static int make_dir(struct container *c, bool in_run, struct mr_err *err)
{
	char rec[4096];
	if (!in_run) {
		if (mkdir(c->dir, 0700) < 0)
			return mr_fail(err, errno, "mkdir '%s'", c->dir);
		return 0;
	}
	containers_record_dir(c->root, c->id, rec, sizeof(rec));
	int made = mkdir(rec, 0700);
	if (made < 0 && errno == ENOENT) { /* RUN/records: only the first one makes it */
		char *slash = strrchr(rec, '/');
		*slash = '\0';
		int parent = mr_mkdir_p(rec, 0700, err);
		*slash = '/';
		if (parent < 0)
			return -1;
		made = mkdir(rec, 0700);
	}
	if (made < 0)
		return mr_fail(err, errno, "mkdir '%s'", rec);
	if (rmlink_make(c->root, rec, c->dir, err) < 0) {
		rmdir(rec);
		return -1;
	}
	c->in_run = true;
	return 0;
}

/* undo make_dir (after its files are gone) */
static void drop_dir(struct container *c)
{
	char rec[4096];
	if (!c->in_run) {
		rmdir(c->dir);
		return;
	}
	rmlink_drop(c->root, c->id, c->dir);
	rmdir(containers_record_dir(c->root, c->id, rec, sizeof(rec)));
}

int container_new(const char *root, const char *name, bool in_run, struct container *c,
		  struct mr_err *err)
{
	char path[4400], other[CONTAINER_ID_LEN + 1] = "", gen[128];
	memset(c, 0, sizeof(*c));
	c->root = root;
	c->lockfd = -1;
	if (name && *name == '/')
		name++;
	if (name && check_name(name, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/containers/.names", root);
	if (mr_mkdir_p(path, 0700, err) < 0 || new_id(c->id, err) < 0)
		return -1;
	snprintf(c->dir, sizeof(c->dir), "%s/containers/%s", root, c->id);
	/* the directory first, the claim second: see the top of this file */
	if (make_dir(c, in_run, err) < 0)
		return -1;
	c->swept = true; /* made just now: no writer can have left a temp file in it */
	container_step("dir");
	if ((c->lockfd = mr_lock_file(container_path(c, "lock", path, sizeof(path)), err)) < 0)
		goto fail;
	/* the ID in the lock: the name claim is a link to it (claim_name) */
	if (pwrite(c->lockfd, c->id, CONTAINER_ID_LEN, 0) != CONTAINER_ID_LEN) {
		mr_fail(err, errno ? errno : EIO, "write '%s'", path);
		goto fail;
	}
	container_step("name");
	int r = 1;
	if (name)
		r = claim_name(root, name, c->id, in_run, other, err);
	for (int i = 0; !name && r == 1 && i < 64; i++) {
		unsigned char b[2];
		if (getrandom(b, 2, 0) != 2)
			b[0] = (unsigned char)i, b[1] = (unsigned char)(i * 7);
		snprintf(gen, sizeof(gen), "%s_%s", adjectives[b[0] % NELEMS(adjectives)],
			 surnames[b[1] % NELEMS(surnames)]);
		if (i >= 32) /* the lists are short: add digits, as docker does on a clash */
			snprintf(gen + strlen(gen), sizeof(gen) - strlen(gen), "%d", b[0] % 10);
		r = claim_name(root, gen, c->id, in_run, other, err);
	}
	if (r == 1 && name)
		mr_failk(
			err, MR_E_CONFLICT, 0,
			"Conflict. The container name \"/%s\" is already in use by container "
			"\"%s\". You have to remove (or rename) that container to be able to reuse "
			"that name.",
			name, other);
	else if (r == 1)
		mr_fail(err, 0, "no free generated name: give one with --name");
	if (r != 0)
		goto fail;
	if (!name)
		snprintf(c->generated, sizeof(c->generated), "%s", gen);
	return 0;
fail:
	if (c->lockfd >= 0)
		close(c->lockfd);
	c->lockfd = -1;
	unlink(container_path(c, "lock", path, sizeof(path)));
	drop_dir(c);
	return -1;
}

char *container_claimed_by(const char *root, const char *id)
{
	char path[4400], held[CONTAINER_ID_LEN + 1];
	snprintf(path, sizeof(path), "%s/containers/.names", root);
	_cleanup_closedir_ DIR *d = opendir(path);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] != '.' && container_claim_read(root, de->d_name, held) == 0 &&
		    !strcmp(held, id)) {
			snprintf(path, sizeof(path), "/%s", de->d_name);
			return strdup(path);
		}
	}
	return strdup("");
}

int container_reload(struct container *c, struct mr_err *err)
{
	char path[4400], why[5200];
	json_error_t je;
	json_t *rec =
		mr_json_load_file(container_path(c, "container.json", path, sizeof(path)), 0, &je);
	if (!rec) {
		if (access(c->dir, F_OK) < 0)
			return no_such(err, c->id);
		/* a half-made container (killed before its record), or a record that can't be
		 * read (a full disk, a hand edit): `ps -a` must still show it and `rm -f` still
		 * find it, so it opens as a record holding its Id and the name it claimed (no
		 * State: its status reads "dead"), with Minirun.Broken saying why when broken */
		struct container_record r = {.state.status = CONTAINER_DEAD,
					     .config.stop_timeout = -1};
		r.id = strdup(c->id);
		r.name = container_claimed_by(c->root, c->id);
		if (access(path, F_OK) == 0) {
			snprintf(why, sizeof(why), "%s:%d:%d: %s", path, je.line, je.column,
				 je.text);
			r.mr.broken = strdup(why);
		}
		rec = json_object();
		if (rec && r.id && r.name)
			container_record_to_json(&r, rec);
		container_record_free(&r);
		if (!rec)
			return mr_fail(err, ENOMEM, "read '%s'", path);
	}
	if (container_record_from_json(rec, &c->r, err) < 0) {
		json_decref(rec);
		return -1;
	}
	json_decref(c->rec);
	c->rec = rec;
	return 0;
}

/* find REF's ID: a name (claim), a full ID, or a unique prefix of one */
static int lookup(const char *root, const char *ref, char id[CONTAINER_ID_LEN + 1],
		  struct mr_err *err)
{
	char path[4400];
	if (*ref == '/')
		ref++;
	if (container_is_id(ref)) {
		snprintf(path, sizeof(path), "%s/containers/%s", root, ref);
		if (access(path, F_OK) == 0) {
			strcpy(id, ref);
			return 0;
		}
	}
	if (*ref && !strchr(ref, '/') && ref[0] != '.' &&
	    container_claim_read(root, ref, id) == 0) {
		snprintf(path, sizeof(path), "%s/containers/%s", root, id);
		if (access(path, F_OK) == 0)
			return 0;
	}
	size_t n = strlen(ref), found = 0;
	if (n && strspn(ref, "0123456789abcdef") == n) {
		_cleanup_closedir_ DIR *d = opendir(containers_dir(root, path, sizeof(path)));
		struct dirent *de;
		while (d && (de = readdir(d)))
			if (container_is_id(de->d_name) && strncmp(de->d_name, ref, n) == 0) {
				if (found++)
					return mr_fail(
						err, 0,
						"multiple IDs found with provided prefix: %s", ref);
				strcpy(id, de->d_name);
			}
	}
	if (!found)
		return no_such(err, ref);
	return 0;
}

int container_open(const char *root, const char *ref, bool lock, struct container *c,
		   struct mr_err *err)
{
	char path[4400];
	memset(c, 0, sizeof(*c));
	c->root = root;
	c->lockfd = -1;
	if (lookup(root, ref, c->id, err) < 0)
		return -1;
	snprintf(c->dir, sizeof(c->dir), "%s/containers/%s", root, c->id);
	struct stat st;
	c->in_run = lstat(c->dir, &st) == 0 && S_ISLNK(st.st_mode);
	if (lock) {
		/* the lock file is inside the directory: when `rm` has removed it meanwhile,
		 * the open fails and the container is simply gone */
		int fd = open(container_path(c, "lock", path, sizeof(path)), O_RDWR | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT && access(c->dir, F_OK) < 0)
			return no_such(err, ref);
		if (fd >= 0)
			close(fd);
		if ((c->lockfd = mr_lock_file(path, err)) < 0)
			return -1;
		if (access(c->dir, F_OK) < 0) {
			container_close(c);
			return no_such(err, ref);
		}
	}
	if (container_reload(c, err) < 0) {
		container_close(c);
		return -1;
	}
	return 0;
}

/*
 * container_sweep_temps - remove what writers killed before their rename left in the
 * container's directory (a monitor killed while it saved the record). Only with the lock
 * held, so that no live writer is half-way through one (lib/file.h's mr_sweep_temps).
 */
void container_sweep_temps(struct container *c)
{
	mr_sweep_temps(c->dir);
}

int container_save(struct container *c, struct mr_err *err)
{
	char path[4400];
	/* once a process, not at every save: run saves the record several times, and a temp
	 * file of a killed writer only needs to go before the next rename over it */
	if (c->lockfd >= 0 && !c->swept) {
		container_sweep_temps(c);
		c->swept = true;
	}
	container_record_to_json(&c->r, c->rec);
	_cleanup_free_ char *text = json_dumps(c->rec, JSON_COMPACT);
	if (!text)
		return mr_fail(err, ENOMEM, "encode the record of %.12s", c->id);
	/* mr_replace_file: a temp file renamed over the record, no fsync (the record is
	 * rewritten at every state change; an fsync each time would cost more than the
	 * container's whole setup) */
	return mr_replace_file(container_path(c, "container.json", path, sizeof(path)), text, 0600,
			       err);
}

void container_close(struct container *c)
{
	json_decref(c->rec);
	c->rec = NULL;
	container_record_free(&c->r);
	if (c->lockfd >= 0)
		close(c->lockfd);
	c->lockfd = -1;
}

struct entry {
	char *id;
	char created[64];
};

static int by_created_desc(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int r = strcmp(y->created, x->created);
	return r ? r : strcmp(x->id, y->id);
}

static void entries_free(struct entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].id);
	free(v);
}

/*
 * swept_lost - true (and the link and its name gone) when ROOT/containers/ID is an --rm
 * container's link whose target is gone: its run root was lost (a reboot), and the
 * container with it, as docker's daemon removes --rm containers when it starts again. Only
 * a dangling link: a target is made before its link and removed after it (trash.c).
 */
static bool swept_lost(const char *root, const char *id)
{
	char path[4400];
	struct stat st;
	snprintf(path, sizeof(path), "%s/containers/%s", root, id);
	if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode) || stat(path, &st) == 0 || errno != ENOENT)
		return false;
	mr_say("remove %.12s: an --rm container whose run root was lost (%s dangles)", id, path);
	container_release_name(root, id);
	container_log_drop(root, id);
	unlink(path);
	return true;
}

char **container_ids(const char *root, struct mr_err *err)
{
	char path[4400];
	size_t n = 0, cap = 16;
	struct entry *v = malloc(cap * sizeof(*v));
	if (!v) {
		mr_fail(err, ENOMEM, "list containers");
		return NULL;
	}
	_cleanup_closedir_ DIR *d = opendir(containers_dir(root, path, sizeof(path)));
	if (!d && errno != ENOENT) {
		free(v);
		mr_fail(err, errno, "open '%s'", path);
		return NULL;
	}
	struct dirent *de;
	while (d && (de = readdir(d))) {
		/* only a link can be an --rm container's (store.c's top): a directory is not */
		bool maybe_link = de->d_type == DT_LNK || de->d_type == DT_UNKNOWN;
		if (!container_is_id(de->d_name) || (maybe_link && swept_lost(root, de->d_name)))
			continue;
		if (n == cap) {
			struct entry *nv = realloc(v, (cap *= 2) * sizeof(*v));
			if (!nv)
				goto nomem;
			v = nv;
		}
		if (!(v[n].id = strdup(de->d_name)))
			goto nomem;
		snprintf(path, sizeof(path), "%s/containers/%s/container.json", root, de->d_name);
		json_t *rec = mr_json_load_file(path, 0, NULL);
		struct container_record r = {0};
		if (rec)
			container_record_from_json(rec, &r, NULL);
		snprintf(v[n].created, sizeof(v[n].created), "%s", r.created ? r.created : "");
		container_record_free(&r);
		json_decref(rec);
		n++;
	}
	char **ids = calloc(n + 1, sizeof(*ids));
	if (!ids)
		goto nomem;
	qsort(v, n, sizeof(*v), by_created_desc);
	for (size_t i = 0; i < n; i++)
		ids[i] = v[i].id;
	free(v);
	return ids;
nomem:
	entries_free(v, n);
	mr_fail(err, ENOMEM, "list containers");
	return NULL;
}

void container_ids_free(char **ids)
{
	for (char **p = ids; p && *p; p++)
		free(*p);
	free(ids);
}

/* container_release_name - give up every name claim that holds ID (the record may not
 * name it yet: a kill -9 between the claim and the record). Claims of others are kept. */
int container_release_name(const char *root, const char *id)
{
	char path[4400], held[CONTAINER_ID_LEN + 1];
	snprintf(path, sizeof(path), "%s/containers/.names", root);
	_cleanup_closedir_ DIR *d = opendir(path);
	struct dirent *de;
	int rc = 0;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		/* a stale claim (ESTALE: its run root lost, or left behind) goes too */
		if (container_claim_read(root, de->d_name, held) < 0 ? errno != ESTALE
								     : strcmp(held, id) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/containers/.names/%s", root, de->d_name);
		if (unlink(path) < 0 && errno != ENOENT)
			rc = -1;
	}
	return rc;
}

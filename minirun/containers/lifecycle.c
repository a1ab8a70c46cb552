/*
 * minirun/containers/lifecycle.c - create, start, stop, rm, wait: a container's states.
 *
 *	created --start--> running --(exit, stop, kill)--> exited --start--> running ...
 *	            running <--pause/unpause--> paused      exited --rm--> (gone)
 *	            running --(exit with a restart policy)--> restarting --> running
 *
 * The record says which state the container was last put in; container_status checks it
 * against the processes. A record that says "running" whose monitor was killed reads as its
 * init does (README.md, "A killed monitor: the orphan"): running while the init runs, and
 * then stop, kill and rm act on the init and do the monitor's teardown themselves; exited
 * once it has ended, and `rm` or `start` know to clean up after it. Every undo here is safe
 * to repeat and safe on a half-made container: that is what lets `rm -f` clean up after a
 * `kill -9` at any step (README.md, "How rm -f undoes run").
 *
 * See: README.md here; minirun/oci/runtime.h (ctr_*); inotify(7); pidfd_open(2).
 */
#include "lib/jsonfile.h"
#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/oci/runtime.h"
#include "minirun/containers/lifecycle.h"
#include "minirun/containers/logdriver.h"
#include "minirun/image/image.h"
#include "minirun/rootless/rootless.h"
#include "lib/sig.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---- the container's paths and state ---------------------------------------------------- */

char *container_oci_root(const char *root, char *buf, size_t len)
{
	char run[4096];
	snprintf(buf, len, "%s/oci", containers_run_root(root, run, sizeof(run)));
	return buf;
}

/* the record says a monitor (or an orphan init) is alive */
static bool rec_live(struct container *c)
{
	return container_state_live(c->r.state.status);
}

/*
 * orphan_pid - the container's init when it runs without a monitor (the monitor was killed,
 * the init was not), else 0; *paused says whether its cgroup is frozen. Asked of the OCI
 * runtime's state (RUN/oci/ID/state.json), which names the init by pid AND start time, so
 * a pid reused since by another process is never taken for the container's.
 */
static pid_t orphan_pid(struct container *c, bool *paused)
{
	char oci[4400];
	struct ctr_state st;
	pid_t pid = 0;
	if (state_load(container_oci_root(c->root, oci, sizeof(oci)), c->id, &st, NULL) < 0)
		return 0;
	/* not "created": that init waits for a start its dead monitor will never give, and
	 * runs nothing; the cleanup's OCI delete ends it (container_cleanup) */
	if (!strcmp(st.status, "running") || !strcmp(st.status, "paused"))
		pid = st.pid;
	if (paused)
		*paused = !strcmp(st.status, "paused");
	state_free(&st);
	return pid;
}

pid_t container_orphan(struct container *c)
{
	if (!rec_live(c) || monitor_alive(c))
		return 0;
	return orphan_pid(c, NULL);
}

bool container_exit_lost(struct container *c)
{
	char path[4400];
	if (!rec_live(c) || container_status(c) != CONTAINER_EXITED)
		return false;
	/* a monitor records the exit, then ends: c->r, read before it did, is stale. The
	 * record on disk decides: lost only when it still says live with its monitor gone */
	json_t *now =
		mr_json_load_file(container_path(c, "container.json", path, sizeof(path)), 0, NULL);
	struct container_record r = {0};
	bool lost = now && container_record_from_json(now, &r, NULL) == 0 &&
		    container_state_live(r.state.status);
	container_record_free(&r);
	json_decref(now);
	return lost;
}

/*
 * Why exit-code is asked: the monitor writes it (in place, into the block its blank holds:
 * monitor.c write_exit_code) before it saves the record. On a full disk the save fails and
 * the monitor ends with the record still saying "running": without this the exit read as
 * lost (255, "its monitor was killed") though the monitor had seen it. Each start blanks
 * the file, so a code there is this start's.
 */
int container_exit_noted(struct container *c, const char **error)
{
	char path[4400];
	_cleanup_free_ char *text = NULL;
	char *end = NULL;
	long code = -1;
	if (mr_read_file(container_path(c, "exit-code", path, sizeof(path)), &text, NULL, NULL) ==
		    0 &&
	    *text)
		code = strtol(text, &end, 10);
	bool noted = end && end != text && code >= 0 && code <= 255;
	*error = noted ? "" : CONTAINER_LOST_ERROR;
	return noted ? (int)code : CONTAINER_EXIT_LOST;
}

enum container_state container_status(struct container *c)
{
	/* no status (a half-made container, killed before its record, or a broken record)
	 * loaded as "dead" (record_json.c) */
	enum container_state s = c->r.state.status;
	if (!container_state_live(s) || monitor_alive(c))
		return s;
	/* its monitor was killed: the container's own process says whether it still runs
	 * (docker's shim outlives its daemon the same way); an orphan is never "restarting" */
	bool paused = false;
	if (orphan_pid(c, &paused))
		return paused ? CONTAINER_PAUSED : CONTAINER_RUNNING;
	return CONTAINER_EXITED;
}

pid_t container_pid(struct container *c)
{
	enum container_state s = container_status(c);
	if (s != CONTAINER_RUNNING && s != CONTAINER_PAUSED)
		return 0;
	if (!monitor_alive(c))
		return orphan_pid(c, NULL); /* the OCI state's: checked by start time */
	return c->r.state.pid;
}

struct bundle_rootfs container_rootfs(const struct container *c, char *runbuf, size_t runlen)
{
	return (struct bundle_rootfs){.store = c->root,
				      .dir = c->dir,
				      .run = containers_run_dir(c->root, c->id, runbuf, runlen),
				      .id = c->id,
				      .image = c->r.image,
				      .lowers = c->r.mr.lower_dirs,
				      .volatile_upper = c->r.host.auto_remove,
				      .upper_in_run = container_upper_in_run(c)};
}

/* ---- create ------------------------------------------------------------------------------- */

/* the name container_new claimed (given, or generated: c->generated), for the record */
static void claimed_name(struct container *c, const char *given, char *buf, size_t len)
{
	snprintf(buf, len, "%s", given ? given + (*given == '/') : c->generated);
}

/*
 * in_run_wanted - an --rm container lives in RUN: its directory (RUN/records/ID, linked
 * from the store: store.c) and its writable layer, on a tmpfs of its own
 * (bundle_upper_tmpfs says why). Decided here, once, and recorded (the link, and the paths
 * of GraphDriver.Data), so a later `update -m` or minirun.conf edit never moves it. Kept on
 * disk: with a memory limit (tmpfs pages would count against it: a container that writes
 * its files would be OOM-killed where docker's is not), --userns=auto (create chowns the
 * dirs into the container's range), rootless (its overlay may be fuse-overlayfs).
 */
static bool in_run_wanted(const struct container_opts *o)
{
	const char *mode = o->userns_mode, *dflt = NULL;
	if (!mode && minirun_conf_get("userns-remap", &dflt, NULL) == 0)
		mode = dflt;
	return o->rm && o->memory == 0 && !(mode && !strcmp(mode, "auto")) && !rootless_active();
}

/* the paths docker's inspect shows, filled once the directory exists; -1 on ENOMEM */
static int rec_paths(struct container *c, struct mr_err *err)
{
	char p[4400], run[4096];
	struct container_record *r = &c->r;
	bool in_run = c->in_run;
	containers_run_dir(c->root, c->id, run, sizeof(run));
	container_record_set_str(&r->log_path, log_inspect_path(c, p, sizeof(p)));
	container_record_set_str(&r->hosts_path, container_path(c, "hosts", p, sizeof(p)));
	container_record_set_str(&r->hostname_path, container_path(c, "hostname", p, sizeof(p)));
	container_record_set_str(&r->resolv_conf_path,
				 container_path(c, "resolv.conf", p, sizeof(p)));
	snprintf(p, sizeof(p), "%s/%s", in_run ? run : c->dir, in_run ? "upper/diff" : "diff");
	container_record_set_str(&r->upper_dir, p);
	snprintf(p, sizeof(p), "%s/%s", in_run ? run : c->dir, in_run ? "upper/work" : "work");
	container_record_set_str(&r->work_dir, p);
	container_record_set_str(&r->merged_dir, container_path(c, "merged", p, sizeof(p)));
	if (!r->log_path || !r->hosts_path || !r->hostname_path || !r->resolv_conf_path ||
	    !r->upper_dir || !r->work_dir || !r->merged_dir)
		return mr_fail(err, ENOMEM, "container record");
	return 0;
}

/* the image's layer directories, top-most first: as docker's inspect shows them (one
 * string, the record's lower_dir: GraphDriver.Data.LowerDir), and as the monitor mounts
 * them (mr.lower_dirs: a path may hold a ':'). The monitor reads them there instead of
 * opening the image store, which would verify the image's blobs once more
 * (bundle/rootfs.c). -1 on ENOMEM. */
static int rec_lowers(struct container *c, char **lowers, struct mr_err *err)
{
	size_t len = 1, n = 0;
	for (char **p = lowers; *p; p++, n++)
		len += strlen(*p) + 1;
	char *text = calloc(1, len), *end = text;
	for (char **p = lowers; text && *p; p++)
		end = stpcpy(stpcpy(end, p == lowers ? "" : ":"), *p);
	free(c->r.lower_dir);
	c->r.lower_dir = text;
	if (!text ||
	    container_record_set_strv(&c->r.mr.lower_dirs, (const char *const *)lowers, n) < 0)
		return mr_fail(err, ENOMEM, "record the image's layers");
	return 0;
}

/*
 * image_mark - the image store's "in use" mark (minirun/image/image.h, image_in_use): the
 * file `image` holding the image ID. A hard link to ROOT/containers/.images/ID, a file of
 * that text made by the image's first container and kept (its name says its content, so it
 * is never stale; a few bytes per image ever run): a link is no new inode on the store's
 * disk, a file is. Past the file system's link limit (EMLINK) or wherever a link fails, a
 * file of its own, as before. Nothing writes `image` in place: a link shared is safe.
 */
static int image_mark(struct container *c, const char *image_id, struct mr_err *err)
{
	char mark[4400], shared[4400];
	container_path(c, "image", mark, sizeof(mark));
	snprintf(shared, sizeof(shared), "%s/containers/.images/%s", c->root, image_id);
	if (!strchr(image_id, '/') && *image_id != '.') {
		if (link(shared, mark) == 0)
			return 0;
		snprintf(shared, sizeof(shared), "%s/containers/.images", c->root);
		if (errno == ENOENT && mr_mkdir_p(shared, 0700, NULL) == 0) {
			snprintf(shared, sizeof(shared), "%s/containers/.images/%s", c->root,
				 image_id);
			if (mr_replace_file(shared, image_id, 0600, NULL) == 0 &&
			    link(shared, mark) == 0)
				return 0;
		}
	}
	return mr_replace_file(mark, image_id, 0600, err);
}

int container_create(const char *root, const struct container_opts *o, struct container *c,
		     struct mr_err *err)
{
	char path[4400], name[256];
	struct store st;
	struct image img = {0};
	/* minirun.conf's log-driver and log-opts: a bad default stops every create, before
	 * anything is made (logopts.c) */
	if (log_conf_check(err) < 0)
		return -1;
	container_step("image");
	if (store_open(&st, root, err) < 0)
		return -1;
	char **lowers = NULL;
	int rc = image_resolve(&st, o->image, &img, err);
	/* a config field of the wrong type or shape: refused before anything is made */
	if (rc == 0 && ((rc = image_config_check(img.config, o->image, err)) < 0 ||
			(rc = image_layer_dirs(&st, &img, &lowers, err)) < 0))
		image_free(&img);
	store_close(&st);
	/* --volumes-from an unknown container: refused before anything is made (volfrom.c) */
	if (rc == 0 && (rc = container_volumes_from_check(root, o, err)) < 0) {
		image_free(&img);
		image_lowerdirs_free(lowers);
	}
	if (rc < 0)
		return -1;
	if (container_new(root, o->name, in_run_wanted(o), c, err) < 0) {
		image_free(&img);
		image_lowerdirs_free(lowers);
		return -1;
	}
	claimed_name(c, o->name, name, sizeof(name));
	container_step("record");
	c->rec = container_record_new(o, c->id, name, o->image, img.id, img.config, err);
	if (!c->rec)
		goto fail;
	/* the typed record first: LogPath depends on its LogConfig */
	if (container_record_from_json(c->rec, &c->r, err) < 0)
		goto fail;
	if (rec_paths(c, err) < 0 || rec_lowers(c, lowers, err) < 0 || container_save(c, err) < 0)
		goto fail;
	container_step("image-mark");
	if (image_mark(c, img.id, err) < 0)
		goto fail;
	container_step("dirs");
	if (container_upper_in_run(c)) { /* --rm: on a tmpfs of its own (bundle_upper_tmpfs) */
		if (bundle_upper_tmpfs(containers_run_dir(root, c->id, path, sizeof(path)), err) <
		    0)
			goto fail;
	} else if (mkdir(container_path(c, "diff", path, sizeof(path)), 0755) < 0 ||
		   mkdir(container_path(c, "work", path, sizeof(path)), 0700) < 0) {
		mr_fail(err, errno, "mkdir '%s'", path);
		goto fail;
	}
	/* made empty here, written by the monitor at each exit (see container_wait_exit); a
	 * run file: the record keeps the code across a reboot */
	if (rootfs_run_dir(c, err) < 0 ||
	    mr_replace_file(container_path(c, "exit-code", path, sizeof(path)), "", 0600, err) <
		    0 ||
	    container_userns_setup(c, o, err) < 0) /* --userns=auto: userns.c */
		goto fail;
	container_step("volumes");
	/* saved again only when the networks or volumes changed the record: each save is a
	 * new file renamed over the old one, and most runs have neither */
	json_t *before = json_deep_copy(c->rec);
	rc = container_volumes_up(c, o, img.config, err);
	if (rc == 0) /* --userns=auto: its own volumes become its root's (userns.c) */
		rc = container_userns_volumes(c, err);
	container_record_to_json(&c->r, c->rec);
	bool same = rc == 0 && before && json_equal(before, c->rec);
	json_decref(before);
	if (rc < 0 || (!same && container_save(c, err) < 0))
		goto fail;
	container_step("created");
	container_event(c, "create");
	c->fresh = true;
	image_free(&img);
	image_lowerdirs_free(lowers);
	return 0;
fail:
	image_free(&img);
	image_lowerdirs_free(lowers);
	container_volumes_down(c, true, NULL);
	container_release_name(root, c->id);
	container_userns_release(root, c->id);
	rootfs_remove_dir(c, NULL); /* and the upper's tmpfs, if the dirs step mounted one */
	container_close(c);
	return -1;
}

/* ---- start -------------------------------------------------------------------------------- */

static int pidfd_of(pid_t pid)
{
	return pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
}

/* wait until FD (a pidfd) is readable: the process exited. MS < 0: forever. 1: exited */
static int wait_pidfd(int fd, int ms)
{
	if (fd < 0)
		return 1;
	struct pollfd p = {fd, POLLIN, 0};
	int r;
	while ((r = poll(&p, 1, ms)) < 0 && errno == EINTR)
		;
	return r > 0;
}

/* a broken record can't say which networks and volumes the container used: ask each of
 * them for the ID instead (ports, leases and veths; volume users). Safe to repeat. */
static void forget_by_id(struct container *c)
{
	size_t i;
	json_t *rec;
	network_unpublish(c->root, c->id, NULL);
	json_t *nets = network_list(c->root, NULL);
	json_array_foreach(nets, i, rec)
	{
		const char *name = json_string_value(json_object_get(rec, "Name"));
		if (name && json_object_get(json_object_get(rec, "Containers"), c->id))
			network_disconnect_exited(c->root, name, c->id, NULL);
	}
	json_decref(nets);
	json_t *vols = volume_list(c->root, NULL);
	json_array_foreach(vols, i, rec)
	{
		const char *name = json_string_value(json_object_get(rec, "Name"));
		if (name)
			volume_release(c->root, name, c->id, NULL);
	}
	json_decref(vols);
}

void container_cleanup(struct container *c)
{
	char oci[4400], path[4400];
	container_oci_root(c->root, oci, sizeof(oci));
	state_path(path, sizeof(path), oci, c->id, "");
	if (access(path, F_OK) == 0)
		ctr_delete(oci, c->id, true, NULL);
	if (c->r.net.present)
		container_net_down(c, NULL);
	if (c->r.mr.broken)
		forget_by_id(c);
	char run[4096];
	bundle_rootfs_umount(containers_run_dir(c->root, c->id, run, sizeof(run)), NULL);
	enum container_state s = c->r.state.status;
	if (c->r.state.present && s != CONTAINER_CREATED && s != CONTAINER_EXITED) {
		/* nobody saw the exit (the monitor, its parent, was gone): docker's code for a
		 * status it lost (a daemon that died with its containers) is 255 */
		char now[64];
		container_record_set_state(&c->r, CONTAINER_EXITED);
		c->r.state.pid = 0;
		const char *why;
		c->r.state.exit_code = container_exit_noted(c, &why);
		container_record_set_str(&c->r.state.error, why);
		container_record_set_str(&c->r.state.finished_at, state_now(now, sizeof(now)));
		if (c->lockfd >= 0)
			container_save(c, NULL);
	}
}

int container_reap_orphan(struct container *c, int ms)
{
	if (monitor_alive(c) || !rec_live(c))
		return 0;
	_cleanup_close_ int fd = pidfd_of(orphan_pid(c, NULL));
	if (fd >= 0 && !wait_pidfd(fd, ms))
		return 0; /* still running */
	container_cleanup(c);
	return 1;
}

/* the monitor started for C; C read again (the monitor saved it as running) unless
 * RELOAD is false, and after a failure always (the caller may remove it) */
static int spawn(struct container *c, bool attach, bool reload, struct mr_err *err)
{
	if (monitor_spawn(c, attach, err) < 0) {
		container_reload(c, NULL);
		return -1;
	}
	return reload ? container_reload(c, err) : 0;
}

int container_start(struct container *c, bool attach, struct mr_err *err)
{
	if (c->fresh) { /* just made here (run): no monitor, orphan or leftovers to check */
		c->fresh = false;
		return spawn(c, attach, false, err);
	}
	enum container_state s = container_status(c);
	if (container_orphan(c))
		return mr_fail(err, 0,
			       "container %.12s runs without its monitor (the monitor was killed): "
			       "its output is no longer logged and its exit code can't be "
			       "recorded; stop it, then start it again",
			       c->id);
	if (s == CONTAINER_PAUSED)
		return mr_fail(err, 0, "cannot start a paused container, try unpause instead");
	if (s == CONTAINER_RUNNING || s == CONTAINER_RESTARTING)
		return 0; /* docker: starting a running container is not an error */
	const char *broken = c->r.mr.broken;
	if (broken)
		return mr_fail(err, 0,
			       "container %.12s can't be started: its record is unreadable (%s); "
			       "remove it with rm -f (minirun/containers/README.md, \"A broken "
			       "record\")",
			       c->id, broken);
	if (s == CONTAINER_DEAD)
		return mr_fail(err, 0, "container %.12s is half-made (a killed create): remove it",
			       c->id);
	pid_t mon = monitor_alive(c);
	if (mon && (s == CONTAINER_EXITED || s == CONTAINER_CREATED)) {
		/* a monitor whose container has ended is on its way out (it tells its client
		 * the exit code as its last step but one): `run` then at once `start` met it
		 * still there, as rm does (bounded: it is ours to wait for, not hang on) */
		_cleanup_close_ int fd = pidfd_of(mon);
		if (wait_pidfd(fd, 2000))
			mon = monitor_alive(c);
	}
	if (mon)
		return mr_fail(err, 0, "container %.12s is being started or stopped", c->id);
	container_cleanup(c); /* what a killed monitor left, if anything */
	container_sweep_temps(c);
	/* an explicit start lifts an earlier stop: the restart policy applies again */
	if (c->r.mr.stop_requested) {
		c->r.mr.stop_requested = false;
		if (container_save(c, err) < 0)
			return -1;
	}
	return spawn(c, attach, true, err);
}

/* ---- stop, rm ----------------------------------------------------------------------------- */

/* release the lock, so that the monitor can record the exit we wait for */
static void unlock(struct container *c)
{
	if (c->lockfd >= 0)
		close(c->lockfd);
	c->lockfd = -1;
}

/* take the lock again and re-read; 1 when the container is gone meanwhile (--rm) */
static int relock(struct container *c, struct mr_err *err)
{
	char path[4400];
	int fd = open(container_path(c, "lock", path, sizeof(path)), O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 1 : mr_fail(err, errno, "open '%s'", path);
	close(fd);
	if ((c->lockfd = mr_lock_file(path, err)) < 0)
		return -1;
	if (access(c->dir, F_OK) < 0) {
		unlock(c);
		return 1;
	}
	return container_reload(c, err);
}

/* kill the container and wait for its monitor to record the exit (the lock released
 * meanwhile). SIG first, SIGKILL after TIMEOUT s. 1: the container is gone (--rm). */
static int kill_and_wait(struct container *c, int sig, int timeout, struct mr_err *err)
{
	char oci[4400];
	container_oci_root(c->root, oci, sizeof(oci));
	c->r.mr.stop_requested = true; /* no restart after this */
	if (container_save(c, err) < 0)
		return -1;
	pid_t mon = monitor_alive(c);
	_cleanup_close_ int mfd = pidfd_of(mon);
	_cleanup_close_ int ifd = pidfd_of(container_pid(c));
	if (container_status(c) == CONTAINER_PAUSED)
		ctr_pause(oci, c->id, false, NULL); /* a frozen process can't act on a signal */
	if (mon > 0 && c->r.state.status == CONTAINER_RESTARTING) {
		unlock(c);
		kill(mon, SIGUSR1); /* cut its back-off short: it sees StopRequested */
	} else {
		mr_say("kill %.12s with signal %d", c->id, sig);
		/* signal and log under the lock: the monitor logs "die" under it too, so a
		 * reader of the events sees kill before die, as docker shows them */
		int k = ctr_kill(oci, c->id, sig, false, NULL);
		if (k == 0)
			container_event(c, "kill", "signal", CONTAINER_EVENT_NUM(sig));
		unlock(c);
		if (k < 0 && mon > 0) {
			/* no OCI container yet: the monitor is still setting up. End it; what it
			 * made is undone by whoever removes or starts the container next */
			kill(mon, SIGKILL);
		} else if (k == 0 && sig != SIGKILL && !wait_pidfd(ifd, timeout * 1000)) {
			mr_say("still running after %d s: SIGKILL", timeout);
			/* logged first: without the lock the die could otherwise come before it */
			container_event(c, "kill", "signal", CONTAINER_EVENT_NUM(SIGKILL));
			ctr_kill(oci, c->id, SIGKILL, true, NULL);
		}
	}
	if (!wait_pidfd(mfd, 15000) && mon > 0) {
		/* a monitor stuck past its container's death: end it, rm cleans up after it */
		kill(mon, SIGKILL);
		wait_pidfd(mfd, 5000);
	}
	if (mon <= 0)
		wait_pidfd(ifd, 5000); /* an orphan: nobody but us waits for it */
	int r = relock(c, err);
	if (r == 0 && mon <= 0)
		container_cleanup(c); /* an orphan: what its monitor would have undone */
	return r;
}

int container_stop(struct container *c, int timeout, struct mr_err *err)
{
	return container_stop_sig(c, 0, timeout, err);
}

int container_stop_sig(struct container *c, int sig, int timeout, struct mr_err *err)
{
	if (!container_state_live(container_status(c))) {
		container_reap_orphan(c, 0); /* an orphan that ended by itself: clean up now */
		return 0;                    /* docker: stopping a stopped container succeeds */
	}
	const char *name = c->r.config.stop_signal;
	if (sig <= 0)
		sig = name && *name ? mr_sig_parse(name) : SIGTERM;
	if (sig <= 0)
		sig = SIGTERM;
	if (timeout < 0)
		timeout = c->r.config.stop_timeout >= 0 ? c->r.config.stop_timeout : 10;
	int r = kill_and_wait(c, sig, timeout, err);
	if (r >= 0)
		container_event(c, "stop");
	return r < 0 ? -1 : 0;
}

/* the claim of the record's name, when it holds this ID, renamed into the container's
 * directory: the name is free at once, and the claim's unlink goes with the directory into
 * the trash (rootfs.c), off the path of `run --rm` (an unlink on a disk that discards freed
 * blocks waits for the disk). container_release_name still drops any other claim. */
static void claim_into_dir(struct container *c)
{
	char claim[4400], dest[4400], held[CONTAINER_ID_LEN + 1];
	const char *name = c->r.name;
	if (!name)
		return;
	name += *name == '/';
	/* an --rm container's claim is a link to its directory's link, which is kept
	 * (rmlink.c), and most often on another file system than RUN/records/ID:
	 * container_release_name unlinks it */
	if (c->in_run || !*name || *name == '.' || strchr(name, '/') ||
	    container_claim_read(c->root, name, held) < 0 || strcmp(held, c->id) != 0)
		return;
	snprintf(claim, sizeof(claim), "%s/containers/.names/%s", c->root, name);
	rename(claim, container_path(c, "name-claim", dest, sizeof(dest)));
}

int container_remove(struct container *c, bool force, bool volumes, struct mr_err *err)
{
	pid_t mon = monitor_alive(c);
	enum container_state st = c->r.state.status;
	if (mon && mon != getpid() && (st == CONTAINER_EXITED || st == CONTAINER_CREATED)) {
		/* a monitor whose container has ended is on its way out: it tells its client
		 * the exit code as its last step but one. Let it finish rather than refuse a
		 * `run` followed at once by `rm` (bounded: it is ours to wait for, not hang on) */
		_cleanup_close_ int fd = pidfd_of(mon);
		if (wait_pidfd(fd, 2000))
			mon = monitor_alive(c);
	}
	if (!mon && container_orphan(c)) {
		/* its monitor was killed, its process was not: rm acts on the process */
		if (!force)
			return mr_fail(err, 0,
				       "cannot remove container %.12s: it runs without its monitor "
				       "(killed): stop it first or force remove",
				       c->id);
		int r = kill_and_wait(c, SIGKILL, 0, err);
		if (r != 0)
			return r < 0 ? -1 : 0;
	}
	if (mon && mon != getpid()) {
		/* docker 20.10's daemon's words */
		if (!force && container_status(c) == CONTAINER_PAUSED)
			return mr_fail(err, 0,
				       "You cannot remove a paused container %s. Unpause and then "
				       "stop the container before attempting removal or force "
				       "remove",
				       c->id);
		if (!force)
			return mr_fail(err, 0,
				       "You cannot remove a running container %s. Stop the "
				       "container before attempting removal or force remove",
				       c->id);
		int r = kill_and_wait(c, SIGKILL, 0, err);
		if (r != 0)
			return r < 0 ? -1 : 0; /* gone: it was --rm, its monitor removed it */
	}
	/* the monitor is gone: undo every step run may have made, newest first. Or it is us
	 * (--rm): our teardown undid them all a moment ago (monitor.c, record_exit), and the
	 * check of the OCI state below still catches a delete that failed there */
	if (mon != getpid())
		container_cleanup(c);
	char oci[4400], path[4400];
	state_path(path, sizeof(path), container_oci_root(c->root, oci, sizeof(oci)), c->id, "");
	/* ctr_delete failed there: once more, and on a second failure say so rather than
	 * leave it (a second try that works goes on with the removal) */
	if (access(path, F_OK) == 0 && ctr_delete(oci, c->id, true, err) < 0)
		return -1;
	if (c->r.has_mounts && container_volumes_down(c, volumes, err) < 0)
		return -1;
	claim_into_dir(c);
	if (container_release_name(c->root, c->id) < 0)
		return mr_fail(err, errno, "release the name of %.12s", c->id);
	if (rootfs_remove_dir(c, err) < 0) /* --rm's writable layer too, a tmpfs of its own */
		return -1;
	container_userns_release(c->root, c->id); /* after the dir: its files held the range */
	mr_say("removed %s", c->dir);
	container_event(c, "destroy");
	return 0;
}

/* ---- wait --------------------------------------------------------------------------------- */

int container_wait_exit(struct container *c, int *code, struct mr_err *err)
{
	char path[4400];
	/* inotify on the directory: every save of the record is a rename into it; the
	 * monitor's pidfd: a monitor killed before it could record anything; exit-code, held
	 * open: what a --rm monitor wrote before it removed the directory under us */
	_cleanup_close_ int in = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (in < 0 ||
	    inotify_add_watch(in, c->dir, IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF) < 0)
		return mr_fail(err, errno, "inotify '%s'", c->dir);
	_cleanup_close_ int ec =
		open(container_path(c, "exit-code", path, sizeof(path)), O_RDONLY | O_CLOEXEC);
	for (;;) {
		if (container_reload(c, err) < 0) {
			char text[16] = "";
			if (err->errnum == ENOENT && ec >= 0 &&
			    pread(ec, text, sizeof(text) - 1, 0) > 0 && text[0] >= '0' &&
			    text[0] <= '9') {
				*code = atoi(text); /* removed by its --rm monitor on exit */
				return 0;
			}
			return -1;
		}
		if (!container_state_live(container_status(c))) {
			bool lost = container_exit_lost(c);
			if (!lost && rec_live(c))
				continue; /* the monitor recorded the exit since our read */
			const char *why;
			*code = lost ? container_exit_noted(c, &why) : c->r.state.exit_code;
			return 0;
		}
		/* the monitor, or (the monitor killed) the container's own init; neither: it
		 * ended since the status was read, so read it again */
		pid_t mon = monitor_alive(c), watched = mon ? mon : container_pid(c);
		if (!watched)
			continue;
		_cleanup_close_ int mfd = pidfd_of(watched);
		struct pollfd p[2] = {{in, POLLIN, 0}, {mfd, POLLIN, 0}};
		if (poll(p, mfd >= 0 ? 2 : 1, -1) < 0 && errno != EINTR)
			return mr_fail(err, errno, "poll");
		char buf[4096];
		while (read(in, buf, sizeof(buf)) > 0)
			;
	}
}

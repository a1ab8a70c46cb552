/*
 * cgroups/cgroup.c - the cgroup handle: create, open, place processes, freeze, kill, remove.
 *
 * Creating a cgroup is mkdir(2) in a cgroup filesystem; the kernel fills the new directory
 * with interface files. On cgroup v2 a controller only shows up in a child once its parent
 * lists it in cgroup.subtree_control, so creation walks down the path writing "+memory" at
 * each level ("top-down" enabling). On v1 each controller is a separate tree and the same
 * directory is made in each. Removal is the reverse: kill what is inside, wait until the
 * kernel says the cgroup is empty, rmdir (a populated cgroup cannot be removed: EBUSY).
 *
 *	$ cgroups/run -v -m 16m -- true
 *	=> cgroup mode: unified (v2 at /sys/fs/cgroup, 0 v1 hierarchies)
 *	=> echo +memory > /sys/fs/cgroup/cgroup.subtree_control
 *	=> mkdir /sys/fs/cgroup/mr-run-4242
 *	=> echo 16777216 > /sys/fs/cgroup/mr-run-4242/memory.max
 *	=> clone3(CLONE_INTO_CGROUP /sys/fs/cgroup/mr-run-4242)
 *
 * Putting processes in (cgroup.procs, clone3) is in procs.c; the v1 details (cpuset's
 * empty start, memsw ordering, the freezer) in cgroup_v1.c; limits in limits.c, readings
 * in readings.c.
 *
 * See: Documentation/admin-guide/cgroup-v2.rst ("Top-down Constraint", "No Internal
 *      Process Constraint", "Core Interface Files"), clone(2) (CLONE_INTO_CGROUP).
 */
#include "cgroups/cgroup_impl.h"
#include "lib/cleanup.h"
#include "lib/file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- small helpers --------------------------------------------------------------------- */

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

int cg_node_read(const struct cg_node *node, const char *file, char **out, struct mr_err *err)
{
	char p[CG_PATHBUF];
	snprintf(p, sizeof(p), "%s/%s", node->dir, file);
	return mr_read_file(p, out, NULL, err);
}

int cg_node_write(const struct cg_node *node, const char *file, const char *value,
		  struct mr_err *err)
{
	char p[CG_PATHBUF];
	snprintf(p, sizeof(p), "%s/%s", node->dir, file);
	mr_say("echo %s > %s", value, p);
	return mr_write_file(p, value, err);
}

struct cg_node *cg_node_for(const struct cg *cg, unsigned bit)
{
	for (int pass = 0; pass < 2; pass++) /* v2 first: in hybrid mode it wins */
		for (int i = 0; i < cg->n; i++)
			if ((cg->node[i].bits & bit) && cg->node[i].v2 == (pass == 0))
				return (struct cg_node *)&cg->node[i];
	return NULL;
}

struct cg_node *cg_v2_node(const struct cg *cg)
{
	for (int i = 0; i < cg->n; i++)
		if (cg->node[i].v2)
			return (struct cg_node *)&cg->node[i];
	return NULL;
}

/* The v1 node whose hierarchy holds CONTROLLER ("freezer", "cpuacct"), or NULL. */
static struct cg_node *v1_node_named(const struct cg *cg, const char *controller)
{
	for (int i = 0; i < cg->n; i++) {
		const struct cg_node *nd = &cg->node[i];
		char buf[64], *save = NULL;
		if (nd->v2)
			continue;
		snprintf(buf, sizeof(buf), "%s", nd->hier);
		for (char *c = strtok_r(buf, ",", &save); c; c = strtok_r(NULL, ",", &save))
			if (!strcmp(c, controller))
				return (struct cg_node *)nd;
	}
	return NULL;
}

/* The bits of the controllers named in a v2 cgroup.controllers text */
static unsigned v2_bits(const char *text)
{
	char buf[512], *save = NULL;
	unsigned bits = 0;
	snprintf(buf, sizeof(buf), "%s", text);
	for (char *c = strtok_r(buf, " \n", &save); c; c = strtok_r(NULL, " \n", &save))
		bits |= cg_controller_bit(c);
	return bits;
}

static unsigned v2_bits_of_dir(const char *dir)
{
	char p[CG_PATHBUF];
	_cleanup_free_ char *text = NULL;
	snprintf(p, sizeof(p), "%s/cgroup.controllers", dir);
	return mr_read_file(p, &text, NULL, NULL) < 0 ? 0 : v2_bits(text);
}

enum cg_mode cg_mode(const struct cg *cg)
{
	return cg->sys.mode;
}

const char *cg_path(const struct cg *cg)
{
	return cg->path;
}

const char *cg_dir(const struct cg *cg, const char *controller)
{
	const struct cg_node *nd;
	if (!controller)
		return cg_v2_node(cg) ? cg_v2_node(cg)->dir : cg->n ? cg->node[0].dir : NULL;
	unsigned bit = cg_controller_bit(controller);
	nd = bit ? cg_node_for(cg, bit) : NULL;
	/* "cpuacct" may be a hierarchy of its own, apart from "cpu": the exact name first */
	if (!nd || !nd->v2) {
		const struct cg_node *named = v1_node_named(cg, controller);
		if (named)
			nd = named;
	}
	return nd ? nd->dir : NULL;
}

int cg_v2_fd(const struct cg *cg)
{
	return cg->v2_fd;
}

void cg_close_fd(struct cg *cg)
{
	if (cg->v2_fd >= 0)
		close(cg->v2_fd);
	cg->v2_fd = -1;
}

unsigned cg_controllers(const struct cg *cg)
{
	unsigned bits = 0;
	for (int i = 0; i < cg->n; i++)
		bits |= cg->node[i].bits;
	return bits;
}

void cg_free(struct cg *cg)
{
	if (!cg)
		return;
	if (cg->v2_fd >= 0)
		close(cg->v2_fd);
	free(cg);
}

static struct cg *cg_new(const struct cg_system *sys, struct mr_err *err)
{
	/* Why not calloc: see struct cg (cgroup_impl.h); the nodes and the made paths are
	 * written when they come to count */
	struct cg *cg = malloc(sizeof(*cg));
	if (!cg) {
		mr_fail(err, ENOMEM, "cgroup handle");
		return NULL;
	}
	memset(cg, 0, offsetof(struct cg, node));
	cg->v2_fd = -1;
	if (sys)
		cg->sys = *sys;
	else if (cg_detect(&cg->sys, err) < 0) {
		free(cg);
		return NULL;
	}
	return cg;
}

/* Fill in cg->path (from the main node) and the v2 fd, once the nodes are known. */
static int cg_finish(struct cg *cg, struct mr_err *err)
{
	const struct cg_node *main = cg_v2_node(cg);
	const char *mount = cg->sys.v2_mount;

	if (!main)
		for (int i = 0; i < cg->n && !main; i++)
			if (cg->node[i].bits & CG_MEMORY)
				main = &cg->node[i];
	if (!main)
		main = &cg->node[0];
	if (!main->v2)
		for (int i = 0; i < cg->sys.n_v1; i++)
			if (!strcmp(cg->sys.v1[i].controllers, main->hier))
				mount = cg->sys.v1[i].mount;
	snprintf(cg->path, sizeof(cg->path), "%s",
		 main->dir[strlen(mount)] ? main->dir + strlen(mount) : "/");
	if (cg_v2_node(cg) &&
	    (cg->v2_fd = open(cg_v2_node(cg)->dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return mr_fail(err, errno, "open '%s'", cg_v2_node(cg)->dir);
	return 0;
}

/* ---- create ------------------------------------------------------------------------------ */

/* Enable the v2 controllers BITS in DIR's cgroup.subtree_control, so that DIR's children
 * get them. Each must first be in DIR's cgroup.controllers (its parent enabled it). */
static int v2_enable(const char *dir, unsigned bits, struct mr_err *err)
{
	char p[CG_PATHBUF];
	_cleanup_free_ char *have = NULL, *on = NULL;

	snprintf(p, sizeof(p), "%s/cgroup.controllers", dir);
	if (mr_read_file(p, &have, NULL, err) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/cgroup.subtree_control", dir);
	if (mr_read_file(p, &on, NULL, err) < 0)
		return -1;
	for (unsigned b = 1; b < (1u << CG_NCONTROLLERS); b <<= 1) {
		const char *name = cg_controller_name(b);
		if (!(bits & b) || (v2_bits(on) & b))
			continue; /* not wanted, or enabled already: no write, no EBUSY risk */
		if (!(v2_bits(have) & b)) {
			have[strcspn(have, "\n")] = '\0';
			return cg_failx(
				err, ENOENT,
				"controller '%s' is not available in %s (cgroup.controllers: %s); "
				"the kernel lacks it or a parent did not enable it",
				name, dir, *have ? have : "none");
		}
		char plus[32];
		snprintf(plus, sizeof(plus), "+%s", name);
		mr_say("echo %s > %s", plus, p);
		if (mr_write_file(p, plus, err) < 0) {
			if (errno == EBUSY)
				mr_prefix(
					err,
					"enable controller '%s': %s holds processes of its own and "
					"v2 lets only leaf cgroups hold them (no internal processes "
					"rule): ",
					name, dir);
			else
				mr_prefix(err, "enable controller '%s': ", name);
			return -1;
		}
	}
	return 0;
}

/* Undo: rmdir every directory this handle made, newest first. */
static void unmake(struct cg *cg)
{
	while (cg->n_made > 0) {
		const char *d = cg->made[--cg->n_made];
		if (rmdir(d) == 0)
			mr_say("rmdir %s", d);
	}
}

/* Make NODE's directory: walk from the hierarchy's mount + START down to the leaf,
 * enabling v2 controllers at each level and mkdir'ing what is missing. */
static int make_node(struct cg *cg, struct cg_node *nd, const char *mount, const char *start,
		     unsigned flags, struct mr_err *err)
{
	size_t base = strlen(mount) + (strcmp(start, "/") ? strlen(start) : 0);
	char *p = nd->dir;

	for (size_t i = base + 1;; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		char c = p[i];
		p[i] = '\0';
		/* the parent of this level must hand the controllers down before mkdir */
		char *slash = strrchr(p, '/');
		*slash = '\0';
		int r = nd->v2 && nd->bits ? v2_enable(p, nd->bits, err) : 0;
		*slash = '/';
		if (r < 0) {
			p[i] = c;
			return -1;
		}
		if (mkdir(p, 0755) == 0) {
			mr_say("mkdir %s", p);
			if (cg->n_made < CG_MAX_MADE)
				snprintf(cg->made[cg->n_made++], PATH_MAX, "%s", p);
			if (!nd->v2 && cg_v1_prepare(nd, err) < 0) {
				p[i] = c;
				return -1;
			}
		} else if (errno != EEXIST || (c == '\0' && !(flags & CG_EXIST_OK))) {
			int e = errno;
			if (e == EEXIST)
				cg_failx(err, e, "cgroup '%s' already exists (choose another name)",
					 p);
			else
				mr_fail(err, e, "mkdir '%s'", p);
			p[i] = c;
			return -1;
		}
		p[i] = c;
		if (c == '\0')
			return 0;
	}
}

/* Add a node for hierarchy MOUNT/OWN (v1 index H, or -1 for v2) at PATH with BITS. */
static int add_node(struct cg *cg, int h, unsigned bits, const char *path, bool below_own,
		    struct mr_err *err)
{
	struct cg_node *nd = &cg->node[cg->n];
	const char *mount = h < 0 ? cg->sys.v2_mount : cg->sys.v1[h].mount;
	const char *own = h < 0 ? cg->sys.v2_own : cg->sys.v1[h].own;
	char inner[PATH_MAX];

	if (cg_build_path(own, path, below_own, inner, sizeof(inner), err) < 0)
		return -1;
	memset(nd, 0, sizeof(*nd));
	if (snprintf(nd->dir, sizeof(nd->dir), "%s%s", mount, strcmp(inner, "/") ? inner : "") >=
	    (int)sizeof(nd->dir))
		return mr_fail(err, ENAMETOOLONG, "cgroup path '%s'", path);
	nd->v2 = h < 0;
	nd->bits = bits;
	if (h >= 0)
		memcpy(nd->hier, cg->sys.v1[h].controllers, sizeof(nd->hier));
	cg->n++;
	return 0;
}

/* A FS-form path ("/sys/fs/cgroup/memory/process_api/x/mr-1") as a cgroup path: relative
 * to our own cgroup in that hierarchy when it lies below it, else absolute. */
static int normalise_path(const struct cg_system *sys, const char *path, char *out, size_t size,
			  int *only_hier, struct mr_err *err)
{
	char inner[PATH_MAX];
	int h, r = cg_fs_path(sys, path, &h, inner, sizeof(inner), err);

	*only_hier = -2;
	if (r < 0)
		return -1;
	if (r == 0) {
		snprintf(out, size, "%s", path);
		return 0;
	}
	const char *own = h < 0 ? sys->v2_own : sys->v1[h].own;
	size_t n = strlen(own);
	if (!strcmp(own, "/") && strcmp(inner, "/"))
		snprintf(out, size, "%s", inner + 1);
	else if (!strncmp(inner, own, n) && inner[n] == '/')
		snprintf(out, size, "%s", inner + n + 1);
	else {
		snprintf(out, size, "%s", inner);
		*only_hier = h; /* somewhere else in one hierarchy: that directory only */
	}
	return 0;
}

struct cg *cg_create(const struct cg_system *sys, const char *path, unsigned controllers,
		     unsigned flags, struct mr_err *err)
{
	struct cg *cg = cg_new(sys, err);
	char rel[PATH_MAX];
	int only;

	if (!cg)
		return NULL;
	sys = &cg->sys;
	if (normalise_path(sys, path, rel, sizeof(rel), &only, err) < 0)
		goto fail;
	bool all = controllers & CG_ALL;
	bool below = sys->mode != CG_UNIFIED; /* v1 trees: only ever below what we were given */
	unsigned want = all ? (1u << CG_NCONTROLLERS) - 1 : controllers;
	unsigned on_v2 = 0, on_v1 = 0;

	/* Where does each controller come from? On a unified host from the v2 tree, when
	 * the cgroup we start from offers it. On a hybrid host from the v1 trees only: its v2
	 * tree serves the core files (procs, freeze, kill, events, PSI), and we do not switch
	 * controllers on in a v2 root that the whole machine shares. */
	if (sys->mode == CG_UNIFIED) {
		char start[PATH_MAX];
		snprintf(start, sizeof(start), "%s%s", sys->v2_mount,
			 rel[0] == '/' || !strcmp(sys->v2_own, "/") ? "" : sys->v2_own);
		on_v2 = want & v2_bits_of_dir(start);
	}
	on_v1 = want & ~on_v2;
	for (unsigned b = 1; b < (1u << CG_NCONTROLLERS); b <<= 1) {
		bool found = false;
		for (int i = 0; i < sys->n_v1; i++)
			found |= (cg_v1_bits(sys->v1[i].controllers) & b) != 0;
		if (!(on_v1 & b) || found)
			continue;
		if (all) { /* CG_ALL: whatever there is */
			on_v1 &= ~b;
			continue;
		}
		cg_failx(err, ENOENT,
			 "controller '%s' is not available: %s%s%s (grep %s /proc/cgroups)",
			 cg_controller_name(b),
			 sys->mode == CG_UNIFIED
				 ? "not in cgroup.controllers of the v2 hierarchy at "
				 : "no v1 hierarchy has it",
			 sys->mode == CG_UNIFIED ? sys->v2_mount : "",
			 sys->mode == CG_HYBRID ? ", and this hybrid host's v2 tree carries no "
						  "controllers"
						: "",
			 cg_controller_name(b));
		goto fail;
	}

	if (only == -1 || (only == -2 && sys->v2_mount[0]))
		if (add_node(cg, -1, on_v2, rel, below, err) < 0)
			goto fail;
	for (int i = 0; i < sys->n_v1; i++) {
		unsigned bits = cg_v1_bits(sys->v1[i].controllers) & on_v1;
		/* the v1 freezer, for freezing where no v2 tree is: legacy hosts */
		bool freezer = !sys->v2_mount[0] && strstr(sys->v1[i].controllers, "freezer");
		if ((only == -2 && (bits || freezer)) || only == i)
			if (add_node(cg, i, bits, rel, below, err) < 0)
				goto fail;
	}
	if (!cg->n) {
		cg_failx(err, ENOENT, "cgroup '%s': no hierarchy to create it in", path);
		goto fail;
	}
	for (int i = 0; i < cg->n; i++) {
		struct cg_node *nd = &cg->node[i];
		int h = -1;
		for (int j = 0; j < sys->n_v1; j++)
			if (!nd->v2 && !strcmp(sys->v1[j].controllers, nd->hier))
				h = j;
		const char *mount = h < 0 ? sys->v2_mount : sys->v1[h].mount;
		const char *own = h < 0 ? sys->v2_own : sys->v1[h].own;
		const char *start =
			rel[0] == '/' && (!below || !strncmp(rel, own, strlen(own))) ? "/" : own;
		if (make_node(cg, nd, mount, start, flags, err) < 0) {
			mr_prefix(err, "create cgroup '%s': ", path);
			goto fail;
		}
	}
	if (cg_finish(cg, err) < 0)
		goto fail;
	return cg;
fail:
	unmake(cg);
	cg_free(cg);
	return NULL;
}

/* ---- open ------------------------------------------------------------------------------- */

struct cg *cg_open(const struct cg_system *sys, const char *path, struct mr_err *err)
{
	struct cg *cg = cg_new(sys, err);
	char rel[PATH_MAX];
	struct stat st;
	int only;

	if (!cg)
		return NULL;
	sys = &cg->sys;
	if (normalise_path(sys, path, rel, sizeof(rel), &only, err) < 0)
		goto fail;
	bool below = sys->mode != CG_UNIFIED;
	for (int h = -1; h < sys->n_v1; h++) {
		if (h < 0 && !sys->v2_mount[0])
			continue;
		if (only != -2 && only != h)
			continue;
		unsigned bits = h < 0 ? 0 : cg_v1_bits(sys->v1[h].controllers);
		if (add_node(cg, h, bits, rel, below && only == -2, err) < 0)
			goto fail;
		struct cg_node *nd = &cg->node[cg->n - 1];
		if (stat(nd->dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
			cg->n--; /* not in this hierarchy */
			continue;
		}
		if (nd->v2 && sys->mode == CG_UNIFIED) /* what its parent handed down */
			nd->bits = v2_bits_of_dir(nd->dir);
	}
	if (!cg->n) {
		cg_failx(err, ENOENT, "no cgroup '%s' (cgroups/tree lists them)", path);
		goto fail;
	}
	if (cg_finish(cg, err) < 0)
		goto fail;
	return cg;
fail:
	cg_free(cg);
	return NULL;
}

/* ---- freeze, kill, remove ----------------------------------------------------------------- */

int cg_frozen(const struct cg *cg, struct mr_err *err)
{
	const struct cg_node *v2 = cg_v2_node(cg), *fz = v1_node_named(cg, "freezer");
	_cleanup_free_ char *text = NULL;

	if (v2) {
		if (cg_node_read(v2, "cgroup.events", &text, err) < 0)
			return -1;
		return cg_keyed_value(text, "frozen") == 1;
	}
	if (fz)
		return cg_v1_frozen(fz, err);
	return cg_failx(err, ENOTSUP, "cgroup '%s' has no cgroup.freeze and no v1 freezer",
			cg->path);
}

int cg_freeze(struct cg *cg, bool frozen, int timeout_ms, struct mr_err *err)
{
	const struct cg_node *v2 = cg_v2_node(cg), *fz = v1_node_named(cg, "freezer");

	if (!v2 && fz)
		return cg_v1_freeze(fz, frozen, timeout_ms, err);
	if (!v2)
		return cg_failx(err, ENOTSUP, "cgroup '%s' has no cgroup.freeze and no v1 freezer",
				cg->path);
	if (cg_node_write(v2, "cgroup.freeze", frozen ? "1" : "0", err) < 0)
		return -1;
	/* Writing cgroup.freeze only asks; the kernel stops each task at its next return to
	 * user space, and says "frozen 1" in cgroup.events when all have stopped. Wait for it:
	 * a caller that reads memory or sends a checkpoint right away must see a frozen group. */
	long deadline = now_ms() + timeout_ms;
	for (;;) {
		int f = cg_frozen(cg, err);
		if (f < 0)
			return -1;
		if (f == (int)frozen)
			break;
		if (now_ms() >= deadline)
			return cg_failx(err, ETIMEDOUT,
					"cgroup '%s' did not %s within %d ms (cgroup.events "
					"still says frozen %d)",
					cg->path, frozen ? "freeze" : "thaw", timeout_ms, f);
		sleep_ms(5);
	}
	mr_say("cgroup.events: frozen %d", (int)frozen);
	return 0;
}

int cg_kill(struct cg *cg, int sig, struct mr_err *err)
{
	const struct cg_node *v2 = cg_v2_node(cg);
	char p[CG_PATHBUF];
	_cleanup_free_ pid_t *pids = NULL;
	size_t n;

	if (v2 && sig == SIGKILL) {
		snprintf(p, sizeof(p), "%s/cgroup.kill", v2->dir);
		if (access(p, F_OK) == 0) /* Linux 5.14+: one write kills the whole subtree */
			return cg_node_write(v2, "cgroup.kill", "1", err);
		mr_say("no cgroup.kill in this kernel: signalling each process");
	}
	/* Freeze first so that nothing forks between reading cgroup.procs and the kill; a
	 * cgroup that cannot freeze is walked twice instead. */
	bool frozen = cg_freeze(cg, true, 1000, NULL) == 0;
	int rc = 0;
	for (int pass = 0; pass < (frozen ? 1 : 2) && rc == 0; pass++) {
		if (cg_pids(cg, &pids, &n, err) < 0) {
			rc = -1;
			break;
		}
		for (size_t i = 0; i < n && rc == 0; i++) {
			mr_say("kill(%d, %d)", pids[i], sig);
			if (kill(pids[i], sig) < 0 && errno != ESRCH)
				rc = mr_fail(err, errno, "kill %d in cgroup '%s'", pids[i],
					     cg->path);
		}
		free(pids);
		pids = NULL;
	}
	if (frozen)
		cg_freeze(cg, false, 1000, NULL);
	return rc;
}

/* rmdir DIR after its child cgroups, deepest first, retrying EBUSY until DEADLINE (the
 * last tasks of a killed group may still be on their way out). */
static int rmdir_tree(const char *dir, long deadline, struct mr_err *err)
{
	_cleanup_closedir_ DIR *d = opendir(dir);
	char p[CG_PATHBUF];

	if (!d)
		return cg_gone(errno) ? 0 : mr_fail(err, errno, "opendir '%s'", dir);
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (rmdir_tree(p, deadline, err) < 0)
			return -1;
	}
	while (rmdir(dir) < 0) {
		if (cg_gone(errno))
			return 0;
		if (errno != EBUSY || now_ms() >= deadline)
			return mr_fail(err, errno, "rmdir '%s'%s", dir,
				       errno == EBUSY ? " (processes are still inside)" : "");
		sleep_ms(10);
	}
	mr_say("rmdir %s", dir);
	return 0;
}

void cg_disown_made(struct cg *cg)
{
	cg->n_made = 0;
}

int cg_remove(struct cg *cg, int timeout_ms, struct mr_err *err)
{
	long deadline = now_ms() + timeout_ms;
	int r = cg_populated(cg, err);

	if (r < 0)
		return -1;
	if (r > 0) {
		if (cg_kill(cg, SIGKILL, err) < 0)
			return -1;
		while ((r = cg_populated(cg, err)) > 0 && now_ms() < deadline)
			sleep_ms(5);
		if (r > 0)
			return cg_failx(err, EBUSY,
					"cgroup '%s' still has processes %d ms after "
					"SIGKILL (in uninterruptible sleep?)",
					cg->path, timeout_ms);
	}
	for (int i = 0; i < cg->n; i++)
		if (rmdir_tree(cg->node[i].dir, deadline, err) < 0)
			return -1;
	/* the intermediate directories we made, newest first; ones that now hold someone
	 * else's cgroups are not empty and stay */
	while (cg->n_made > 0) {
		const char *d = cg->made[--cg->n_made];
		if (rmdir(d) == 0)
			mr_say("rmdir %s", d);
	}
	return 0;
}

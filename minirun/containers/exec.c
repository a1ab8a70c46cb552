/*
 * minirun/containers/exec.c - `minirun exec [OPTIONS] CONTAINER COMMAND [ARG...]`: run another
 * process in a running container.
 *
 * The new process joins everything the container's init has: its namespaces (so it sees
 * the same hostname, network, and pid 1), its cgroup, root, capabilities and seccomp
 * filter. That is the OCI runtime's exec (ctr_exec, minirun/oci/exec.c); this verb only decides
 * which process to ask it for, as docker does: the container's own process from its
 * bundle's config.json, with
 *
 *	args     COMMAND [ARG...]
 *	env      the container's (the image's Env, then run's -e), then exec's -e / --env-file
 *	         (a later K=V replaces an earlier K); TERM=xterm with -t, as docker adds
 *	cwd      -w, else the container's WorkingDir
 *	user     -u NAME|UID[:GROUP|GID], looked up in the container's /etc/passwd and
 *	         /etc/group as run -u is (uid, gid, groups, HOME), else the container's user
 *	caps     --privileged: every capability
 *
 * handed to ctr_exec as a process.json in a memfd. Its exit status is exec's (127 when
 * COMMAND is not found, 126 when it can't be executed); -d returns once it runs; -t gives it
 * a pty whose master ctr_exec receives and relays to our terminal (raw mode, window size).
 * Without -t it never gets our own fds, which are the caller's files (relay.c): pipes that
 * we copy to and from ours, or /dev/null with -d, as docker discards a detached output.
 * -d -t, docker's detached process with a terminal: the master comes to us on a console
 * socket (the runtime's --console-socket), and a reader we leave behind drops the output
 * until the process ends (keep_draining); as docker, nothing of it is kept.
 *
 * The options (-d -i -t --detach-keys and the option table) are parsed by io_args.c, which
 * attach and logs share.
 *
 * See: https://docs.docker.com/reference/cli/docker/container/exec/, runc-exec(8),
 *      minirun/oci/exec.c (the joining, and why the runtime re-executes itself first).
 */
#include "lib/cleanup.h"
#include "lib/jsonfile.h"
#include "lib/file.h"
#include "lib/inroot.h"
#include "minirun/oci/runtime.h"
#include "minirun/containers/containers.h"
#include "minirun/containers/io_args.h"
#include "minirun/containers/io_proto.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* A growable NULL-terminated list of strings (owned). */
struct strv {
	char **v;
	size_t n;
};

static int strv_add(struct strv *l, const char *s)
{
	char **nv = realloc(l->v, (l->n + 2) * sizeof(char *));
	if (!nv)
		return -1;
	l->v = nv;
	if (!(l->v[l->n] = strdup(s)))
		return -1;
	l->v[++l->n] = NULL;
	return 0;
}

static void strv_free(struct strv *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* Add K=V to ENV (a JSON array of "K=V"), replacing an entry of the same K. "K" alone takes
 * K from our own environment, or is dropped (docker's -e K). */
static void env_set(json_t *env, const char *kv)
{
	_cleanup_free_ char *own = NULL;
	const char *eq = strchr(kv, '=');
	if (!eq) {
		const char *v = getenv(kv);
		if (!v || asprintf(&own, "%s=%s", kv, v) < 0)
			return;
		kv = own, eq = strchr(kv, '=');
	}
	size_t klen = (size_t)(eq - kv) + 1;
	size_t i;
	json_t *e;
	json_array_foreach(env, i, e)
	{
		const char *s = json_string_value(e);
		if (s && strncmp(s, kv, klen) == 0) {
			json_array_set_new(env, i, json_string(kv));
			return;
		}
	}
	json_array_append_new(env, json_string(kv));
}

/* --env-file FILE: a K=V (or K) a line; blank lines and # comments skipped. */
static int env_file(json_t *env, const char *path)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f) {
		fprintf(stderr, "minirun: open env file %s: %s\n", path, strerror(errno));
		return -1;
	}
	char line[8192];
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		const char *s = line + strspn(line, " \t");
		if (*s && *s != '#')
			env_set(env, s);
	}
	return 0;
}

/* env_has - does the environment ENV ("K=V" strings, NULL-terminated; NULL: none) set KEY? */
static bool env_has(char *const *env, const char *key)
{
	size_t n = strlen(key);
	for (size_t i = 0; env && env[i]; i++)
		if (strncmp(env[i], key, n) == 0 && env[i][n] == '=')
			return true;
	return false;
}

/*
 * set_user - -u NAME|UID[:GROUP|GID] into PROC (process.user, and HOME in its env), with
 * the rules `run -u` follows (container_resolve_user): the container's /etc/passwd and
 * /etc/group, read in-root below the init's root (/proc/PID/root), give the uid, the primary
 * gid (the passwd entry's, else 0), the supplementary groups and HOME. HOME is the user's
 * unless the container's Config.Env (the image's or run's -e) set it, as runc fills it in
 * only when the environment lacks it; exec's own -e is applied after this. -1 after a message.
 */
static int set_user(json_t *proc, struct container *c, pid_t pid, const char *spec)
{
	char root[64];
	struct container_user u;
	struct mr_err err = {0};
	snprintf(root, sizeof(root), "/proc/%d/root", (int)pid);
	if (container_resolve_user(root, spec, &u, &err) < 0) {
		fprintf(stderr, "minirun: %s\n", err.msg);
		return -1;
	}
	json_t *gids = json_array();
	for (size_t i = 0; i < u.ngids; i++)
		json_array_append_new(gids, json_integer(u.gids[i]));
	json_object_set_new(proc, "user",
			    json_pack("{s:I,s:I,s:o}", "uid", (json_int_t)u.uid, "gid",
				      (json_int_t)u.gid, "additionalGids", gids));
	if (!env_has(c->r.config.env, "HOME")) {
		char kv[300];
		snprintf(kv, sizeof(kv), "HOME=%s", u.home);
		env_set(json_object_get(proc, "env"), kv);
	}
	return 0;
}

/* --privileged: every capability the kernel has and we hold in our bounding set (a
 * capability we lack can't be given: the exec would fail on it), in bounding, effective and
 * permitted. Never inheritable (nor ambient): with a file capability on a program in the image,
 * an inheritable set would pass it to an unprivileged user's execve (CVE-2022-29162; run's
 * --privileged leaves it empty too, minirun/bundle/config.c). */
static void all_caps(json_t *proc)
{
	json_t *list = json_array();
	for (int cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++) {
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 0)
			continue;
		char *name = cap_to_name(cap);
		if (!name)
			break;
		char up[64];
		size_t i = 0;
		for (; i < sizeof(up) - 1 && name[i]; i++)
			up[i] = (char)((name[i] >= 'a' && name[i] <= 'z') ? name[i] - 32 : name[i]);
		up[i] = '\0';
		cap_free(name);
		if (strncmp(up, "CAP_", 4) == 0)
			json_array_append_new(list, json_string(up));
	}
	json_t *caps = json_object();
	static const char *const sets[] = {"bounding", "effective", "permitted"};
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
		json_object_set(caps, sets[i], list);
	json_decref(list);
	json_object_set_new(proc, "capabilities", caps);
}

/* Re-execute from a sealed copy of our binary before anything joins the container: a
 * process inside could otherwise reach our executable through /proc/PID/exe
 * (CVE-2019-5736). The full argv comes from /proc/self/cmdline, as the verb sees a part. */
static int reexec_sealed(struct mr_err *err)
{
	if (clone_exe_is_sealed())
		return 0;
	size_t len = 0;
	_cleanup_fclose_ FILE *f = fopen("/proc/self/cmdline", "re");
	if (!f)
		return mr_fail(err, errno, "read /proc/self/cmdline");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getdelim(&line, &cap, '\0', f);
	struct strv argv = {0};
	while (n > 0) {
		if (strv_add(&argv, line) < 0)
			break;
		len++;
		n = getdelim(&line, &cap, '\0', f);
	}
	free(line);
	int rc = len ? clone_exe_reexec(argv.v, err) : mr_fail(err, 0, "empty /proc/self/cmdline");
	strv_free(&argv);
	return rc;
}

/* The process.json for ctr_exec: the container's process with exec's changes; -1 after a
 * message. */
static json_t *exec_process(struct container *c, pid_t pid, char **cmd, json_t *env_args,
			    const char *user, const char *workdir, bool tty, bool privileged)
{
	char path[4096];
	json_error_t je;
	container_path(c, "bundle/config.json", path, sizeof(path));
	json_auto_t *config = mr_json_load_file(path, 0, &je);
	json_t *p = json_deep_copy(json_object_get(config, "process"));
	if (!p) {
		fprintf(stderr, "minirun: %s: %s\n", path, config ? "no process" : je.text);
		return NULL;
	}
	json_t *args = json_array();
	for (char **a = cmd; *a; a++)
		json_array_append_new(args, json_string(*a));
	json_object_set_new(p, "args", args);
	json_t *env = json_object_get(p, "env");
	if (!json_is_array(env)) {
		env = json_array();
		json_object_set_new(p, "env", env);
	}
	if (user && set_user(p, c, pid, user) < 0) {
		json_decref(p);
		return NULL;
	}
	for (size_t i = 0; i < json_array_size(env_args); i++)
		env_set(env, json_string_value(json_array_get(env_args, i)));
	if (tty) {
		bool has_term = false;
		for (size_t i = 0; i < json_array_size(env); i++) {
			const char *kv = json_string_value(json_array_get(env, i));
			has_term |= kv && strncmp(kv, "TERM=", 5) == 0;
		}
		if (!has_term)
			json_array_append_new(env, json_string("TERM=xterm"));
	}
	if (workdir)
		json_object_set_new(p, "cwd", json_string(workdir));
	json_object_set_new(p, "terminal", json_boolean(tty));
	struct winsize ws;
	if (tty && ioctl(0, TIOCGWINSZ, &ws) == 0)
		json_object_set_new(
			p, "consoleSize",
			json_pack("{s:i,s:i}", "height", ws.ws_row, "width", ws.ws_col));
	else
		json_object_del(p, "consoleSize");
	if (privileged)
		all_caps(p);
	return p;
}

/* ---- exec -d -t: a terminal nobody is attached to ------------------------------------- */

/* console_listen - a listening socket NAME in the directory DIRFD (bound through the
 * directory's fd, as sun_path is short), for the runtime's --console-socket. */
static int console_listen(int dirfd, const char *name, struct mr_err *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	io_short_path(dirfd, name, sa.sun_path, sizeof(sa.sun_path));
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	unlinkat(dirfd, name, 0); /* one an exec killed right here left */
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0)
		return mr_fail(err, errno, "listen on a console socket '%s'", name);
	return mr_steal_fd(&fd);
}

/*
 * keep_draining - take the pty master the runtime sent to the console socket LISTENFD, and
 * leave a reader on it that drops what it reads until the last holder of the terminal
 * closes it (read: EIO), as docker discards a detached exec's output. The terminal needs a
 * reader: with nobody reading, the process would block once the pty's buffer is full, and
 * with the master closed it would get SIGHUP. The reader is our grandchild, in a session of
 * its own, so that exec returns at once and nobody needs to reap it; it holds no fd of ours
 * but the master. Returns 0, or -1 with err.
 */
static int keep_draining(int listenfd, struct mr_err *err)
{
	/* the runtime connected before it forked (ctr_exec): the connection is queued */
	struct pollfd p = {listenfd, POLLIN, 0};
	if (poll(&p, 1, 1000) <= 0)
		return mr_fail(err, ETIMEDOUT, "the runtime sent no terminal");
	_cleanup_close_ int conn = accept4(listenfd, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0)
		return mr_fail(err, errno, "accept on the console socket");
	_cleanup_close_ int master = console_recv(conn, err);
	if (master < 0)
		return -1;
	pid_t child = fork();
	if (child < 0)
		return mr_fail(err, errno, "fork the terminal's reader");
	if (child == 0) {
		/* the double fork: the reader is nobody's child but init's (or a subreaper's),
		 * and not a session leader, so it never takes a controlling terminal */
		setsid();
		if (fork() != 0)
			_exit(0);
		/* it holds nothing of the caller's: not its cwd (a mount it would pin), and it
		 * says what it is in ps */
		if (chdir("/") < 0) {
			/* "/" is there */
		}
		prctl(PR_SET_NAME, "mr-exec-drain");
		int null = open("/dev/null", O_RDWR);
		for (int fd = 0; fd < 3; fd++)
			dup2(null, fd);
		dup2(master, 3);
		syscall(SYS_close_range, 4U, ~0U, 0U);
		char buf[8192];
		ssize_t n;
		while ((n = read(3, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
			;
		_exit(0);
	}
	int st;
	while (waitpid(child, &st, 0) < 0 && errno == EINTR)
		;
	mr_say("exec: a reader of ours drains the detached process's terminal");
	return 0;
}

/*
 * workdir_missing - is exec -w DIR not a directory the container's process could enter?
 * Then say so in docker's words (runc's "chdir to cwd" through containerd) and the caller
 * exits 126, docker's status for a process that could not be started. The runtime checks
 * the cwd again (a directory removed in between): there a missing one is ENOENT, which
 * exec_code reports as 127, the status this saves the user from. Not docker's quirk of
 * the "not to copy" list (126 for a missing command): a missing workdir is a start that
 * failed, which 126 means for a shell too.
 */
static bool workdir_missing(pid_t pid, const char *workdir)
{
	if (!workdir || !*workdir)
		return false;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/root", (int)pid);
	_cleanup_close_ int root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0) /* the container is gone: the runtime says so */
		return false;
	_cleanup_close_ int fd = mr_open_in_root(root, workdir, O_PATH | O_DIRECTORY, 0);
	if (fd >= 0 || (errno != ENOENT && errno != ENOTDIR))
		return false;
	char low[128];
	snprintf(low, sizeof(low), "%s", strerror(errno));
	low[0] = (char)tolower((unsigned char)low[0]); /* Go's error text is lower case */
	fprintf(stderr,
		"minirun: OCI runtime exec failed: exec failed: unable to start container "
		"process: chdir to cwd (\"%s\") set in config.json failed: %s: unknown\n",
		workdir, low);
	return true;
}

/* ---- the runtime's exec, and the process's stdio ----------------------------------------- */

struct exec_call {
	const char *oci_root;
	const struct ctr_exec_opts *x;
};

/* exec's exit code for ctr_exec's answer R: the command's status ST, or after a message
 * 127 (not found), 126 (can't be executed), 125 (minirun's own failure).
 * Not docker's: its exec exits 126 for a command that is not found too. Kept apart on
 * purpose (issue 22, "not to copy"): 127 is what a shell, `run`, runc and crun say for "not
 * found", and a script can only tell a typo from a missing execute bit when the two differ
 * (tests/differential/docker.cases: exec-notfound). */
static int exec_code(int r, int st, const struct mr_err *err)
{
	if (r == 0)
		return st;
	fprintf(stderr, "minirun: OCI runtime exec failed: %s\n", err->msg);
	return err->errnum == ENOENT ? MR_EXIT_NOT_FOUND
	       : (err->errnum == EACCES || err->errnum == ENOEXEC || err->errnum == EISDIR ||
		  err->errnum == EPERM)
		       ? MR_EXIT_CANNOT_EXEC
		       : MR_EXIT_RUNTIME;
}

/* call_exec - ctr_exec with our 0/1/2 as the process's (a pty's with -t, io_relay's pipes
 * without); returns exec's exit code (an int (*)(void *) for io_relay) */
static int call_exec(void *arg)
{
	const struct exec_call *e = arg;
	struct mr_err err = {0};
	int st = 0;
	int r = ctr_exec(e->oci_root, e->x, &st, &err);
	return exec_code(r, st, &err);
}

/*
 * call_detached - exec -d without -t: the process gets /dev/null as stdin, stdout and
 * stderr, as docker discards a detached exec's output; it runs on after we return, and
 * must hold none of our files all that time. Our own 0/1/2 come back before a message.
 */
static int call_detached(const struct exec_call *e)
{
	struct mr_err err = {0};
	int saved[3], st = 0;
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0) {
		fprintf(stderr, "minirun: exec -d: open /dev/null: %s\n", strerror(errno));
		return MR_EXIT_RUNTIME;
	}
	fflush(NULL);
	for (int i = 0; i < 3; i++) {
		saved[i] = fcntl(i, F_DUPFD_CLOEXEC, 3);
		dup2(null, i);
	}
	close(null);
	int r = ctr_exec(e->oci_root, e->x, &st, &err);
	for (int i = 0; i < 3; i++) {
		if (saved[i] >= 0)
			dup2(saved[i], i), close(saved[i]);
		else
			close(i);
	}
	return exec_code(r, st, &err);
}

/* exec's own options */
struct exec_opts {
	json_t *env; /* -e and --env-file, in order */
	const char *user, *workdir;
	bool privileged;
};

enum { OPT_ENV_FILE = IO_OPT_OWN, OPT_PRIVILEGED };

static const struct io_flag exec_flags[] = {
	IO_FLAG_DETACH,
	{"detach-keys", 0, required_argument, IO_OPT_DETACH_KEYS, "string",
	 "Checked, then unused: exec -t relays the terminal directly"},
	{"env", 'e', required_argument, 'e', "list", "Set environment variables"},
	{"env-file", 0, required_argument, OPT_ENV_FILE, "list",
	 "Read in a file of environment variables"},
	IO_FLAG_INTERACTIVE,
	{"privileged", 0, no_argument, OPT_PRIVILEGED, NULL,
	 "Give extended privileges to the command"},
	IO_FLAG_TTY,
	{"user", 'u', required_argument, 'u', "string",
	 "Username or UID (format: \"<name|uid>[:<group|gid>]\")"},
	{"workdir", 'w', required_argument, 'w', "string",
	 "Working directory inside the container"},
	{NULL, 0, 0, 0, NULL, NULL},
};

static int exec_flag(void *ctx, int val, const char *arg)
{
	struct exec_opts *o = ctx;
	switch (val) {
	case 'e': json_array_append_new(o->env, json_string(arg)); return 0;
	case OPT_ENV_FILE: return env_file(o->env, arg);
	case 'u': o->user = arg; return 0;
	case 'w':
		if (arg[0] != '/') {
			fprintf(stderr,
				"minirun: the working directory '%s' is invalid, it needs to be an "
				"absolute path\n",
				arg);
			return -1;
		}
		o->workdir = arg;
		return 0;
	case OPT_PRIVILEGED: o->privileged = true; return 0;
	}
	return -1;
}

int cmd_exec(int argc, char **argv)
{
	json_auto_t *env = json_array();
	struct exec_opts o = {.env = env};
	const struct io_verb verb = {
		.name = "exec",
		.synopsis = "[OPTIONS] CONTAINER COMMAND [ARG...]",
		.about = "Execute a command in a running container",
		.min_operands = 2,
		.max_operands = -1,
		.flags = exec_flags,
		.own = exec_flag,
		.ctx = &o,
	};
	struct io_args a;
	struct mr_err err = {0};
	int rc;
	if (!io_parse_args(&verb, argc, argv, &a, &rc))
		return rc;
	if (reexec_sealed(&err) < 0) {
		fprintf(stderr, "minirun: %s\n", err.msg);
		return MR_EXIT_RUNTIME;
	}
	struct container c = {.lockfd = -1};
	/* docker's CLI exits 1 for what its daemon refuses: no such container, or one that
	 * is not running; 125 stays for our own failures */
	if (container_open(containers_root(), a.operands[0], false, &c, &err) < 0) {
		fprintf(stderr, "minirun: %s\n", err.msg);
		return err.kind == MR_E_NOT_FOUND ? 1 : MR_EXIT_RUNTIME;
	}
	rc = 1;
	_cleanup_free_ char *text = NULL;
	_cleanup_close_ int mfd = -1, dirfd = -1, console = -1;
	char sock[64] = "", spath[128], exec_id[CONTAINER_ID_LEN + 1] = "";
	enum container_state status = container_status(&c);
	pid_t pid = container_pid(&c);
	if (status == CONTAINER_PAUSED) {
		/* docker names it as typed here (and by its ID when it is not running) */
		fprintf(stderr,
			"minirun: Container %s is paused, unpause the container before "
			"exec\n",
			a.operands[0]);
		goto out;
	}
	if (status != CONTAINER_RUNNING || pid <= 0) {
		fprintf(stderr, "minirun: Container %s is not running\n", c.id);
		goto out;
	}
	if (workdir_missing(pid, o.workdir)) {
		rc = MR_EXIT_CANNOT_EXEC;
		goto out;
	}
	rc = MR_EXIT_RUNTIME;
	json_t *proc =
		exec_process(&c, pid, a.operands + 1, env, o.user, o.workdir, a.tty, o.privileged);
	if (!proc)
		goto out;
	/* the process.json lives in a memfd: nothing to clean up, whatever happens to us */
	text = json_dumps(proc, JSON_COMPACT);
	json_decref(proc);
	mfd = memfd_create("minirun-exec-process", MFD_CLOEXEC);
	if (!text || mfd < 0 || write(mfd, text, strlen(text)) != (ssize_t)strlen(text)) {
		fprintf(stderr, "minirun: write the exec process: %s\n", strerror(errno));
		goto out;
	}
	char pfile[64], oci_root[4096];
	snprintf(pfile, sizeof(pfile), "/proc/self/fd/%d", mfd);
	container_oci_root(c.root, oci_root, sizeof(oci_root));
	struct ctr_exec_opts x = {
		.id = c.id, .process_file = pfile, .tty = a.tty, .detach = a.detach};
	struct exec_call call = {.oci_root = oci_root, .x = &x};
	mr_say("exec: %s in container %.12s", a.operands[1], c.id);
	container_exec_events(&c, a.operands + 1, exec_id); /* exec_create, exec_start */
	if (!a.tty && !a.detach) {
		/* pipes, never our own fds (relay.c); with -i our stdin is copied in */
		rc = io_relay(a.interactive, call_exec, &call, &err);
		if (rc < 0) {
			fprintf(stderr, "minirun: exec: %s\n", err.msg);
			rc = MR_EXIT_RUNTIME;
		}
		goto out;
	}
	if (!a.tty) {
		rc = call_detached(&call);
		goto out;
	}
	/* docker gives a process without -i an empty stdin, not ours (with -t too: its
	 * terminal shows output, our keystrokes don't reach it) */
	if (!a.interactive) {
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (null >= 0)
			dup2(null, 0), close(null);
	}
	if (a.detach) {
		/* exec -d -t: the runtime sends the new pty's master to a console socket */
		snprintf(sock, sizeof(sock), "exec-console-%d.sock", (int)getpid());
		char run[4096];
		dirfd = open(containers_run_dir(c.root, c.id, run, sizeof(run)),
			     O_PATH | O_DIRECTORY | O_CLOEXEC);
		console = dirfd < 0 ? -1 : console_listen(dirfd, sock, &err);
		if (console < 0) {
			fprintf(stderr, "minirun: exec -d -t: %s\n",
				dirfd < 0 ? strerror(errno) : err.msg);
			sock[0] = '\0';
			goto out;
		}
		x.console_socket = io_short_path(dirfd, sock, spath, sizeof(spath));
	}
	/* -t: the runtime relays the pty to our terminal (or hands -d's master to us) */
	rc = call_exec(&call);
	if (console >= 0)
		unlinkat(dirfd, sock, 0); /* the runtime has connected, or never will */
	if (rc == 0 && console >= 0 && keep_draining(console, &err) < 0) {
		/* the process runs, but its terminal has no reader: say so, as a failure */
		fprintf(stderr, "minirun: exec -d -t: %s\n", err.msg);
		rc = MR_EXIT_RUNTIME;
	}
out:
	if (exec_id[0] && !a.detach) /* a detached one's end is nobody's to see */
		container_event(&c, "exec_die", "execID", exec_id, "exitCode",
				CONTAINER_EVENT_NUM(rc));
	container_close(&c);
	return rc;
}

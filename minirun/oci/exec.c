/*
 * minirun/oci/exec.c - run another process in a running container (ctr_exec, see runtime.h).
 *
 * The new process must end up exactly where the container's own are: in each of its
 * namespaces (setns to the init's /proc/PID/ns files, user first, mount last), in its
 * cgroup, under its seccomp filter, capabilities and rlimits, inside its root. As in
 * create, joining a pid namespace only affects children, so a first child joins and forks
 * the process proper, which becomes a child of ours again through PR_SET_CHILD_SUBREAPER.
 * The process description is config.json's "process", with --process FILE or the command
 * line args, cwd, env and user in its place.
 *
 * See: runc-exec(8), setns(2), runtime-spec config.md "Process".
 */
#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/oci/cgstep.h"
#include "minirun/oci/runtime.h"
#include "minirun/oci/setup.h"
#include "ns/ns.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* The process to run: a --process file, or config.json's process with the overrides. */
static int build_process(const struct spec *s, const struct ctr_exec_opts *o,
			 struct spec_process *p, json_t **doc, char ***env_owned,
			 struct mr_err *err)
{
	if (o->process_file) {
		json_error_t je;
		_cleanup_free_ char *text = NULL;
		if (mr_read_file(o->process_file, &text, NULL, err) < 0)
			return -1;
		*doc = json_loads(text, 0, &je);
		if (!*doc)
			return mr_fail(err, 0, "%s:%d:%d: malformed JSON: %s", o->process_file,
				       je.line, je.column, je.text);
		return spec_parse_process(*doc, NULL, o->process_file, p, err);
	}
	*p = s->proc;
	p->args = o->args;
	p->gids = NULL, p->ngids = 0; /* the config's groups go with its user */
	p->terminal = o->tty;
	if (o->cwd)
		p->cwd = o->cwd;
	if (o->user) {
		unsigned uid, gid = 0;
		int n = sscanf(o->user, "%u:%u", &uid, &gid);
		if (n < 1)
			return mr_fail(err, 0, "--user must be UID[:GID], not '%s'", o->user);
		p->uid = uid, p->gid = n == 2 ? gid : 0;
	} else {
		p->gids = s->proc.gids, p->ngids = s->proc.ngids;
	}
	size_t n0 = 0, n1 = 0;
	while (s->proc.env && s->proc.env[n0])
		n0++;
	while (o->env && o->env[n1])
		n1++;
	char **env = calloc(n0 + n1 + 1, sizeof(char *));
	if (!env)
		return mr_fail(err, ENOMEM, "env");
	if (n0) /* memcpy from NULL is undefined even for 0 bytes */
		memcpy(env, s->proc.env, n0 * sizeof(char *));
	if (n1)
		memcpy(env + n0, o->env, n1 * sizeof(char *));
	p->env = *env_owned = env;
	for (char **c = o->cap_add; c && *c; c++) {
		int cap = spec_cap_from_name(*c);
		if (cap < 0)
			return mr_fail(err, 0, "--cap '%s' is not a capability name", *c);
		for (int set = 0; set < SPEC_NCAPSETS; set++)
			if (set != CAPS_INHERITABLE && set != CAPS_AMBIENT)
				p->caps[set] |= 1ULL << cap;
	}
	if (o->no_new_privs)
		p->no_new_privs = true;
	return 0;
}

/* The child: join, fork, set the process up, exec. Never returns. */
static void __attribute__((noreturn))
exec_child(pid_t init, const struct spec_process *p, const struct seccomp_prog *filter, int sync,
	   int console, int preserve)
{
	struct mr_err err = {0};
	struct sync_msg m;
	char exe[4096];
	int all = 0;
	for (const struct ns_type *t = ns_types; t->name; t++)
		all |= t->flag;
	if (sync_expect(sync, SYNC_GO, &m, &err) < 0)
		_exit(1);
	if (ns_join(init, all, &err) < 0)
		goto fail;
	pid_t pid = fork();
	if (pid < 0) {
		mr_fail(&err, errno, "fork");
		goto fail;
	}
	if (pid > 0) {
		sync_send(sync, SYNC_PID, pid, NULL);
		_exit(0);
	}
	/* speak only after the parent has our pid: our messages and our parent's share a socket */
	if (sync_expect(sync, SYNC_GO, &m, &err) < 0)
		_exit(1);
	if (p->terminal) {
		int master, slave;
		_cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (console_open(p, root, &master, &slave, &err) < 0 ||
		    console_send(console, master, &err) < 0)
			goto fail;
		close(master);
		if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0) {
			mr_fail(&err, errno, "make the pty our controlling terminal");
			goto fail;
		}
		for (int fd = 0; fd < 3; fd++)
			dup2(slave, fd);
		if (slave > 2)
			close(slave);
	}
	if (console >= 0)
		close(console);
	if (proc_rlimits(p, &err) < 0 || proc_oom_score(p, &err) < 0 ||
	    proc_chdir(p->cwd, &err) < 0 ||
	    proc_lookup(p->args[0], p->env, exe, sizeof(exe), &err) < 0)
		goto fail;
	if (!p->no_new_privs && seccomp_install(filter, &err) < 0)
		goto fail;
	if (caps_bounding(p, &err) < 0 || proc_user(p, &err) < 0 || caps_apply(p, &err) < 0)
		goto fail;
	if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		mr_fail(&err, errno, "prctl(PR_SET_NO_NEW_PRIVS)");
		goto fail;
	}
	if (p->no_new_privs && seccomp_install(filter, &err) < 0)
		goto fail;
	if (proc_close_fds(preserve, &err) < 0)
		goto fail;
	/* the last word before exec: "ready"; the socket is close-on-exec, so the parent
	 * reads EOF when exec succeeded and an error message when it did not */
	static char *const empty[] = {NULL};
	execve(exe, p->args, p->env ? p->env : empty);
	mr_fail(&err, errno, "exec '%s'", exe);
fail:
	sync_send(sync, SYNC_ERR, err.errnum, err.msg);
	_exit(err.errnum == ENOENT ? MR_EXIT_NOT_FOUND : MR_EXIT_CANNOT_EXEC);
}

int ctr_exec(const char *root, const struct ctr_exec_opts *o, int *status, struct mr_err *err)
{
	struct ctr_state st;
	struct spec_process p;
	json_t *doc = NULL;
	_cleanup_free_ char **env = NULL;
	struct seccomp_prog *filter = NULL;
	struct spec *s = NULL;
	int sv[2] = {-1, -1}, pair[2] = {-1, -1}, console = -1, rc = -1;
	pid_t child = -1, pid = -1;

	if (state_load(root, o->id, &st, err) < 0)
		return -1;
	if (strcmp(st.status, "running") != 0 && strcmp(st.status, "created") != 0) {
		mr_fail(err, 0, "cannot exec in a %s container", st.status);
		goto out;
	}
	if (!(s = spec_load(st.bundle, err)) || seccomp_prepare(s, root, &filter, err) < 0 ||
	    build_process(s, o, &p, &doc, &env, err) < 0)
		goto out;
	if (o->tty && o->console_socket) {
		if ((console = console_connect(o->console_socket, err)) < 0)
			goto out;
	} else if (o->tty) {
		if (o->detach) {
			mr_fail(err, 0, "exec --tty --detach needs --console-socket");
			goto out;
		}
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0) {
			mr_fail(err, errno, "socketpair");
			goto out;
		}
		console = pair[1];
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		mr_fail(err, errno, "socketpair");
		goto out;
	}
	if (!o->detach)
		prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	/* born in the container's cgroup: no migration (see cgstep_clone) */
	child = cgstep_clone(st.cgroup && *st.cgroup ? st.cgroup : NULL, 0, err);
	if (child < 0)
		goto out;
	if (child == 0) {
		close(sv[0]);
		exec_child(st.pid, &p, filter, sv[1], console, o->preserve_fds);
	}
	close(sv[1]);
	sv[1] = -1;
	if (console >= 0 && pair[1] == console)
		pair[1] = -1;
	if (console >= 0)
		close(console);
	console = -1;
	struct sync_msg m;
	sync_send(sv[0], SYNC_GO, 0, NULL);
	if (sync_expect(sv[0], SYNC_PID, &m, err) < 0)
		goto out;
	pid = m.pid;
	waitpid(child, NULL, 0);
	child = -1;
	sync_send(sv[0], SYNC_GO, 0, NULL);
	/* EOF means the exec happened (the socket closed with it); a message is a failure */
	ssize_t n = recv(sv[0], &m, sizeof(m), 0);
	if (n > 0 && m.type == SYNC_ERR) {
		mr_fail(err, 0, "%s", m.text);
		err->errnum = m.pid; /* the child's errno: 127 or 126 for the caller */
		waitpid(pid, NULL, 0);
		pid = -1;
		goto out;
	}
	if (o->pid_file) {
		char buf[32];
		snprintf(buf, sizeof(buf), "%d", (int)pid);
		if (mr_replace_file(o->pid_file, buf, 0644, err) < 0)
			goto out;
	}
	rc = 0;
	*status = 0;
	if (o->detach)
		goto out;
	if (pair[0] >= 0) {
		int master = console_recv(pair[0], err);
		*status = master >= 0 ? console_proxy(master, pid) : 1;
	} else if (ctr_wait(pid, status) < 0)
		*status = 1;
	pid = -1;
out:
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	for (int i = 0; i < 2; i++) {
		if (sv[i] >= 0)
			close(sv[i]);
		if (pair[i] >= 0)
			close(pair[i]);
	}
	if (console >= 0)
		close(console);
	seccomp_prog_free(filter);
	if (doc) {
		spec_process_free(&p);
		json_decref(doc);
	}
	spec_free(s);
	state_free(&st);
	return rc;
}

/*
 * minirun/containers/commands.c - the lifecycle verbs: run create start stop kill restart
 * rm pause unpause wait (the table container_commands[], dispatched by minirun/main.c;
 * wait's code, with --condition, is wait.c).
 *
 * Each verb is a thin layer over lifecycle.c: parse docker's flags, open each container
 * named (by name, ID or ID prefix) with its lock, act, print what docker prints. Exit
 * status as docker's: `run` and `create` 125 when minirun fails, 126/127 when the command
 * can't be executed / is not found, else the container's own; the other verbs 1 when one
 * of their containers failed (each is still tried).
 *
 *   minirun --root /tmp/s run --rm busybox echo hi
 *   minirun --root /tmp/s run -d --name web busybox httpd -f
 *   minirun --root /tmp/s stop -t 2 web && minirun --root /tmp/s rm web
 *
 * See: README.md here; https://docs.docker.com/reference/cli/docker/container/
 */
#include "lib/cli.h"
#include "lib/err.h"
#include "lib/file.h"
#include "minirun/oci/runtime.h"
#include "minirun/bundle/bundle.h"
#include "minirun/containers/health.h"
#include "minirun/containers/lifecycle.h"
#include "minirun/image/image.h"
#include "minirun/image/registry.h" /* registry_curl_load: --pull */
#include "minirun/network/network.h"
#include "lib/sig.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* one error line, docker's way: "minirun: MSG" */
static int fail(const struct mr_err *err, int code)
{
	return mr_err_report(err, code);
}

/* ---- run, create -------------------------------------------------------------------------- */

/* the exit status of a failed start, as docker maps it */
static int start_status(const struct mr_err *err)
{
	return err->errnum == ENOENT   ? MR_EXIT_NOT_FOUND
	       : err->errnum == EACCES ? MR_EXIT_CANNOT_EXEC
				       : MR_EXIT_RUNTIME;
}

/* the image's name as docker shows it in messages: "busybox:latest" */
static void familiar_name(const char *image, char *buf, size_t len)
{
	struct image_ref ref;
	char canon[1024];
	if (ref_parse(image, &ref, NULL) == 0) {
		ref_canonical(&ref, canon, sizeof(canon));
		ref_familiar_name(canon, buf, len);
	} else
		snprintf(buf, len, "%s", image);
}

/*
 * pull - `minirun pull IMAGE` for run/create (--pull always, or missing and not here). It
 * says what it does on stderr, as docker's run does ("1: Pulling from ...", the layers,
 * "Digest: ...", "Status: ..."): stdout is the container's output (or the ID of -d), which
 * a script reads.
 */
static int pull(const struct container_opts *o, struct mr_err *err)
{
	struct store st;
	struct pull_opts po = {.platform = o->platform, .out = stderr};
	if (store_open(&st, containers_root(), err) < 0)
		return -1;
	if (registry_curl_load(err) < 0) {
		store_close(&st);
		return -1;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = image_pull(&st, o->image, &po, err);
	store_close(&st);
	return rc < 0 ? -1 : 0;
}

/*
 * create - resolve (and, per --pull, pull) the image, check what only the host can tell
 * (devices, ulimits: hostflags.c), create the container (its record carries those flags). docker's
 * words for a missing image: "Unable to find image 'x:latest' locally", then the pull;
 * with --pull never, "No such image: x:latest". On failure nothing is left.
 */
/* image_missing - is NAME not in the image store? (A "not found" from container_create may
 * be the image's, which a pull can mend, or another object's, such as a --network that does
 * not exist, which it can't: the store decides, not the message.) */
static bool image_missing(const char *name)
{
	struct store st;
	if (image_open_store(&st) != 0)
		return false;
	struct image img = {0};
	int r = image_resolve(&st, name, &img, NULL);
	if (r == 0)
		image_free(&img);
	store_close(&st);
	return r < 0;
}

static int create_container(struct container_opts *o, struct container *c, struct mr_err *err)
{
	char familiar[1024];
	familiar_name(o->image, familiar, sizeof(familiar));
	if (container_hostflags_check(o, err) < 0 || container_resources_host_check(o, err) < 0 ||
	    container_ns_targets_check(containers_root(), o, false, err) < 0)
		return -1;
	/* a reference docker's CLI cannot parse is refused before anything, in its words
	 * (run: 125 and the See line, create: 1), not looked for and pulled; an image ID
	 * the store knows is no reference but is fine */
	struct image_ref ref;
	struct mr_err why = {0};
	if (ref_parse(o->image, &ref, &why) < 0 && image_missing(o->image)) {
		mr_failk(err, MR_E_INVALID, 0, "%s", why.msg);
		return -1;
	}
	if (o->pull_always && pull(o, err) < 0)
		return -1;
	int rc = container_create(containers_root(), o, c, err);
	if (rc < 0 && err->kind == MR_E_NOT_FOUND && image_missing(o->image)) {
		if (o->pull_never) {
			mr_failk(err, MR_E_NOT_FOUND, 0, "No such image: %s", familiar);
			err->errnum = ENOENT;
			return -1;
		}
		fprintf(stderr, "Unable to find image '%s' locally\n", familiar);
		struct mr_err why = {0};
		if (pull(o, &why) < 0) {
			mr_failk(err, MR_E_NOT_FOUND, 0,
				 "No such image: %s (and pulling it failed: %s)", familiar,
				 why.msg);
			err->errnum = ENOENT;
			return -1;
		}
		rc = container_create(containers_root(), o, c, err);
	}
	return rc < 0 ? -1 : 0;
}

/* create_container, with --cidfile's file made first and its ID written after (cidfile.c) */
static int create(struct container_opts *o, struct container *c, struct mr_err *err)
{
	int cid = -1;
	if (o->cidfile && (cid = container_cidfile_open(o->cidfile, err)) < 0)
		return -1;
	int rc = create_container(o, c, err);
	if (cid >= 0 && container_cidfile_close(cid, o->cidfile, rc == 0 ? c->id : NULL,
						rc == 0 ? err : &(struct mr_err){0}) < 0) {
		container_remove(c, true, true, NULL); /* as it never was */
		container_close(c);
		return -1;
	}
	return rc;
}

static int parse_run_opts(int argc, char **argv, struct container_opts *o)
{
	struct mr_err err = {0};
	bool help = false;
	if (container_opts_parse(argc, argv, o, &help, &err) < 0) {
		/* what docker's daemon refuses (a bad name, restart policy): `create` says it
		 * in one line and exits 1, `run` adds where to look and exits 125, as docker's
		 * CLI does with the daemon's answer */
		bool create = strcmp(argv[0], "create") == 0;
		if (err.kind == MR_E_INVALID && create) {
			fprintf(stderr, "minirun: %s\n", err.msg);
			return 1;
		}
		fprintf(stderr, "minirun: %s\nSee 'minirun %s --help'.\n", err.msg, argv[0]);
		/* docker's CLI: no IMAGE (an operand count) exits 1, a refused flag 125 */
		return err.kind == MR_E_USAGE ? MR_EXIT_OPERANDS : MR_EXIT_RUNTIME;
	}
	if (help) {
		container_opts_usage(argv[0], stdout);
		return 0;
	}
	return -1;
}

static int cmd_create(int argc, char **argv)
{
	struct container_opts o = {0};
	struct container c;
	struct mr_err err = {0};
	int rc = parse_run_opts(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (create(&o, &c, &err) < 0) /* docker's create exits 1 for a name in use or a bad
					 * reference; run 125 */
		rc = fail(&err, err.kind == MR_E_CONFLICT || err.kind == MR_E_INVALID
					? 1
					: MR_EXIT_RUNTIME);
	else {
		printf("%s\n", c.id);
		container_close(&c);
		rc = 0;
	}
	container_opts_free(&o);
	return rc;
}

static int cmd_run(int argc, char **argv)
{
	struct container_opts o = {0};
	struct container c;
	struct mr_err err = {0};
	int code = 0;
	int rc = parse_run_opts(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (!o.detach && o.tty && o.interactive && !isatty(0)) {
		/* before anything is made: the attach would refuse it after the start */
		fprintf(stderr, "minirun: the input device is not a TTY\n");
		container_opts_free(&o);
		return 1;
	}
	/* run starts at once: --pid/--ipc/--uts container:X not running is refused before
	 * anything is made (docker's run leaves a created container behind; nsjoin.c) */
	if (container_ns_targets_check(containers_root(), &o, true, &err) < 0) {
		rc = fail(&err, MR_EXIT_RUNTIME);
		goto out;
	}
	/* the monitor's exec and start on the second CPU while this one makes the container
	 * (monitor_spawn.c, "The early monitor") */
	monitor_prespawn(containers_root(), !o.detach);
	if (create(&o, &c, &err) < 0) {
		monitor_prespawn_cancel();
		/* docker's CLI adds where to look to an error of run's create step (a name
		 * in use, a missing image); `create` does not, nor does run for a network that
		 * is not there (docker finds that out at the start, minirun at the create) */
		rc = fail(&err, MR_EXIT_RUNTIME);
		json_t *net = o.network ? network_load(network_root(), o.network, NULL) : NULL;
		bool no_net = o.network && !net && strcmp(o.network, "host") &&
			      strcmp(o.network, "none") && strcmp(o.network, "bridge") &&
			      strcmp(o.network, "default") && strncmp(o.network, "container:", 10);
		json_decref(net);
		if (!no_net)
			fprintf(stderr, "See 'minirun run --help'.\n");
		goto out;
	}
	if (!o.detach) /* docker's order: attach, then start */
		container_event(&c, "attach");
	if (container_start(&c, !o.detach, &err) < 0) {
		rc = fail(&err, start_status(&err));
		if (o.rm)
			container_remove(&c, true, true, NULL);
		container_close(&c);
		goto out;
	}
	/* The ID only now that the container runs. Not docker's: its `run -d` prints the ID
	 * of a container whose start then fails (then the error, status 125/126/127). Kept
	 * apart on purpose (issue 22, "not to copy"): `id=$(minirun run -d ...)` never holds a
	 * container that is not running, and the error alone says what happened
	 * (tests/differential/docker.cases: run-d-fails-id). */
	if (o.detach) {
		printf("%s\n", c.id);
		container_close(&c);
		rc = 0;
		goto out;
	}
	/* no output is lost: the monitor reads the container's pipes only once we are here
	 * (with -t, it starts the process only then) */
	close(c.lockfd);
	c.lockfd = -1;
	if (container_attach(&c, o.interactive, o.tty, o.detach_keys, &code, &err) < 0)
		rc = fail(&err, MR_EXIT_RUNTIME);
	else
		rc = code < 0 ? 0 : code; /* -1: detached with the keys */
	container_close(&c);
out:
	container_opts_free(&o);
	return rc;
}

/* ---- the verbs over existing containers --------------------------------------------------- */

/* A verb acting on each container named: FN gets it opened and locked. */
struct each {
	int (*fn)(struct container *c, const struct each *e, struct mr_err *err);
	int timeout, sig;
	bool force, volumes, attach;
	const char *ref;  /* the container as the user typed it, set by for_each */
	const char *what; /* docker's prefix for any failure of this verb ("Cannot kill
			   * container"), followed by the ref; NULL: none */
};

/* run E on each REF; print the REF of each success (docker prints what it was given) */
static int for_each(char **refs, int n, const struct each *e, bool print)
{
	int rc = 0;
	for (int i = 0; i < n; i++) {
		struct container c;
		struct mr_err err = {0};
		struct each one = *e;
		one.ref = refs[i];
		if (container_open(containers_root(), refs[i], true, &c, &err) < 0 ||
		    e->fn(&c, &one, &err) < 0) {
			if (e->what)
				fprintf(stderr, "minirun: %s: %s: %s\n", e->what, refs[i], err.msg);
			else
				fprintf(stderr, "minirun: %s\n", err.msg);
			rc = 1;
		} else if (print)
			printf("%s\n", refs[i]);
		container_close(&c);
	}
	return rc;
}

static int do_start(struct container *c, const struct each *e, struct mr_err *err)
{
	return container_start(c, e->attach, err);
}
static int do_stop(struct container *c, const struct each *e, struct mr_err *err)
{
	return container_stop_sig(c, e->sig, e->timeout, err);
}
static int do_restart(struct container *c, const struct each *e, struct mr_err *err)
{
	if (container_stop(c, e->timeout, err) < 0)
		return -1;
	if (c->lockfd < 0)
		return mr_fail(err, 0, "No such container: %.12s", c->id);
	if (container_start(c, false, err) < 0)
		return -1;
	container_event(c, "restart");
	return 0;
}
static int do_rm(struct container *c, const struct each *e, struct mr_err *err)
{
	return container_remove(c, e->force, e->volumes, err);
}
static int do_kill(struct container *c, const struct each *e, struct mr_err *err)
{
	char oci[4400];
	/* for_each puts "Cannot kill container: REF: " before these, REF as typed (docker) */
	enum container_state s = container_status(c);
	if (s == CONTAINER_PAUSED)
		return mr_fail(err, 0,
			       "Container %s is paused. Unpause the container before stopping "
			       "or killing",
			       c->id);
	if (s != CONTAINER_RUNNING)
		return mr_fail(err, 0, "Container %s is not running", c->id);
	if (ctr_kill(container_oci_root(c->root, oci, sizeof(oci)), c->id, e->sig, false, err) < 0)
		return -1;
	container_event(c, "kill", "signal", CONTAINER_EVENT_NUM(e->sig));
	container_reap_orphan(c, 1000); /* no monitor to clean up after it: we do */
	return 0;
}
/* pause and unpause: the cgroup freezer, through the OCI runtime; the record follows */
static int do_pause(struct container *c, const struct each *e, struct mr_err *err)
{
	char oci[4400];
	bool pause = e->force; /* reused: true = pause */
	enum container_state want = pause ? CONTAINER_RUNNING : CONTAINER_PAUSED;
	enum container_state now = container_status(c);
	if (pause && now == CONTAINER_PAUSED)
		return mr_fail(err, 0, "Container %s is already paused", c->id);
	if (now != want)
		return mr_fail(err, 0, "Container %s is not %s", c->id, container_state_name(want));
	if (ctr_pause(container_oci_root(c->root, oci, sizeof(oci)), c->id, pause, err) < 0)
		return -1;
	c->r.state.status = pause ? CONTAINER_PAUSED : CONTAINER_RUNNING;
	if (pause)
		health_record_stop(&c->r); /* docker's check stops while paused: "unhealthy" */
	if (container_save(c, err) < 0)
		return -1;
	container_event(c, pause ? "pause" : "unpause");
	return 0;
}

/* parse the verb's flags with OPTS (getopt_long); -1 on a bad flag */
static int verb_flags(int argc, char **argv, const char *shorts, const struct option *opts,
		      struct each *e, const char *usage)
{
	int ch;
	char optstring[32];
	snprintf(optstring, sizeof(optstring), ":%s", shorts); /* ':' tells a missing value */
	optind = 0;
	opterr = 0; /* a refused flag is reported below, in docker's words */
	while ((ch = getopt_long(argc, argv, optstring, opts, NULL)) != -1) {
		long long n;
		switch (ch) {
		case 't':
			if (mr_parse_ll(optarg, 0, 1 << 30, &n) < 0) {
				/* docker's CLI: Go's parse error, then where to look; 125 */
				fprintf(stderr,
					"minirun: invalid argument \"%s\" for \"-t, --time\" flag: "
					"strconv.ParseInt: parsing \"%s\": invalid syntax"
					"\nSee 'minirun %s --help'.\n",
					optarg, optarg, argv[0]);
				return -2;
			}
			e->timeout = (int)n;
			break;
		case 's':
			if ((e->sig = mr_sig_parse(optarg)) <= 0) {
				fprintf(stderr, "minirun: Invalid signal: %s\n", optarg);
				return -1;
			}
			break;
		case 'f': e->force = true; break;
		case 'v': e->volumes = true; break;
		case 'a': e->attach = true; break;
		case 'i': break; /* start -i: stdin comes with -a here */
		case 'h': printf("%s", usage); return 0;
		default: mr_flag_error(ch, argv[0], argv); return -2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "minirun: \"%s\" requires at least 1 argument.\n%s", argv[0],
			usage);
		return -1;
	}
	return 1;
}

#define V_RC(r) ((r) < 0 ? 1 : 0)

static int verb(int argc, char **argv, const char *shorts, const struct option *opts,
		struct each *e, const char *usage, bool print)
{
	int r = verb_flags(argc, argv, shorts, opts, e, usage);
	if (r <= 0)
		return r == -2 ? MR_EXIT_RUNTIME : V_RC(r);
	return for_each(argv + optind, argc - optind, e, print);
}

static const struct option o_time[] = {
	{"time", required_argument, NULL, 't'},
	{"timeout", required_argument, NULL, 't'}, /* docker 25's name */
	{"signal", required_argument, NULL, 's'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0}};

static int cmd_stop(int argc, char **argv)
{
	struct each e = {.fn = do_stop, .timeout = -1};
	return verb(argc, argv, "t:s:h", o_time, &e,
		    "Usage:  minirun stop [OPTIONS] CONTAINER [CONTAINER...]\n\n"
		    "  -s, --signal string   signal to send (default: the container's StopSignal)\n"
		    "  -t, --time int        seconds before SIGKILL (default 10; or --timeout)\n",
		    true);
}

static int cmd_restart(int argc, char **argv)
{
	struct each e = {.fn = do_restart, .timeout = -1};
	return verb(argc, argv, "t:h", o_time, &e,
		    "Usage:  minirun restart [OPTIONS] CONTAINER [CONTAINER...]\n\n"
		    "  -t, --time int   seconds to wait before killing it (default 10)\n",
		    true);
}

static int cmd_kill(int argc, char **argv)
{
	struct each e = {.fn = do_kill, .sig = SIGKILL, .what = "Cannot kill container"};
	return verb(argc, argv, "s:h", o_time, &e,
		    "Usage:  minirun kill [OPTIONS] CONTAINER [CONTAINER...]\n\n"
		    "  -s, --signal string   signal to send (default \"KILL\")\n",
		    true);
}

static int cmd_rm(int argc, char **argv)
{
	static const struct option o[] = {{"force", no_argument, NULL, 'f'},
					  {"volumes", no_argument, NULL, 'v'},
					  {"help", no_argument, NULL, 'h'},
					  {NULL, 0, NULL, 0}};
	struct each e = {.fn = do_rm};
	return verb(argc, argv, "fvh", o, &e,
		    "Usage:  minirun rm [OPTIONS] CONTAINER [CONTAINER...]\n\n"
		    "  -f, --force     kill a running container first\n"
		    "  -v, --volumes   remove its anonymous volumes too\n",
		    true);
}

static int pause_verb(int argc, char **argv, bool pause)
{
	static const struct option o[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	struct each e = {.fn = do_pause, .force = pause};
	return verb(argc, argv, "h", o, &e,
		    pause ? "Usage:  minirun pause CONTAINER [CONTAINER...]\n"
			  : "Usage:  minirun unpause CONTAINER [CONTAINER...]\n",
		    true);
}
static int cmd_pause(int argc, char **argv)
{
	return pause_verb(argc, argv, true);
}
static int cmd_unpause(int argc, char **argv)
{
	return pause_verb(argc, argv, false);
}

static int cmd_start(int argc, char **argv)
{
	static const struct option o[] = {{"attach", no_argument, NULL, 'a'},
					  {"interactive", no_argument, NULL, 'i'},
					  {"help", no_argument, NULL, 'h'},
					  {NULL, 0, NULL, 0}};
	const char *usage = "Usage:  minirun start [OPTIONS] CONTAINER [CONTAINER...]\n\n"
			    "  -a, --attach        attach stdout/stderr, exit with the container's "
			    "code\n"
			    "  -i, --interactive   attach stdin too\n";
	struct each e = {.fn = do_start};
	int r = verb_flags(argc, argv, "aih", o, &e, usage);
	if (r <= 0)
		return r == -2 ? MR_EXIT_RUNTIME : V_RC(r);
	if (!e.attach) {
		/* each failure on its line, then docker's summary naming them all */
		int rc = 0;
		char failed[1024] = "";
		for (int i = optind; i < argc; i++)
			if (for_each(argv + i, 1, &e, true) != 0) {
				size_t l = strlen(failed);
				snprintf(failed + l, sizeof(failed) - l, "%s%s", rc ? ", " : "",
					 argv[i]);
				rc = 1;
			}
		if (rc)
			fprintf(stderr, "minirun: failed to start containers: %s\n", failed);
		return rc;
	}
	if (argc - optind != 1) {
		fprintf(stderr,
			"minirun: you cannot start and attach multiple containers at once\n");
		return 1;
	}
	struct container c;
	struct mr_err err = {0};
	int code = 0;
	if (container_open(containers_root(), argv[optind], true, &c, &err) < 0)
		return fail(&err, 1);
	bool tty = c.r.config.tty;
	bool in = c.r.config.open_stdin;
	int rc;
	container_event(&c, "attach"); /* docker's order: attach, then start */
	if (container_start(&c, true, &err) < 0)
		rc = fail(&err, 1);
	else {
		close(c.lockfd);
		c.lockfd = -1;
		if (container_attach(&c, in, tty, NULL, &code, &err) < 0)
			rc = fail(&err, 1);
		else
			rc = code < 0 ? 0 : code;
	}
	container_close(&c);
	return rc;
}

const struct mr_command container_commands[] = {
	{"run", cmd_run, "Create and run a new container from an image"},
	{"create", cmd_create, "Create a new container"},
	{"start", cmd_start, "Start one or more stopped containers"},
	{"stop", cmd_stop, "Stop one or more running containers"},
	{"kill", cmd_kill, "Kill one or more running containers"},
	{"restart", cmd_restart, "Restart one or more containers"},
	{"rm", cmd_rm, "Remove one or more containers"},
	{"pause", cmd_pause, "Pause all processes within one or more containers"},
	{"unpause", cmd_unpause, "Unpause all processes within one or more containers"},
	{"wait", cmd_wait, "Block until containers stop, then print their exit codes"},
	/* not for users (a name starting with '_' is left out of every usage) */
	{"__monitor", monitor_exec_main, "the monitor of a container, after its re-exec"},
	{NULL, NULL, NULL},
};

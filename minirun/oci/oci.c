/*
 * minirun/oci/oci.c - `minirun oci`: global options, the verb table, errors and --log.
 *
 * Engines run an OCI runtime as runc: global options first (`--root DIR --log FILE
 * --log-format json`), then a verb and its own options. containerd reads the last error
 * from the --log file as JSON lines ({"level":"error","msg":...,"time":...}); podman reads
 * stderr. Both match on runc's words ("does not exist", "container not running"), so the
 * library's messages keep them. --debug narrates each step (mr_say) on stderr, or with
 * --log into the log, as JSON lines for --log-format json (debuglog.c).
 *
 * See: runc(8) "GLOBAL OPTIONS"; runtime-spec runtime.md "Operations".
 */
#include "minirun/oci/oci.h"
#include "minirun/oci/debuglog.h"
#include "minirun/oci/state.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	int (*fn)(struct oci_global *, int, char **);
	const char *what;
} verbs[] = {
	{"spec", oci_spec, "write a default config.json in the bundle"},
	{"create", oci_create, "create a container; its process waits for start"},
	{"start", oci_start, "let a created container's process run"},
	{"run", oci_run, "create and start a container, wait unless --detach, delete"},
	{"state", oci_state, "print a container's OCI state as JSON"},
	{"kill", oci_kill, "send a signal to a container's init (--all: every process)"},
	{"delete", oci_delete, "delete a stopped container (--force: any)"},
	{"exec", oci_exec, "run another process in a running container"},
	{"ps", oci_ps, "list a container's processes"},
	{"list", oci_list, "list the containers under --root"},
	{"pause", oci_pause, "freeze every process of a container"},
	{"resume", oci_resume, "thaw a paused container"},
	{"update", oci_update, "change a container's cgroup limits"},
	{"features", oci_features, "print what this runtime supports, as JSON"},
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: minirun oci [GLOBAL OPTIONS] VERB [OPTIONS] [ID ...]\n"
		"       minirun-oci [GLOBAL OPTIONS] VERB ...     (the same, for engines)\n\n"
		"An OCI runtime with runc's verbs and flags.\n\n"
		"global options:\n"
		"  --root DIR            state directories (default %s)\n"
		"  --log FILE            also write errors there (and --debug's narration)\n"
		"  --log-format FORMAT   text or json\n"
		"  --debug               narrate each step (-v): on stderr, or into --log\n"
		"  --systemd-cgroup      refused: minirun manages cgroupfs paths only\n"
		"  --version             print the version\n\nverbs:\n",
		state_default_root());
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(out, "  %-10s %s\n", verbs[i].name, verbs[i].what);
}

/* Append one line to --log, as text or a JSON object. */
static void log_line(const struct oci_global *g, const char *level, const char *msg)
{
	char now[64];
	FILE *f;
	if (!g->log || !(f = fopen(g->log, "ae")))
		return;
	state_now(now, sizeof(now));
	if (g->log_json) {
		json_t *j = json_pack("{s:s, s:s, s:s}", "level", level, "msg", msg, "time", now);
		char *t = json_dumps(j, JSON_COMPACT);
		fprintf(f, "%s\n", t ? t : "{}");
		free(t);
		json_decref(j);
	} else {
		fprintf(f, "time=\"%s\" level=%s msg=\"%s\"\n", now, level, msg);
	}
	fclose(f);
}

int oci_fail(const struct oci_global *g, const struct mr_err *err)
{
	int code = mr_err_report(err, 1);
	log_line(g, "error", err->msg);
	return code;
}

int oci_failx(const struct oci_global *g, int code, const char *fmt, ...)
{
	struct mr_err err = {0};
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err.msg, sizeof(err.msg), fmt, ap);
	va_end(ap);
	oci_fail(g, &err);
	return code;
}

int oci_flag_other(const struct oci_global *g, int c, char **argv, const char *usage)
{
	if (c == '?' || c == ':')
		return oci_failx(g, 2, "flag '%s' %s; see 'minirun oci %s --help'",
				 argv[optind - 1], c == ':' ? "needs a value" : "is unknown",
				 argv[0]);
	fputs(usage, c == 'h' ? stdout : stderr);
	return c == 'h' ? 0 : 2;
}

const char *oci_need_id(const struct oci_global *g, int argc, char **argv, int optind,
			const char *verb)
{
	if (optind != argc - 1) {
		oci_failx(g, 2,
			  "%s needs exactly one container id (got %d arguments); see "
			  "'minirun oci --help'",
			  verb, argc - optind);
		return NULL;
	}
	return argv[optind];
}

int oci_main(int argc, char **argv, char **full_argv)
{
	static const struct option opts[] = {
		{"root", required_argument, NULL, 'r'},
		{"log", required_argument, NULL, 'l'},
		{"log-format", required_argument, NULL, 'f'},
		{"debug", no_argument, NULL, 'd'},
		{"systemd-cgroup", no_argument, NULL, 's'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{"rootless", required_argument, NULL, 'R'},
		{"criu", required_argument, NULL, 'C'},
		{NULL, 0, NULL, 0},
	};
	/* the default --root only when none is given: working it out reads the uid map
	 * (state.c), and engines always pass --root, twice per create (clone_exe.c) */
	struct oci_global g = {.root = NULL, .argv = full_argv};
	int c;
	bool systemd = false, debug = false;

	opterr = 0; /* one line of our own for a refused global flag */
	while ((c = getopt_long(argc, argv, "+vh", opts, NULL)) != -1) {
		switch (c) {
		case 'r': g.root = optarg; break;
		case 'l': g.log = optarg; break;
		case 'f':
			if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0)
				return oci_failx(&g, 2,
						 "--log-format must be text or json, not '%s'",
						 optarg);
			g.log_json = optarg[0] == 'j';
			break;
		case 'd': debug = true; /* fall through */
		case 'v': mr_verbose = 1; break;
		case 's': systemd = true; break;
		case 'V':
			printf("minirun version %s\nspec: %s\n", MINIRUN_VERSION,
			       MINIRUN_SPEC_VERSION);
			return 0;
		case 'h': usage(stdout); return 0;
		case 'R':
		case 'C': break; /* runc's --rootless auto and --criu PATH: nothing to do */
		default:
			fprintf(stderr, "minirun: unknown flag '%s'; see 'minirun oci --help'\n",
				argv[optind - 1]);
			return 2;
		}
	}
	opterr = 0; /* the verbs name a flag they refuse, in one line of their own */
	if (!g.root)
		g.root = state_default_root();
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	const char *verb = argv[optind];
	/* runc's --debug with --log: the narration goes into the log, not on stderr */
	struct mr_err err = {0};
	if (debug && g.log && debuglog_start(g.log, g.log_json, &err) < 0)
		return oci_fail(&g, &err);
	if (systemd)
		return oci_failx(&g, 1,
				 "--systemd-cgroup is not supported: minirun manages "
				 "cgroupfs paths (podman: --cgroup-manager=cgroupfs; containerd: "
				 "SystemdCgroup = false)");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(verbs[i].name, verb) == 0) {
			int vargc = argc - optind;
			char **vargv = argv + optind;
			optind = 0; /* each verb parses its own options with getopt again */
			return verbs[i].fn(&g, vargc, vargv);
		}
	return oci_failx(&g, 2, "unknown verb '%s'; see 'minirun oci --help'", verb);
}

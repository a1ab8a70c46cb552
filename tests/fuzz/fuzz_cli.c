/*
 * tests/fuzz/fuzz_cli.c - fuzz the command-line value parsers of `minirun run`/`create`.
 *
 * The first byte of the input picks a parser, the rest is its value:
 *
 *   0  sizes (-m, --shm-size: container_parse_bytes)   5  -v SRC:DST[:OPTS] (volume_parse_v)
 *   1  signals (--stop-signal, kill -s: mr_sig_parse)   6  --mount k=v,... (volume_parse_mount)
 *   2  --ulimit NAME=SOFT[:HARD]                         7  a whole `run` command line: the
 *   3  --device HOST[:CTR[:PERMS]]                          words, one per line, through
 *   4  -p [IP:][HOST:]PORT[/PROTO] and ranges               container_opts_parse (every flag)
 *
 * Oracles (beyond ASan/UBSan and leaks): what a parser accepts, written back in the flag's
 * own syntax, parses to the same value (sizes as plain bytes, signals by number and by
 * name, ulimits, devices, each port of a range as one port); a -v or --mount target is an
 * absolute path; a refusal comes with a message.
 *
 * --env-file and --security-opt seccomp=FILE read the file their value names: a command
 * line that names either is skipped, so the fuzzer never opens /dev/stdin or /dev/zero.
 *
 * Seeds: tests/fuzz/seeds/cli/. See: minirun/containers/opts_set.c (the flag table),
 * minirun/bundle/bundle.h, minirun/network/network.h, minirun/volume/volume.h.
 */
#include "lib/sig.h"
#include "minirun/bundle/bundle.h"
#include "minirun/containers/containers.h"
#include "minirun/network/network.h"
#include "minirun/volume/volume.h"
#include "tests/fuzz/fuzz.h"

#include <signal.h>

static void refused(const char *what, const char *v, const struct mr_err *err)
{
	if (!err->msg[0])
		fuzz_oracle("%s '%s' refused without a message", what, v);
	fuzz_refused(err->msg);
}

static void sizes(const char *v)
{
	struct mr_err err = {0};
	char again[32];
	long long n = container_parse_bytes(v, &err);
	if (n < 0)
		return refused("size", v, &err);
	snprintf(again, sizeof(again), "%lld", n);
	if (container_parse_bytes(again, &err) != n)
		fuzz_oracle("size '%s' is %lld bytes, but '%s' is not", v, n, again);
}

static void signals(const char *v)
{
	char again[32];
	int n = mr_sig_parse(v);
	if (n == -1)
		return;
	if (n < 1 || n >= NSIG)
		fuzz_oracle("signal '%s' is %d", v, n);
	snprintf(again, sizeof(again), "%d", n);
	if (mr_sig_parse(again) != n)
		fuzz_oracle("signal '%s' is %d, but '%s' is not", v, n, again);
	const char *name = sigabbrev_np(n);
	if (name && mr_sig_parse(name) != n)
		fuzz_oracle("signal '%s' is %d, but its name '%s' is %d", v, n, name,
			    mr_sig_parse(name));
}

static void ulimits(const char *v)
{
	struct mr_err err = {0};
	struct container_ulimit u, u2;
	char again[128];
	if (container_ulimit_parse(v, &u, &err) < 0)
		return refused("ulimit", v, &err);
	snprintf(again, sizeof(again), "%s=%lld:%lld", u.name, u.soft, u.hard);
	if (container_ulimit_parse(again, &u2, &err) < 0)
		fuzz_oracle("ulimit '%s' parses, but '%s' is refused: %s", v, again, err.msg);
	if (strcmp(u.name, u2.name) || u.resource != u2.resource || u.soft != u2.soft ||
	    u.hard != u2.hard)
		fuzz_oracle("ulimit '%s' and '%s' differ", v, again);
}

static void devices(const char *v)
{
	struct mr_err err = {0};
	static struct container_device d, d2;
	static char again[3 * 4096];
	if (container_device_parse(v, &d, &err) < 0)
		return refused("device", v, &err);
	if (!d.host[0])
		fuzz_oracle("device '%s' has no host path", v);
	if (strchr(d.host, ':') || strchr(d.ctr, ':'))
		return; /* a path with ':' can't be written back in this syntax */
	snprintf(again, sizeof(again), "%s:%s:%s", d.host, d.ctr, d.perms);
	if (container_device_parse(again, &d2, &err) < 0)
		fuzz_oracle("device '%s' parses, but '%s' is refused: %s", v, again, err.msg);
	if (strcmp(d.host, d2.host) || strcmp(d.ctr, d2.ctr) || strcmp(d.perms, d2.perms))
		fuzz_oracle("device '%s' and '%s' differ", v, again);
}

static void ports(const char *v)
{
	struct mr_err err = {0};
	struct network_port *p = NULL, one;
	size_t n = 0;
	char again[128];
	if (network_parse_ports(v, &p, &n, &err) < 0) {
		free(p);
		return refused("port", v, &err);
	}
	for (size_t i = 0; i < n; i++) {
		if (!p[i].port || p[i].port > 65535 || p[i].host_port > 65535)
			fuzz_oracle("port '%s' gives %u:%u", v, p[i].host_port, p[i].port);
		snprintf(again, sizeof(again), "%s%s%.0u:%u/%s", p[i].host_ip,
			 p[i].host_ip[0] ? ":" : "", p[i].host_port, p[i].port, p[i].proto);
		if (network_parse_port(again, &one, &err) < 0)
			fuzz_oracle("port '%s' parses, but its port %zu '%s' is refused: %s", v, i,
				    again, err.msg);
		if (strcmp(one.host_ip, p[i].host_ip) || one.host_port != p[i].host_port ||
		    one.port != p[i].port || strcmp(one.proto, p[i].proto))
			fuzz_oracle("port '%s' (port %zu) and '%s' differ", v, i, again);
	}
	free(p);
}

static void mounts(const char *v, bool dash_v)
{
	struct mr_err err = {0};
	static struct volume_mount m;
	int rc = dash_v ? volume_parse_v(v, &m, &err) : volume_parse_mount(v, &m, &err);
	if (rc < 0)
		return refused(dash_v ? "-v" : "--mount", v, &err);
	if (m.target[0] != '/')
		fuzz_oracle("mount '%s' has the target '%s'", v, m.target);
}

/* the words of a `run` command line, one per line */
static int command_line(char *text)
{
	char *argv[256];
	int argc = 0;
	argv[argc++] = "run";
	if (strstr(text, "env-file") || strstr(text, "seccomp"))
		return -1; /* these read the file they name: see the header */
	for (char *w = strtok(text, "\n"); w && argc < 255; w = strtok(NULL, "\n"))
		argv[argc++] = w;
	argv[argc] = NULL;
	struct container_opts o;
	struct mr_err err = {0};
	bool help;
	memset(&o, 0, sizeof(o));
	if (container_opts_parse(argc, argv, &o, &help, &err) < 0) {
		refused("command line", argv[1] ? argv[1] : "", &err);
		return 0;
	}
	if (!help) {
		if (!o.image || !o.image[0])
			fuzz_oracle("a command line parsed without an image");
		container_opts_free(&o);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *v = fuzz_str(data + 1, size - 1);
	int rc = 0;
	switch (data[0] % 8) {
	case 0: sizes(v); break;
	case 1: signals(v); break;
	case 2: ulimits(v); break;
	case 3: devices(v); break;
	case 4: ports(v); break;
	case 5: mounts(v, true); break;
	case 6: mounts(v, false); break;
	case 7: rc = command_line(v); break;
	}
	free(v);
	return rc;
}

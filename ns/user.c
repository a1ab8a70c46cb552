/*
 * ns/user.c - a user namespace: root inside, an ordinary (or no) user outside.
 *
 * A user namespace has its own user and group IDs. uid_map and gid_map say which IDs
 * inside stand for which IDs outside ("0 1000 1": uid 0 inside is uid 1000 outside); an ID
 * that is not mapped shows up as the overflow ID 65534 (nobody). The process that creates
 * the namespace gets every capability *inside* it and keeps none outside: root in here may
 * mount a tmpfs or set the hostname of namespaces it owns, and still can't read a file
 * that its uid outside can't read. No privilege is needed at all, which is how rootless
 * podman starts.
 *
 *	$ setpriv --reuid=65534 --regid=65534 --clear-groups ns/user
 *	              outside              inside
 *	uid           65534                0
 *	CapEff        0000000000000000     000001ffffffffff
 *	uid_map       0 0 4294967295       0 65534 1
 *	owner of /    0                    65534 (root outside is not mapped)
 *	...
 *
 * Without -m, root inside is the caller's own uid (-r, as `unshare -r` does); when the
 * caller is root that would show nothing, so root gets 0:100000:65536 instead, the range
 * /etc/subuid conventionally gives the first user.
 *
 * See: user_namespaces(7), newuidmap(1), capabilities(7), setgroups(2).
 * Build and run: make ns/user && ns/user -v -- id
 */
#include "lib/err.h"
#include "lib/file.h"
#include "lib/proc.h"
#include "ns/ns.h"

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ns/user [OPTIONS] [-- CMD [ARGS]]\n"
		"Create a user namespace, map IDs into it, show inside versus outside, run CMD.\n\n"
		"  -r                 map root inside to your own uid/gid (default when not root)\n"
		"  -m IN:OUT:COUNT    map COUNT ids from IN inside to OUT outside, uids and gids\n"
		"                     (repeatable; default for root: 0:100000:65536)\n"
		"  -v                 narrate each step (=> ...); with CMD, print the table too\n"
		"  -h                 show this help\n");
}

/* The value of one "Name:\tvalue" line of /proc/self/status, e.g. "CapEff". */
static void status_field(const char *name, char *out, size_t size)
{
	struct mr_err err = {0};
	char *text = NULL;
	snprintf(out, size, "?");
	if (mr_read_file("/proc/self/status", &text, NULL, &err) < 0)
		return;
	size_t n = strlen(name);
	for (char *line = text; line && *line;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (strncmp(line, name, n) == 0 && line[n] == ':') {
			snprintf(out, size, "%.*s", (int)strcspn(line + n + 2, "\n"), line + n + 2);
			break;
		}
	free(text);
}

/* Read a small /proc/self file into out, its whitespace squeezed to single spaces. */
static void proc_self(const char *file, char *out, size_t size)
{
	struct mr_err err = {0};
	char *text = NULL;
	size_t n = 0;
	snprintf(out, size, "?");
	if (mr_read_file(file, &text, NULL, &err) < 0)
		return;
	for (char *tok = strtok(text, " \n"); tok && n < size; tok = strtok(NULL, " \n"))
		n += snprintf(out + n, size - n, "%s%s", n ? " " : "", tok);
	free(text);
}

/* One side of the comparison table. */
struct view {
	char uid[16], gid[16], capeff[24], userns[32], uid_map[96], gid_map[96], setgroups[8];
	char owner[16];
};

/* look - fill v with what this process sees: its ids, CapEff, user namespace, the maps of
 * that namespace, its setgroups setting, and the uid that owns "/" as seen from here. */
static void look(struct view *v)
{
	struct stat st;
	snprintf(v->uid, sizeof(v->uid), "%u", (unsigned)getuid());
	snprintf(v->gid, sizeof(v->gid), "%u", (unsigned)getgid());
	status_field("CapEff", v->capeff, sizeof(v->capeff));
	snprintf(v->userns, sizeof(v->userns), "user:[%lu]", ns_inode(0, ns_by_name("user"), NULL));
	proc_self("/proc/self/uid_map", v->uid_map, sizeof(v->uid_map));
	proc_self("/proc/self/gid_map", v->gid_map, sizeof(v->gid_map));
	proc_self("/proc/self/setgroups", v->setgroups, sizeof(v->setgroups));
	snprintf(v->owner, sizeof(v->owner), "%u", stat("/", &st) == 0 ? (unsigned)st.st_uid : 0);
}

static void print_table(FILE *out, const struct view *o, const struct view *i)
{
	static const struct {
		const char *label;
		size_t offset;
	} rows[] = {
		{"uid", offsetof(struct view, uid)},
		{"gid", offsetof(struct view, gid)},
		{"CapEff", offsetof(struct view, capeff)},
		{"user ns", offsetof(struct view, userns)},
		{"uid_map", offsetof(struct view, uid_map)},
		{"gid_map", offsetof(struct view, gid_map)},
		{"setgroups", offsetof(struct view, setgroups)},
		{"owner of /", offsetof(struct view, owner)},
	};
	fprintf(out, "%-12s %-22s %s\n", "", "outside", "inside");
	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		const char *a = (const char *)o + rows[r].offset,
			   *b = (const char *)i + rows[r].offset;
		fprintf(out, "%-12s %-22s %s", rows[r].label, a, b);
		if (strcmp(rows[r].label, "owner of /") == 0 && strcmp(b, "65534") == 0)
			fprintf(out, " (nobody: uid %s outside is not mapped)", a);
		fputc('\n', out);
	}
}

/* Append "IN OUT COUNT\n" for an "IN:OUT:COUNT" argument to map; die on a bad one. */
static void add_map(char *map, size_t size, const char *arg)
{
	long long v[3];
	char buf[64], *save = NULL, *p = buf;
	int n = 0;
	snprintf(buf, sizeof(buf), "%s", arg);
	for (char *w; n < 3 && (w = strtok_r(p, ":", &save)); p = NULL)
		if (mr_parse_ll(w, 0, 4294967294LL, &v[n++]) < 0)
			n = 4;
	if (n != 3 || strtok_r(NULL, ":", &save) || v[2] == 0)
		mr_diex(MR_EXIT_USAGE, "-m '%s': expected INSIDE:OUTSIDE:COUNT, like 0:1000:1",
			arg);
	size_t len = strlen(map);
	snprintf(map + len, size - len, "%lld %lld %lld\n", v[0], v[1], v[2]);
}

int main(int argc, char **argv)
{
	struct mr_err err = {0};
	char map[512] = "";
	int self = 0, opt, ready[2], go[2];
	char c;

	static const struct option longopts[] = {{"verbose", no_argument, NULL, 'v'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	opterr = 0; /* we print our own one-line message */
	while ((opt = getopt_long(argc, argv, "+:rm:vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'r': self = 1; break;
		case 'm': add_map(map, sizeof(map), optarg); break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			mr_diex(MR_EXIT_USAGE, "option '%s' needs an argument; see 'ns/user -h'",
				argv[optind - 1]);
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'ns/user -h'",
				argv[optind - 1]);
		}
	}
	char **cmd = optind < argc ? argv + optind : NULL;
	setvbuf(stdout, NULL, _IOLBF, 0); /* keep the report in step with -v lines on stderr */
	if (self && map[0])
		mr_diex(MR_EXIT_USAGE, "-r and -m both say how to map ids: give one of them");
	if (!map[0] && (self || geteuid() != 0))
		snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)geteuid());
	else if (!map[0])
		snprintf(map, sizeof(map), "0 100000 65536\n");

	struct view outside = {0}, inside = {0};
	look(&outside);

	/*
	 * Why a handshake: the maps must be written by a process that is still in the parent
	 * user namespace. Once the child has unshared, it holds capabilities only inside its
	 * new namespace, so it could map at most its own uid; a range like 0:100000:65536
	 * needs CAP_SETUID *outside*, which only the parent still has (runtimes and newuidmap
	 * work the same way). So: the child unshares and says "ready" on one pipe; the parent
	 * writes /proc/CHILD/{setgroups,uid_map,gid_map} and says "go" on the other; only then
	 * does the child look at its ids or exec, because until the maps exist every id in
	 * the namespace is the overflow id 65534.
	 */
	if (pipe(ready) < 0 || pipe(go) < 0)
		mr_die("pipe");
	pid_t pid = fork();
	if (pid < 0)
		mr_die("fork");
	if (pid == 0) {
		close(ready[0]);
		close(go[1]);
		mr_say("child: unshare(CLONE_NEWUSER)");
		if (unshare(CLONE_NEWUSER) < 0)
			mr_die("unshare(CLONE_NEWUSER)");
		if (write(ready[1], "r", 1) != 1)
			mr_die("write to the ready pipe");
		if (read(go[0], &c, 1) != 1)
			_exit(1); /* the parent failed to write the maps and said why */
		close(ready[1]);
		close(go[0]);
		/* The maps define ids but don't change ours: become inside-root if 0 is
		 * mapped (setgroups first, while we still may), else keep the mapped ids. */
		if (setgroups(0, NULL) == 0) /* fails, harmlessly, when setgroups is "deny" */
			mr_say("child: setgroups(0, NULL): no supplementary groups");
		if (setresgid(0, 0, 0) == 0 && setresuid(0, 0, 0) == 0)
			mr_say("child: setresuid(0) and setresgid(0): root inside");
		look(&inside);
		FILE *report = !cmd ? stdout : mr_verbose ? stderr : NULL;
		if (report)
			print_table(report, &outside, &inside);
		if (!cmd)
			return 0;
		fflush(NULL);
		mr_say("exec %s", cmd[0]);
		mr_exec(cmd);
	}

	close(ready[1]);
	close(go[0]);
	if (read(ready[0], &c, 1) != 1) /* the child died before unsharing; it said why */
		return mr_wait_exit(pid);

	int denied = geteuid() != 0;
	mr_say("parent: write the maps for child %d: %.*s%s", (int)pid, (int)strcspn(map, "\n"),
	       map, strchr(map, '\n')[1] ? " ..." : "");
	/* Without CAP_SETGID outside, gid_map is accepted only after setgroups is denied:
	 * else the user could drop a group that stands between them and a file. */
	if ((denied && ns_deny_setgroups(pid, &err) < 0) ||
	    ns_write_map(pid, "uid_map", map, &err) < 0 ||
	    ns_write_map(pid, "gid_map", map, &err) < 0) {
		close(go[1]); /* EOF: the child exits without running anything */
		mr_wait_exit(pid);
		if (denied && err.errnum == EPERM)
			mr_diex(1, "%s (without privilege you may map only your own id: use -r)",
				err.msg);
		mr_die_err(&err);
	}
	if (write(go[1], "g", 1) != 1)
		mr_die("write to the go pipe");
	close(go[1]);
	return mr_wait_exit(pid);
}

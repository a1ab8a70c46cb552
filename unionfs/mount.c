/*
 * unionfs/mount.c - mount an overlayfs stack and say what each part of it is for.
 *
 * An overlay mount shows several directories as one: the lower layers, read-only, the
 * top one winning where two hold the same path; and the upper layer, which takes every
 * write. Writing to a file that lives in a lower layer first copies it up whole; deleting
 * one leaves a whiteout in the upper layer. This is how every container gets its own
 * writable root filesystem over shared, read-only image layers.
 *
 *	$ unionfs/mount -l img/2 -l img/1 -u c/upper -w c/work c/merged
 *	overlay on c/merged (fsconfig lowerdir+)
 *	  lower 1 (top)  img/2     read-only; hides the same paths in the lowers below
 *	  lower 2        img/1     read-only
 *	  upper          c/upper   takes every write: new files, copied-up files, whiteouts
 *	  work           c/work    overlay's scratch space for atomic copy-up (same fs as upper)
 *
 *	$ unionfs/mount -l img/2 -l img/1 -u u -w w m -- ls m   # in a private mount namespace
 *
 * See: Documentation/filesystems/overlayfs.rst, unionfs/overlay.c (the three ways a long
 * lower list reaches the kernel), mount_namespaces(7).
 * Build and run: `make unionfs && ./unionfs/mount -v -l LOWER -u UPPER -w WORK TARGET` as root.
 */
#include "lib/err.h"
#include "lib/proc.h"
#include "unionfs/overlay.h"

#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: mount [-v] [-r] -l LOWER [-l LOWER...] [-u UPPER -w WORK] [-o OPTS] TARGET [-- CMD...]\n"
		"       mount [-v] -U TARGET\n"
		"Mount an overlay stack on TARGET; with CMD, only inside a private mount namespace\n"
		"that lives as long as CMD does.\n"
		"\n"
		"  -l, --lower DIR     a lower layer, read-only; repeat, top (newest) first\n"
		"  -u, --upper DIR     the upper layer: every write lands here (none: read-only stack)\n"
		"  -w, --work DIR      overlay's scratch dir: on the upper's filesystem, not inside it\n"
		"  -o, --options OPTS  more overlay options, e.g. index=off,redirect_dir=off\n"
		"  -r, --read-only     mount read-only even with an upper\n"
		"  -m, --method M      force how the lowers reach the kernel: lowerdir+, mount, short\n"
		"  -U, --umount        unmount TARGET instead\n"
		"  -q, --quiet         print nothing on success\n"
		"  -v, --verbose       narrate each system call on stderr\n"
		"  -h, --help          show this help\n"
		"  -- CMD [ARGS...]    run CMD with the stack mounted, in a new mount namespace\n");
}

/* the -m names, as a table */
static const struct {
	const char *name;
	enum ovl_method m;
} methods[] = {
	{"lowerdir+", OVL_METHOD_LOWERDIR_PLUS},
	{"mount", OVL_METHOD_MOUNT},
	{"short", OVL_METHOD_SHORT_NAMES},
};

static int method_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(methods[i].name, name) == 0)
			return methods[i].m;
	mr_diex(MR_EXIT_USAGE, "--method '%s': use lowerdir+, mount or short", name);
}

/* explain - what each directory of the stack is for */
static void explain(FILE *f, const struct ovl_stack *s, const char *target, enum ovl_method m)
{
	fprintf(f, "overlay on %s (%s)\n", target, ovl_method_name(m));
	for (size_t i = 0; i < s->nlowers; i++)
		fprintf(f, "  lower %-2zu%-6s %-20s %s\n", i + 1, i == 0 ? "(top)" : "",
			s->lowers[i],
			i == 0 && s->nlowers > 1
				? "read-only; hides the same paths in the lowers below"
				: "read-only");
	if (s->upper) {
		fprintf(f, "  %-14s %-20s %s\n", "upper", s->upper,
			"takes every write: new files, copied-up files, whiteouts, opaque dirs");
		fprintf(f, "  %-14s %-20s %s\n", "work", s->work,
			"overlay's scratch space for atomic copy-up (same filesystem as upper)");
	} else {
		fprintf(f, "  %-14s %-20s %s\n", "upper", "(none)",
			"a read-only stack: writes fail with EROFS");
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"lower", required_argument, NULL, 'l'},
		{"upper", required_argument, NULL, 'u'},
		{"work", required_argument, NULL, 'w'},
		{"options", required_argument, NULL, 'o'},
		{"read-only", no_argument, NULL, 'r'},
		{"umount", no_argument, NULL, 'U'},
		{"method", required_argument, NULL, 'm'},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const char *lowers[OVL_MAX_LOWERS];
	struct ovl_stack s = {.lowers = lowers};
	int umount_it = 0, quiet = 0, c;
	struct mr_err err = {0};

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:l:u:w:o:m:rUqvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (s.nlowers == OVL_MAX_LOWERS)
				mr_diex(MR_EXIT_USAGE,
					"more than %d lowers: overlay can't stack that many",
					OVL_MAX_LOWERS);
			lowers[s.nlowers++] = optarg;
			break;
		case 'u': s.upper = optarg; break;
		case 'w': s.work = optarg; break;
		case 'o': s.options = optarg; break;
		case 'r': s.readonly = 1; break;
		case 'm': s.method = method_by_name(optarg); break;
		case 'U': umount_it = 1; break;
		case 'q': quiet = 1; break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			mr_diex(MR_EXIT_USAGE, "option '%s' needs an argument; see 'mount -h'",
				argv[optind - 1]);
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'mount -h'",
				argv[optind - 1]);
		}
	}
	if (optind >= argc)
		mr_diex(MR_EXIT_USAGE, "need a TARGET directory; see 'mount -h'");
	const char *target = argv[optind++];
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++; /* getopt stopped at TARGET, before the "--" */
	char **cmd = optind < argc ? argv + optind : NULL;

	if (umount_it) {
		if (ovl_umount(target, 0, &err) < 0)
			mr_die_err(&err);
		return 0;
	}
	if (s.nlowers == 0)
		mr_diex(MR_EXIT_USAGE, "need at least one -l LOWER; see 'mount -h'");

	if (cmd) {
		/* A mount namespace of our own: the overlay exists only in it, and goes away
		 * with its last process. Private first, or on a host where / is shared the
		 * mount would propagate back out. */
		mr_say("unshare(CLONE_NEWNS); mount --make-rprivate /");
		if (unshare(CLONE_NEWNS) < 0)
			mr_die("unshare(CLONE_NEWNS) (are you root?)");
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			mr_die("make / private");
	}
	enum ovl_method m;
	if (ovl_mount(&s, target, &m, &err) < 0)
		mr_die_err(&err);
	FILE *report = cmd ? (mr_verbose ? stderr : NULL) : (quiet ? NULL : stdout);
	if (report)
		explain(report, &s, target, m);
	if (!cmd)
		return 0;
	fflush(NULL);
	/* CMD becomes this process: the namespace, and the mount in it, end when it does */
	mr_say("execvp(\"%s\") in the new mount namespace", cmd[0]);
	mr_exec(cmd);
}

/*
 * unionfs/copyup.c - watch copy-up happen: append one byte to a big file in a lower layer.
 *
 * A lower layer is never written. The first time a container opens a lower file for
 * writing, overlay copies the *whole* file up into the upper layer, and only then lets
 * the write happen there. So appending one byte to a 256 MiB file costs a 256 MiB copy the
 * first time - and nothing the second time, when the file already is in the upper layer.
 * (This is why images put big, often-changed files in volumes, not in layers.)
 *
 *	$ unionfs/copyup -s 256 /tmp/cu
 *	lower/big: 256 MiB; upper: empty
 *	1st append of 1 byte: 183.2 ms   (copy-up: upper/big is now 256.0 MiB)
 *	2nd append of 1 byte:   0.0 ms   (already in the upper layer)
 *	lower/big is unchanged: 256.0 MiB
 *
 * Runs in a private mount namespace of its own; DIR keeps lower/ upper/ work/ merged/ for
 * a look afterwards with -k, and is removed otherwise.
 * See: Documentation/filesystems/overlayfs.rst ("Non-directories", copy up).
 * Build and run: `make unionfs && ./unionfs/copyup -v DIR` as root.
 */
#include "lib/err.h"
#include "lib/file.h"
#include "unionfs/overlay.h"

#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: copyup [-v] [-k] [-s MIB] DIR\n"
		"Time appending one byte to a big lower-layer file through an overlay, twice.\n"
		"\n"
		"  -s, --size MIB   size of the lower file (default 64)\n"
		"  -k, --keep       keep DIR/{lower,upper,work,merged} afterwards\n"
		"  -v, --verbose    narrate each step on stderr\n"
		"  -h, --help       show this help\n");
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double mib(const char *path)
{
	struct stat st;
	return stat(path, &st) < 0 ? -1 : (double)st.st_size / (1 << 20);
}

/* append_byte - open PATH for appending (the open is what triggers copy-up), write one
 * byte, close; returns the milliseconds it took */
static double append_byte(const char *path)
{
	double t0 = now_ms();
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		mr_die("open '%s' for appending", path);
	if (write(fd, "!", 1) != 1)
		mr_die("write '%s'", path);
	close(fd);
	return now_ms() - t0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"size", required_argument, NULL, 's'},
		{"keep", no_argument, NULL, 'k'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	long long size = 64;
	int keep = 0, c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":s:kvh", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (mr_parse_ll(optarg, 1, 65536, &size) < 0)
				mr_diex(MR_EXIT_USAGE, "--size '%s': want 1 to 65536 (MiB)",
					optarg);
			break;
		case 'k': keep = 1; break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			mr_diex(MR_EXIT_USAGE, "option '%s' needs an argument; see 'copyup -h'",
				argv[optind - 1]);
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'copyup -h'",
				argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		mr_diex(MR_EXIT_USAGE, "need a scratch DIR; see 'copyup -h'");
	const char *dir = argv[optind];
	static const char *const sub[] = {"lower", "upper", "work", "merged"};
	char p[4][4096], big[4096 + 8], merged_big[4096 + 8], upper_big[4096 + 8];
	struct mr_err err = {0};
	for (int i = 0; i < 4; i++) {
		snprintf(p[i], sizeof(p[i]), "%s/%s", dir, sub[i]);
		if (mr_mkdir_p(p[i], 0755, &err) < 0)
			mr_die_err(&err);
	}
	snprintf(big, sizeof(big), "%s/big", p[0]);
	snprintf(upper_big, sizeof(upper_big), "%s/big", p[1]);
	snprintf(merged_big, sizeof(merged_big), "%s/big", p[3]);

	if (access(upper_big, F_OK) == 0)
		mr_diex(1,
			"'%s' is left from an earlier run (copy-up would not happen again); "
			"remove '%s' or use another DIR",
			upper_big, dir);
	mr_say("write %lld MiB to %s", size, big);
	int fd = open(big, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		mr_die("create '%s'", big);
	static char chunk[1 << 20];
	memset(chunk, 'x', sizeof(chunk));
	for (long long i = 0; i < size; i++)
		if (write(fd, chunk, sizeof(chunk)) != (ssize_t)sizeof(chunk))
			mr_die("write '%s'", big);
	close(fd);
	printf("lower/big: %.1f MiB; upper: %s\n", mib(big), mib(upper_big) < 0 ? "empty" : "?");

	/* a private mount namespace: the overlay never shows outside this process */
	mr_say("unshare(CLONE_NEWNS); mount --make-rprivate /");
	if (unshare(CLONE_NEWNS) < 0)
		mr_die("unshare(CLONE_NEWNS) (are you root?)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		mr_die("make / private");
	const char *lowers[] = {p[0]};
	struct ovl_stack s = {.lowers = lowers, .nlowers = 1, .upper = p[1], .work = p[2]};
	if (ovl_mount(&s, p[3], NULL, &err) < 0)
		mr_die_err(&err);

	double t1 = append_byte(merged_big);
	printf("1st append of 1 byte: %8.1f ms   (copy-up: upper/big is now %.1f MiB)\n", t1,
	       mib(upper_big));
	double t2 = append_byte(merged_big);
	printf("2nd append of 1 byte: %8.1f ms   (already in the upper layer)\n", t2);
	printf("lower/big is unchanged: %.1f MiB\n", mib(big));

	if (ovl_umount(p[3], 0, &err) < 0)
		mr_die_err(&err);
	if (!keep) {
		unlink(big);
		unlink(upper_big);
		for (int i = 3; i >= 0; i--) {
			char w[4096 + 16];
			snprintf(w, sizeof(w), "%s/work", p[i]); /* overlay's own work/work */
			rmdir(w);
			rmdir(p[i]);
		}
		rmdir(dir);
	}
	return 0;
}

/*
 * tests/containers/swapper.c - a hostile container's half of a race: swap two names for
 * ever, atomically, so that a host-side walk that trusts a name twice meets the other one.
 *
 *   swapper A B [TARGET]
 *   swapper -k A B TARGET
 *
 * Loops renameat2(A, B, RENAME_EXCHANGE): A and B trade places in one step, so each of them
 * always exists (no instant without it, which a mv-based loop would have). With TARGET, a
 * missing B is made as a symlink to TARGET once A exists (a volume stays empty until the
 * host puts A there). With -k, whatever the exchange moved into B (the host's new file) is
 * moved on to B.prev and B made a symlink to TARGET again: A stays a symlink until the host
 * replaces it, as cp replaces an existing file. Runs until killed. The escape tests
 * (tests/integration/containers/escape.t) bind it read-only into a busybox container, hence
 * static and libc-only.
 *
 * See: rename(2) (RENAME_EXCHANGE); CVE-2018-15664 (docker cp, the same race).
 *
 * Build: make tests/containers/swapper
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int keep = argc > 1 && !strcmp(argv[1], "-k");
	argv += keep;
	argc -= keep;
	if ((argc != 3 && argc != 4) || (keep && argc != 4)) {
		fprintf(stderr, "usage: swapper A B [TARGET]\n       swapper -k A B TARGET\n");
		return 2;
	}
	const char *a = argv[1], *b = argv[2], *target = argc == 4 ? argv[3] : NULL;
	char prev[4096];
	snprintf(prev, sizeof(prev), "%s.prev", b);
	struct stat st;
	for (;;) {
		if (renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) == 0) {
			if (keep && lstat(b, &st) == 0 && !S_ISLNK(st.st_mode) &&
			    rename(b, prev) == 0)
				symlink(target, b);
			continue;
		}
		if (errno == ENOENT && target && lstat(a, &st) == 0)
			symlink(target, b); /* EEXIST when B came back meanwhile: fine */
	}
}

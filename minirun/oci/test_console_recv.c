/*
 * minirun/oci/test_console_recv.c - a tiny --console-socket peer for the tests.
 *
 *   test_console_recv SOCK [INPUT]
 *
 * Listens on the AF_UNIX socket SOCK, takes one connection, receives the pty master that
 * the runtime sends with SCM_RIGHTS (what podman's conmon and containerd's shim do), writes
 * INPUT to it if given, then copies everything the container writes to the terminal to
 * stdout until the terminal closes. Built by minirun/build.mk; used by
 * tests/integration/minirun/terminal.t.
 *
 * See: console.c, unix(7).
 */
#include "lib/err.h"
#include "minirun/oci/setup.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct mr_err err = {0};
	char buf[4096];
	if (argc < 2 || argc > 3 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: test_console_recv SOCK [INPUT]\n");
		return 2;
	}
	strcpy(sa.sun_path, argv[1]);
	int ls = socket(AF_UNIX, SOCK_STREAM, 0);
	if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(ls, 1) < 0)
		mr_die("listen on '%s'", argv[1]);
	int c = accept(ls, NULL, NULL);
	if (c < 0)
		mr_die("accept");
	int master = console_recv(c, &err);
	if (master < 0)
		mr_die_err(&err);
	close(c);
	close(ls);
	unlink(argv[1]);
	if (argc == 3 && write(master, argv[2], strlen(argv[2])) < 0)
		mr_die("write to the pty");
	ssize_t n;
	while ((n = read(master, buf, sizeof(buf))) > 0)
		if (write(1, buf, (size_t)n) < 0)
			break;
	return 0;
}

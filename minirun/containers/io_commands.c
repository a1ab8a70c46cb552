/*
 * minirun/containers/io_commands.c - the verb table container_io_commands[]: logs exec attach.
 *
 * minirun/main.c dispatches it; each row is a verb, its function and its one-line help.
 * The verbs: logs.c (the json-file log), exec.c (another process in a running container),
 * attach.c (the client of the monitor's attach socket; protocol in io_proto.h).
 */
#include "minirun/containers/containers.h"
#include "minirun/containers/io_proto.h"

const struct mr_command container_io_commands[] = {
	{"logs", cmd_logs, "Fetch the logs of a container (-f, --tail N, -t, --since)"},
	{"exec", cmd_exec, "Run a command in a running container (-i -t -d -e -u -w)"},
	{"attach", cmd_attach, "Attach your stdin, stdout and stderr to a running container"},
	{NULL, NULL, NULL},
};

/*
 * minirun/commands.h - the tables main.c dispatches through (commands.c): the top-level
 * commands and the container verbs, and `minirun --help`.
 */
#ifndef MR_MINIRUN_COMMANDS_H
#define MR_MINIRUN_COMMANDS_H

#include <stddef.h>
#include <stdio.h>

#include "lib/cmd.h"

/* A top-level command: FN gets the words from its own name on, and FULL, the whole argv
 * (`oci` reads the global flags before it again, as runc does); WHAT is its help line. */
struct minirun_command {
	const char *name;
	int (*fn)(int argc, char **argv, char **full);
	const char *what;
};

/* network, volume, build, builder, compose, system, info, version, events, oci */
extern const struct minirun_command minirun_commands[];
extern const size_t minirun_ncommands;

/* the container verbs: lifecycle, stdio, and the ones that look at a container (each table
 * ends in {NULL}) */
extern const struct mr_command *const minirun_container_tables[];
extern const size_t minirun_ncontainer_tables;

/* minirun_usage - `minirun --help` on OUT: the global flags, then every command in docker's
 * groups with its help line */
void minirun_usage(FILE *out);

#endif

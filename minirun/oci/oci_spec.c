/*
 * minirun/oci/oci_spec.c - `minirun oci spec [--rootless] [--bundle DIR]`: a starting config.
 *
 * Writes DIR/config.json (refusing to overwrite one) with the defaults runc gives:
 * "sh" on a terminal, the usual namespaces and mounts, masked /proc paths and three
 * capabilities. Edit it, put a root filesystem in DIR/rootfs, and `run` it.
 *
 * See: runc-spec(8); spec_default.c.
 */
#include "minirun/oci/oci.h"
#include "minirun/oci/spec.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int oci_spec(struct oci_global *g, int argc, char **argv)
{
	static const struct option opts[] = {{"rootless", no_argument, NULL, 'r'},
					     {"bundle", required_argument, NULL, 'b'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *bundle = ".";
	bool rootless = false;
	int c;
	while ((c = getopt_long(argc, argv, "+:b:h", opts, NULL)) != -1) {
		if (c == 'r')
			rootless = true;
		else if (c == 'b')
			bundle = optarg;
		else
			return oci_flag_other(
				g, c, argv,
				"usage: minirun oci spec [OPTIONS]\n\n"
				"  -b, --bundle DIR   write DIR/config.json (default .)\n"
				"      --rootless     for a user without privileges: a user namespace\n");
	}
	if (optind != argc)
		return oci_failx(g, 2, "spec takes no arguments");
	char path[4096];
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	json_t *j = spec_default_json(rootless);
	char *text = json_dumps(j, JSON_INDENT(2));
	json_decref(j);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		free(text);
		return oci_failx(g, 1, "create '%s': %m%s", path,
				 access(path, F_OK) == 0 ? " (remove it first)" : "");
	}
	size_t len = strlen(text);
	text[len] = '\n';
	int ok = write(fd, text, len + 1) == (ssize_t)(len + 1);
	close(fd);
	free(text);
	return ok ? 0 : oci_failx(g, 1, "write '%s': %m", path);
}

/*
 * minirun/oci/oci_list.c - `minirun oci list [--format table|json] [--quiet]`.
 *
 * One line per state directory under --root, with the status computed now. Like runc it
 * prints a table (ID PID STATUS BUNDLE CREATED OWNER), JSON (an array of states), or
 * just the ids.
 *
 * See: runc-list(8).
 */
#include "minirun/oci/oci.h"
#include "minirun/oci/state.h"

#include <dirent.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The name of UID from /etc/passwd, as runc's OWNER column shows it ("?" when unknown).
 * Read with fgetpwent, not getpwuid: minirun-oci is linked statically, and glibc's NSS
 * would load shared objects at run time. Returns a static buffer. */
static const char *owner_name(uid_t uid)
{
	static char name[64];
	struct passwd *pw;
	FILE *f = fopen("/etc/passwd", "re");
	snprintf(name, sizeof(name), "?");
	while (f && (pw = fgetpwent(f)))
		if (pw->pw_uid == uid) {
			snprintf(name, sizeof(name), "%s", pw->pw_name);
			break;
		}
	if (f)
		fclose(f);
	return name;
}

int oci_list(struct oci_global *g, int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {"quiet", no_argument, NULL, 'q'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	bool json = false, quiet = false;
	int c;
	while ((c = getopt_long(argc, argv, "+:f:qh", opts, NULL)) != -1) {
		if (c == 'f' && (strcmp(optarg, "json") == 0 || strcmp(optarg, "table") == 0))
			json = optarg[0] == 'j';
		else if (c == 'q')
			quiet = true;
		else
			return oci_flag_other(g, c, argv,
					      "usage: minirun oci list [OPTIONS]\n\n"
					      "  -f, --format FORMAT   table (default) or json\n"
					      "  -q, --quiet           print the ids only\n");
	}
	json_t *all = json_array();
	DIR *d = opendir(g->root);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		struct ctr_state st;
		if (e->d_name[0] == '.' || state_load(g->root, e->d_name, &st, NULL) < 0)
			continue;
		json_array_append_new(all, state_json(&st));
		state_free(&st);
	}
	if (d)
		closedir(d);
	size_t i;
	json_t *s;
	if (json) {
		char *t = json_dumps(all, JSON_COMPACT);
		printf("%s\n", t);
		free(t);
	} else {
		if (!quiet)
			printf("%-12s %-8s %-10s %-40s %-30s %s\n", "ID", "PID", "STATUS", "BUNDLE",
			       "CREATED", "OWNER");
		json_array_foreach(all, i, s)
		{
			const char *id = json_string_value(json_object_get(s, "id"));
			if (quiet) {
				printf("%s\n", id);
				continue;
			}
			const char *owner =
				owner_name((uid_t)json_integer_value(json_object_get(s, "owner")));
			printf("%-12s %-8lld %-10s %-40s %-30s %s\n", id,
			       (long long)json_integer_value(json_object_get(s, "pid")),
			       json_string_value(json_object_get(s, "status")),
			       json_string_value(json_object_get(s, "bundle")),
			       json_string_value(json_object_get(s, "created")), owner);
		}
	}
	json_decref(all);
	return 0;
}

/*
 * minirun/containers/rename.c - `minirun rename CONTAINER NEW_NAME`: docker's rename.
 *
 * A name is a claim file, ROOT/containers/.names/NAME holding the ID (store.c). Renaming
 * claims NEW first (O_EXCL: two renames to one name cannot both win), then records
 * Name "/NEW" under the container's lock, then drops the old claim: a kill -9 between the
 * steps leaves the container with both names claimed, never with none, and the store's
 * sweep of stale claims (a claim whose ID is not that container's name) tidies it later.
 *
 *   minirun rename web web2
 *
 * See: https://docs.docker.com/reference/cli/docker/container/rename/
 */
#include "minirun/containers/info.h"
#include "minirun/containers/lifecycle.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cli.h"
#include "lib/file.h"

/* docker's rule for a name: [a-zA-Z0-9][a-zA-Z0-9_.-]+ */
static bool valid_name(const char *n)
{
	if (!n[0] || !n[1] || strlen(n) > CONTAINER_NAME_MAX)
		return false;
	for (const char *p = n; *p; p++) {
		bool alnum = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			     (*p >= '0' && *p <= '9');
		if (!alnum && (p == n || !strchr("_.-", *p)))
			return false;
	}
	return true;
}

/* claim NAME for ID: 0 done, 1 held by another container (its ID in other), -1 error */
static int claim(const char *root, const char *name, const char *id, char *other, size_t olen)
{
	char path[4400], dir[4400];
	snprintf(path, sizeof(path), "%s/containers/.names/%s", root, name);
	for (int attempt = 0; attempt < 2; attempt++) {
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0) {
			ssize_t n = write(fd, id, CONTAINER_ID_LEN);
			close(fd);
			if (n == CONTAINER_ID_LEN)
				return 0;
			unlink(path);
			return -1;
		}
		if (errno != EEXIST)
			return -1;
		char held[CONTAINER_ID_LEN + 1];
		if (container_claim_read(root, name, held) < 0)
			continue;
		snprintf(other, olen, "%s", held);
		snprintf(dir, sizeof(dir), "%s/containers/%s", root, other);
		if (strlen(other) == CONTAINER_ID_LEN && access(dir, F_OK) == 0)
			return 1;
		unlink(path); /* stale: its container is gone */
	}
	return -1;
}

/* docker's CLI's second line under every refused rename */
static int refused(const char *ref)
{
	fprintf(stderr, "minirun: failed to rename container named %s\n", ref);
	return 1;
}

int cmd_rename(int argc, char **argv)
{
	static const char help[] = "Usage:  minirun rename CONTAINER NEW_NAME\n\n"
				   "Rename a container\n";
	static const struct option none[] = {{NULL, 0, NULL, 0}};
	int ch, rc = 0;
	optind = 0;
	while ((ch = mr_verb_opt(argc, argv, "rename", "", none, help, &rc)) != -1)
		if (ch == MR_OPT_DONE)
			return rc;
	if (argc - optind != 2)
		return info_usage_error("rename", "\"rename\" requires exactly 2 arguments.");
	const char *ref = argv[optind], *name = argv[optind + 1];
	if (*name == '/')
		name++;
	if (!valid_name(name)) {
		fprintf(stderr,
			"minirun: Error when allocating new name: Invalid container name (/%s), only "
			"[a-zA-Z0-9][a-zA-Z0-9_.-] are allowed\n",
			name);
		return refused(ref);
	}
	struct container c;
	if (info_open(ref, true, &c) < 0)
		return refused(ref);
	struct mr_err err = {0};
	char old[CONTAINER_NAME_MAX + 2], other[CONTAINER_ID_LEN + 8] = "", path[4400];
	snprintf(old, sizeof(old), "%s", c.r.name ? c.r.name : "");
	const char *oldn = old[0] == '/' ? old + 1 : old;
	if (!strcmp(oldn, name)) {
		fprintf(stderr, "minirun: Renaming a container with the same name as its current "
				"name\n");
		container_close(&c);
		return refused(ref);
	}
	int r = claim(c.root, name, c.id, other, sizeof(other));
	if (r != 0) {
		if (r == 1)
			fprintf(stderr,
				"minirun: Error when allocating new name: Conflict. The container "
				"name \"/%s\" is already in use by container \"%s\". You have to "
				"remove (or rename) that container to be able to reuse that name.\n",
				name, other);
		else
			fprintf(stderr, "minirun: rename %s: claim the name '%s': %s\n", ref, name,
				strerror(errno));
		container_close(&c);
		return refused(ref);
	}
	snprintf(path, sizeof(path), "/%s", name);
	container_record_set_str(&c.r.name, path); /* the typed record is what is saved */
	if (container_save(&c, &err) < 0) {
		snprintf(path, sizeof(path), "%s/containers/.names/%s", c.root, name);
		unlink(path);
		container_close(&c);
		return mr_err_report(&err, 1);
	}
	snprintf(path, sizeof(path), "%s/containers/.names/%s", c.root, oldn);
	if (*oldn)
		unlink(path);
	mr_say("renamed %.12s: /%s -> /%s", c.id, oldn, name);
	container_event(&c, "rename", "oldName", old);
	container_close(&c);
	return 0;
}

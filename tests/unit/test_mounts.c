/*
 * tests/unit/test_mounts.c - minirun/mounts.c's mnt_open_in_root without mounting anything:
 * paths made inside a root, a relative one taken from the root (an image's "WorkingDir":
 * "app/dir" once made the walk write through a NULL and killed the monitor), and a dangling
 * symlink's target made inside the root, never outside it.
 */
#include "minirun/oci/runtime.h"
#include "tests/unit/unit.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];

static int exists_dir(const char *rel)
{
	char p[256];
	struct stat st;
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void paths_are_made_inside_the_root(void)
{
	struct mr_err err = {0};
	char cmd[128], p[256];
	snprintf(root, sizeof(root), "/tmp/mr-mounts.XXXXXX");
	CU_ASSERT_FATAL(mkdtemp(root) != NULL);
	int rfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	CU_ASSERT_FATAL(rfd >= 0);

	int fd = mnt_open_in_root(rfd, "/srv/app", true, true, &err);
	CU_ASSERT(fd >= 0 && exists_dir("srv/app"));
	if (fd >= 0)
		close(fd);
	/* relative: from the root, as if it began with '/' */
	fd = mnt_open_in_root(rfd, "rel/dir", true, true, &err);
	CU_ASSERT(fd >= 0 && exists_dir("rel/dir"));
	if (fd >= 0)
		close(fd);
	fd = mnt_open_in_root(rfd, "single", true, true, &err);
	CU_ASSERT(fd >= 0 && exists_dir("single"));
	if (fd >= 0)
		close(fd);
	/* a dangling absolute symlink: its target is made inside the root */
	snprintf(p, sizeof(p), "%s/link", root);
	CU_ASSERT_FATAL(symlink("/made/by/link", p) == 0);
	fd = mnt_open_in_root(rfd, "link/x", true, true, &err);
	CU_ASSERT(fd >= 0 && exists_dir("made/by/link/x"));
	if (fd >= 0)
		close(fd);
	CU_ASSERT(access("/made", F_OK) != 0);
	/* without CREATE, a missing path is an error naming it */
	CU_ASSERT(mnt_open_in_root(rfd, "nope", false, true, &err) < 0);
	CU_ASSERT(strstr(err.msg, "nope") != NULL);

	close(rfd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	CU_ASSERT(system(cmd) == 0);
}

static CU_TestInfo tests[] = {
	{"mnt_open_in_root makes paths inside the root; a relative one is taken from the root",
	 paths_are_made_inside_the_root},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("minirun mounts", tests)

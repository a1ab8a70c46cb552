/*
 * minirun/containers/export.c - `minirun export [-o FILE] CONTAINER`: the container's
 * filesystem as one tar, as docker's export writes it (entries named "bin/sh", no leading
 * "/"; the merged view of the image's layers and the container's changes, whiteouts applied).
 *
 * A running container's overlay is read where its monitor mounted it (RUN/containers/ID/
 * merged, which shows none of the mounts made inside the container: /proc, /sys, volumes
 * and /etc/hosts stay out, as they do of docker's export); a stopped one's is mounted in a
 * private mount namespace of this process (cp.c's cp_root), which goes away with it:
 * nothing is left mounted on the host.
 *
 *   minirun export web > web.tar
 *   minirun export -o web.tar web
 *
 * See: https://docs.docker.com/reference/cli/docker/container/export/
 */
#include "minirun/containers/info.h"

#include <archive.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/cli.h"

/* every entry of the root ROOTFD into the tar A, named from the root down */
static int tar_root(struct archive *a, int rootfd, struct mr_err *err)
{
	int fd = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return mr_fail(err, errno, "open the container's root");
	}
	struct dirent *de;
	int rc = 0;
	while (rc == 0 && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			rc = cp_tar_tree(a, dirfd(d), de->d_name, de->d_name, err);
	closedir(d);
	return rc;
}

/* the root to read: a running container's merged dir if it is mounted, else cp_root */
static int export_root(struct container *c, struct mr_err *err)
{
	char merged[4400], run[4410];
	struct stat m, r;
	container_path(c, "merged", merged, sizeof(merged));
	snprintf(run, sizeof(run), "%s/..", merged);
	if (container_pid(c) > 0 && stat(merged, &m) == 0 && stat(run, &r) == 0 &&
	    m.st_dev != r.st_dev) {
		mr_say("the container runs: its overlay is mounted on %s", merged);
		int fd = open(merged, O_PATH | O_DIRECTORY | O_CLOEXEC);
		return fd < 0 ? mr_fail(err, errno, "open '%s'", merged) : fd;
	}
	return cp_root(c, err);
}

int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
					     {NULL, 0, NULL, 0}};
	static const char help[] = "Usage:  minirun export [OPTIONS] CONTAINER\n\n"
				   "Export a container's filesystem as a tar archive\n\n"
				   "Options:\n"
				   "  -o, --output string   Write to a file, instead of STDOUT\n";
	const char *out = NULL;
	int ch, rc = 0;
	optind = 0;
	while ((ch = mr_verb_opt(argc, argv, "export", "o:", opts, help, &rc)) != -1) {
		if (ch == MR_OPT_DONE)
			return rc;
		out = optarg;
	}
	if (argc - optind != 1)
		return info_usage_error("export", "\"export\" requires exactly 1 argument.");
	if (!out && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "minirun: cowardly refusing to save to a terminal. Use the -o flag "
				"or redirect\n");
		return 1;
	}
	struct container c;
	if (info_open(argv[optind], false, &c) < 0)
		return 1;
	struct mr_err err = {0};
	_cleanup_close_ int root = export_root(&c, &err);
	int fd = STDOUT_FILENO;
	if (root >= 0 && out &&
	    (fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
		mr_fail(&err, errno, "failed to export container: open '%s'", out);
	rc = 1;
	if (root >= 0 && fd >= 0) {
		cp_tar_shift(&c); /* --userns=auto: the container's own ids */
		struct archive *a = archive_write_new();
		archive_write_set_format_pax_restricted(a);
		if (archive_write_open_fd(a, fd) != ARCHIVE_OK)
			mr_fail(&err, 0, "tar: %s", archive_error_string(a));
		else if (tar_root(a, root, &err) == 0 && archive_write_close(a) == ARCHIVE_OK)
			rc = 0;
		archive_write_free(a);
		if (fd != STDOUT_FILENO)
			close(fd);
		if (rc && out)
			unlink(out); /* nothing half-made */
	}
	if (rc)
		fprintf(stderr, "minirun: %s\n", err.msg[0] ? err.msg : "export failed");
	container_close(&c);
	return rc;
}

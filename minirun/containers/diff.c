/*
 * minirun/containers/diff.c - `minirun diff`: what a container changed in its filesystem.
 *
 *   minirun diff CONTAINER
 *
 *   C /etc
 *   A /etc/motd
 *   D /bin/vi
 *
 * The container's root is an overlay: the image's layers below, read-only, and the
 * container's own upper dir (ROOT/containers/ID/diff) on top. Every write lands in the
 * upper dir: a new file is just there, a changed one was copied up first, a deleted one
 * left a whiteout (a 0/0 character device of its name), a directory deleted and made again
 * is "opaque" (xattr trusted.overlay.opaque=y). So the upper dir alone, compared with the
 * layers for "added or changed?", is the whole answer; no process needs to run, and a
 * stopped container answers too. info_changes (info_format.c) walks it.
 *
 * Left out, as docker leaves them out: the empty files and directories the runtime made
 * only to mount on (/etc/hosts, a volume's or a tmpfs's destination the image does not
 * have) and the directories it made or copied up to hold them (mountpoints.c).
 *
 * See: docker-diff(1); Documentation/filesystems/overlayfs.rst ("whiteouts and opaque
 *      directories"); unionfs/ (the same overlay, by hand)
 */
#include "lib/cli.h"
#include "minirun/containers/info.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minirun/containers/mountpoints.h"
#include "minirun/image/image.h"

int info_lowers(struct container *c, char ***out, struct mr_err *err)
{
	const char *ld = c->r.lower_dir;
	if (ld && *ld) {
		size_t n = 1;
		for (const char *p = ld; *p; p++)
			n += *p == ':';
		char **v = calloc(n + 1, sizeof(*v)), *copy = strdup(ld), *save = NULL;
		size_t i = 0;
		for (char *s = strtok_r(copy, ":", &save); s && i < n;
		     s = strtok_r(NULL, ":", &save))
			v[i++] = strdup(s);
		free(copy);
		*out = v;
		return 0;
	}
	struct store st;
	if (store_open(&st, c->root, err) < 0)
		return -1;
	const char *image = c->r.image;
	int rc = image_lowerdirs(&st, image ? image : "", out, NULL, err);
	store_close(&st);
	return rc;
}

int cmd_diff(int argc, char **argv)
{
	static const char help[] =
		"Usage:  minirun diff CONTAINER\n\n"
		"Inspect changes to files or directories on a container's filesystem\n";
	int st, opt;
	optind = 0; /* no flag of its own but --help, taken anywhere, as docker's CLI */
	if ((opt = mr_verb_opt(argc, argv, "diff", "", NULL, help, &st)) != -1)
		return opt == MR_OPT_DONE ? st : MR_EXIT_RUNTIME;
	argc -= optind - 1; /* the operands, from argv[1] on */
	argv += optind - 1;
	if (argc != 2)
		return mr_operand_error("diff", "\"diff\" requires exactly 1 argument.");
	struct container c;
	struct mr_err err = {0};
	if (info_open(argv[1], false, &c) < 0)
		return 1;
	char upper[4200], **lowers = NULL, **mps = container_mountpoints(&c), **litter = NULL;
	struct info_change *ch = NULL;
	size_t n = 0;
	int rc = 0;
	container_path(&c, "diff", upper, sizeof(upper));
	if (info_lowers(&c, &lowers, &err) < 0 ||
	    info_changes(upper, lowers, (const char *const *)mps, &ch, &n, &err) < 0 ||
	    container_mountpoint_litter(upper, lowers, mps, &litter, &err) < 0) {
		fprintf(stderr, "minirun: %s\n", err.msg);
		rc = 1;
	}
	/* info_changes hid the empty mount points; the directories made to hold them go too */
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (!container_path_listed(litter, ch[i].path))
			printf("%c %s\n", ch[i].kind, ch[i].path);
	info_changes_free(ch, n);
	container_paths_free(mps);
	container_paths_free(litter);
	if (lowers)
		image_lowerdirs_free(lowers);
	container_close(&c);
	return rc;
}

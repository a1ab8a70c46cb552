/*
 * minirun/rootless/paths.c - where an ordinary user's minirun keeps its files.
 *
 * The store (images, layers, containers, volumes, networks) is data the user owns and
 * keeps: the XDG base directory spec puts it under $XDG_DATA_HOME, ~/.local/share by
 * default. The pause process's pid and lock are runtime files, gone at logout:
 * $XDG_RUNTIME_DIR, which pam_systemd makes as /run/user/UID; where there is no such
 * thing (su, cron, a container) a directory in /tmp that only the user owns, as podman
 * falls back to. `minirun --root DIR` (or MINIRUN_ROOT) still chooses the store.
 *
 * See: https://specifications.freedesktop.org/basedir-spec/latest/; podman's
 * rootless.GetRuntimeDir; rootless.h.
 */
#include "minirun/rootless/rootless.h"

#include "lib/file.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

const char *rootless_data_dir(struct mr_err *err)
{
	static char buf[4096];
	const char *xdg = getenv("XDG_DATA_HOME");
	if (xdg && *xdg == '/') { /* the spec: a relative value is ignored */
		snprintf(buf, sizeof(buf), "%s/minirun", xdg);
		return buf;
	}
	const char *home = getenv("HOME");
	if (!home || *home != '/') {
		struct passwd *pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : NULL;
	}
	if (!home || *home != '/') {
		mr_fail(err, 0,
			"no home directory for uid %u: set XDG_DATA_HOME or HOME, or pass "
			"--root DIR",
			(unsigned)getuid());
		return NULL;
	}
	snprintf(buf, sizeof(buf), "%s/.local/share/minirun", home);
	return buf;
}

/* owned_dir - PATH is a real directory (not a symlink) of ours that nobody else may
 * write: the only kind a pid file may be trusted from */
static bool owned_dir(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == getuid() &&
	       !(st.st_mode & 022);
}

const char *rootless_runtime_dir(struct mr_err *err)
{
	static char buf[4096];
	char base[4000];
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	if (xdg && *xdg == '/')
		snprintf(base, sizeof(base), "%s", xdg);
	else {
		snprintf(base, sizeof(base), "/run/user/%u", (unsigned)getuid());
		if (!owned_dir(base)) {
			/* the last resort: /tmp is everyone's, so the name may have been taken
			 * by someone else first; mkdir then fails or the owner check does */
			const char *tmp = getenv("TMPDIR");
			snprintf(base, sizeof(base), "%s/minirun-run-%u",
				 tmp && *tmp == '/' ? tmp : "/tmp", (unsigned)getuid());
			if (mkdir(base, 0700) < 0 && errno != EEXIST) {
				mr_fail(err, errno, "mkdir '%s'", base);
				return NULL;
			}
			if (!owned_dir(base)) {
				mr_fail(err, 0,
					"'%s' is not a directory of yours that only you may "
					"write: set XDG_RUNTIME_DIR to one",
					base);
				return NULL;
			}
		}
	}
	snprintf(buf, sizeof(buf), "%s/minirun", base);
	if (mr_mkdir_p(buf, 0700, err) < 0)
		return NULL;
	if (!owned_dir(buf)) {
		mr_fail(err, 0, "'%s' is not a directory of yours that only you may write", buf);
		return NULL;
	}
	return buf;
}

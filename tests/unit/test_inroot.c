/*
 * tests/unit/test_inroot.c - lib/inroot.c: a path opened below a directory stays below it,
 * with openat2 and with the fallback walk (MR_NO_OPENAT2=1), whatever the symlinks say.
 */
#include "lib/inroot.h"
#include "tests/unit/unit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];

/* ROOT/etc/passwd says "inside"; ROOT/abs -> /etc, ROOT/up -> ../../../../etc,
 * ROOT/rel -> etc: three ways to reach a passwd, two of them aimed at the host's */
static int make_tree(void)
{
	char p[128];
	snprintf(root, sizeof(root), "/tmp/mr-inroot.XXXXXX");
	if (!mkdtemp(root))
		return -1;
	snprintf(p, sizeof(p), "%s/etc", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/etc/passwd", root);
	FILE *f = fopen(p, "w");
	if (!f)
		return -1;
	fputs("inside\n", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/abs", root);
	if (symlink("/etc", p) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/up", root);
	if (symlink("../../../../etc", p) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/rel", root);
	return symlink("etc", p);
}

static void remove_tree(void)
{
	const char *names[] = {"etc/passwd", "abs", "up", "rel", "etc", NULL};
	char p[128];
	for (int i = 0; names[i]; i++) {
		snprintf(p, sizeof(p), "%s/%s", root, names[i]);
		if (unlink(p) < 0)
			rmdir(p);
	}
	rmdir(root);
}

/* the first line of PATH opened in ROOT, "" when it did not open (errno to *e) */
static const char *read_in(const char *path, int *e)
{
	static char buf[64];
	buf[0] = '\0';
	int rfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int fd = mr_open_in_root(rfd, path, O_RDONLY, 0);
	*e = fd < 0 ? errno : 0;
	if (fd >= 0) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	close(rfd);
	return buf;
}

static void symlinks_resolve_inside_with_openat2(void)
{
	int e;
	unsetenv("MR_NO_OPENAT2");
	CU_ASSERT_EQUAL_FATAL(make_tree(), 0);
	CU_ASSERT_STRING_EQUAL(read_in("/etc/passwd", &e), "inside\n");
	/* an absolute link and a climbing one both stop at the root, as in a container */
	CU_ASSERT_STRING_EQUAL(read_in("abs/passwd", &e), "inside\n");
	CU_ASSERT_STRING_EQUAL(read_in("up/passwd", &e), "inside\n");
	CU_ASSERT_STRING_EQUAL(read_in("../../etc/passwd", &e), "inside\n");
	remove_tree();
}

static void fallback_refuses_every_symlink_and_dotdot(void)
{
	int e;
	setenv("MR_NO_OPENAT2", "1", 1);
	CU_ASSERT_EQUAL_FATAL(make_tree(), 0);
	CU_ASSERT_STRING_EQUAL(read_in("/etc/passwd", &e), "inside\n");
	CU_ASSERT_STRING_EQUAL(read_in("abs/passwd", &e), "");
	CU_ASSERT_EQUAL(e, ELOOP);
	CU_ASSERT_STRING_EQUAL(read_in("up/passwd", &e), "");
	CU_ASSERT_EQUAL(e, ELOOP);
	/* even one that would stay inside: stricter, never looser */
	CU_ASSERT_STRING_EQUAL(read_in("rel/passwd", &e), "");
	CU_ASSERT_EQUAL(e, ELOOP);
	CU_ASSERT_STRING_EQUAL(read_in("../etc/passwd", &e), "");
	CU_ASSERT_EQUAL(e, EXDEV);
	/* a symlink as the last component, opened O_PATH, is refused too */
	int rfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int fd = mr_open_in_root(rfd, "abs", O_PATH, 0);
	CU_ASSERT(fd < 0 && errno == ELOOP);
	if (fd >= 0)
		close(fd);
	close(rfd);
	unsetenv("MR_NO_OPENAT2");
	remove_tree();
}

static void the_root_itself_and_create_flags(void)
{
	CU_ASSERT_EQUAL_FATAL(make_tree(), 0);
	int rfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	for (int fallback = 0; fallback < 2; fallback++) {
		if (fallback)
			setenv("MR_NO_OPENAT2", "1", 1);
		struct stat a, b;
		int fd = mr_open_in_root(rfd, "/", O_RDONLY | O_DIRECTORY, 0);
		CU_ASSERT(fd >= 0 && fstat(fd, &a) == 0 && fstat(rfd, &b) == 0 &&
			  a.st_ino == b.st_ino);
		if (fd >= 0)
			close(fd);
		fd = mr_open_in_root(rfd, "etc/new", O_WRONLY | O_CREAT, 0);
		CU_ASSERT(fd < 0 && errno == EINVAL);
	}
	unsetenv("MR_NO_OPENAT2");
	close(rfd);
	remove_tree();
}

/* mr_openat_type opens a name only as the type asked for: a symlink, a FIFO (whose open would
 * block) or the other type is refused before anything is opened for real */
static void openat_type_opens_only_the_type_asked(void)
{
	char p[128];
	struct stat st;
	CU_ASSERT_EQUAL_FATAL(make_tree(), 0);
	snprintf(p, sizeof(p), "%s/fifo", root);
	CU_ASSERT_EQUAL_FATAL(mkfifo(p, 0600), 0);
	int rfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int etc = openat(rfd, "etc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int fd = mr_openat_type(etc, "passwd", O_RDONLY, S_IFREG, &st);
	char buf[16] = "";
	CU_ASSERT(fd >= 0 && read(fd, buf, sizeof(buf) - 1) == 7 && S_ISREG(st.st_mode));
	CU_ASSERT_STRING_EQUAL(buf, "inside\n");
	if (fd >= 0)
		close(fd);
	static const struct {
		const char *name;
		mode_t type;
		int err;
	} refused[] = {
		{"abs", S_IFDIR, ELOOP},    /* a symlink, even to a directory */
		{"rel", S_IFREG, ELOOP},    /* one that stays inside too */
		{"etc", S_IFREG, EISDIR},   /* a directory where a file is wanted */
		{"fifo", S_IFREG, ENXIO},   /* never opened: no wait for a writer */
		{"fifo", S_IFDIR, ENOTDIR}, /* not a directory */
		{"missing", S_IFREG, ENOENT},
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		errno = 0;
		fd = mr_openat_type(rfd, refused[i].name, O_RDONLY, refused[i].type, NULL);
		CU_ASSERT(fd < 0 && errno == refused[i].err);
		if (fd >= 0)
			close(fd);
	}
	/* "" is the fd itself, reopened for real (it was O_PATH) */
	fd = mr_openat_type(etc, "", O_RDONLY | O_DIRECTORY, S_IFDIR, NULL);
	CU_ASSERT(fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode));
	if (fd >= 0)
		close(fd);
	close(etc);
	close(rfd);
	unlink(p);
	remove_tree();
}

static CU_TestInfo tests[] = {
	{"symlinks and .. resolve inside the root with openat2",
	 symlinks_resolve_inside_with_openat2},
	{"the fallback refuses every symlink and ..", fallback_refuses_every_symlink_and_dotdot},
	{"\"/\" is the root itself; O_CREAT is refused", the_root_itself_and_create_flags},
	{"mr_openat_type opens only the type asked for: no symlink, FIFO or other type",
	 openat_type_opens_only_the_type_asked},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("lib in-root open", tests)

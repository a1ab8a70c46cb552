/*
 * tests/unit/test_unionfs.c - the pure parts of unionfs/: whiteout names, path cleaning,
 * layer digests of known tars, the overlay whiteout test, the path set.
 */
#include "tests/unit/unit.h"
#include "unionfs/layer.h"
#include "unionfs/layer_int.h"
#include "unionfs/overlay.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static void whiteout_kinds(void)
{
	const char *t = NULL;
	CU_ASSERT_EQUAL(layer_whiteout_kind("motd", &t), LAYER_WH_NONE);
	CU_ASSERT_EQUAL(layer_whiteout_kind(".whatever", &t), LAYER_WH_NONE);
	CU_ASSERT_EQUAL(layer_whiteout_kind(".wh.motd", &t), LAYER_WH_FILE);
	CU_ASSERT_STRING_EQUAL(t, "motd");
	CU_ASSERT_EQUAL(layer_whiteout_kind(".wh..hidden", &t), LAYER_WH_FILE);
	CU_ASSERT_STRING_EQUAL(t, ".hidden");
	CU_ASSERT_EQUAL(layer_whiteout_kind(".wh..wh..opq", NULL), LAYER_WH_OPQ);
}

static void whiteout_kinds_refuse_meta_names(void)
{
	CU_ASSERT_EQUAL(layer_whiteout_kind(".wh.", NULL), LAYER_WH_BAD);
	CU_ASSERT_EQUAL(layer_whiteout_kind(".wh..", NULL), LAYER_WH_BAD);
	CU_ASSERT_EQUAL(layer_whiteout_kind(".wh...", NULL), LAYER_WH_BAD);
	CU_ASSERT_EQUAL(layer_whiteout_kind(".wh..wh.plnk", NULL), LAYER_WH_BAD);
}

static void whiteout_name_round_trips(void)
{
	char buf[32];
	const char *t = NULL;
	CU_ASSERT_EQUAL(layer_whiteout_name("motd", buf, sizeof(buf)), 0);
	CU_ASSERT_STRING_EQUAL(buf, ".wh.motd");
	CU_ASSERT_EQUAL(layer_whiteout_kind(buf, &t), LAYER_WH_FILE);
	CU_ASSERT_STRING_EQUAL(t, "motd");
	CU_ASSERT_EQUAL(layer_whiteout_name("a-name-too-long-for-the-buffer", buf, 16), -1);
	CU_ASSERT_EQUAL(errno, ENAMETOOLONG);
}

static void clean(const char *in, const char *want)
{
	char out[64];
	struct mr_err err = {0};
	int rc = layer_clean_path(in, out, sizeof(out), &err);
	CU_ASSERT_EQUAL(rc, 0);
	if (rc == 0)
		CU_ASSERT_STRING_EQUAL(out, want);
}

static void refuse(const char *in, const char *why, int errnum)
{
	char out[64];
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(layer_clean_path(in, out, sizeof(out), &err), -1);
	CU_ASSERT_EQUAL(err.errnum, errnum);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, why));
}

static void clean_path_canonical_forms(void)
{
	clean("etc/passwd", "etc/passwd");
	clean("./etc/passwd", "etc/passwd");
	clean("./a//b/./c/", "a/b/c");
	clean(".", "");
	clean("./", "");
	clean("...", "...");
	clean("a/..b/c..", "a/..b/c..");
	clean(".wh..wh..opq", ".wh..wh..opq");
}

static void clean_path_refuses_escapes(void)
{
	refuse("/etc/passwd", "absolute path", EINVAL);
	refuse("..", "climbs out with '..'", EINVAL);
	refuse("../etc", "climbs out", EINVAL);
	refuse("a/../../etc", "'a/../../etc'", EINVAL);
	refuse("a/b/..", "climbs out", EINVAL);
	refuse("", "empty path", EINVAL);
	char longp[200];
	memset(longp, 'x', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = '\0';
	refuse(longp, "too long", ENAMETOOLONG);
}

/* write LEN bytes of DATA to a temp file; returns its path (static buffer) */
static const char *temp_file(const void *data, size_t len)
{
	static char path[64];
	strcpy(path, "/tmp/unionfs-unit.XXXXXX");
	int fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, data, len) == (ssize_t)len);
	close(fd);
	return path;
}

/* The empty tar (two 512-byte zero blocks) is the best-known layer there is: its diffID
 * sha256:5f70bf18... is the "empty layer" of many docker images. */
#define EMPTY_TAR_SHA "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"

static void digest_of_empty_tar(void)
{
	static const char zeros[1024];
	const char *p = temp_file(zeros, sizeof(zeros));
	struct layer_digests d;
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(layer_digest(p, &d, &err), 0);
	CU_ASSERT_STRING_EQUAL(d.digest, EMPTY_TAR_SHA);
	CU_ASSERT_STRING_EQUAL(d.diffid, EMPTY_TAR_SHA);
	CU_ASSERT_EQUAL(d.size, 1024);
	CU_ASSERT_STRING_EQUAL(d.compression, "none");
	unlink(p);
}

static void digest_of_gzip_tar(void)
{
	/* gzip -n -9 of the same 1024 zero bytes */
	static const unsigned char gz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,
					   0x02, 0x03, 0x63, 0x60, 0x18, 0x05, 0xa3, 0x60,
					   0x14, 0x8c, 0x54, 0x00, 0x00, 0x2e, 0xaf, 0xb5,
					   0xef, 0x00, 0x04, 0x00, 0x00};
	const char *p = temp_file(gz, sizeof(gz));
	struct layer_digests d;
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(layer_digest(p, &d, &err), 0);
	CU_ASSERT_STRING_EQUAL(
		d.digest,
		"sha256:deb230b21e0d7ef6a0a2d65a19599d4251b5f08888a5155882fbef2ef71e1e11");
	CU_ASSERT_STRING_EQUAL(d.diffid, EMPTY_TAR_SHA);
	CU_ASSERT_EQUAL(d.size, sizeof(gz));
	CU_ASSERT_STRING_EQUAL(d.compression, "gzip");
	unlink(p);
}

static void digest_of_nothing_and_of_a_missing_file(void)
{
	const char *p = temp_file("", 0);
	struct layer_digests d;
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(layer_digest(p, &d, &err), 0);
	CU_ASSERT_STRING_EQUAL(
		d.diffid,
		"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	unlink(p);
	CU_ASSERT_EQUAL(layer_digest("/nonexistent/layer.tar", &d, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "layer '/nonexistent/layer.tar': No such file"));
}

static void overlay_whiteout_is_char_0_0(void)
{
	struct stat st = {.st_mode = S_IFCHR | 0, .st_rdev = makedev(0, 0)};
	CU_ASSERT_TRUE(ovl_is_whiteout(&st));
	st.st_rdev = makedev(1, 3); /* /dev/null is not a whiteout */
	CU_ASSERT_FALSE(ovl_is_whiteout(&st));
	st = (struct stat){.st_mode = S_IFREG};
	CU_ASSERT_FALSE(ovl_is_whiteout(&st));
}

static void pathset_remembers_many(void)
{
	struct pathset s = {0};
	char p[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(p, sizeof(p), "dir/f%d", i);
		CU_ASSERT_EQUAL_FATAL(pathset_add(&s, p), 0);
	}
	CU_ASSERT_EQUAL(pathset_add(&s, "dir/f7"), 0); /* again: no duplicate */
	CU_ASSERT_EQUAL(s.n, 5000);
	CU_ASSERT_TRUE(pathset_has(&s, "dir/f4999"));
	CU_ASSERT_FALSE(pathset_has(&s, "dir/f5000"));
	CU_ASSERT_FALSE(pathset_has(&s, "dir"));
	pathset_free(&s);
	CU_ASSERT_FALSE(pathset_has(&s, "dir/f1"));
}

static void method_names(void)
{
	CU_ASSERT_STRING_EQUAL(ovl_method_name(OVL_METHOD_LOWERDIR_PLUS), "fsconfig lowerdir+");
	CU_ASSERT_STRING_EQUAL(ovl_method_name(OVL_METHOD_SHORT_NAMES),
			       "mount(2) with short symlinked names");
}

static CU_TestInfo tests[] = {
	{".wh.NAME and .wh..wh..opq are recognised", whiteout_kinds},
	{"whiteouts naming nothing removable are refused", whiteout_kinds_refuse_meta_names},
	{"NAME -> .wh.NAME and back", whiteout_name_round_trips},
	{"tar paths clean to one canonical relative form", clean_path_canonical_forms},
	{"absolute, '..' and over-long paths are refused, naming the path",
	 clean_path_refuses_escapes},
	{"the empty tar has the well-known digest and diffID", digest_of_empty_tar},
	{"a gzip layer: digest of the blob, diffID of the tar inside", digest_of_gzip_tar},
	{"an empty blob hashes to sha256(\"\"); a missing one is named",
	 digest_of_nothing_and_of_a_missing_file},
	{"an overlay whiteout is a character device 0/0", overlay_whiteout_is_char_0_0},
	{"the path set remembers 5000 paths without duplicates", pathset_remembers_many},
	{"overlay methods have printable names", method_names},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("unionfs", tests)

/*
 * tests/unit/test_printable.c - lib/printable.c: a hostile name prints as one line with no
 * control character and no invalid UTF-8, cut to the buffer with "...".
 */
#include "lib/printable.h"
#include "tests/unit/unit.h"

#include <string.h>

static void controls_and_bad_utf8_are_escaped(void)
{
	char buf[128];
	CU_ASSERT_STRING_EQUAL(mr_printable("plain/name.txt", buf, sizeof(buf)), "plain/name.txt");
	CU_ASSERT_STRING_EQUAL(mr_printable("a\nb\tc\rd", buf, sizeof(buf)), "a\\nb\\tc\\rd");
	CU_ASSERT_STRING_EQUAL(mr_printable("\033[31mred\033[0m", buf, sizeof(buf)),
			       "\\x1b[31mred\\x1b[0m");
	CU_ASSERT_STRING_EQUAL(mr_printable("back\\slash", buf, sizeof(buf)), "back\\\\slash");
	CU_ASSERT_STRING_EQUAL(mr_printable("\x7f\xff\xfe", buf, sizeof(buf)), "\\x7f\\xff\\xfe");
	/* well-formed UTF-8 stays; a C1 control (U+009B, CSI), an overlong '/' and a lone
	 * continuation byte do not */
	CU_ASSERT_STRING_EQUAL(mr_printable("caf\xc3\xa9 \xe2\x82\xac", buf, sizeof(buf)),
			       "caf\xc3\xa9 \xe2\x82\xac");
	CU_ASSERT_STRING_EQUAL(mr_printable("\xc2\x9b"
					    "2J",
					    buf, sizeof(buf)),
			       "\\xc2\\x9b2J");
	CU_ASSERT_STRING_EQUAL(mr_printable("\xc0\xaf", buf, sizeof(buf)), "\\xc0\\xaf");
	CU_ASSERT_STRING_EQUAL(mr_printable("\x80", buf, sizeof(buf)), "\\x80");
	CU_ASSERT_STRING_EQUAL(mr_printable(NULL, buf, sizeof(buf)), "");
	CU_ASSERT_STRING_EQUAL(mr_printable_n("ab\0cd", 5, buf, sizeof(buf)), "ab\\x00cd");
}

static void a_long_name_is_cut_with_dots(void)
{
	char buf[12], big[4096];
	CU_ASSERT_STRING_EQUAL(mr_printable("0123456789", buf, sizeof(buf)), "0123456789");
	CU_ASSERT_STRING_EQUAL(mr_printable("0123456789ab", buf, sizeof(buf)), "01234567...");
	/* never inside an escape */
	CU_ASSERT_STRING_EQUAL(mr_printable("0123456\n890", buf, sizeof(buf)), "0123456...");
	memset(big, '\n', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	char out[100];
	mr_printable(big, out, sizeof(out));
	CU_ASSERT(strlen(out) < sizeof(out));
	CU_ASSERT(strchr(out, '\n') == NULL);
	CU_ASSERT(strcmp(out + strlen(out) - 3, "...") == 0);
}

static CU_TestInfo tests[] = {
	{"control characters, backslashes and invalid UTF-8 are escaped; UTF-8 text stays",
	 controls_and_bad_utf8_are_escaped},
	{"a name longer than the buffer is cut, never inside an escape, and ends with ...",
	 a_long_name_is_cut_with_dots},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("lib printable names", tests)

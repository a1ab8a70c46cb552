/*
 * minirun/scan/rpmver.c - rpm's version ordering (Red Hat, Rocky, AlmaLinux, Fedora ...).
 *
 * A package's version is [EPOCH:]VERSION-RELEASE ("1:3.0.7-18.el9_2"). Two are compared
 * part by part: the epoch as a number (none is 0), then the version, then the release,
 * each by rpmvercmp:
 *
 *   both strings are cut into segments of digits or of letters; everything else separates
 *   them and does not count (1.0 == 1_0), except
 *   '~'   sorts before anything, even the end: 1.0~rc1 < 1.0
 *   '^'   sorts after the end but before anything else: 1.0 < 1.0^git1 < 1.0.1
 *   digits against digits compare as numbers (leading zeros dropped: 010 == 10);
 *   letters against letters as strings (bytes); a number is newer than letters (1.a < 1.1)
 *   when one runs out, the longer one is newer (1.0 < 1.0.1, 1.0 < 1.0a)
 *
 * When only one of the two has a release (a '-'), that one is the newer, whatever the
 * release says (rpm's rpmverCmp: 1.0-0 > 1.0, 1.0-_ > 1.0); two versions without one
 * compare by epoch and version alone.
 * Unlike dpkg there is no validity check: rpm accepts any string and compares it this way.
 *
 * See: rpm's rpmio/rpmvercmp.c and lib/rpmver.c (the algorithm), rpm.org's "Package version
 * comparison" page; tests/unit/test_scan_version.c checks this against rpm's own
 * rpm.vercmp on random pairs.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "minirun/scan/scan.h"

/* seg_cmp - rpmvercmp over the first N bytes of A and M bytes of B */
static int seg_cmp(const char *a, size_t n, const char *b, size_t m)
{
	const char *ae = a + n, *be = b + m;
	if (n == m && !memcmp(a, b, n))
		return 0;
	while (a < ae || b < be) {
		while (a < ae && !isalnum((unsigned char)*a) && *a != '~' && *a != '^')
			a++;
		while (b < be && !isalnum((unsigned char)*b) && *b != '~' && *b != '^')
			b++;
		/* '~' sorts before everything, the end included */
		if ((a < ae && *a == '~') || (b < be && *b == '~')) {
			if (a >= ae || *a != '~')
				return 1;
			if (b >= be || *b != '~')
				return -1;
			a++, b++;
			continue;
		}
		/* '^' sorts after the end, before everything else */
		if ((a < ae && *a == '^') || (b < be && *b == '^')) {
			if (a >= ae)
				return -1;
			if (b >= be)
				return 1;
			if (*a != '^')
				return 1;
			if (*b != '^')
				return -1;
			a++, b++;
			continue;
		}
		if (a >= ae || b >= be)
			break;
		int num = isdigit((unsigned char)*a);
		const char *as = a, *bs = b;
		while (a < ae && (num ? isdigit((unsigned char)*a) : isalpha((unsigned char)*a)))
			a++;
		while (b < be && (num ? isdigit((unsigned char)*b) : isalpha((unsigned char)*b)))
			b++;
		if (b == bs) /* unlike kinds: the number is newer */
			return num ? 1 : -1;
		if (num) {
			while (as < a && *as == '0')
				as++;
			while (bs < b && *bs == '0')
				bs++;
			if (a - as != b - bs)
				return a - as > b - bs ? 1 : -1;
		}
		size_t la = (size_t)(a - as), lb = (size_t)(b - bs);
		int c = memcmp(as, bs, la < lb ? la : lb);
		if (c)
			return c < 0 ? -1 : 1;
		if (la != lb)
			return la < lb ? -1 : 1;
	}
	if (a >= ae && b >= be)
		return 0;
	return a >= ae ? -1 : 1;
}

/* split - EVR into the epoch's digits (E, EN: none when EN == 0), version and release */
struct evr {
	const char *e, *v, *r; /* r: NULL when there is no '-' */
	size_t en, vn, rn;
};
static void split(const char *s, struct evr *x)
{
	size_t d = strspn(s, "0123456789");
	memset(x, 0, sizeof(*x));
	if (s[d] == ':') {
		x->e = s;
		x->en = d;
		s += d + 1;
	}
	const char *dash = strrchr(s, '-');
	x->v = s;
	x->vn = dash ? (size_t)(dash - s) : strlen(s);
	x->r = dash ? dash + 1 : NULL;
	x->rn = dash ? strlen(x->r) : 0;
}

int rpm_version_cmp(const char *a, const char *b)
{
	struct evr x, y;
	split(a, &x);
	split(b, &y);
	int c = seg_cmp(x.en ? x.e : "0", x.en ? x.en : 1, y.en ? y.e : "0", y.en ? y.en : 1);
	if (!c)
		c = seg_cmp(x.v, x.vn, y.v, y.vn);
	if (!c && x.r && y.r)
		c = seg_cmp(x.r, x.rn, y.r, y.rn);
	else if (!c && (x.r || y.r))
		c = x.r ? 1 : -1;
	return c;
}

/*
 * minirun/scan/debver.c - dpkg's version ordering, as deb-version(7) documents it.
 *
 * A Debian version is [epoch:]upstream[-revision]. Two versions compare by epoch (a
 * number, 0 when absent), then upstream, then revision (absent = "0"). Upstream and
 * revision compare left to right in alternating runs:
 *
 *   - a run of non-digits, character by character, where '~' sorts before everything
 *     (even the end of the string), then the end of the string, then letters (in ASCII
 *     order), then every other character (in ASCII order, after all letters);
 *   - then a run of digits, as a number (so leading zeros do not count).
 *
 * So 1.0~rc1 < 1.0 < 1.0a < 1.0+b1: after "1.0", the '~' sorts before the end of the
 * other string, the end before 'a', and a letter before '+'. Checked against
 * `dpkg --compare-versions` on random pairs by tests/unit/test_scan_version.c.
 *
 * See: deb-version(7), dpkg --compare-versions (dpkg(1)), Debian Policy 5.6.12.
 */
#include <ctype.h>
#include <string.h>

#include "minirun/scan/scan.h"

/* weight - where one character of a non-digit run sorts: '~' first, then the end of the
 * string (and a digit, which ends the run), then letters, then everything else */
static int weight(unsigned char c)
{
	if (c == '~')
		return -1;
	if (c == 0 || isdigit(c))
		return 0;
	if (isalpha(c))
		return c;
	return c + 256;
}

/* part_cmp - compare one part (upstream or revision), A and B of lengths NA and NB */
static int part_cmp(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0, j = 0;
	while (i < na || j < nb) {
		/* the non-digit run: compare weights until both sides reach a digit or the end */
		while ((i < na && !isdigit((unsigned char)a[i])) ||
		       (j < nb && !isdigit((unsigned char)b[j]))) {
			int wa = weight(i < na ? a[i] : 0), wb = weight(j < nb ? b[j] : 0);
			if (wa != wb)
				return wa < wb ? -1 : 1;
			i++, j++;
		}
		/* the digit run: skip leading zeros, then the longer number is bigger, and
		 * between two of one length the first differing digit decides */
		while (i < na && a[i] == '0')
			i++;
		while (j < nb && b[j] == '0')
			j++;
		size_t da = 0, db = 0;
		while (i + da < na && isdigit((unsigned char)a[i + da]))
			da++;
		while (j + db < nb && isdigit((unsigned char)b[j + db]))
			db++;
		if (da != db)
			return da < db ? -1 : 1;
		int c = memcmp(a + i, b + j, da);
		if (c)
			return c < 0 ? -1 : 1;
		i += da, j += db;
	}
	return 0;
}

struct debver {
	unsigned long long epoch;
	const char *up, *rev; /* rev: "0" when absent */
	size_t nup, nrev;
};

static void split(const char *v, struct debver *d)
{
	const char *colon = strchr(v, ':'), *dash;
	d->epoch = 0;
	if (colon) {
		for (const char *p = v; p < colon && isdigit((unsigned char)*p); p++)
			d->epoch = d->epoch * 10 + (unsigned)(*p - '0');
		v = colon + 1;
	}
	dash = strrchr(v, '-');
	d->up = v;
	d->nup = dash ? (size_t)(dash - v) : strlen(v);
	d->rev = dash ? dash + 1 : "0";
	d->nrev = strlen(d->rev);
}

int deb_version_cmp(const char *a, const char *b)
{
	struct debver x, y;
	split(a, &x);
	split(b, &y);
	if (x.epoch != y.epoch)
		return x.epoch < y.epoch ? -1 : 1;
	int c = part_cmp(x.up, x.nup, y.up, y.nup);
	return c ? c : part_cmp(x.rev, x.nrev, y.rev, y.nrev);
}

int deb_version_valid(const char *v)
{
	const char *colon = strchr(v, ':'), *dash;
	if (colon) {
		if (colon == v || strspn(v, "0123456789") != (size_t)(colon - v) || colon - v > 9)
			return 0;
		v = colon + 1;
	}
	dash = strrchr(v, '-');
	size_t nup = dash ? (size_t)(dash - v) : strlen(v);
	if (nup == 0 || !isdigit((unsigned char)v[0]))
		return 0;
	for (size_t i = 0; i < nup; i++)
		if (!isalnum((unsigned char)v[i]) && !strchr(".+~-", v[i]))
			return 0;
	if (dash) {
		if (!dash[1])
			return 0;
		for (const char *p = dash + 1; *p; p++)
			if (!isalnum((unsigned char)*p) && !strchr(".+~", *p))
				return 0;
	}
	return 1;
}

/*
 * minirun/containers/units.c - docker's sizes: "512m", "1g", "100k" -> bytes.
 *
 * -m, --memory-swap and --tmpfs size= take a size the way docker's go-units RAMInBytes
 * reads it: a decimal number, an optional space, then b k m g t p (or kb, kib ...), any
 * case, 1024-based. Anything else is "invalid size: 'VALUE'", as docker says it.
 *
 * See: https://docs.docker.com/reference/cli/docker/container/run/ ("--memory");
 *      docker/go-units size.go.
 */
#include "minirun/containers/containers.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

long long container_parse_bytes(const char *s, struct mr_err *err)
{
	/* docker's RAMInBytes: a decimal number, optional spaces, then b k m g t p (or
	 * kb/kib ...), case-insensitive, 1024-based */
	static const struct {
		const char *unit;
		int shift;
	} units[] = {
		{"", 0},    {"b", 0},    {"k", 10}, {"kb", 10}, {"kib", 10}, {"m", 20},
		{"mb", 20}, {"mib", 20}, {"g", 30}, {"gb", 30}, {"gib", 30}, {"t", 40},
		{"tb", 40}, {"tib", 40}, {"p", 50}, {"pb", 50}, {"pib", 50},
	};
	char *end;
	/* docker's pattern: ^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$ -- anything else is
	 * "invalid size", the whole value quoted */
	if (!s || !isdigit((unsigned char)*s))
		return mr_fail(err, 0, "invalid size: '%s'", s ? s : ""), -1;
	errno = 0;
	double v = strtod(s, &end);
	bool plain = strspn(s, "0123456789.") == (size_t)(end - s); /* no 1e3, no 0x10 */
	if (errno || !plain || end[-1] == '.')
		return mr_fail(err, 0, "invalid size: '%s'", s), -1;
	if (*end == ' ')
		end++;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcasecmp(end, units[i].unit) != 0)
			continue;
		double bytes = v * (double)(1ULL << units[i].shift);
		if (bytes >= 9.2e18)
			return mr_fail(err, 0, "invalid size: '%s'", s), -1;
		return (long long)bytes;
	}
	return mr_fail(err, 0, "invalid size: '%s'", s), -1;
}

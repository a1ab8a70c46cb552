/*
 * minirun/oci/caps.c - the five capability sets of process.capabilities, with libcap.
 *
 * Root in a container is not root on the host mostly because of what is taken away here.
 * The order matters, and each step needs the one before it:
 *
 *   bounding     dropped first, while we still hold CAP_SETPCAP: it caps what any later
 *                exec can ever gain, even through a setuid binary;
 *   user switch  (process.c) with PR_SET_KEEPCAPS, so setuid(non-zero) keeps permitted;
 *   E, P, I      one capset(2): effective and permitted as configured, inheritable only
 *                as configured (an empty inheritable set means a file's capabilities
 *                can't be picked up across exec: CVE-2022-29162);
 *   ambient      raised last; the kernel allows only caps in both P and I, so an ambient
 *                cap the config leaves out of inheritable is skipped.
 *
 * See: capabilities(7) ("Capability bounding set", "Ambient capabilities"), cap_set_proc(3),
 *      runtime-spec config.md "capabilities".
 */
#include "minirun/oci/setup.h"

#include <errno.h>
#include <sys/capability.h>
#include <sys/prctl.h>

static bool has(const struct spec_process *p, int set, int cap)
{
	return cap < 64 && (p->caps[set] >> cap) & 1;
}

int caps_bounding(const struct spec_process *p, struct mr_err *err)
{
	int last = (int)cap_max_bits() - 1;
	if (!p->has_caps)
		return 0;
	mr_say("drop the bounding set to process.capabilities.bounding");
	for (int c = 0; c <= last; c++)
		if (!has(p, CAPS_BOUNDING, c) && cap_drop_bound(c) < 0 && errno != EINVAL)
			return mr_fail(err, errno, "drop %s from the bounding set", cap_to_name(c));
	return 0;
}

int caps_apply(const struct spec_process *p, struct mr_err *err)
{
	int last = (int)cap_max_bits() - 1;
	if (!p->has_caps)
		return 0; /* no capabilities object: leave the sets alone, as runc does */
	cap_t c = cap_init();
	if (!c)
		return mr_fail(err, errno, "cap_init");
	for (int v = 0; v <= last; v++) {
		cap_value_t cv = v;
		if (has(p, CAPS_EFFECTIVE, v))
			cap_set_flag(c, CAP_EFFECTIVE, 1, &cv, CAP_SET);
		if (has(p, CAPS_PERMITTED, v))
			cap_set_flag(c, CAP_PERMITTED, 1, &cv, CAP_SET);
		if (has(p, CAPS_INHERITABLE, v))
			cap_set_flag(c, CAP_INHERITABLE, 1, &cv, CAP_SET);
	}
	mr_say("capset(effective, permitted, inheritable) as configured");
	int rc = cap_set_proc(c);
	int e = errno;
	cap_free(c);
	if (rc < 0)
		return mr_fail(err, e, "set capabilities (is every effective one also permitted?)");
	/* Why not cap_reset_ambient(3): libcap asks PR_CAP_AMBIENT_IS_SET of every cap
	 * first, 41 prctl calls on the path of each start, for what CLEAR_ALL does in one
	 * (EINVAL: a kernel without ambient capabilities, nothing to clear) */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return mr_fail(err, errno, "clear the ambient set");
	for (int v = 0; v <= last; v++)
		if (has(p, CAPS_AMBIENT, v) && has(p, CAPS_INHERITABLE, v) &&
		    has(p, CAPS_PERMITTED, v) && cap_set_ambient(v, CAP_SET) < 0)
			return mr_fail(err, errno, "raise ambient %s", cap_to_name(v));
	return 0;
}

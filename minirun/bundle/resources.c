/*
 * minirun/bundle/resources.c - the cgroup knobs of `run`/`create` beyond -m, --cpus and
 * --pids-limit: from the record (HostConfig, docker's keys: containers/record.c puts the
 * flags there) to the OCI config, as moby's daemon/oci_linux.go maps them.
 *
 *   --cpu-shares 512            linux.resources.cpu.shares: v1 cpu.shares as it is; on
 *                               cgroup v2 the runtime converts it to cpu.weight (1 + (s-2)
 *                               * 9999 / 262142: 1024 -> 39), as runc and crun do
 *   --cpu-period, --cpu-quota   cpu.period, cpu.quota: v2 cpu.max "QUOTA PERIOD", v1
 *                               cpu.cfs_period_us / cpu.cfs_quota_us
 *   --cpuset-cpus, --cpuset-mems  cpu.cpus, cpu.mems: cpuset.cpus, cpuset.mems
 *   --memory-swappiness 10      memory.swappiness: a v1 file only (docker discards it on v2)
 *   --oom-kill-disable          memory.disableOOMKiller: v1 memory.oom_control = 1 (the same)
 *   --oom-score-adj 500         process.oomScoreAdj: the runtime writes /proc/self/oom_score_adj
 *                               before exec; not a cgroup file at all
 *   --blkio-weight 300          blockIO.weight: v1 blkio.weight (or blkio.bfq.weight), v2
 *                               io.bfq.weight, else io.weight converted (1..10000)
 *   --device-read-bps /dev/vda:1mb  blockIO.throttleReadBpsDevice [{major, minor, rate}]: v1
 *                               blkio.throttle.read_bps_device, v2 io.max "254:0 rbps=1048576";
 *                               and write-bps, read-iops, write-iops the same way
 *
 * The record keeps the device's path (docker's BlkioDeviceReadBps [{Path, Rate}]); its
 * major:minor is read from the node at each start, as docker's daemon does, so a disk that
 * comes back under another number is still the one throttled.
 *
 * See: runtime-spec config-linux.md "cpu", "memory", "blockIO"; the kernel's
 *      admin-guide/cgroup-v2.rst ("CPU", "IO"), cgroup-v1/blkio-controller.rst, proc(5)
 *      (oom_score_adj); docker's run reference, "Runtime constraints on resources".
 * Try: minirun run --rm --cpuset-cpus 0 --cpu-shares 512 busybox cat /sys/fs/cgroup/cpu/cpu.shares
 */
#include "minirun/bundle/bundle.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

/* The throttle lists: the HostConfig key, the OCI key. */
struct throttle {
	const char *hc, *oci;
};
static const struct throttle throttles[] = {
	{"BlkioDeviceReadBps", "throttleReadBpsDevice"},
	{"BlkioDeviceWriteBps", "throttleWriteBpsDevice"},
	{"BlkioDeviceReadIOps", "throttleReadIOPSDevice"},
	{"BlkioDeviceWriteIOps", "throttleWriteIOPSDevice"},
};
#define NTHROTTLE (sizeof(throttles) / sizeof(throttles[0]))

/* the object KEY of R, made when missing (borrowed) */
static json_t *member(json_t *r, const char *key)
{
	json_t *o = json_object_get(r, key);
	if (!json_is_object(o)) {
		o = json_object();
		json_object_set_new(r, key, o);
	}
	return o;
}

static json_int_t int_of(json_t *hc, const char *key)
{
	return json_integer_value(json_object_get(hc, key));
}

/* one HostConfig throttle list -> blockIO.KEY [{major, minor, rate}]: the device numbers
 * from the node now (docker's daemon stats each path when it makes the spec) */
static int throttle_oci(json_t *list, json_t *blk, const char *key, struct mr_err *err)
{
	json_t *e, *out = NULL;
	size_t i;
	json_array_foreach(list, i, e)
	{
		const char *path = json_string_value(json_object_get(e, "Path"));
		struct stat st;
		if (!path || stat(path, &st) < 0 || !S_ISBLK(st.st_mode))
			return mr_fail(
				err, path && errno != ENOENT ? errno : 0,
				"the throttled device %s is no longer a block device on this "
				"host (HostConfig.%s)",
				path ? path : "(none)", key);
		if (!out)
			json_object_set_new(blk, key, out = json_array());
		json_array_append_new(out, json_pack("{s:I, s:I, s:I}", "major",
						     (json_int_t)major(st.st_rdev), "minor",
						     (json_int_t)minor(st.st_rdev), "rate",
						     int_of(e, "Rate")));
	}
	return 0;
}

int container_resources_oci(json_t *hc, json_t *r, json_t *proc, struct mr_err *err)
{
	json_int_t shares = int_of(hc, "CpuShares"), period = int_of(hc, "CpuPeriod");
	json_int_t quota = int_of(hc, "CpuQuota");
	const char *cpus = json_string_value(json_object_get(hc, "CpusetCpus"));
	const char *mems = json_string_value(json_object_get(hc, "CpusetMems"));
	if (shares > 0 || period > 0 || quota != 0 || (cpus && *cpus) || (mems && *mems)) {
		json_t *cpu = member(r, "cpu"); /* --cpus may have made it (quota, period) */
		if (shares > 0)
			json_object_set_new(cpu, "shares", json_integer(shares));
		/* --cpus and these two never meet: the front end refuses both at once */
		if (quota != 0)
			json_object_set_new(cpu, "quota", json_integer(quota));
		if (period > 0)
			json_object_set_new(cpu, "period", json_integer(period));
		if (cpus && *cpus)
			json_object_set_new(cpu, "cpus", json_string(cpus));
		if (mems && *mems)
			json_object_set_new(cpu, "mems", json_string(mems));
	}
	json_t *swp = json_object_get(hc, "MemorySwappiness");
	if (json_is_integer(swp))
		json_object_set_new(member(r, "memory"), "swappiness",
				    json_integer(json_integer_value(swp)));
	if (json_is_true(json_object_get(hc, "OomKillDisable")))
		json_object_set_new(member(r, "memory"), "disableOOMKiller", json_true());

	json_int_t weight = int_of(hc, "BlkioWeight");
	json_t *blk = json_object();
	if (weight > 0)
		json_object_set_new(blk, "weight", json_integer(weight));
	for (size_t i = 0; i < NTHROTTLE; i++)
		if (throttle_oci(json_object_get(hc, throttles[i].hc), blk, throttles[i].oci, err) <
		    0) {
			json_decref(blk);
			return -1;
		}
	if (json_object_size(blk))
		json_object_set_new(r, "blockIO", blk);
	else
		json_decref(blk);

	/* written always, 0 too, as docker does: the container does not inherit the score of
	 * whoever started it (raising a score, or setting 0 from below, needs no privilege) */
	json_t *adj = json_object_get(hc, "OomScoreAdj");
	if (proc && json_is_integer(adj))
		json_object_set_new(proc, "oomScoreAdj", json_integer(json_integer_value(adj)));
	return 0;
}

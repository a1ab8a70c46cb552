# tests/integration/containers/killsteps-monitor.t - killsteps.t for the monitor's later
# steps: `kill -9` of the monitor from the bundle to the recorded exit, then `rm -f -v`
# leaves nothing (no mount, cgroup, veth, nft element, lease, volume, state dir, name
# claim or process). The tests themselves are killsteps.t's; this file picks the steps.
# Run: sh tests/integration/containers/killsteps-monitor.t (as root; make minirun busybox-image)
KS_STEPS="config io oci-create net running start exited teardown recorded"
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/integration/containers/killsteps.t"

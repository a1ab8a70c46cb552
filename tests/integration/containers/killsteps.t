# tests/integration/containers/killsteps.t - `kill -9` at each step of `run`, then `rm -f`
# leaves nothing: no mount, cgroup, veth, nft element, lease, volume, state dir, name claim
# or process. MINIRUN_TEST_DIE_AT=STEP makes the process that reaches STEP (the `run`
# client for the create steps, the monitor for the others) SIGKILL itself right there
# (minirun/containers/step.c; the steps are listed in minirun/containers/README.md).
# Run: sh tests/integration/containers/killsteps.t (as root; make minirun busybox-image)
# This file covers the steps up to the rootfs; killsteps-monitor.t the rest (KS_STEPS).
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

# every step, in the order run reaches them; killsteps-monitor.t runs the monitor's half
# (two suites: each stays well inside the 600 s a suite gets, even in the emulated VM)
: "${KS_STEPS:=image dir name record image-mark dirs volumes created rootfs monitor mount files}"

die_at() {
	ct_need
	ct_host '
		step='"$1"'
		MINIRUN_TEST_DIE_AT=$step mr run -d --name ks -p 8080:80 -v /data busybox \
			sh -c "sleep 0.3" >/dev/null 2>&1
		rc=$?
		echo "run exited $rc at step $step"
		case $step in
		exited | teardown | recorded)
			# the monitor dies after the container has exited: wait for that
			mr wait ks >/dev/null 2>&1 ;;
		esac
		for d in "$R"/containers/*; do
			id=${d##*/}
			[ ${#id} = 64 ] || continue
			mr rm -f -v "$id" >/dev/null || die "rm -f -v $id exited $?"
		done
		ct_noleaks
		vols=$(mr volume ls -q 2>/dev/null)
		[ -z "$vols" ] || die "volumes left: $vols"
		[ "$step" = net ] || exit 0
		# the store still works: the same name, port and volume path run again
		out=$(mr run --rm --name ks -p 8080:80 -v /data busybox echo again) ||
			die "run after rm exited $?"
		[ "$out" = again ] || die "run after rm printed $out"
		ct_noleaks
	'
}

for step in $KS_STEPS; do
	eval "die_at_$(echo "$step" | tr - _)() { die_at $step; }"
	what="kill -9 at step '$step' of run, then rm -f -v: nothing left"
	[ "$step" = net ] && what="$what; the name and port are free again"
	t "$what" "die_at_$(echo "$step" | tr - _)"
done

t_end

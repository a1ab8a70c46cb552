# tests/integration/containers/security.t - the runtime's own binary out of a container's
# reach (CVE-2019-5736): the monitor, whose fork becomes the container's init, runs from a
# copy of minirun nobody can write, and a container whose program is /proc/self/exe gets
# nothing of the host's binary. Docker's defaults seen from inside are in defaults.t.
# Run: sh tests/integration/containers/security.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

monitor_runs_from_a_sealed_copy() {
	ct_need
	ct_host '
		host=$(stat -L -c "%d:%i" "$MINIRUN")
		id=$(mr run -d --network none busybox sleep 60) || die "run -d"
		mp=$(ct_field "$id" Minirun.MonitorPid)
		[ -d "/proc/$mp" ] || die "no monitor process: $mp"
		[ "$(stat -L -c "%d:%i" "/proc/$mp/exe")" != "$host" ] ||
			die "the monitor runs the host binary itself"
		if (echo x >>"/proc/$mp/exe") 2>/dev/null; then die "the monitor binary is writable"; fi
		echo "host binary unchanged: $(stat -L -c "%d:%i" "$MINIRUN")" | grep -q "$host" ||
			die "host binary changed"
		mr rm -f "$id" >/dev/null || die "rm -f"
		ct_noleaks
	'
}
t "the monitor (parent of the container's init) runs from a read-only copy of minirun" \
	monitor_runs_from_a_sealed_copy

proc_self_exe_is_not_the_host_binary() {
	ct_need
	ct_host '
		sum=$(cksum <"$MINIRUN")
		mr run --rm --network none --entrypoint /proc/self/exe busybox --version >/dev/null 2>&1
		[ "$(cksum <"$MINIRUN")" = "$sum" ] || die "the host binary changed"
		out=$(mr run --rm --network none busybox sh -c "readlink /proc/1/exe") ||
			die "run: $out"
		[ "$out" = /bin/busybox ] || die "pid 1 runs $out"
		ct_noleaks
	'
}
t "a container running /proc/self/exe gets no handle on the host's minirun" \
	proc_self_exe_is_not_the_host_binary
t_end

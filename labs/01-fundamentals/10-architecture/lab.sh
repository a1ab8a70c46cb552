#!/bin/sh
# labs/01-fundamentals/10-architecture/lab.sh - docker's architecture (dockerd, containerd,
# a shim per container, runc) against minirun's (a CLI, a monitor per container, the
# runtime in-process), found with ps and /proc; then podman driving minirun-oci
# (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown    (usually through `labs/lab architecture STEP`)
#
# setup adds to the lab's env a `pod` function: podman with every file of its own in
# $LAB_STATE/podman (--root, --tmpdir, and minirun-oci's --root as rt/; --runroot, at most 50
# characters for podman, is a mktemp dir /tmp/mrlab-podrun.XXXXXX named in podman/runroot), cgroupfs
# as its cgroup manager and minirun/minirun-oci as its OCI runtime; run in the lab's
# namespace, like minirun. teardown removes podman's containers and the cgroups podman made
# that were not there at setup (libpod_parent/..., once empty), then what mrlab.sh removes.
# check: exit 0 pass, 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=architecture
. "$(dirname "$0")/../mrlab.sh"

POD_DIR=$LAB_STATE/podman

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env':
  minirun run -d --name web busybox sleep 1000 > $LAB_STATE/id.txt
  the container's init is {{.State.Pid}} of inspect, the monitor its parent (its command
  line has '__monitor ID'). Save 'monitor PID init PID' in pids.txt,
  one 'NS monitor-link init-link' line per namespace in ns.txt, the init's '0::' cgroup
  line in cgroup.txt; then with pod: import, run -d web2, info's OCI runtime in
  pod-runtime.txt, ls of $LAB_STATE/podman/rt in pod-state.txt, minirun-oci state in
  pod-state.json, the conmon's children in pod-ps.txt.
HINT
}

# deps - podman and jq are here, else exit 77 (setup and check: a check after a skipped
# setup skips too)
deps() {
	command -v podman >/dev/null ||
		{ echo "podman is not installed (apt-get install podman); 'make vm' has no podman either: this lab runs on a host with it"; exit 77; }
	command -v jq >/dev/null || { echo "needs jq: apt-get install jq"; exit 77; }
}

setup_() {
	deps
	[ -x "$MR_TOP/minirun/minirun-oci" ] || { echo "minirun-oci is not built: run 'make minirun'"; return 1; }
	mkdir -p "$POD_DIR"
	# podman wants a run root of at most 50 characters: a directory of its own in /tmp
	_rr=$(mktemp -d /tmp/mrlab-podrun.XXXXXX) && echo "$_rr" >"$POD_DIR/runroot" || return 1
	find /sys/fs/cgroup -type d -name libpod_parent 2>/dev/null | sort >"$POD_DIR/cg.before"
	cat >>"$LAB_STATE/env" <<ENV
# pod ARGS... - podman, all its files in $POD_DIR, minirun-oci its OCI runtime
pod() {
	onhost podman --root $POD_DIR/storage --runroot $_rr --tmpdir $POD_DIR/tmp \\
		--storage-driver vfs --cgroup-manager cgroupfs --events-backend file \\
		--runtime $MR_TOP/minirun/minirun-oci --runtime-flag root=$POD_DIR/rt "\$@"
}
ENV
	echo "pod = podman with its own store in $POD_DIR and minirun-oci as its runtime"
}

run_() {
	need_verbs run inspect
	minirun run -d --name web busybox sleep 1000 | tee "$LAB_STATE/id.txt"
	id=$(cat "$LAB_STATE/id.txt")
	init=$(minirun inspect -f '{{.State.Pid}}' web)
	mon=$(ps -o ppid= -p "$init" | tr -d ' ')
	echo "monitor $mon init $init" | tee "$LAB_STATE/pids.txt"
	ps -o pid,ppid,args -p "$mon,$init" | tee "$LAB_STATE/ps.txt"
	for n in pid mnt uts ipc net cgroup user; do
		echo "$n $(readlink "/proc/$mon/ns/$n") $(readlink "/proc/$init/ns/$n")"
	done | tee "$LAB_STATE/ns.txt"
	grep '^0::' "/proc/$init/cgroup" | tee "$LAB_STATE/cgroup.txt"
	pod import build/images/busybox.tar mrbusybox
	pod run -d --name web2 --network none --ulimit nofile=20000:20000 --ulimit nproc=1000:1000 \
		mrbusybox sleep 1000 | tee "$LAB_STATE/pod-id.txt"
	pod info --format '{{.Host.OCIRuntime.Name}} {{.Host.OCIRuntime.Path}}' | tee "$LAB_STATE/pod-runtime.txt"
	pid2=$(pod inspect -f '{{.State.Pid}}' web2)
	conmon=$(ps -o ppid= -p "$pid2" | tr -d ' ')
	ps -o pid,ppid,args -p "$conmon,$pid2" | cut -c1-100 | tee "$LAB_STATE/pod-ps.txt"
	ls "$LAB_STATE/podman/rt" | tee "$LAB_STATE/pod-state.txt"
	minirun/minirun-oci --root "$LAB_STATE/podman/rt" state "$(cat "$LAB_STATE/pod-id.txt")" | tee "$LAB_STATE/pod-state.json"
	pod rm -f -t 0 web2
}

# link FILE NS COLUMN - the namespace link of ns.txt's line NS, column 2 (monitor) or 3 (init)
link() { awk -v n="$2" -v c="$3" '$1 == n { print $c }' "$LAB_STATE/$1"; }

check_() {
	deps
	need_verbs run inspect
	for f in id.txt pids.txt ps.txt ns.txt cgroup.txt pod-id.txt pod-runtime.txt pod-ps.txt pod-state.txt pod-state.json; do have $f; done
	id=$(cat "$LAB_STATE/id.txt")
	expect "web is still running (kept until the check)" [ "$(minirun inspect -f '{{.State.Status}}' web 2>/dev/null)" = running ]
	init=$(minirun inspect -f '{{.State.Pid}}' web)
	read -r _ mon _ i <"$LAB_STATE/pids.txt"
	expect_or "pids.txt's init is web's init (inspect -f '{{.State.Pid}}')" "it is '$i', web's is $init" [ "$i" = "$init" ]
	expect "pids.txt's monitor is web's monitor (its command line has '__monitor ID')" \
		eval 'tr "\0" " " <"/proc/$mon/cmdline" 2>/dev/null | grep -q "__monitor $id"'
	expect "ps.txt shows the init as the monitor's child" \
		[ "$(awk -v p="$init" '$1 == p { print $2 }' "$LAB_STATE/ps.txt")" = "$mon" ]
	for n in pid mnt uts ipc net cgroup; do
		m=$(link ns.txt $n 2) c=$(link ns.txt $n 3)
		[ "$c" = "$(readlink "/proc/$init/ns/$n")" ] || fail "ns.txt's $n link for the init is /proc/$init/ns/$n's"
		[ -n "$m" ] && [ "$m" != "$c" ] || fail "ns.txt: the monitor and the init are in two $n namespaces"
	done
	pass "ns.txt: the init has its own pid, mnt, uts, ipc, net and cgroup namespaces, the monitor the host's"
	expect "ns.txt: without --userns both are in the host's user namespace" [ "$(link ns.txt user 2)" = "$(link ns.txt user 3)" ]
	expect "cgroup.txt is the init's v2 line (0::/.../minirun-ID)" grep -q "^0::.*minirun-$id" "$LAB_STATE/cgroup.txt"
	expect "pod-runtime.txt names minirun-oci as podman's OCI runtime" grep -q 'minirun-oci' "$LAB_STATE/pod-runtime.txt"
	pid=$(cat "$LAB_STATE/pod-id.txt")
	expect "pod-state.txt (ls of the runtime's --root) lists web2's ID" grep -qx "$pid" "$LAB_STATE/pod-state.txt"
	expect "pod-state.json is minirun-oci's state of web2, running" \
		jq -e --arg id "$pid" '.id == $id and .status == "running"' "$LAB_STATE/pod-state.json"
	expect "pod-ps.txt shows conmon and its child, sleep 1000" \
		eval 'grep -q conmon "$LAB_STATE/pod-ps.txt" && grep -q "sleep 1000" "$LAB_STATE/pod-ps.txt"'
	echo "check: ok - web: monitor $mon -> init $init, in their own pid, mnt, uts, ipc, net and cgroup namespaces, cgroup minirun-${id%"${id#????????????}"}"
	echo "check: ok - podman ran web2 through minirun-oci: conmon -> sleep, the runtime's state in podman/rt"
}

# pod_teardown - podman's containers, its mounts (mrlab.sh unmounts what is below
# $LAB_STATE), and the libpod_parent cgroups that were not there at setup, once empty
pod_teardown() {
	[ -d "$POD_DIR" ] || return 0
	[ -f "$LAB_STATE/env" ] && . "$LAB_STATE/env" && pod rm -af -t 0 >/dev/null 2>&1
	_rr=$(cat "$POD_DIR/runroot" 2>/dev/null)
	case $_rr in /tmp/mrlab-podrun.??????)
		for _m in $(mounts_below "$_rr"); do umount -l "$_m" 2>/dev/null; done
		rm -rf "$_rr" ;;
	esac
	_i=0
	while [ $_i -lt 50 ]; do
		_left=0
		for _g in $(find /sys/fs/cgroup -type d -name libpod_parent 2>/dev/null); do
			grep -qxF "$_g" "$POD_DIR/cg.before" 2>/dev/null && continue
			for _d in $(find "$_g" -depth -type d 2>/dev/null); do
				[ -z "$(cat "$_d/cgroup.procs" 2>/dev/null)" ] && rmdir "$_d" 2>/dev/null
			done
			[ -d "$_g" ] && _left=1
		done
		[ $_left = 0 ] && break
		sleep 0.1
		_i=$((_i + 1))
	done
}

case "${1:-}" in setup | teardown) pod_teardown ;; esac
steps "$@"

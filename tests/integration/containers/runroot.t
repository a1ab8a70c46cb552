# tests/integration/containers/runroot.t - the run root (minirun/containers/root.c): the
# files of one start (monitor.pid, the bundle, the overlay's mount point, the attach socket,
# the OCI state) live apart from the store, on a tmpfs where the machine has one, and
# losing them all is what a reboot does. After it, a container that was running reads as
# exited (255, as docker's after a daemon restart), `ps -a`, `logs` and `inspect` still
# show every container, and `start` makes the run files again.
# Run: sh tests/integration/containers/runroot.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

run_files_apart() {
	ct_need
	ct_host '
		mr run -d --name up --network none busybox sleep 600 >/dev/null || die "run -d"
		id=$(cat "$R/containers/.names/up")
		for f in monitor.pid bundle/config.json attach.sock hostname resolv.conf merged; do
			[ -e "$R/run/containers/$id/$f" ] || die "no run file $f"
			[ -e "$R/containers/$id/$f" ] && die "$f still beside the record"
		done
		[ -f "$R/run/oci/$id/state.json" ] || die "no OCI state in the run root"
		[ -f "$R/containers/$id/container.json" ] || die "the record is not in the store"
		# --runroot (and MINIRUN_RUNROOT) choose another run root, for every process
		"$MINIRUN" --root "$R" --runroot "$R/other" run --rm --name other --network none \
			busybox true || die "run --rm with --runroot exited $?"
		[ -d "$R/other/oci" ] || die "--runroot was not used: $(ls "$R/other" 2>&1)"
		# the --rm monitor deletes the run directory after telling the exit code
		# (minirun/containers/trash.c): at most 3 s later
		i=0
		while [ -n "$(ls "$R/other/containers")" ] && [ $i -lt 300 ]; do
			sleep 0.01
			i=$((i + 1))
		done
		[ -z "$(ls "$R/other/containers")" ] || die "left in --runroot: $(ls "$R/other/containers")"
		rm -rf "$R/other"
		mr rm -f up >/dev/null || die "rm -f"
		[ -e "$R/run/containers/$id" ] && die "rm left the run dir"
		ct_noleaks
	'
}
t "a start's files are in the run root (ROOT/run here), apart from the record; rm removes both" run_files_apart

# run's client mounts the rootfs while its monitor starts (monitor_spawn.c, rootfs_ahead);
# the monitor finds it mounted and uses it: one overlay on merged/, not two stacked, the
# same when the monitor mounts it itself (`start`), and none left after stop and rm
rootfs_mounted_once() {
	ct_need
	ct_host '
		mr -v run -d --name up --network none busybox sleep 602 >"$T_DIR/v" 2>&1 ||
			die "run -d: $(cat "$T_DIR/v")"
		grep -q "step rootfs" "$T_DIR/v" || die "the client did not mount it"
		id=$(cat "$R/containers/.names/up")
		m="$R/run/containers/$id/merged"
		n=$(awk -v m="$m" "\$5 == m" /proc/self/mountinfo | grep -c " - overlay ")
		[ "$n" = 1 ] || die "run: $n overlays on merged/"
		mr exec up test -f /bin/busybox || die "the rootfs is not the container root"
		mr stop -t 0 up >/dev/null || die stop
		n=$(awk -v m="$m" "\$5 == m" /proc/self/mountinfo | wc -l)
		[ "$n" = 0 ] || die "stop left $n mounts on merged/"
		mr -v start up >"$T_DIR/v" 2>&1 || die "start: $(cat "$T_DIR/v")"
		grep -q "step rootfs" "$T_DIR/v" && die "start mounted in the client"
		n=$(awk -v m="$m" "\$5 == m" /proc/self/mountinfo | grep -c " - overlay ")
		[ "$n" = 1 ] || die "start: $n overlays on merged/"
		mr rm -f up >/dev/null || die "rm -f"
		ct_noleaks
	'
}
t "run: the client mounts the rootfs while the monitor starts, the monitor uses it: one overlay" \
	rootfs_mounted_once

# the runtime runs the config tree the monitor built (not the file read back): the file
# it still writes must say the same, and parse again for the verbs that read it (exec)
bundle_file_is_what_ran() {
	ct_need
	ct_host '
		mr run -d --name up --network none --hostname cfgtest -e CFGVAR=v1 busybox \
			sleep 601 >/dev/null || die "run -d"
		id=$(cat "$R/containers/.names/up")
		cfg=$(tr -d " \n\t" <"$R/run/containers/$id/bundle/config.json")
		echo "$cfg" | grep -q "\"args\":\[\"sleep\",\"601\"\]" || die "args not in the file"
		echo "$cfg" | grep -q "\"hostname\":\"cfgtest\"" || die "hostname not in the file"
		echo "$cfg" | grep -q "\"CFGVAR=v1\"" || die "env not in the file"
		out=$(mr exec up sh -c "tr \"\\0\" \" \" </proc/1/cmdline; hostname; echo \$CFGVAR")
		[ "$(echo $out)" = "sleep 601 cfgtest v1" ] || die "what ran: $out"
		mr rm -f up >/dev/null || die "rm -f"
		ct_noleaks
	'
}
t "the bundle's config.json says what the runtime ran (args, hostname, env); exec reads it" bundle_file_is_what_ran

reboot() {
	ct_need
	ct_host '
		mr run -d --name up --network none busybox sh -c "echo hello; exec sleep 600" \
			>/dev/null || die "run -d"
		mr run --name done --network none busybox echo bye >/dev/null || die "run"
		id=$(cat "$R/containers/.names/up")
		ct_wait_log up hello
		# a reboot: every process gone, every mount and cgroup too, the tmpfs empty
		mon=$(cut -d" " -f1 "$R/run/containers/$id/monitor.pid")
		pid=$(ct_field up State.Pid)
		kill -9 "$mon" "$pid"
		_i=0
		while { kill -0 "$mon" || kill -0 "$pid"; } 2>/dev/null &&
			! { _ct_zombie "/proc/$mon" && _ct_zombie "/proc/$pid"; }; do
			_i=$((_i + 1)); [ $_i -lt 300 ] || die "still running"; sleep 0.01
		done
		umount -l "$R/run/containers/$id/merged" || die "umount"
		_ct_cgroups | while read -r cg; do rmdir "$cg" 2>/dev/null; done
		rm -rf "$R/run"
		out=$(mr ps -a --format "{{.Names}} {{.Status}}") || die "ps -a exited $?"
		echo "$out" | grep -q "^up Exited (255)" || die "ps -a: $out"
		echo "$out" | grep -q "^done Exited (0)" || die "ps -a: $out"
		[ "$(ct_status up)" = exited ] || die "inspect: $(ct_status up)"
		[ "$(mr logs up)" = hello ] || die "logs up: $(mr logs up 2>&1)"
		[ "$(mr logs done)" = bye ] || die "logs done: $(mr logs done 2>&1)"
		out=$(mr start -a done) || die "start -a done exited $?"
		[ "$out" = bye ] || die "start -a printed $out"
		mr start up >/dev/null || die "start up exited $?"
		[ "$(ct_status up)" = running ] || die "after start: $(ct_status up)"
		[ -f "$R/run/containers/$id/monitor.pid" ] || die "no monitor.pid after start"
		mr rm -f up done >/dev/null || die "rm -f"
		ct_noleaks
	'
}
t "a reboot (the run root emptied): running reads exited (255); ps -a, logs, start still work" reboot

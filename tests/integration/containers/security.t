# tests/integration/containers/security.t - the runtime's own binary out of a container's
# reach (CVE-2019-5736): the monitor, whose fork becomes the container's init, runs from a
# copy of minirun nobody can write, and a container whose program is /proc/self/exe gets
# nothing of the host's binary; the seccomp BPF cache is keyed by the whole profile; -w makes
# its directory inside the rootfs only, and an image's relative WorkingDir is taken from /;
# the recorded layer dirs are mounted only when they are
# the store's. Docker's defaults seen from inside are in defaults.t.
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
workdir_made_inside_the_root() {
	ct_need
	ct_host '
		out=$(mr run --rm --network none -w /srv/app busybox pwd) || die "run -w: $out"
		[ "$out" = /srv/app ] || die "pwd: $out"
		mkdir -p "'"$T_DIR"'/host"
		mr run --name evil --network none busybox ln -s "/../../../../../../'"$T_DIR"'/host" /srv ||
			die "the symlink"
		mr commit evil evil:1 >/dev/null || die commit
		mr rm evil >/dev/null || die "rm evil"
		# /srv dangles inside the rootfs: the run may fail (saying so) but must not
		# follow the link out to the host
		out=$(mr run --rm --network none -w /srv/made evil:1 pwd 2>&1) ||
			echo "$out" | grep -q "WorkingDir ./srv/made." || die "run -w: $out"
		[ -e "'"$T_DIR"'/host/made" ] && die "WorkingDir was made on the host through a symlink"
		mr rmi evil:1 >/dev/null || die rmi
		ct_noleaks
	'
}
t "a missing WorkingDir is made inside the rootfs, never through a symlink out of it" \
	workdir_made_inside_the_root
relative_workdir_taken_from_root() {
	ct_need
	ct_image rel:wd '{"Cmd":["sh"],"WorkingDir":"app/dir"}'
	ct_host '
		out=$(mr run --rm --network none rel:wd pwd 2>&1) || die "run: $out"
		[ "$out" = /app/dir ] || die "pwd: $out"
		id=$(mr create --network none rel:wd true) || die create
		[ "$(ct_field "$id" Config.WorkingDir)" = /app/dir ] ||
			die "the record: $(ct_field "$id" Config.WorkingDir)"
		mr rm "$id" >/dev/null || die rm
		ct_noleaks
	'
}
t "an image's relative WorkingDir is taken from / (it once killed the monitor: NULL write)" \
	relative_workdir_taken_from_root
seccomp_cached_by_profile() {
	ct_need
	ct_host '
		mr -v run --rm --network none busybox true 2>"$T_DIR/v1" || die "run 1"
		grep -q "seccomp: [0-9]* BPF instructions compiled, cached" "$T_DIR/v1" ||
			die "first run: $(grep seccomp "$T_DIR/v1")"
		mr -v run --rm --network none busybox true 2>"$T_DIR/v2" || die "run 2"
		grep -q "seccomp: [0-9]* BPF instructions from .*/.seccomp-cache/" "$T_DIR/v2" ||
			die "second run: $(grep seccomp "$T_DIR/v2")"
		# a cache file holding another profile under this name: compiled again, not loaded
		f=$(ls "$R"/run/oci/.seccomp-cache/* | head -1)
		printf "minirun seccomp bpf 2\n\004\000\000\000evil\006\000\000\000\000\000\377\177" >"$f"
		out=$(mr -v run --rm --network none busybox unshare -r true 2>&1) &&
			die "unshare allowed: the planted filter was loaded"
		echo "$out" | grep -q "BPF instructions compiled" || die "not recompiled: $out"
		ct_noleaks
	'
}
t "the default seccomp filter is compiled once and cached; a cache entry of another profile is never loaded" \
	seccomp_cached_by_profile
lowerdirs_only_the_stores_layers() {
	ct_need
	ct_host '
		id=$(mr create --network none --name lw busybox ls /) || die "create"
		f=$R/containers/$id/container.json
		grep -q "\"LowerDirs\":\[\"$R/layers/sha256/[0-9a-f]*\"" "$f" || die "no LowerDirs recorded: $(cat "$f")"
		# a record that names a host directory as a layer (moved store, hand edit): ignored
		sed -i "s|\"LowerDirs\":\[[^]]*\]|\"LowerDirs\":[\"/etc\"]|" "$f"
		out=$(mr start -a lw) || die "start: $out"
		echo "$out" | grep -qx bin || die "the image was not the root: $out"
		echo "$out" | grep -qx passwd && die "the host'"'"'s /etc was mounted as the root"
		mr rm lw >/dev/null || die "rm"
		ct_noleaks
	'
}
t "the layers a record names are mounted only when they are this store's layers" \
	lowerdirs_only_the_stores_layers
t_end

# tests/integration/containers/broken-record.t - a container whose record
# (containers/ID/container.json) can't be read (issue 13, finding 6) stays visible and
# removable: `ps -a` lists it as "Broken (record unreadable)" under the name it claimed,
# `start` refuses and says what to do, and `rm -f NAME|ID` removes what it can find by ID
# and name claim (process, cgroup, mount, lease, veth, state dir, the claim itself), so
# the name is free again (minirun/containers/README.md, "A broken record").
# Run: sh tests/integration/containers/broken-record.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

# break NAME: truncate its record half-way, as a full disk or a hand edit would leave it
BROKEN_HELPERS='
break_record() {
	_f=$R/containers/$(cat "$R/containers/.names/$1")/container.json
	head -c 40 "$_f" >"$_f.cut" && mv "$_f.cut" "$_f"
}
'

broken_exited_listed_and_removed() {
	ct_need
	ct_host "$BROKEN_HELPERS"'
		mr run --name brk busybox true || die "run exited $?"
		id=$(cat "$R/containers/.names/brk")
		break_record brk
		row=$(mr ps -a --format "{{.ID}}|{{.Names}}|{{.Status}}")
		echo "$row" | grep -q "^${id%"${id#????????????}"}|brk|Broken (record unreadable)$" ||
			die "ps -a: $row"
		out=$(mr start brk 2>&1) && die "start of a broken container succeeded"
		echo "$out" | grep -q "record is unreadable.*rm -f" || die "start: $out"
		mr rm -f brk >/dev/null || die "rm -f by name exited $?"
		ct_noleaks
		mr run --rm --name brk busybox true || die "the name is not free again: $?"
		ct_noleaks
	'
}
t "a broken record: ps -a lists it as broken, start refuses, rm -f NAME removes it, the name is free" broken_exited_listed_and_removed

broken_running_removed_by_id() {
	ct_need net
	ct_host "$BROKEN_HELPERS"'
		mr run -d --name brr busybox sleep 600 >/dev/null || die "run exited $?"
		pid=$(ct_field brr State.Pid)
		id=$(cat "$R/containers/.names/brr")
		break_record brr
		mr ps -a --format "{{.Names}} {{.Status}}" | grep -q "^brr Broken" ||
			die "ps -a: $(mr ps -a)"
		mr rm -f "$id" >/dev/null || die "rm -f by ID exited $?"
		kill -0 "$pid" 2>/dev/null && ! _ct_zombie "/proc/$pid" && die "its process $pid still runs"
		ct_noleaks
	'
}
t "a broken record of a running container on the bridge: rm -f ID ends it and leaves nothing" broken_running_removed_by_id

t_end

# tests/integration/containers/rmrun.t - an --rm container lives in the run root (issue 14):
# its directory is RUN/records/ID and ROOT/containers/ID a symbolic link to it through a
# slot RUN/slots/K, the link kept in a pool when the container goes, for the next one
# (minirun/containers/store.c, rmlink.c), its name claim a link that resolves to the same ID, its log
# on the store's disk (ROOT/containers/.logs/ID-ctr.log, made at its first output). Here the
# run root is a tmpfs of its own, as /run is on most hosts, so the claim can't be a hard
# link to the lock (another file system) and takes the symlink's path; the other suites
# run with the run root beside the store, where it can. Checked: the layout while it runs,
# ps/inspect/logs/exec/rename/wait through the link, a name conflict, nothing left by its
# exit or by rm -f, a container without --rm keeps a plain directory, and a run root lost
# (as at a reboot) takes the container with it: the next listing sweeps the dangling link
# and its name. Each test runs in a throwaway namespace playing the host.
#   MR_TOP=$PWD sh tests/integration/containers/rmrun.t
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

# RR: the run root on a tmpfs of its own (this mount namespace's); rr_leaks: what ct_leaks
# would say of it, plus the store's side; rr_gone: wait until no container is listed
RMRUN_HELPERS='
RR=$R.rr
mkdir -p "$RR" && mount -t tmpfs -o mode=0700 tmpfs "$RR" || die "no tmpfs for the run root"
export MINIRUN_RUNROOT=$RR
rr_leaks() {
	ct_leaks
	for _d in "$RR"/containers/* "$RR"/records/* "$RR"/slots/*; do
		[ -e "$_d" ] && echo "leak: run dir $_d"
	done
	ls "$RR/oci" 2>/dev/null | sed "s/^/leak: OCI state /"
	grep -F "$RR/" /proc/self/mountinfo | awk "{ print \"leak: mount \" \$5 }"
}
# rr_gone: wait (3 s at most) until ps -a lists no container
rr_gone() {
	_i=0
	while [ -n "$(mr ps -aq)" ]; do
		_i=$((_i + 1)); [ $_i -lt 300 ] || die "still there: $(mr ps -a)"; sleep 0.01
	done
}
'

rm_container_layout() {
	ct_need
	ct_host "$RMRUN_HELPERS"'
		id=$(mr run -d --rm --name web --network none busybox sh -c "echo out; sleep 600") ||
			die "run -d --rm exited $?"
		[ -L "$R/containers/$id" ] || die "ROOT/containers/ID is not a link: $(ls -ld "$R/containers/$id")"
		# through a slot on the run root, named after the ID the link was made for
		# (rmlink.c): this store has made no other
		[ "$(readlink "$R/containers/$id")" = "$RR/slots/$id" ] ||
			die "the link points to $(readlink "$R/containers/$id")"
		[ "$(readlink "$RR/slots/$id")" = "$RR/records/$id" ] ||
			die "the slot points to $(readlink "$RR/slots/$id")"
		[ -f "$RR/records/$id/container.json" ] && [ -f "$RR/records/$id/lock" ] ||
			die "no record or lock in $RR/records/$id: $(ls "$RR/records/$id")"
		[ "$(stat -c %h "$R/containers/.names/web")" = 2 ] && [ -L "$R/containers/.names/web" ] ||
			die "the claim is not a second link to the symlink: $(ls -l "$R/containers/.names")"
		[ "$(mr ps --format "{{.Names}} {{.ID}}")" = "web ${id%"${id#????????????}"}" ] ||
			die "ps: $(mr ps)"
		i=0
		until [ "$(mr logs web 2>&1)" = out ]; do
			i=$((i + 1)); [ $i -lt 300 ] || die "logs: $(mr logs web 2>&1)"; sleep 0.01
		done
		log=$(mr inspect -f "{{.LogPath}}" web)
		[ "$log" = "$R/containers/.logs/$id-ctr.log" ] || die "LogPath $log"
		[ -s "$log" ] || die "no log at $log"
		[ "$(mr exec web hostname)" = "${id%"${id#????????????}"}" ] || die "exec: $(mr exec web hostname 2>&1)"
		out=$(mr run --rm --name web --network none busybox true 2>&1) && die "a second web ran: $out"
		echo "$out" | grep -q "is already in use by container \\\"$id\\\"" || die "conflict: $out"
		mr rename web web2 || die "rename exited $?"
		[ "$(mr inspect -f "{{.Name}}" "$id")" = /web2 ] || die "after rename: $(mr inspect -f "{{.Name}}" "$id")"
		[ -e "$R/containers/.names/web" ] && die "rename left the old claim"
		mr rm -f web2 >/dev/null || die "rm -f exited $?"
		[ -e "$R/containers/$id" ] || [ -L "$R/containers/$id" ] && die "rm -f left the link"
		rr_leaks
	'
}
t "run -d --rm: the directory in the run root behind a link; ps, logs, exec, rename, rm -f through it" rm_container_layout

rm_container_exit() {
	ct_need
	ct_host "$RMRUN_HELPERS"'
		out=$(mr run --rm --name quiet --network none busybox true) || die "run --rm true exited $?"
		[ -z "$out" ] || die "printed $out"
		out=$(mr run --rm --network none busybox sh -c "echo said; exit 3")
		[ $? = 3 ] && [ "$out" = said ] || die "exit code or output: $out"
		id=$(mr run -d --rm --network none busybox sh -c "sleep 0.3; exit 7") || die "run -d exited $?"
		[ "$(mr wait "$id")" = 7 ] || die "wait did not say 7"
		mr create --rm --name later --network none busybox sh -c "exit 4" >/dev/null ||
			die "create --rm exited $?"
		[ "$(mr ps -a --format "{{.Names}} {{.Status}}")" = "later Created" ] || die "ps -a: $(mr ps -a)"
		mr start -a later; [ $? = 4 ] || die "start -a of the created --rm container"
		rr_gone
		rr_leaks
	'
}
t "run --rm (quiet, with output, -d then wait, create --rm then start): each exit leaves nothing" rm_container_exit

# The monitor's teardown deletes the OCI container; when that fails, the removal tries once
# more (lifecycle.c, container_remove). A second try that works must go on with the
# removal: the name and the record go too. strace fails the monitor's first rmdir (the
# cgroup's, in the teardown's delete), the retry's passes.
rm_after_a_failed_delete() {
	ct_need
	t_need strace
	ct_host "$RMRUN_HELPERS"'
		strace -f -qq -o /dev/null -e trace=rmdir -e inject=rmdir:error=EACCES:when=1 \
			"$MINIRUN" --root "$R" run --rm --name again --network none busybox true ||
			die "run --rm exited $?"
		rr_gone
		rr_leaks
	'
}
t "run --rm: a delete that fails once is tried again, and the container still goes" rm_after_a_failed_delete

plain_container_keeps_a_directory() {
	ct_need
	ct_host "$RMRUN_HELPERS"'
		id=$(mr create --name kept --network none busybox true) || die "create exited $?"
		[ -d "$R/containers/$id" ] && [ ! -L "$R/containers/$id" ] ||
			die "without --rm: $(ls -ld "$R/containers/$id")"
		[ -e "$RR/records/$id" ] && die "a record in the run root for a container kept"
		[ "$(mr inspect -f "{{.LogPath}}" kept)" = "$R/containers/$id/ctr.log" ] ||
			die "LogPath $(mr inspect -f "{{.LogPath}}" kept)"
		mr rm kept >/dev/null || die "rm exited $?"
		rr_leaks
	'
}
t "a container without --rm: a plain directory in the store, its log inside" plain_container_keeps_a_directory

link_from_the_pool() {
	ct_need
	ct_host "$RMRUN_HELPERS"'
		id=$(mr run -d --rm --network none busybox sleep 600) || die "run -d --rm exited $?"
		ino=$(stat -c %i "$R/containers/$id") || die "no link"
		mr rm -f "$id" >/dev/null || die "rm -f exited $?"
		[ "$(ls "$R/containers/.spare")" = "$id" ] ||
			die "the link is not in the pool: $(ls -la "$R/containers/.spare" 2>&1)"
		[ "$(stat -c %i "$R/containers/.spare/$id")" = "$ino" ] || die "another file in the pool"
		two=$(mr run -d --rm --name two --network none busybox sleep 600) ||
			die "the second run -d --rm exited $?"
		[ "$(stat -c %i "$R/containers/$two")" = "$ino" ] ||
			die "the second container did not take the link from the pool"
		[ "$(readlink "$RR/slots/$id")" = "$RR/records/$two" ] ||
			die "the slot points to $(readlink "$RR/slots/$id")"
		[ -z "$(ls "$R/containers/.spare")" ] || die "the pool still has $(ls "$R/containers/.spare")"
		[ "$(mr inspect -f "{{.Id}} {{.Name}}" two)" = "$two /two" ] ||
			die "inspect two: $(mr inspect -f "{{.Id}} {{.Name}}" two 2>&1)"
		[ "$(mr exec two hostname)" = "${two%"${two#????????????}"}" ] || die "exec two"
		mr rm -f two >/dev/null || die "rm -f two exited $?"
		[ "$(stat -c %i "$R/containers/.spare/$id")" = "$ino" ] || die "not back in the pool"
		rr_leaks
	'
}
t "an --rm container's link comes from the pool its predecessor's went back to" link_from_the_pool

lost_run_root() {
	ct_need
	ct_host "$RMRUN_HELPERS"'
		id=$(mr create --rm --name lost --network none busybox true) || die "create exited $?"
		# a reboot: the run root is a new, empty tmpfs
		umount -R "$RR" && mount -t tmpfs -o mode=0700 tmpfs "$RR" || die "remount the run root"
		[ -L "$R/containers/$id" ] || die "no link before the listing"
		# a new --rm container before any listing: it must not make the lost one live
		out=$(mr run --rm --network none busybox echo first) || die "a run before the listing: $out"
		[ "$out" = first ] || die "printed $out"
		out=$(mr ps -a --format "{{.Names}}") || die "ps -a exited $?"
		[ -z "$out" ] || die "ps -a lists a container whose run root is gone: $out"
		[ -L "$R/containers/$id" ] && die "the dangling link stays"
		[ -e "$R/containers/.names/lost" ] && die "its name claim stays"
		out=$(mr run --rm --name lost --network none busybox echo again) || die "the name is not free: $out"
		[ "$out" = again ] || die "printed $out"
		out=$(mr inspect "$id" 2>&1) && die "inspect found it: $out"
		echo "$out" | grep -q "No such object: $id" || die "inspect: $out"
		rr_leaks
	'
}
t "a run root lost (a reboot): the --rm container goes with it, ps -a sweeps its link and name" lost_run_root

t_end

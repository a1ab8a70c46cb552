# tests/integration/demo/demo.t - the README's first command: `make demo` runs ./demo.sh.
#
# The tour must run every step it has without a failure, say so on its last line, and
# leave no mount behind. Its run step (section 4) must show a real container with -v: the
# overlay, veth, cgroup and pivot_root narrated, and the container's own view (PID 1, its
# hostname, namespaces other than ours, 0::/, eth0 on 10.88.0.0/16, an overlay root);
# --rm must leave no container, mount, cgroup, link or nft table.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"

tour_runs_clean() {
	t_need_root
	before=$(t_mounts)
	# the images step imports the built-in image into a store of the test's own
	out=$(MINIRUN_ROOT=$T_DIR/store "$MR_TOP/demo.sh" 2>&1) || t_fail "demo.sh exited $?: $(printf '%s\n' "$out" | grep '!!' | head -5)"
	last=$(printf '%s\n' "$out" | tail -n 1)
	t_match "$last" '^demo: [0-9]+ steps ok, 0 failed, 0 skipped$' "the last line"
	t_eq "$(t_mounts)" "$before" "the mount table after the tour"
	t_match "$(MINIRUN_ROOT=$T_DIR/store "$MR_TOP/minirun/minirun" images)" '^busybox +latest' "minirun images after the tour"
}

one_section_by_name() {
	t_need_root
	out=$("$MR_TOP/demo.sh" uts 2>&1) || t_fail "demo.sh uts exited $?"
	t_match "$out" '^demo: 1 steps? ok, 0 failed' "the last line"
	t_match "$out" 'ns/uts' "the command shown"
}

unknown_step_is_refused() {
	t_status 2 "$MR_TOP/demo.sh" no-such-step
	t_match "$T_OUT" "no-such-step" "the message"
}

# mr_links - the names of the links of this namespace that minirun would make (mr0, mrv..., mr-...)
mr_links() { ip -o link 2>/dev/null | awk -F': ' '{ print $2 }' | sed 's/@.*//' | grep '^mr' | sort; }

run_step_runs_a_container() {
	t_need_root
	t_need ip nft unshare
	mounts=$(t_mounts) links=$(mr_links) tables=$(nft list tables 2>/dev/null)
	out=$(MINIRUN_ROOT=$T_DIR/store "$MR_TOP/demo.sh" run 2>&1) || t_fail "demo.sh run exited $?: $(printf '%s\n' "$out" | grep '!!' | head -5)"
	t_match "$out" '^demo: 1 steps? ok, 0 failed, 0 skipped' "the last line"
	t_match "$out" 'minirun/minirun -v run --rm busybox' "the command shown"
	# the -v narration: the overlay, the network, the cgroup, the mounts and pivot_root
	t_match "$out" '=> mount overlay on .*/merged \(1 image layers \+ diff/\)' "the overlay narration"
	t_match "$out" "=> RTM_NEWLINK veth 'mrv[0-9a-f]+' peer 'eth0'" "the veth narration"
	t_match "$out" "=> cgroup 'minirun-[0-9a-f]{64}'" "the cgroup narration"
	t_match "$out" '=> pivot_root' "the pivot_root narration"
	# what the container saw of itself
	t_match "$out" 'hostname: [0-9a-f]{12}   pid: 1$' "the container's hostname (its short ID) and PID 1"
	t_match "$out" 'cgroup: 0::/$' "the container's cgroup (its cgroup namespace's root)"
	t_match "$out" 'eth0: 10\.88\.[0-9]+\.[0-9]+/16   route: default via 10\.88\.0\.1' "the container's eth0 and route"
	t_match "$out" 'root: [^ ]+ / overlay$' "the container's root: an overlay"
	inside=$(printf '%s\n' "$out" | sed -n 's/.*namespaces: //p')
	for n in uts ipc pid net mnt cgroup; do
		host=$(readlink "/proc/self/ns/$n")
		t_match "$inside" "$n:\\[" "the container's namespaces line"
		t_nomatch "$inside" "$(echo "$host" | sed 's/[][]/\\&/g')" "the container's $n namespace (the host's is $host)"
	done
	# and --rm left nothing: no container in the store, no mount, no cgroup, no link, no table
	id=$(printf '%s\n' "$out" | sed -n "s/.*=> cgroup 'minirun-\([0-9a-f]*\)'.*/\1/p" | head -n 1)
	t_ne "$id" "" "the container ID in the cgroup narration"
	t_eq "$(ls "$T_DIR/store/containers" 2>/dev/null)" "" "the store's containers after run --rm"
	t_eq "$(find /sys/fs/cgroup -maxdepth 3 -type d -name "minirun-$id" 2>/dev/null)" "" "the container's cgroups"
	t_eq "$(t_mounts)" "$mounts" "the mount table after the step"
	t_eq "$(mr_links)" "$links" "this namespace's mr* links (the bridge lived in unshare -n's)"
	t_eq "$(nft list tables 2>/dev/null)" "$tables" "this namespace's nft tables"
}

t "the guided tour (make demo) runs every step without a failure" tour_runs_clean
t "one step of the tour runs by name" one_section_by_name
t "the run step runs the busybox image as a container with -v, and --rm leaves nothing" run_step_runs_a_container
t "an unknown step name is refused" unknown_step_is_refused
t_end

#!/bin/sh
# tests/integration/minirun/badinput.t - bad input gets one line naming it, a non-zero
# exit, and leaves nothing behind (no state dir, cgroup, mount or process).
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/minirun/lib.sh"

# refused ID WHAT-REGEX: create must fail with one line matching WHAT, leaving nothing
refused() {
	t_status 1 mr create --bundle b "$1"
	t_eq "$(printf '%s\n' "$T_OUT" | wc -l | tr -d ' ')" 1 "lines of the error"
	t_match "$T_OUT" "$2"
	[ -z "$(mr list -q)" ] || t_fail "a container was left: $(mr list -q)"
	mr_leaks "$1"
}

malformed_json() {
	mr_need
	mr_bundle b
	printf '{\n  "ociVersion": "1.0.2",\n  "process": {,\n}\n' >b/config.json
	refused "$(mr_id json)" '^minirun-oci: config.json:3:[0-9]+: malformed JSON'
}

wrong_type() {
	mr_need
	mr_bundle b '"sh"'
	refused "$(mr_id type)" '^minirun-oci: config.json:6:[0-9]+: process.args must be an array'
	PROC_EXTRA=',"oomScoreAdj": "high"' mr_bundle b
	refused "$(mr_id type2)" 'config.json:[0-9]+:[0-9]+: process.oomScoreAdj must be an integer'
}

missing_rootfs() {
	mr_need
	mr_bundle b
	sed 's|"path": "[^"]*"|"path": "no-such-rootfs"|' b/config.json >b/c && mv b/c b/config.json
	refused "$(mr_id rootfs)" "root.path '.*/no-such-rootfs' must be a directory"
}

unknown_namespace() {
	mr_need
	NAMESPACES='[{"type": "pid"}, {"type": "mount"}, {"type": "bogus"}]' mr_bundle b
	refused "$(mr_id ns)" "config.json:[0-9]+:[0-9]+: linux.namespaces\\[2\\] has an unknown namespace type 'bogus'"
}

relative_mount_destination() {
	mr_need
	MOUNTS_EXTRA=',{"destination": "tmp", "type": "tmpfs", "source": "tmpfs"}' mr_bundle b
	refused "$(mr_id mnt)" "config.json:[0-9]+:[0-9]+: mounts\\[6\\].destination must be an absolute path"
}

# a mount the init can't make names its place in config.json (found only on the way out)
failed_mount_names_its_line() {
	mr_need
	MOUNTS_EXTRA=',{"destination": "/nosrc", "type": "bind", "source": "/no/such/source", "options": ["rbind"]}' mr_bundle b
	line=$(grep -n '"/nosrc"' b/config.json | cut -d: -f1)
	col=$(grep '"/nosrc"' b/config.json | awk '{ print index($0, "{\"destination\": \"/nosrc\"") }')
	refused "$(mr_id mntline)" "^minirun-oci: config.json:$line:$col: mounts\\[6\\]: .*/no/such/source"
}

unknown_signal() {
	mr_need
	id=$(mr_id sig)
	t_defer "mr_cleanup $id"
	mr_bundle b '["sleep", "100"]'
	mr create --bundle b "$id" || t_fail "create"
	t_status 2 mr kill "$id" SIGNOPE
	t_match "$T_OUT" "unknown signal 'SIGNOPE'"
	t_eq "$(mr_field "$id" status)" created "the container is untouched"
}

duplicate_id() {
	mr_need
	id=$(mr_id dup)
	t_defer "mr_cleanup $id"
	mr_bundle b '["sleep", "100"]'
	mr create --bundle b --pid-file pid "$id" || t_fail "create"
	t_status 1 mr create --bundle b "$id"
	t_match "$T_OUT" "container with id exists: $id"
	t_eq "$(mr_field "$id" status)" created "the first container is untouched"
	t_eq "$(mr_field "$id" pid)" "$(cat pid)"
}

path_like_id() {
	mr_need
	mr_bundle b
	for bad in ../escape a/b . ..; do
		t_status 1 mr create --bundle b "$bad"
		t_eq "$(printf '%s\n' "$T_OUT" | wc -l | tr -d ' ')" 1 "lines of the error"
		t_match "$T_OUT" "invalid container id"
	done
	[ ! -e "$T_TMP/escape" ] || t_fail "a state directory escaped --root"
	[ -z "$(mr list -q)" ] || t_fail "a container was left: $(mr list -q)"
	mr_leaks escape
}

bundle_not_a_directory() {
	mr_need
	echo x >notadir
	t_status 1 mr create --bundle notadir "$(mr_id nd)"
	t_eq "$(printf '%s\n' "$T_OUT" | wc -l | tr -d ' ')" 1 "lines of the error"
	t_match "$T_OUT" "bundle 'notadir' must be a directory"
	mr_leaks "$(mr_id nd)"
	t_status 1 mr create --bundle nosuchdir "$(mr_id nd2)"
	t_match "$T_OUT" "bundle 'nosuchdir': No such file"
	mr_leaks "$(mr_id nd2)"
}

# A create killed half-way (here while its createRuntime hook runs: the container's init
# exists, its cgroup too) leaves a "creating" record that delete cleans up whole.
killed_create_is_deleted_whole() {
	mr_need
	id=$(mr_id killed)
	t_defer "mr_cleanup $id"
	hook='{"path": "/bin/sh", "args": ["sh", "-c", "echo $$ >'"$T_DIR"'/hookpid; exec sleep 30"]}'
	TOP_EXTRA=",\"hooks\": {\"createRuntime\": [$hook]}" mr_bundle b '["true"]'
	# "$MR" itself, not the mr function: `mr ... &` is a subshell, and killing it would leave
	# create running its hook (and holding the lock delete waits for) until the hook ends
	"$MR" --root "$MR_STATE" create --bundle b "$id" >/dev/null 2>&1 &
	create=$!
	t_defer "kill -9 $create 2>/dev/null; [ -s $T_DIR/hookpid ] && kill \$(cat $T_DIR/hookpid) 2>/dev/null; true"
	i=0
	while [ ! -s "$T_DIR/hookpid" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	[ -s "$T_DIR/hookpid" ] || t_fail "the createRuntime hook never ran"
	[ -n "$(mr_cgroups_of "$id")" ] || t_fail "no cgroup while create runs"
	kill -9 "$create"
	wait "$create" 2>/dev/null
	t_eq "$(mr_field "$id" status)" creating "the state of the half-made container"
	mr delete --force "$id" || t_fail "delete --force of the half-made container"
	# the init ends by itself when its create process is gone (EOF on their socket)
	i=0
	while [ -n "$(mr_procs_in_rootfs)" ] && [ $i -lt 40 ]; do sleep 0.05; i=$((i + 1)); done
	mr_leaks "$id"
}

missing_command() {
	mr_need
	mr_bundle b '["no-such-program"]'
	refused "$(mr_id nocmd)" 'exec: "no-such-program": executable file not found in \$PATH'
}

t "malformed JSON: line:column of the syntax error" malformed_json
t "a wrong type is named with its line:column" wrong_type
t "a missing rootfs" missing_rootfs
t "an unknown namespace type" unknown_namespace
t "a relative mount destination" relative_mount_destination
t "a mount that fails names its line and column in config.json" failed_mount_names_its_line
t "an unknown signal" unknown_signal
t "a duplicate id" duplicate_id
t "a path-like id" path_like_id
t "a bundle that is not a directory" bundle_not_a_directory
t "a process.args[0] not in the rootfs fails create" missing_command
t "a create killed half-way leaves a record that delete cleans up whole" killed_create_is_deleted_whole
t_end

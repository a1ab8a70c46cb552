# tests/integration/containers/lib.sh - what every containers suite shares (sourced after
# t.sh; not a suite).
#
# Each test gets a store of its own, $R (= $T_DIR/root), holding the busybox image as
# "busybox" (imported once per suite from build/images/busybox.tar, then copied), and runs
# its body with ct_host: a throwaway namespace that plays the host (netns/lib.sh's nt_host:
# new network, mount and PID namespaces), so the default bridge mr0, the veths, the nft
# table `ip minirun` and the overlay mounts never touch the machine's own, and any process
# the test leaves is killed when that namespace ends. Inside the script:
#
#	mr ARGS...              `minirun --root $R ARGS` (MINIRUN=/path overrides the binary);
#	                        notes the IDs of the containers it saw, for the cgroup check
#	ct_leaks                one "leak: WHAT" line per trace a container left (nothing when
#	                        clean): mounts of $R, host veths (after nt_settle), nft
#	                        elements, address leases, state dirs, name claims, OCI state,
#	                        cgroups named after a container ID this test saw, processes
#	                        (running minirun or a program of $R, or anything in this PID
#	                        namespace but the shell and the tools the tests use)
#	ct_noleaks              die with the list unless ct_leaks prints nothing
#	ct_status REF           the record's State.Status as `inspect` would show it
#	ct_field REF K          one field of the record, as inspect's {{.K}} (State.ExitCode, ...)
#	ct_inspect REF          the container's record, as `inspect` prints it
#	ct_ids                  the full IDs of every container of the store, one a line
#	ct_www NAME [OPTS...]   `run -d --name NAME OPTS` a busybox httpd serving "hello-NAME" on 80
#	ct_get HOST:PORT [PID]  the last line of an HTTP GET (busybox nc), from PID's netns if given
#	ct_wait_http HOST:PORT [PID]  wait (at most 5 s) until ct_get answers "hello..."
#	die MSG                 fail the script (netns/lib.sh)
#
#	ct_image NAME CONFIG    (outside) an image NAME in $R: busybox's layer under an image
#	                        config whose "config" object is CONFIG (JSON text, as given:
#	                        a hostile image's types and shapes), written into the store's
#	                        OCI layout by hand, as a registry or `skopeo copy` could
#	ct_need [net]           (outside) skip/fail unless root, namespaces, minirun and the
#	                        image; with net also the netns programs and busybox (uplink,
#	                        ping, nc: netns/lib.sh's nt_need)
#	ct_host 'SCRIPT'        (outside) run SCRIPT as above; its output and status are ours
#
# See: tests/integration/netns/lib.sh; docs/HACKING.md (tests).
export MR_TOP
. "$MR_TOP/tests/integration/netns/lib.sh"

MINIRUN=${MINIRUN:-$MR_TOP/minirun/minirun}
CT_IMAGE_TAR=${CT_IMAGE_TAR:-$MR_TOP/build/images/busybox.tar}
export MINIRUN CT_IMAGE_TAR

# ct_need [net] - the test's store in $R, or skip/fail saying what is missing
ct_need() {
	[ "${1:-}" = net ] && nt_need
	t_need_root
	for _c in "$IP" "$NFT" "$UNSHARE" "$NSENTER"; do
		[ -x "$_c" ] || t_skip "needs $(basename "$_c") (iproute2, nftables, util-linux)"
	done
	unshare -n -m true 2>/dev/null || t_skip "cannot unshare network and mount namespaces here"
	[ -x "$MINIRUN" ] || t_fail "$MINIRUN is not built (make minirun)"
	[ -f "$CT_IMAGE_TAR" ] || t_fail "$CT_IMAGE_TAR is missing (make busybox-image)"
	if [ ! -d "$T_TMP/ct-store" ]; then
		"$MINIRUN" --root "$T_TMP/ct-store.part" import -c 'CMD ["sh"]' "$CT_IMAGE_TAR" \
			busybox >/dev/null || t_fail "import of $CT_IMAGE_TAR failed"
		mv "$T_TMP/ct-store.part" "$T_TMP/ct-store"
	fi
	R=$T_DIR/root
	cp -a "$T_TMP/ct-store" "$R" || t_fail "copy of the suite's store failed"
	export R
	t_defer _ct_sweep
}

# ct_image NAME CONFIG - see the top of this file
ct_image() {
	_b=$R/images/blobs/sha256
	_cfg=$("$MINIRUN" --root "$R" image inspect -f '{{.Id}}' busybox) || t_fail "no busybox in $R"
	_man=$("$MINIRUN" --root "$R" image inspect -f '{{.Descriptor.digest}}' busybox)
	# the import's config is one line whose "config" object holds no other object; CONFIG
	# goes in as it is (printf, not sed: its backslashes and '&' stay what they are)
	printf '%s"config":%s%s' "$(sed 's/"config":{[^}]*}.*//' "$_b/${_cfg#sha256:}")" "$2" \
		"$(sed 's/.*"config":{[^}]*}//' "$_b/${_cfg#sha256:}")" >"$T_DIR/cfg"
	_c=$(sha256sum "$T_DIR/cfg" | cut -d' ' -f1)
	cp "$T_DIR/cfg" "$_b/$_c"
	sed "s/${_cfg#sha256:}/$_c/; s/\"size\":[0-9]*},\"layers\"/\"size\":$(wc -c <"$T_DIR/cfg" | tr -d ' ')},\"layers\"/" \
		"$_b/${_man#sha256:}" >"$T_DIR/man"
	_m=$(sha256sum "$T_DIR/man" | cut -d' ' -f1)
	cp "$T_DIR/man" "$_b/$_m"
	_e='{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:'$_m'",'
	_e=$_e'"size":'$(wc -c <"$T_DIR/man" | tr -d ' ')',"annotations":'
	_e=$_e'{"org.opencontainers.image.ref.name":"docker.io/library/'$1'"}},'
	sed -i "s|\"manifests\": *\[|&$_e|" "$R/images/index.json"
	"$MINIRUN" --root "$R" image inspect "$1" >/dev/null || t_fail "ct_image $1: not stored"
}

# _ct_sweep - after a failed test, the cgroups of its containers (empty by then: the host
# namespace's end killed their processes), so that a failure leaves the machine clean too
_ct_sweep() {
	_ct_cgroups | while read -r _cg; do
		[ -s "$_cg/cgroup.procs" ] || rmdir "$_cg" 2>/dev/null
	done
	return 0
}

# ct_host SCRIPT - run SCRIPT (with the helpers above) in a fresh host namespace
ct_host() {
	nt_host ". '$MR_TOP/tests/integration/containers/lib.sh'
$1"
}

# disk - a block device of this machine (/dev/NAME of /sys/block), or nothing: what the
# blkio throttles of containers/resources.t and compose/resources.t act on
disk() {
	for _b in /sys/block/*; do
		[ -b "/dev/${_b##*/}" ] && [ "$(cat "$_b/size" 2>/dev/null)" != 0 ] &&
			echo "/dev/${_b##*/}" && return 0
	done
	return 0
}

# ---- inside the host namespace -------------------------------------------------------------

# every container ID a test made, for the cgroup check (after rm, the store forgets them)
_ct_seen() {
	ct_ids >>"$R.ids"
	return 0
}

ct_ids() { ls "$R/containers" 2>/dev/null | grep -E '^[0-9a-f]{64}$'; }

mr() {
	# never the machine's own store: an R that is unset (a quote gone astray in a suite
	# runs its lines outside any test) would be --root "", that is /var/lib/minirun
	[ -n "${R:-}" ] || { echo "mr: no test store (R is unset); not run: minirun $*" >&2; return 125; }
	_ct_seen
	"$MINIRUN" --root "$R" "$@"
	_rc=$?
	_ct_seen
	return $_rc
}

# _ct_zombie /proc/PID - true when the process has exited and waits to be reaped
_ct_zombie() {
	_st=$(sed 's/.*) //' "$1/stat" 2>/dev/null) || return 1
	[ "${_st%% *}" = Z ]
}

# _ct_live COMM - true while a process named COMM runs (zombies aside)
_ct_live() {
	for _q in /proc/[0-9]*; do
		[ "$(cat "$_q/comm" 2>/dev/null)" = "$1" ] && ! _ct_zombie "$_q" && return 0
	done
	return 1
}

ct_leaks() {
	_ct_seen
	# minirun or a container's program; and, this PID namespace being the test's own, any
	# process but the shells and the tools the tests (and this function) run (below). A
	# monitor tells its client the exit code as its last step but one; a --rm monitor then
	# unmounts and deletes its container's run directory and files (trash.c): give one that
	# is on its way out up to 3 s to go (slow in the VM) before looking at what it left
	_i=0
	while _ct_live minirun && [ $_i -lt 300 ]; do
		sleep 0.01
		_i=$((_i + 1))
	done
	grep -F "$R" /proc/self/mountinfo | awk '{ print "leak: mount " $5 }'
	nt_settle
	ip -o link 2>/dev/null | grep -o 'mrv[0-9a-f]*' | sed 's/^/leak: veth /'
	"$NFT" list map ip minirun published 2>/dev/null | grep -q 'elements' &&
		echo "leak: published ports: $("$NFT" list map ip minirun published | tr -d '\n\t')"
	for _n in "$R"/networks/*.json; do
		[ -f "$_n" ] || continue
		tr -d ' \n\t' <"$_n" | grep -q '"Containers":{"\|"IPv4Address"' && echo "leak: lease in $_n"
	done
	# an --rm container's directory is a link to RUN/records/ID (store.c): a dangling
	# link is a leak too
	for _d in "$R"/containers/*; do
		{ [ -e "$_d" ] || [ -L "$_d" ]; } && echo "leak: state dir $_d"
	done
	ls -A "$R/containers/.names" 2>/dev/null | sed 's/^/leak: name claim /'
	# the run root (minirun/containers/root.c): ROOT/run for a store of its own
	for _d in "$R"/run/containers/* "$R"/run/records/* "$R"/run/slots/*; do
		[ -e "$_d" ] && echo "leak: run dir $_d"
	done
	ls "$R/run/oci" 2>/dev/null | sed 's/^/leak: OCI state /' # not .seccomp-cache: a cache, kept
	_ct_cgroups | sed 's/^/leak: cgroup /'
	# a --rm monitor deletes its container's files after telling the exit code (its
	# last step, waited for above): then nothing is left in the trash
	ls -A "$R/containers/.trash" 2>/dev/null | sed 's/^/leak: trash /'
	ls -A "$R/containers/.logs" 2>/dev/null | sed 's/^/leak: --rm log /'
	_mr=$(readlink -f "$MINIRUN")
	for _p in /proc/[0-9]*; do
		# a zombie holds nothing: an exited monitor, reparented to the shell that is this
		# namespace's init, waits there until that shell reaps its next child
		_ct_zombie "$_p" && continue
		_exe=$(readlink "$_p/exe" 2>/dev/null)
		_c=$(cat "$_p/comm" 2>/dev/null) || continue
		case $_exe in
		"$_mr" | "$R"/*)
			echo "leak: process ${_p#/proc/} $_exe"
			continue
			;;
		esac
		case $_c in
		sh | dash | ash | bash | cat | grep | sed | ls | find | nft | ip | timeout | readlink | awk | tr | sort | wc | head | tail) ;;
		*) echo "leak: process ${_p#/proc/} $_c ($(tr '\0' ' ' <"$_p/cmdline" 2>/dev/null))" ;;
		esac
	done
	return 0
}

# _ct_cgroups - the cgroup directories named after a container ID this test made (one walk
# of the hierarchy for all of them: the walk is the slow part in the VM)
_ct_cgroups() {
	[ -s "$R.ids" ] || return 0
	_expr=
	for _id in $(sort -u "$R.ids"); do
		_expr="$_expr${_expr:+ -o} -name *$_id*"
	done
	# shellcheck disable=SC2086 # _expr is a list of find arguments; globs quoted by set -f
	(set -f; find /sys/fs/cgroup -maxdepth 6 -depth -type d \( $_expr \) 2>/dev/null)
	return 0
}

ct_noleaks() {
	_l=$(ct_leaks)
	[ -z "$_l" ] || die "left behind: $_l"
}

# ct_field REF PATH - a field of the record: "State.Status", "RestartCount", "Name"
ct_field() {
	# inspect first (the info engineer's templates); the record itself when it can't
	mr inspect --format "{{.$2}}" "$1" 2>/dev/null && return 0
	_id=$(cat "$R/containers/.names/${1#/}" 2>/dev/null) || _id=$1
	[ -d "$R/containers/$_id" ] || _id=$(basename "$(ls -d "$R/containers/$1"* 2>/dev/null | head -n 1)")
	_f=$R/containers/$_id/container.json
	[ -f "$_f" ] || return 1
	# the record is compact JSON; python3 or a sed fallback for busybox-only VMs
	if command -v python3 >/dev/null 2>&1; then
		python3 -c 'import json,sys
v=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): v=v.get(k) if isinstance(v, dict) else None
print("true" if v is True else "false" if v is False else "" if v is None else v)' "$_f" "$2"
	else
		_k=${2##*.}
		sed -n "s/.*\"$_k\":\"\{0,1\}\([^,\"}]*\).*/\1/p" "$_f" | head -n 1
	fi
}
# ct_status REF - the status as inspect shows it (checked against the processes)
ct_status() { ct_field "$1" State.Status; }

# ct_inspect REF - what `inspect` shows of container REF (a name or full ID): the record,
# ROOT/containers/ID/container.json, read directly when inspect cannot
ct_inspect() {
	mr inspect "$1" 2>/dev/null && return 0
	_id=$(cat "$R/containers/.names/${1#/}" 2>/dev/null || echo "$1")
	cat "$R/containers/$_id/container.json"
}

# ct_www NAME [RUN-OPTIONS...] - a detached busybox httpd container NAME serving hello-NAME
ct_www() {
	_n=$1
	shift
	mr run -d --name "$_n" "$@" busybox sh -c \
		"mkdir -p /www && echo hello-$_n >/www/index.html && exec httpd -f -p 80 -h /www"
}

# ct_get HOST:PORT [PID] - an HTTP GET with nc (busybox-static wget crashes resolving on some
# hosts): the body's last line
ct_get() {
	if [ -n "${2:-}" ]; then
		printf 'GET / HTTP/1.0\r\n\r\n' | nsenter -t "$2" -n "$BB" nc -w 3 "${1%:*}" "${1##*:}" 2>&1 | tail -n 1
	else
		printf 'GET / HTTP/1.0\r\n\r\n' | "$BB" nc -w 3 "${1%:*}" "${1##*:}" 2>&1 | tail -n 1
	fi
}

# ct_wait_log NAME TEXT - wait (at most 10 s) until the container's log has a line TEXT: a
# container that traps a signal says "ready" after its trap, and a test sends the signal
# only then (the init of a PID namespace ignores a signal it has no handler for yet, so a
# signal sent before the trap is lost, not fatal)
ct_wait_log() {
	_i=0
	until "$MINIRUN" --root "$R" logs "$1" 2>/dev/null | grep -qx "$2"; do
		_i=$((_i + 1))
		[ $_i -lt 100 ] || return 1
		sleep 0.1
	done
}

# ct_wait_http HOST:PORT [PID] - wait (at most 5 s) until a GET answers
ct_wait_http() {
	_i=0
	while [ -z "$(ct_get "$@" | grep hello)" ]; do
		_i=$((_i + 1))
		[ $_i -lt 50 ] || return 1
		sleep 0.1
	done
}

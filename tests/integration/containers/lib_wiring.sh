# tests/integration/containers/lib_wiring.sh - what the network, ports, volumes, stress and
# badinput suites of minirun's containers share (sourced, not a suite).
#
# Every test runs its body with w_host, in a throwaway namespace that plays the host
# (tests/integration/netns/netns.sh's nt_host: new network, mount and PID namespaces). The
# default bridge mr0, the veths, the nft table `ip minirun`, the overlay mounts and every
# container process live and die inside it; the store is the test's own ($R, never
# /var/lib/minirun), with the built-in busybox image imported as "busybox".
# Inside the script:
#	mr ARGS...           `minirun --root $R ARGS`
#	get HOST:PORT [PID]  the last line of an HTTP GET (busybox nc), from PID's netns if given
#	w_inspect REF        the container's record, as inspect prints it
#	w_www IMAGE...       `run -d` busybox httpd serving "hello-<name>" on port 80; needs --name
#	w_leaks              one "leak: ..." line per thing the store's containers left behind
#	                     (mounts, veths, nft elements, leases, state dirs, name claims, OCI
#	                     state, cgroups, processes); nothing when clean
. "$MR_TOP/tests/integration/netns/netns.sh"

MINIRUN=${MINIRUN:-$MR_TOP/minirun/minirun}
BBTAR=$MR_TOP/build/images/busybox.tar
export MINIRUN BBTAR MR_TOP

# w_need - skip or fail before anything is made: root, the netns tools, minirun, the image
w_need() {
	nt_need
	[ -x "$MINIRUN" ] || t_fail "$MINIRUN is not built (make minirun)"
	[ -f "$BBTAR" ] || t_skip "needs build/images/busybox.tar (make busybox-image)"
	R=$T_DIR/root
	export R
}

# w_host SCRIPT - nt_host with the helpers above and the busybox image in $R
w_host() {
	nt_host ". '$MR_TOP/tests/integration/containers/lib_wiring.sh'
w_inside || exit 1
$1"
}

w_inside() {
	mr import -c 'CMD ["sh"]' "$BBTAR" busybox >/dev/null || die "import busybox"
}

mr() { "$MINIRUN" --root "$R" "$@"; }

# an HTTP GET with nc (busybox-static wget crashes resolving on some hosts): the body's
# last line
get() {
	if [ -n "${2:-}" ]; then
		printf 'GET / HTTP/1.0\r\n\r\n' | nsenter -t "$2" -n "$BB" nc -w 3 "${1%:*}" "${1##*:}" 2>&1 | tail -n 1
	else
		printf 'GET / HTTP/1.0\r\n\r\n' | "$BB" nc -w 3 "${1%:*}" "${1##*:}" 2>&1 | tail -n 1
	fi
}

# w_www NAME [RUN-OPTIONS...] - a detached busybox httpd container NAME serving hello-NAME
w_www() {
	_n=$1
	shift
	mr run -d --name "$_n" "$@" busybox sh -c \
		"mkdir -p /www && echo hello-$_n >/www/index.html && exec httpd -f -p 80 -h /www"
}

# w_wait_http HOST:PORT [PID] - wait (at most 5 s) until a GET answers
w_wait_http() {
	_i=0
	while [ -z "$(get "$@" | grep hello)" ]; do
		_i=$((_i + 1))
		[ $_i -lt 50 ] || return 1
		sleep 0.1
	done
}

# w_inspect REF - what `inspect` shows of container REF (a name or full ID): the record,
# ROOT/containers/ID/container.json, which is what inspect prints (read directly where this
# build has no inspect verb yet)
w_inspect() {
	mr inspect "$1" 2>/dev/null && return 0
	_id=$(cat "$R/containers/.names/$1" 2>/dev/null || echo "$1")
	cat "$R/containers/$_id/container.json"
}

# w_ids - the full IDs of every container of the store, one a line
w_ids() { ls "$R/containers" 2>/dev/null | grep -E '^[0-9a-f]{64}$'; }

# w_leaks - what is left once every container of $R is gone (see the top of this file).
# Cgroups are looked for by the IDs the test saw ($R/.ids: `w_ids >>"$R/.ids"` while they
# run), never by a broad name: other suites run containers on this machine at the same time.
w_leaks() {
	grep -F "$R" /proc/self/mountinfo | sed 's/^/leak: mount /'
	nt_settle
	ip -o link | grep -o ' mrv[0-9a-f]*' | sed 's/^/leak: veth/'
	nft list map ip minirun published 2>/dev/null | grep -q 'elements' &&
		echo "leak: published ports: $(nft list map ip minirun published | tr -d '\n\t')"
	for _f in "$R"/networks/*.json; do
		[ -e "$_f" ] || continue
		grep -q '"IPv4Address"' "$_f" && echo "leak: lease in $_f"
	done
	w_ids | sed 's/^/leak: state dir containers\//'
	ls -A "$R/containers/.names" 2>/dev/null | sed 's/^/leak: name claim /'
	ls "$R/oci" 2>/dev/null | sed 's/^/leak: OCI state /' # not .seccomp-cache: a cache, kept
	if [ -s "$R/.ids" ]; then
		find /sys/fs/cgroup -type d 2>/dev/null | grep -F -f "$R/.ids" | sed 's/^/leak: cgroup /'
	fi
	# this PID namespace is the test's own: any process but the shells is a leftover
	for _p in /proc/[0-9]*; do
		_c=$(cat "$_p/comm" 2>/dev/null) || continue
		case $_c in sh | dash | ash | bash | cat | grep | sed | ls | find | nft | ip | timeout) ;;
		*) echo "leak: process ${_p#/proc/} $_c" ;; esac
	done
}

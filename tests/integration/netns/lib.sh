# tests/integration/netns/lib.sh - what the netns suites share (sourced, not a suite).
#
# Every netns test runs its body in a throwaway namespace that plays "the host":
#
#	nt_host 'netns/bridge mrbr0 10.88.0.1/24 && c1=$(box) && ...'
#
# runs the script with sh in new network, mount and PID namespaces (unshare -nmpf
# --mount-proc). Bridges, veths, the nft table, "containers" (box), an "internet"
# namespace: all are made inside it, so the machine's own interfaces, routes and ruleset
# are never touched, and when the script ends its PID namespace ends with it, killing
# every process it started (and with them their namespaces and links).
# Inside, the script can use: $NT (the netns/ programs), $BB (busybox), box, inns, die,
# and uplink (an "internet" namespace behind a veth).

. "$MR_TOP/tests/lib/tools.sh" # realtool, BB: shared with the labs

NT=$MR_TOP/netns
IP=$(realtool ip) NFT=$(realtool nft) UNSHARE=$(realtool unshare) NSENTER=$(realtool nsenter)
export NT BB IP NFT UNSHARE NSENTER
# a bare `ip` in a suite means the real one too (only when one was found: no recursion)
case $IP in /*) ip() { "$IP" "$@"; } ;; esac
case $NSENTER in /*) nsenter() { "$NSENTER" "$@"; } ;; esac

# nt_settle [PATTERN] - wait, up to 3 s, until no link whose name starts with PATTERN
# (default mrv) is down. A container's veth is set down when it ends and deleted by the
# kernel with the container's network namespace, in the background, a few ms later
# (netns_release); count or look for leftover veths only after this.
nt_settle() {
	_i=0
	while ip -o link 2>/dev/null | grep -q ": ${1:-mrv}[^:]*:.*state DOWN" && [ $_i -lt 300 ]; do
		sleep 0.01
		_i=$((_i + 1))
	done
	return 0
}

# nt_need - skip unless we can build a host namespace and the programs exist
nt_need() {
	t_need_root
	for _c in "$IP" "$NFT" "$UNSHARE" "$NSENTER"; do
		[ -x "$_c" ] || t_skip "needs $(basename "$_c") (iproute2, nftables, util-linux)"
	done
	[ -x "$NT/show" ] || t_skip "netns programs are not built (make netns)"
	[ -n "$BB" ] || t_skip "needs busybox (for ping and nc)"
	unshare -n true 2>/dev/null || t_skip "cannot unshare a network namespace here"
}

# nt_host SCRIPT - run SCRIPT in a fresh "host" (see above); its output and status are ours
nt_host() {
	"$UNSHARE" -n -m -p -f --mount-proc sh -c ". '$MR_TOP/tests/integration/netns/lib.sh'
nt_inside
$1" 2>&1
}

# nt_lines TEXT - the number of lines in TEXT
nt_lines() { printf '%s\n' "$1" | wc -l | tr -d ' '; }

# ---- inside the host namespace -----------------------------------------------------------

nt_inside() {
	ip link set lo up
}

# die MSG - fail the script
die() { echo "FAIL: $*"; exit 1; }

# box - start a "container": a process in a new network namespace; print its PID once it
# is really in the new namespace (unshare has run)
box() {
	unshare -n sleep 600 >/dev/null 2>&1 &
	_p=$!
	_i=0
	while [ "$(readlink "/proc/$_p/ns/net")" = "$(readlink /proc/self/ns/net)" ]; do
		_i=$((_i + 1))
		[ $_i -lt 100 ] || die "box $_p never entered its namespace"
		sleep 0.05
	done
	echo "$_p"
}

# inns PID CMD... - run CMD in PID's network namespace (`ip` meaning the real one)
inns() {
	_p=$1
	shift
	if [ "$1" = ip ]; then
		shift
		nsenter -t "$_p" -n "$IP" "$@"
	else
		nsenter -t "$_p" -n "$@"
	fi
}

# pingok PID ADDR - PID's namespace gets an echo reply from ADDR
pingok() { inns "$1" "$BB" ping -c 1 -W 2 "$2" >/dev/null 2>&1; }

# uplink - make an "internet" namespace behind veth 'uplink' (host 198.51.100.1,
# internet 198.51.100.2, with a route back to the host only); print its PID
uplink() {
	_i=$(box)
	"$NT/veth" -a 198.51.100.1/24 -n "$_i" -r eth0 -A 198.51.100.2/24 uplink uplinkp >/dev/null ||
		die "uplink veth"
	echo "$_i"
}

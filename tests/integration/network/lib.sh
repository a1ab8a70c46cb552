# tests/integration/network/lib.sh - what the network suites share (sourced, not a suite).
#
# Every test runs its body in a throwaway namespace that plays the host, with netns/lib.sh's
# nt_host (read tests/integration/netns/lib.sh): bridges, veths, the nft table and the
# "containers" live and die inside it. The records go to a root of the test's own ($R).
# Inside the script:
#	mrn ARGS...             `minirun --root $R network ARGS` (MINIRUN overrides the binary)
#	cid NAME                a 64-hex-ish container ID for NAME ("c1" -> c1000...0)
#	conn NET NAME PID [--alias A]   connect box PID as container NAME; prints its address
#	incont PID NAME CMD...  run CMD in PID's netns with NAME's hosts file as /etc/hosts
#	nlinks PREFIX           how many links of the host namespace have a name starting PREFIX
. "$MR_TOP/tests/integration/netns/lib.sh"

MINIRUN=${MINIRUN:-$MR_TOP/minirun/minirun}
export MINIRUN

net_need() {
	nt_need
	[ -x "$MINIRUN" ] || t_fail "$MINIRUN is not built (make minirun)"
	R=$T_DIR/root
	export R
}

# net_host SCRIPT - nt_host with the helpers above defined inside
net_host() {
	nt_host ". '$MR_TOP/tests/integration/network/lib.sh'
$1"
}

mrn() { "$MINIRUN" --root "$R" network "$@"; }
cid() { printf '%s%0*d' "$1" $((64 - ${#1})) 0; }
conn() {
	_n=$1 _c=$2 _p=$3
	shift 3
	mrn connect --name "$_c" "$@" "$_n" "$(cid "$_c")" "$_p"
}
incont() {
	_p=$1 _c=$2
	shift 2
	nsenter -t "$_p" -n "$UNSHARE" -m sh -c \
		"mount -o bind '$R/containers/$(cid "$_c")/hosts' /etc/hosts && $*"
}
nlinks() { ip -o link | grep -c ": $1"; }
# published - the published map's elements, one "tcp . 8080 : 10.89.0.2 . 80" a line
published() { nft list map ip minirun published 2>/dev/null | tr ',' '\n' | grep -o '[a-z0-9]* \. [0-9]* : [0-9.]* \. [0-9]*'; }

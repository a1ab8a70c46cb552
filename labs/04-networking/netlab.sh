# labs/04-networking/netlab.sh - what the networking labs share (each lab.sh sources it).
#
# A networking lab never touches the machine's own network. `setup` starts a few small
# "holder" processes, each sitting in a network namespace of its own (unshare -n sleep):
# one plays the host, the others containers, another machine, "the internet". Their PIDs
# are kept in $LAB_STATE/NAME.pid, and every step runs its commands inside them with
# `nsenter -t PID -n`. `teardown` kills the holders (and any server a lab started): a
# network namespace, with every link, address, route and nft rule in it, is gone when its
# last process exits.
set -u
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
cd "$MR_TOP" || exit 1
LAB_STATE=${LAB_STATE:?set LAB_STATE, or run the lab through labs/lab}
mkdir -p "$LAB_STATE"
# starttime, remember, kill_remembered, pid, fail, BB (realtool too)
. "$MR_TOP/labs/lib.sh"

# need - the lab can run here (exit 77 with the reason when it cannot)
need() {
	[ "$(id -u)" = 0 ] || { echo "needs root: network namespaces need CAP_SYS_ADMIN (use sudo)"; exit 77; }
	[ -x netns/show ] || { echo "the netns programs are not built: run 'make netns' first"; exit 1; }
	[ -n "$BB" ] || { echo "needs busybox (for ping and nc): apt-get install busybox-static"; exit 77; }
	unshare -n true 2>/dev/null || { echo "cannot create a network namespace here"; exit 77; }
}

# holder NAME - start a process in a new network namespace, record it as NAME
holder() {
	unshare -n sleep 1000000 </dev/null >/dev/null 2>&1 &
	_p=$!
	while [ "$(readlink "/proc/$_p/ns/net")" = "$(readlink /proc/self/ns/net)" ]; do sleep 0.05; done
	echo "$_p $(starttime "$_p")" >"$LAB_STATE/$1.pid"
	nsenter -t "$_p" -n ip link set lo up
	remember "$_p" all.pids
	echo "$1: a network namespace held by pid $_p"
}

# inns NAME CMD... - run CMD in NAME's network namespace
inns() { _n=$1; shift; nsenter -t "$(pid "$_n")" -n "$@"; }

# serve NAME CMD... - start a server CMD in NAME's namespace in the background
serve() {
	_n=$1; shift
	nsenter -t "$(pid "$_n")" -n "$@" </dev/null >/dev/null 2>&1 &
	remember $! all.pids
	sleep 0.3
}

# teardown_all - kill every process this lab started (checked by start time), remove files
teardown_all() {
	kill_remembered
	rm -f "$LAB_STATE"/*.pid "$LAB_STATE"/*.pids "$LAB_STATE"/*.txt
	echo "torn down: the lab's namespaces are gone with their holders"
}

# steps - the standard dispatch; a lab.sh defines setup_, run_, check_ and hint
steps() {
	case "${1:-}" in
	setup) need; teardown_all >/dev/null; setup_; echo "lab ready; in your shell:  export LAB_STATE=$LAB_STATE" ;;
	run) need; run_ ;;
	check) need; check_ ;;
	hint) hint ;;
	teardown) teardown_all ;;
	*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
	esac
}

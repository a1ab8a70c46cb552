#!/bin/sh
# tests/host-as-users.sh - the host tier as it runs on the machines users have, not on this
# one's defaults: run as `make test-host-as-users` (root).
#
#   tests/host-as-users.sh RESULTS.tap [SUITE-DIR|FILE...]
#
# Three things differ between a CI machine and a learner's laptop or an operator's server,
# and a test may assume none of them (a test sets what it needs in a namespace of its own,
# or checks a change relative to what it found):
#   - IPv4 forwarding is on wherever docker runs (net.ipv4.ip_forward=1): set for the run,
#     put back as it was after it, however the run ends; a new network namespace inherits it;
#   - `/` is a shared mount on every systemd host: the run gets a mount namespace of its own
#     whose `/` is made rshared there (the machine's own mounts are untouched: unshare copies
#     them, and the copies join a peer group of the namespace's own);
#   - the locale is not C: C.UTF-8 (present on every Debian), so sorting, character classes
#     and messages are what a user's shell gives.
# The results go to RESULTS.tap as tests/run-suites writes them, tier "host-as-users".
set -u
results=$1
shift
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
[ "$(id -u)" = 0 ] || { echo "host-as-users: needs root (it sets ip_forward and makes a mount namespace)" >&2; exit 2; }
# from the top, with paths as `make test-host` gives them: tests/long.list names its suites
# so, and run-suites leaves those out only when the paths match
cd "$MR_TOP" || exit 1
[ $# -gt 0 ] || set -- tests/integration
fwd=/proc/sys/net/ipv4/ip_forward
was=$(cat "$fwd")
trap 'echo "$was" >"$fwd"' EXIT
trap 'exit 130' INT TERM
echo 1 >"$fwd"
echo "host-as-users: ip_forward 1 (was $was, put back after), / rshared in a mount namespace of the run's own, LC_ALL=C.UTF-8"
LC_ALL=C.UTF-8 LANG=C.UTF-8 unshare -m --propagation unchanged \
	sh -c 'mount --make-rshared / && exec "$0" host-as-users "$@"' \
	"$MR_TOP/tests/run-suites" "$results" "$@"

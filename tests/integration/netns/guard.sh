# tests/integration/netns/guard.sh - the host-network guard (sourced by aa- and zz-guard.t).
#
# guard_snapshot prints the machine's own `ip -o link`, `ip route` and `nft list ruleset`.
# The snapshot is kept in a file keyed by the process that runs the suites (the
# grandparent of a suite: tests/run-suites, or your shell when you run the suites by hand),
# so concurrent runs by other people do not mix their snapshots.

. "$MR_TOP/tests/integration/netns/lib.sh"

guard_snapshot() {
	echo "## ip -o link"
	ip -o link | sed 's/ *$//'
	echo "## ip route"
	ip route
	echo "## nft list ruleset"
	nft list ruleset
}

guard_file() {
	_gp=$(sed 's/.*) //' "/proc/$PPID/stat" | cut -d' ' -f2)
	echo "${TMPDIR:-/tmp}/mr-nt-guard.$_gp"
}

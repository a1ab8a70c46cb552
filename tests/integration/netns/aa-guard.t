# tests/integration/netns/aa-guard.t - the first netns suite: record the machine's own
# links, routes and nftables ruleset, for zz-guard.t to compare once every netns suite has
# run. (Run alone, zz-guard.t records, runs the other suites itself, and compares.)
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/netns/guard.sh"

record() {
	[ -x "$IP" ] && [ -x "$NFT" ] || t_skip "needs ip and nft"
	guard_snapshot >"$(guard_file)" || t_fail "cannot record the host's network state"
	[ -s "$(guard_file)" ] || t_fail "empty snapshot"
}
t "the host's links, routes and nft ruleset are recorded before the netns suites" record
t_end

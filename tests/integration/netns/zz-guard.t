# tests/integration/netns/zz-guard.t - the last netns suite: the machine's own links,
# routes and nftables ruleset are exactly as aa-guard.t recorded them before the netns
# suites ran. Run alone (no snapshot from aa-guard.t), it takes the snapshot itself, runs
# every other netns suite, and compares.
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/netns/guard.sh"

unchanged() {
	[ -x "$IP" ] && [ -x "$NFT" ] || t_skip "needs ip and nft"
	f=$(guard_file)
	if [ -f "$f" ]; then
		before=$(cat "$f")
		rm -f "$f"
	else
		echo "no snapshot from aa-guard.t: running the netns suites here"
		before=$(guard_snapshot)
		suites=$(ls "$MR_TOP"/tests/integration/netns/*.t | grep -v -- '-guard\.t$')
		MR_SUITES= "$MR_TOP/tests/run-suites" host "$T_DIR/sub.tap" $suites >/dev/null 2>&1
	fi
	after=$(guard_snapshot)
	if [ "$before" != "$after" ]; then
		printf '%s\n' "$before" >"$T_DIR/before"
		printf '%s\n' "$after" >"$T_DIR/after"
		diff "$T_DIR/before" "$T_DIR/after"
		t_fail "the host's network state changed during the netns suites"
	fi
}
t "the host's links, routes and nft ruleset are unchanged by the netns suites" unchanged
t_end

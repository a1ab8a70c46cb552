#!/bin/sh
# labs/04-networking/08-bridge-host-none/lab.sh - what --network bridge, host and none give
# a container (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown  (usually through `labs/lab bridge-host-none STEP`)
#
# Everything runs in namespaces playing the host and the internet (mrlab.sh): exit 0 pass,
# 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=bridge-host-none
. "$(dirname "$0")/../../01-fundamentals/mrlab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env', save 'ip -o addr; ip route' from inside a container with
--network none, with the default (bridge) and with --network host to none.txt, bridge.txt and
host.txt in $LAB_STATE; then save 'ping -c 1 -W 2 198.51.100.2' from a bridge container to
ping-bridge.txt, and from a --network none one (2>&1) to ping-none.txt.
HINT
}

setup_() { uplink; }

run_() {
	need_verbs run rm
	onhost ip -br addr
	minirun run --rm --network none busybox sh -c 'ip -o addr; ip route' | tee "$LAB_STATE/none.txt"
	minirun run --rm busybox sh -c 'ip -o addr; ip route' | tee "$LAB_STATE/bridge.txt"
	minirun run --rm --network host busybox sh -c 'ip -o addr; ip route' | tee "$LAB_STATE/host.txt"
	minirun run -d --name idle busybox sleep 1000
	onhost ip -br link
	onhost ip -br link show master mr0
	onhost nft list ruleset | head -40
	minirun rm -f idle
	minirun run --rm busybox ping -c 1 -W 2 198.51.100.2 | tee "$LAB_STATE/ping-bridge.txt"
	minirun run --rm --network none busybox ping -c 1 -W 2 198.51.100.2 2>&1 | tee "$LAB_STATE/ping-none.txt"
	true
}

check_() {
	need_verbs run rm
	for f in none.txt bridge.txt host.txt ping-bridge.txt ping-none.txt; do have $f; done
	expect "none.txt shows lo" grep -q ': lo ' "$LAB_STATE/none.txt"
	expect "none.txt shows no interface besides lo" not grep -Eq 'eth0|uplink|mr0' "$LAB_STATE/none.txt"
	expect "none.txt shows no default route" not grep -q '^default' "$LAB_STATE/none.txt"
	expect "bridge.txt has eth0 with an address in 10.88.0.0/16" grep -Eq ': eth0 +inet 10\.88\.[0-9]+\.[0-9]+/16 ' "$LAB_STATE/bridge.txt"
	expect "bridge.txt has a default route via 10.88.0.1" grep -q '^default via 10.88.0.1 dev eth0' "$LAB_STATE/bridge.txt"
	expect "host.txt shows the host's uplink (198.51.100.1)" grep -Eq ': uplink +inet 198\.51\.100\.1/24' "$LAB_STATE/host.txt"
	expect "host.txt shows no eth0: with --network host there is no veth" not grep -q eth0 "$LAB_STATE/host.txt"
	expect "the bridge container got an answer from 198.51.100.2" grep -q '1 packets received' "$LAB_STATE/ping-bridge.txt"
	expect "the --network none container did not reach the internet" not grep -q '1 packets received' "$LAB_STATE/ping-none.txt"
	echo "check: ok - none: lo only; bridge: eth0 in 10.88.0.0/16 with a default route, the internet answers; host: the host's uplink"
}

steps "$@"

#!/bin/sh
# labs/04-networking/06-isolation/lab.sh - two bridge networks that cannot reach each other
# (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab isolation STEP`)
. "$(dirname "$0")/../netlab.sh"

hint() {
	cat <<'HINT'
hint: with routing on, the host forwards between any two of its subnets. Registering both
bridges for NAT adds them to the set @bridges, and the forward chain drops what goes from
one of our bridges to another:
  nsenter -t $host -n ./netns/bridge -m mrbra 10.88.1.1/24
  nsenter -t $host -n ./netns/bridge -m mrbrb 10.88.2.1/24
HINT
}

setup_() {
	holder host && holder a && holder a2 && holder b || return 1
	inns host ./netns/bridge mrbra 10.88.1.1/24 >/dev/null &&
		inns host ./netns/bridge mrbrb 10.88.2.1/24 >/dev/null &&
		inns host ./netns/connect "$(pid a)" mrbra 10.88.1.2/24 10.88.1.1 >/dev/null &&
		inns host ./netns/connect "$(pid a2)" mrbra 10.88.1.3/24 10.88.1.1 >/dev/null &&
		inns host ./netns/connect "$(pid b)" mrbrb 10.88.2.2/24 10.88.2.1 >/dev/null || return 1
	echo "a (10.88.1.2) and a2 (10.88.1.3) on mrbra; b (10.88.2.2) on mrbrb"
}

reach() { # FROM ADDR LABEL
	if inns "$1" "$BB" ping -c 1 -W 1 "$2" >/dev/null 2>&1; then r=reached; else r=blocked; fi
	echo "$1 -> $2 ($3): $r"
}

run_() {
	inns host sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
	reach a 10.88.2.2 "b, plain bridges" | tee "$LAB_STATE/plain.txt"
	inns host ./netns/bridge -m mrbra 10.88.1.1/24
	inns host ./netns/bridge -m mrbrb 10.88.2.1/24
	{
		reach a 10.88.2.2 "b, other NAT bridge"
		reach b 10.88.1.2 "a, other NAT bridge"
		reach a 10.88.1.3 "a2, same bridge"
		reach a 10.88.1.1 "own gateway"
	} | tee "$LAB_STATE/nat.txt"
	inns host nft list chain ip minirun filter_fwd
}

check_() {
	[ -s "$LAB_STATE/nat.txt" ] || fail "$LAB_STATE/nat.txt is missing: do the steps first"
	expect "plain bridges are routed to each other" grep -q 'plain bridges): reached' "$LAB_STATE/plain.txt"
	expect "a cannot reach b across NAT bridges" grep -q '(b, other NAT bridge): blocked' "$LAB_STATE/nat.txt"
	expect "b cannot reach a across NAT bridges" grep -q '(a, other NAT bridge): blocked' "$LAB_STATE/nat.txt"
	expect "a reaches a2 on its own bridge" grep -q '(a2, same bridge): reached' "$LAB_STATE/nat.txt"
	expect "a reaches its gateway" grep -q '(own gateway): reached' "$LAB_STATE/nat.txt"
	echo "check: ok - mrbra and mrbrb are isolated; each still works inside"
}

steps "$@"

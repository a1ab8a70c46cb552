#!/bin/sh
# labs/04-networking/02-bridge-three/lab.sh - three containers on one bridge, every pair
# pinging (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab bridge-three STEP`)
. "$(dirname "$0")/../netlab.sh"

hint() {
	cat <<'HINT'
hint: with H the host's PID and C1 C2 C3 the containers' (from $LAB_STATE/*.pid):
  nsenter -t $H -n ./netns/bridge mrbr0 10.88.0.1/24
  nsenter -t $H -n ./netns/connect $C1 mrbr0 10.88.0.2/24 10.88.0.1     (and .3, .4)
  nsenter -t $C1 -n busybox ping -c 1 10.88.0.3 >> $LAB_STATE/pings.txt  (every pair)
Each container needs its own address in the bridge's subnet; the bridge switches frames
between its ports by MAC address.
HINT
}

setup_() { holder host && holder c1 && holder c2 && holder c3; }

run_() {
	inns host ./netns/bridge mrbr0 10.88.0.1/24
	n=2
	for c in c1 c2 c3; do
		inns host ./netns/connect "$(pid $c)" mrbr0 10.88.0.$n/24 10.88.0.1
		n=$((n + 1))
	done
	: >"$LAB_STATE/pings.txt"
	for c in c1 c2 c3; do
		for ip in 10.88.0.2 10.88.0.3 10.88.0.4; do
			inns $c ip -o -4 addr show dev eth0 | grep -q " $ip/" && continue
			if inns $c "$BB" ping -c 1 -W 2 $ip >/dev/null; then r=ok; else r=FAILED; fi
			echo "$c -> $ip $r" | tee -a "$LAB_STATE/pings.txt"
		done
	done
	inns host ./netns/show | tee "$LAB_STATE/show.txt"
	inns host ./netns/bridge -f mrbr0
}

check_() {
	[ -s "$LAB_STATE/pings.txt" ] || fail "$LAB_STATE/pings.txt is missing: do the steps first"
	expect_or "all six pairs answered (pings.txt)" "not: $(grep -v ' ok$' "$LAB_STATE/pings.txt" | tr '\n' ' ')" \
		[ "$(grep -c ' ok$' "$LAB_STATE/pings.txt")" = 6 ]
	expect "mrbr0 has three ports" [ "$(inns host ip -o link show master mrbr0 | wc -l)" = 3 ]
	echo "check: ok - c1, c2 and c3 reach each other through mrbr0 (6 of 6 pairs)"
}

steps "$@"

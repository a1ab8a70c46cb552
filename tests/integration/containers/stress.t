# tests/integration/containers/stress.t - 20 containers started at once (`run -d` in
# parallel) on the default bridge with published ports, all running with distinct addresses,
# then removed at once (`rm -f` in parallel): nothing is left (mounts, cgroups, veths, nft
# elements, leases, state dirs, name claims, processes). Runs in a namespace playing the host.
#   MR_TOP=$PWD sh tests/integration/containers/stress.t
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

N=20

twenty_in_parallel() {
	ct_need
	out=$(ct_host '
		i=1
		while [ $i -le '$N' ]; do
			mr run -d --name "s$i" -p "$((8100 + i)):80" busybox sleep 300 >"$R/run.$i" 2>&1 &
			i=$((i + 1))
		done
		wait
		i=1
		while [ $i -le '$N' ]; do
			grep -Eq "^[0-9a-f]{64}$" "$R/run.$i" || echo "run $i failed: $(cat "$R/run.$i")"
			i=$((i + 1))
		done
		echo "running: $(mr ps -q | wc -l)"
		echo "distinct addresses: $(grep -o "\"IPv4Address\": \"[0-9./]*\"" "$R/networks/bridge.json" | sort -u | wc -l)"
		echo "veths: $(ip -o link show master mr0 | wc -l)"
		echo "published: $(nft list map ip minirun published | grep -o "10\.88\.[0-9.]* \. 80" | wc -l)"
		for i in $(seq 1 '$N'); do mr rm -f "s$i" >"$R/rm.$i" 2>&1 & done
		wait
		cat "$R"/rm.* | grep -v "^s[0-9]*$" | sed "s/^/rm said: /"
		echo "after: $(mr ps -aq | wc -l)"
		ct_leaks') || t_fail "$out"
	t_nomatch "$out" '^run [0-9]+ failed' "every run -d printed an ID"
	t_match "$out" "^running: $N\$" "all $N are running"
	t_match "$out" "^distinct addresses: $N\$" "each has its own lease"
	t_match "$out" "^veths: $N\$" "each has its veth on mr0"
	t_match "$out" "^published: $N\$" "each has its published port"
	t_nomatch "$out" '^rm said: ' "every rm -f printed only the name"
	t_match "$out" '^after: 0$' "ps -a shows none"
	t_nomatch "$out" '^leak:' "nothing is left"
}

t "$N containers started in parallel and removed in parallel leave nothing" twenty_in_parallel
t_end

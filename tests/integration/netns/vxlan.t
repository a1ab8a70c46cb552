# tests/integration/netns/vxlan.t - netns/overlay: two "hosts" joined by an underlay link,
# a bridge and a VXLAN link on each, one container on each, one subnet across. Runs in a
# throwaway namespace playing the machine (see lib.sh); overlay makes its own four.
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/netns/lib.sh"

vxlan_ping_across_hosts() {
	nt_need
	out=$(nt_host '"$NT/overlay"') || t_fail "$out"
	t_match "$out" '^ping from c1 \(host A\) to 10\.77\.0\.3 \(c2, host B\): reply in [0-9.]+ ms$'
}

overlay_topology_and_teardown() {
	nt_need
	out=$(nt_host '
		kept=$("$NT/overlay" -k) || die "overlay -k: $kept"
		set -- $(echo "$kept" | sed -n "s/^kept: host A pid \([0-9]*\), host B pid \([0-9]*\), c1 pid \([0-9]*\), c2 pid \([0-9]*\).*/\1 \2 \3 \4/p")
		[ $# = 4 ] || die "no pids in: $kept"
		echo "== host A"; inns "$1" "$NT/show"
		echo "== c2 eth0: $(inns "$4" ip -o -4 addr show dev eth0 | awk "{print \$4}")"
		echo "== vxlan: $(inns "$1" ip -d -o link show vxlan42 | grep -o "vxlan id [0-9]* remote [0-9.]*")"
		kill "$1" "$2" "$3" "$4"
		sleep 0.3
		for p; do [ -d "/proc/$p" ] && echo "left: $p"; done
		echo done') || t_fail "$out"
	t_match "$out" '^  br0 +UP +bridge'
	t_match "$out" '^    \|-- vxlan42 +UP +vxlan' "vxlan42 is a port of br0 on host A"
	t_match "$out" '^    `-- veth-c +UP +veth +<====> +eth0 UP 10.77.0.2/24 +\[pid [0-9]+ \(ovl-c1\)\]$'
	t_match "$out" '^  ul0 +UP +veth 172.30.0.1/24 +<====> +ul0 UP 172.30.0.2/24 +\[pid [0-9]+ \(ovl-hostB\)\]$'
	t_match "$out" '^== c2 eth0: 10.77.0.3/24$'
	t_match "$out" '^== vxlan: vxlan id 42 remote 172.30.0.2$'
	t_nomatch "$out" '^left: ' "holder processes after kill"
}

bad_vni_is_refused() {
	nt_need
	out=$(nt_host '"$NT/overlay" -i 16777216; echo "exit $?"; echo "links: $(ip -o link | wc -l)"')
	t_match "$out" "^overlay: -i 16777216: a VNI is a number from 1 to 16777215$"
	t_match "$out" '^exit 2$'
	t_match "$out" '^links: 1$' 
}

t "VXLAN: c1 on host A pings c2 on host B across the overlay" vxlan_ping_across_hosts
t "overlay -k leaves the topology to explore; killing the holders removes it" overlay_topology_and_teardown
t "a VNI out of range is refused before anything is made" bad_vni_is_refused
t_end

# tests/integration/netns/bridge.t - netns/bridge and netns/connect: three namespaces on one
# bridge, the picture netns/show draws of them, the forwarding table, isolation between
# NAT bridges, and a clean teardown. Each test runs in a throwaway namespace playing the
# host (see lib.sh).
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/netns/lib.sh"

# three containers on mrbr0, PIDs in $c1 $c2 $c3 (a script prefix for nt_host)
THREE='
	"$NT/bridge" mrbr0 10.88.0.1/24 >/dev/null || die "bridge"
	c1=$(box); c2=$(box); c3=$(box)
	"$NT/connect" "$c1" mrbr0 10.88.0.2/24 10.88.0.1 >/dev/null || die "connect c1"
	"$NT/connect" "$c2" mrbr0 10.88.0.3/24 10.88.0.1 >/dev/null || die "connect c2"
	"$NT/connect" "$c3" mrbr0 10.88.0.4/24 10.88.0.1 >/dev/null || die "connect c3"
'

three_ping_every_pair() {
	nt_need
	out=$(nt_host "$THREE"'
		for a in "$c1:10.88.0.2" "$c2:10.88.0.3" "$c3:10.88.0.4"; do
			for b in 10.88.0.2 10.88.0.3 10.88.0.4 10.88.0.1; do
				[ "${a#*:}" = "$b" ] && continue
				pingok "${a%%:*}" "$b" || die "${a#*:} -> $b: no reply"
				echo "${a#*:} -> $b ok"
			done
		done') || t_fail "$out"
	t_eq "$(printf '%s\n' "$out" | grep -c ' ok$')" 9 "pairs that answered"
}

connect_configures_inside() {
	nt_need
	out=$(nt_host "$THREE"'
		echo "addr: $(inns "$c2" ip -o -4 addr show dev eth0 | awk "{print \$4}")"
		echo "route: $(inns "$c2" ip route show default)"
		echo "lo: $(inns "$c2" ip -o link show lo)"
		echo "port: $(ip -o link show "vmr$c2")"') || t_fail "$out"
	t_match "$out" '^addr: 10.88.0.3/24$'
	t_match "$out" '^route: default via 10.88.0.1 dev eth0'
	t_match "$out" '^lo: .*[<,]UP[,>]'
	t_match "$out" '^port: .* master mrbr0 .*state UP'
}

show_draws_three_containers() {
	nt_need
	out=$(nt_host "$THREE"'
		echo "pids $c1 $c2 $c3"
		"$NT/show"') || t_fail "$out"
	set -- $(printf '%s\n' "$out" | sed -n 's/^pids //p')
	t_match "$out" '^  mrbr0 +UP +bridge 10.88.0.1/24$' "the bridge line"
	t_match "$out" "^    \|-- vmr$1 +UP +veth +<====> +eth0 UP 10.88.0.2/24 via 10.88.0.1 +\[pid $1 \(sleep\)\]$"
	t_match "$out" "^    \|-- vmr$2 +UP +veth +<====> +eth0 UP 10.88.0.3/24 via 10.88.0.1 +\[pid $2 \(sleep\)\]$"
	t_match "$out" "^    \`-- vmr$3 +UP +veth +<====> +eth0 UP 10.88.0.4/24 via 10.88.0.1 +\[pid $3 \(sleep\)\]$"
	# the ports are drawn below their bridge, in order, the last with a corner
	t_eq "$(printf '%s\n' "$out" | grep -A3 'mrbr0 ' | tail -n 3 | cut -c1-8 | tr '\n' ',')" \
		'    |-- ,    |-- ,    `-- ,' "the tree under mrbr0"
}

bridge_is_idempotent() {
	nt_need
	out=$(nt_host '
		"$NT/bridge" mrbr0 10.88.0.1/24 && "$NT/bridge" mrbr0 10.88.0.1/24 || die "bridge twice"
		echo "bridges: $(ip -o link show type bridge | wc -l)"
		echo "addrs: $(ip -o -4 addr show dev mrbr0 | wc -l)"') || t_fail "$out"
	t_match "$out" '^bridges: 1$'
	t_match "$out" '^addrs: 1$'
}

fdb_shows_learned_macs() {
	nt_need
	out=$(nt_host "$THREE"'
		pingok "$c1" 10.88.0.3 || die "ping"
		echo "mac1 $(inns "$c1" ip -o link show eth0 | sed "s|.*link/ether \([^ ]*\).*|\1|")"
		echo "pid1 $c1"
		"$NT/bridge" -f mrbr0') || t_fail "$out"
	mac=$(printf '%s\n' "$out" | sed -n 's/^mac1 //p')
	pid=$(printf '%s\n' "$out" | sed -n 's/^pid1 //p')
	t_match "$out" "^$mac +vmr$pid +learned$" "c1's MAC learned behind its port"
}

nat_bridges_are_isolated() {
	nt_need
	out=$(nt_host '
		"$NT/bridge" mrbra 10.88.1.1/24 >/dev/null && "$NT/bridge" mrbrb 10.88.2.1/24 >/dev/null || die bridges
		a=$(box); b=$(box)
		"$NT/connect" "$a" mrbra 10.88.1.2/24 10.88.1.1 >/dev/null || die "connect a"
		"$NT/connect" "$b" mrbrb 10.88.2.2/24 10.88.2.1 >/dev/null || die "connect b"
		echo 1 > /proc/sys/net/ipv4/ip_forward
		pingok "$a" 10.88.2.2 && echo "plain: routed" || echo "plain: blocked"
		"$NT/bridge" -m mrbra 10.88.1.1/24 >/dev/null && "$NT/bridge" -m mrbrb 10.88.2.1/24 >/dev/null || die "bridge -m"
		pingok "$a" 10.88.2.2 && echo "nat: routed" || echo "nat: blocked"
		pingok "$a" 10.88.1.1 && echo "nat: own gateway ok"') || t_fail "$out"
	t_match "$out" '^plain: routed$' "without NAT the host routes between the bridges"
	t_match "$out" '^nat: blocked$' "NAT bridges are isolated from each other"
	t_match "$out" '^nat: own gateway ok$'
}

teardown_leaves_nothing() {
	nt_need
	out=$(nt_host "$THREE"'
		"$NT/bridge" -m mrbr0 10.88.0.1/24 >/dev/null || die "bridge -m"
		for c in "$c1" "$c2" "$c3"; do "$NT/connect" -d "vmr$c" || die "disconnect $c"; done
		"$NT/bridge" -d mrbr0 || die "bridge -d"
		echo "links: $(ip -o link | cut -d: -f2 | tr -d " \n")"
		echo "addrs: $(ip -o -4 addr | awk "{print \$2, \$4}" | tr "\n" ,)"
		echo "routes: $(ip route | wc -l)"
		echo "rules: $(nft list ruleset | wc -l)"
		echo "inside: $(inns "$c1" ip -o link | wc -l)"') || t_fail "$out"
	t_match "$out" '^links: lo$'
	t_match "$out" '^addrs: lo 127.0.0.1/8,$'
	t_match "$out" '^routes: 0$'
	t_match "$out" '^rules: 0$'
	t_match "$out" '^inside: 1$' "only lo left inside c1"
}

# The gateway's MAC must not move when ports go: the others' ARP entries for it would
# point at the old one (netns/link.c, nl_bridge_add)
bridge_mac_stays() {
	nt_need
	out=$(nt_host "$THREE"'
		mac() { ip -o link show "$1" | sed -n "s/.* link\/ether \([0-9a-f:]*\) .*/\1/p"; }
		echo "mac: $(mac mrbr0)"
		for c in $c1 $c2 $c3; do echo "port: $(mac "vmr$c")"; done
		ip link del "vmr$c1" && ip link del "vmr$c2" || die "del"
		echo "after: $(mac mrbr0)"
		pingok "$c3" 10.88.0.1 && echo "c3 reaches the gateway"') || t_fail "$out"
	mac=$(printf '%s\n' "$out" | sed -n 's/^mac: //p')
	[ -n "$mac" ] || t_fail "no MAC read: $out"
	t_nomatch "$out" "^port: $mac$" "set at creation: none of the ports' addresses"
	t_match "$out" "^after: $mac$" "it stays when the ports go"
	t_match "$mac" '^.[2367abef]:' "a locally administered unicast address"
	t_match "$out" '^c3 reaches the gateway$'
}

t "three namespaces on a bridge ping every pair and the gateway" three_ping_every_pair
t "the bridge's MAC is its own: set at creation, kept as ports come and go" bridge_mac_stays
t "connect gives the namespace eth0, its address, lo up and a default route" connect_configures_inside
t "netns/show draws the bridge with its three containers" show_draws_three_containers
t "creating a bridge twice is harmless: one bridge, one address" bridge_is_idempotent
t "the bridge's forwarding table shows a container's MAC behind its port" fdb_shows_learned_macs
t "NAT bridges are isolated from each other (plain ones are routed)" nat_bridges_are_isolated
t "after teardown no link, address, route or nft rule of ours remains" teardown_leaves_nothing
t_end

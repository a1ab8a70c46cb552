# tests/integration/containers/network.t - `minirun run --network`: what each mode gives a
# container (bridge: eth0 on mr0 with a 10.88 address and a default route; host: the host's
# links; none: lo only; container:ID: the other one's interfaces), names on a user network
# (by name and alias, not on the default bridge), docker's NetworkSettings in inspect, and
# leases returned on rm. Each test runs in a throwaway namespace playing the host.
#   MR_TOP=$PWD sh tests/integration/containers/network.t
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

bridge_default() {
	ct_need net
	out=$(ct_host '
		mr run --rm busybox sh -c "ip -o -4 addr show; ip route" | sed "s/^/in: /"
		id=$(mr run -d --name b1 busybox sleep 60) || die "run -d"
		ct_inspect b1 | tr -d " \n" | grep -oE "\"(IPAddress|Gateway|IPPrefixLen|MacAddress)\":[^,}]*" | sort -u | sed "s/^/inspect: /"
		echo "host sees: $(ip -o link show master mr0 | grep -c mrv)"
		"$BB" ping -c 1 -W 2 10.88.0.2 >/dev/null 2>&1 && echo "host pings 10.88.0.2"
		mr rm -f b1 >/dev/null || die "rm -f"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^in: .* eth0 +inet 10\.88\.0\.[0-9]+/16' "eth0 has an address on the default bridge"
	t_match "$out" '^in: .* lo +inet 127\.0\.0\.1/8' "lo is up"
	t_match "$out" '^in: default via 10\.88\.0\.1 dev eth0' "the default route goes via mr0"
	t_match "$out" '^inspect: "IPAddress":"10\.88\.0\.2"$' "inspect shows the address"
	t_match "$out" '^inspect: "Gateway":"10\.88\.0\.1"$'
	t_match "$out" '^inspect: "IPPrefixLen":16$'
	t_match "$out" '^inspect: "MacAddress":"02:42:0a:58:00:02"$' "docker's MAC: 02:42 + the address"
	t_match "$out" '^host sees: 1$' "one veth is a port of mr0"
	t_match "$out" '^host pings 10\.88\.0\.2$'
	t_nomatch "$out" '^leak:' "rm -f leaves nothing"
}

nat_after_flush() {
	ct_need net
	out=$(ct_host '
		mr run --rm busybox true || die "run"
		echo "before: $(nft list set ip minirun masq | grep -c "10\.88\.0\.0/16")"
		nft flush ruleset  # what nftables.service does on a restart
		mr run --rm busybox true || die "run after the flush"
		echo "after: $(nft list set ip minirun masq 2>/dev/null | grep -c "10\.88\.0\.0/16")"
		echo "bridge: $(nft list set ip minirun bridges 2>/dev/null | grep -c "mr0")"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^before: 1$' "the first run masquerades the default bridge's subnet"
	t_match "$out" '^after: 1$' "a run after the ruleset was flushed sets the NAT up again"
	t_match "$out" '^bridge: 1$' "and registers the bridge again"
	t_nomatch "$out" '^leak:'
}

host_and_none() {
	ct_need net
	out=$(ct_host '
		ip link add mrwhost0 type veth peer name mrwhost1 || die "a link of the host"
		mr run --rm --network host busybox ip -o link | sed "s/^/host: /"
		mr run --rm --network none busybox ip -o link | sed "s/^/none: /"
		mr run --rm --network none busybox ip -o -4 addr | sed "s/^/none addr: /"
		ip link del mrwhost0
		ct_leaks') || t_fail "$out"
	t_match "$out" '^host: [0-9]+: mrwhost0' "--network host sees the host's links"
	t_nomatch "$out" '^host: [0-9]+: eth0' "and gets no eth0 of its own"
	t_match "$out" '^none: 1: lo' "--network none has lo"
	t_eq "$(printf '%s\n' "$out" | grep -c '^none: ')" 1 "--network none has nothing but lo"
	t_match "$out" '^none addr: 1: lo +inet 127\.0\.0\.1' "lo is up, with 127.0.0.1"
	t_nomatch "$out" '^leak:'
}

container_mode() {
	ct_need net
	out=$(ct_host '
		id=$(mr run -d --name first busybox sleep 60) || die "run -d"
		mr run --rm --network container:first busybox ip -o -4 addr show eth0 | sed "s/^/joined: /"
		id2=$(mr run -d --name second --network "container:$id" busybox sleep 60) || die "run -d 2"
		ct_inspect second | tr -d " \n" | grep -o "\"NetworkMode\":[^,}]*" | sed "s/^/inspect: /"
		echo "veths: $(ip -o link | grep -c mrv)"
		mr rm -f second first >/dev/null || die "rm -f"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^joined: [0-9]+: eth0 +inet 10\.88\.0\.2/16' "container:NAME shares the other one's eth0"
	t_match "$out" '^inspect: "NetworkMode":"container:[0-9a-f]{64}"$' "NetworkMode records the container"
	t_match "$out" '^veths: 1$' "no veth of its own"
	t_nomatch "$out" '^leak:'
}

user_network_names() {
	ct_need net
	out=$(ct_host '
		mr network create web >/dev/null || die "network create"
		id=$(mr run -d --name db --network web --network-alias database busybox sleep 60) ||
			die "run db"
		mr run --rm --network web busybox sh -c \
			"ping -c 1 -W 2 db >/dev/null && echo by-name; ping -c 1 -W 2 database >/dev/null && echo by-alias" |
			sed "s/^/web: /"
		# --dns 127.0.0.1: a server that refuses at once, where the machine'"'"'s (copied into
		# a default bridge container'"'"'s resolv.conf) is out of reach here: 4 s waited out
		mr run --rm --dns 127.0.0.1 busybox sh -c \
			"ping -c 1 -W 2 db >/dev/null 2>&1 && echo by-name || echo unknown" |
			sed "s/^/bridge: /"
		ct_inspect db | tr -d " \n" | grep -o "\"web\":{[^}]*}" | sed "s/^/inspect: /"
		mr rm -f db >/dev/null || die "rm -f"
		mr network rm web >/dev/null || die "network rm (active endpoints left?)"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^web: by-name$' "a container on the same user network resolves db"
	t_match "$out" '^web: by-alias$' "and its --network-alias"
	t_match "$out" '^bridge: unknown$' "a container on the default bridge does not"
	t_match "$out" '"Aliases":\["database","[0-9a-f]{12}"\]' "inspect shows the alias, then the hostname (the short ID), as dockerd"
	t_match "$out" '"IPAddress":"10\.89\.0\.2"' "the address is the user network's"
	t_match "$out" '"NetworkID":"[0-9a-f]{64}"' "and its ID"
	t_nomatch "$out" '^leak:'
}

leases_returned() {
	ct_need net
	out=$(ct_host '
		a=$(mr run -d busybox sleep 60) && b=$(mr run -d busybox sleep 60) || die "run -d"
		mr rm -f "$a" >/dev/null || die "rm a"
		c=$(mr run -d busybox sleep 60) || die "run c"
		for x in "$b" "$c"; do
			ct_inspect "$x" | tr -d " \n" | grep -o "\"IPAddress\":[^,}]*" | head -n 1 | sed "s/^/addr: /"
		done
		mr rm -f "$b" "$c" >/dev/null || die "rm"
		grep -c IPv4Address "$R/networks/bridge.json" | sed "s/^/leases: /"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^addr: "IPAddress":"10\.88\.0\.3"$' "the second container has .3"
	t_match "$out" '^addr: "IPAddress":"10\.88\.0\.2"$' "the first one's .2 is handed out again after its rm"
	t_match "$out" '^leases: 0$' "no lease is left"
	t_nomatch "$out" '^leak:'
}

unknown_network() {
	ct_need net
	out=$(ct_host '
		mr run --rm --network nosuchnet busybox true; echo "rc=$?"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^minirun: .*network nosuchnet not found' "docker's message"
	t_match "$out" '^rc=125$'
	t_nomatch "$out" '^leak:'
}

network_connect_container() {
	ct_need net
	out=$(ct_host '
		pidof_c() { ct_inspect "$1" | tr -d " \n" | grep -o "\"Pid\":[0-9]*" | cut -d: -f2; }
		mr network create web >/dev/null || die "network create"
		id=$(mr run -d --name nc1 busybox sleep 300) || die "run -d"
		mr network connect --alias extra web nc1 || die "network connect"
		inns "$(pidof_c nc1)" ip -o -4 addr show eth1 | sed "s/^/connected: /"
		mr run --rm --network web busybox sh -c "ping -c 1 -W 2 extra >/dev/null && echo by-alias" |
			sed "s/^/web: /"
		mr network connect web nc1 2>&1 | sed "s/^/again: /"
		# -t 0: sleep as PID 1 ignores SIGTERM; the network kept across the restart is
		# the subject, not how it stops (-t 1 waited out its second)
		mr restart -t 0 nc1 >/dev/null || die "restart"
		inns "$(pidof_c nc1)" ip -o -4 addr show eth1 | sed "s/^/after restart: /"
		mr network disconnect web nc1 || die "network disconnect"
		echo "eth1 after disconnect: $(inns "$(pidof_c nc1)" ip -o link | grep -c eth1)"
		echo "in the record: $(ct_inspect nc1 | tr -d " \n" | grep -c "\"web\":")"
		mr network disconnect web nc1 2>&1 | sed "s/^/twice: /"
		mr rm -f nc1 >/dev/null || die "rm -f"
		mr network rm web >/dev/null || die "network rm"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^connected: [0-9]+: eth1 +inet 10\.89\.0\.2/24' "connect gives a running container eth1 on the network"
	t_match "$out" '^web: by-alias$' "its --alias resolves there"
	t_match "$out" '^again: minirun: endpoint with name nc1 already exists in network web$' "a second connect: docker's message"
	t_match "$out" '^after restart: [0-9]+: eth1 +inet 10\.89\.0\.2/24' "a restart connects it again"
	t_match "$out" '^eth1 after disconnect: 0$' "disconnect takes the interface away"
	t_match "$out" '^in the record: 0$' "and the record forgets the network"
	t_match "$out" '^twice: minirun: container [0-9a-f]{64} is not connected to network web$' "docker's message"
	t_nomatch "$out" '^leak:'
}

killed_mid_network() {
	ct_need net
	out=$(ct_host '
		mr network create web >/dev/null || die "network create"
		for step in net-connected net-published; do
			for net in bridge web; do
				MINIRUN_TEST_DIE_AT=$step mr run -d --name "k-$step-$net" --network "$net" \
					-p 8080:80 busybox sleep 60 >/dev/null 2>&1
				nt_settle
				echo "$step $net: veths $(ip -o link | grep -c mrv), ports $(nft list map ip minirun published 2>/dev/null | grep -c "\. 8080 :")"
				mr rm -f "k-$step-$net" >/dev/null 2>&1 || echo "rm -f k-$step-$net failed"
			done
		done
		mr network rm web >/dev/null || echo "network rm web refused: an endpoint is left"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^net-connected bridge: veths 1, ports 0$' "killed after the connect: the veth is there"
	t_match "$out" '^net-published web: veths 1, ports 1$' "killed after the publish: the port is there"
	t_nomatch "$out" 'failed|refused'
	t_nomatch "$out" '^leak:' "rm -f undoes a network step killed half-way"
}

internal_network() {
	ct_need net
	out=$(ct_host '
		mr run --rm busybox true || die "run" # the nft table exists: rm must not trip on it
		mr network create --internal --subnet 10.93.4.0/24 ni >/dev/null || die "create"
		mr network inspect -f "{{.Internal}}" ni | sed "s/^/internal: /"
		mr run --rm --network ni busybox sh -c "ip route" | sed "s/^/in: /"
		echo "masq: $(nft list set ip minirun masq | grep -c "10\.93\.4\.0/24")"
		mr network rm ni >/dev/null && echo "removed"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^internal: true$' "inspect shows Internal true"
	t_match "$out" '^in: 10\.93\.4\.0/24 dev eth0' "the subnet is reachable"
	t_nomatch "$out" '^in: default' "no default route: no way out"
	t_match "$out" '^masq: 0$' "the bridge is not masqueraded"
	t_match "$out" '^removed$' "rm works with no NAT element to remove"
	t_nomatch "$out" '^leak:'
}

user_ip() {
	ct_need net
	out=$(ct_host '
		mr network create --subnet 10.93.1.0/24 u >/dev/null || die "create"
		mr run --rm --network u --ip 10.93.1.50 busybox ip -o -4 addr show eth0 | sed "s/^/in: /"
		st() { mr "$@" >/dev/null 2>"$R/err"; echo "rc $? $(head -n 1 "$R/err")"; }
		echo "outside: $(st run --rm --network u --ip 10.93.9.50 busybox true)"
		echo "gateway: $(st run --rm --network u --ip 10.93.1.1 busybox true)"
		mr run -d --name hold --network u --ip 10.93.1.60 busybox sleep 30 >/dev/null || die "run -d"
		echo "taken: $(st run --rm --network u --ip 10.93.1.60 busybox true)"
		echo "taken create: $(st create --network u --ip 10.93.1.60 busybox true)"
		echo "default: $(st run --rm --ip 10.88.0.50 busybox true)"
		echo "bogus: $(st run --rm --ip bogus busybox true)"
		mr restart -t 0 hold >/dev/null || die "restart"
		mr inspect -f "{{json .NetworkSettings.Networks.u.IPAMConfig}} {{.NetworkSettings.Networks.u.IPAddress}}" hold |
			sed "s/^/restarted: /"
		mr rm -f hold >/dev/null && mr network rm u >/dev/null || die "cleanup"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^in: .* eth0 +inet 10\.93\.1\.50/24' "--ip: that address is leased"
	t_match "$out" "^outside: rc 125 minirun: Invalid address 10\.93\.9\.50: It does not belong to any of this network's subnets$"
	t_match "$out" '^gateway: rc 125 minirun: Address already in use$'
	t_match "$out" '^taken: rc 125 minirun: Address already in use$' "another container's address"
	t_match "$out" '^taken create: rc 1 minirun: Address already in use$' "create: 1, as docker"
	t_match "$out" '^default: rc 125 minirun: user specified IP address is supported on user defined networks only$'
	t_match "$out" '^bogus: rc 125 minirun: invalid IPv4 address: bogus$'
	t_match "$out" '^restarted: \{"IPv4Address":"10\.93\.1\.60"\} 10\.93\.1\.60$' "kept across a restart"
	t_nomatch "$out" '^leak:'
}

t "the default bridge: eth0 with 10.88.0.x/16, a route via mr0, docker's inspect fields" bridge_default
t "the default bridge's NAT is set up again after a flush of the ruleset (the bridge survived it)" nat_after_flush
t "--network host sees the host's links; --network none has lo only" host_and_none
t "--network container:ID shares that container's interfaces" container_mode
t "two containers on a user network reach each other by name and alias, not on the default bridge" user_network_names
t "a removed container's address is handed out again; no lease is left" leases_returned
t "network connect / disconnect NET CONTAINER: a second network, kept across a restart" network_connect_container
t "a kill -9 of the monitor between connect and publish, or after publish: rm -f leaves nothing" killed_mid_network
t "an unknown network: docker's message, exit 125, nothing left" unknown_network
t "network create --internal: no NAT, no default route, Internal true" internal_network
t "run --ip on a user network: that address; outside, taken, on the default bridge: refused" user_ip
t_end

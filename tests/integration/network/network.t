# tests/integration/network/network.t - `minirun network`: create/ls/inspect/rm, two
# containers on a user network reaching each other by name and alias through their hosts
# files, the default bridge not resolving names, leases returned on disconnect, 20
# concurrent connects, rm refused while connected. Each test runs in a throwaway namespace
# playing the host (tests/integration/netns/lib.sh) and checks it leaves no link, nft
# element or record of its own behind.
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/network/lib.sh"

create_ls_inspect_rm() {
	net_need
	out=$(net_host '
		id=$(mrn create web) || die "create"
		echo "id=$id"
		mrn ls
		mrn inspect web
		br=mr-$(echo "$id" | cut -c1-12)
		ip -o link show "$br" >/dev/null && echo "bridge $br up"
		nft list set ip minirun masq | grep -q 10.89.0.0/24 && echo "masquerade 10.89.0.0/24"
		mrn rm web || die "rm"
		echo "after: links=$(nlinks "$br") records=$(ls "$R/networks" | grep -c web)"
		nft list set ip minirun masq 2>/dev/null | grep -q 10.89.0.0 && echo "masq left"
		mrn ls -q | wc -l | sed "s/^/ls-after: /"') || t_fail "$out"
	t_match "$out" '^id=[0-9a-f]{64}$'
	t_match "$out" '^NETWORK ID +NAME +DRIVER +SCOPE$' "ls header"
	t_match "$out" '^[0-9a-f]{12} +bridge +bridge +local$' "the default network in ls"
	t_match "$out" '^[0-9a-f]{12} +web +bridge +local$' "web in ls"
	t_match "$out" '"Subnet": "10.89.0.0/24"' "inspect: the first free /24"
	t_match "$out" '"Gateway": "10.89.0.1"' "inspect: the gateway"
	t_match "$out" '^bridge mr-[0-9a-f]{12} up$'
	t_match "$out" '^masquerade 10.89.0.0/24$'
	t_match "$out" '^after: links=0 records=0$' "rm removes the bridge and the record"
	t_nomatch "$out" 'masq left'
	t_match "$out" '^ls-after: 3$' "only the default networks are left (bridge, host, none, as docker lists them)"
}

names_on_user_network() {
	net_need
	out=$(net_host '
		mrn create --subnet 10.90.0.0/24 web >/dev/null || die create
		c1=$(box) c2=$(box)
		echo "c1=$(conn web c1 "$c1" --alias db)" || die c1
		echo "c2=$(conn web c2 "$c2")" || die c2
		echo "ping c1->c2: $(incont "$c1" c1 "$BB ping -c 1 -W 2 c2 >/dev/null && echo ok")"
		echo "ping c2->db: $(incont "$c2" c2 "$BB ping -c 1 -W 2 db >/dev/null && echo ok")"
		echo "ping c2->c1: $(incont "$c2" c2 "$BB ping -c 1 -W 2 c1 >/dev/null && echo ok")"
		cat "$R/containers/$(cid c1)/hosts"
		mrn disconnect web "$(cid c1)" && mrn disconnect web "$(cid c2)" || die disconnect
		mrn rm web >/dev/null || die rm
		echo "left: $(nlinks mrv) $(nlinks mr-) $(published | wc -l)"') || t_fail "$out"
	t_match "$out" '^c1=10\.90\.0\.2$'
	t_match "$out" '^c2=10\.90\.0\.3$' "a distinct address"
	t_match "$out" '^ping c1->c2: ok$' "c1 reaches c2 by name"
	t_match "$out" '^ping c2->db: ok$' "c2 reaches c1 by its alias"
	t_match "$out" '^ping c2->c1: ok$' "c2 reaches c1 by name"
	t_match "$out" '^10\.90\.0\.2	c1 db c10000000000$' "c1's own line"
	t_match "$out" '^10\.90\.0\.3	c2 c20000000000$' "c2 in c1's hosts file"
	t_match "$out" '^left: 0 0 0$' "no veth, bridge or published port left"
}

hosts_updated_in_place() {
	net_need
	out=$(net_host '
		mrn create web >/dev/null || die create
		c1=$(box) c2=$(box)
		conn web c1 "$c1" >/dev/null || die c1
		# c1 mounts its hosts file now, as a runtime would at start
		nsenter -t "$c1" -n "$UNSHARE" -m sh -c "mount -o bind $R/containers/$(cid c1)/hosts /etc/hosts && echo \$\$ >$R/c1.pid && exec sleep 600" &
		i=0; while [ ! -s "$R/c1.pid" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
		conn web c2 "$c2" >/dev/null || die c2
		echo "seen inside: $(nsenter -t "$(cat "$R/c1.pid")" -m -n grep -c c2 /etc/hosts)"
		echo "ping: $(nsenter -t "$(cat "$R/c1.pid")" -m -n $BB ping -c1 -W2 c2 >/dev/null && echo ok)"
		mrn disconnect web "$(cid c2)" || die disconnect
		echo "gone inside: $(nsenter -t "$(cat "$R/c1.pid")" -m -n grep -c c2 /etc/hosts)"') ||
		t_fail "$out"
	t_match "$out" '^seen inside: 1$' "a container already running sees the newcomer"
	t_match "$out" '^ping: ok$'
	t_match "$out" '^gone inside: 0$' "and no longer after it left"
}

default_bridge_no_names() {
	net_need
	out=$(net_host '
		c1=$(box) c2=$(box)
		echo "c1=$(conn bridge c1 "$c1")" && echo "c2=$(conn bridge c2 "$c2")" || die connect
		ip -o addr show mr0 | grep -o "inet [0-9./]*"
		grep -c "c2" "$R/containers/$(cid c1)/hosts" | sed "s/^/c2 in c1 hosts: /"
		grep "c1" "$R/containers/$(cid c1)/hosts" | sed "s/^/own: /"
		# not in the hosts file, c2 goes to the resolver: this namespace'"'"'s resolv.conf is
		# the machine'"'"'s, whose server is out of reach here (a query waits out 2 x 2 s);
		# one on the container'"'"'s loopback refuses at once, and answers no name either
		# (a machine without a resolv.conf, the VM, has no server to wait for)
		echo "nameserver 127.0.0.1" >"$R/resolv.none"
		echo "ping by name: $(incont "$c1" c1 "[ ! -e /etc/resolv.conf ] ||
			mount -o bind $R/resolv.none /etc/resolv.conf || exit
			$BB ping -c 1 -W 1 c2 >/dev/null 2>&1 && echo ok || echo no")"
		echo "ping by address: $(pingok "$c1" 10.88.0.3 && echo ok)"
		nft list set ip minirun masq | grep -o 10.88.0.0/16
		mrn connect --alias x bridge "$(cid c3)" "$c1"; echo "alias rc=$?"') || t_fail "$out"
	t_match "$out" '^c1=10\.88\.0\.2$' "the default network is made on first use"
	t_match "$out" '^c2=10\.88\.0\.3$'
	t_match "$out" '^inet 10\.88\.0\.1/16$' "mr0 holds the gateway"
	t_match "$out" '^10\.88\.0\.0/16$' "with masquerade"
	t_match "$out" '^c2 in c1 hosts: 0$' "c2 is not in c1's hosts file"
	t_match "$out" '^own: 10\.88\.0\.2	c1 c10000000000$'
	t_match "$out" '^ping by name: no$' "no names on the default bridge, as docker"
	t_match "$out" '^ping by address: ok$'
	t_match "$out" 'network-scoped alias is supported only for containers in user defined networks'
	t_match "$out" '^alias rc=125$'
}

leases_returned() {
	net_need
	out=$(net_host '
		mrn create web >/dev/null || die create
		c1=$(box) c2=$(box) c3=$(box)
		conn web c1 "$c1" >/dev/null && conn web c2 "$c2" >/dev/null || die connect
		mrn disconnect web "$(cid c1)" || die disconnect
		echo "c1 veth: $(inns "$c1" ip -o link | grep -c eth0)"
		echo "c1 leased: $(grep -c "$(cid c1)" "$R/networks/web.json")"
		echo "c3=$(conn web c3 "$c3")"
		mrn disconnect web "$(cid c1)"; echo "again rc=$?"
		conn web c2 "$c2"; echo "twice rc=$?"') || t_fail "$out"
	t_match "$out" '^c1 veth: 0$' "the container lost its interface"
	t_match "$out" '^c1 leased: 0$' "the lease left the record"
	t_match "$out" '^c3=10\.89\.0\.2$' "the returned address is handed out again"
	t_match "$out" 'container c1.* is not connected to network web'
	t_match "$out" '^again rc=125$'
	t_match "$out" 'endpoint with name c2 already exists in network web'
	t_match "$out" '^twice rc=125$'
}

concurrent_connects() {
	net_need
	out=$(net_host '
		mrn create web >/dev/null || die create
		i=0; pids=""
		while [ $i -lt 20 ]; do pids="$pids $(box)"; i=$((i+1)); done
		i=0
		for p in $pids; do conn web "k${i}x" "$p" >"$R/addr.$i" 2>&1 & i=$((i+1)); done
		wait_all() { for j in $(seq 1 100); do [ "$(cat "$R"/addr.* | grep -c "^10\.")" -ge 20 ] && return; sleep 0.1; done; }
		wait_all
		echo "addresses: $(cat "$R"/addr.* | sort -u | grep -c "^10\.89\.0\.")"
		cat "$R"/addr.* | grep -v "^10\." | sed "s/^/error: /"
		echo "leases: $(grep -c IPv4Address "$R/networks/web.json")"
		echo "veths: $(nlinks mrv)"
		i=0
		for p in $pids; do mrn disconnect web "$(cid "k${i}x")" & i=$((i+1)); done
		wait
		echo "after: leases=$(grep -c IPv4Address "$R/networks/web.json") veths=$(nlinks mrv)"
		mrn rm web >/dev/null && echo "rm ok"') || t_fail "$out"
	t_match "$out" '^addresses: 20$' "20 distinct addresses"
	t_nomatch "$out" '^error: '
	t_match "$out" '^leases: 20$'
	t_match "$out" '^veths: 20$'
	t_match "$out" '^after: leases=0 veths=0$' "20 concurrent disconnects return them all"
	t_match "$out" '^rm ok$'
}

rm_refused_while_connected() {
	net_need
	out=$(net_host '
		mrn create web >/dev/null || die create
		c1=$(box)
		conn web c1 "$c1" >/dev/null || die connect
		mrn rm web; echo "rc=$?"
		echo "still: $(ls "$R/networks" | grep -c web.json) $(nlinks mr-)"
		mrn rm bridge; echo "default rc=$?"') || t_fail "$out"
	t_match "$out" 'error while removing network: network web id [0-9a-f]{64} has active endpoints'
	t_match "$out" '^rc=125$'
	t_match "$out" '^still: 1 1$' "the record and the bridge stay"
	t_match "$out" 'bridge is a pre-defined network and cannot be removed'
	t_match "$out" '^default rc=125$'
}

stale_veth_replaced() {
	net_need
	out=$(net_host '
		mrn create web >/dev/null || die create
		c1=$(box) c2=$(box)
		conn web c1 "$c1" >/dev/null || die connect
		veth=$(grep -o "mrv[0-9a-f]*" "$R/networks/web.json")
		# what a minirun killed after the attach and before the record write leaves:
		# the veth exists, the lease does not
		mrn disconnect web "$(cid c1)" || die disconnect
		ip link add "$veth" type veth peer name mrnvpeer || die "stale veth"
		echo "c1=$(conn web c1 "$c2")"
		echo "veths: $(nlinks mrv) stale peer: $(nlinks mrnvpeer)"') || t_fail "$out"
	t_match "$out" '^c1=10\.89\.0\.2$' "connect succeeds over the stale veth"
	t_match "$out" '^veths: 1 stale peer: 0$' "the stale pair was replaced"
}

host_untouched() {
	t_need_root
	[ -x "$IP" ] || t_skip "needs ip"
	t_eq "$(ip -o link | grep -c ': mrv\|: mr-\|: mr0')" 0 "links of ours on the machine itself"
}

t "network create/ls/inspect/rm: a record, a bridge with NAT, all removed again" create_ls_inspect_rm
t "two containers on a user network ping each other by name and alias" names_on_user_network
t "a running container's /etc/hosts (bind-mounted) follows connects and disconnects" hosts_updated_in_place
t "the default bridge is made on first use and does not resolve names" default_bridge_no_names
t "disconnect returns the lease and removes the interface" leases_returned
t "20 concurrent connects get 20 distinct addresses; disconnects return them" concurrent_connects
t "network rm is refused while a container is connected, and for the default" rm_refused_while_connected
t "a veth left by a killed connect is replaced, not fatal" stale_veth_replaced
t "the machine's own namespace never got a bridge or veth of ours" host_untouched
t_end

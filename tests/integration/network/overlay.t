# tests/integration/network/overlay.t - `minirun network create -d overlay`: one subnet
# across two hosts over VXLAN. Inside a throwaway namespace playing the machine
# (tests/integration/netns/lib.sh), two more play host A and host B, joined by a veth
# "wire" (underlay 172.30.0.1 and .2); each host has its own store ($R/A, $R/B)
# and runs minirun in its own network namespace. A "container" (box) on each host joins
# the overlay; they ping each other by address and by name, both ways. `network rm` on both
# must leave nothing: no link, no forwarding entry, no nft table, no record, no file in
# the shared directory, no watcher process. Bad input is refused in one line, exit 125.
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/network/lib.sh"

# The two hosts, and helpers (inside the machine's namespace):
#	onA/onB CMD...          CMD in host A's / B's network namespace
#	mrA/mrB ARGS...         `minirun --root $R/A network ARGS` on host A / B
#	incontA/B PID NAME CMD  CMD in box PID with container NAME's hosts file of A / B
#	leftover H              what of ours is left on host H (links, fdb, nft, records)
HOSTS='
	case $R in /?*) ;; *) die "no store dir (R=$R)" ;; esac
	hA=$(box) hB=$(box)
	ip link add wire netns "$hA" type veth peer name wire netns "$hB" || die "wire"
	inns "$hA" ip addr add 172.30.0.1/24 dev wire && inns "$hA" ip link set wire up &&
		inns "$hA" ip link set lo up || die "host A"
	inns "$hB" ip addr add 172.30.0.2/24 dev wire && inns "$hB" ip link set wire up &&
		inns "$hB" ip link set lo up || die "host B"
	RA=$R/A RB=$R/B
	mkdir -p "$RA" "$RB"
	onA() { nsenter -t "$hA" -n "$@"; }
	onB() { nsenter -t "$hB" -n "$@"; }
	mrA() { onA "$MINIRUN" --root "$RA" network "$@"; }
	mrB() { onB "$MINIRUN" --root "$RB" network "$@"; }
	incontA() { _p=$1 _c=$2; shift 2; nsenter -t "$_p" -n "$UNSHARE" -m sh -c "mount -o bind $RA/containers/$(cid "$_c")/hosts /etc/hosts && $*"; }
	incontB() { _p=$1 _c=$2; shift 2; nsenter -t "$_p" -n "$UNSHARE" -m sh -c "mount -o bind $RB/containers/$(cid "$_c")/hosts /etc/hosts && $*"; }
	leftover() {
		_h=$1 _r=$2
		echo "links: $(inns "$_h" ip -o link | grep -v ": lo:\|: wire@" | grep -o ": [^:@]*" | tr -d ": " | tr "\n" " ")"
		echo "fdb: $(inns "$_h" bridge fdb show 2>/dev/null | grep -c " dst ")"
		echo "nft: $(inns "$_h" nft list tables | wc -l)"
		echo "records: $(ls "$_r/networks" | grep -v "^bridge.json$" | tr "\n" " ")"
	}
	# watchers - how many overlay watchers run (a zombie, done but not reaped yet, is none)
	watchers() {
		for _s in /proc/[0-9]*/stat; do
			case $(cat "$_s" 2>/dev/null) in *"(minirun-overlay) "[!Z]*) echo ;; esac
		done | wc -l
	}
	watchers_are() { [ "$(watchers)" = "$1" ]; }
	# wait_for CMD... - up to 5 s for CMD to succeed
	wait_for() { _i=0; until "$@" 2>/dev/null; do _i=$((_i + 1)); [ $_i -lt 50 ] || return 1; sleep 0.1; done; }
'

# ov_need - net_need, and iproute2's bridge (the forwarding tables are read with it)
ov_need() {
	net_need
	command -v bridge >/dev/null 2>&1 || t_skip "needs bridge (iproute2) to read the VXLAN forwarding table"
}

static_peers() {
	ov_need
	out=$(net_host "$HOSTS"'
		mrA create -d overlay --subnet 10.77.0.0/24 --opt peers=172.30.0.2 ov >/dev/null || die "create on A"
		mrB create -d overlay --subnet 10.77.0.0/24 --opt peers=172.30.0.1,172.30.0.2 ov >/dev/null || die "create on B"
		mrA inspect ov
		mrA inspect -f "peers: {{range .Peers}}{{.IP}} {{end}}" ov
		echo "ls overlay: $(mrA ls --filter driver=overlay --format "{{.Name}} {{.Driver}} {{.Scope}}")"
		c1=$(box) c2=$(box)
		echo "c1=$(onA "$MINIRUN" --root "$RA" network connect --name c1 ov "$(cid c1)" "$c1")" || die "c1"
		echo "c2=$(onB "$MINIRUN" --root "$RB" network connect --name c2 ov "$(cid c2)" "$c2")" || die "c2"
		echo "mtu: $(inns "$c1" ip -o link show eth0 | grep -o "mtu [0-9]*")"
		echo "routes: $(inns "$c1" ip route | grep -c default)"
		echo "flood on A: $(onA bridge fdb show | grep "^00:00:00:00:00:00 .*dst" | grep -o "dst [0-9.]*")"
		pingok "$c1" 10.77.0.129 && echo "ping A->B by address: ok"
		pingok "$c2" 10.77.0.2 && echo "ping B->A by address: ok"
		inns "$c1" "$BB" ping -c 1 -W 2 -s 1400 10.77.0.129 >/dev/null 2>&1 && echo "1400-byte ping: ok"
		mrA disconnect ov "$(cid c1)" && mrB disconnect ov "$(cid c2)" || die disconnect
		mrA rm ov >/dev/null && mrB rm ov >/dev/null || die rm
		nt_settle
		leftover "$hA" "$RA" | sed "s/^/A /"
		leftover "$hB" "$RB" | sed "s/^/B /"') || t_fail "$out"
	t_match "$out" '"Driver": "overlay"' "inspect: the driver"
	t_match "$out" '^peers: 172\.30\.0\.1 172\.30\.0\.2 $' "inspect: the peers, this host first"
	t_match "$out" '^ls overlay: ov overlay global$' "ls filters by the overlay driver"
	t_match "$out" '"Scope": "global"' "inspect: a multi-host scope"
	t_match "$out" '"peers": "172.30.0.2"' "inspect: the options as given"
	t_match "$out" '"local": "172.30.0.1"' "inspect: the underlay address, from the route to the peer"
	t_match "$out" '"com.docker.network.driver.overlay.vxlanid_list": "[0-9]+"' "inspect: the VNI"
	t_match "$out" '"com.docker.network.driver.mtu": "1450"' "inspect: the MTU"
	t_match "$out" '^c1=10\.77\.0\.2$' "host A leases from the first half"
	t_match "$out" '^c2=10\.77\.0\.129$' "host B leases from the second half: no collision without talking"
	t_match "$out" '^mtu: mtu 1450$' "the container's MTU is docker's overlay MTU"
	t_match "$out" '^routes: 0$' "no route out of an overlay"
	t_match "$out" '^flood on A: dst 172.30.0.2$' "host A floods to host B, and only there"
	t_match "$out" '^ping A->B by address: ok$'
	t_match "$out" '^ping B->A by address: ok$'
	t_match "$out" '^1400-byte ping: ok$' "a large packet fits inside the 1450 MTU and crosses"
	for h in A B; do
		t_match "$out" "^$h links: \$" "no link left on host $h"
		t_match "$out" "^$h fdb: 0\$" "no forwarding entry left on host $h"
		t_match "$out" "^$h nft: 0\$" "no nft table on host $h"
		t_match "$out" "^$h records: \$" "no record left on host $h"
	done
}

killed_create_recovered() {
	ov_need
	out=$(net_host "$HOSTS"'
		mrA create -d overlay --subnet 10.77.0.0/24 --opt peers=172.30.0.2 --opt vni=77 ov >/dev/null || die "create"
		# as if killed before its record was written: the links are there, no record
		rm "$RA/networks/ov.json"
		mrA create -d overlay --subnet 10.77.0.0/24 --opt peers=172.30.0.2 --opt vni=77 ov >/dev/null && echo "again: ok"
		echo "links: $(onA ip -o link | grep -c ": mr[ox]")"
		mrA rm ov >/dev/null || die rm
		leftover "$hA" "$RA"') || t_fail "$out"
	t_match "$out" '^again: ok$' "a create killed before its record does not block the next"
	t_match "$out" '^links: 2$' "one bridge and one VXLAN link, not two of each"
	t_match "$out" '^links: $' "rm leaves none"
	t_match "$out" '^fdb: 0$'
}

hand_written_peer() {
	ov_need
	out=$(net_host "$HOSTS"'
		D=$R/shared
		# a relative --root: the watcher works from / and must have made it absolute
		cd "$R" || die cd
		onA "$MINIRUN" --root A network create -d overlay --subnet 10.77.0.0/24 --opt peers-dir=$D --opt local=172.30.0.1 ov >/dev/null || die create
		c1=$(box)
		onA "$MINIRUN" --root A network connect --name c1 ov "$(cid c1)" "$c1" >/dev/null || die connect
		# another host, as its file in the shared directory says it is
		printf "%s" "{\"Underlay\": \"172.30.0.9\", \"Subnet\": \"10.77.0.0/24\", \"Containers\": {\"$(cid g)\": {\"Name\": \"ghost\", \"IPv4Address\": \"10.77.0.9/24\", \"MacAddress\": \"02:42:0a:4d:00:09\", \"Aliases\": []}}}" >"$D/.tmp" && mv "$D/.tmp" "$D/172.30.0.9.json"
		wait_for grep -q ghost "$RA/containers/$(cid c1)/hosts" || echo "never saw ghost"
		echo "hosts: $(grep ghost "$RA/containers/$(cid c1)/hosts")"
		echo "fdb: $(onA bridge fdb show | grep "dst 172.30.0.9" | cut -d" " -f1 | sort | tr "\n" " ")"
		echo "neigh: $(onA ip neigh show 10.77.0.9 | grep -o "lladdr [0-9a-f:]*")"
		rm "$D/172.30.0.9.json"
		wait_for sh -c "! grep -q ghost $RA/containers/$(cid c1)/hosts" || echo "ghost stayed"
		echo "after: $(grep -c ghost "$RA/containers/$(cid c1)/hosts") $(onA bridge fdb show | grep -c "dst 172.30.0.9") $(onA ip neigh show 10.77.0.9 | wc -l)"
		onA "$MINIRUN" --root A network disconnect ov "$(cid c1)" && onA "$MINIRUN" --root A network rm ov >/dev/null || die rm
		leftover "$hA" "$RA"') || t_fail "$out"
	t_match "$out" '^hosts: 10\.77\.0\.9	ghost g00000000000$' "a host's file written by hand is read: its container gets a name here"
	t_match "$out" '^fdb: 00:00:00:00:00:00 02:42:0a:4d:00:09 $' "a flood entry for the new host, and one for its container's MAC"
	t_match "$out" '^neigh: lladdr 02:42:0a:4d:00:09$' "and an ARP entry"
	t_match "$out" '^after: 0 0 0$' "the file gone, all three go"
	t_match "$out" '^links: $'
}

after_reboot() {
	ov_need
	out=$(net_host "$HOSTS"'
		mrA create -d overlay --subnet 10.77.0.0/24 --opt peers-dir=$R/shared --opt local=172.30.0.1 ov >/dev/null || die create
		wait_for watchers_are 1
		# a reboot: the links and the watcher are gone, the record and the shared file stay
		read -r wpid _ <"$RA/networks/ov.overlay.pid"
		kill "$wpid"
		wait_for watchers_are 0
		for l in $(onA ip -o link | grep -o ": mr[ox][0-9a-f]*" | tr -d ": "); do onA ip link del "$l"; done
		echo "before: $(onA ip -o link | grep -c ": mr[ox]") $(watchers)"
		c1=$(box)
		onA "$MINIRUN" --root "$RA" network connect --name c1 ov "$(cid c1)" "$c1" >/dev/null && echo "connect: ok"
		wait_for watchers_are 1
		echo "after: $(onA ip -o link | grep -c ": mr[ox]") $(watchers) $(onA ip -d link show | grep -c " proxy ")"
		mrA disconnect ov "$(cid c1)" && mrA rm ov >/dev/null || die rm
		echo "watchers at the end: $(watchers)"
		leftover "$hA" "$RA"') || t_fail "$out"
	t_match "$out" '^before: 0 0$'
	t_match "$out" '^connect: ok$' "a connect after a reboot works"
	t_match "$out" '^after: 2 1 1$' "it made the bridge and the VXLAN link (proxy) again, and started the watcher"
	t_match "$out" '^watchers at the end: 0$'
	t_match "$out" '^links: $'
}

concurrent_leases() {
	ov_need
	out=$(net_host "$HOSTS"'
		D=$R/shared
		mrA create -d overlay --subnet 10.77.0.0/24 --opt peers-dir=$D --opt local=172.30.0.1 ov >/dev/null || die "create on A"
		mrB create -d overlay --subnet 10.77.0.0/24 --opt peers-dir=$D --opt local=172.30.0.2 ov >/dev/null || die "create on B"
		# four containers on each host, all connecting at once
		for i in 1 2 3 4; do
			a=$(box) b=$(box)
			onA "$MINIRUN" --root "$RA" network connect ov "$(cid a$i)" "$a" >"$R/a$i" &
			onB "$MINIRUN" --root "$RB" network connect ov "$(cid b$i)" "$b" >"$R/b$i" &
		done
		wait
		echo "leases: $(cat "$R"/a? "$R"/b? | wc -l) distinct: $(cat "$R"/a? "$R"/b? | sort -u | wc -l)"
		for i in 1 2 3 4; do
			mrA disconnect ov "$(cid a$i)" && mrB disconnect ov "$(cid b$i)" || die disconnect
		done
		mrA rm ov >/dev/null && mrB rm ov >/dev/null || die rm
		leftover "$hA" "$RA" | sed "s/^/A /"
		leftover "$hB" "$RB" | sed "s/^/B /"') || t_fail "$out"
	t_match "$out" '^leases: 8 distinct: 8$' "eight containers connecting at once on two hosts get eight addresses"
	for h in A B; do t_match "$out" "^$h links: \$" "no link left on host $h"; done
}

prune_removes_overlay() {
	ov_need
	out=$(net_host "$HOSTS"'
		mrA create -d overlay --subnet 10.77.0.0/24 --opt peers-dir=$R/shared --opt local=172.30.0.1 ov >/dev/null || die "create"
		# the watcher names itself a moment after create returns
		wait_for watchers_are 1
		echo "watchers: $(watchers)"
		mrA prune -f
		echo "watchers after: $(watchers)"
		echo "files after: $(ls "$R/shared" | tr "\n" " ")"
		leftover "$hA" "$RA"') || t_fail "$out"
	t_match "$out" '^watchers: 1$'
	t_match "$out" '^ov$' "prune names the overlay it removed"
	t_match "$out" '^watchers after: 0$' "and stops its watcher"
	t_match "$out" '^files after: $' "and takes this host's file out of the shared directory"
	t_match "$out" '^links: $' "and removes its links"
	t_match "$out" '^records: $'
}

three_hosts() {
	ov_need
	out=$(net_host '
		case $R in /?*) ;; *) die "no store dir (R=$R)" ;; esac
		# the underlay: a switch (a bridge in this namespace) and three hosts on it
		ip link add sw type bridge && ip link set sw up || die "switch"
		i=0
		for h in A B C; do
			i=$((i + 1))
			p=$(box)
			eval "h$h=$p"
			ip link add "u$h" type veth peer name wire netns "$p" &&
				ip link set "u$h" master sw && ip link set "u$h" up || die "host $h"
			inns "$p" ip addr add "172.30.0.$i/24" dev wire && inns "$p" ip link set wire up &&
				inns "$p" ip link set lo up || die "host $h"
			mkdir -p "$R/$h"
			# the same list on every host: each skips its own address
			nsenter -t "$p" -n "$MINIRUN" --root "$R/$h" network create -d overlay --subnet 10.81.0.0/24 \
				--opt peers=172.30.0.1,172.30.0.2,172.30.0.3 ov >/dev/null || die "create on $h"
			c=$(box)
			eval "c$h=$c"
			echo "$h=$(nsenter -t "$p" -n "$MINIRUN" --root "$R/$h" network connect ov "$(cid "c$h")" "$c")" || die "connect on $h"
		done
		echo "flood on A: $(inns "$hA" bridge fdb show | grep -c "^00:00:00:00:00:00 .*dst")"
		pingok "$cA" 10.81.0.65 && echo "A->B: ok"
		pingok "$cA" 10.81.0.129 && echo "A->C: ok"
		pingok "$cC" 10.81.0.65 && echo "C->B: ok"
		for h in A B C; do
			eval "p=\$h$h c=\$c$h"
			nsenter -t "$p" -n "$MINIRUN" --root "$R/$h" network disconnect ov "$(cid "c$h")" &&
				nsenter -t "$p" -n "$MINIRUN" --root "$R/$h" network rm ov >/dev/null || die "rm on $h"
			echo "$h left: $(inns "$p" ip -o link | grep -c ": mr")"
		done') || t_fail "$out"
	t_match "$out" '^A=10\.81\.0\.2$' "host A leases from the first quarter"
	t_match "$out" '^B=10\.81\.0\.65$' "host B from the second"
	t_match "$out" '^C=10\.81\.0\.129$' "host C from the third"
	t_match "$out" '^flood on A: 2$' "host A floods to both other hosts, an entry each"
	t_match "$out" '^A->B: ok$'
	t_match "$out" '^A->C: ok$'
	t_match "$out" '^C->B: ok$'
	for h in A B C; do t_match "$out" "^$h left: 0\$" "nothing left on host $h"; done
}

peers_dir() {
	ov_need
	out=$(net_host "$HOSTS"'
		D=$R/shared
		mrA create -d overlay --subnet 10.78.0.0/24 --opt peers-dir=$D --opt local=172.30.0.1 ov >/dev/null || die "create on A"
		mrB create -d overlay --subnet 10.78.0.0/24 --opt peers-dir=$D --opt local=172.30.0.2 ov >/dev/null || die "create on B"
		echo "vni: $(mrA inspect -f "{{index .Options \"com.docker.network.driver.overlay.vxlanid_list\"}}" ov) $(mrB inspect -f "{{index .Options \"com.docker.network.driver.overlay.vxlanid_list\"}}" ov)"
		wait_for watchers_are 2
		echo "watchers: $(watchers)"
		c1=$(box) c2=$(box)
		echo "c1=$(onA "$MINIRUN" --root "$RA" network connect --name c1 --alias db ov "$(cid c1)" "$c1")" || die "c1"
		echo "c2=$(onB "$MINIRUN" --root "$RB" network connect --name c2 ov "$(cid c2)" "$c2")" || die "c2"
		echo "files: $(cd "$D" && ls *.json | tr "\n" " ")"
		echo "peers on A: $(mrA inspect -f "{{range .Peers}}{{.IP}} {{end}}" ov)"
		# host A learns of c2 from the shared directory, through its watcher
		wait_for grep -q "c2" "$RA/containers/$(cid c1)/hosts" || echo "A never saw c2"
		echo "B in A: $(grep c2 "$RA/containers/$(cid c1)/hosts")"
		echo "A in B: $(grep c1 "$RB/containers/$(cid c2)/hosts")"
		echo "c2 mac on A: $(onA bridge fdb show | grep "^02:42:0a:4e:00:03 .*dst" | grep -o "dst [0-9.]*")"
		echo "c2 neigh on A: $(onA ip neigh show 10.78.0.3 | grep -o "lladdr .*")"
		echo "proxy on A: $(onA ip -d link show | grep -c " proxy ")"
		incontA "$c1" c1 "$BB ping -c 1 -W 2 c2 >/dev/null" && echo "ping A->B by name: ok"
		incontB "$c2" c2 "$BB ping -c 1 -W 2 c1 >/dev/null" && echo "ping B->A by name: ok"
		incontB "$c2" c2 "$BB ping -c 1 -W 2 db >/dev/null" && echo "ping B->A by alias: ok"
		mrA disconnect ov "$(cid c1)" || die disconnect
		wait_for sh -c "! grep -q c1 $RB/containers/$(cid c2)/hosts" || echo "B never saw c1 go"
		echo "c1 gone from B: $(grep -c c1 "$RB/containers/$(cid c2)/hosts")"
		echo "c1 neigh on B: $(onB ip neigh show 10.78.0.2 | wc -l)"
		mrB disconnect ov "$(cid c2)" || die disconnect
		mrA rm ov >/dev/null && mrB rm ov >/dev/null || die rm
		nt_settle
		echo "watchers after: $(watchers)"
		echo "files after: $(ls "$D" | tr "\n" " ")"
		leftover "$hA" "$RA" | sed "s/^/A /"
		leftover "$hB" "$RB" | sed "s/^/B /"') || t_fail "$out"
	t_match "$out" '^vni: ([0-9]+) \1$' "both hosts use one VNI"
	t_match "$out" '^watchers: 2$' "a watcher per host"
	t_match "$out" '^c1=10\.78\.0\.2$'
	t_match "$out" '^c2=10\.78\.0\.3$' "leases through the shared directory do not collide"
	t_match "$out" '^peers on A: 172\.30\.0\.1 172\.30\.0\.2 $' "inspect lists the hosts as docker's Peers, this one first"
	t_match "$out" '^files: 172\.30\.0\.1\.json 172\.30\.0\.2\.json $' "a file per host"
	t_match "$out" '^B in A: 10\.78\.0\.3	c2 c20000000000$' "host A's container has host B's by name"
	t_match "$out" '^A in B: 10\.78\.0\.2	c1 db c10000000000$' "and the other way round, with the alias"
	t_match "$out" '^c2 mac on A: dst 172\.30\.0\.2$' "host A knows c2's MAC lives behind host B"
	t_match "$out" '^c2 neigh on A: lladdr 02:42:0a:4e:00:03 PERMANENT *$' "host A's VXLAN link answers ARP for c2"
	t_match "$out" '^proxy on A: 1$' "the link answers ARP itself (proxy), as docker's overlay does"
	t_match "$out" '^ping A->B by name: ok$'
	t_match "$out" '^ping B->A by name: ok$'
	t_match "$out" '^ping B->A by alias: ok$'
	t_match "$out" '^c1 gone from B: 0$' "a container that left is gone from the other host's hosts file"
	t_match "$out" '^c1 neigh on B: 0$' "and from its ARP entries"
	t_match "$out" '^watchers after: 0$' "rm stops the watchers"
	t_match "$out" '^files after: $' "rm removes each host's file"
	for h in A B; do
		t_match "$out" "^$h links: \$" "no link left on host $h"
		t_match "$out" "^$h fdb: 0\$" "no forwarding entry left on host $h"
		t_match "$out" "^$h nft: 0\$" "no nft table on host $h"
		t_match "$out" "^$h records: \$" "no record left on host $h"
	done
}

bad_input() {
	ov_need
	out=$(net_host "$HOSTS"'
		bad() {
			_re=$1; shift
			"$@" >"$R/out" 2>"$R/err"; _rc=$?
			[ "$_rc" = 125 ] || { echo "rc $_rc: $*"; return; }
			[ "$(wc -l <"$R/err")" = 1 ] || { echo "not one line: $(cat "$R/err")"; return; }
			grep -Eq -- "$_re" "$R/err" || { echo "message: $(cat "$R/err")"; return; }
			echo "bad ok: $(cat "$R/err")"
		}
		bad "needs --subnet" mrA create -d overlay --opt peers=172.30.0.2 x
		bad "peers=172.30.0.300: \"172.30.0.300\" is not a host.s IPv4 address" mrA create -d overlay --subnet 10.77.0.0/24 --opt peers=172.30.0.300 x
		bad "\"224.0.0.1\" is not a host.s IPv4 address" mrA create -d overlay --subnet 10.77.0.0/24 --opt peers=224.0.0.1 x
		bad "vni=16777216: a VXLAN id is a number from 1 to 16777215" mrA create -d overlay --subnet 10.77.0.0/24 --opt peers=172.30.0.2 --opt vni=16777216 x
		bad "vni=0: a VXLAN id" mrA create -d overlay --subnet 10.77.0.0/24 --opt peers=172.30.0.2 --opt vni=0 x
		bad "needs its peers" mrA create -d overlay --subnet 10.77.0.0/24 x
		bad "--opt peers= names no host" mrA create -d overlay --subnet 10.77.0.0/24 --opt peers= x
		bad "--opt peers-dir=shared: give an absolute path" mrA create -d overlay --subnet 10.77.0.0/24 --opt peers-dir=shared x
		bad "--internal: an overlay network is internal already" mrA create -d overlay --internal --subnet 10.77.0.0/24 --opt peers=172.30.0.2 x
		bad "--opt mtu=9000: the overlay driver knows" mrA create -d overlay --subnet 10.77.0.0/24 --opt peers=172.30.0.2 --opt mtu=9000 x
		bad "local=10.9.9.9: not an address of this host" mrA create -d overlay --subnet 10.77.0.0/24 --opt peers=172.30.0.2 --opt local=10.9.9.9 x
		bad "peers-dir alone" mrA create -d overlay --subnet 10.77.0.0/24 --opt peers-dir=$R/d x
		bad "no route to peer 192.0.2.9" mrA create -d overlay --subnet 10.77.0.0/24 --opt peers=192.0.2.9 x
		bad "the bridge driver takes no options" mrA create --opt peers=172.30.0.2 x
		bad "plugin \"macvlan\" not found" mrA create -d macvlan x
		mrA create -d overlay --subnet 10.77.0.0/24 --opt peers-dir=$R/d --opt local=172.30.0.1 --opt vni=7 ov >/dev/null || die create
		bad "host 172.30.0.1 uses subnet 10.77.0.0/24 and VNI 7" mrB create -d overlay --subnet 10.79.0.0/24 --opt peers-dir=$R/d --opt local=172.30.0.2 ov
		bad "VXLAN id 7 is used by overlay network ov on this host: give another with --opt vni=N" mrA create -d overlay --subnet 10.79.0.0/24 --opt peers=172.30.0.2 --opt vni=7 x2
		# the kernel refuses a second link of one VNI (another store on this host here):
		# the bridge made before it goes too
		mkdir -p "$R/A2"
		onA "$MINIRUN" --root "$R/A2" network create -d overlay --subnet 10.79.0.0/24 --opt peers=172.30.0.2 --opt vni=7 x2 2>&1 | grep -o "A VXLAN device with the specified VNI already exists"
		echo "links after the refused VNI: $(onA ip -o link | grep -c ": mr") records: $(ls "$R/A2/networks" | grep -c x2)"
		mrA rm ov >/dev/null || die rm
		leftover "$hA" "$RA" | sed "s/^/A /"
		leftover "$hB" "$RB" | sed "s/^/B /"
		echo "files: $(ls "$R/d" | tr "\n" " ")"') || t_fail "$out"
	t_eq "$(printf '%s\n' "$out" | grep -c '^bad ok: ')" 17 "refusals: $out"
	t_match "$out" '^A VXLAN device with the specified VNI already exists$' "the kernel's words reach the user"
	t_match "$out" '^links after the refused VNI: 2 records: 0$' "only ov's two links: nothing of x2 is left"
	t_match "$out" '^bad ok: minirun: .*needs --subnet'
	for h in A B; do
		t_match "$out" "^$h links: \$" "no link left on host $h"
		t_match "$out" "^$h records: \$" "no record left on host $h"
	done
	t_match "$out" '^files: $' "nothing left in the shared directory"
}

real_containers() {
	ov_need
	# under emulation four container runs take the suite's budget; the VXLAN side is
	# the same as the box tests' above, which the VM runs
	t_in_vm && t_skip "real containers are the containers suites' (host-only); the boxes above cover the overlay in the VM"
	tar=$MR_TOP/build/images/busybox.tar
	[ -f "$tar" ] || t_fail "$tar is missing (make busybox-image)"
	out=$(net_host "$HOSTS"'
		for h in A B; do
			"$MINIRUN" --root "$R/$h" import -c "CMD [\"sh\"]" '"$tar"' busybox >/dev/null || die "import on $h"
		done
		A() { onA "$MINIRUN" --root "$RA" "$@"; }
		B() { onB "$MINIRUN" --root "$RB" "$@"; }
		mrA create -d overlay --subnet 10.80.0.0/24 --opt peers-dir=$R/shared --opt local=172.30.0.1 ov >/dev/null || die "create on A"
		mrB create -d overlay --subnet 10.80.0.0/24 --opt peers-dir=$R/shared --opt local=172.30.0.2 ov >/dev/null || die "create on B"
		A run -d --name web --network ov busybox sleep 600 >/dev/null || die "run web on A"
		B run -d --name api --network ov busybox sleep 600 >/dev/null || die "run api on B"
		knows_api() { A exec web grep -q api /etc/hosts; }
		wait_for knows_api || echo "web never saw api"
		A exec web ping -c 1 -W 2 api >/dev/null && echo "web (A) -> api (B) by name: ok"
		B exec api ping -c 1 -W 2 web >/dev/null && echo "api (B) -> web (A) by name: ok"
		A run --rm --network ov busybox ping -c 1 -W 2 api | grep -o "^PING api ([0-9.]*)"
		A run -d -p 8080:80 --network ov busybox sleep 1 2>&1 | tail -n 1
		A run -d --network ov --ip 10.80.0.3 busybox sleep 1 2>&1 | tail -n 1
		A rm -f web >/dev/null && B rm -f api >/dev/null || die "rm"
		A rm -f $(A ps -aq) >/dev/null 2>&1
		mrA rm ov >/dev/null && mrB rm ov >/dev/null || die "network rm"
		nt_settle
		leftover "$hA" "$RA" | sed "s/^/A /"
		leftover "$hB" "$RB" | sed "s/^/B /"') || t_fail "$out"
	t_match "$out" '^web \(A\) -> api \(B\) by name: ok$' "a container on host A reaches one on host B by name"
	t_match "$out" '^api \(B\) -> web \(A\) by name: ok$' "and back"
	t_match "$out" '^PING api \(10\.80\.0\.3\)$' "a newcomer on A finds api at its address"
	t_match "$out" 'cannot publish ports on overlay network ov' "-p on an overlay is refused, saying why"
	t_match "$out" 'Address already in use \(by a container on another host\)' "--ip of a container on the other host is refused"
	for h in A B; do
		t_match "$out" "^$h links: \$" "no link left on host $h"
		t_match "$out" "^$h records: \$" "no record left on host $h"
	done
}

t "overlay with static peers: two hosts, a slice of the subnet each, ping across, rm leaves nothing" static_peers
t "three hosts, one list of peers on each: a quarter of the subnet each, flooding to both others" three_hosts
t "overlay with a shared peers directory: names across hosts, both ways, rm leaves nothing" peers_dir
t "real containers (minirun run) on two hosts reach each other by name over an overlay" real_containers
t "a create killed before its record was written is no obstacle to the next" killed_create_recovered
t "a host's file written by hand into the peers directory is applied, and its removal too" hand_written_peer
t "after a reboot (no links, no watcher), the next connect makes them again" after_reboot
t "connects at once on two hosts lease distinct addresses through the shared directory" concurrent_leases
t "network prune removes an unused overlay: watcher, file, links" prune_removes_overlay
t "overlay bad input: no subnet, a bad peer, a VNI out of range, each refused in one line" bad_input
t_end

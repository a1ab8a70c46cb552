# tests/vm/pair/overlay.t - an overlay network across two machines: two VMs, each a host
# with its own kernel, store and underlay address, joined by a wire (make test-vm-overlay).
#
#	VM A: eth0 172.30.0.1                               VM B: eth0 172.30.0.2
#	 web (httpd) 10.78.0.2 -- bridge + vxlan  <== wire ==>  vxlan + bridge -- api 10.78.0.3
#	                          \___ /shared/peers (9p): a file per host ___/
#
# tests/vm/run --pair boots both VMs with this suite; MR_VM_PAIR says which one this is.
# The wire is qemu's datagram netdev between two Unix sockets on the machine running the
# VMs (nothing leaves it); /shared is one of its directories, shared with both VMs over
# 9p: the peers directory of the overlay (the "shared disk" overlay.c asks for) and the
# place where the two VMs wait for each other (a file "A.up" says host A is up ...).
# Host A starts its container first, host B after it: the leases are taken under a flock
# of the peers directory, and qemu's 9p server grants every lock, so the two VMs take
# turns instead. Each VM asserts what it sees: its container reaches the other's by
# address and by name (ping), and over TCP by name (nc to the other's httpd); then
# both remove everything, and each checks nothing of the network is left on it.
# The tests run one after another; a test's state for the next lives in files ($S).
# See: tests/integration/network/overlay.t (the same over network namespaces),
# minirun/network/overlay.c, tests/vm/run
. "$MR_TOP/tests/lib/t.sh"

MINIRUN=${MINIRUN:-$MR_TOP/minirun/minirun}
ME=${MR_VM_PAIR:-} S=/tmp/mr-pair
case $ME in
A) OTHER=B mine=172.30.0.1 theirs=172.30.0.2 ctr=web peer=api ;;
B) OTHER=A mine=172.30.0.2 theirs=172.30.0.1 ctr=api peer=web ;;
esac
R=$S/root SH=/shared
mr() { "$MINIRUN" --root "$R" "$@"; }

# pair_need - skip outside a pair of VMs; fail if an earlier step did not get this far
pair_need() {
	[ -n "$ME" ] || t_skip "runs in one of two VMs on a wire (make test-vm-overlay), not alone"
	[ -z "${1:-}" ] || [ -f "$S/$1" ] || t_fail "an earlier test did not get as far as '$1'"
}
# signal WHAT - tell the other VM this one got as far as WHAT
signal() { : >"$SH/sync/$ME.$1"; }
# await WHAT [SECS] - wait (default 180 s) until the other VM signalled WHAT
await() {
	_end=$(($(date +%s) + ${2:-180}))
	until [ -e "$SH/sync/$OTHER.$1" ]; do
		[ "$(date +%s)" -lt $_end ] || t_fail "host $OTHER never got as far as '$1'"
		sleep 0.5
	done
}
# retry SECS CMD... - run CMD every half second until it succeeds, for up to SECS (wall
# clock: each try may itself take a while under emulation)
retry() {
	_end=$(($(date +%s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt $_end ] || return 1
		sleep 0.5
	done
}

wire() {
	pair_need
	mkdir -p "$S" "$R"
	ip link show eth0 >/dev/null 2>&1 || t_fail "no eth0: the VM was booted without its network card"
	ip addr add "$mine/24" dev eth0 && ip link set eth0 up || t_fail "cannot set eth0 up"
	mkdir -p "$SH" && mount -t 9p -o trans=virtio,version=9p2000.L shared "$SH" ||
		t_fail "cannot mount the 9p share 'shared'"
	mkdir -p "$SH/sync" "$SH/peers"
	echo "eth0: $(ip -o -4 addr show eth0 | grep -o 'inet [0-9./]*')"
	# the other VM may still be booting
	retry 120 ping -c 1 -W 1 "$theirs" && echo "ping $theirs: ok"
	t_match "$(ip -o link show eth0)" "state UP" "eth0"
	t_match "$(ping -c 1 -W 2 "$theirs")" "1 packets received" "host $OTHER at $theirs"
	: >"$S/wire"
}

# containers - import the image, create the overlay, run this host's container in it
containers() {
	pair_need wire
	mr import -c 'CMD ["sh"]' "$MR_TOP/build/images/busybox.tar" busybox >/dev/null ||
		t_fail "import $MR_TOP/build/images/busybox.tar"
	# host B waits: its leases must see host A's (the 9p lock does not span the VMs)
	[ "$ME" = B ] && await up
	mr network create -d overlay --subnet 10.78.0.0/24 --opt peers-dir="$SH/peers" \
		--opt local="$mine" ov >/dev/null || t_fail "network create on host $ME"
	mr run -d --name "$ctr" --network ov busybox sh -c \
		"mkdir /www && echo '$ctr on host $ME' >/www/index.html && exec httpd -f -p 80 -h /www" \
		>/dev/null || t_fail "run $ctr on host $ME"
	signal up
	[ "$ME" = A ] && await up
	ip=$(mr exec "$ctr" ip -o -4 addr show eth0 | grep -o '10\.[0-9.]*')
	echo "$ctr: $ip"
	# the watcher reads the other host's file within 2 s
	retry 30 mr exec "$ctr" grep -q "$peer" /etc/hosts || t_fail "$ctr never learnt of $peer: $(mr exec "$ctr" cat /etc/hosts)"
	t_match "$ip" "^10\.78\.0\.$([ "$ME" = A ] && echo 2 || echo 3)$" "$ctr's address"
	: >"$S/containers"
}

by_address() {
	pair_need containers
	their_ip=$(grep -o '"IPv4Address": *"[0-9.]*' "$SH/peers/$theirs.json" | grep -o '[0-9.]*$')
	t_ne "$their_ip" "" "$peer's address in host $OTHER's file"
	out=$(mr exec "$ctr" ping -c 1 -W 2 "$their_ip") || t_fail "ping $their_ip: $out"
	t_match "$out" "1 packets received"
}

by_name() {
	pair_need containers
	out=$(mr exec "$ctr" ping -c 1 -W 2 "$peer") || t_fail "ping $peer: $out"
	t_match "$out" "^PING $peer \(10\.78\.0\.[23]\)"
	t_match "$out" "1 packets received"
}

over_tcp() {
	pair_need containers
	# an HTTP GET with nc: busybox-static's wget crashes resolving some names (ports.t)
	get='printf "GET / HTTP/1.0\r\n\r\n" | nc -w 5'
	out=$(mr exec "$ctr" sh -c "$get $peer 80" 2>&1) || t_fail "GET http://$peer/: $out"
	t_match "$out" "^HTTP/1\.[01] 200 OK" "the answer of $peer's httpd"
	t_eq "$(printf '%s\n' "$out" | tail -n 1)" "$peer on host $OTHER" "the page $peer serves"
}

removed() {
	pair_need wire
	# neither VM removes its side before the other is done with it
	signal checked
	await checked
	# each step even if one before failed; what is left is the verdict
	mr rm -f "$ctr" >/dev/null
	mr network rm ov >/dev/null
	mr rmi busybox >/dev/null
	signal clean
	await clean
	# a zombie watcher (done, not reaped yet) is none
	w=$(for s in /proc/[0-9]*/stat; do
		case $(cat "$s" 2>/dev/null) in *"(minirun-overlay) "[!Z]*) echo ;; esac
	done | wc -l)
	out=$(
	echo "links: $(ip -o link | grep -o ': mr[^:@]*' | tr -d ': ' | tr '\n' ' ')"
	echo "fdb: $(bridge fdb show | grep -c ' dst ')"
	echo "nft: $(nft list tables | wc -l)"
	echo "watchers: $w"
	echo "records: $(ls "$R/networks" | grep -v '^bridge.json$' | tr '\n' ' ')"
	echo "containers: $(mr ps -aq | wc -l)"
	echo "peers: $(ls "$SH/peers" | tr '\n' ' ')"
	)
	ip addr flush dev eth0 && ip link set eth0 down
	umount "$SH" && rm -rf "$S"
	t_match "$out" "^links: $" "links of the network"
	t_match "$out" "^fdb: 0$" "VXLAN forwarding entries"
	t_match "$out" "^nft: 0$" "nft tables"
	t_match "$out" "^watchers: 0$" "overlay watchers"
	t_match "$out" "^records: $" "network records"
	t_match "$out" "^containers: 0$"
	t_match "$out" "^peers: $" "files in the shared peers directory, either host's"
}

t "host ${ME:-?}: the wire: this VM reaches the other at its underlay address" wire
t "host ${ME:-?}: an overlay with the other VM as peer, a container on it, learns the other's" containers
t "host ${ME:-?}: the container reaches the other VM's container by address (ping)" by_address
t "host ${ME:-?}: ... and by name (ping)" by_name
t "host ${ME:-?}: ... and over TCP by name (an HTTP GET with nc to its httpd)" over_tcp
t "host ${ME:-?}: rm leaves nothing: no link, forwarding entry, watcher, record, peer file" removed
t_end

# tests/integration/netns/nat.t - netns/bridge -m and netns/publish: masquerade seen from a
# namespace playing the internet, a published port reached from another namespace and
# from the host's loopback, a port published on one host address answering there only,
# idempotent publishing, exact removal, an older minirun's table converted, ip_forward only
# when needed. Each test runs in a throwaway namespace playing the host (see lib.sh).
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/netns/lib.sh"

# a NAT bridge, container c1 (10.88.0.2) serving "hello-c1" on tcp 80, the internet in $inet
SETUP='
	"$NT/bridge" -m mrbr0 10.88.0.1/24 >/dev/null || die "bridge -m"
	c1=$(box)
	"$NT/connect" "$c1" mrbr0 10.88.0.2/24 10.88.0.1 >/dev/null || die "connect"
	inet=$(uplink)
	inns "$c1" "$BB" nc -ll -p 80 -e echo hello-c1 &
	sleep 0.3
'

masquerade_seen_from_internet() {
	nt_need
	out=$(nt_host "$SETUP"'
		# the internet answers a connection with its own view of it: netstat -tn
		inns "$inet" "$BB" nc -l -p 7001 -e "$BB" netstat -tn &
		sleep 0.3
		inns "$c1" "$BB" nc -w 3 198.51.100.2 7001 </dev/null') || t_fail "$out"
	t_match "$out" '(::ffff:)?198\.51\.100\.2:7001 +(::ffff:)?198\.51\.100\.1:[0-9]+ ' \
		"the internet sees the host's uplink address as the source"
	t_nomatch "$out" '10\.88\.0\.2:' "the container's own address"
}

published_from_other_namespace() {
	nt_need
	out=$(nt_host "$SETUP"'
		"$NT/publish" 8080:10.88.0.2:80/tcp || die "publish"
		inns "$inet" "$BB" nc -w 3 198.51.100.1 8080 </dev/null') || t_fail "$out"
	t_match "$out" '^published 8080:10.88.0.2:80/tcp$'
	t_match "$out" '^hello-c1$' "the answer through host port 8080"
}

published_from_loopback() {
	nt_need
	out=$(nt_host "$SETUP"'
		"$NT/publish" 8080:10.88.0.2:80 >/dev/null || die "publish"
		echo "lo: $("$BB" nc -w 3 127.0.0.1 8080 </dev/null)"
		echo "own address: $("$BB" nc -w 3 198.51.100.1 8080 </dev/null)"') || t_fail "$out"
	t_match "$out" '^lo: hello-c1$' "127.0.0.1:8080 from the host itself"
	t_match "$out" '^own address: hello-c1$' "the host's own address from the host"
}

published_hairpin() {
	nt_need
	out=$(nt_host "$SETUP"'
		c2=$(box)
		"$NT/connect" "$c2" mrbr0 10.88.0.3/24 10.88.0.1 >/dev/null || die "connect c2"
		"$NT/publish" 8080:10.88.0.2:80 >/dev/null || die "publish"
		echo "c2 via gateway: $(inns "$c2" "$BB" nc -w 3 10.88.0.1 8080 </dev/null 2>&1)"
		echo "c2 via uplink: $(inns "$c2" "$BB" nc -w 3 198.51.100.1 8080 </dev/null 2>&1)"') ||
		t_fail "$out"
	t_match "$out" '^c2 via gateway: hello-c1$' "a neighbour, through the gateway's address"
	t_match "$out" '^c2 via uplink: hello-c1$' "a neighbour, through the uplink address"
}

masquerade_needed() {
	nt_need
	out=$(nt_host '
		"$NT/bridge" mrbr0 10.88.0.1/24 >/dev/null || die bridge
		c1=$(box)
		"$NT/connect" "$c1" mrbr0 10.88.0.2/24 10.88.0.1 >/dev/null || die connect
		inet=$(uplink)
		echo 1 > /proc/sys/net/ipv4/ip_forward
		inns "$inet" "$BB" nc -ll -p 7001 -e echo answered &
		sleep 0.3
		echo "plain: $(inns "$c1" "$BB" nc -w 2 198.51.100.2 7001 </dev/null 2>&1)"') ||
		t_fail "$out"
	t_nomatch "$out" '^plain: answered' "without masquerade the internet cannot answer"
}

publish_is_idempotent_and_refuses_clash() {
	nt_need
	out=$(nt_host "$SETUP"'
		"$NT/publish" 8080:10.88.0.2:80 >/dev/null && "$NT/publish" 8080:10.88.0.2:80 >/dev/null ||
			die "publishing the same mapping twice failed"
		"$NT/publish" 8080:10.88.0.3:80 2>&1; echo "clash exit $?"
		echo "list: $("$NT/publish" -l | tr "\n" " ")"') || t_fail "$out"
	t_match "$out" "^publish: port 8080/tcp is already published \(8080:10.88.0.2:80/tcp\)"
	t_match "$out" '^clash exit 1$'
	t_match "$out" '^list: 8080:10.88.0.2:80/tcp $' "one element, the first mapping"
}

published_on_one_address() {
	nt_need
	out=$(nt_host "$SETUP"'
		"$NT/publish" 127.0.0.1:8080:10.88.0.2:80 198.51.100.1:8081:10.88.0.2:80 || die "publish"
		echo "lo 8080: $("$BB" nc -w 2 127.0.0.1 8080 </dev/null 2>&1)"
		echo "uplink 8080: $("$BB" nc -w 2 198.51.100.1 8080 </dev/null 2>&1)"
		echo "internet 8081: $(inns "$inet" "$BB" nc -w 2 198.51.100.1 8081 </dev/null 2>&1)"
		echo "lo 8081: $("$BB" nc -w 2 127.0.0.1 8081 </dev/null 2>&1)"
		"$NT/publish" 8080:10.88.0.3:80 2>&1; echo "every address exit $?"
		"$NT/publish" 198.51.100.1:8080:10.88.0.3:80 >/dev/null || die "another address"
		echo "list: $("$NT/publish" -l | sort | tr "\n" " ")"
		# (nft prints tcp as 6 where /etc/protocols is missing, as in the VM)
		nft list map ip minirun published | grep -oE "127\.0\.0\.1 \. (tcp|6) \. 8080" |
			sed "s/ 6 / tcp /; s/^/key: /"
		"$NT/publish" -d 8080 2>&1; echo "wrong key exit $?"
		"$NT/publish" -d 127.0.0.1:8080 198.51.100.1:8081 198.51.100.1:8080 || die "unpublish"
		echo "elements: $(nft list map ip minirun published 2>/dev/null | grep -c " : [0-9]")"') ||
		t_fail "$out"
	t_match "$out" '^published 127.0.0.1:8080:10.88.0.2:80/tcp$'
	t_match "$out" '^lo 8080: hello-c1$' "127.0.0.1:8080 reaches c1"
	t_nomatch "$out" '^uplink 8080: hello' "the host's other address does not"
	t_match "$out" '^internet 8081: hello-c1$' "198.51.100.1:8081 from another namespace"
	t_nomatch "$out" '^lo 8081: hello' "but not 127.0.0.1:8081"
	t_match "$out" '^publish: port 8080/tcp is already published \(127.0.0.1:8080:10.88.0.2:80/tcp\); remove it first with netns/publish -d 127.0.0.1:8080/tcp$' "every address clashes with one"
	t_match "$out" '^every address exit 1$'
	t_match "$out" '^list: 127.0.0.1:8080:10.88.0.2:80/tcp 198.51.100.1:8080:10.88.0.3:80/tcp 198.51.100.1:8081:10.88.0.2:80/tcp $' "the same port on two addresses"
	t_match "$out" '^key: 127.0.0.1 . tcp . 8080$' "the map's key holds the address"
	t_match "$out" '^publish: port 8080/tcp is not published$' "-d 8080 is the every-address one"
	t_match "$out" '^wrong key exit 1$'
	t_match "$out" '^unpublished 127.0.0.1:8080/tcp$'
	t_match "$out" '^elements: 0$'
}

# what an older minirun made: the map keyed by protocol and port alone, one port in it
OLD_TABLE='flush chain ip minirun nat_pre
flush chain ip minirun nat_out
delete map ip minirun published
add map ip minirun published { type inet_proto . inet_service : ipv4_addr . inet_service; }
add rule ip minirun nat_pre fib daddr type local dnat ip to meta l4proto . th dport map @published
add rule ip minirun nat_out fib daddr type local dnat ip to meta l4proto . th dport map @published
add element ip minirun published { tcp . 8080 : 10.88.0.2 . 80 }'

older_table_converted() {
	nt_need
	out=$(nt_host "$SETUP"'
		printf "%s\n" "'"$OLD_TABLE"'" | nft -f - || die "old table"
		echo "old list: $("$NT/publish" -l | tr "\n" " ")"
		"$NT/publish" 127.0.0.1:8081:10.88.0.2:80 >/dev/null || die "publish on the old table"
		echo "list: $("$NT/publish" -l | sort | tr "\n" " ")"
		echo "8080: $("$BB" nc -w 2 127.0.0.1 8080 </dev/null 2>&1)"
		echo "8081: $("$BB" nc -w 2 127.0.0.1 8081 </dev/null 2>&1)"
		echo "rules: $(nft list chain ip minirun nat_pre | grep -c "dnat ip to")"') || t_fail "$out"
	t_match "$out" '^old list: 8080:10.88.0.2:80/tcp $' "its elements are read"
	t_match "$out" '^list: 127.0.0.1:8081:10.88.0.2:80/tcp 8080:10.88.0.2:80/tcp $' "converted, the old port kept"
	t_match "$out" '^8080: hello-c1$' "the old port still answers"
	t_match "$out" '^8081: hello-c1$' "the new one too"
	t_match "$out" '^rules: 1$' "one DNAT rule, the new one"
}

unpublish_removes_exactly_one() {
	nt_need
	out=$(nt_host "$SETUP"'
		"$NT/publish" 8080:10.88.0.2:80 8053:10.88.0.2:53/udp >/dev/null || die "publish"
		"$NT/publish" -d 8080 >/dev/null || die "unpublish"
		echo "list: $("$NT/publish" -l | tr "\n" " ")"
		"$BB" nc -w 2 127.0.0.1 8080 </dev/null 2>&1 | grep -q hello-c1 && echo "8080 still answers"
		"$NT/publish" -d 8080 2>&1; echo "again exit $?"
		"$NT/publish" -d 8053/udp >/dev/null || die "unpublish udp"
		"$NT/bridge" -d mrbr0 >/dev/null || die "bridge -d"
		echo "rules: $(nft list ruleset | wc -l)"') || t_fail "$out"
	t_match "$out" '^list: 8053:10.88.0.2:53/udp $'
	t_nomatch "$out" 'still answers'
	t_match "$out" '^publish: port 8080/tcp is not published'
	t_match "$out" '^again exit 1$'
	t_match "$out" '^rules: 0$' "the table goes with its last element"
}

ip_forward_only_when_needed() {
	nt_need
	# a new network namespace inherits the machine's ip_forward (1 on any host that runs
	# docker): start this host namespace from 0, as a fresh machine has it
	out=$(nt_host '
		echo 0 > /proc/sys/net/ipv4/ip_forward
		echo "start: $(cat /proc/sys/net/ipv4/ip_forward)"
		"$NT/bridge" mrbr0 10.88.0.1/24 >/dev/null || die bridge
		c=$(box); "$NT/connect" "$c" mrbr0 10.88.0.2/24 10.88.0.1 >/dev/null || die connect
		echo "plain bridge: $(cat /proc/sys/net/ipv4/ip_forward)"
		"$NT/bridge" -m mrbr0 10.88.0.1/24 >/dev/null || die "bridge -m"
		echo "nat bridge: $(cat /proc/sys/net/ipv4/ip_forward)"') || t_fail "$out"
	t_match "$out" '^start: 0$'
	t_match "$out" '^plain bridge: 0$'
	t_match "$out" '^nat bridge: 1$'
}

t "masquerade: the internet sees the host's address as the source" masquerade_seen_from_internet
t "a published port is reached from another namespace" published_from_other_namespace
t "a published port is reached from the host's loopback and own address" published_from_loopback
t "a published port is reached by a neighbour container through a host address (hairpin)" published_hairpin
t "without masquerade the internet cannot answer a container (no route back)" masquerade_needed
t "publishing twice is harmless; another target for the port is refused" publish_is_idempotent_and_refuses_clash
t "a port published on one host address answers there only; the same port on another is free" published_on_one_address
t "a table of an older minirun is converted, its published ports kept" older_table_converted
t "unpublish removes exactly that port; the last removal removes the table" unpublish_removes_exactly_one
t "ip_forward is turned on only when NAT needs it" ip_forward_only_when_needed
t_end

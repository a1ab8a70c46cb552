# tests/integration/containers/ports.t - `minirun run -p` and `-P`: a busybox httpd in a
# container reached through its published port from another namespace and from loopback;
# -P publishing every EXPOSEd port on a free host port; `minirun port`; docker's Ports in
# inspect; a port already taken (by a container or a listening socket) refused in docker's
# words with nothing left behind; -p IP:HOSTPORT:PORT answering on IP alone; port ranges;
# IPv6 refused; a kill -9 after the publish undone by rm -f.
# Each test runs in a throwaway namespace playing the host.
#   MR_TOP=$PWD sh tests/integration/containers/ports.t
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

published_reached() {
	ct_need net
	out=$(ct_host '
		inet=$(uplink)
		id=$(ct_www web1 -p 8080:80) || die "run -p"
		ct_wait_http 127.0.0.1:8080 || echo "no answer on 127.0.0.1:8080"
		echo "loopback: $(ct_get 127.0.0.1:8080)"
		echo "other ns: $(ct_get 198.51.100.1:8080 "$inet")"
		mr port web1 | sed "s/^/port: /"
		ct_inspect web1 | tr -d " \n" | grep -o "\"Ports\":{[^}]*}" | sed "s/^/inspect: /"
		mr rm -f web1 >/dev/null || die "rm -f"
		echo "after rm: $(ct_get 127.0.0.1:8080 | grep -c hello)"
		kill "$inet" && wait "$inet" 2>/dev/null # the "internet" namespace: the test'"'"'s own
		ct_leaks') || t_fail "$out"
	t_match "$out" '^loopback: hello-web1$' "127.0.0.1:8080 reaches the container"
	t_match "$out" '^other ns: hello-web1$' "the host's address from another namespace reaches it"
	t_match "$out" '^port: 80/tcp -> 0\.0\.0\.0:8080$' "minirun port, as docker port prints it"
	t_match "$out" '"Ports":\{"80/tcp":\[\{"HostIp":"0\.0\.0\.0","HostPort":"8080"\}' "inspect's NetworkSettings.Ports"
	t_match "$out" '^after rm: 0$' "the port goes with the container"
	t_nomatch "$out" '^leak:'
}

publish_all() {
	ct_need net
	out=$(ct_host '
		mr import -c "CMD [\"sh\"]" -c "EXPOSE 80" -c "EXPOSE 53/udp" "$CT_IMAGE_TAR" exposed >/dev/null ||
			die "import exposed"
		id=$(mr run -d -P --name pa exposed sh -c \
			"mkdir /www && echo hello-pa >/www/index.html && exec httpd -f -p 80 -h /www") ||
			die "run -P"
		mr port pa | sort | sed "s/^/port: /"
		mr port pa 80/tcp | sed "s/^/port80: /"
		hp=$(mr port pa 80/tcp | sed "s/.*://")
		ct_wait_http "127.0.0.1:$hp" || echo "no answer on $hp"
		echo "via $hp: $(ct_get "127.0.0.1:$hp")"
		mr rm -f pa >/dev/null || die "rm -f"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^port: 80/tcp -> 0\.0\.0\.0:327[0-9][0-9]$' "-P publishes the exposed tcp port from 32768 on"
	t_match "$out" '^port: 53/udp -> 0\.0\.0\.0:327[0-9][0-9]$' "and the udp one"
	t_match "$out" '^port80: 0\.0\.0\.0:327[0-9][0-9]$' "port NAME 80/tcp prints the host side only"
	t_match "$out" '^via 327[0-9][0-9]: hello-pa$' "the picked port reaches httpd"
	t_nomatch "$out" '^leak:'
}

port_taken() {
	ct_need net
	out=$(ct_host '
		id=$(ct_www first -p 8080:80) || die "run first"
		before=$(ip -o link | grep -c mrv; nft list map ip minirun published; cat "$R/networks/bridge.json")
		mr run -d --name second -p 9090:80 -p 8080:80 busybox sleep 60 >"$R/out" 2>"$R/err"
		echo "rc=$?"
		echo "stdout: $(cat "$R/out")"
		sed "s/^/err: /" "$R/err"
		mr rm -f second >/dev/null 2>&1
		nt_settle
		after=$(ip -o link | grep -c mrv; nft list map ip minirun published; cat "$R/networks/bridge.json")
		[ "$before" = "$after" ] && echo "unchanged"
		echo "first still: $(ct_get 127.0.0.1:8080)"
		mr rm -f first >/dev/null || die "rm -f"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^err: minirun: driver failed programming external connectivity on endpoint second \([0-9a-f]{12}\): Bind for 0\.0\.0\.0:8080 failed: port is already allocated$' "docker's message"
	t_match "$out" '^rc=125$'
	t_match "$out" '^unchanged$' "no veth, published port (9090 included) or lease of the second is left"
	t_match "$out" '^first still: hello-first$' "the first container still answers"
	t_nomatch "$out" '^leak:'
}

# what a refused run must not leave: veths, published ports, leases (the container itself
# stays, "Created", as docker leaves it: `rm` removes it)
NETSTATE='netstate() {
	nt_settle
	echo "veths $(ip -o link | grep -c mrv)" \
		"ports $(nft list map ip minirun published 2>/dev/null | grep -oE "[0-9]+ : [0-9.]+ \. [0-9]+" | wc -l)" \
		"leases $(cat "$R"/networks/*.json 2>/dev/null | grep -o "\"IPv4Address\"" | wc -l)"
}'

ip_bound() {
	ct_need net
	out=$(ct_host '
		inet=$(uplink) # the host: 198.51.100.1 on the uplink, and a second address there
		ip addr add 192.0.2.1/24 dev uplink || die "second address"
		id=$(ct_www one -p 192.0.2.1:8080:80 -p 127.0.0.1:8081:80) || die "run -p IP:8080:80"
		ct_wait_http 192.0.2.1:8080 || echo "no answer on 192.0.2.1:8080"
		echo "on its address: $(ct_get 192.0.2.1:8080)"
		echo "on the other: $(ct_get 198.51.100.1:8080)"
		echo "from outside: $(ct_get 198.51.100.1:8080 "$inet")"
		echo "loopback 8080: $(ct_get 127.0.0.1:8080)"
		echo "loopback 8081: $(ct_get 127.0.0.1:8081)"
		echo "8081 elsewhere: $(ct_get 192.0.2.1:8081)"
		mr port one | sed "s/^/port: /"
		ct_inspect one | tr -d " \n" | grep -o "\"Ports\":{\"80/tcp\":\[[^]]*\]" | sed "s/^/inspect: /"
		# the same port on the other address is free; on every address it is not
		id=$(ct_www two -p 198.51.100.1:8080:80) || die "run two"
		ct_wait_http 198.51.100.1:8080 "$inet" || echo "no answer on 198.51.100.1:8080"
		echo "two from outside: $(ct_get 198.51.100.1:8080 "$inet")"
		echo "one still: $(ct_get 192.0.2.1:8080)"
		mr run -d --name three -p 8080:80 busybox sleep 60 >/dev/null 2>"$R/err"
		echo "every address rc=$?"
		sed "s/^/err: /" "$R/err"
		mr rm -f one two three >/dev/null || die "rm -f"
		echo "after rm: $(ct_get 192.0.2.1:8080 | grep -c hello)"
		kill "$inet" && wait "$inet" 2>/dev/null
		ct_leaks') || t_fail "$out"
	t_match "$out" '^on its address: hello-one$' "192.0.2.1:8080 reaches the container"
	t_nomatch "$out" '^on the other: hello' "198.51.100.1:8080 does not (from the host)"
	t_nomatch "$out" '^from outside: hello' "nor from another namespace"
	t_nomatch "$out" '^loopback 8080: hello' "nor 127.0.0.1:8080"
	t_match "$out" '^loopback 8081: hello-one$' "-p 127.0.0.1:8081:80 answers on loopback"
	t_nomatch "$out" '^8081 elsewhere: hello' "and only there"
	t_match "$out" '^port: 80/tcp -> 127\.0\.0\.1:8081$' "minirun port shows the address"
	t_match "$out" '^port: 80/tcp -> 192\.0\.2\.1:8080$'
	t_match "$out" '"80/tcp":\[\{"HostIp":"192\.0\.2\.1","HostPort":"8080"\},\{"HostIp":"127\.0\.0\.1","HostPort":"8081"\}\]' "inspect's Ports"
	t_match "$out" '^two from outside: hello-two$' "port 8080 on another address is another container's"
	t_match "$out" '^one still: hello-one$'
	t_match "$out" '^every address rc=125$' "8080 on every address clashes with 8080 on one"
	t_match "$out" '^err: minirun: driver failed programming external connectivity on endpoint three \([0-9a-f]{12}\): Bind for 0\.0\.0\.0:8080 failed: port is already allocated$'
	t_match "$out" '^after rm: 0$'
	t_nomatch "$out" '^leak:'
}

ip_not_local() {
	ct_need net
	out=$(ct_host "$NETSTATE"'
		before=$(netstate)
		mr run -d --name nl -p 203.0.113.9:8080:80 busybox sleep 60 >"$R/out" 2>"$R/err"
		echo "rc=$?"
		sed "s/^/err: /" "$R/err"
		after=$(netstate); [ "$before" = "$after" ] && echo "unchanged" || echo "before: $before; after: $after"
		mr rm -f nl >/dev/null || die "rm -f"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^rc=125$'
	t_match "$out" '^err: minirun: driver failed programming external connectivity on endpoint nl \([0-9a-f]{12}\): listen tcp4 203\.0\.113\.9:8080: bind: cannot assign requested address \(203\.0\.113\.9 is not an address of this host\)$' "docker's words, and why"
	t_eq "$(printf '%s\n' "$out" | grep -c '^err: ')" 1 "one line"
	t_match "$out" '^unchanged$' "no veth, published port or lease left"
	t_nomatch "$out" '^leak:'
}

ranges() {
	ct_need net
	out=$(ct_host '
		mr run -d --name rg -p 8000-8002:80-82 busybox sh -c \
			"mkdir /www && echo hello-rg >/www/index.html && httpd -p 81 -h /www && httpd -p 82 -h /www && exec httpd -f -p 80 -h /www" \
			>"$R/out" 2>"$R/err"
		echo "rc=$?"
		sed "s/^/err: /" "$R/err"
		mr port rg | sed "s/^/port: /"
		for p in 8000 8001 8002; do
			ct_wait_http 127.0.0.1:$p || echo "no answer on $p"
			echo "$p: $(ct_get 127.0.0.1:$p)"
		done
		echo "elements: $(nft list map ip minirun published | grep -o "\. 800[0-9] :" | wc -l)"
		id=$(mr run -d --name rr -p 127.0.0.1::90-91/udp busybox sleep 60) || die "run -p 90-91"
		mr port rr | sed "s/^/random: /"
		mr rm -f rg rr >/dev/null || die "rm -f"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^rc=0$'
	t_match "$out" '^port: 80/tcp -> 0\.0\.0\.0:8000$' "each port of the range is published"
	t_match "$out" '^port: 81/tcp -> 0\.0\.0\.0:8001$'
	t_match "$out" '^port: 82/tcp -> 0\.0\.0\.0:8002$'
	t_match "$out" '^8000: hello-rg$' "and answers"
	t_match "$out" '^8001: hello-rg$'
	t_match "$out" '^8002: hello-rg$'
	t_match "$out" '^elements: 3$' "one map element each"
	t_match "$out" '^random: 90/udp -> 127\.0\.0\.1:327[0-9][0-9]$' "a container range alone: a free host port each"
	t_match "$out" '^random: 91/udp -> 127\.0\.0\.1:327[0-9][0-9]$'
	t_nomatch "$out" '^leak:' "rm -f removes every port of the ranges"
}

# the same ranges through `minirun network publish` (what run -p calls), whatever opts.c does
ranges_network_publish() {
	ct_need net
	out=$(ct_host '
		id=$(mr run -d --name np busybox sh -c \
			"mkdir /www && echo hello-np >/www/index.html && httpd -p 81 -h /www && httpd -p 82 -h /www && exec httpd -f -p 80 -h /www") ||
			die "run"
		mr network publish "$id" 8000-8002:80-82 | sed "s/^/published: /"
		for p in 8000 8001 8002; do
			ct_wait_http 127.0.0.1:$p || echo "no answer on $p"
			echo "$p: $(ct_get 127.0.0.1:$p)"
		done
		mr network publish "$id" 127.0.0.1::90-91/udp | sed "s/^/random: /"
		echo "elements: $(nft list map ip minirun published | grep -oE "[0-9]+ : [0-9.]+ \. [0-9]+" | wc -l)"
		mr rm -f np >/dev/null || die "rm -f"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^published: 80/tcp -> 0\.0\.0\.0:8000$' "each port of the range is published"
	t_match "$out" '^published: 81/tcp -> 0\.0\.0\.0:8001$'
	t_match "$out" '^published: 82/tcp -> 0\.0\.0\.0:8002$'
	t_match "$out" '^8000: hello-np$' "and answers"
	t_match "$out" '^8001: hello-np$'
	t_match "$out" '^8002: hello-np$'
	t_match "$out" '^random: 90/udp -> 127\.0\.0\.1:327[0-9][0-9]$' "a container range alone: a free host port each"
	t_match "$out" '^random: 91/udp -> 127\.0\.0\.1:327[0-9][0-9]$'
	t_match "$out" '^elements: 5$' "one map element each"
	t_nomatch "$out" '^leak:' "rm -f removes every port of the ranges"
}

bad_specs() {
	ct_need net
	out=$(ct_host '
		for spec in 8000-8002:80 8000-8001:80-82 "[::1]:8080:80" "::1:8080:80" 8002-8000:80-82; do
			mr run -d --name bs -p "$spec" busybox sleep 60 >"$R/out" 2>"$R/err"
			echo "$spec rc=$? lines=$(grep -vc "^See" "$R/err") $(grep -v "^See" "$R/err")"
		done
		ct_leaks') || t_fail "$out"
	t_match "$out" '^8000-8002:80 rc=125 lines=1 minirun: invalid ranges specified for container and host Ports: 80 and 8000-8002 \(the two port ranges must have the same length\)$' "a host range for one port: docker's \"invalid ranges\""
	t_match "$out" '^8000-8001:80-82 rc=125 lines=1 minirun: invalid ranges specified for container and host Ports: 80-82 and 8000-8001 '
	t_match "$out" '^\[::1\]:8080:80 rc=125 lines=1 minirun: -p \[::1\]:8080:80: IPv6 publishing is not supported' "IPv6: one line saying so"
	t_match "$out" '^::1:8080:80 rc=125 lines=1 minirun: -p ::1:8080:80: IPv6 publishing is not supported'
	t_match "$out" '^8002-8000:80-82 rc=125 lines=1 minirun: Invalid hostPort: 8002-8000$' "a range upside down"
	t_nomatch "$out" '^leak:' "nothing is left of any"
}

host_socket_taken() {
	ct_need net
	out=$(ct_host "$NETSTATE"'
		"$BB" httpd -f -p 7070 -h "$R" &
		l1=$!
		"$BB" httpd -f -p 127.0.0.1:7071 -h "$R" &
		l2=$!
		sleep 0.3
		before=$(netstate)
		for spec in 7070:80 7071:80 127.0.0.1:7070:80; do
			mr run -d --name hs -p $spec busybox sleep 60 >/dev/null 2>"$R/err"
			echo "rc=$? $(cat "$R/err")"
			[ "$before" = "$(netstate)" ] || echo "changed after $spec"
			mr rm -f hs >/dev/null || die "rm -f"
		done
		kill "$l1" "$l2"; wait "$l1" "$l2" 2>/dev/null
		ct_leaks') || t_fail "$out"
	t_match "$out" '^rc=125 minirun: driver failed programming external connectivity on endpoint hs \([0-9a-f]{12}\): Bind for 0\.0\.0\.0:7070 failed: port is already allocated$' "a listener on every address"
	t_match "$out" '^rc=125 .*Bind for 0\.0\.0\.0:7071 failed: port is already allocated$' "a listener on 127.0.0.1 holds the port on every address too"
	t_match "$out" '^rc=125 .*Bind for 127\.0\.0\.1:7070 failed: port is already allocated$' "a listener on every address holds 127.0.0.1's"
	t_nomatch "$out" '^changed' "no veth, published port or lease left by any"
	t_nomatch "$out" '^leak:'
}

stop_start_rm() {
	ct_need net
	out=$(ct_host "$NETSTATE"'
		id=$(ct_www ss -p 127.0.0.1:8080:80 -p 8081:80/udp) || die "run"
		ct_wait_http 127.0.0.1:8080 || echo "no answer on 127.0.0.1:8080"
		echo "running: $(netstate)"
		# -t 0: httpd as PID 1 ignores SIGTERM, and what is checked is what a stop
		# leaves of the ports, not how it stops (-t 1 waited out its second)
		mr stop -t 0 ss >/dev/null || die "stop"
		echo "stopped: $(netstate)"
		mr start ss >/dev/null || die "start"
		ct_wait_http 127.0.0.1:8080 || echo "no answer after start"
		echo "started: $(ct_get 127.0.0.1:8080) $(mr port ss | tr "\n" " ")"
		mr stop -t 0 ss >/dev/null && mr rm ss >/dev/null || die "stop, rm"
		echo "removed: $(netstate)"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^running: veths 1 ports 2 leases 1$'
	t_match "$out" '^stopped: veths 0 ports 0 leases 0$' "stop removes both ports"
	t_match "$out" '^started: hello-ss 80/tcp -> 127\.0\.0\.1:8080 80/udp -> 0\.0\.0\.0:8081 $' "start publishes them again, on the same addresses"
	t_match "$out" '^removed: veths 0 ports 0 leases 0$'
	t_nomatch "$out" '^leak:'
}

killed_after_publish() {
	ct_need net
	out=$(ct_host '
		MINIRUN_TEST_DIE_AT=net-published mr run -d --name kp -p 127.0.0.1:8080:80 \
			-p 9000:90/udp busybox sleep 60 >/dev/null 2>&1
		echo "published: $(nft list map ip minirun published 2>/dev/null | grep -cE "127\.0\.0\.1 \. (tcp|6) \. 8080|0\.0\.0\.0/0 \. (udp|17) \. 9000")"
		mr rm -f kp >/dev/null 2>&1 || echo "rm -f failed"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^published: 2$' "the monitor died after the publish: both ports are there"
	t_nomatch "$out" 'failed'
	t_nomatch "$out" '^leak:' "rm -f removes the address-bound port and the other"
}

t "a published port (-p 8080:80) reaches busybox httpd from another namespace and from loopback" published_reached
t "-P publishes every exposed port on a free host port; minirun port shows them" publish_all
t "a host port already taken: docker's message, exit 125, nothing of the new container left" port_taken
t "-p IP:HOSTPORT:PORT answers on IP only; the same port on another address is free" ip_bound
t "-p with an address the host does not have: docker's message, exit 125, nothing left" ip_not_local
t "-p 8000-8002:80-82 publishes each port; -p IP::90-91/udp a free host port each; rm -f removes them" ranges
t "network publish ID 8000-8002:80-82 and IP::90-91/udp: a port each, reached, removed by rm -f" ranges_network_publish
t "bad ranges and IPv6 addresses: one line each, exit 125, nothing left" bad_specs
t "a host port held by a listening socket of the host is refused in docker's words" host_socket_taken
t "stop removes the ports, start publishes them again on their addresses, rm leaves nothing" stop_start_rm
t "a kill -9 after the publish: rm -f removes the address-bound and the udp port" killed_after_publish
t_end

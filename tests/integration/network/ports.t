# tests/integration/network/ports.t - published ports (`run -p` / `-P`, here through
# `minirun network publish`): a busybox httpd in a "container" reached from another namespace
# and from the host's loopback; a free host port picked for -P; "port is already
# allocated" refused with nothing published; unpublish and disconnect remove exactly the
# container's own ports. Each test runs in a throwaway namespace playing the host.
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/network/lib.sh"

# user network web, c1 and c2 on it, each serving "hello-cN" with httpd on port 80, and an
# "internet" namespace behind the host's uplink 198.51.100.1
SETUP='
	mrn create web >/dev/null || die create
	c1=$(box) c2=$(box)
	conn web c1 "$c1" >/dev/null && conn web c2 "$c2" >/dev/null || die connect
	for c in c1 c2; do
		mkdir -p "$R/www-$c" && echo "hello-$c" >"$R/www-$c/index.html"
		eval "p=\$$c"
		inns "$p" "$BB" httpd -p 80 -h "$R/www-$c" || die "httpd $c"
	done
	inet=$(uplink)
	# an HTTP GET with nc (busybox-static wget crashes resolving on some hosts): the body
	get() { printf "GET / HTTP/1.0\r\n\r\n" | "$BB" nc -w 3 "${1%:*}" "${1##*:}" 2>&1 | tail -n 1; }
'

publish_reached() {
	net_need
	out=$(net_host "$SETUP"'
		mrn publish "$(cid c1)" 8080:80 || die publish
		echo "loopback: $(get 127.0.0.1:8080)"
		echo "other ns: $(inns "$inet" sh -c "printf \"GET / HTTP/1.0\r\n\r\n\" | $BB nc -w 3 198.51.100.1 8080" 2>&1 | tail -n 1)"
		mrn inspect web | grep -c "\"HostPort\": 8080" | sed "s/^/recorded: /"') ||
		t_fail "$out"
	t_match "$out" '^80/tcp -> 0\.0\.0\.0:8080$' "publish prints the mapping as docker port"
	t_match "$out" '^loopback: hello-c1$' "127.0.0.1:8080 on the host"
	t_match "$out" '^other ns: hello-c1$' "the host's address from another namespace"
	t_match "$out" '^recorded: 1$' "the port is in the endpoint's record"
}

random_host_port() {
	net_need
	out=$(net_host "$SETUP"'
		mrn publish "$(cid c1)" 80 || die "publish c1"
		mrn publish "$(cid c2)" 80 || die "publish c2"
		echo "c1 via 32768: $(get 127.0.0.1:32768)"
		echo "c2 via 32769: $(get 127.0.0.1:32769)"') || t_fail "$out"
	t_match "$out" '^80/tcp -> 0\.0\.0\.0:32768$' "-P: the first free port from 32768"
	t_match "$out" '^80/tcp -> 0\.0\.0\.0:32769$' "the next one is free"
	t_match "$out" '^c1 via 32768: hello-c1$'
	t_match "$out" '^c2 via 32769: hello-c2$'
}

port_taken_refused() {
	net_need
	out=$(net_host "$SETUP"'
		mrn publish "$(cid c1)" 8080:80 >/dev/null || die publish
		before=$(published; cat "$R/networks/web.json")
		mrn publish "$(cid c2)" 9090:80 8080:80 2>"$R/err"; echo "rc=$?"
		echo "lines: $(wc -l <"$R/err")"; cat "$R/err"
		[ "$before" = "$(published; cat "$R/networks/web.json")" ] && echo "unchanged"
		"$BB" nc -l -p 7070 </dev/null >/dev/null 2>&1 & sleep 0.2
		mrn publish "$(cid c2)" 7070:80; echo "bound rc=$?"
		echo "still c1: $(get 127.0.0.1:8080)"') || t_fail "$out"
	t_match "$out" '^minirun: driver failed programming external connectivity on endpoint c2 \(c20000000000\): Bind for 0\.0\.0\.0:8080 failed: port is already allocated$'
	t_match "$out" '^rc=125$'
	t_match "$out" '^lines: 1$' "one line"
	t_match "$out" '^unchanged$' "9090 was not left published, the records are as before"
	t_match "$out" 'Bind for 0\.0\.0\.0:7070 failed: port is already allocated'
	t_match "$out" '^bound rc=125$' "a port a host process listens on is taken too"
	t_match "$out" '^still c1: hello-c1$'
}

unpublish_exactly() {
	net_need
	out=$(net_host "$SETUP"'
		mrn publish "$(cid c1)" 8080:80 8081:80/udp >/dev/null || die "publish c1"
		mrn publish "$(cid c2)" 8082:80 >/dev/null || die "publish c2"
		mrn unpublish "$(cid c1)" || die unpublish
		published | sed "s/^/left: /"
		echo "c1 now: $(get 127.0.0.1:8080 | head -c 20)"
		echo "c2 still: $(get 127.0.0.1:8082)"
		mrn disconnect web "$(cid c2)" || die disconnect
		echo "after disconnect: $(published | wc -l)"
		mrn disconnect web "$(cid c1)" && mrn rm web >/dev/null || die rm
		nft list tables | grep -c minirun | sed "s/^/tables: /"') || t_fail "$out"
	t_match "$out" '^left: (tcp|6) \. 8082 : 10\.89\.0\.3 \. 80$' "only c2's port is left (tcp by number where /etc/protocols is missing)"
	t_nomatch "$out" '^left: .*808[01]'
	t_nomatch "$out" '^c1 now: hello' "c1's port is gone"
	t_match "$out" '^c2 still: hello-c2$'
	t_match "$out" '^after disconnect: 0$' "disconnect unpublishes the endpoint's ports"
	t_match "$out" '^tables: 0$' "with the last network gone, no nft table is left"
}

t "a published port reaches the container from another namespace and from loopback" publish_reached
t "a port without a host port (-P) gets the first free one from 32768" random_host_port
t "a host port already taken is refused in docker's words, nothing published" port_taken_refused
t "unpublish and disconnect remove exactly the container's own ports" unpublish_exactly
t_end

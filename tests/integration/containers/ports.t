# tests/integration/containers/ports.t - `minirun run -p` and `-P`: a busybox httpd in a
# container reached through its published port from another namespace and from loopback;
# -P publishing every EXPOSEd port on a free host port; `minirun port`; docker's Ports in
# inspect; a port already taken refused in docker's words with nothing left behind.
# Each test runs in a throwaway namespace playing the host.
#   MR_TOP=$PWD sh tests/integration/containers/ports.t
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib_wiring.sh"

published_reached() {
	w_need
	out=$(w_host '
		inet=$(uplink)
		id=$(w_www web1 -p 8080:80) || die "run -p"
		echo "$id" >>"$R/.ids"
		w_wait_http 127.0.0.1:8080 || echo "no answer on 127.0.0.1:8080"
		echo "loopback: $(get 127.0.0.1:8080)"
		echo "other ns: $(get 198.51.100.1:8080 "$inet")"
		mr port web1 | sed "s/^/port: /"
		w_inspect web1 | tr -d " \n" | grep -o "\"Ports\":{[^}]*}" | sed "s/^/inspect: /"
		mr rm -f web1 >/dev/null || die "rm -f"
		echo "after rm: $(get 127.0.0.1:8080 | grep -c hello)"
		kill "$inet" && wait "$inet" 2>/dev/null # the "internet" namespace: the test'"'"'s own
		w_leaks') || t_fail "$out"
	t_match "$out" '^loopback: hello-web1$' "127.0.0.1:8080 reaches the container"
	t_match "$out" '^other ns: hello-web1$' "the host's address from another namespace reaches it"
	t_match "$out" '^port: 80/tcp -> 0\.0\.0\.0:8080$' "minirun port, as docker port prints it"
	t_match "$out" '"Ports":\{"80/tcp":\[\{"HostIp":"0\.0\.0\.0","HostPort":"8080"\}' "inspect's NetworkSettings.Ports"
	t_match "$out" '^after rm: 0$' "the port goes with the container"
	t_nomatch "$out" '^leak:'
}

publish_all() {
	w_need
	out=$(w_host '
		mr import -c "CMD [\"sh\"]" -c "EXPOSE 80" -c "EXPOSE 53/udp" "$BBTAR" exposed >/dev/null ||
			die "import exposed"
		id=$(mr run -d -P --name pa exposed sh -c \
			"mkdir /www && echo hello-pa >/www/index.html && exec httpd -f -p 80 -h /www") ||
			die "run -P"
		echo "$id" >>"$R/.ids"
		mr port pa | sort | sed "s/^/port: /"
		mr port pa 80/tcp | sed "s/^/port80: /"
		hp=$(mr port pa 80/tcp | sed "s/.*://")
		w_wait_http "127.0.0.1:$hp" || echo "no answer on $hp"
		echo "via $hp: $(get "127.0.0.1:$hp")"
		mr rm -f pa >/dev/null || die "rm -f"
		w_leaks') || t_fail "$out"
	t_match "$out" '^port: 80/tcp -> 0\.0\.0\.0:327[0-9][0-9]$' "-P publishes the exposed tcp port from 32768 on"
	t_match "$out" '^port: 53/udp -> 0\.0\.0\.0:327[0-9][0-9]$' "and the udp one"
	t_match "$out" '^port80: 0\.0\.0\.0:327[0-9][0-9]$' "port NAME 80/tcp prints the host side only"
	t_match "$out" '^via 327[0-9][0-9]: hello-pa$' "the picked port reaches httpd"
	t_nomatch "$out" '^leak:'
}

port_taken() {
	w_need
	out=$(w_host '
		id=$(w_www first -p 8080:80) || die "run first"
		echo "$id" >>"$R/.ids"
		before=$(ip -o link | grep -c mrv; nft list map ip minirun published; cat "$R/networks/bridge.json")
		mr run -d --name second -p 9090:80 -p 8080:80 busybox sleep 60 >"$R/out" 2>"$R/err"
		echo "rc=$?"
		echo "stdout: $(cat "$R/out")"
		sed "s/^/err: /" "$R/err"
		w_ids >>"$R/.ids"
		mr rm -f second >/dev/null 2>&1
		after=$(ip -o link | grep -c mrv; nft list map ip minirun published; cat "$R/networks/bridge.json")
		[ "$before" = "$after" ] && echo "unchanged"
		echo "first still: $(get 127.0.0.1:8080)"
		mr rm -f first >/dev/null || die "rm -f"
		w_leaks') || t_fail "$out"
	t_match "$out" '^err: minirun: driver failed programming external connectivity on endpoint second \([0-9a-f]{12}\): Bind for 0\.0\.0\.0:8080 failed: port is already allocated$' "docker's message"
	t_match "$out" '^rc=125$'
	t_match "$out" '^unchanged$' "no veth, published port (9090 included) or lease of the second is left"
	t_match "$out" '^first still: hello-first$' "the first container still answers"
	t_nomatch "$out" '^leak:'
}

t "a published port (-p 8080:80) reaches busybox httpd from another namespace and from loopback" published_reached
t "-P publishes every exposed port on a free host port; minirun port shows them" publish_all
t "a host port already taken: docker's message, exit 125, nothing of the new container left" port_taken
t_end

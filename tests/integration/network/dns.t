# tests/integration/network/dns.t - names by DNS on a user network (minirun/network/dns.h):
# the responder on the network's gateway answers container names, aliases and short IDs to
# busybox nslookup and ping and to glibc's getent, several addresses for a shared alias and a
# scaled compose service, forwards other names to a fake upstream on the test's loopback,
# refuses an asker of another network, and goes away with the last container and with
# `network rm`; --dns/--dns-search/--dns-option/--add-host in resolv.conf, hosts and
# inspect. Each test runs in a throwaway namespace playing the host (containers/lib.sh), so
# no query leaves it.
#   MR_TOP=$PWD sh tests/integration/network/dns.t
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

# inside: q PID NAME [TYPE] [tcp] - a query from PID's network namespace to the gateway of
# its first network, printed exactly (fakedns.py query); SERVER overrides the server
DNS_HELPERS='
FAKEDNS=$MR_TOP/tests/integration/network/fakedns.py
q() {
	_pid=$1; shift
	_gw=${SERVER:-$(nsenter -t "$_pid" -n ip -4 route show default | cut -d" " -f3)}
	[ -n "$_gw" ] || _gw=$(nsenter -t "$_pid" -n ip -4 -o addr show eth0 | sed "s/.*inet \([0-9.]*\)\.[0-9]*\/.*/\1.1/")
	nsenter -t "$_pid" -n python3 "$FAKEDNS" query "$_gw" "$@"
}
pid() { mr inspect -f "{{.State.Pid}}" "$1"; }
# upstream NAME=IP... - the fake host resolver on 127.0.0.1:53, and a resolv.conf naming it
upstream() {
	python3 "$FAKEDNS" 127.0.0.1 "$R.upstream" "$@" &
	echo $! >"$R.upstream.pid"
	_i=0; until [ -f "$R.upstream.ready" ] || [ $_i -gt 200 ]; do sleep 0.1; _i=$((_i + 1)); done
	[ -f "$R.upstream.ready" ] || die "the fake upstream did not start in 20 s"
	printf "nameserver 127.0.0.1\nsearch test.example\n" >"$R.resolv"
	mount --bind "$R.resolv" /etc/resolv.conf || die "bind resolv.conf"
}
# upstream_stop - the fake resolver gone, and the resolv.conf bind with it
upstream_stop() { kill "$(cat "$R.upstream.pid")" && wait "$(cat "$R.upstream.pid")"; umount /etc/resolv.conf; }
# responders - how many responders run, by their command line, once every responder a PID
# file names has started: dns_start returns when it is forked, before it has called exec and
# dropped its privileges (its bound sockets queue queries meanwhile), and a loaded machine
# may not have run it yet. Started = no_new_privs set (drop_privileges), or gone.
responders() {
	for _f in "$R"/networks/.dns/*[0-9a-f]; do
		[ -f "$_f" ] || continue
		_p=$(cut -d" " -f1 "$_f") _i=0
		while [ $_i -lt 200 ] && grep -q "^State:[[:space:]]*[^Z]" /proc/$_p/status 2>/dev/null &&
			! grep -q "^NoNewPrivs:[[:space:]]*1" /proc/$_p/status; do
			sleep 0.05; _i=$((_i + 1))
		done
	done
	ps -eo args | grep -c "^minirun .*network dns-serv[e]"
}
'

# dns_need - a test's store with networks, and python3 for fakedns.py
dns_need() {
	ct_need net
	command -v python3 >/dev/null || t_skip "python3 not installed"
}

names_answered() {
	dns_need
	out=$(ct_host "$DNS_HELPERS"'
		mr network create --subnet 10.91.0.0/24 n >/dev/null || die create
		id=$(mr run -d --name api --network n --network-alias db busybox sleep 60) || die run
		echo "responders: $(responders)"
		rp=$(cut -d" " -f1 $R/networks/.dns/*[0-9a-f])
		grep -E "^Cap(Eff|Prm)|^NoNewPrivs" /proc/$rp/status | sed "s/^/responder /"
		echo "responder cwd: $(readlink /proc/$rp/cwd) fds: $(ls /proc/$rp/fd | tr "\n" " ")"
		mr run --rm --network n busybox sh -c "cat /etc/resolv.conf | sed s/^/resolv:\ /
			nslookup api | sed s/^/api:\ /
			nslookup db | sed s/^/db:\ /
			nslookup $(echo $id | cut -c1-12) | sed s/^/short:\ /
			nslookup API.  | sed s/^/upper:\ /
			nslookup 10.91.0.2 | sed s/^/reverse:\ /
			ping -c 1 -W 2 api >/dev/null && echo ping: ok"
		c=$(mr run -d --network n busybox sleep 60) || die client
		p=$(pid $c)
		echo "udp: $(q $p api)"
		echo "tcp: $(q $p db 1 tcp)"
		echo "aaaa: $(q $p api 28)"
		rc=$(mr inspect -f "{{.ResolvConfPath}}" $c)
		nsenter -t $p -n unshare -m sh -c "mount --bind $rc /etc/resolv.conf && getent hosts api" | sed "s/^/getent: /"
		mr rm -f api $c >/dev/null || die rm
		echo "after rm: $(responders) $(ls $R/networks/.dns | wc -l)"
		mr network rm n >/dev/null || die "network rm"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^responders: 1$' "one responder for the network"
	t_match "$out" '^responder CapEff:[[:space:]]+0+$' "the responder holds no capability"
	t_match "$out" '^responder CapPrm:[[:space:]]+0+$'
	t_match "$out" '^responder NoNewPrivs:[[:space:]]+1$'
	t_match "$out" '^responder cwd: / fds: 0 1 2 3 4 $' "in /, with stdio and its two sockets only (no lock of ours)"
	t_match "$out" '^resolv: nameserver 10\.91\.0\.1$' "resolv.conf names the responder"
	t_match "$out" '^resolv: options ndots:0$' "and docker's ndots:0"
	t_eq "$(printf '%s\n' "$out" | grep -c '^resolv: nameserver')" 1 "one nameserver only"
	t_match "$out" '^api: Address: 10\.91\.0\.2$' "nslookup NAME"
	t_match "$out" '^db: Address: 10\.91\.0\.2$' "nslookup ALIAS"
	t_match "$out" '^short: Address: 10\.91\.0\.2$' "nslookup SHORT-ID"
	t_match "$out" '^upper: Address: 10\.91\.0\.2$' "names are case-insensitive"
	t_match "$out" '^reverse: 2\.0\.91\.10\.in-addr\.arpa[[:space:]]+name = api\.n$' "nslookup ADDRESS: CONTAINER.NETWORK, as docker"
	t_match "$out" '^ping: ok$' "busybox ping NAME"
	t_match "$out" '^udp: rcode=0 aa=1 an=1 10\.91\.0\.2$'
	t_match "$out" '^tcp: rcode=0 aa=1 an=1 10\.91\.0\.2$' "over TCP too"
	t_match "$out" '^aaaa: rcode=0 aa=0 an=0 $' "AAAA of a known name: NOERROR, no answer (docker's)"
	t_match "$out" '^getent: 10\.91\.0\.2 +api$' "glibc's getent hosts, through DNS"
	t_match "$out" '^after rm: 0 0$' "the last container gone, the responder and its file are gone"
	t_nomatch "$out" '^leak:'
}

several_addresses() {
	dns_need
	out=$(ct_host "$DNS_HELPERS"'
		mr network create --subnet 10.91.1.0/24 n >/dev/null || die create
		mr run -d --name w1 --network n --network-alias web busybox sleep 60 >/dev/null || die w1
		mr run -d --name w2 --network n --network-alias web busybox sleep 60 >/dev/null || die w2
		c=$(mr run -d --network n busybox sleep 60) || die client
		echo "web: $(q $(pid $c) web)"
		mr exec $c nslookup web | grep -c "^Address: 10\.91\.1\." | sed "s/^/nslookup: /"
		mr rm -f w1 >/dev/null # the one whose start started the responder
		echo "one left: $(q $(pid $c) web)"
		mr rm -f w2 $c >/dev/null && mr network rm n >/dev/null || die cleanup
		ct_leaks') || t_fail "$out"
	t_match "$out" '^web: rcode=0 aa=1 an=2 10\.91\.1\.2,10\.91\.1\.3$' "two containers with one alias: both addresses"
	t_match "$out" '^nslookup: 2$'
	t_match "$out" '^one left: rcode=0 aa=1 an=1 10\.91\.1\.3$' "the records are read at each query; the responder outlives the container that started it"
	t_nomatch "$out" '^leak:'
}

compose_scaled() {
	ct_need net
	out=$(ct_host '
		mkdir -p $R/../demo && cd $R/../demo || die cd
		printf "services:\n  web:\n    image: busybox\n    command: sleep 300\n  client:\n    image: busybox\n    command: sleep 300\n" >compose.yaml
		mr compose -p demo up -d --scale web=3 2>/dev/null || die "up"
		mr exec demo-client-1 nslookup web | grep -c "^Address: 10\." | sed "s/^/web: /"
		mr exec demo-client-1 nslookup demo-web-2 | grep -c "^Address: 10\." | sed "s/^/one: /"
		mr compose -p demo down -t 0 2>/dev/null || die down
		ct_leaks') || t_fail "$out"
	t_match "$out" '^web: 3$' "a scaled service's name answers with every replica"
	t_match "$out" '^one: 1$' "a container's own name with one"
	t_nomatch "$out" '^leak:'
}

forwarded() {
	dns_need
	out=$(ct_host "$DNS_HELPERS"'
		upstream outside.example=192.0.2.7
		mr network create --subnet 10.91.2.0/24 n >/dev/null || die create
		mr network create --subnet 10.91.3.0/24 --internal closed >/dev/null || die create
		mr run -d --name api --network n busybox sleep 60 >/dev/null || die run
		c=$(mr run -d --network n busybox sleep 60) || die client
		echo "outside: $(q $(pid $c) outside.example)"
		echo "tcp outside: $(q $(pid $c) outside.example 1 tcp)"
		echo "nosuch: $(q $(pid $c) nosuch.example)"
		mr exec $c nslookup outside.example | grep "^Address: 192" | sed "s/^/nslookup: /"
		mr exec $c cat /etc/resolv.conf | sed "s/^/resolv: /"
		i=$(mr run -d --network closed busybox sleep 60) || die internal
		echo "internal: $(q $(pid $i) outside.example)"
		d=$(mr run -d --network n --dns 127.0.0.9 busybox sleep 60) || die dns
		echo "own dns: $(q $(pid $d) outside.example)"
		mr exec $d cat /etc/resolv.conf | sed "s/^/dns resolv: /"
		# a server that takes queries and never answers: SERVFAIL after its 2 s
		python3 -c "import socket,time; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind((\"127.0.0.2\",53)); open(\"$R.silent\",\"w\").close(); time.sleep(30)" &
		sp=$!
		j=0; until [ -f $R.silent ] || [ $j -gt 200 ]; do sleep 0.1; j=$((j + 1)); done
		[ -f $R.silent ] || die "the silent server did not start in 20 s"
		e=$(mr run -d --network n --dns 127.0.0.2 busybox sleep 60) || die silent
		echo "silent: $(FAKEDNS_TIMED=1 q $(pid $e) outside.example)"
		kill $sp; wait $sp 2>/dev/null
		mr rm -f $e >/dev/null
		cat $R.upstream | sed "s/^/upstream saw: /"
		mr rm -f api $c $i $d >/dev/null && mr network rm n closed >/dev/null || die cleanup
		upstream_stop
		ct_leaks') || t_fail "$out"
	t_match "$out" '^outside: rcode=0 aa=0 an=1 192\.0\.2\.7$' "another name: the upstream's answer"
	t_match "$out" '^tcp outside: rcode=0 aa=0 an=1 192\.0\.2\.7$' "over TCP too"
	# 2 s or more (the responder's wait), and an answer before the client gives up at 10;
	# timed by the client from its query on, so a loaded machine's slow starts don't count
	t_match "$out" '^silent: rcode=2 aa=0 an=0  after [2-9] s$' "an upstream that never answers: SERVFAIL after 2 s"
	t_match "$out" '^nosuch: rcode=3 aa=0 an=0 $' "the upstream's NXDOMAIN, relayed"
	t_match "$out" '^nslookup: Address: 192\.0\.2\.7$'
	t_match "$out" '^resolv: search test\.example$' "the host's search domains are kept"
	t_match "$out" '^internal: rcode=2 aa=0 an=0 $' "an --internal network forwards nothing: SERVFAIL"
	t_match "$out" '^own dns: rcode=2 aa=0 an=0 $' "--dns on a user network: those upstreams, not the host's"
	t_match "$out" '^dns resolv: nameserver 10\.91\.2\.1$' "--dns leaves the responder in resolv.conf"
	t_nomatch "$out" '^upstream saw: api ' "container names are never forwarded"
	t_match "$out" '^upstream saw: outside\.example 1$'
	t_nomatch "$out" '^leak:'
}

other_network() {
	dns_need
	out=$(ct_host "$DNS_HELPERS"'
		upstream
		mr network create --subnet 10.91.4.0/24 a >/dev/null || die create
		mr network create --subnet 10.91.5.0/24 b >/dev/null || die create
		mr run -d --name api --network a busybox sleep 60 >/dev/null || die run
		c=$(mr run -d --network b busybox sleep 60) || die client
		echo "own gateway: $(q $(pid $c) api)"
		echo "their gateway: $(SERVER=10.91.4.1 q $(pid $c) api)"
		mr run --rm --network bridge busybox cat /etc/resolv.conf | sed "s/^/bridge: /"
		echo "bridge gateway: $(mr run --rm --network bridge busybox nslookup api 10.88.0.1 2>&1 | grep -c 10.91)"
		echo "responders: $(responders)"
		mr network connect a $c || die connect
		echo "connected: $(q $(pid $c) api)"
		l=$(mr run -d busybox sleep 60) || die "run on the default bridge"
		mr network connect a $l || die "connect the bridge one"
		mr exec $l grep ^nameserver /etc/resolv.conf | sed "s/^/late: /"
		mr exec $l nslookup api. | grep "^Address: 10" | sed "s/^/late: /"
		mr restart -t 0 $l >/dev/null || die restart
		mr exec $l grep ^nameserver /etc/resolv.conf | sed "s/^/restarted: /"
		mr rm -f api $c $l >/dev/null && mr network rm a b >/dev/null || die cleanup
		upstream_stop
		ct_leaks') || t_fail "$out"
	t_match "$out" '^own gateway: rcode=3 aa=0 an=0 $' "a container of another network is no name (the upstream says NXDOMAIN)"
	t_match "$out" '^their gateway: rcode=5 aa=0 an=0 $' "another network's responder refuses a stranger"
	t_match "$out" '^bridge: search test\.example$' "the default bridge keeps the host's resolv.conf (here a test's)"
	t_match "$out" '^bridge: nameserver 8\.8\.8\.8$' "without its loopback server: docker's fallback"
	t_nomatch "$out" '^bridge: nameserver 10\.' "no responder on the default bridge"
	t_match "$out" '^bridge gateway: 0$' "nothing answers on the default bridge's gateway"
	t_match "$out" '^responders: 2$' "one responder per user network"
	t_match "$out" '^connected: rcode=0 aa=1 an=1 10\.91\.4\.2$' "after network connect, the name is known"
	t_match "$out" '^late: nameserver 10\.91\.4\.1$' "a default-bridge container connected to a user network: its responder, as docker switches to 127.0.0.11"
	t_match "$out" '^late: Address: 10\.91\.4\.2$'
	t_match "$out" '^restarted: nameserver 10\.91\.4\.1$' "and after a restart"
	t_nomatch "$out" '^leak:'
}

responder_killed() {
	dns_need
	out=$(ct_host "$DNS_HELPERS"'
		mr network create --subnet 10.91.6.0/24 n >/dev/null || die create
		mr run -d --name api --network n busybox sleep 60 >/dev/null || die run
		p1=$(cut -d" " -f1 $R/networks/.dns/*) || die "no PID file"
		kill -9 $p1
		c=$(mr run -d --network n busybox sleep 60) || die client
		p2=$(cut -d" " -f1 $R/networks/.dns/*)
		[ "$p1" != "$p2" ] && echo "restarted: $(responders)"
		echo "answers: $(q $(pid $c) api)"
		mr network disconnect n $c >/dev/null || die disconnect
		mr network disconnect n api >/dev/null || die disconnect
		echo "disconnected: $(responders) $(ls $R/networks/.dns | wc -l)"
		mr network connect n api >/dev/null || die connect
		echo "connected: $(responders)"
		kill -9 $(cut -d" " -f1 $R/networks/.dns/*)
		mr rm -f api $c >/dev/null || die rm
		echo "pid files: $(ls $R/networks/.dns | wc -l)"
		# the monitor of the last container killed: rm -f still stops the responder
		mr run -d --name solo --network n busybox sleep 60 >/dev/null || die solo
		kill -9 $(mr inspect -f "{{.Minirun.MonitorPid}}" solo)
		mr rm -f solo >/dev/null || die "rm -f after a killed monitor"
		echo "killed monitor, rm -f: $(responders) $(ls $R/networks/.dns | wc -l)"
		id=$(mr network inspect -f "{{.Id}}" n)
		echo "99999999 1" >$R/networks/.dns/$id
		mr network rm n >/dev/null || die "network rm"
		echo "after network rm: $(responders) $(ls $R/networks/.dns | wc -l)"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^restarted: 1$' "a responder killed with SIGKILL: the next connect starts another"
	t_match "$out" '^answers: rcode=0 aa=1 an=1 10\.91\.6\.2$'
	t_match "$out" '^disconnected: 0 0$' "network disconnect of the last container stops it"
	t_match "$out" '^connected: 1$' "network connect starts it again"
	t_match "$out" '^pid files: 0$' "rm of the last container removes a dead one's PID file"
	t_match "$out" '^killed monitor, rm -f: 0 0$' "rm -f of a container whose monitor was killed stops it too"
	t_match "$out" '^after network rm: 0 0$' "network rm removes a stale one"
	t_nomatch "$out" '^leak:'
}

# the responder is handed its sockets as fds 3 and 4 wherever its starter had them: here
# the starter (network connect, without the fd 10 dash keeps open) inherits 0 to 7 more fds
# of the shell, which moves its two sockets from 6 and 7 up to 14 and 15, across 10 and
# 11, the fds the responder-to-be once moved them through (TCP on 10 was closed by UDP's
# move, and that responder refused every TCP query)
sockets_in_place() {
	dns_need
	out=$(ct_host "$DNS_HELPERS"'
		mr network create --subnet 10.91.9.0/24 n >/dev/null || die create
		mr run -d --name api --network n busybox sleep 60 >/dev/null || die run
		p=$(pid api)
		for k in 2 3 4 5 6 7 8 9; do
			[ $k = 2 ] || eval "exec $k</dev/null"
			mr network disconnect n api >/dev/null || die disconnect
			python3 -c "import os, sys; os.closerange(10, 11); os.execv(sys.argv[1], sys.argv[1:])" \
				"$MINIRUN" --root "$R" network connect n api >/dev/null || die connect
			echo "fds 0-$k: $(q $p api 1 tcp) $(q $p api)"
		done
		mr rm -f api >/dev/null && mr network rm n >/dev/null || die cleanup
		ct_leaks') || t_fail "$out"
	t_eq "$(printf '%s\n' "$out" | grep -c '^fds 0-[0-9]: rcode=0 aa=1 an=1 10\.91\.9\.2 rcode=0 aa=1 an=1 10\.91\.9\.2$')" 8 \
		"TCP and UDP answered, whatever the starter's fds: $out"
	t_nomatch "$out" '^leak:'
}

bad_input() {
	dns_need
	out=$(ct_host "$DNS_HELPERS"'
		mr network dns-serve >/dev/null 2>&1; echo "no network: rc $?"
		mr network dns-serve nosuch 2>&1 | sed "s/^/nosuch: /"
		mr network create --subnet 10.91.8.0/24 n >/dev/null || die create
		mr run -d --name api --network n busybox sleep 60 >/dev/null || die run
		mr network dns-serve n 2>&1 | sed "s/^/second: /"
		c=$(mr run -d --network n busybox sleep 60) || die client
		# a socket each, all sent at once: the two left unanswered wait out one 2 s together
		nsenter -t $(pid $c) -n python3 -c "
import select, socket, time
socks = []
for name, msg in ((\"garbage\", b\"\\x12\\x34\\x01\\x00\\x00\\x01\" + bytes(6) + b\"\\x3fa\"), (\"short\", b\"\\x01\\x02\"),
                  (\"response\", b\"\\x12\\x34\\x81\\x80\" + bytes(8))):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(msg, (\"10.91.8.1\", 53))
    socks.append((name, s))
got = {}
end = time.monotonic() + 2
while len(got) < len(socks) and time.monotonic() < end:
    ready = select.select([s for n, s in socks if n not in got], [], [], max(0, end - time.monotonic()))[0]
    for n, s in socks:
        if s in ready:
            try:
                got[n] = s.recv(512)
            except OSError:
                got[n] = None
for name, s in socks:
    r = got.get(name)
    if r:
        print(name, \"rcode=%d id=%02x%02x\" % (r[3] & 15, r[0], r[1]))
    else:
        print(name, \"no answer\")
"
		echo "still answers: $(q $(pid $c) api)"
		mr rm -f api $c >/dev/null && mr network rm n >/dev/null || die cleanup
		ct_leaks') || t_fail "$out"
	t_match "$out" '^no network: rc 125$'
	t_match "$out" '^nosuch: minirun: network nosuch not found$'
	t_match "$out" '^second: minirun: bind 10\.91\.8\.1:53/udp: Address already in use$' "a second responder by hand: the port is taken"
	t_match "$out" '^garbage rcode=1 id=1234$' "a query that does not parse: FORMERR"
	t_match "$out" '^short no answer$' "no header: nobody to answer"
	t_match "$out" '^response no answer$' "a response is not answered"
	t_match "$out" '^still answers: rcode=0 aa=1 an=1 10\.91\.8\.2$'
	t_nomatch "$out" '^leak:'
}

flags_written() {
	ct_need net
	out=$(ct_host '
		printf "nameserver 127.0.0.53\nnameserver 10.0.0.1\nsearch host.example\noptions edns0\n" >$R.resolv
		mount --bind $R.resolv /etc/resolv.conf || die bind
		mr run --rm busybox cat /etc/resolv.conf | sed "s/^/plain: /"
		mr run --rm --dns 10.0.0.2 --dns 10.0.0.3 --dns-search corp.example --dns-option ndots:2 \
			--add-host db:10.0.0.5 --add-host gw:host-gateway busybox \
			sh -c "cat /etc/resolv.conf | sed s/^/flags:\ /; cat /etc/hosts | sed s/^/hosts:\ /"
		mr run --rm --dns-search . busybox cat /etc/resolv.conf | sed "s/^/dot: /"
		mr network create --subnet 10.91.7.0/24 n >/dev/null || die create
		mr run --rm --network n --dns-option ndots:3 --add-host gw:host-gateway busybox \
			sh -c "cat /etc/resolv.conf | sed s/^/user:\ /; grep gw /etc/hosts | sed s/^/user\ hosts:\ /"
		mr run --rm --network host --add-host db:10.0.0.5 busybox tail -n 1 /etc/hosts | sed "s/^/host: /"
		id=$(mr create --dns 10.0.0.2 --dns-search corp.example --dns-option ndots:2 --add-host db:10.0.0.5 busybox) || die create
		mr inspect -f "{{json .HostConfig.Dns}} {{json .HostConfig.DnsSearch}} {{json .HostConfig.DnsOptions}} {{json .HostConfig.ExtraHosts}}" $id | sed "s/^/inspect: /"
		id2=$(mr create busybox) || die create
		mr inspect -f "{{json .HostConfig.Dns}} {{json .HostConfig.DnsSearch}} {{json .HostConfig.DnsOptions}} {{json .HostConfig.ExtraHosts}}" $id2 | sed "s/^/inspect none: /"
		for bad in "--dns 10.0.0" "--dns-search bad_domain" "--add-host db" "--add-host :10.0.0.1" "--add-host db:10.0.0"; do
			mr run --rm $bad busybox true 2>&1 | sed "s/^/bad: /"
		done
		mr rm $id $id2 >/dev/null && mr network rm n >/dev/null || die cleanup
		umount /etc/resolv.conf
		ct_leaks') || t_fail "$out"
	t_match "$out" '^plain: nameserver 10\.0\.0\.1$' "no flag: the host file"
	t_nomatch "$out" '^plain: nameserver 127\.' "without its loopback nameservers"
	t_match "$out" '^plain: options edns0$'
	t_match "$out" '^flags: search corp\.example$' "--dns-search"
	t_match "$out" '^flags: nameserver 10\.0\.0\.2$' "--dns"
	t_match "$out" '^flags: nameserver 10\.0\.0\.3$'
	t_nomatch "$out" '^flags: nameserver 10\.0\.0\.1$' "--dns replaces the host's servers"
	t_match "$out" '^flags: options ndots:2$' "--dns-option"
	t_match "$out" '^hosts: 10\.0\.0\.5	db$' "--add-host NAME:IP"
	t_match "$out" '^hosts: 10\.88\.0\.1	gw$' "--add-host NAME:host-gateway: the gateway"
	t_match "$out" '^dot: nameserver 10\.0\.0\.1$'
	t_nomatch "$out" '^dot: search' "--dns-search . : no search line"
	t_match "$out" '^user: search host\.example$'
	t_match "$out" '^user: nameserver 10\.91\.7\.1$'
	t_match "$out" '^user: options ndots:3$' "an ndots of the user's, no ndots:0 added"
	t_match "$out" '^user hosts: 10\.91\.7\.1	gw$' "host-gateway on a user network: its gateway"
	t_match "$out" '^host: 10\.0\.0\.5	db$' "--network host: the line after the host's own"
	t_match "$out" '^inspect: \["10\.0\.0\.2"\] \["corp\.example"\] \["ndots:2"\] \["db:10\.0\.0\.5"\]$'
	t_match "$out" '^inspect none: \[\] \[\] \[\] null$' "docker's empty values"
	t_match "$out" '^bad: minirun: invalid argument "10\.0\.0" for "--dns" flag: 10\.0\.0 is not an ip address$'
	t_match "$out" '^bad: minirun: invalid argument "bad_domain" for "--dns-search" flag: bad_domain is not a valid domain$'
	t_match "$out" '^bad: minirun: invalid argument "db" for "--add-host" flag: bad format for add-host: "db"$'
	t_match "$out" '^bad: minirun: invalid argument ":10\.0\.0\.1" for "--add-host" flag: bad format for add-host: ":10\.0\.0\.1"$'
	t_match "$out" '^bad: minirun: invalid argument "db:10\.0\.0" for "--add-host" flag: invalid IP address in add-host: "10\.0\.0"$'
	t_nomatch "$out" '^leak:'
}

t "containers find each other by name, alias and short ID through nslookup, ping, getent" names_answered
t "two containers with one alias: the name answers with both addresses" several_addresses
t "compose up --scale web=3: the service name answers with three addresses" compose_scaled
t "other names go to the host's resolver (a fake one on loopback); --internal and --dns change that" forwarded
t "a container of another network is no name; another network's responder refuses it" other_network
t "a killed responder is replaced at the next connect; disconnect and network rm leave none" responder_killed
t "the responder's sockets are fds 3 and 4, whatever fds its starter had: TCP and UDP answer" sockets_in_place
t "dns-serve by hand, garbage, a response: refused or ignored, the responder goes on" bad_input
t "--dns, --dns-search, --dns-option, --add-host: resolv.conf, hosts and inspect as docker's" flags_written
t_end

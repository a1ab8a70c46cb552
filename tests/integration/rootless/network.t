# tests/integration/rootless/network.t - user-defined networks of an ordinary user: the
# bridge and veths in the user's own network namespace (minirun/rootless/netns.c), two
# containers reaching each other by name, -p reached from the host's loopback through a
# pasta attached to that namespace, connect/disconnect, a killed pause process, system
# prune and compose, --mac-address, `network rm` taking the namespace away with the last network, and
# nothing left behind. The suite runs in a throwaway network namespace that
# plays the host (a veth eth0 with a default route, so pasta finds an interface to copy),
# so the machine's own interfaces are never involved.
#   MR_TOP=$PWD sh tests/integration/rootless/network.t
# shellcheck disable=SC2016 # the scripts in single quotes run as the user: $M, $TAR there
if [ -z "${RL_NET_HOST:-}" ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null &&
	RL_NET_HOST=1 unshare -n true 2>/dev/null; then
	RL_NET_HOST=1 exec unshare -n sh "$0" "$@"
fi
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/rootless/lib.sh"

# the host this suite plays: lo, and eth0 (a veth, its peer up beside it) with 192.0.2.2/24 and a default route
net_host_up() {
	[ -n "${RL_NET_HOST:-}" ] || t_skip "needs root and unshare -n (a namespace playing the host)"
	ip link show eth0 >/dev/null 2>&1 && return 0
	ip link set lo up && ip link add eth0 type veth peer name eth0p &&
		ip link set eth0p up && ip addr add 192.0.2.2/24 dev eth0 &&
		ip link set eth0 up && ip route add default via 192.0.2.1 ||
		t_skip "cannot make an eth0 in the namespace playing the host"
}

# rl_wget URL - GET URL from here (the host), retrying for 5 s; the body
rl_wget() {
	_i=0
	while [ $_i -lt 50 ]; do
		timeout 2 busybox wget -q -O- "$1" 2>/dev/null && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# rl_netns ARGS... - run ARGS in the user's network namespace (as root, for checks)
rl_netns() { nsenter -t "$(rl_pause)" -m -- nsenter --net="$RL_RUN/minirun/netns" -- "$@"; }

two_by_name() {
	rl_need
	net_host_up
	t_need pasta busybox nsenter ip
	rl_user
	rl_devs tun
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	links_before=$(ip -o link | awk -F': ' '{ print $2 }' | sort | tr '\n' ' ')
	out=$(rl '$M network create web' 2>&1) || t_fail "network create: $out"
	t_match "$out" '^[0-9a-f]{64}$' "network create's output"
	t_eq "$(ip -o link | awk -F': ' '{ print $2 }' | sort | tr '\n' ' ')" "$links_before" \
		"links of the host after network create"
	grep -q " $RL_RUN/minirun/netns " /proc/"$(rl_pause)"/mountinfo ||
		t_fail "the user's network namespace is not mounted in its mount namespace"
	t_match "$(rl_netns ip -o link show)" ': mr-[0-9a-f]{12}[:@]' \
		"a bridge in the user's network namespace"
	t_match "$(rl_procs)" ' pas(ta|st)' "the pasta of the user's network namespace"
	srv=$(rl '$M run -d --name srv --network web busybox sh -c \
		"mkdir /www && echo hello-by-name >/www/index.html && httpd -f -p 80 -h /www"') ||
		t_fail "run -d srv: $srv"
	got=$(rl '$M run --rm --network web busybox sh -c "grep -w srv /etc/hosts >/dev/null &&
		wget -q -O- http://srv/"' 2>&1)
	t_eq "$got" hello-by-name "GET http://srv/ from a second container on web"
	t_match "$(rl '$M inspect -f "{{.NetworkSettings.Networks.web.IPAddress}}" srv')" \
		'^10\.89\.0\.[0-9]+$' "srv's address on web"
	rl '$M rm -f srv' >/dev/null || t_fail "rm -f srv failed"
	out=$(rl '$M network rm web' 2>&1) || t_fail "network rm: $out"
	rl_settle
	t_eq "$(rl_procs | awk '{ print $2 }')" minirun-pause "the user's processes after network rm"
	t_eq "$(grep -c " $RL_RUN/minirun/netns " /proc/"$(rl_pause)"/mountinfo)" 0 \
		"the user's network namespace after its last network went"
	t_eq "$(rl '$M network ls -q | wc -l')" 3 "networks after rm (bridge, host, none)"
}
t "two rootless containers on a user network reach each other by name; rm takes it all" \
	two_by_name

published() {
	rl_need
	net_host_up
	t_need pasta busybox
	rl_user
	rl_devs tun
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	rl '$M network create pub >/dev/null' || t_fail "network create failed"
	port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000))
	id=$(rl '$M run -d --network pub -p 127.0.0.1:'"$port"':80 busybox sh -c \
		"mkdir -p /www && echo hello-published >/www/index.html && httpd -f -p 80 -h /www"') ||
		t_fail "run -d -p: $id"
	t_match "$(rl '$M port '"$id")" "^80/tcp -> 127.0.0.1:$port\$" "port"
	got=$(rl_wget "http://127.0.0.1:$port/")
	t_eq "$got" hello-published "GET http://127.0.0.1:$port/ from the host"
	# a second container publishing the same host port: refused, nothing made
	out=$(rl '$M run -d --network pub -p 127.0.0.1:'"$port"':80 busybox sleep 60' 2>&1) &&
		t_fail "a second -p $port worked: $out"
	t_eq "$(rl '$M ps -q | wc -l')" 1 "containers running after the refused one"
	out=$(rl '$M run --rm --network pub -p 192.0.2.2:'"$((port + 1))"':80 busybox true' 2>&1) &&
		t_fail "-p on another host address worked: $out"
	t_match "$out" 'published on every host address or on 127.0.0.1 only' \
		"-p on another host address, rootless"
	# stop ends the port's pasta; start makes it again (-t 0: httpd as PID 1 ignores
	# SIGTERM, and -t 1 only waited out its second)
	rl '$M stop -t 0 '"$id" >/dev/null || t_fail "stop failed"
	t_eq "$(timeout 2 busybox wget -q -O- "http://127.0.0.1:$port/" 2>/dev/null ||
		echo refused)" refused "GET after stop"
	rl '$M start '"$id" >/dev/null || t_fail "start failed"
	t_eq "$(rl_wget "http://127.0.0.1:$port/")" hello-published "GET after start"
	# -P: a free host port for an exposed one
	id2=$(rl '$M run -d --network pub --expose 8080 -P busybox sh -c \
		"mkdir /www && echo hello-P >/www/index.html && httpd -f -p 8080 -h /www"') ||
		t_fail "run -d -P: $id2"
	p2=$(rl '$M port '"$id2"' 8080/tcp' | sed -n 's/^0\.0\.0\.0:\([0-9]*\)$/\1/p')
	t_match "$p2" '^[0-9]+$' "the host port -P chose"
	t_eq "$(rl_wget "http://127.0.0.1:$p2/")" hello-P "GET http://127.0.0.1:$p2/ (-P)"
	rl '$M rm -f '"$id2" >/dev/null || t_fail "rm -f -P's container failed"
	rl '$M rm -f '"$id" >/dev/null || t_fail "rm -f failed"
	t_eq "$(timeout 2 busybox wget -q -O- "http://127.0.0.1:$port/" 2>/dev/null ||
		echo refused)" refused "GET after rm -f"
	rl '$M rm -f $($M ps -aq) >/dev/null 2>&1; $M network rm pub' >/dev/null ||
		t_fail "network rm failed"
	rl_settle
	t_eq "$(rl_procs | awk '{ print $2 }')" minirun-pause "the user's processes after rm"
}
t "rootless -p (and -P) on a user network reach the container via pasta; stop/start too" \
	published

refused_in_use() {
	rl_need
	net_host_up
	t_need pasta busybox
	rl_user
	rl_devs tun
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	rl '$M network create busy >/dev/null' || t_fail "network create failed"
	id=$(rl '$M run -d --network busy busybox sleep 100') || t_fail "run -d: $id"
	out=$(rl '$M network rm busy' 2>&1) && t_fail "rm of a network in use worked"
	t_match "$out" 'has active endpoints' "network rm while connected"
	grep -q " $RL_RUN/minirun/netns " /proc/"$(rl_pause)"/mountinfo ||
		t_fail "the namespace went while a network was in use"
	rl '$M rm -f '"$id"' >/dev/null && $M network rm busy >/dev/null' ||
		t_fail "rm -f, network rm failed"
	t_eq "$(grep -c " $RL_RUN/minirun/netns " /proc/"$(rl_pause)"/mountinfo)" 0 \
		"the user's network namespace after its last network went"
}
t "rootless network rm is refused while a container is on it, and the namespace stays" \
	refused_in_use

connect_second() {
	rl_need
	net_host_up
	t_need pasta busybox
	rl_user
	rl_devs tun
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	rl '$M network create front >/dev/null && $M network create back >/dev/null' ||
		t_fail "network create failed"
	rl '$M run -d --name api --network back busybox sleep 100 >/dev/null' || t_fail "run api"
	# --dns 127.0.0.1: the names the networks' responder doesn't know (api, before the
	# connect and after the disconnect) go on to an upstream that refuses at once, not
	# to the host's, unreachable from the namespace playing the host: 2 s per query
	rl '$M run -d --name web --network front --dns 127.0.0.1 busybox sleep 100 >/dev/null' ||
		t_fail "run web"
	out=$(rl '$M exec web ping -c 1 -W 1 api' 2>&1) && t_fail "api reached before connect: $out"
	out=$(rl '$M network connect back web' 2>&1) || t_fail "network connect: $out"
	out=$(rl '$M exec web ping -c 1 -W 2 api' 2>&1) || t_fail "ping api after connect: $out"
	t_match "$out" '1 packets received' "ping api from web, on back now"
	t_match "$(rl '$M exec web ip -o -4 addr show')" 'eth1 +inet 10\.89\.' \
		"web's second interface"
	out=$(rl '$M network disconnect back web' 2>&1) || t_fail "network disconnect: $out"
	out=$(rl '$M exec web ping -c 1 -W 1 api' 2>&1) && t_fail "api reached after disconnect"
	rl '$M rm -f web api >/dev/null && $M network rm front back >/dev/null' ||
		t_fail "rm, network rm failed"
	t_eq "$(nft list tables 2>/dev/null)" "" "nft tables of the host after it all"
	t_eq "$(grep -c " $RL_RUN/minirun/netns " /proc/"$(rl_pause)"/mountinfo)" 0 \
		"the user's network namespace after its last network went"
}
t "rootless network connect puts a running container on a second network; disconnect undoes" \
	connect_second

pause_killed() {
	rl_need
	net_host_up
	t_need pasta busybox
	rl_user
	rl_devs tun
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	rl '$M network create gone >/dev/null' || t_fail "network create failed"
	id=$(rl '$M run -d --network gone busybox sleep 100') || t_fail "run -d: $id"
	# the pause process killed (a reboot, an OOM kill): its namespaces go, with the
	# user's network namespace mounted in them; the container is out of reach, as podman's
	for p in $(rl_procs | awk '{ print $1 }'); do kill -9 "$p"; done
	# until the killed are gone: no process of the user's is left, not even a pause
	# process (rm -f below starts the next), so "" and not rl_settle's default
	rl_settle ""
	out=$(rl '$M rm -f '"$id" 2>&1) || t_fail "rm -f after the pause process died: $out"
	t_eq "$(rl '$M network inspect -f "{{len .Containers}}" gone')" 0 \
		"endpoints left on gone after rm -f"
	# (no new namespace, no pasta, just to remove: the new pause process's mount
	# namespace has no /dev/net/tun the user may open here, so pasta would fail)
	out=$(rl '$M network rm gone' 2>&1) || t_fail "network rm: $out"
	rl_settle
	t_eq "$(rl_procs | awk '{ print $2 }')" minirun-pause "the user's processes after it all"
	t_eq "$(grep -c " $RL_RUN/minirun/netns " /proc/"$(rl_pause)"/mountinfo)" 0 \
		"the new user's network namespace after its last network went"
}
t "after the pause process is killed, rm -f and network rm still clean the records" \
	pause_killed

system_prune() {
	rl_need
	net_host_up
	t_need pasta busybox
	rl_user
	rl_devs tun
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	rl '$M network create old >/dev/null && $M run --network old busybox true' ||
		t_fail "network create, run failed"
	out=$(rl '$M system prune -f' 2>&1) || t_fail "system prune: $out"
	t_eq "$(rl '$M ps -aq')" "" "containers after system prune"
	t_eq "$(rl '$M network ls -q | wc -l')" 3 "networks after system prune (bridge, host, none)"
	rl_settle
	t_eq "$(rl_procs | awk '{ print $2 }')" minirun-pause "the user's processes after prune"
	t_eq "$(grep -c " $RL_RUN/minirun/netns " /proc/"$(rl_pause)"/mountinfo)" 0 \
		"the user's network namespace after system prune"
}
t "rootless system prune removes a user network with its container, and the namespace" \
	system_prune

no_tun() {
	rl_need
	[ "$(stat -c %a /dev/net/tun 2>/dev/null)" = 600 ] ||
		t_skip "/dev/net/tun is open to users here (mode $(stat -c %a /dev/net/tun))"
	command -v pasta >/dev/null || command -v slirp4netns >/dev/null ||
		t_skip "needs pasta or slirp4netns"
	rl_user
	rl '$M images >/dev/null' || t_fail "images failed"
	out=$(rl '$M network create web' 2>&1)
	t_eq "$?" 125 "exit code"
	t_eq "$out" "minirun: rootless user-defined networks need /dev/net/tun, which you may not \
open (Permission denied): as root, chmod 0666 /dev/net/tun (what udev does)" "the refusal"
	t_eq "$(rl '$M network ls -q | wc -l')" 3 "networks after the refusal"
	t_eq "$(grep -c " $RL_RUN/minirun/netns " /proc/"$(rl_pause)"/mountinfo)" 0 \
		"the user's network namespace after the refusal"
	t_eq "$(find "$RL_RUN/minirun" -maxdepth 1 -name 'netns*')" "" "files of a namespace"
}
t "rootless network create where /dev/net/tun is closed to users: one line, nothing made" \
	no_tun

compose_by_name() {
	rl_need
	net_host_up
	t_need pasta
	rl_user
	rl_devs tun
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	mkdir -p "$RL_HOME/proj" && cat >"$RL_HOME/proj/compose.yml" <<'EOF'
services:
  web:
    image: busybox
    command: ["sh", "-c", "mkdir -p /www && echo hello-compose >/www/index.html && httpd -f -p 80 -h /www"]
  client:
    image: busybox
    command: ["sleep", "100"]
EOF
	chown -R "$RL_USER:" "$RL_HOME/proj"
	out=$(rl 'cd $HOME/proj && $M compose up -d' 2>&1) || t_fail "compose up: $out"
	t_match "$out" 'Network proj_default +Created' "compose up"
	got=$(rl 'cd $HOME/proj && i=0; while [ $i -lt 30 ]; do
		$M compose exec client wget -q -O- http://web/ 2>/dev/null && break
		sleep 0.2; i=$((i + 1)); done')
	t_eq "$got" hello-compose "GET http://web/ from the client service"
	# -t 0: httpd and sleep as PID 1 ignore SIGTERM (-t 1 waited out its second)
	out=$(rl 'cd $HOME/proj && $M compose down -t 0' 2>&1) || t_fail "compose down: $out"
	t_match "$out" 'Network proj_default +Removed' "compose down"
	rl_settle
	t_eq "$(rl_procs | awk '{ print $2 }')" minirun-pause "the user's processes after down"
	t_eq "$(grep -c " $RL_RUN/minirun/netns " /proc/"$(rl_pause)"/mountinfo)" 0 \
		"the user's network namespace after compose down"
}
t "rootless compose up: two services reach each other by name; compose down cleans it all" \
	compose_by_name

mac_address() {
	rl_need
	net_host_up
	t_need pasta
	rl_user
	rl_devs tun
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	rl '$M network create macn >/dev/null' || t_fail "network create failed"
	got=$(rl '$M run --rm --network macn --mac-address 02:42:0a:59:00:77 busybox \
		cat /sys/class/net/eth0/address' 2>&1)
	t_eq "$got" 02:42:0a:59:00:77 "eth0's MAC on a user network"
	out=$(rl '$M run --rm --mac-address 02:42:0a:59:00:77 busybox true' 2>&1) &&
		t_fail "--mac-address on pasta's default network worked: $out"
	t_match "$out" "^minirun: --mac-address 02:42:0a:59:00:77: rootless, the default network's" \
		"the default network (pasta's) refuses it, naming what to do"
	t_eq "$(rl '$M ps -aq | wc -l')" 0 "containers after the refusal"
	rl '$M network rm macn >/dev/null' || t_fail "network rm failed"
}
t "rootless --mac-address: a user network's eth0 has it; the default network refuses it" \
	mac_address

t_end

# tests/integration/network/docker_user.t - minirun on a host that also runs docker: a real
# dockerd (Debian's docker.io, --iptables=true) started inside the test's own namespace
# playing the host sets iptables' FORWARD policy to DROP there, as it does on every docker
# host. With br_netfilter's bridge-nf-call-iptables=1 that drop reaches even two containers
# of one bridge. minirun puts its bridges in docker's DOCKER-USER chain (netns/docker_user.c);
# the test shows traffic flows with those rules, is dropped without them (the state before
# the rules existed: the same ruleset with ours deleted by hand), comes back at the next
# connect, that iptables (and so docker) still reads the chain, and that `network rm` and
# `network prune` take the rules away. Without docker, a FORWARD policy drop of another
# firewall gets nothing added and a -v line saying what to do. The machine's own ruleset is
# compared before and after: nothing of this reaches it.
#   MR_TOP=$PWD sh tests/integration/network/docker_user.t
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"
. "$MR_TOP/tests/lib/peers.sh" # pk_cgroups_before / pk_cgroups_cleanup

# du_need - skip unless docker.io and iptables are here; note what dockerd may leave outside
# the namespace (cgroups, /run/docker, /run/containerd), for du_cleanup
du_need() {
	ct_need net
	command -v dockerd >/dev/null 2>&1 || t_skip "needs dockerd (Debian's docker.io), not installed"
	command -v docker >/dev/null 2>&1 || t_skip "needs docker (Debian's docker.io), not installed"
	command -v iptables >/dev/null 2>&1 || t_skip "needs iptables (dockerd drives it), not installed"
	[ -d /proc/sys/net/bridge ] || modprobe br_netfilter 2>/dev/null ||
		t_skip "needs br_netfilter (built in, or the module)"
	DK=$T_DIR/dk
	mkdir -p "$DK"
	export DK
	pk_cgroups_before "$DK"
	: >"$DK/run.new"
	for _r in /run/docker /run/containerd; do
		[ -e "$_r" ] || echo "$_r" >>"$DK/run.new"
	done
	nft list ruleset >"$DK/machine.before" 2>&1
	t_defer du_cleanup
}

du_cleanup() {
	PK_DK=$DK pk_cgroups_cleanup "$DK"
	while read -r _r; do rm -rf "$_r"; done <"$DK/run.new"
}

# Inside the host namespace: dockerd as a docker host runs it (iptables on, ip_forward off
# until dockerd turns it on: that is when it sets FORWARD's policy to drop), its state under
# $DK; wait until its DOCKER-USER chain is there.
START_DOCKERD='
	echo 0 >/proc/sys/net/ipv4/ip_forward
	dockerd --data-root "$DK/root" --exec-root "$DK/exec" -H "unix://$DK/sock" \
		--pidfile "$DK/pid" --iptables=true --ip6tables=false --bridge=none \
		--containerd-namespace mrdu --containerd-plugins-namespace mrdu-plugins \
		>"$DK/log" 2>&1 &
	echo $! >"$DK/dockerd.pid"
	i=0
	until nft list chain ip filter DOCKER-USER >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt 300 ] || { tail -n 20 "$DK/log"; die "dockerd made no DOCKER-USER chain"; }
		sleep 0.1
	done
	export DOCKER_HOST="unix://$DK/sock"
	i=0
	until docker version >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt 300 ] || { tail -n 20 "$DK/log"; die "dockerd did not answer"; }
		sleep 0.1
	done
	echo "forward: $(nft list chain ip filter FORWARD | grep -o "policy [a-z]*")"
	# per network namespace (kernel >= 5.3), 1 by default once br_netfilter is there:
	# set it anyway, it is what the test is about
	echo 1 >/proc/sys/net/bridge/bridge-nf-call-iptables
'
# stop dockerd by its PID and wait for it (its containerd goes with it)
STOP_DOCKERD='
	kill "$(cat "$DK/dockerd.pid")"
	i=0
	while kill -0 "$(cat "$DK/dockerd.pid")" 2>/dev/null && [ $i -lt 200 ]; do
		sleep 0.1; i=$((i + 1))
	done
	for p in /proc/[0-9]*; do
		case $(cat "$p/comm" 2>/dev/null) in dockerd | containerd) kill -9 "${p#/proc/}" ;; esac
	done
'
# ours - minirun's rules in DOCKER-USER, as iptables prints them; unrule [BRIDGE] - delete
# them (BRIDGE's only), by hand, as if minirun had never added them
OURS='ours() { iptables -S DOCKER-USER | grep "minirun"; }
unrule() {
	for h in $(nft -a list chain ip filter DOCKER-USER | grep "comment \"minirun ${1:-}" | sed "s/.*# handle //"); do
		nft delete rule ip filter DOCKER-USER handle "$h"
	done
}'

accepted_in_docker_user() {
	du_need
	out=$(ct_host "$START_DOCKERD$OURS"'
		inet=$(uplink)
		mr network create web >/dev/null || die "network create"
		br=mr-$(mr network inspect -f "{{.Id}}" web | cut -c1-12)
		mr run -d --name c1 --network web busybox sleep 600 >/dev/null || die "run c1"
		ct_www c2 --network web -p 8080:80 >/dev/null || die "run c2"
		c1=$(ct_field c1 State.Pid)
		ct_wait_http "$(ct_field c2 NetworkSettings.Networks.web.IPAddress):80" "$c1" ||
			echo "c2 never answered"
		ours | sed "s/$br/BR/g; s/^/ipt: /"
		echo "neighbour: $(mr exec c1 ping -c 1 -W 2 c2 >/dev/null 2>&1 && echo ok)"
		echo "outside: $(mr exec c1 ping -c 1 -W 2 198.51.100.2 >/dev/null 2>&1 && echo ok)"
		echo "hairpin: $(ct_get 198.51.100.1:8080 "$c1")"

		# the ruleset as it was before minirun knew of docker: the same, without ours
		unrule
		echo "without: $(ours | wc -l) rules"
		# the three that must fail wait out their limits (2, 2 and 3 s): side by side
		{ mr exec c1 ping -c 1 -W 2 c2 >/dev/null 2>&1 && echo ok || echo dropped; } >"$R/nw" &
		p1=$!
		{ mr exec c1 ping -c 1 -W 2 198.51.100.2 >/dev/null 2>&1 && echo ok || echo dropped; } >"$R/ow" &
		p2=$!
		ct_get 198.51.100.1:8080 "$c1" | grep -c hello >"$R/hw"
		wait $p1 $p2
		echo "neighbour without: $(cat "$R/nw")"
		echo "outside without: $(cat "$R/ow")"
		echo "hairpin without: $(cat "$R/hw")"
		echo "dropped by docker: $(nft list chain ip filter FORWARD | grep -c "policy drop")"
		# br_netfilter is what puts same-bridge traffic in FORWARD at all
		echo 0 >/proc/sys/net/bridge/bridge-nf-call-iptables
		echo "neighbour, br_netfilter off: $(mr exec c1 ping -c 1 -W 2 c2 >/dev/null 2>&1 && echo ok)"
		echo 1 >/proc/sys/net/bridge/bridge-nf-call-iptables

		# the next connect to the network puts them back, and says so with -v
		"$MINIRUN" --root "$R" -v run --rm --network web busybox true 2>&1 |
			grep -i "docker\|bridge-nf" | sed "s/$br/BR/g; s/^/say: /"
		echo "back: $(ours | wc -l) rules"
		echo "neighbour again: $(mr exec c1 ping -c 1 -W 2 c2 >/dev/null 2>&1 && echo ok)"
		echo "outside again: $(mr exec c1 ping -c 1 -W 2 198.51.100.2 >/dev/null 2>&1 && echo ok)"

		# docker still drives the chain through iptables with our rules in it
		docker network create dnet >/dev/null 2>&1 && echo "docker network create: ok"
		docker network rm dnet >/dev/null 2>&1
		echo "after docker: $(ours | wc -l) rules"

		mr rm -f c1 c2 >/dev/null || die "rm -f"
		mr network rm web >/dev/null || die "network rm"
		echo "after network rm: $(ours | grep -c "$br") rules of $br"
		kill "$inet" && wait "$inet" 2>/dev/null # the "internet" namespace: the test'"'"'s own
		'"$STOP_DOCKERD"'
		ct_leaks') || t_fail "$out"
	t_match "$out" '^forward: policy drop$' "dockerd set FORWARD's policy to drop in the test's namespace"
	t_match "$out" '^ipt: -A DOCKER-USER -i BR -m comment --comment "minirun BR" -j ACCEPT$' "from the bridge: accepted"
	t_match "$out" '^ipt: -A DOCKER-USER -o BR -m comment --comment "minirun BR" -j ACCEPT$' "to the bridge: accepted"
	t_match "$out" '^neighbour: ok$' "two containers of one network reach each other"
	t_match "$out" '^outside: ok$' "a container reaches the outside (masquerade)"
	t_match "$out" '^hairpin: hello-c2$' "and a neighbour's published port through a host address"
	t_match "$out" '^without: 0 rules$'
	t_match "$out" '^neighbour without: dropped$' "without the rules docker's drop takes even same-bridge traffic"
	t_match "$out" '^outside without: dropped$' "and routed traffic"
	t_match "$out" '^hairpin without: 0$' "and hairpin traffic"
	t_match "$out" '^neighbour, br_netfilter off: ok$' "bridge-nf-call-iptables=0: the bridge switches, FORWARD never sees it"
	t_match "$out" "^say: => docker's chains are here \(table ip filter: FORWARD policy drop, DOCKER-USER\): accepting bridge BR" "-v says so"
	t_match "$out" '^say: => bridge-nf-call-iptables is 1' "-v names br_netfilter"
	t_match "$out" '^back: 2 rules$' "a connect puts them back"
	t_match "$out" '^neighbour again: ok$'
	t_match "$out" '^outside again: ok$'
	t_match "$out" '^docker network create: ok$' "dockerd's iptables still reads the chain"
	t_match "$out" '^after docker: 2 rules$' "and leaves our rules"
	t_match "$out" '^after network rm: 0 rules of mr-' "network rm removes them"
	t_nomatch "$out" '^leak:'
	nft list ruleset >"$DK/machine.after" 2>&1
	cmp -s "$DK/machine.before" "$DK/machine.after" ||
		t_fail "the machine's own ruleset changed: $(diff "$DK/machine.before" "$DK/machine.after" | head)"
}

internal_and_prune() {
	du_need
	out=$(ct_host "$START_DOCKERD$OURS"'
		mr network create --internal priv >/dev/null || die "create --internal"
		mr network create spare >/dev/null || die "create spare"
		p=mr-$(mr network inspect -f "{{.Id}}" priv | cut -c1-12)
		s=mr-$(mr network inspect -f "{{.Id}}" spare | cut -c1-12)
		ours | sed "s/$p/PRIV/g; s/$s/SPARE/g; s/^/ipt: /"
		mr run -d --name pa --network priv busybox sleep 600 >/dev/null || die "run pa"
		mr run -d --name pb --network priv busybox sleep 600 >/dev/null || die "run pb"
		echo "internal neighbour: $(mr exec pa ping -c 1 -W 2 pb >/dev/null 2>&1 && echo ok)"
		unrule "$p"
		echo "internal without: $(mr exec pa ping -c 1 -W 2 pb >/dev/null 2>&1 && echo ok || echo dropped)"
		mr run --rm --network priv busybox true || die "run --rm" # a connect: back again
		echo "before prune: $(ours | wc -l) rules"
		mr rm -f pa pb >/dev/null || die "rm -f"
		mr network prune -f >/dev/null || die "prune"
		echo "after prune: $(ours | wc -l) rules"
		'"$STOP_DOCKERD"'
		ct_leaks') || t_fail "$out"
	t_match "$out" '^ipt: -A DOCKER-USER -i PRIV -o PRIV -m comment --comment "minirun PRIV" -j ACCEPT$' "an internal network: only bridge to itself"
	t_eq "$(printf '%s\n' "$out" | grep -c '^ipt: .*PRIV')" 1 "one rule for the internal network"
	t_eq "$(printf '%s\n' "$out" | grep -c '^ipt: .*SPARE')" 2 "two for a network with NAT"
	t_match "$out" '^internal neighbour: ok$' "containers of an internal network reach each other"
	t_match "$out" '^internal without: dropped$' "and would not without the rule (br_netfilter, docker's drop)"
	t_match "$out" '^before prune: 3 rules$'
	t_match "$out" '^after prune: 0 rules$' "network prune removes them"
	t_nomatch "$out" '^leak:'
	nft list ruleset >"$DK/machine.after" 2>&1
	cmp -s "$DK/machine.before" "$DK/machine.after" || t_fail "the machine's own ruleset changed"
}

# no dockerd needed: another firewall's FORWARD policy drop, with no DOCKER-USER chain to put
# rules in (ufw, firewalld, a hand-made ruleset); minirun adds nothing to a chain that is not
# docker's, and -v says what will be dropped and what to do
drop_without_docker_user() {
	ct_need net
	out=$(ct_host '
		nft add table ip filter &&
			nft "add chain ip filter FORWARD { type filter hook forward priority filter; policy drop; }" ||
			die "a FORWARD chain with policy drop"
		"$MINIRUN" --root "$R" -v network create web 2>&1 >/dev/null | grep -i "policy drop\|bridge-nf" |
			sed "s/mr-[0-9a-f]\{12\}/BR/g; s/^/say: /"
		echo "rules added: $(nft list table ip filter | grep -c minirun)"
		"$MINIRUN" --root "$R" network rm web >/dev/null || die "network rm"
		echo "table after rm: $(nft list table ip filter | grep -c "policy drop")"
		ct_leaks') || t_fail "$out"
	t_match "$out" "^say: => table ip filter's FORWARD chain drops what it does not accept \(policy drop\) and has no DOCKER-USER chain: traffic of bridge BR may be dropped; accept it there yourself \(iptables -I FORWARD -i BR -j ACCEPT; iptables -I FORWARD -o BR -j ACCEPT\)$" "-v names the drop and the fix"
	t_match "$out" '^rules added: 0$' "nothing is put in a chain that is not docker's"
	t_match "$out" '^table after rm: 1$' "and the other firewall's table is left as it was"
	t_nomatch "$out" '^leak:'
}

t "on a docker host (FORWARD policy drop, br_netfilter) minirun's bridges are accepted in DOCKER-USER, and only while the network lives" accepted_in_docker_user
t "an --internal network gets a bridge-to-itself rule; network prune removes every rule" internal_and_prune
t "a FORWARD policy drop with no DOCKER-USER chain: nothing added, -v says what to do" drop_without_docker_user
t_end

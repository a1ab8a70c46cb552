# tests/integration/containers/macaddr.t - `minirun run/create --mac-address MAC`, as docker's:
# the container's interface on its NetworkMode network gets that MAC (eth0's address inside),
# inspect shows it in Config.MacAddress (docker 20.10's place, as given) and in
# NetworkSettings.MacAddress / Networks.NAME.MacAddress (once started), a stop and start
# keeps it, a network connected later gets docker's own (02:42 + the address); a bad value
# (not six hex pairs, multicast, all zeros) and --network host/container: are refused with
# docker's words and nothing is made; --network none keeps it in the record, unused. Each
# test runs in a throwaway namespace playing the host.
#   MR_TOP=$PWD sh tests/integration/containers/macaddr.t
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

mac_inside_and_inspect() {
	ct_need net
	out=$(ct_host '
		mr run --rm --mac-address 02:42:ac:11:00:99 busybox cat /sys/class/net/eth0/address |
			sed "s/^/inside: /"
		mr run --rm --mac-address 02-AB-cd-ef-00-01 busybox cat /sys/class/net/eth0/address |
			sed "s/^/hyphens: /"
		mr run --rm --mac-address 02ab.cdef.0003 busybox cat /sys/class/net/eth0/address |
			sed "s/^/dots: /"
		mr create --name mc --mac-address 02:42:AC:11:00:98 busybox sleep 60 >/dev/null || die "create"
		mr inspect -f "{{json .Config.MacAddress}} [{{.NetworkSettings.Networks.bridge.MacAddress}}]" mc |
			sed "s/^/created: /"
		mr start mc >/dev/null || die "start"
		mr inspect -f "{{.NetworkSettings.MacAddress}} {{.NetworkSettings.Networks.bridge.MacAddress}}" mc |
			sed "s/^/started: /"
		mr stop -t 0 mc >/dev/null && mr start mc >/dev/null || die "stop, start"
		mr exec mc cat /sys/class/net/eth0/address | sed "s/^/restarted: /"
		mr inspect -f "{{.NetworkSettings.MacAddress}}" mc | sed "s/^/restarted inspect: /"
		mr create --name plain busybox true >/dev/null || die "create plain"
		echo "no flag: $(ct_inspect plain | tr -d " \n" | grep -o "\"Config\":{[^}]*" | grep -c MacAddress)"
		mr rm -f mc plain >/dev/null || die "rm -f"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^inside: 02:42:ac:11:00:99$' "eth0 has the MAC asked for"
	t_match "$out" '^hyphens: 02:ab:cd:ef:00:01$' "the hyphen spelling, any case (Go's net.ParseMAC)"
	t_match "$out" '^dots: 02:ab:cd:ef:00:03$' "and the dotted one"
	t_match "$out" '^created: "02:42:AC:11:00:98" \[\]$' "Config.MacAddress as given; the endpoint's empty until started"
	t_match "$out" '^started: 02:42:ac:11:00:98 02:42:ac:11:00:98$' "NetworkSettings shows it once started"
	t_match "$out" '^restarted: 02:42:ac:11:00:98$' "a stop and start keeps it"
	t_match "$out" '^restarted inspect: 02:42:ac:11:00:98$'
	t_match "$out" '^no flag: 0$' "no Config.MacAddress without the flag (docker's omitempty)"
	t_nomatch "$out" '^leak:' "rm -f leaves nothing"
}

mac_user_networks() {
	ct_need net
	out=$(ct_host '
		mr network create --subnet 10.93.20.0/24 u1 >/dev/null || die "create u1"
		mr network create --subnet 10.93.21.0/24 u2 >/dev/null || die "create u2"
		mr run -d --name mc --network u1 --mac-address 02:42:0a:5d:14:77 busybox sleep 60 >/dev/null ||
			die "run -d"
		mr network connect u2 mc || die "connect"
		mr exec mc cat /sys/class/net/eth0/address /sys/class/net/eth1/address | sed "s/^/in: /"
		mr inspect -f "{{.NetworkSettings.Networks.u1.MacAddress}} {{.NetworkSettings.Networks.u2.MacAddress}}" mc |
			sed "s/^/inspect: /"
		echo "same MAC again: $(mr run --rm --network u1 --mac-address 02:42:0a:5d:14:77 busybox cat /sys/class/net/eth0/address)"
		mr rm -f mc >/dev/null && mr network rm u1 u2 >/dev/null || die "cleanup"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^in: 02:42:0a:5d:14:77$' "a user network's eth0 has the MAC asked for"
	t_match "$out" '^in: 02:42:0a:5d:15:02$' "a network connected later gets docker's own (02:42 + its address)"
	t_match "$out" '^inspect: 02:42:0a:5d:14:77 02:42:0a:5d:15:02$'
	t_match "$out" '^same MAC again: 02:42:0a:5d:14:77$' "a second container may have the same one (docker does not check)"
	t_nomatch "$out" '^leak:'
}

mac_refused() {
	ct_need net
	out=$(ct_host '
		st() { mr "$@" >/dev/null 2>"$R/err"; echo "rc $? $(head -n 1 "$R/err")"; }
		echo "letters: $(st run --rm --mac-address zz busybox true)"
		echo "five: $(st run --rm --mac-address 02:42:ac:11:00 busybox true)"
		echo "seven: $(st run --rm --mac-address 02:42:ac:11:00:93:aa busybox true)"
		echo "eui64: $(st run --rm --mac-address 02:00:00:00:00:00:00:01 busybox true)"
		echo "one digit: $(st run --rm --mac-address 2:42:ac:11:0:93 busybox true)"
		echo "mixed: $(st create --mac-address 02:42-ac:11:00:93 busybox true)"
		echo "multicast: $(st create --name mm --mac-address 01:00:5e:00:00:01 busybox true)"
		echo "broadcast: $(st run --rm --mac-address ff:ff:ff:ff:ff:ff busybox true)"
		echo "zero: $(st run --rm --mac-address 00:00:00:00:00:00 busybox true)"
		echo "host: $(st run --rm --network host --mac-address 02:42:ac:11:00:94 busybox true)"
		echo "host create: $(st create --network host --mac-address 02:42:ac:11:00:94 busybox true)"
		mr run -d --name first busybox sleep 60 >/dev/null || die "run -d"
		echo "joined: $(st run --rm --network container:first --mac-address 02:42:ac:11:00:94 busybox true)"
		mr rm -f first >/dev/null || die "rm first"
		echo "left: $(mr ps -aq | wc -l) containers, $(ls "$R/containers" | grep -vc "^\.") dirs"
		mr run --rm --network none --mac-address 02:42:ac:11:00:95 busybox ls /sys/class/net |
			tr "\n" " " | sed "s/^/none: /"; echo
		mr create --name mnone --network none --mac-address 02:42:ac:11:00:95 busybox true >/dev/null ||
			die "create none"
		mr inspect -f "{{json .Config.MacAddress}}" mnone | sed "s/^/none inspect: /"
		echo "empty: $(mr run --rm --mac-address "" busybox cat /sys/class/net/eth0/address)"
		mr rm -f mnone >/dev/null
		ct_leaks') || t_fail "$out"
	t_match "$out" '^letters: rc 125 minirun: zz is not a valid mac address$' "not hex: docker's words, exit 125"
	t_match "$out" '^five: rc 125 minirun: 02:42:ac:11:00 is not a valid mac address$' "five pairs"
	t_match "$out" '^seven: rc 125 minirun: 02:42:ac:11:00:93:aa is not a valid mac address$' "seven pairs"
	t_match "$out" '^eui64: rc 125 minirun: 02:00:00:00:00:00:00:01 is not a valid mac address$' "an EUI-64 (the kernel would cut it to six bytes)"
	t_match "$out" '^one digit: rc 125 minirun: 2:42:ac:11:0:93 is not a valid mac address$' "a pair of one digit"
	t_match "$out" '^mixed: rc 125 minirun: 02:42-ac:11:00:93 is not a valid mac address$' "mixed separators"
	t_match "$out" '^multicast: rc 125 minirun: 01:00:5e:00:00:01 is not a valid mac address: it is a multicast address' "a multicast address: refused at create (docker only at start)"
	t_match "$out" '^broadcast: rc 125 minirun: ff:ff:ff:ff:ff:ff is not a valid mac address: it is a multicast' "the broadcast address"
	t_match "$out" '^zero: rc 125 minirun: 00:00:00:00:00:00 is not a valid mac address: no interface may have the all-zero one' "all zeros"
	t_match "$out" '^host: rc 125 minirun: conflicting options: mac-address and the network mode$' "--network host: docker's daemon's words"
	t_match "$out" '^host create: rc 1 minirun: conflicting options: mac-address and the network mode$' "create: 1, as docker"
	t_match "$out" '^joined: rc 125 minirun: conflicting options: mac-address and the network mode$' "--network container:"
	t_match "$out" '^left: 0 containers, 0 dirs$' "nothing is made"
	t_match "$out" '^none: lo $' "--network none: lo only, the MAC unused"
	t_match "$out" '^none inspect: "02:42:ac:11:00:95"$' "and kept in the record, as docker"
	t_match "$out" '^empty: 02:42:0a:58:00:0[0-9]$' "an empty value is no MAC: docker's own"
	t_nomatch "$out" '^leak:'
}

t "--mac-address: eth0 has it, inspect shows it, a stop and start keeps it" mac_inside_and_inspect
t "--mac-address on a user network; a network connected later gets docker's own MAC" mac_user_networks
t "bad MACs and --network host/container: refused, nothing made; none: kept, unused" mac_refused
t_end

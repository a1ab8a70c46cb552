# tests/integration/containers/namespaces.t - the flags that choose a container's namespaces
# and loosen its confinement, each seen from inside: --sysctl (read back from the container's
# /proc/sys, and the host's unchanged), --pid/--ipc/--uts container:X (the same namespace
# inode as X's init, X's processes and hostname seen), host (the host's inode), --ipc none
# (no /dev/shm) and shareable (shm shared with a joiner), --cgroupns host, --security-opt
# systempaths=unconfined (nothing masked) and apparmor= (refused without AppArmor), and what
# inspect's HostConfig shows. Bad input: one line, exit 125, nothing left.
# Each test runs in a namespace playing the host.
# Run: sh tests/integration/containers/namespaces.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

sysctl_set_in_the_containers_namespaces() {
	ct_need
	ct_host '
		host_fwd=$(cat /proc/sys/net/ipv4/ip_forward) host_shm=$(cat /proc/sys/kernel/shmmax)
		out=$(mr run --rm --network none --sysctl net.ipv4.ip_forward=1 \
			--sysctl kernel.shmmax=123456 --sysctl fs.mqueue.msg_max=20 \
			--sysctl kernel.domainname=lab.example busybox \
			sh -c "cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmax \
				/proc/sys/fs/mqueue/msg_max /proc/sys/kernel/domainname" 2>&1) ||
			die "run --sysctl: $out"
		[ "$out" = "1
123456
20
lab.example" ] || die "read back: $out"
		[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host_fwd" ] || die "host ip_forward changed"
		[ "$(cat /proc/sys/kernel/shmmax)" = "$host_shm" ] || die "host shmmax changed"
		id=$(mr create --network none --sysctl net.core.somaxconn=99 busybox true) || die create
		[ "$(mr inspect -f "{{json .HostConfig.Sysctls}}" "$id")" = "{\"net.core.somaxconn\":\"99\"}" ] ||
			die "inspect Sysctls: $(mr inspect -f "{{json .HostConfig.Sysctls}}" "$id")"
		mr rm "$id" >/dev/null || die rm
		ct_noleaks
	'
}
t "--sysctl: namespaced ones are set in the container's /proc/sys, the host's stay as they were" \
	sysctl_set_in_the_containers_namespaces

# run's monitor begins the container's network namespace once the rootfs is mounted
# (monitor.c, begin_netns) and the runtime takes it (-v says so): a new one each run, not
# the host's, its lo up; --network host gets none made, and a --sysctl net.* lands in the
# namespace handed over, the host's unchanged.
netns_made_ahead_by_the_monitor() {
	ct_need
	ct_host '
		host=$(readlink /proc/self/ns/net) host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
		a=$(mr -v run --rm --network none --sysctl net.ipv4.ip_forward=1 busybox sh -c \
			"readlink /proc/self/ns/net; cat /proc/sys/net/ipv4/ip_forward; \
			cat /sys/class/net/lo/operstate /sys/class/net/lo/flags" 2>&1) || die "run: $(echo "$a" | tail -n 5)"
		echo "$a" | grep -q "made ahead by the caller" || die "not handed over: $(echo "$a" | grep -i "namespace" | tail -n 5)"
		ns=$(echo "$a" | grep "^net:")
		[ -n "$ns" ] && [ "$ns" != "$host" ] || die "namespaces: $ns, the host'"'"'s $host"
		# a new one each run: two alive at once differ (a freed one'"'"'s number comes back)
		mr run -d --name live --network none busybox sleep 30 >/dev/null || die "run -d"
		b=$(mr run --rm --network none busybox readlink /proc/self/ns/net) || die "run: $b"
		l=$(readlink "/proc/$(mr inspect -f "{{.State.Pid}}" live)/ns/net")
		[ -n "$b" ] && [ "$b" != "$l" ] && [ "$b" != "$host" ] || die "namespaces: $b $l $host"
		mr rm -f live >/dev/null || die "rm -f"
		echo "$a" | grep -qx 1 || die "sysctl in the namespace: $(echo "$a" | tail -n 4)"
		echo "$a" | grep -qx "0x9" || die "lo up (IFF_UP|IFF_LOOPBACK): $(echo "$a" | tail -n 4)"
		[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host_fwd" ] || die "host ip_forward changed"
		# --network host copies the host'"'"'s resolv.conf, which the VM has none of
		if [ -e /etc/resolv.conf ]; then
			h=$(mr -v run --rm --network host busybox readlink /proc/self/ns/net 2>&1) ||
				die "--network host: $(echo "$h" | grep -v "^=>" | tail -n 4)"
			made=$(echo "$h" | grep "made ahead\|makes the new network")
			[ -z "$made" ] || die "--network host: one made: $made"
			echo "$h" | grep -qxF "$host" ||
				die "--network host: $(echo "$h" | tail -n 1), not $host"
		fi
		ct_noleaks
	'
}
t "run: the monitor begins the network namespace before the runtime's create; host gets none" \
	netns_made_ahead_by_the_monitor

sysctl_refusals() {
	ct_need
	ct_host '
		refuse() { # WANT-WORD FLAGS...
			want=$1; shift
			out=$(mr run --rm "$@" busybox true 2>&1); rc=$?
			[ $rc = 125 ] || die "$*: exit $rc: $out"
			echo "$out" | head -1 | grep -q -- "$want" || die "$*: $out"
		}
		refuse "sysctl .kernel.panic=1. is not whitelisted" --sysctl kernel.panic=1
		refuse "sysctl .vm.swappiness=1. is not whitelisted" --sysctl vm.swappiness=1
		refuse "is not whitelisted" --sysctl net.ipv4.ip_forward
		refuse "is not whitelisted" --sysctl "net.ipv4/../../kernel/panic=1"
		refuse "not allowed in host network namespace" --network host --sysctl net.ipv4.ip_forward=1
		refuse "not allowed in host ipc namespace" --ipc host --sysctl kernel.shmmax=1
		refuse "hostname" --sysctl kernel.hostname=x
		refuse "not allowed in host uts namespace" --uts host --sysctl kernel.domainname=x
		[ -z "$(ct_ids)" ] || die "a refusal left a container: $(ct_ids)"
		ct_noleaks
	'
}
t "--sysctl: a host-wide sysctl is refused by name, net.* with --network host too (125, nothing left)" \
	sysctl_refusals

join_a_running_containers_namespaces() {
	ct_need
	ct_host '
		mr run -d --name donor --network none --ipc shareable -h donorhost busybox \
			sh -c "echo shared >/dev/shm/note; sleep 60" >/dev/null || die "run donor"
		pid=$(ct_field donor State.Pid)
		# run -d returns once sh runs: its echo, then its exec of sleep, come after
		i=0
		until [ "$(tr "\0" " " <"/proc/$pid/cmdline" 2>/dev/null)" = "sleep 60 " ]; do
			i=$((i + 1))
			[ $i -lt 500 ] || die "the donor never got to its sleep"
			sleep 0.01
		done
		out=$(mr run --rm --network none --pid container:donor --ipc container:donor \
			--uts container:donor busybox sh -c \
			"readlink /proc/1/ns/pid; readlink /proc/self/ns/ipc; readlink /proc/self/ns/uts; \
			 hostname; cat /dev/shm/note; cat /proc/1/cmdline | tr \"\\0\" \" \"" 2>&1) ||
			die "run joined: $out"
		want="$(readlink /proc/$pid/ns/pid)
$(readlink /proc/$pid/ns/ipc)
$(readlink /proc/$pid/ns/uts)
donorhost
shared
sleep 60 "
		[ "$out" = "$want" ] || die "joined: got
$out
want
$want"
		id=$(mr create --network none --pid container:donor --uts container:donor busybox true) ||
			die create
		[ "$(mr inspect -f "{{.HostConfig.PidMode}} {{.HostConfig.UTSMode}} {{.HostConfig.IpcMode}}" "$id")" = \
			"container:donor container:donor private" ] || die "inspect: $(mr inspect -f "{{.HostConfig.PidMode}} {{.HostConfig.UTSMode}} {{.HostConfig.IpcMode}}" "$id")"
		mr rm "$id" donor -f >/dev/null || die "rm"
		ct_noleaks
	'
}
t "--pid/--ipc/--uts container:X join X's init's namespaces: same inodes, its processes, hostname and /dev/shm" \
	join_a_running_containers_namespaces

joining_refused_as_docker_does() {
	ct_need
	ct_host '
		sid=$(mr create --name stopped --network none --ipc shareable busybox true) || die create
		mr run -d --name private --network none busybox sleep 60 >/dev/null || die "run private"
		for f in "--pid container:stopped" "--ipc container:stopped" "--uts container:stopped"; do
			out=$(mr run --rm --network none $f busybox true 2>&1); rc=$?
			[ $rc = 125 ] || die "$f: exit $rc: $out"
			[ "$out" = "minirun: container $sid is not running" ] ||
				die "$f: $out"
		done
		out=$(mr run --rm --network none --ipc container:private busybox true 2>&1); rc=$?
		[ $rc = 125 ] && echo "$out" | grep -q "can.t join IPC of container [0-9a-f]*: non-shareable IPC" ||
			die "private donor: $rc $out"
		out=$(mr run --rm --network none --pid container:nosuch busybox true 2>&1); rc=$?
		[ $rc = 125 ] && echo "$out" | grep -q "No such container: nosuch" || die "nosuch: $rc $out"
		out=$(mr run --rm --network none --pid bogus busybox true 2>&1); rc=$?
		[ $rc = 125 ] && echo "$out" | grep -q "invalid PID mode" || die "bogus: $rc $out"
		out=$(mr run --rm --network none --uts host -h x busybox true 2>&1); rc=$?
		[ $rc = 125 ] && echo "$out" | grep -q "conflicting options: hostname and the UTS mode" ||
			die "-h with --uts host: $rc $out"
		[ "$(ct_ids | wc -l)" = 2 ] || die "a refusal left a container: $(mr ps -a)"
		# create takes a stopped donor (docker does); its start refuses
		id=$(mr create --network none --pid container:stopped busybox true) || die "create"
		out=$(mr start "$id" 2>&1) && die "start joined to a stopped container: $out"
		echo "$out" | grep -q "container $sid is not running" || die "start: $out"
		mr rm -f "$id" stopped private >/dev/null || die rm
		ct_noleaks
	'
}
t "container:X refused as docker does: X stopped or missing, --ipc X not shareable, a bad mode (125, nothing left)" \
	joining_refused_as_docker_does

host_namespaces() {
	ct_need
	ct_host '
		out=$(mr run --rm --network none --pid host --ipc host --uts host --cgroupns host busybox \
			sh -c "for n in pid ipc uts cgroup; do readlink /proc/self/ns/\$n; done" \
			2>&1) || die "run host: $out"
		want=$(for n in pid ipc uts cgroup; do readlink /proc/self/ns/$n; done)
		[ "$out" = "$want" ] || die "host: got $out, want $want"
		# the host'"'"'s processes are there: a sleep of the host namespace, by its own PID
		sleep 123 & sp=$!
		out=$(mr run --rm --network none --pid host busybox cat /proc/$sp/cmdline | tr "\0" " ")
		kill $sp; wait $sp 2>/dev/null
		[ "$out" = "sleep 123 " ] || die "--pid host: /proc/$sp/cmdline: $out"
		out=$(mr run --rm --network none busybox sh -c \
			"readlink /proc/self/ns/pid; readlink /proc/self/ns/cgroup")
		echo "$out" | grep -qx "$(readlink /proc/self/ns/pid)" && die "default shares the pid ns"
		echo "$out" | grep -qx "$(readlink /proc/self/ns/cgroup)" && die "default shares the cgroup ns"
		out=$(mr run --rm --network none --ipc none busybox sh -c "test -e /dev/shm || echo none")
		[ "$out" = none ] || die "--ipc none: /dev/shm is there"
		id=$(mr create --network none --cgroupns host --ipc none busybox true) || die create
		[ "$(mr inspect -f "{{.HostConfig.CgroupnsMode}} {{.HostConfig.IpcMode}} {{.HostConfig.PidMode}}|{{.HostConfig.UsernsMode}}" "$id")" = "host none |" ] ||
			die "inspect: $(mr inspect -f "{{.HostConfig.CgroupnsMode}} {{.HostConfig.IpcMode}} {{.HostConfig.PidMode}}|{{.HostConfig.UsernsMode}}" "$id")"
		mr rm "$id" >/dev/null || die rm
		ct_noleaks
	'
}
t "--pid/--ipc/--uts/--cgroupns host share the host's namespaces; --ipc none has no /dev/shm" host_namespaces

systempaths_and_apparmor() {
	ct_need
	ct_host '
		n=$(mr run --rm --network none busybox sh -c "grep -c -e \" /proc/keys \" -e \" /proc/sys \" /proc/mounts")
		[ "$n" = 2 ] || die "default: /proc/keys masked and /proc/sys read-only expected, saw $n mounts"
		out=$(mr run --rm --network none --security-opt systempaths=unconfined busybox \
			sh -c "grep -c -e \" /proc/keys \" -e \" /proc/sys \" /proc/mounts") ; [ "$out" = 0 ] ||
			die "systempaths=unconfined: still $out masked/read-only mounts"
		id=$(mr create --network none --security-opt systempaths=unconfined \
			--security-opt apparmor=unconfined busybox true) || die create
		[ "$(mr inspect -f "{{json .HostConfig.MaskedPaths}} {{json .HostConfig.ReadonlyPaths}} {{json .HostConfig.SecurityOpt}}" "$id")" = \
			"[] [] [\"apparmor=unconfined\"]" ] || die "inspect: $(mr inspect -f "{{json .HostConfig.MaskedPaths}} {{json .HostConfig.SecurityOpt}}" "$id")"
		mr rm "$id" >/dev/null
		out=$(mr run --rm --network none --security-opt systempaths=open busybox true 2>&1); rc=$?
		[ $rc = 125 ] || die "systempaths=open: $rc $out"
		out=$(mr run --rm --network none --security-opt apparmor=docker-default busybox true 2>&1); rc=$?
		[ $rc = 125 ] || die "apparmor=docker-default: $rc $out"
		if [ -e /sys/kernel/security/apparmor ]; then
			echo "$out" | grep -q "does not load AppArmor profiles" || die "apparmor: $out"
		else
			echo "$out" | grep -q "this host has no AppArmor" || die "apparmor: $out"
		fi
		[ -z "$(ct_ids)" ] || die "a refusal left a container"
		ct_noleaks
	'
}
t "systempaths=unconfined unmasks /proc; apparmor=PROFILE refused in one line without AppArmor" \
	systempaths_and_apparmor

cap_drop_all_then_add() {
	ct_need
	ct_host '
		out=$(mr run --rm --network none --cap-drop ALL --cap-add CHOWN busybox \
			sh -c "grep CapEff /proc/self/status") || die run
		[ "$out" = "CapEff:	0000000000000001" ] || die "drop ALL + CHOWN: $out"
		out=$(mr run --rm --network none --cap-add ALL --cap-drop NET_RAW busybox \
			sh -c "grep CapEff /proc/self/status")
		want=$(printf "%016x" $(( 0x$(grep CapBnd /proc/self/status | cut -f2) & ~(1 << 13) )))
		[ "$out" = "CapEff:	$want" ] || die "add ALL - NET_RAW: $out (want $want)"
		ct_noleaks
	'
}
t "--cap-drop ALL then --cap-add one; --cap-add ALL minus one" cap_drop_all_then_add

compose_sysctls_applied() {
	ct_need
	ct_host '
		mkdir -p "$R/../proj" && cd "$R/../proj" || die cd
		cat >compose.yaml <<EOF2
services:
  app:
    image: busybox
    command: sleep 60
    network_mode: none
    stop_signal: SIGKILL
    sysctls:
      net.core.somaxconn: 1024
      kernel.shmmax: 123456
    pid: host
    ipc: shareable
    cgroup: host
EOF2
		mr compose -p proj up -d 2>"$R.err" || die "up: $(cat "$R.err")"
		grep -q "sysctls is not applied" "$R.err" && die "up still warns: $(cat "$R.err")"
		out=$(mr exec proj-app-1 cat /proc/sys/net/core/somaxconn /proc/sys/kernel/shmmax)
		[ "$out" = "1024
123456" ] || die "inside: $out"
		[ "$(mr inspect -f "{{.HostConfig.PidMode}} {{.HostConfig.IpcMode}} {{.HostConfig.CgroupnsMode}}" proj-app-1)" = "host shareable host" ] ||
			die "pid/ipc/cgroup: $(mr inspect -f "{{.HostConfig.PidMode}} {{.HostConfig.IpcMode}} {{.HostConfig.CgroupnsMode}}" proj-app-1)"
		mr compose -p proj down >/dev/null 2>&1 || die down
		ct_noleaks
	'
}
t "compose sysctls, pid, ipc, cgroup: applied as --sysctl, --pid, --ipc, --cgroupns" compose_sysctls_applied

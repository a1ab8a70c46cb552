# tests/integration/containers/defaults.t - what docker gives every container, seen from
# inside one made by `minirun run`: its 14 capabilities and the seccomp allow-list (unshare
# and mount refused, ordinary commands fine; --cap-add SYS_ADMIN brings them back), masked
# and read-only /proc paths, a read-only /sys, a /dev with only the safe nodes; and the flags
# that change them: --privileged, --cap-drop, --security-opt, -u, --read-only, --tmpfs,
# --init, -m/--pids-limit. Each test checks that nothing is left behind.
# Run: sh tests/integration/containers/defaults.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

default_caps_and_seccomp() {
	ct_need
	ct_host '
		out=$(mr run --rm busybox grep -E "^(CapInh|CapEff|CapBnd|NoNewPrivs|Seccomp):" \
			/proc/self/status) || die "run exited $?: $out"
		echo "$out"
		# docker 14: chown dac_override fowner fsetid kill setgid setuid setpcap
		# net_bind_service net_raw sys_chroot mknod audit_write setfcap
		echo "$out" | grep -q "^CapEff:	00000000a80425fb$" || die "effective set"
		echo "$out" | grep -q "^CapBnd:	00000000a80425fb$" || die "bounding set"
		echo "$out" | grep -q "^CapInh:	0000000000000000$" || die "inheritable set"
		echo "$out" | grep -q "^Seccomp:	2$" || die "no seccomp filter"
		echo "$out" | grep -q "^NoNewPrivs:	0$" || die "no_new_privs without the flag"
		ct_noleaks
	'
}
t "a container has docker's 14 capabilities, none inheritable, and a seccomp filter" default_caps_and_seccomp

# docker's sysctls for a container with a network namespace of its own (bundle/config.c),
# written by the thread that makes the namespace (oci/runtime.c) and not again by the init;
# a --sysctl that changes one of them is the init's to write, and wins.
default_net_sysctls() {
	ct_need
	ct_host '
		f="/proc/sys/net/ipv4/ip_unprivileged_port_start /proc/sys/net/ipv4/ping_group_range"
		[ -e /proc/sys/net/ipv6 ] && f="$f /proc/sys/net/ipv6/conf/all/disable_ipv6 /proc/sys/net/ipv6/conf/lo/disable_ipv6"
		out=$(mr run --rm --network none busybox cat $f) || die "run exited $?: $out"
		echo "$out"
		want="0 0 2147483647"
		[ -e /proc/sys/net/ipv6 ] && want="$want 1 1"
		[ "$(echo $out)" = "$want" ] || die "the sysctls: $(echo $out), not $want"
		out=$(mr -v run --rm --network none busybox true 2>&1) || die "run -v exited $?"
		echo "$out" | grep -q "sysctl net.ipv4.ping_group_range=0 2147483647: written already" ||
			die "the init wrote ping_group_range again"
		out=$(mr run --rm --network none --sysctl net.ipv4.ip_unprivileged_port_start=1024 \
			busybox cat /proc/sys/net/ipv4/ip_unprivileged_port_start) || die "run --sysctl: $out"
		[ "$out" = 1024 ] || die "--sysctl ip_unprivileged_port_start=1024 gave $out"
		ct_noleaks
	'
}
t "docker's net sysctls (ports, ping, IPv6 off) in the container; --sysctl overrides one" default_net_sysctls

seccomp_refuses_namespaces_and_mounts() {
	ct_need
	ct_host '
		out=$(mr run --rm --network none busybox sh -c "
			unshare -m true 2>&1; echo unshare=\$?
			mount -t tmpfs none /mnt 2>&1; echo mount=\$?
			ls / >/dev/null && echo ls=ok; echo x > /tmp/f && cat /tmp/f
			sleep 0.1 & wait; echo fork=ok")
		echo "$out"
		echo "$out" | grep -q "unshare=1" || die "unshare was not refused"
		echo "$out" | grep -q "Operation not permitted" || die "not EPERM"
		echo "$out" | grep -q "mount=[1-9]" || die "mount was not refused"
		echo "$out" | grep -q "ls=ok" || die "ls failed"
		echo "$out" | grep -qx "x" || die "file I/O failed"
		echo "$out" | grep -q "fork=ok" || die "fork (clone without namespace flags) failed"
		ct_noleaks
	'
}
t "unshare and mount are refused inside (EPERM), files, fork and wait work" seccomp_refuses_namespaces_and_mounts

cap_add_opens_the_gate() {
	ct_need
	ct_host '
		out=$(mr run --rm --network none --cap-add SYS_ADMIN busybox sh -c "
			unshare -m true; echo unshare=\$?
			mount -t tmpfs none /mnt; echo mount=\$?") 2>&1
		echo "$out"
		echo "$out" | grep -q "unshare=0" || die "unshare refused with CAP_SYS_ADMIN"
		echo "$out" | grep -q "mount=0" || die "mount refused with CAP_SYS_ADMIN"
		out=$(mr run --rm --network none --cap-drop ALL busybox sh -c "
			grep CapEff /proc/self/status; chown 1 /tmp 2>&1; echo chown=\$?")
		echo "$out"
		echo "$out" | grep -q "CapEff:	0000000000000000" || die "--cap-drop ALL left some"
		echo "$out" | grep -q "chown=1" || die "chown worked without CAP_CHOWN"
		ct_noleaks
	'
}
t "--cap-add SYS_ADMIN brings mount and unshare (seccomp follows); --cap-drop ALL drops all" cap_add_opens_the_gate

masked_and_readonly_paths() {
	ct_need
	ct_host '
		out=$(mr run --rm --network none busybox sh -c "
			echo keys=\$(wc -c < /proc/keys)
			echo x > /proc/sys/kernel/domainname 2>/dev/null; echo procsys=\$?
			echo 1 > /proc/sysrq-trigger 2>/dev/null; echo sysrq=\$?
			touch /sys/x 2>/dev/null; echo sys=\$?
			grep -E \" /sys (sysfs|none) \" /proc/mounts
			grep \" /dev/shm \" /proc/mounts
			grep \" /dev/pts \" /proc/mounts
			ls /dev")
		echo "$out"
		echo "$out" | grep -q "keys=0" || die "/proc/keys is not masked"
		echo "$out" | grep -q "procsys=1" || die "/proc/sys is writable"
		echo "$out" | grep -q "sysrq=1" || die "/proc/sysrq-trigger is writable"
		echo "$out" | grep -q "sys=1" || die "/sys is writable"
		echo "$out" | grep -E " /sys " | grep -q "[ ,]ro[ ,]" || die "/sys not mounted ro"
		echo "$out" | grep " /dev/shm " | grep -q "size=65536k" || die "/dev/shm is not 64M"
		echo "$out" | grep " /dev/pts " | grep -q "ptmxmode=666" || die "/dev/pts options"
		echo "$out" | grep -qx "null" || die "no /dev/null"
		for d in sda vda nvme0 kmsg mem port; do
			echo "$out" | grep -qx "$d" && die "/dev/$d is in the container"
		done
		ct_noleaks
	'
}
t "masked and read-only /proc paths, /sys read-only, /dev with only safe nodes" masked_and_readonly_paths

privileged_undoes_it() {
	ct_need
	ct_host '
		out=$(mr run --rm --network none --privileged busybox sh -c "
			grep -E \"^(CapEff|Seccomp):\" /proc/self/status
			mount -t tmpfs none /mnt && echo mount=ok
			echo keys=\$(wc -c < /proc/keys)
			ls /dev | wc -l") 2>&1
		echo "$out"
		echo "$out" | grep -q "Seccomp:	0" || die "a seccomp filter with --privileged"
		echo "$out" | grep -q "mount=ok" || die "mount refused with --privileged"
		eff=$(echo "$out" | sed -n "s/^CapEff:	//p")
		own=$(sed -n "s/^CapBnd:	//p" /proc/self/status)
		[ "$eff" = "$own" ] || die "CapEff $eff is not every capability this host has ($own)"
		ct_noleaks
	'
}
t "--privileged: every capability this host has, no seccomp, mount works" privileged_undoes_it

security_opts() {
	ct_need
	cat >"$R.seccomp.json" <<-EOF
		{"defaultAction": "SCMP_ACT_ALLOW",
		 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}
	EOF
	ct_host '
		out=$(mr run --rm --network none --security-opt no-new-privileges busybox \
			grep NoNewPrivs /proc/self/status)
		[ "$out" = "NoNewPrivs:	1" ] || die "no-new-privileges: $out"
		out=$(mr run --rm --network none --security-opt seccomp=unconfined busybox \
			grep Seccomp: /proc/self/status)
		[ "$out" = "Seccomp:	0" ] || die "seccomp=unconfined: $out"
		out=$(mr run --rm --network none --security-opt "seccomp=$R.seccomp.json" \
			busybox sh -c "mkdir /x 2>&1; echo mkdir=\$?; touch /y; echo touch=\$?")
		echo "$out"
		echo "$out" | grep -q "mkdir=1" || die "the profile did not refuse mkdir"
		echo "$out" | grep -q "touch=0" || die "the profile refused touch"
		out=$(mr run --rm --security-opt label=x busybox true 2>&1); rc=$?
		[ $rc = 125 ] || die "label=x: exit $rc"
		echo "$out" | grep -q "invalid --security-opt" || die "$out"
		ct_noleaks
	'
}
t "--security-opt no-new-privileges, seccomp=unconfined, seccomp=FILE; others refused" security_opts

user_from_the_image() {
	ct_need
	ct_host '
		out=$(mr run --rm --network none -u nobody busybox id) || die "run -u nobody"
		[ "$out" = "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)" ] || die "id: $out"
		out=$(mr run --rm --network none -u 1234:5678 busybox sh -c "id -u; id -g" 2>&1 | tr "\n" " ")
		[ "$out" = "1234 5678 " ] || die "uid:gid: $out"
		out=$(mr run --rm --network none -u nosuch busybox true 2>&1); rc=$?
		[ $rc = 125 ] || die "unknown user: exit $rc"
		echo "$out" | grep -q "unable to find user nosuch: no matching entries in passwd file" ||
			die "$out"
		ct_noleaks
	'
}
t "-u resolves in the image's passwd; an unknown user: docker's message, 125, nothing left" user_from_the_image

readonly_root_and_tmpfs() {
	ct_need
	ct_host '
		out=$(mr run --rm --network none --read-only --tmpfs /scratch:size=1m busybox sh -c "
			touch /x 2>&1; echo root=\$?; touch /scratch/x; echo scratch=\$?
			grep \" /scratch \" /proc/mounts")
		echo "$out"
		echo "$out" | grep -q "root=1" || die "the root is writable"
		echo "$out" | grep -q "scratch=0" || die "the tmpfs is not writable"
		echo "$out" | grep " /scratch " | grep -q "noexec" || die "--tmpfs is not noexec"
		echo "$out" | grep " /scratch " | grep -q "size=1024k" || die "--tmpfs size"
		ct_noleaks
	'
}
t "--read-only makes the root read-only; --tmpfs mounts a writable noexec tmpfs" readonly_root_and_tmpfs

init_forwards_and_reaps() {
	ct_need
	ct_host '
		out=$(mr run --rm --network none --init busybox sh -c "ps -o pid,args") ||
			die "run --init: $out"
		echo "$out"
		echo "$out" | grep -Eq "^ *1 /dev/init -- sh" || die "pid 1 is not the init"
		# sleep as pid 1 ignores SIGTERM (no handler); under the init it dies at once
		mr run -d --name ini --network none --init busybox sleep 300 >/dev/null || die "run -d"
		start=$(date +%s)
		mr stop -t 20 ini >/dev/null || die "stop"
		took=$(($(date +%s) - start))
		[ $took -lt 10 ] || die "stop took ${took}s: SIGTERM was not forwarded"
		[ "$(ct_field ini State.ExitCode)" = 143 ] || die "exit $(ct_field ini State.ExitCode)"
		mr rm ini >/dev/null
		ct_noleaks
	'
}
t "--init: pid 1 is /dev/init, which forwards stop's SIGTERM (exit 143 at once)" init_forwards_and_reaps

limits_reach_the_cgroup() {
	ct_need
	ct_host '
		mr run -d --name lim --network none -m 32m --pids-limit 17 busybox sleep 300 \
			>/dev/null || die "run -d"
		id=$(ct_field lim Id)
		pm=$(find /sys/fs/cgroup -path "*$id*" -name pids.max 2>/dev/null | head -n 1)
		[ -n "$pm" ] || die "no pids cgroup for $id"
		[ "$(cat "$pm")" = 17 ] || die "pids.max $(cat "$pm")"
		mm=$(find /sys/fs/cgroup -path "*$id*" \( -name memory.max -o \
			-name memory.limit_in_bytes \) 2>/dev/null | head -n 1)
		[ -n "$mm" ] || die "no memory cgroup"
		[ "$(cat "$mm")" = 33554432 ] || die "memory limit $(cat "$mm")"
		# and stats reads them back (v1 files here, v2 in the VM)
		st=$(mr stats --no-stream --format "{{.MemUsage}} {{.PIDs}}" lim) || die "stats"
		echo "$st" | grep -Eq "^[0-9.]+[KMG]?i?B / 32MiB 1$" || die "stats: $st"
		mr rm -f lim >/dev/null
		ct_noleaks
	'
}
t "-m and --pids-limit reach the container's cgroup, and stats reads them back" limits_reach_the_cgroup

oom_kill_is_recorded() {
	ct_need
	ct_host '
		mr run --name hog --network none -m 8m busybox sh -c "x=a; while :; do x=\$x\$x; done"
		echo "hog: $? $(mr inspect -f "{{.State.OOMKilled}} {{.State.ExitCode}}" hog)"
		mr run --name calm --network none -m 8m busybox sh -c "exit 3"
		echo "calm: $? $(mr inspect -f "{{.State.OOMKilled}} {{.State.ExitCode}}" calm)"
		mr rm -f hog calm >/dev/null
		ct_noleaks
	' >"$T_DIR/out" 2>&1 || t_fail "$(cat "$T_DIR/out")"
	out=$(cat "$T_DIR/out")
	t_match "$out" "^hog: 137 true 137$" "the memory hog (v2 memory.events, or a hybrid host's v1 oom_control)"
	t_match "$out" "^calm: 3 false 3$" "a container that exits on its own"
}
t "a memory-limit kill sets State.OOMKilled (exit 137), an ordinary exit does not" oom_kill_is_recorded

t_end

# tests/integration/compose/resources.t - a service's resource, OOM, block-IO, DNS and
# label_file keys run for real by `minirun compose up -d`, each read back from inside the
# running container (the cgroup files, /proc/1/oom_score_adj, /etc/resolv.conf, /etc/hosts)
# and from inspect: cpu_shares, cpu_period, cpu_quota, cpuset; mem_limit, mem_reservation,
# memswap_limit, mem_swappiness, oom_kill_disable, oom_score_adj; blkio_config's device
# throttles; dns, dns_search, dns_opt, extra_hosts; label_file under labels; the first
# network's ipv4_address; mac_address. Each key is a flag of `run` (minirun/compose/resources.c), which
# `-v` shows. Bad values: the load's one line (FILE:LINE: services.S.KEY: ...) or the front end's behind `service "S": `, and
# no container left; the keys no run flag stands for (cpu_count ...) warned about;
# volumes_from as --volumes-from. Host-only, like the other compose suites (tests/vm/host-only.list): in the VM,
# containers/resources.t runs the same flags against the pure v2 files; the v2 branches
# here follow it. Each test runs in a throwaway namespace playing the host.
# Run: sh tests/integration/compose/resources.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

# PROJ YAML-BODY: the script ct_host runs first, writing a project `rs` of one service `w`
# (busybox, sleeping) with the keys of YAML-BODY (indented four spaces). The tests end it
# with `down -t 0`: sleep as PID 1 ignores SIGTERM, so -t 1 only waited out a second a
# level, and how a container stops is compose/stop.t's subject, not this suite's
proj() {
	printf '%s\n' '
mkdir -p $R/../rs && cd $R/../rs || die cd
mc() { mr compose -p rs "$@"; }
cat >compose.yaml <<EOF2
services:
  w:
    image: busybox
    command: sleep 300'
	printf '%s\n' "$1"
	printf '%s\n' 'EOF2'
}

cpu_keys_reach_the_cgroup() {
	ct_need
	out=$(ct_host "$(proj '    network_mode: none
    cpu_shares: 512
    cpu_period: 50000
    cpu_quota: 25000
    cpuset: "0"')"'
		mr -v compose -p rs up -d 2>"$R.v" || die "up: $(cat "$R.v")"
		echo "flags: $(grep -o -- "--cpu-shares 512 --cpu-period 50000 --cpu-quota 25000" "$R.v")"
		# v2: cpu.max "QUOTA PERIOD", shares as cpu.weight (runc'"'"'s conversion: 20)
		mr exec rs-w-1 sh -c "cd /sys/fs/cgroup
			if [ -f cgroup.controllers ]; then
				echo inside: \$(cat cpu.weight) \$(cat cpu.max) \$(cat cpuset.cpus)
			else
				echo inside: \$(cat cpu/cpu.shares) \$(cat cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us) \$(cat cpuset/cpuset.cpus)
			fi"
		echo "inspect: $(mr inspect -f "{{.HostConfig.CpuShares}} {{.HostConfig.CpuPeriod}} {{.HostConfig.CpuQuota}} {{.HostConfig.CpusetCpus}}" rs-w-1)"
		mc down -t 0 >/dev/null 2>&1 || die down
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^flags: --cpu-shares 512 --cpu-period 50000 --cpu-quota 25000$' "-v shows run's flags"
	if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		t_match "$out" '^inside: 20 25000 50000 0$' "cpu.weight, cpu.max, cpuset.cpus"
	else
		t_match "$out" '^inside: 512 25000 50000 0$' "cpu.shares, the cfs files, cpuset.cpus"
	fi
	t_match "$out" '^inspect: 512 50000 25000 0$' "HostConfig's fields"
}
t "cpu_shares, cpu_period, cpu_quota, cpuset: read back from the cgroup inside" cpu_keys_reach_the_cgroup

memory_keys_reach_the_cgroup() {
	ct_need
	out=$(ct_host "$(proj '    network_mode: none
    mem_limit: 64m
    mem_reservation: 32m
    memswap_limit: 96m
    mem_swappiness: 10
    oom_kill_disable: true
    oom_score_adj: 500')"'
		mc up -d 2>"$R.err" || die "up: $(cat "$R.err")"
		mr exec rs-w-1 sh -c "cd /sys/fs/cgroup; echo adj: \$(cat /proc/1/oom_score_adj)
			if [ -f cgroup.controllers ]; then
				echo inside: \$(cat memory.max memory.low)
			else
				cd memory; echo inside: \$(cat memory.limit_in_bytes memory.soft_limit_in_bytes \
					memory.memsw.limit_in_bytes memory.swappiness) \
					\$(grep oom_kill_disable memory.oom_control)
			fi"
		echo "inspect: $(mr inspect -f "{{.HostConfig.Memory}} {{.HostConfig.MemoryReservation}} {{.HostConfig.MemorySwap}} {{.HostConfig.OomScoreAdj}}" rs-w-1)"
		mc down -t 0 >/dev/null 2>&1 || die down
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^adj: 500$' "oom_score_adj: PID 1's score inside"
	if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		t_match "$out" '^inside: 67108864 33554432$' "memory.max, memory.low"
	else
		t_match "$out" '^inside: 67108864 33554432 100663296 10 oom_kill_disable 1$' \
			"limit, soft limit, memsw, swappiness, oom_kill_disable: the v1 memory files"
	fi
	t_match "$out" '^inspect: 67108864 33554432 100663296 500$' "HostConfig's fields"
}
t "mem_limit, mem_reservation, memswap_limit, mem_swappiness, oom_*: the memory cgroup inside" memory_keys_reach_the_cgroup

blkio_throttles_reach_the_cgroup() {
	ct_need
	d=$(disk)
	[ -n "$d" ] || t_skip "no block device here to throttle (/sys/block is empty)"
	export D="$d"
	out=$(ct_host "$(proj "    network_mode: none
    blkio_config:
      device_read_bps: [{path: $d, rate: 1mb}]
      device_write_iops: [{path: $d, rate: 100}]")"'
		mm=$(stat -L -c "%t:%T" "$D") && mm=$(printf "%d:%d" 0x${mm%:*} 0x${mm#*:})
		echo "mm: $mm"
		mc up -d 2>"$R.err" || die "up: $(cat "$R.err")"
		mr exec rs-w-1 sh -c "cd /sys/fs/cgroup; if [ -f cgroup.controllers ]; then cat io.max;
			else cat blkio/blkio.throttle.read_bps_device blkio/blkio.throttle.write_iops_device; fi" |
			tr "\n" " " | sed "s/^/inside: /; s/ \$//"; echo
		mc down -t 0 >/dev/null 2>&1 || die down
		ct_noleaks') || t_fail "$out"
	mm=$(echo "$out" | sed -n 's/^mm: //p')
	if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		t_match "$out" "^inside: $mm rbps=1048576 wbps=max riops=max wiops=100\$" "io.max"
	else
		t_match "$out" "^inside: $mm 1048576 $mm 100\$" "the blkio throttle files"
	fi
}
t "blkio_config device_read_bps (a size), device_write_iops: the throttle files inside" blkio_throttles_reach_the_cgroup

dns_hosts_and_label_file() {
	ct_need
	out=$(ct_host "$(proj '    network_mode: none
    dns: 10.0.0.53
    dns_search: [corp.example]
    dns_opt: [ndots:2]
    extra_hosts: ["db.test=10.1.1.1", "cache.test:10.1.1.2"]
    label_file: ./meta.labels
    labels: {tier: from-labels}')"'
		printf "tier=from-file\nteam=core\n" >meta.labels
		mc up -d 2>"$R.err" || die "up: $(cat "$R.err")"
		mr exec rs-w-1 cat /etc/resolv.conf | sed "s/^/resolv: /"
		mr exec rs-w-1 grep test /etc/hosts | sed "s/^/hosts: /"
		echo "labels: $(mr inspect -f "{{index .Config.Labels \"tier\"}} {{index .Config.Labels \"team\"}}" rs-w-1)"
		mc down -t 0 >/dev/null 2>&1 || die down
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^resolv: nameserver 10.0.0.53$' "dns"
	t_match "$out" '^resolv: search corp.example$' "dns_search"
	t_match "$out" '^resolv: options ndots:2$' "dns_opt"
	t_match "$out" '^hosts: 10.1.1.1[[:space:]]+db.test$' "extra_hosts, the = form"
	t_match "$out" '^hosts: 10.1.1.2[[:space:]]+cache.test$' "extra_hosts, the : form"
	t_match "$out" '^labels: from-labels core$' "label_file's labels, under the service's labels"
}
t "dns, dns_search, dns_opt, extra_hosts inside; label_file under labels" dns_hosts_and_label_file

ipv4_address_is_the_address_inside() {
	ct_need net
	out=$(ct_host '
		mkdir -p $R/../ip && cd $R/../ip || die cd
		# the network made first, so that the test knows its subnet (ipam is not read)
		mr network create ipn >/dev/null || die "network create"
		sub=$(mr network inspect -f "{{range .IPAM.Config}}{{.Subnet}}{{end}}" ipn)
		ip=${sub%.*}.77
		echo "want: $ip"
		printf "services:\n  w:\n    image: busybox\n    command: sleep 300\n    networks:\n      ipn: {ipv4_address: %s}\nnetworks:\n  ipn: {external: true}\n" "$ip" >compose.yaml
		mr -v compose -p ip up -d 2>"$R.v" || die "up: $(cat "$R.v")"
		grep -o -- "--ip [0-9.]*" "$R.v" | sed "s/^/flag: /"
		mr exec ip-w-1 ip -4 addr show eth0 | grep -o "inet [0-9.]*" | sed "s/^/inside: /"
		mr compose -p ip down -t 0 >/dev/null 2>&1 || die down
		mr network rm ipn >/dev/null
		ct_noleaks') || t_fail "$out"
	ip=$(echo "$out" | sed -n 's/^want: //p')
	[ -n "$ip" ] || t_fail "no subnet: $out"
	t_match "$out" "^flag: --ip $ip\$" "run's --ip"
	t_match "$out" "^inside: inet $ip\$" "eth0's address inside"
}
t "networks.NET.ipv4_address (the first network's): run's --ip, the address inside" ipv4_address_is_the_address_inside

mac_address_is_the_mac_inside() {
	ct_need net
	out=$(ct_host "$(proj '    mac_address: 02:42:0a:59:00:42')"'
		mr -v compose -p rs up -d 2>"$R.v" || die "up: $(cat "$R.v")"
		grep -o -- "--mac-address [0-9a-f:]*" "$R.v" | sed "s/^/flag: /"
		grep "mac_address" "$R.v" | sed "s/^/warned: /"
		mr exec rs-w-1 cat /sys/class/net/eth0/address | sed "s/^/inside: /"
		mr inspect -f "{{.Config.MacAddress}}" rs-w-1 | sed "s/^/inspect: /"
		mc down -t 0 >/dev/null 2>&1 || die down
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^flag: --mac-address 02:42:0a:59:00:42$' "run's --mac-address"
	t_match "$out" '^inside: 02:42:0a:59:00:42$' "eth0's MAC inside (on the project's network)"
	t_match "$out" '^inspect: 02:42:0a:59:00:42$' "Config.MacAddress"
	t_nomatch "$out" '^warned: ' "no longer warned about as not applied"
}
t "mac_address: run's --mac-address, the MAC inside" mac_address_is_the_mac_inside

bad_values_one_line_nothing_left() {
	ct_need
	out=$(ct_host "$(proj '    oom_score_adj: 2000')"'
		mc up -d 2>&1 && die "accepted oom_score_adj 2000"
		echo "containers: $(mr ps -aq | wc -l)"
		sed -i "s/oom_score_adj: 2000/cpuset: \"9999\"/" compose.yaml
		mc up -d 2>&1 && die "accepted cpuset 9999"
		echo "containers: $(mr ps -aq | wc -l)"
		sed -i "s/cpuset: \"9999\"/memswap_limit: 1m\n    mem_limit: 64m/" compose.yaml
		mc up -d 2>&1 && die "accepted a swap limit under the memory limit"
		echo "containers: $(mr ps -aq | wc -l)"
		mc down >/dev/null 2>&1
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^minirun: .*compose.yaml:5: services.w.oom_score_adj: 2000 is out of range: it must be -1000 to 1000$' \
		"the load names FILE:LINE and the key"
	t_match "$out" '^minirun: service "w": Requested CPUs are not available - requested 9999' \
		"the front end's check, behind the service's name"
	t_match "$out" '^minirun: service "w": Minimum memoryswap limit should be larger than memory limit' \
		"memswap_limit under mem_limit: dockerd's words"
	t_nomatch "$out" '^containers: [1-9]' "no container left"
}
t "bad values: one line naming the service and key, nothing left" bad_values_one_line_nothing_left

unapplied_keys_are_warned() {
	ct_need
	out=$(ct_host "$(proj '    network_mode: none
    cpu_count: 2
    cpu_percent: 50')"'
		mc up -d 2>&1 || die "up failed"
		echo "cpu count: $(mr inspect -f "{{.HostConfig.CpuCount}}" rs-w-1)"
		mc down -t 0 >/dev/null 2>&1 || die down
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^minirun: WARN: service "w": cpu_count is a Windows key' "cpu_count"
	t_match "$out" '^minirun: WARN: service "w": cpu_percent is a Windows key' "cpu_percent"
	t_match "$out" 'Container rs-w-1  Started' "up goes on"
}
t "cpu_count, cpu_percent: warned about, up goes on" unapplied_keys_are_warned

volumes_from_mapped() {
	ct_need
	out=$(ct_host "$(proj '    network_mode: none
    volumes_from: [d, "service:b:ro", "container:plain"]
  d:
    image: busybox
    network_mode: none
    volumes: [/shared]
    command: sh -c "echo from-d >/shared/f; sleep 300"
  b:
    image: busybox
    network_mode: none
    volumes: [bvol:/bv]
    command: sleep 300
volumes:
  bvol: {}')"'
		mr run -d --network none --name plain -v /pv busybox sleep 300 >/dev/null || die "plain"
		mr -v compose -p rs up -d >up.log 2>&1 || die "up: $(cat up.log)"
		grep -o -- "--volumes-from [^ ]*" up.log | sed "s/^/flag: /"
		mr inspect -f "{{json .HostConfig.VolumesFrom}}" rs-w-1 | sed "s/^/from: /"
		mr exec rs-w-1 sh -c "cat /shared/f; touch /bv/x 2>&1; ls -d /pv" | sed "s/^/in w: /"
		mc down -v -t 0 >/dev/null 2>&1 || die down
		mr rm -f -v plain >/dev/null
		printf "services:\n  x:\n    image: busybox\n    volumes_from: [nosuch]\n" >bad.yaml
		mr compose -p rs -f bad.yaml up -d 2>&1 | sed "s/^/bad: /"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^flag: --volumes-from rs-d-1$' "a bare NAME is the service's first container"
	t_match "$out" '^flag: --volumes-from rs-b-1:ro$' "service:NAME:ro, the mode kept"
	t_match "$out" '^flag: --volumes-from plain$' "container:NAME is that container"
	t_match "$out" '^from: \["rs-d-1","rs-b-1:ro","plain"\]$' "inspect shows them"
	t_match "$out" '^in w: from-d$' "the service's volume is shared (and d was created first)"
	t_match "$out" '^in w: .*Read-only file system' ":ro holds"
	t_match "$out" '^in w: /pv$' "the container's volume is shared"
	t_match "$out" '^bad: .*service "x" has volumes_from an undefined service: nosuch' "an undefined service is refused"
}
t "volumes_from: service:NAME, NAME, container:NAME as run's --volumes-from" volumes_from_mapped

t_end

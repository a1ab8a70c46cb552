# tests/integration/containers/resources.t - docker's cgroup and OOM flags of run/create,
# each read back from inside a running container: --cpu-shares, --cpu-period, --cpu-quota,
# --cpuset-cpus, --cpuset-mems (the cgroup's own cpu and cpuset files), --memory-swappiness
# and --oom-kill-disable (v1 memory files; dropped with docker's warnings on a pure v2 host),
# --oom-score-adj (/proc/self/oom_score_adj), --blkio-weight and --device-*-bps/iops (the
# blkio throttle files, or io.max), with inspect's HostConfig fields; --label-file,
# --cidfile and --stop-timeout on create; what two of them do (a writer throttled to 1 MiB/s
# on a loop device of the test's own, a task past its limit left waiting by
# --oom-kill-disable); `update` of a running container made without them, and docker's
# conflicts across updates. Bad values: one line in docker's words, exit 125, nothing left. Runs on the hybrid host (v1 controllers) and in the VM (pure v2), where the
# same flags land in other files. Each test runs in a namespace playing the host.
# Run: sh tests/integration/containers/resources.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

cpu_flags_reach_the_cgroup() {
	ct_need
	ct_host '
		# v2: one cpu.max "QUOTA PERIOD"; shares become cpu.weight as runc converts them
		# (1 + (512 - 2) * 9999 / 262142 = 20); v1: the cfs files and cpu.shares as given
		out=$(mr run --rm --network none -c 512 --cpu-period 50000 --cpu-quota 25000 \
			--cpuset-cpus 0 --cpuset-mems 0 busybox sh -c "
			cd /sys/fs/cgroup
			if [ -f cgroup.controllers ]; then
				echo \$(cat cpu.weight) \$(cat cpu.max) \$(cat cpuset.cpus) \$(cat cpuset.mems)
			else
				echo \$(cat cpu/cpu.shares) \$(cat cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us) \
					\$(cat cpuset/cpuset.cpus) \$(cat cpuset/cpuset.mems)
			fi" 2>&1) || die "run: $out"
		if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
			[ "$out" = "20 25000 50000 0 0" ] || die "v2 files: $out"
		else
			[ "$out" = "512 25000 50000 0 0" ] || die "v1 files: $out"
		fi
		echo "inside: $out"
		mr create --network none --name c1 -c 512 --cpu-period 50000 --cpu-quota 25000 \
			--cpuset-cpus 0 --cpuset-mems 0 busybox true >/dev/null || die "create"
		hc=$(mr inspect -f "{{.HostConfig.CpuShares}} {{.HostConfig.CpuPeriod}} {{.HostConfig.CpuQuota}} {{.HostConfig.CpusetCpus}} {{.HostConfig.CpusetMems}} {{.HostConfig.NanoCpus}}" c1)
		[ "$hc" = "512 50000 25000 0 0 0" ] || die "inspect: $hc"
		mr rm c1 >/dev/null
		ct_noleaks
	'
}
t "--cpu-shares, --cpu-period, --cpu-quota, --cpuset-*: read back from the cgroup inside" cpu_flags_reach_the_cgroup

memory_knobs_v1_or_dropped() {
	ct_need
	ct_host '
		out=$(mr run --rm --network none -m 64m --memory-swappiness 10 --oom-kill-disable \
			busybox sh -c "cd /sys/fs/cgroup; if [ -f cgroup.controllers ]; then echo v2;
			else cat memory/memory.swappiness; grep oom_kill_disable memory/memory.oom_control; fi" \
			2>"$R.err") || die "run: $out $(cat "$R.err")"
		if [ -d /sys/fs/cgroup/memory ]; then
			[ "$out" = "10
oom_kill_disable 1" ] || die "v1 memory files: $out"
			[ ! -s "$R.err" ] || die "a warning on a v1 host: $(cat "$R.err")"
		else
			# docker on cgroup v2: both dropped, with its warnings, the container made
			[ "$out" = v2 ] || die "v2: $out"
			grep -q "^WARNING: Your kernel does not support memory swappiness capabilities or the cgroup is not mounted. Memory swappiness discarded.$" "$R.err" ||
				die "no swappiness warning: $(cat "$R.err")"
			grep -q "^WARNING: Your kernel does not support OomKillDisable. OomKill disabling discarded.$" "$R.err" ||
				die "no oom warning: $(cat "$R.err")"
		fi
		echo "inside: $out"
		# without -m, docker warns that nothing bounds the container any more
		mr create --network none --name m1 --oom-kill-disable --memory-swappiness 0 busybox true \
			>/dev/null 2>"$R.err" || die "create: $(cat "$R.err")"
		if [ -d /sys/fs/cgroup/memory ]; then
			grep -q "^WARNING: OOM killer is disabled for the container, but no memory limit is set" "$R.err" ||
				die "no warning for --oom-kill-disable without -m: $(cat "$R.err")"
			hc=$(mr inspect -f "{{json .HostConfig.MemorySwappiness}} {{.HostConfig.OomKillDisable}}" m1)
			[ "$hc" = "0 true" ] || die "inspect: $hc"
		else
			hc=$(mr inspect -f "{{json .HostConfig.MemorySwappiness}} {{.HostConfig.OomKillDisable}}" m1)
			[ "$hc" = "null false" ] || die "inspect (v2, dropped): $hc"
		fi
		mr rm m1 >/dev/null
		ct_noleaks
	'
}
t "--memory-swappiness, --oom-kill-disable: v1 memory files, or dropped with docker's warnings on v2" memory_knobs_v1_or_dropped

oom_kill_disable_makes_it_wait() {
	ct_need
	[ -d /sys/fs/cgroup/memory ] ||
		t_skip "no v1 memory hierarchy: --oom-kill-disable is dropped here, as docker does"
	ct_host '
		# a string doubled without end in a 16 MiB cgroup with no swap: without the OOM
		# killer the task waits for memory (under_oom 1) instead of dying; rm -f still
		# ends it. The memory must be touched from user space: a fault taken inside a
		# system call (dd reading /dev/zero into its buffer) is not held under v1; the
		# read comes back short instead, and dd exits 0 (seen 2 runs in 12).
		id=$(mr run -d --network none -m 16m --memory-swap 16m --oom-kill-disable busybox \
			awk "BEGIN { s = \"x\"; while (1) s = s s }") || die "run: $id"
		i=0 f=
		until [ -n "$f" ] && grep -q "^under_oom 1" "$f" 2>/dev/null; do
			f=$(find /sys/fs/cgroup/memory -path "*$id*" -name memory.oom_control | head -n 1)
			i=$((i + 1))
			[ $i -lt 50 ] || die "not under OOM: ${f:-no cgroup of $id}: $(cat "$f" 2>&1)"
			sleep 0.1
		done
		sleep 0.5
		grep -q "^oom_kill 0" "$f" || die "the OOM killer struck: $(cat "$f")"
		[ "$(ct_status "$id")" = running ] || die "status $(ct_status "$id")"
		mr rm -f "$id" >/dev/null || die "rm -f of a task waiting on memory"
		ct_noleaks
	'
}
t "--oom-kill-disable: past its limit a task waits (under_oom 1), is not killed; rm -f ends it" oom_kill_disable_makes_it_wait

oom_score_adj_inside() {
	ct_need
	ct_host '
		out=$(mr run --rm --network none --oom-score-adj 500 busybox cat /proc/self/oom_score_adj 2>&1) ||
			die "run: $out"
		[ "$out" = 500 ] || die "oom_score_adj inside: $out"
		# docker sets it always: 0 when not given, whatever the caller has
		out=$(sh -c "echo 300 >/proc/self/oom_score_adj; exec \"\$MINIRUN\" --root \"\$R\" run --rm --network none busybox cat /proc/self/oom_score_adj" 2>&1) ||
			die "run: $out"
		[ "$out" = 0 ] || die "the caller'"'"'s score leaked in: $out"
		# below its own score, a process needs CAP_SYS_RESOURCE: without it the flag is
		# refused before anything is made, saying so
		cap=$(awk "/^CapEff/ {print \$2}" /proc/self/status)
		if [ $(( 0x$cap >> 24 & 1 )) = 0 ]; then
			out=$(mr run --rm --network none --oom-score-adj -5 busybox true 2>&1); rc=$?
			[ $rc = 125 ] || die "-5 without CAP_SYS_RESOURCE: exit $rc: $out"
			echo "$out" | grep -q "^minirun: --oom-score-adj -5: lowering the OOM score below this process.s own (0) needs CAP_SYS_RESOURCE" ||
				die "message: $out"
		else
			out=$(mr run --rm --network none --oom-score-adj -5 busybox cat /proc/self/oom_score_adj 2>&1)
			[ "$out" = -5 ] || die "-5: $out"
		fi
		[ -z "$(mr ps -aq)" ] || die "a container was left"
		ct_noleaks
	'
}
t "--oom-score-adj: /proc/self/oom_score_adj inside; a lower score needs CAP_SYS_RESOURCE" oom_score_adj_inside

blkio_throttles_reach_the_cgroup() {
	ct_need
	d=$(disk)
	[ -n "$d" ] || t_skip "no block device here to throttle (/sys/block is empty)"
	export D="$d"
	ct_host '
		mm=$(stat -L -c "%t:%T" "$D") && mm=$(printf "%d:%d" 0x${mm%:*} 0x${mm#*:})
		out=$(mr run --rm --network none --device-read-bps "$D:1mb" --device-write-iops "$D:100" \
			busybox sh -c "cd /sys/fs/cgroup; if [ -f cgroup.controllers ]; then cat io.max;
			else cat blkio/blkio.throttle.read_bps_device blkio/blkio.throttle.write_iops_device; fi" 2>&1) ||
			die "run: $out"
		if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
			[ "$out" = "$mm rbps=1048576 wbps=max riops=max wiops=100" ] || die "io.max: $out"
		else
			[ "$out" = "$mm 1048576
$mm 100" ] || die "blkio.throttle: $out"
		fi
		echo "inside ($D is $mm): $out"
		mr create --network none --name b1 --device-read-bps "$D:1mb" --device-write-bps "$D:2mb" \
			--device-read-iops "$D:10" --device-write-iops "$D:20" busybox true >/dev/null || die create
		hc=$(mr inspect -f "{{json .HostConfig.BlkioDeviceReadBps}} {{json .HostConfig.BlkioDeviceWriteBps}} {{json .HostConfig.BlkioDeviceReadIOps}} {{json .HostConfig.BlkioDeviceWriteIOps}}" b1)
		[ "$hc" = "[{\"Path\":\"$D\",\"Rate\":1048576}] [{\"Path\":\"$D\",\"Rate\":2097152}] [{\"Path\":\"$D\",\"Rate\":10}] [{\"Path\":\"$D\",\"Rate\":20}]" ] ||
			die "inspect: $hc"
		mr rm b1 >/dev/null
		ct_noleaks
	'
}
t "--device-read-bps, --device-write-iops: the blkio throttle files (v1) or io.max (v2) inside" blkio_throttles_reach_the_cgroup

throttle_holds_a_writer_back() {
	ct_need
	t_need losetup dd truncate
	losetup -f >/dev/null 2>&1 || t_skip "no free loop device here (the loop module)"
	case $(date +%N) in *[!0-9]*) t_skip "this date has no %N (nanoseconds)" ;; esac
	ct_host '
		# a disk of the test'"'"'s own: a loop device over a file; 2 MiB of direct writes
		# (v1 throttles only direct I/O) at 1 MiB/s take over a second, without the
		# limit a fraction of one
		truncate -s 16M "$R.img" || die truncate
		dev=$(losetup -f --show "$R.img") || die "losetup: no free loop device"
		trap "losetup -d $dev" EXIT
		w() { s=$(date +%s%N); mr run --rm --network none --device "$dev" "$@" busybox \
			dd if=/dev/zero of="$dev" bs=1M count=2 oflag=direct 2>/dev/null >&2 || die "dd $*";
			echo $(( ($(date +%s%N) - s) / 1000000 )); }
		free=$(w) slow=$(w --device-write-bps "$dev:1mb")
		echo "2 MiB to $dev: ${free} ms free, ${slow} ms at --device-write-bps 1mb"
		[ "$slow" -ge 1000 ] || die "the throttle did not hold: $slow ms"
		[ "$slow" -gt $((free + 500)) ] || die "no slower than without it: $slow vs $free ms"
		losetup -d "$dev"; trap - EXIT
		rm -f "$R.img"
		ct_noleaks
	'
}
t "--device-write-bps 1mb holds a container's direct writes to a disk to 1 MiB/s" throttle_holds_a_writer_back

blkio_weight_or_a_named_refusal() {
	ct_need
	ct_host '
		out=$(mr run --rm --network none --blkio-weight 300 busybox sh -c "cd /sys/fs/cgroup
			if [ -f cgroup.controllers ]; then cat io.bfq.weight 2>/dev/null || cat io.weight
			else cat blkio/blkio.bfq.weight 2>/dev/null || cat blkio/blkio.weight; fi" 2>&1); rc=$?
		if [ $rc = 0 ]; then
			# BFQ takes the weight as it is; io.weight on its 1..10000 scale, as runc
			# converts it: 1 + (300 - 10) * 9999 / 990 = 2930
			case $out in
			"default 300" | 300 | "default 2930" | 2930) ;;
			*) die "the weight inside: $out" ;;
			esac
		else
			# this host keeps no weights (mq-deadline, no BFQ): refused by name, not dropped
			[ $rc = 125 ] || die "refused with exit $rc: $out"
			# here before anything is made (v1: blkio.weight; v2: no io controller), or by
			# the runtime on a v2 kernel without blk-iocost or BFQ (io.weight)
			echo "$out" | grep -Eq "^minirun: .*(blkio|io)\.weight" || die "message: $out"
		fi
		echo "$out"
		[ -z "$(mr ps -aq)" ] || die "a container was left"
		ct_noleaks
	'
}
t "--blkio-weight: the weight file inside, or refused naming the file the host lacks" blkio_weight_or_a_named_refusal

bad_values_refused() {
	ct_need
	ct_host '
		# FLAGS|MESSAGE (after "minirun: "), each a run that must exit 125 and leave nothing
		while IFS="|" read -r flags msg; do
			[ -n "$flags" ] || continue
			# shellcheck disable=SC2086
			out=$(mr run --rm --network none $flags busybox true 2>&1); rc=$?
			[ $rc = 125 ] || die "$flags: exit $rc: $out"
			[ "$(echo "$out" | head -n 1)" = "minirun: $msg" ] || die "$flags: $out"
		done <<EOF
--cpuset-cpus 9999|Requested CPUs are not available - requested 9999, available: $(cat /sys/devices/system/cpu/online)
--cpuset-cpus x|Invalid value x for cpuset cpus: invalid format: x
--cpuset-mems 4000|Requested memory nodes are not available - requested 4000, available: $(cat /sys/devices/system/node/online 2>/dev/null || echo 0)
--cpus 1 --cpu-period 50000|Conflicting options: Nano CPUs and CPU Period cannot both be set
--cpus 1 --cpu-quota 50000|Conflicting options: Nano CPUs and CPU Quota cannot both be set
--cpu-period 500|CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)
--cpu-quota 500|CPU cfs quota can not be less than 1ms (i.e. 1000)
--cpu-shares x|invalid argument "x" for "-c, --cpu-shares" flag: strconv.ParseInt: parsing "x": invalid syntax
-c 1|the minimum allowed cpu-shares is 2
--memory-swappiness 101|invalid value: 101. Valid memory swappiness range is 0-100
--oom-score-adj 1001|Invalid value 1001, range for oom score adj is [-1000, 1000]
--blkio-weight 5|Range of blkio weight is from 10 to 1000
--blkio-weight x|invalid argument "x" for "--blkio-weight" flag: strconv.ParseUint: parsing "x": invalid syntax
--device-read-bps /dev/nosuch:1mb|stat /dev/nosuch: no such file or directory
--device-read-bps vda:1mb|invalid argument "vda:1mb" for "--device-read-bps" flag: bad format for device path: vda:1mb
--device-write-iops /dev/null:x|invalid argument "/dev/null:x" for "--device-write-iops" flag: invalid rate for device: /dev/null:x. The correct format is <device-path>:<number>. Number must be a positive integer
--device-read-bps /dev/null:1mb|/dev/null is not a block device: only a disk'"'"'s IO can be throttled (lsblk lists them)
--label-file /nonexistent|open /nonexistent: no such file or directory
EOF
		[ -z "$(mr ps -aq)" ] || die "a refused run left a container: $(mr ps -a)"
		ct_noleaks
	'
}
t "bad values: one line in docker's words, exit 125, no container left" bad_values_refused

cidfile_labels_stop_timeout() {
	ct_need
	ct_host '
		cd "$T_TMP" 2>/dev/null || cd /tmp
		f=$R.cid
		id=$(mr create --network none --name k1 --cidfile "$f" --stop-timeout 7 busybox true) ||
			die "create --cidfile: $id"
		[ "$(cat "$f")" = "$id" ] || die "the cidfile holds $(cat "$f"), not $id"
		[ "$(mr inspect -f "{{.HostConfig.ContainerIDFile}} {{.Config.StopTimeout}}" k1)" = "$f 7" ] ||
			die "inspect: $(mr inspect -f "{{.HostConfig.ContainerIDFile}} {{.Config.StopTimeout}}" k1)"
		# docker: an existing file is refused (create 1, run 125), and is left as it was
		out=$(mr create --network none --cidfile "$f" busybox true 2>&1); rc=$?
		[ $rc = 1 ] || die "create over an existing cidfile: exit $rc: $out"
		[ "$out" = "minirun: container ID file found, make sure the other container isn'"'"'t running or delete $f" ] ||
			die "message: $out"
		out=$(mr run --rm --network none --cidfile "$f" busybox true 2>&1); rc=$?
		[ $rc = 125 ] || die "run over an existing cidfile: exit $rc: $out"
		[ "$(cat "$f")" = "$id" ] || die "the old cidfile was changed"
		# a create that fails removes the file it made; an unwritable path makes nothing
		out=$(mr run --rm --network none --cidfile "$f.2" --cpuset-cpus 9999 busybox true 2>&1) &&
			die "cpuset 9999 ran"
		[ ! -e "$f.2" ] || die "a failed run left its cidfile"
		out=$(mr run --rm --network none --cidfile /nonexistent/dir/cid busybox true 2>&1); rc=$?
		[ $rc = 125 ] || die "unwritable cidfile: exit $rc: $out"
		[ "$(echo "$out" | head -n 1)" = "minirun: failed to create the container ID file: open /nonexistent/dir/cid: no such file or directory" ] ||
			die "message: $out"
		[ "$(mr ps -aq | wc -l)" = 1 ] || die "a refused cidfile left a container"
		mr rm k1 >/dev/null
		# --label-file: docker reads it first (so -l wins), skips comments, drops a bare key
		printf "a=1\n# comment\nbare\n\n  c=x y\nz=file\n" >"$R.labels"
		mr create --network none --name k2 --label-file "$R.labels" -l z=flag busybox true >/dev/null ||
			die "create --label-file"
		l=$(mr inspect -f "{{json .Config.Labels}}" k2)
		[ "$l" = "{\"a\":\"1\",\"c\":\"x y\",\"z\":\"flag\"}" ] || die "labels: $l"
		mr rm k2 >/dev/null
		rm -f "$f" "$R.labels"
		ct_noleaks
	'
}
t "--cidfile (docker's refusals), --label-file, --stop-timeout on create" cidfile_labels_stop_timeout

update_changes_a_running_container() {
	ct_need
	ct_host '
		# made without any cgroup flag: the update adds the controllers it needs (runc has
		# them all from the start) and moves the container in; the kernel'"'"'s own
		# Cpus_allowed_list says the cpuset holds
		mr run -d --network none --name u1 busybox sleep 60 >/dev/null || die "run"
		out=$(mr update -c 300 --cpuset-cpus 0 --cpu-period 50000 --cpu-quota 20000 u1 2>&1) ||
			die "update: $out"
		[ "$out" = u1 ] || die "update said: $out"
		a=$(mr exec u1 grep Cpus_allowed_list /proc/1/status) || die "exec"
		[ "$(echo "$a" | awk "{print \$2}")" = 0 ] || die "not pinned to CPU 0: $a"
		hc=$(mr inspect -f "{{.HostConfig.CpuShares}} {{.HostConfig.CpusetCpus}} {{.HostConfig.CpuPeriod}} {{.HostConfig.CpuQuota}}" u1)
		[ "$hc" = "300 0 50000 20000" ] || die "inspect: $hc"
		if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
			w=$(mr exec u1 cat /sys/fs/cgroup/cpu.weight /sys/fs/cgroup/cpu.max | tr "\n" " ")
			[ "$w" = "12 20000 50000 " ] || die "v2 cpu.weight, cpu.max after update: $w"
		fi
		# docker'"'"'s conflicts across updates: --cpus once the CFS pair is set
		out=$(mr update --cpus 1 u1 2>&1); rc=$?
		[ $rc = 1 ] || die "--cpus over --cpu-period: exit $rc: $out"
		echo "$out" | grep -q "Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set$" ||
			die "message: $out"
		out=$(mr update --cpuset-cpus 9999 u1 2>&1); rc=$?
		[ $rc = 1 ] || die "--cpuset-cpus 9999: exit $rc: $out"
		[ "$(mr inspect -f "{{.HostConfig.CpusetCpus}}" u1)" = 0 ] || die "a refused update changed the record"
		mr rm -f u1 >/dev/null
		mr run -d --network none --name u2 --cpus 1 busybox sleep 60 >/dev/null || die "run --cpus"
		out=$(mr update --cpu-quota 20000 u2 2>&1) &&
			die "--cpu-quota over --cpus was taken"
		echo "$out" | grep -q "Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set$" ||
			die "message: $out"
		mr rm -f u2 >/dev/null
		ct_noleaks
	'
}
t "update -c, --cpuset-cpus, --cpu-period/quota: a running container made without them; docker's conflicts" update_changes_a_running_container

help_lists_the_flags() {
	ct_need
	out=$("$MINIRUN" run --help) || t_fail "run --help"
	for f in "-c, --cpu-shares int" "--cpu-period int" "--cpu-quota int" "--cpuset-cpus string" \
		"--cpuset-mems string" "--memory-swappiness int" "--oom-kill-disable" \
		"--oom-score-adj int" "--blkio-weight uint16" "--device-read-bps list" \
		"--device-write-bps list" "--device-read-iops list" "--device-write-iops list" \
		"--label-file list" "--cidfile string"; do
		echo "$out" | grep -qF -- "$f" || t_fail "run --help lacks '$f'"
	done
}
t "run --help lists the resource flags with docker's value kinds" help_lists_the_flags

t_end

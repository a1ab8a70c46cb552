#!/bin/sh
# labs/01-fundamentals/11-containers-vs-vms/lab.sh - boot a small VM and start a container,
# and compare boot time, memory, kernel and processes (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown  (usually through `labs/lab containers-vs-vms STEP`)
#
# setup gets the kernel `make vm` boots (tests/vm/kernel.sh: Debian's linux-image-amd64,
# fetched once with apt into build/vm/cache, shared with make vm) and packs a tiny
# initramfs in $LAB_STATE/vm: the host's static busybox and an /init that prints the
# VM's uptime, kernel, memory and process count, then powers off. qemu runs with software
# emulation (-accel tcg: KVM hangs at early boot on these machines), no disk, no network
# card; its console is its stdout. The container side is mrlab.sh's store and namespace.
# check: exit 0 pass, 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=containers-vs-vms
. "$(dirname "$0")/../mrlab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env':
  /usr/bin/time -f 'wall %e s, max RSS %M KiB' qemu-system-x86_64 ... -kernel $(cat $LAB_STATE/vm/kernel)
      -initrd $LAB_STATE/vm/initrd.cpio ... 2>&1 | tr -d '\r' | grep -oE 'vm: .*|wall .*' > $LAB_STATE/vm.txt
  took minirun run --rm busybox sh -c '... the same lines, "container:"' | tee $LAB_STATE/container.txt
  (took: date +%s.%N before and after, "wall N s": GNU time cannot run a shell function)
HINT
}

# deps - qemu, GNU time and a static busybox are here, else exit 77 (setup and check: a
# check after a skipped setup skips too)
deps() {
	command -v qemu-system-x86_64 >/dev/null ||
		{ echo "needs qemu (apt-get install qemu-system-x86): the VM side boots with it, as make vm does"; exit 77; }
	[ -x /usr/bin/time ] || { echo "needs GNU time for the measurements: apt-get install time"; exit 77; }
	bb=$(command -v busybox)
	[ -n "$bb" ] && ! ldd "$bb" >/dev/null 2>&1 ||
		{ echo "needs a static busybox for the VM's initramfs: apt-get install busybox-static"; exit 77; }
}

setup_() {
	deps
	mkdir -p "$LAB_STATE/vm/stage/bin"
	k=$(bash tests/vm/kernel.sh "$MR_TOP/build/vm/cache" 2>"$LAB_STATE/vm/kernel.log") && [ -f "$k/vmlinuz" ] ||
		{ cat "$LAB_STATE/vm/kernel.log"; echo "no kernel for the VM: tests/vm/kernel.sh could not fetch Debian's (it needs apt and a mirror once)"; exit 77; }
	echo "$k/vmlinuz" >"$LAB_STATE/vm/kernel"
	cp "$bb" "$LAB_STATE/vm/stage/bin/busybox"
	cat >"$LAB_STATE/vm/stage/init" <<'INIT'
#!/bin/busybox sh
# the VM's PID 1 (made by labs/01-fundamentals/11-containers-vs-vms/lab.sh): report, power off
/bin/busybox --install -s /bin
mkdir -p /proc /sys && mount -t proc proc /proc && mount -t sysfs sys /sys
echo "vm: uptime $(cut -d' ' -f1 /proc/uptime) s"
echo "vm: kernel $(uname -r)"
echo "vm: $(grep MemTotal /proc/meminfo)"
echo "vm: processes $(ls -d /proc/[0-9]* | wc -l)"
poweroff -f
INIT
	chmod +x "$LAB_STATE/vm/stage/init"
	(cd "$LAB_STATE/vm/stage" && find . | ./bin/busybox cpio -o -H newc 2>/dev/null) >"$LAB_STATE/vm/initrd.cpio" ||
		{ echo "setup: packing the VM's initramfs failed"; return 1; }
	echo "a VM to boot: kernel $(cat "$LAB_STATE/vm/kernel"), initramfs $LAB_STATE/vm/initrd.cpio"
}

run_() {
	need_verbs run
	/usr/bin/time -f 'wall %e s, max RSS %M KiB' timeout 300 qemu-system-x86_64 -accel tcg -m 256 -smp 1 \
		-nographic -no-reboot -nic none -kernel "$(cat "$LAB_STATE/vm/kernel")" \
		-initrd "$LAB_STATE/vm/initrd.cpio" -append "console=ttyS0 quiet panic=-1" </dev/null 2>&1 |
		tr -d '\r' | grep -oE 'vm: .*|wall .*' | tee "$LAB_STATE/vm.txt"
	took() { s=$(date +%s.%N); "$@"; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN { printf "wall %.2f s\n", e - s }'; }
	took minirun run --rm busybox sh -c '
		echo "container: uptime $(cut -d" " -f1 /proc/uptime) s"
		echo "container: kernel $(uname -r)"
		echo "container: $(grep MemTotal /proc/meminfo)"
		echo "container: processes $(ls -d /proc/[0-9]* | wc -l)"
		echo "container: $(grep VmRSS /proc/1/status)"' 2>&1 | tee "$LAB_STATE/container.txt"
}

# field FILE KEY - the value after "KEY " on FILE's line for KEY (vm: kernel X -> X)
field() { sed -n "s/^[a-z]*: $2:* *//p" "$LAB_STATE/$1" | awk '{ print $1 }' | head -n 1; }
wall() { sed -n 's/^wall \([0-9.]*\) s.*/\1/p' "$LAB_STATE/$1"; }
rss() { sed -n 's/^wall .*max RSS \([0-9]*\) KiB/\1/p' "$LAB_STATE/$1"; }

check_() {
	deps
	[ -f "$LAB_STATE/vm/kernel" ] ||
		{ echo "no kernel for the VM: setup could not fetch Debian's (tests/vm/kernel.sh needs apt and a mirror once)"; exit 77; }
	need_verbs run
	have vm.txt
	have container.txt
	vk=$(field vm.txt kernel) ck=$(field container.txt kernel)
	expect "vm.txt has a 'vm: kernel' line: the VM booted" [ -n "$vk" ]
	expect_or "container.txt's kernel is this machine's (uname -r)" "it is '$ck', not $(uname -r)" [ "$ck" = "$(uname -r)" ]
	vw=$(wall vm.txt) cw=$(wall container.txt)
	expect "vm.txt and container.txt each have a 'wall N s' line" eval '[ -n "$vw" ] && [ -n "$cw" ]'
	expect_or "the VM was slower than the container" "the VM took $vw s, the container $cw s" \
		awk -v v="$vw" -v c="$cw" 'BEGIN { exit !(v > c) }'
	vm_mem=$(field vm.txt MemTotal) host_mem=$(awk '/MemTotal/ { print $2 }' /proc/meminfo)
	expect_or "container.txt's MemTotal is this machine's" "not $host_mem kB" [ "$(field container.txt MemTotal)" = "$host_mem" ]
	expect_or "vm.txt's MemTotal is the VM's own 256 MiB, less the kernel's" "it is '$vm_mem'" \
		eval '[ -n "$vm_mem" ] && [ "$vm_mem" -lt "$host_mem" ]'
	vp=$(field vm.txt processes) cp=$(field container.txt processes)
	expect_or "the VM shows more processes (its kernel's threads) than the container" "the VM $vp, the container $cp" \
		eval '[ -n "$vp" ] && [ -n "$cp" ] && [ "$vp" -gt "$cp" ]'
	echo "check: ok - the VM: kernel $vk, ${vw} s to boot and power off, qemu's RSS $(rss vm.txt) KiB, $vp processes"
	echo "check: ok - the container: this machine's kernel $ck, ${cw} s for run --rm, $cp processes, the host's memory"
}

steps "$@"

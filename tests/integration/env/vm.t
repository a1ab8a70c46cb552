#!/bin/sh
# tests/integration/env/vm.t - the test VM is the host the VM tier promises: pure cgroup v2
# with the controllers the suites use, / shared as under systemd, the kernel modules loaded
# or loadable on demand.
#
#   sh tests/integration/env/vm.t           (on the host every test skips)
#   MR_SUITES=env/ make test-vm             (the meaningful run: inside the VM)
#
# If one of these fails, every suite after it runs on the wrong machine: read this first.
# See: tests/vm/init (which sets all of this up), tests/vm/README.md
: "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}"
. "$MR_TOP/tests/lib/t.sh"

vm_only() { t_in_vm || t_skip "only meaningful inside the VM (make test-vm)"; }

# /sys/fs/cgroup is cgroup2 and no v1 hierarchy is mounted anywhere
pure_v2() {
	vm_only
	t_eq "$(awk '$5 == "/sys/fs/cgroup" { for (i = 7; $i != "-"; i++); print $(i + 1) }' /proc/self/mountinfo)" \
		cgroup2 "filesystem on /sys/fs/cgroup"
	v1=$(awk '{ for (i = 7; $i != "-"; i++); if ($(i + 1) == "cgroup") print $5 }' /proc/self/mountinfo)
	t_eq "$v1" "" "cgroup v1 mounts"
	t_eq "$(cut -d: -f1-2 /proc/self/cgroup)" "0:" "/proc/self/cgroup (one v2 line)"
}

# the root offers and hands down the controllers the cgroups suites need
controllers() {
	vm_only
	have=$(cat /sys/fs/cgroup/cgroup.controllers) on=$(cat /sys/fs/cgroup/cgroup.subtree_control)
	for c in cpuset cpu io memory pids; do
		t_match "$have" "(^| )$c( |$)" "cgroup.controllers"
		t_match "$on" "(^| )$c( |$)" "cgroup.subtree_control"
	done
}

# / has shared propagation, as systemd sets it up
root_shared() {
	vm_only
	opt=$(awk '$5 == "/" { print $7 }' /proc/self/mountinfo | tail -n 1)
	t_match "$opt" '^shared:' "propagation of / in mountinfo"
}

# pivot_root works from the VM's root (ns/container and the runtime use it; it fails with
# EINVAL when / is the initramfs' rootfs itself)
pivot_root_works() {
	vm_only
	t_need unshare
	mkdir new
	t_status 0 unshare -m sh -c 'mount --make-rprivate / && mount -t tmpfs mrvm new && mkdir new/old &&
		cd new && pivot_root . old && echo pivoted'
	t_match "$T_OUT" '^pivoted$' "output"
}

overlay_loaded() {
	vm_only
	t_match "$(cat /proc/filesystems)" '[[:space:]]overlay$' "/proc/filesystems"
}

# a veth pair can be made (module loaded), in a throwaway network namespace
veth_creatable() {
	vm_only
	t_need unshare ip
	t_status 0 unshare -n sh -c 'ip link add mrvm-a type veth peer name mrvm-b && ip -o link show mrvm-b'
	t_match "$T_OUT" 'mrvm-b@mrvm-a' "ip link show"
}

# nf_tables works, with the crc32c the kernel asks for when it loads
nftables_usable() {
	vm_only
	t_need unshare nft
	t_status 0 unshare -n nft add table inet mrvm
}

# the kernel's own module requests work (/proc/sys/kernel/modprobe, modules.alias): a rule
# with 'limit' makes the kernel ask for nft_limit, which the init did not load
module_on_demand() {
	vm_only
	t_need unshare nft
	t_status 0 unshare -n nft -f - <<-'NFT'
		table inet mrvm {
			chain c { limit rate 1/second accept; }
		}
	NFT
	t_match "$(cut -d' ' -f1 /proc/modules)" '^nft_limit$' "loaded modules"
}

t "/sys/fs/cgroup is cgroup2 alone (pure v2)" pure_v2
t "the root cgroup has and enables cpuset cpu io memory pids" controllers
t "/ is a shared mount, as under systemd" root_shared
t "pivot_root works from the VM's root (it is not the bare rootfs)" pivot_root_works
t "overlay is in /proc/filesystems" overlay_loaded
t "a veth pair can be created in a throwaway netns" veth_creatable
t "an nftables table can be created in a throwaway netns" nftables_usable
t "the kernel loads a module on demand (nft_limit for a 'limit' rule)" module_on_demand
t_end

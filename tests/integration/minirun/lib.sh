# tests/integration/minirun/lib.sh - helpers of the minirun OCI runtime suites (POSIX sh).
#
# Sourced after tests/lib/t.sh. Gives:
#   MR                      the runtime, as engines run it (minirun/minirun-oci)
#   mr ARGS...              MR with this suite's own --root (state dirs stay in $T_TMP)
#   mr_rootfs               a private copy of the busybox rootfs for this suite, in $ROOTFS
#   mr_bundle DIR [ARGS]    write DIR/config.json: ARGS is the JSON array of process.args;
#                           the variables below add to it (each a JSON fragment, or empty):
#     TERMINAL=true         process.terminal
#     PROC_EXTRA=',"x":1'   more members of "process"
#     LINUX_EXTRA=...       more members of "linux"
#     TOP_EXTRA=...         more top-level members
#     MOUNTS_EXTRA=...      more entries of "mounts" (with a leading comma)
#     NAMESPACES=...        the namespace list (default: pid mount ipc uts network cgroup)
#     ROOT_RO=false         root.readonly (default true)
#     CWD=/etc NNP=false    process.cwd, process.noNewPrivileges
#     USER_JSON=... RLIMITS_JSON=...   process.user and process.rlimits
#   mr_id NAME              a container id unique to this run ("mrt-PID-NAME")
#   mr_leaks ID             fail if ID left a state dir, a cgroup or a process behind
#   mr_cleanup ID           t_defer this: delete --force, then check for leaks
: "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}"
MR=$MR_TOP/minirun/minirun-oci
MR_STATE=$T_TMP/state
ROOTFS=$T_TMP/rootfs

mr() { "$MR" --root "$MR_STATE" "$@"; }

mr_need() {
	[ -x "$MR" ] || t_skip "minirun/minirun-oci is not built (make minirun)"
	[ -d "$MR_TOP/build/rootfs/busybox" ] || t_skip "no busybox rootfs (make rootfs)"
	t_need_root
}

mr_rootfs() {
	[ -d "$ROOTFS" ] && return 0
	cp -a "$MR_TOP/build/rootfs/busybox" "$ROOTFS" || t_fail "copy the busybox rootfs"
}

mr_id() { echo "mrt-$$-$1"; }

mr_bundle() {
	_dir=$1
	_args=${2:-'["sh", "-c", "true"]'}
	# (a default holding '}' can't sit inside ${VAR:-...}: the brace would end it)
	_ns=${NAMESPACES:-}
	[ -n "$_ns" ] || _ns='[{"type": "pid"}, {"type": "mount"}, {"type": "ipc"}, {"type": "uts"}, {"type": "network"}, {"type": "cgroup"}]'
	_user=${USER_JSON:-}
	[ -n "$_user" ] || _user='{"uid": 0, "gid": 0}'
	_rl=${RLIMITS_JSON:-}
	[ -n "$_rl" ] || _rl='[{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}]'
	mkdir -p "$_dir"
	mr_rootfs
	cat >"$_dir/config.json" <<EOF
{
	"ociVersion": "1.0.2",
	"process": {
		"terminal": ${TERMINAL:-false},
		"user": $_user,
		"args": $_args,
		"env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
		"cwd": "${CWD:-/}",
		"capabilities": {
			"bounding": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
			"effective": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
			"permitted": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
		},
		"rlimits": $_rl,
		"noNewPrivileges": ${NNP:-true}${PROC_EXTRA:-}
	},
	"root": {"path": "$ROOTFS", "readonly": ${ROOT_RO:-true}},
	"hostname": "minirun",
	"mounts": [
		{"destination": "/proc", "type": "proc", "source": "proc"},
		{"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
		 "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
		{"destination": "/dev/pts", "type": "devpts", "source": "devpts",
		 "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
		{"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
		 "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
		{"destination": "/sys", "type": "sysfs", "source": "sysfs",
		 "options": ["nosuid", "noexec", "nodev", "ro"]},
		{"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
		 "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]}${MOUNTS_EXTRA:-}
	],
	"linux": {
		"namespaces": $_ns,
		"maskedPaths": ["/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware"],
		"readonlyPaths": ["/proc/sys", "/proc/sysrq-trigger"]${LINUX_EXTRA:-}
	}${TOP_EXTRA:-}
}
EOF
}

# The cgroup directories named after ID, anywhere under /sys/fs/cgroup.
mr_cgroups_of() {
	find /sys/fs/cgroup -maxdepth 6 -type d -name "*$1*" 2>/dev/null
}

# The pids whose root directory is our rootfs copy (processes of our containers).
mr_procs_in_rootfs() {
	for _p in /proc/[0-9]*; do
		_r=$(readlink "$_p/root" 2>/dev/null) || continue
		case $_r in "$ROOTFS"*) echo "${_p#/proc/}" ;; esac
	done
}

mr_leaks() {
	[ ! -e "$MR_STATE/$1" ] || t_fail "leak: state directory $MR_STATE/$1 is still there"
	_cg=$(mr_cgroups_of "$1")
	[ -z "$_cg" ] || t_fail "leak: cgroup left: $_cg"
	_m=$(grep -F "$ROOTFS" /proc/self/mountinfo)
	[ -z "$_m" ] || t_fail "leak: mounts left on the host: $_m"
	_p=$(mr_procs_in_rootfs)
	[ -z "$_p" ] || t_fail "leak: processes still in the container's rootfs: $_p"
}

mr_cleanup() {
	mr delete --force "$1" >/dev/null 2>&1
	mr_leaks "$1"
}

# wait_status ID STATUS - poll `state` until STATUS (2 s at most)
mr_wait_status() {
	_i=0
	while [ $_i -lt 40 ]; do
		mr state "$1" 2>/dev/null | grep -q "\"status\": \"$2\"" && return 0
		sleep 0.05
		_i=$((_i + 1))
	done
	t_fail "$1 never reached status $2: $(mr state "$1" 2>&1)"
}

# mr_field ID KEY - one value of `state`
mr_field() { mr state "$1" | sed -n "s/^ *\"$2\": \"*\\([^\",]*\\)\"*,*\$/\\1/p"; }

# mr_gone PID - the process has exited (gone, or a zombie its parent has not reaped yet)
mr_gone() {
	[ ! -e "/proc/$1/stat" ] && return 0
	_s=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -z "$_s" ] || [ "$_s" = Z ] || [ "$_s" = X ]
}

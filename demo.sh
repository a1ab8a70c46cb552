#!/bin/sh
# demo.sh - the guided tour that `make demo` runs after the build.
#
#   ./demo.sh              every step, in order, without pausing
#   ./demo.sh STEP...      only these steps or sections (./demo.sh user container)
#   ./demo.sh --list       the sections, their steps, and what each one shows
#
# Each step prints a heading that says what idea it shows, then each command as you would
# type it ("$ ns/uts -n demo-box"), then runs it with its output indented. A step that
# fails says so at once, in one line, and the tour goes on; the last line counts the
# steps, and the exit status is non-zero if any failed. A step whose program is not built
# yet, or that needs root when we are not, is skipped with the reason.
#
# The tour is in sections (the namespaces one at a time, all of them as a container, the
# built-in image, and that image run as a container by minirun; see "the tour" at the
# end); later parts of the project add their own.
# POSIX sh: runs under dash, bash and busybox ash.
set -u
cd "$(dirname "$0")" || exit 1
TOP=$(pwd)
ROOTFS=${MR_DEMO_ROOTFS:-$TOP/build/rootfs/busybox}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mr-demo.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
PASSED=0 FAILED=0 SKIPPED=0 FAILED_STEPS="" SKIP_NOTES=""

# ---- how a step is told and run -------------------------------------------------------

if [ -t 1 ]; then B=$(printf '\033[1m') R=$(printf '\033[31m') N=$(printf '\033[0m'); else B="" R="" N=""; fi

# heading TITLE LINE... - the step's title and a few lines on the idea it shows
heading() {
	printf '\n%s== %s%s\n' "$B" "$1" "$N"
	shift
	for _l; do printf '   %s\n' "$_l"; done
}

# quoted ARG... - the arguments as a shell would need them typed: 'a b' stays one word
quoted() {
	_q=""
	for _a; do
		case $_a in
		"" | *[!A-Za-z0-9_./:=,@%+-]*) _a="'$(printf '%s' "$_a" | sed "s/'/'\\\\''/g")'" ;;
		esac
		_q="$_q${_q:+ }$_a"
	done
	printf '%s' "$_q"
}

# run CMD... - show the command, run it, indent its output; a failure marks the step failed
run() {
	printf '\n   %s$ %s%s\n' "$B" "$(quoted "$@")" "$N"
	"$@" >"$TMP/out" 2>&1
	_rc=$?
	sed 's/^/     /' "$TMP/out"
	if [ "$_rc" != 0 ]; then
		printf '   %s!! step %s failed: exit status %s from: %s%s\n' "$R" "$STEP" "$_rc" "$(quoted "$@")" "$N"
		STEP_OK=1
	fi
	return "$_rc"
}

# fail_step WHY - mark the current step failed for a reason that is not a command's status
fail_step() {
	printf '   %s!! step %s failed: %s%s\n' "$R" "$STEP" "$*" "$N"
	STEP_OK=1
}

# say TEXT - a remark between commands
say() { printf '   %s\n' "$*"; }

# skip WHY - end the current step as skipped (the step function returns after it)
skip() {
	printf '   -- skipped: %s\n' "$*"
	STEP_OK=77
	SKIP_NOTES="$SKIP_NOTES
   $STEP: $*"
}

# built PROG... - true if every program is built; else skip the step, naming the first missing
built() {
	for _p; do
		[ -x "$TOP/$_p" ] || { skip "$_p is not built yet (make $(dirname "$_p"))"; return 1; }
	done
}

# as_root - true when we are root; else skip the step
as_root() { [ "$(id -u)" = 0 ] || { skip "needs root: run 'sudo make demo'"; return 1; }; }

# do_step NAME - run step_NAME and count how it went
do_step() {
	STEP=$1 STEP_OK=0
	"step_$1"
	case $STEP_OK in
	0) PASSED=$((PASSED + 1)) ;;
	77) SKIPPED=$((SKIPPED + 1)) ;;
	*) FAILED=$((FAILED + 1)) FAILED_STEPS="$FAILED_STEPS $1" ;;
	esac
}

# ---- section 1: the namespaces, one at a time (ns/, course module 2) -------------------

step_uts() {
	heading "uts: a hostname of the container's own" \
		"A child unshares its UTS namespace and renames it; the host keeps its name."
	built ns/uts && as_root || return
	run ns/uts -n demo-box
	run ns/uts -n demo-box -- hostname
	run hostname
}

step_pid() {
	heading "pid: the first process is PID 1, with a /proc of its own" \
		"unshare(CLONE_NEWPID) moves only the children we fork, so ns/pid forks PID 1."
	built ns/pid && as_root || return
	run ns/pid
	run ns/pid -- sh -c 'echo "inside, my pid is $$"; true'
}

step_mnt() {
	heading "mnt: a private mount table" \
		"A mount made inside stays inside, unless propagation (shared) carries it out."
	built ns/mnt && as_root || return
	run ns/mnt
}

step_net() {
	heading "net: a network stack of its own" \
		"A new network namespace has one device, lo, and it is down."
	built ns/net && as_root || return
	run ns/net
	run ns/net -- ls /sys/class/net
}

step_ipc() {
	heading "ipc: System V and POSIX IPC objects" \
		"Message queues, semaphores and shared memory made outside are invisible inside."
	built ns/ipc && as_root || return
	run ns/ipc
}

step_user() {
	heading "user: root inside, an ordinary user outside" \
		"uid_map says which uid inside is which outside; the parent writes it after the" \
		"child unshared. Root gets 0:100000:65536; an unprivileged user maps itself."
	built ns/user || return
	run ns/user
	run ns/user -- id
	if [ "$(id -u)" = 0 ] && [ -x /usr/bin/setpriv ] &&
		/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$TOP/ns/user" 2>/dev/null; then
		say "The same as uid 65534 (nobody), which has no privilege at all:"
		run /usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups "$TOP/ns/user" -- id
	fi
}

step_cgroup() {
	heading "cgroup: our own cgroup becomes /" \
		"/proc/self/cgroup is shown relative to the namespace's root: the host's layout hides."
	built ns/cgroup || return
	if [ "$(id -u)" = 0 ]; then run ns/cgroup; else run ns/cgroup -U; fi
}

step_time() {
	heading "time: clocks with offsets" \
		"CLOCK_MONOTONIC and CLOCK_BOOTTIME (uptime) can be shifted, e.g. for a migrated container."
	built ns/time && as_root || return
	run ns/time
}

step_list() {
	heading "list: which namespaces a process is in, and who shares them" \
		"A namespace is known by the inode of /proc/PID/ns/TYPE; ns/list compares them (lsns)."
	built ns/list || return
	run ns/list $$
}

step_join() {
	heading "join: enter a running process's namespaces (docker exec, nsenter)" \
		"setns(2) on /proc/PID/ns/* files; joining pid means forking after it."
	built ns/uts ns/join ns/list && as_root || return
	"$TOP/ns/uts" -n demo-join -- sleep 60 >/dev/null 2>&1 &
	parent=$!
	target="" i=0
	while [ -z "$target" ] && [ $i -lt 50 ]; do
		target=$(tr -d ' ' <"/proc/$parent/task/$parent/children" 2>/dev/null)
		[ -n "$target" ] && [ "$(readlink "/proc/$target/ns/uts")" = "$(readlink /proc/self/ns/uts)" ] && target=""
		[ -n "$target" ] || sleep 0.1
		i=$((i + 1))
	done
	if [ -z "$target" ]; then
		fail_step "the background target (ns/uts -n demo-join -- sleep 60) did not start"
	else
		say "A process renamed 'demo-join' in its own UTS namespace runs as pid $target."
		run ns/list -t uts "$target"
		run ns/join -v -t uts "$target" -- hostname
		kill -KILL "$target" 2>/dev/null
	fi
	wait "$parent" 2>/dev/null
}

# ---- section 2: every namespace at once: a container -----------------------------------

step_container() {
	heading "container: every namespace at once, and pivot_root into a rootfs" \
		"Private mounts first, the rootfs bound onto itself, /proc, pivot_root, the old" \
		"root detached: the 'container in 200 lines' that minirun grows from."
	built ns/container && as_root || return
	[ -d "$ROOTFS" ] || { skip "no rootfs at $ROOTFS (make rootfs)"; return; }
	run ns/container -v "$ROOTFS" -- /bin/sh -c 'echo "hostname: $(hostname), pid: $$"; echo $(ls /)'
}

# ---- section 3: images (minirun, course modules 1 and 3) --------------------------------

step_images() {
	heading "images: the built-in busybox image, stored by content" \
		"An image is layers (tar files) plus a config, each named by its sha256 digest." \
		"make demo imports build/images/busybox.tar (the host's busybox-static) once."
	built minirun/minirun && as_root || return
	[ -f "$TOP/build/images/busybox.tar" ] || { skip "no build/images/busybox.tar (make busybox-image)"; return; }
	if ! minirun/minirun image inspect busybox >/dev/null 2>&1; then
		run minirun/minirun import -c 'CMD ["sh"]' build/images/busybox.tar busybox:latest || return
	fi
	run minirun/minirun images
	run minirun/minirun history busybox
}

# ---- section 4: a container from the image (minirun run, course module 1) ---------------

# The script the demo's container runs: what it sees of itself, one line per mechanism.
INSIDE='echo "hostname: $(hostname)   pid: $$"
echo "namespaces: $(cd /proc/self/ns && for n in uts ipc pid net mnt cgroup; do printf "%s " "$(readlink $n)"; done)"
echo "cgroup: $(tail -n 1 /proc/self/cgroup)"
echo "eth0: $(ip -o -4 addr show eth0 | awk "{print \$4}")   route: $(ip route | head -n 1)"
echo "root: $(grep " / " /proc/mounts | cut -d" " -f1-3)"'

step_run() {
	heading "run: the busybox image as a container (minirun -v run --rm)" \
		"-v narrates every layer: the record, the overlay of the image's layers and the" \
		"container's own upper dir, the network (bridge mr0, a veth, NAT), the cgroup, the" \
		"namespaces and mounts, pivot_root, capabilities; then the container says what it" \
		"sees. It runs in a network namespace playing the host (unshare -n): mr0 and the" \
		"NAT rules vanish with it, and --rm removes the container when it exits."
	built minirun/minirun && as_root || return
	[ -f "$TOP/build/images/busybox.tar" ] || { skip "no build/images/busybox.tar (make busybox-image)"; return; }
	if ! minirun/minirun image inspect busybox >/dev/null 2>&1; then
		run minirun/minirun import -c 'CMD ["sh"]' build/images/busybox.tar busybox:latest || return
	fi
	run unshare -n minirun/minirun -v run --rm busybox sh -c "$INSIDE" || return
	say "The host's own namespaces, for comparison (every one differs from the container's):"
	run sh -c 'cd /proc/self/ns && for n in uts ipc pid net mnt cgroup; do printf "%s " "$(readlink $n)"; done; echo'
	say "--rm left nothing: no container, no mount, no cgroup, no veth."
	run minirun/minirun ps -a
}

# ---- the tour ------------------------------------------------------------------------

# A section is a title and its steps, in order. A later part of the project adds its own
# (say, "image: pull, run, exec") by writing its step_ functions above and two lines here.
SECTIONS="namespaces container images run"
section_namespaces="uts pid mnt net ipc user cgroup time list join"
title_namespaces="1. The namespaces, one at a time (ns/, course module 2)"
section_container="container"
title_container="2. Every namespace at once: a container (ns/container)"
section_images="images"
title_images="3. Images: content-addressed layers (minirun images, history)"
section_run="run"
title_run="4. A container from the image: minirun run (course module 1)"

all_steps() { for _s in $SECTIONS; do eval "echo \$section_$_s"; done; }
# step_title STEP - the heading's first line, read from step_STEP's source
step_title() {
	awk -v f="step_$1()" '$1 == f { in_step = 1 }
		in_step && /heading "/ { sub(/.*heading "/, ""); sub(/".*/, ""); print; exit }' "$0"
}

case "${1:-}" in
-h | --help)
	sed -n '2,6s/^# \{0,1\}//p' "$0"
	exit 0
	;;
--list)
	for sec in $SECTIONS; do
		eval "echo \"\$title_$sec\"; steps=\$section_$sec"
		for s in $steps; do printf '  %-10s %s\n' "$s" "$(step_title "$s")"; done
	done
	exit 0
	;;
esac
# the arguments may name steps or whole sections
wanted=""
for a; do
	case " $SECTIONS " in *" $a "*) eval "wanted=\"\$wanted \$section_$a\""; continue ;; esac
	case " $(all_steps | tr '\n' ' ') " in
	*" $a "*) wanted="$wanted $a" ;;
	*) echo "demo.sh: no step or section '$a' (./demo.sh --list shows them)" >&2; exit 2 ;;
	esac
done

printf '%sminirun: a guided tour of the toolkit%s\n' "$B" "$N"
printf '   Each step: what it shows, the command, its output. Read ns/NAME.c alongside;\n'
printf '   labs/lab lists the labs that go further. Run one step again: ./demo.sh STEP\n'
for sec in $SECTIONS; do
	eval "title=\$title_$sec steps=\$section_$sec"
	shown=""
	for s in $steps; do
		[ -z "$wanted" ] || case " $wanted " in *" $s "*) ;; *) continue ;; esac
		[ -n "$shown" ] || { printf '\n%s### %s%s\n' "$B" "$title" "$N"; shown=1; }
		do_step "$s"
	done
done

printf '\n%sdemo: %s steps ok, %s failed, %s skipped%s\n' "$B" "$PASSED" "$FAILED" "$SKIPPED" "$N"
[ -z "$SKIP_NOTES" ] || printf 'skipped:%s\n' "$SKIP_NOTES"
[ "$FAILED" = 0 ] || { printf '%sfailed:%s%s\n' "$R" "$FAILED_STEPS" "$N"; exit 1; }
exit 0

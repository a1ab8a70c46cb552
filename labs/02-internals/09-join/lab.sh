#!/bin/sh
# labs/02-internals/09-join/lab.sh - the setns lab (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab join STEP`)
#
# setup starts a container in the background (its host PID in $LAB_STATE/pid); run does
# the README's steps; check verifies what they left; teardown stops the container by its
# PID and removes the rootfs. check exits 0 pass, 1 fail (after a hint), 77 skip.
set -u
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
LAB_STATE=${LAB_STATE:-/tmp/minirun-lab/02-internals-09-join}
cd "$MR_TOP" || exit 1

hint() {
	cat <<'HINT'
hint: from the top of the checkout, as root, after 'labs/lab join setup', with LAB_STATE set:
  PID=$(cat "$LAB_STATE/pid")
  ./ns/join $PID -- /bin/sh -c 'hostname; echo $$; ls /' > "$LAB_STATE/exec.txt"
  ./ns/join -t net $PID -- cat /proc/net/dev > "$LAB_STATE/net.txt"
Without -t, ns/join enters every namespace of PID; -t net enters only its network.
HINT
}

. "$MR_TOP/labs/check.sh" # expect, expect_or, pass, fail, not: check's assertions

need() {
	[ "$(id -u)" = 0 ] || { echo "needs root: the lab's container and setns need CAP_SYS_ADMIN (use sudo)"; exit 77; }
	for p in ns/join ns/list ns/container; do
		[ -x "$p" ] || { echo "$p is not built: run 'make ns' first"; exit 1; }
	done
}

running() { [ -s "$LAB_STATE/pid" ] && [ -d "/proc/$(cat "$LAB_STATE/pid")" ]; }

case "${1:-}" in
setup)
	need
	mkdir -p "$LAB_STATE"
	running && { echo "the lab's container is already running: pid $(cat "$LAB_STATE/pid")"; exit 0; }
	# a copy of the one `make rootfs` made, or a new one (tests/rootfs.sh makes both)
	if [ -x build/rootfs/busybox/bin/busybox ]; then
		rm -rf "$LAB_STATE/rootfs"
		# hard-linked files where it can: quick, and the lab only adds new files
		cp -al build/rootfs/busybox "$LAB_STATE/rootfs" 2>/dev/null ||
			{ rm -rf "$LAB_STATE/rootfs" && cp -a build/rootfs/busybox "$LAB_STATE/rootfs"; } || exit 1
	else
		tests/rootfs.sh "$LAB_STATE/rootfs" || exit 1
	fi
	./ns/container -n lab-box "$LAB_STATE/rootfs" -- /bin/sleep 3600 \
		</dev/null >"$LAB_STATE/container.log" 2>&1 &
	echo $! >"$LAB_STATE/container.parent"
	# the container's PID 1 is ns/container's only child: wait for it to exec sleep
	i=0
	while [ $i -lt 50 ]; do
		parent=$(cat "$LAB_STATE/container.parent")
		child=$(cat "/proc/$parent/task/$parent/children" 2>/dev/null | tr -d ' ')
		[ -n "$child" ] && [ "$(cat "/proc/$child/comm" 2>/dev/null)" = sleep ] && break
		sleep 0.1
		i=$((i + 1))
	done
	[ -n "$child" ] || { echo "the container did not start:"; cat "$LAB_STATE/container.log"; exit 1; }
	echo "$child" >"$LAB_STATE/pid"
	echo "container running: its PID 1 is pid $child on the host (in \$LAB_STATE/pid)"
	echo "lab ready; in your shell:  export LAB_STATE=$LAB_STATE; PID=\$(cat \"\$LAB_STATE/pid\")"
	;;
run)
	need
	running || { echo "the lab's container is not running: labs/lab join setup"; exit 1; }
	PID=$(cat "$LAB_STATE/pid")
	./ns/list "$PID"
	./ns/list $$
	./ns/join -v "$PID" -- /bin/sh -c 'hostname; echo $$; ls /' >"$LAB_STATE/exec.txt"
	cat "$LAB_STATE/exec.txt"
	./ns/join -t net "$PID" -- cat /proc/net/dev >"$LAB_STATE/net.txt"
	cat "$LAB_STATE/net.txt"
	./ns/join --ns "uts=/proc/$PID/ns/uts" -- hostname
	./ns/join --ns "net=/proc/$PID/ns/uts" -- hostname || true
	;;
check)
	need
	for f in exec.txt net.txt; do
		[ -s "$LAB_STATE/$f" ] || fail "$LAB_STATE/$f is missing: do the steps first"
	done
	name=$(sed -n 1p "$LAB_STATE/exec.txt") pid=$(sed -n 2p "$LAB_STATE/exec.txt")
	expect_or "exec.txt says hostname lab-box: uts joined" "it says '$name'" [ "$name" = lab-box ]
	expect_or "exec.txt says a small pid after 1: pid joined" "it says '$pid'" \
		eval 'case "$pid" in [2-9] | [1-9][0-9]) ;; *) false ;; esac'
	expect "exec.txt's 'ls /' is the container's rootfs: mnt joined" \
		[ "$(sed -n '3,$p' "$LAB_STATE/exec.txt")" = "$(ls "$LAB_STATE/rootfs")" ]
	devs=$(sed -n '3,$p' "$LAB_STATE/net.txt" | cut -d: -f1 | tr -d ' ')
	expect_or "net.txt (-t net) lists only lo" "it lists '$devs'" [ "$devs" = lo ]
	echo "check: ok - exec ran as pid $pid in lab-box's namespaces and saw its rootfs; -t net saw only lo"
	;;
hint) hint ;;
teardown)
	# SIGKILL: the container's PID 1 ignores signals from outside it has no handler for
	[ -s "$LAB_STATE/pid" ] && kill -KILL "$(cat "$LAB_STATE/pid")" 2>/dev/null
	if [ -s "$LAB_STATE/container.parent" ]; then
		parent=$(cat "$LAB_STATE/container.parent") i=0
		while [ -d "/proc/$parent" ] && [ "$(cat "/proc/$parent/comm" 2>/dev/null)" = container ] && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
	fi
	rm -rf "$LAB_STATE/rootfs"
	rm -f "$LAB_STATE/pid" "$LAB_STATE/container.parent" "$LAB_STATE/container.log" \
		"$LAB_STATE/exec.txt" "$LAB_STATE/net.txt"
	;;
*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
esac

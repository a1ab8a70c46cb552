# tests/integration/rootless/cve.t - the escape regression tests of
# tests/integration/containers/cve.t (read there what each attack is, and what it would do
# without its guard) run by an ordinary user through rootless minirun: in a user
# namespace the container's root is the user, and uids it has no mapping for are nobody.
# Plus the class that only a user namespace has: host files mapped to nobody stay
# unwritable. Each test makes a user of its own (lib.sh's rl_user) and removes it.
#   MR_TOP=$PWD sh tests/integration/rootless/cve.t (as root; make minirun busybox-image)
# shellcheck disable=SC2016 # the scripts in single quotes run as the user: $M, $TAR, $HOME there
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/rootless/lib.sh"

rl_cve_2024_21626() {
	rl_need
	rl_user
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	out=$(rl '$M run --rm --network none busybox sh -c "ls /proc/1/fd; echo --; ls /proc/\$\$/fd; true"') ||
		t_fail "run: $out"
	t_eq "$(echo $out)" "0 1 2 -- 0 1 2" "fds of pid 1 and of the run's shell"
	rl '$M run -d --name fds --network none busybox sleep 300' >/dev/null || t_fail "run -d"
	out=$(rl '$M exec fds sh -c "ls /proc/\$\$/fd; true"') || t_fail "exec: $out"
	t_eq "$(echo $out)" "0 1 2" "fds of an exec'd shell"
	for n in 3 5 7; do
		out=$(rl '$M run --rm --network none -w /proc/self/fd/'$n' busybox pwd' 2>&1) &&
			t_fail "run -w /proc/self/fd/$n was accepted: $out"
		t_match "$out" "magic link" "run -w /proc/self/fd/$n's error"
		out=$(rl '$M exec -w /proc/self/fd/'$n' fds pwd' 2>&1) &&
			t_fail "exec -w /proc/self/fd/$n was accepted: $out"
		# (refused as a magic link when the runtime has that fd open as it resolves the
		# path, else as a path that does not exist: either way never followed)
		t_match "$out" "magic link|[Nn]o such file" "exec -w /proc/self/fd/$n's error"
	done
	rl '$M rm -f fds' >/dev/null || t_fail "rm -f"
}
t "CVE-2024-21626 rootless: only fds 0-2 in the container; a cwd through /proc/self/fd/N refused" \
	rl_cve_2024_21626

rl_cve_2022_29162() {
	rl_need
	rl_user
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	for opts in "--cap-add NET_ADMIN" "--cap-add ALL" "-u 1000 --cap-add SYS_ADMIN"; do
		out=$(rl '$M run --rm --network none '"$opts"' busybox grep -E "^Cap(Inh|Amb):" /proc/1/status') ||
			t_fail "run $opts: $out"
		t_eq "$(echo $out)" "CapInh: 0000000000000000 CapAmb: 0000000000000000" "$opts"
	done
	rl '$M run -d --name ci --network none busybox sleep 300' >/dev/null || t_fail "run -d"
	out=$(rl '$M exec --privileged ci grep ^CapInh: /proc/self/status') || t_fail "exec: $out"
	t_eq "$(echo $out)" "CapInh: 0000000000000000" "exec --privileged"
	rl '$M rm -f ci' >/dev/null || t_fail "rm -f"
}
t "CVE-2022-29162 rootless: no inheritable or ambient capability, with --cap-add, -u and exec --privileged" \
	rl_cve_2022_29162

rl_cve_proc() {
	rl_need
	rl_user
	# an image whose /proc is a symlink, made by the user from busybox's tar
	out=$(rl 'mkdir $HOME/t && cd $HOME/t && tar -xf $TAR 2>/dev/null; rmdir proc && mkdir fakeproc &&
		ln -s /fakeproc proc && tar -cf $HOME/procln.tar . && cd / && rm -rf $HOME/t &&
		$M import -c "CMD [\"sh\"]" $HOME/procln.tar procln && $M import $TAR busybox' 2>&1) ||
		t_fail "make the image: $out"
	out=$(rl '$M run --rm --network none procln true' 2>&1) &&
		t_fail "a container ran with /proc a symlink (CVE-2019-19921): $out"
	t_match "$out" "proc" "the error names /proc"
	# volumes at or below /proc (CVE-2019-16884), and what stays masked
	for d in /proc /proc/sys /proc/acpi; do
		out=$(rl 'mkdir -p $HOME/v && $M run --rm --network none -v $HOME/v:'$d' busybox true' 2>&1) &&
			t_fail "a volume at $d was mounted"
		t_match "$out" "$d" "the error for a volume at $d"
	done
	out=$(rl '$M run --rm --network none busybox sh -c "ls /proc/acpi | wc -l; echo x >/proc/sysrq-trigger 2>/dev/null && echo SYSRQ; true"') ||
		t_fail "run: $out"
	t_eq "$(echo $out)" 0 "/proc/acpi masked, /proc/sysrq-trigger read-only"
}
t "CVE-2019-19921 / -16884 rootless: /proc a symlink refused; volumes in /proc refused; masks kept" \
	rl_cve_proc

rl_cve_2019_5736() {
	rl_need
	rl_user
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	sum=$(md5sum <"$MINIRUN")
	rl '$M run -d --name evil --network none busybox sh -c "while :; do for e in /proc/[0-9]*/exe; do
		[ \"\$(readlink \$e)\" = /bin/busybox ] && continue; echo SEEN >>/tmp/log
		( exec 3<\$e || exit; sleep 0.05; echo EVIL >>/proc/self/fd/3 && echo WROTE >>/tmp/log ) 2>/dev/null &
		done; sleep 0.01; done"' >/dev/null || t_fail "run -d"
	# 20 execs, and on (200 at most) until the container has seen one: on a busy machine
	# the joining runtime can come and go between two of the loop's scans
	i=0
	while [ $i -lt 20 ] || { [ $i -lt 200 ] && ! rl '$M exec evil test -s /tmp/log'; }; do
		rl '$M exec evil true' || t_fail "exec $i"
		i=$((i + 1))
	done
	sleep 0.3
	t_eq "$(md5sum <"$MINIRUN")" "$sum" "minirun after $i rootless execs under attack"
	log=$(rl '$M exec evil cat /tmp/log') || t_fail "no attack log after $i execs: the race was never run"
	t_match "$log" SEEN "the container saw the joining runtime"
	case $log in *WROTE*) t_fail "the container wrote a runtime's exe" ;; esac
	rl '$M rm -f evil' >/dev/null || t_fail "rm -f"
}
t "CVE-2019-5736 rootless: rewriting every /proc/PID/exe during exec leaves minirun unchanged" \
	rl_cve_2019_5736

rl_cve_2021_30465() {
	rl_need
	[ -x "$MR_TOP/tests/containers/swapper" ] || t_fail "tests/containers/swapper is not built"
	rl_user
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	# the canary: a directory of the user's (the container could reach nothing else of the
	# host's anyway: the race would give it the user's files)
	mkdir -p "$RL_HOME/canary" "$RL_HOME/payload" "$RL_HOME/sw" &&
		echo hostonly >"$RL_HOME/canary/secret" && echo payload >"$RL_HOME/payload/payload-file" &&
		cp "$MR_TOP/tests/containers/swapper" "$RL_HOME/sw/" && chown -R "$RL_USER:" "$RL_HOME" ||
		t_fail "the canary"
	rl '$M volume create escvol && $M run -d --name swap --network none -v escvol:/data -v $HOME/sw:/sw:ro busybox sh -c \
		"mkdir -p /data/sub && ln -s $HOME/canary /data/link && exec /sw/swapper /data/sub /data/link"' >/dev/null ||
		t_fail "run the swapper"
	# 20 runs, and on (100 at most) until one has started: a run meeting the link is refused
	i=0 ok=0
	while [ $i -lt 20 ] || { [ $ok -eq 0 ] && [ $i -lt 100 ]; }; do
		rl '$M run --rm --network none -v escvol:/data -v $HOME/payload:/data/sub:ro busybox true' \
			>/dev/null 2>&1 && ok=$((ok + 1))
		i=$((i + 1))
	done
	[ $ok -gt 0 ] || t_fail "no run started: the race was never run"
	t_eq "$(ls "$RL_HOME/canary") $(cat "$RL_HOME/canary/secret")" "secret hostonly" "the canary after $ok runs"
	grep -F " $RL_HOME/canary" /proc/self/mountinfo && t_fail "something was mounted on the canary"
	t_eq "$(nsenter -t "$(rl_pause)" -m grep -cF " $RL_HOME/canary" /proc/self/mountinfo)" 0 \
		"mounts on the canary in the user's mount namespace"
	rl '$M rm -f swap && $M volume rm escvol' >/dev/null || t_fail "rm"
}
t "CVE-2021-30465 rootless: a volume target swapped for a symlink to the user's dir never mounts outside the rootfs" \
	rl_cve_2021_30465

rl_cve_2025_31133() {
	rl_need
	rl_user
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	rl 'echo notnull >$HOME/notnull' || t_fail "the file"
	for v in '$M volume create devvol >/dev/null && $M run --rm --network none -v devvol:/dev' \
		'$M run --rm --network none -v $HOME/notnull:/dev/null' '$M run --rm --network none -v $HOME/notnull:/dev/console'; do
		out=$(rl "$v"' busybox sh -c "echo x >/proc/sysrq-trigger 2>/dev/null && echo SYSRQ;
			cat /proc/timer_list 2>/dev/null | head -c 10 | grep -q . && echo READ; echo RAN"' 2>&1)
		t_nomatch "$out" "SYSRQ|READ" "$v: a masked path"
		# it ran (masking with the real null device), or was refused naming the path
		t_match "$out" "^RAN$|/dev" "$v: the outcome"
		echo "$v: $out"
	done
	t_eq "$(cat "$RL_HOME/notnull")" notnull "the planted file"
	rl '$M volume rm devvol' >/dev/null 2>&1
	return 0
}
t "CVE-2025-31133 / -52565 rootless: /dev, /dev/null or /dev/console from the user's files mask nothing with them" \
	rl_cve_2025_31133

rl_nobody_files() {
	rl_need
	rl_user
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	# a root-owned file (0644) in a directory the user owns: inside, root is the user, and
	# uid 0 of the host has no mapping: the file is nobody's, and root can't write it
	mkdir "$RL_HOME/shared" && chown "$RL_USER:" "$RL_HOME/shared"
	echo host-root >"$RL_HOME/shared/rootfile" && chmod 644 "$RL_HOME/shared/rootfile"
	out=$(rl '$M run --rm --network none -v $HOME/shared:/s busybox sh -c "
		stat -c %u /s/rootfile; echo x >>/s/rootfile && echo WROTE; chown 0 /s/rootfile && echo CHOWNED
		chmod 666 /s/rootfile && echo CHMODDED; true"' 2>&1) || t_fail "run: $out"
	t_match "$out" "^65534" "the owner of the host root's file inside"
	case $out in *WROTE* | *CHOWNED* | *CHMODDED*) t_fail "the container changed the host root's file: $out" ;; esac
	t_eq "$(stat -c '%u %a' "$RL_HOME/shared/rootfile") $(cat "$RL_HOME/shared/rootfile")" "0 644 host-root" \
		"the file on the host"
}
t "rootless: a host file owned by an unmapped uid (root) is nobody's inside, and root there can't change it" \
	rl_nobody_files
t_end

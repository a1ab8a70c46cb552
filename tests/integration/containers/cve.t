# tests/integration/containers/cve.t - escape regression tests, each named by the runc (or
# docker) CVE, or the class of bug, it guards against. Each test runs the attack as a hostile
# container or image would, against a host canary (tests/integration/containers/escape.t's:
# a file and a directory whose mode, owner and content must not change), and says in a
# comment what the attack is and what a runtime without the guard would let through.
#
# What other suites already prove, and is not repeated here:
#   CVE-2019-5736   security.t: the monitor runs from a sealed copy of minirun; a container
#                   running /proc/self/exe gets nothing of the host's binary (and here: the
#                   exec'd runtime, attacked while it joins, too)
#   CVE-2022-29162  defaults.t: CapInh 0 with the default capabilities (here: with --cap-add,
#                   --privileged and exec too)
#   CVE-2019-16884  defaults.t: the masked and read-only /proc paths (here: a volume can't
#                   unmask them)
#   CVE-2018-15664  escape.t: cp, commit, diff and populate through symlinks swapped under
#                   them (the swapper race), both ways
#   the runtime     minirun/security.t: the same guards at the OCI level (the waiting init's
#                   exe, fds closed, cwd through a magic link, destinations through links,
#                   /proc a link, mounts in /proc, a /dev/null link in the image);
#                   minirun/cve.t: CVE-2019-5736 against minirun-oci exec
#   layer tars      image/archive.t ('..' entries, a layer.tar that is a link to a host file)
#                   and unionfs/hostile.t (absolute names, links out then a file through
#                   them, hard links out, a parent swapped for a link between entries)
#   --userns        minirun run has no --userns yet (issue #17); the same class rootless,
#                   a host file of an unmapped uid (nobody inside) that the container's
#                   root can't change, is in rootless/cve.t
# Rootless variants (a real user made by the test): tests/integration/rootless/cve.t.
# Run: sh tests/integration/containers/cve.t (as root; make minirun busybox-image
#      tests/containers/swapper)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

SWDIR=$MR_TOP/tests/containers
SWAPPER=$SWDIR/swapper
CVE_N=${CVE_N:-30}
export SWDIR SWAPPER CVE_N

# cve_t NAME FN - t, for the FNs named in $CVE_ONLY (space-separated) when it is set
cve_t() { case " ${CVE_ONLY:-$2} " in *" $2 "*) t "$@" ;; esac; }

# the canary (as escape.t's): $C/secret and $C/dir/hostonly-secret, owner 4321, 0600/0700
CVE_LIB='
	C=$(cd $R/.. && pwd)/canary
	mkdir -p $C/dir && echo hostonly-canary >$C/secret && echo hostonly-content >$C/dir/hostonly-secret
	chown -R 4321:4321 $C && chmod 600 $C/secret $C/dir/hostonly-secret && chmod 700 $C/dir
	canary_ok() {
		_got=$(stat -c "%a %u:%g" $C/secret $C/dir $C/dir/hostonly-secret | tr "\n" " ")
		[ "$_got" = "600 4321:4321 700 4321:4321 600 4321:4321 " ] ||
			die "the host canary changed: $_got"
		[ "$(cat $C/secret)" = hostonly-canary ] || die "the host canary file now holds: $(cat $C/secret)"
		[ "$(ls $C/dir)" = hostonly-secret ] || die "the host canary dir now holds: $(ls $C/dir)"
		grep -F " $C" /proc/self/mountinfo && die "something was mounted on the canary"
		return 0
	}
	# hostile_image REF SCRIPT - an image REF: busybox'"'"'s files changed by SCRIPT (run in
	# the unpacked tree, on the host), imported as a layer would arrive from a registry
	hostile_image() {
		_t=$R/../tree-$1; rm -rf $_t; mkdir -p $_t && tar -C $_t -xf $CT_IMAGE_TAR &&
			(cd $_t && eval "$2") && (cd $_t && tar -cf ../img.tar .) &&
			mr import -c "CMD [\"sh\"]" $R/../img.tar $1 >/dev/null || die "hostile_image $1"
		rm -rf $_t $R/../img.tar
	}
'

cve_need() {
	ct_need
	[ -x "$SWAPPER" ] || t_fail "$SWAPPER is not built (make tests/containers/swapper)"
}

# ---- CVE-2019-5736: the runtime binary through /proc/PID/exe -----------------------------

cve_2019_5736_exec() {
	cve_need
	ct_host "$CVE_LIB"'
		# The attack (runc < 1.0-rc6): while `exec` joins the container, the joining runtime
		# process is in the container'"'"'s PID namespace for a moment; the container opens
		# its /proc/PID/exe read-only (a handle on the host binary), and once the runtime has
		# exec'"'"'d the command (no ETXTBSY any more), reopens that handle for writing through
		# /proc/self/fd/N and overwrites the host'"'"'s runtime: root on the host at its next
		# run. Here the container loops over every /proc/*/exe that is not its own
		# busybox, doing just that; without the guard (the runtime joining from the host
		# binary, dumpable) the host binary would end in "EVIL". minirun (and minirun-oci)
		# re-exec from a sealed memfd copy (minirun/oci/clone_exe.c): a write fails.
		sum=$(cksum <"$MINIRUN")
		mr run -d --name evil --network none busybox sh -c "
			while :; do
				for e in /proc/[0-9]*/exe; do
					[ \"\$(readlink \$e)\" = /bin/busybox ] && continue
					echo SEEN \$e >>/tmp/log
					( exec 3<\$e || exit; sleep 0.05; echo EVIL >>/proc/self/fd/3 && echo WROTE \$e >>/tmp/log ) 2>/dev/null &
				done
				sleep 0.01
			done" >/dev/null || die run
		# CVE_N execs, and on (10 x CVE_N at most) until the container has seen one: an
		# exec of true is brief, and a busy machine may hide the first ones from its loop
		i=0; ok=0
		while [ $i -lt $CVE_N ] || { [ $i -lt $((CVE_N * 10)) ] &&
			! mr exec evil cat /tmp/log 2>/dev/null | grep -q SEEN; }; do
			mr exec evil true && ok=$((ok + 1))
			i=$((i + 1))
		done
		[ $ok -gt 0 ] || die "no exec went through: the attack never had a target"
		sleep 0.3
		[ "$(cksum <"$MINIRUN")" = "$sum" ] || die "the host minirun binary was changed"
		tail -c 5 "$MINIRUN" | grep -q EVIL && die "EVIL appended to the host binary"
		# the race was run: the container saw the joining runtime (and could not open its
		# exe: it is not dumpable, and a sealed copy anyway)
		log=$(mr exec evil cat /tmp/log) || die "no attack log"
		echo "$log" | grep -q SEEN || die "the container never saw a runtime process: no attack"
		echo "$log" | grep WROTE && die "the container wrote a runtime'"'"'s exe"
		echo "$ok execs under attack ($(echo "$log" | grep -c SEEN) runtime processes seen); the host binary is unchanged"
		mr rm -f evil >/dev/null
		ct_noleaks
	'
}
cve_t "CVE-2019-5736: a container rewriting every /proc/PID/exe during exec leaves the host minirun unchanged" \
	cve_2019_5736_exec

# ---- CVE-2024-21626: leaked fds, a working directory outside the rootfs ---------------------

cve_2024_21626_fds() {
	cve_need
	ct_host '
		# The attack (runc 1.0.0-rc93..1.1.11): runc left an fd of the host'"'"'s
		# /sys/fs/cgroup open into the container'"'"'s init; `-w /proc/self/fd/7` then put
		# the process'"'"'s cwd on the host, and "../../.." walked the host'"'"'s /. Here:
		# pid 1, a run'"'"'s shell and an exec'"'"'d shell hold only 0, 1 and 2.
		for how in "run" "exec"; do
			if [ $how = run ]; then
				out=$(mr run --rm --network none busybox sh -c "ls /proc/1/fd; echo --; ls /proc/\$\$/fd; true") ||
					die "run: $out"
			else
				mr run -d --name fds --network none busybox sleep 300 >/dev/null || die "run -d"
				out=$(mr exec fds sh -c "ls /proc/1/fd; echo --; ls /proc/\$\$/fd; true") || die "exec: $out"
				mr rm -f fds >/dev/null
			fi
			[ "$(echo $out)" = "0 1 2 -- 0 1 2" ] || die "$how: fds open in the container: $(echo $out)"
		done
		# fds the caller of minirun holds (a host directory among them: the very leak of
		# the CVE) stay out too
		out=$(mr run --rm --network none busybox sh -c "ls /proc/\$\$/fd; true" 5</etc/hostname 7<"$R") ||
			die "run with fds 5 and 7 open: $out"
		[ "$(echo $out)" = "0 1 2" ] || die "the caller'"'"'s fds reached the container: $(echo $out)"
		# -i: stdin is 0, nothing more
		out=$(mr run --rm --network none -i busybox sh -c "ls /proc/\$\$/fd; true" </dev/null) || die "run -i: $out"
		[ "$(echo $out)" = "0 1 2" ] || die "run -i: $(echo $out)"
		ct_noleaks
	'
}
cve_t "CVE-2024-21626: no fd of the runtime's is open in the container (pid 1, run, exec)" cve_2024_21626_fds

cve_2024_21626_cwd() {
	cve_need
	ct_image wdfd:1 '{"Cmd":["sh"],"WorkingDir":"/proc/self/fd/5"}'
	ct_host "$CVE_LIB"'
		# With a leaked fd N, -w /proc/self/fd/N (or an image'"'"'s WorkingDir) is a cwd
		# outside the rootfs: ".." from there reaches the host'"'"'s / and the canary. Each
		# is refused (a cwd through a magic link), and the probe shows it never ran on the
		# host: without the guard and with a leaked directory fd, it prints ESCAPED.
		probe="cd ../../../../../../../../../..; test -e .$C/secret && echo ESCAPED; true"
		refused() { # refused WHAT OUT RC
			[ $3 != 0 ] || die "$1: accepted: $2"
			echo "$2" | grep -q ESCAPED && die "$1: the cwd was on the host"
			# the refusal of run names the magic link; exec checks its -w inside the
			# root of the container first and says, as runc does, "chdir to cwd ... failed"
			echo "$2" | grep -Eq "magic link|chdir to cwd" || die "$1: the error does not say why: $2"
		}
		for n in 3 4 5 6 7 8 9 10; do
			out=$(mr run --rm --network none -w /proc/self/fd/$n busybox sh -c "$probe" 2>&1)
			refused "run -w /proc/self/fd/$n" "$out" $?
		done
		out=$(mr run --rm --network none wdfd:1 sh -c "$probe" 2>&1)
		refused "WorkingDir /proc/self/fd/5" "$out" $?
		mr run -d --name wd --network none busybox sleep 300 >/dev/null || die "run -d"
		for w in /proc/self/fd/3 /proc/self/fd/4 /proc/1/cwd/../.. /proc/self/root/..; do
			out=$(mr exec -w $w wd sh -c "$probe" 2>&1)
			refused "exec -w $w" "$out" $?
		done
		mr rm -f wd >/dev/null
		canary_ok
		mr rmi wdfd:1 >/dev/null
		ct_noleaks
	'
}
cve_t "CVE-2024-21626: -w or a WorkingDir of /proc/self/fd/N is refused: the cwd is never on the host" \
	cve_2024_21626_cwd

# ---- CVE-2021-30465: a mount destination swapped for a symlink -------------------------------

cve_2021_30465() {
	cve_need
	out=$(ct_host "$CVE_LIB"'
		# The attack (runc < 1.0.0-rc95): two containers share a volume; one swaps, in a
		# loop, the directory /data/sub (the other'"'"'s mount destination) with a symlink
		# (/data/link -> the host'"'"'s canary dir, by its host path). runc checked the
		# path, then mounted by path: the swap between the two sent the bind onto the
		# host path. minirun resolves each destination once, in the rootfs
		# (openat2 RESOLVE_IN_ROOT), and mounts onto that fd: a link is followed as if
		# the rootfs were /, so the host path is never reached.
		mkdir -p $R/../payload && echo payload >$R/../payload/payload-file
		mr volume create escvol >/dev/null || die "volume create"
		mr run -d --name swap --network none -v escvol:/data -v $SWDIR:/sw:ro busybox sh -c \
			"mkdir -p /data/sub && ln -s $C/dir /data/link && exec /sw/swapper /data/sub /data/link" \
			>/dev/null || die "run the swapper"
		# CVE_N runs, and on (5 x CVE_N at most) until one has started: a run whose
		# destination is the link at that moment is refused, and on a busy machine the
		# first CVE_N may all meet it
		i=0; ok=0; seen=0
		while [ $i -lt $CVE_N ] || { [ $ok -eq 0 ] && [ $i -lt $((CVE_N * 5)) ]; }; do
			out=$(mr run --rm --network none -v escvol:/data -v $R/../payload:/data/sub:ro busybox \
				sh -c "cat $C/dir/payload-file 2>/dev/null; ls /data/sub" 2>/dev/null) && ok=$((ok + 1))
			# the payload may well land on the container'"'"'s own $C/dir (the link, resolved
			# inside): that is inside its rootfs, and fine
			echo "$out" | grep -q ^payload$ && seen=$((seen + 1))
			canary_ok
			i=$((i + 1))
		done
		echo "$ok of $i runs started ($seen with the link followed inside the rootfs)"
		[ $ok -gt 0 ] || echo "NORACE: no run started: every start met the link"
		mr rm -f swap >/dev/null
		mr volume rm escvol >/dev/null || die "volume rm"
		ct_noleaks
	') || t_fail "$out"
	echo "$out"
	# the canary held either way; without one started run the race itself was not shown
	echo "$out" | grep -q "^NORACE" && t_skip "the race could not be run here: no run started in $CVE_N x 5 tries"
	return 0
}
cve_t "CVE-2021-30465: a volume target swapped for a symlink to a host path never mounts outside the rootfs" \
	cve_2021_30465

symlinked_destination_in_the_image() {
	cve_need
	ct_host "$CVE_LIB"'
		# the same without a race: the image'"'"'s /opt is a symlink to the host path, or
		# climbs out with ../..; the bind lands inside the rootfs or is refused
		hostile_image linked "ln -s $C/dir opt && ln -s ../../../../../../../../$C/dir srv"
		mkdir -p $R/../payload && echo payload >$R/../payload/payload-file
		for d in /opt /srv /opt/x /srv/x; do
			mr run --rm --network none -v $R/../payload:$d:ro linked true >/dev/null 2>&1
			canary_ok
		done
		mr rmi linked >/dev/null
		ct_noleaks
	'
}
cve_t "CVE-2021-30465 class: a volume under an image's symlink to a host path stays in the rootfs" \
	symlinked_destination_in_the_image

# ---- CVE-2019-19921 / CVE-2023-27561: /proc as a symlink -------------------------------------

cve_2019_19921() {
	cve_need
	ct_host "$CVE_LIB"'
		# The attack: an image whose /proc is a symlink (to a directory it controls, or to
		# a host path); runc mounted procfs there by path, so the new procfs landed where
		# the link pointed, and the container'"'"'s later writes to /proc/self/attr (the
		# AppArmor label) went to a file the image controls: no LSM confinement. Refused:
		# /proc and /sys must be real directories (minirun/oci/mounts.c).
		hostile_image procln "rmdir proc && mkdir fakeproc && ln -s /fakeproc proc"
		hostile_image proch "rmdir proc && ln -s $C/dir proc"
		hostile_image sysln "rmdir sys && mkdir fakesys && ln -s fakesys sys"
		for img in procln proch sysln; do
			out=$(mr run --rm --network none $img true 2>&1) &&
				die "$img: a container ran with a symlinked /proc or /sys"
			echo "$out" | grep -Eq "/(proc|sys).*symlink|symlink.*/(proc|sys)" ||
				die "$img: the error does not say why: $out"
			canary_ok
			mr rmi $img >/dev/null
		done
		# and a volume (a directory the container controls) over /proc: refused too
		mkdir -p $R/../fakeproc
		out=$(mr run --rm --network none -v $R/../fakeproc:/proc busybox true 2>&1) &&
			die "a volume over /proc was mounted"
		echo "$out" | grep -q proc || die "the error does not say why: $out"
		ct_noleaks
	'
}
cve_t "CVE-2019-19921 / CVE-2023-27561: an image whose /proc or /sys is a symlink, or a volume at /proc, is refused" \
	cve_2019_19921

# ---- CVE-2019-16884: masked paths unmasked by a volume ----------------------------------------

cve_2019_16884() {
	cve_need
	ct_host "$CVE_LIB"'
		# The attack: a mount below /proc (a volume at /proc/kcore, /proc/sys/kernel, ...)
		# covers a masked or read-only path with one the container can write or read.
		# Refused: below /proc only what lxcfs emulates (runc'"'"'s checkProcMount).
		mkdir -p $R/../vol && echo fake >$R/../vol/f
		for d in /proc/kcore /proc/sys /proc/sys/kernel /proc/sysrq-trigger /proc/acpi /proc/1; do
			case $d in /proc/kcore | /proc/sysrq-trigger) src=$R/../vol/f ;; *) src=$R/../vol ;; esac
			out=$(mr run --rm --network none -v $src:$d busybox true 2>&1) &&
				die "a volume at $d was mounted"
			echo "$out" | grep -q "$d" || die "$d: the error does not name it: $out"
		done
		# what stays masked or read-only, with a volume elsewhere in /proc refused
		out=$(mr run --rm --network none busybox sh -c "
			cat /proc/kcore 2>/dev/null | wc -c; ls /proc/acpi | wc -l
			echo x >/proc/sysrq-trigger 2>/dev/null && echo SYSRQ
			echo x >/proc/sys/kernel/core_pattern 2>/dev/null && echo CORE; true") || die "run: $out"
		[ "$(echo $out)" = "0 0" ] || die "masked or read-only paths reachable: $(echo $out)"
		canary_ok
		ct_noleaks
	'
}
cve_t "CVE-2019-16884: a volume below /proc can't unmask kcore, sys, sysrq-trigger, acpi" cve_2019_16884

# ---- CVE-2022-29162: inheritable capabilities -------------------------------------------------

cve_2022_29162() {
	cve_need
	ct_host '
		# The attack: a non-empty inheritable set (runc < 1.1.2 gave the bounding set),
		# with a file capability on an image binary (setcap cap_sys_admin+ei), gives an
		# unprivileged user in the container that capability at execve. The set must be
		# empty however the capabilities are asked for.
		for opts in "--cap-add NET_ADMIN" "--cap-add ALL" "--privileged" "-u 1000 --cap-add SYS_ADMIN"; do
			out=$(mr run --rm --network none $opts busybox grep -E "^Cap(Inh|Amb):" /proc/1/status) ||
				die "run $opts: $out"
			[ "$(echo $out)" = "CapInh: 0000000000000000 CapAmb: 0000000000000000" ] ||
				die "$opts: $(echo $out)"
		done
		mr run -d --name ci --network none --cap-add ALL busybox sleep 300 >/dev/null || die "run -d"
		out=$(mr exec --privileged ci grep -E "^CapInh:" /proc/self/status) || die "exec: $out"
		[ "$(echo $out)" = "CapInh: 0000000000000000" ] || die "exec --privileged: $out"
		mr rm -f ci >/dev/null
		ct_noleaks
	'
}
cve_t "CVE-2022-29162: the inheritable (and ambient) set is empty with --cap-add, --privileged, -u and exec" \
	cve_2022_29162

# ---- CVE-2025-31133 / -52565 / -52881: masks, the console, /proc writes redirected -----------

cve_2025_31133() {
	cve_need
	ct_host "$CVE_LIB"'
		# The attack (runc < 1.2.8): masking binds the container'"'"'s /dev/null over each
		# masked path. If the container (a volume at /dev shared with another container,
		# or a bind at /dev/null) makes /dev/null a symlink to, say,
		# /proc/sys/kernel/core_pattern, or a file of its own, the "mask" of /proc/kcore
		# or /proc/sysrq-trigger is that writable file; the same with the pty bound over
		# /dev/console (-52565). minirun refuses a volume at /dev, /dev/null'"'"'s bind is
		# checked to be the null device (char 1:3) before any mask, and /dev/console is
		# one of the runtime'"'"'s own mount points.
		mr volume create devvol >/dev/null || die "volume create"
		out=$(mr run --rm --network none -v devvol:/dev busybox true 2>&1) && die "a volume at /dev was mounted"
		echo "$out" | grep -q "/dev" || die "the error does not name /dev: $out"
		mr volume rm devvol >/dev/null || die "volume rm"
		echo notnull >$R/../notnull && ln -s $C/secret $R/../tosecret
		# (2>/dev/null before the other redirection: the shell error goes
		# there too; on stderr, a pipe of its own, it could be cut into the RAN line)
		probe="echo x 2>/dev/null >/proc/sysrq-trigger && echo SYSRQ
			cat /proc/kcore /proc/timer_list 2>/dev/null | head -c 10 | grep -q . && echo READ
			echo console-write 2>/dev/null >/dev/console; echo RAN"
		# a file (or a link to one, or a host /proc file) bound at /dev/null: the container
		# would mask with it; refused (the runtime then finds no null device to make)
		for v in "$R/../notnull:/dev/null" "$R/../tosecret:/dev/null" "/proc/sys/kernel/core_pattern:/dev/null"; do
			out=$(mr run --rm --network none -v $v busybox sh -c "$probe" 2>&1) &&
				die "-v $v: ran with a /dev/null that is not the null device: $out"
			echo "$out" | grep -q "device ./dev/null.: a mount is already there" ||
				die "-v $v: the error does not say why: $out"
			canary_ok
		done
		# a file bound at /dev/console (read-only here: without -t, a rw one is simply a
		# file the container may write); with -t the pty is bound over even a rw one,
		# and the file stays as it was
		out=$(mr run --rm --network none -v $R/../notnull:/dev/console:ro busybox sh -c "$probe" 2>&1)
		echo "$out" | grep -qx RAN || die "-v FILE:/dev/console: did not run: $out"
		echo "$out" | grep -Eq "SYSRQ|READ" && die "-v FILE:/dev/console: a masked path was reachable: $out"
		if command -v script >/dev/null; then
			out=$(script -qec "$MINIRUN --root $R run --rm -t --network none -v $R/../notnull:/dev/console busybox sh -c '"'"'$probe'"'"'" /dev/null 2>&1)
			echo "$out" | grep -q RAN || die "-t -v FILE:/dev/console: did not run: $out"
			echo "$out" | grep -Eq "SYSRQ|READ" && die "-t -v FILE:/dev/console: a masked path was reachable: $out"
		fi
		[ "$(cat $R/../notnull)" = notnull ] || die "the bound file was written: $(cat $R/../notnull)"
		canary_ok
		ct_noleaks
	'
}
cve_t "CVE-2025-31133 / -52565: /dev/null or /dev/console made a file, a link or a host file masks nothing with it" \
	cve_2025_31133

cve_2025_52881() {
	cve_need
	ct_host "$CVE_LIB"'
		# The attack: the runtime'"'"'s own writes to /proc (sysctls, /proc/self/attr, the
		# oom_score_adj) are redirected, by a racing mount or a symlinked /proc, to a
		# file the container chose, e.g. /proc/sysrq-trigger. minirun refuses any
		# procfs it did not mount itself (above) and writes its settings before the
		# container runs anything; here: a container that swaps /proc/self-like paths
		# in a shared volume while others start with --sysctl and --oom-score-adj
		# leaves the host'"'"'s files as they were.
		before=$(cat /proc/sys/kernel/core_pattern /proc/sys/kernel/hostname)
		mkdir -p $R/../payload
		mr volume create racevol >/dev/null || die "volume create"
		mr run -d --name swap --network none -v racevol:/data -v $SWDIR:/sw:ro busybox sh -c \
			"mkdir -p /data/sub && ln -s /proc/sys/kernel /data/link && exec /sw/swapper /data/sub /data/link" \
			>/dev/null || die "run the swapper"
		i=0; ok=0
		while [ $i -lt 10 ] || { [ $ok -eq 0 ] && [ $i -lt 50 ]; }; do
			mr run --rm --network none -v racevol:/data -v $R/../payload:/data/sub/x busybox \
				true >/dev/null 2>&1 && ok=$((ok + 1))
			i=$((i + 1))
		done
		[ $ok -gt 0 ] || die "no run started: the race was never run"
		mr rm -f swap >/dev/null
		mr volume rm racevol >/dev/null || die "volume rm"
		[ "$(cat /proc/sys/kernel/core_pattern /proc/sys/kernel/hostname)" = "$before" ] ||
			die "a host sysctl changed"
		canary_ok
		ct_noleaks
	'
}
cve_t "CVE-2025-52881 class: the runtime's /proc writes during a mount race leave the host's sysctls as they were" \
	cve_2025_52881

t_end

# tests/integration/rootless/cgroup.t - limits of an ordinary user's containers in a
# delegated cgroup v2 subtree (minirun/rootless/cgroup.c): the test delegates one below its
# own cgroup as cgroup-v2.rst says (a directory chowned to the user with its cgroup.procs,
# cgroup.subtree_control and cgroup.threads), starts the user's commands from a leaf below
# it, and checks that the container's cgroup is made there with -m/--cpus/--pids-limit
# written, that -m kills a memory hog (exit 137), that a controller the subtree lacks is
# refused naming it, and that without delegation every limit is refused in one line.
#
# Where: the limits need a v2 hierarchy with the memory, cpu and pids controllers: the VM
# tier (pure v2; its user is made by hand, as the VM has no useradd/su, with no subuid
# range and setpriv for su). This host is hybrid (v2 with hugetlb only): there the
# delegated subtree is still used for a container without limits, and -m refused naming it.
#   MR_TOP=$PWD sh tests/integration/rootless/cgroup.t
# shellcheck disable=SC2016 # the scripts in single quotes run as the user: $M, $TAR there
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/rootless/lib.sh"

cg_v2() { awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts; }

# cg_user - a user of the test's own (RL_USER, RL_UID, RL_HOME, RL_RUN): lib.sh's rl_user
# where useradd and su are (the host), else made by hand in /etc/passwd (the VM), and then
# `rl` runs its scripts through setpriv; removed after either way
cg_user() {
	# (CG_BY_HAND=1: the VM's way on the host too, to try it)
	if [ -z "${CG_BY_HAND:-}" ] && command -v useradd >/dev/null && command -v su >/dev/null &&
		command -v newuidmap >/dev/null; then
		rl_user
		return
	fi
	t_need setpriv
	[ -x "$MINIRUN" ] || t_fail "$MINIRUN is not built (make minirun)"
	[ -f "$RL_IMAGE_TAR" ] || t_fail "$RL_IMAGE_TAR is missing (make busybox-image)"
	RL_UID=$((61000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 3000))
	RL_USER=mrtest-$RL_UID
	grep -q "^$RL_USER:\|:x:$RL_UID:" /etc/passwd && t_fail "user $RL_UID exists already"
	RL_HOME=/home/$RL_USER
	RL_RUN=$(mktemp -d /tmp/mr-rl-run.XXXXXX)
	t_defer "_cg_user_remove $RL_USER $RL_UID $RL_RUN"
	echo "$RL_USER:x:$RL_UID:$RL_UID::$RL_HOME:/bin/sh" >>/etc/passwd
	echo "$RL_USER:x:$RL_UID:" >>/etc/group
	mkdir -p "$RL_HOME" && cp "$RL_IMAGE_TAR" "$RL_HOME/busybox.tar" &&
		chown -R "$RL_UID:$RL_UID" "$RL_HOME" "$RL_RUN" && chmod 700 "$RL_RUN" ||
		t_fail "making $RL_HOME failed"
	RL_SUB=""
	CG_SETPRIV=1
	export RL_USER RL_UID RL_HOME RL_RUN RL_SUB
}

# the user's processes, by /proc (busybox's ps has no -u)
_cg_pids() { for _p in /proc/[0-9]*; do [ "$(stat -c %u "$_p" 2>/dev/null)" = "$1" ] && echo "${_p#/proc/}"; done; }

_cg_user_remove() {
	_i=0
	while [ -n "$(_cg_pids "$2")" ] && [ $_i -lt 50 ]; do
		# shellcheck disable=SC2046 # a list of pids
		kill -9 $(_cg_pids "$2") 2>/dev/null
		sleep 0.1
		_i=$((_i + 1))
	done
	for _f in /etc/passwd /etc/group; do
		grep -v "^$1:" "$_f" >"$_f.mrtest" && cat "$_f.mrtest" >"$_f"
		rm -f "$_f.mrtest"
	done
	rm -rf "/home/${1:?}" "${3:?}"
	[ -z "$(_cg_pids "$2")" ] || { echo "left behind by $1: processes"; return 1; }
}

# rl SCRIPT from the leaf cgroup CG_LEAF (if set): the user's commands start there
rl_cg() {
	if [ -n "${CG_SETPRIV:-}" ]; then
		sh -c '[ -z "$1" ] || echo $$ >"$1/cgroup.procs" || exit 125; shift; exec "$@"' sh \
			"${CG_LEAF:-}" setpriv --reuid="$RL_UID" --regid="$RL_UID" --clear-groups \
			env HOME="$RL_HOME" USER="$RL_USER" LOGNAME="$RL_USER" XDG_RUNTIME_DIR="$RL_RUN" \
			M="$MINIRUN" TAR="$RL_HOME/busybox.tar" sh -c "cd / && $1"
	else
		sh -c '[ -z "$1" ] || echo $$ >"$1/cgroup.procs" || exit 125; shift; exec "$@"' sh \
			"${CG_LEAF:-}" su -s /bin/sh "$RL_USER" -c "cd / && export \
XDG_RUNTIME_DIR='$RL_RUN' M='$MINIRUN' TAR='$RL_HOME/busybox.tar' && $1"
	fi
}

# cg_prepare - name the subtree (CG_D, below our own v2 cgroup) and defer its removal;
# called before the user is made, so that it is removed after the user's processes are
cg_prepare() {
	mnt=$(cg_v2)
	[ -n "$mnt" ] || t_skip "needs a cgroup v2 hierarchy; none is mounted"
	own=$(sed -n 's/^0:://p' /proc/self/cgroup)
	[ "$own" = / ] && own=""
	CG_D=$mnt$own/mrdeleg-$$-$(od -An -N2 -tx2 /dev/urandom | tr -d ' ')
	t_defer "_cg_remove $CG_D"
}

# cg_delegate - make CG_D and its leaf CG_LEAF=CG_D/shell, the user's (cgroup-v2.rst's
# delegation: the directory, cgroup.procs, cgroup.subtree_control, cgroup.threads)
cg_delegate() {
	mkdir "$CG_D" "$CG_D/shell" || t_fail "mkdir $CG_D failed"
	CG_LEAF=$CG_D/shell
	for f in "$CG_D" "$CG_D/shell"; do
		chown "$RL_UID" "$f" "$f/cgroup.procs" "$f/cgroup.subtree_control" \
			"$f/cgroup.threads" || t_fail "chown $f failed"
	done
}

# _cg_remove DIR - rmdir DIR and what is below it, deepest first (the user's processes
# are gone by now: their removal ran first); fail if it stays
_cg_remove() {
	[ -d "$1" ] || return 0
	_i=0
	while [ -d "$1" ] && [ $_i -lt 30 ]; do
		find "$1" -depth -type d -exec rmdir {} \; 2>/dev/null
		[ -d "$1" ] && sleep 0.1
		_i=$((_i + 1))
	done
	[ ! -d "$1" ] || { echo "left behind: cgroup $1"; return 1; }
}

refused_without() {
	t_need_root
	cg_user
	rl_cg '$M import $TAR busybox' >/dev/null 2>&1 || t_fail "import failed"
	for f in "-m 16m:memory:-m" "--cpus 0.5:cpu:--cpus" "--pids-limit 10:pids:--pids-limit"; do
		flag=${f%%:*} rest=${f#*:}
		ctl=${rest%%:*} name=${rest#*:}
		out=$(rl_cg "\$M run --rm --network none $flag busybox echo ran" 2>&1)
		t_eq "$?" 125 "exit code of run $flag"
		t_match "$out" "^minirun: $name needs the cgroup v2 '$ctl' controller delegated to \
you, and none is \((no parent of your cgroup .* is yours to write|this host has no cgroup v2)" \
			"run $flag without a delegated cgroup"
		t_match "$out" "start minirun from a cgroup below it\)$" "the fix"
		t_eq "$(printf '%s\n' "$out" | grep -c "needs the cgroup")" 1 "lines naming it"
	done
	t_eq "$(rl_cg '$M ps -aq')" "" "containers made by the refused runs"
}
t "with no delegated cgroup, -m, --cpus and --pids-limit are refused rootless in one line" \
	refused_without

# on this hybrid host: the subtree is used, and the controllers it lacks are refused
delegated_no_controllers() {
	t_need_root
	cg_prepare
	[ "$(grep -vc '^0::' /proc/self/cgroup)" = 0 ] &&
		t_skip "a pure v2 host: delegated_limits covers the delegated subtree here"
	cg_user
	cg_delegate
	rl_cg '$M import $TAR busybox' >/dev/null 2>&1 || t_fail "import failed"
	id=$(rl_cg '$M run -d --network none busybox sleep 100') || t_fail "run -d: $id"
	pid=$(rl_cg '$M inspect -f "{{.State.Pid}}" '"$id")
	# (hybrid: cgroups/ makes it below the caller's own; pure v2: in the subtree's top)
	t_eq "$(sed -n 's/^0:://p' "/proc/$pid/cgroup")" "${CG_D#"$(cg_v2)"}/shell/minirun-$id" \
		"the container's v2 cgroup"
	out=$(rl_cg '$M run --rm --network none -m 16m busybox echo ran' 2>&1)
	t_eq "$?" 125 "exit code of run -m"
	t_match "$out" "^minirun: -m needs the cgroup v2 'memory' controller delegated to you, \
and none is \(your delegated cgroup $CG_D does not have it in cgroup.controllers\)" "run -m"
	rl_cg '$M rm -f '"$id" >/dev/null || t_fail "rm -f failed"
	t_eq "$(cd "$CG_D" && find . -mindepth 1 -type d | sort)" "./shell" \
		"cgroups left in the delegated subtree after rm -f"
}
t "hybrid host: a rootless container's cgroup is made in a delegated subtree; -m refused" \
	delegated_no_controllers

# the VM tier: the limits written in the subtree, and -m's OOM kill
delegated_limits() {
	t_need_root
	cg_prepare
	for c in memory pids cpu; do
		grep -qw "$c" "$(cg_v2)/cgroup.controllers" ||
			t_skip "needs the v2 '$c' controller (this host is hybrid: the VM tier runs it)"
		grep -qw "$c" "$(dirname "$CG_D")/cgroup.subtree_control" ||
			echo "+$c" >"$(dirname "$CG_D")/cgroup.subtree_control" ||
			t_skip "cannot enable '$c' below our own cgroup"
	done
	cg_user
	cg_delegate
	rl_cg '$M import $TAR busybox' >/dev/null 2>&1 || t_fail "import failed"
	id=$(rl_cg '$M run -d --network none -m 32m --memory-swap 32m --cpus 0.5 \
		--pids-limit 20 busybox sleep 100') || t_fail "run -d with limits: $id"
	t_eq "$(cat "$CG_D/minirun-$id/memory.max")" 33554432 "memory.max"
	t_eq "$(cat "$CG_D/minirun-$id/pids.max")" 20 "pids.max"
	t_eq "$(cat "$CG_D/minirun-$id/cpu.max")" "50000 100000" "cpu.max"
	rl_cg '$M rm -f '"$id" >/dev/null || t_fail "rm -f failed"
	rl_cg '$M run --rm --network none -m 16m --memory-swap 16m busybox sh -c \
		"x=a; while :; do x=\$x\$x; done"' >/dev/null 2>&1
	t_eq "$?" 137 "exit code of a memory hog under -m 16m"
	t_eq "$(cd "$CG_D" && find . -mindepth 1 -type d | sort)" "./shell" \
		"cgroups left in the delegated subtree"
}
t "rootless -m, --cpus, --pids-limit land in a delegated v2 subtree; -m's OOM kill exits 137" \
	delegated_limits

# the VM tier: a delegated subtree whose parent handed down memory and cpu, not pids
delegated_missing() {
	t_need_root
	cg_prepare
	for c in memory pids cpu; do
		grep -qw "$c" "$(cg_v2)/cgroup.controllers" ||
			t_skip "needs the v2 '$c' controller (this host is hybrid: the VM tier runs it)"
		grep -qw "$c" "$(dirname "$CG_D")/cgroup.subtree_control" ||
			echo "+$c" >"$(dirname "$CG_D")/cgroup.subtree_control" ||
			t_skip "cannot enable '$c' below our own cgroup"
	done
	cg_user
	# CG_D stays root's, and gives its child only memory and cpu; the child is the user's
	mkdir "$CG_D" && echo "+memory +cpu" >"$CG_D/cgroup.subtree_control" ||
		t_fail "making $CG_D failed"
	top=$CG_D
	CG_D=$top/d
	cg_delegate
	t_eq "$(cat "$CG_D/cgroup.controllers")" "cpu memory" "the delegated cgroup's controllers"
	rl_cg '$M import $TAR busybox' >/dev/null 2>&1 || t_fail "import failed"
	out=$(rl_cg '$M run --rm --network none --pids-limit 10 busybox echo ran' 2>&1)
	t_eq "$?" 125 "exit code of run --pids-limit"
	t_match "$out" "^minirun: --pids-limit needs the cgroup v2 'pids' controller delegated to \
you, and none is \(your delegated cgroup $CG_D does not have it in cgroup.controllers\)" \
		"run --pids-limit"
	t_eq "$(rl_cg '$M run --rm --network none -m 32m busybox echo ran')" ran "run -m 32m"
	t_eq "$(cd "$top" && find . -mindepth 1 -type d | sort | tr '\n' ' ')" "./d ./d/shell " \
		"cgroups left in the subtree"
}
t "a delegated subtree without pids: --pids-limit refused naming it; -m runs (VM tier)" \
	delegated_missing

t_end

# tests/integration/rootless/lib.sh - what every rootless suite shares (sourced after
# t.sh; not a suite).
#
# Every rootless path runs as a real unprivileged user that the test makes and removes:
#
#	rl_need                 (root) skip/fail unless useradd, newuidmap, minirun and the
#	                        busybox image are here
#	rl_user [norange]       make a user mrtest-XXXX with a home, a subordinate range of
#	                        65536 ids in /etc/subuid and /etc/subgid (none with norange),
#	                        and a runtime dir of its own ($RL_RUN, its XDG_RUNTIME_DIR);
#	                        sets RL_USER, RL_UID, RL_HOME, RL_SUB (the range's first id);
#	                        its removal is deferred: every process of the user (by PID),
#	                        the user, its home, its lines in /etc/subuid and /etc/subgid,
#	                        the runtime dir; and then checked, failing the test if any is
#	                        still there
#	rl SCRIPT               run SCRIPT with sh as RL_USER (su), in /, with
#	                        XDG_RUNTIME_DIR=$RL_RUN, $M the minirun binary and $TAR a copy
#	                        of the busybox image the user may read; its output and status
#	                        are ours
#	rl_procs                the user's live processes, "PID COMM" a line (zombies, which
#	                        this machine's init reaps late, left out)
#	rl_pause                the pid of the user's pause process (from $RL_RUN)
#	rl_devs tun|fuse...     make the user's namespace (its first command) where the user
#	                        may open /dev/net/tun (pasta needs it) and /dev/fuse
#	                        (fuse-overlayfs): on a machine whose nodes are 0600 (no udev:
#	                        this one), from a private mount namespace with 0666 nodes bound
#	                        over them; the host's nodes are never changed
#	rl_settle [COMMS]       wait until the user's only process is its pause process
#	                        (or until its processes are COMMS; "": none)
#
# See: minirun/rootless/rootless.h; tests/lib/t.sh.

MINIRUN=${MINIRUN:-$MR_TOP/minirun/minirun}
RL_IMAGE_TAR=${RL_IMAGE_TAR:-$MR_TOP/build/images/busybox.tar}

rl_need() {
	t_need_root
	t_need useradd userdel usermod su newuidmap newgidmap
	[ -x "$MINIRUN" ] || t_fail "$MINIRUN is not built (make minirun)"
	[ -f "$RL_IMAGE_TAR" ] || t_fail "$RL_IMAGE_TAR is missing (make busybox-image)"
}

rl_user() {
	RL_USER=mrtest-$(od -An -N2 -tx2 /dev/urandom | tr -d ' ')
	id "$RL_USER" >/dev/null 2>&1 && t_fail "user $RL_USER exists already"
	# no automatic range (login.defs SUB_UID_COUNT): the test chooses its own below
	useradd -m -s /bin/sh -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$RL_USER" ||
		t_fail "useradd $RL_USER failed"
	RL_UID=$(id -u "$RL_USER")
	RL_HOME=$(getent passwd "$RL_USER" | cut -d: -f6)
	RL_RUN=$(mktemp -d /tmp/mr-rl-run.XXXXXX)
	chown "$RL_USER:" "$RL_RUN"
	chmod 700 "$RL_RUN"
	t_defer "_rl_remove $RL_USER $RL_RUN"
	RL_SUB=""
	if [ "${1:-}" != norange ]; then
		# a range far above the ones useradd hands out, one slot per uid
		RL_SUB=$((400000000 + (RL_UID % 2000) * 65536))
		usermod --add-subuids "$RL_SUB-$((RL_SUB + 65535))" \
			--add-subgids "$RL_SUB-$((RL_SUB + 65535))" "$RL_USER" ||
			t_fail "usermod --add-subuids failed"
	fi
	grep -q "^$RL_USER:" /etc/subuid && [ -z "$RL_SUB" ] && t_fail "$RL_USER has a range"
	cp "$RL_IMAGE_TAR" "$RL_HOME/busybox.tar" && chown "$RL_USER:" "$RL_HOME/busybox.tar"
	export RL_USER RL_UID RL_HOME RL_RUN RL_SUB
}

# _rl_remove USER RUNDIR - the deferred cleanup of rl_user, then the check that it worked
_rl_remove() {
	_u=$1 _d=$2 _i=0
	# the user's processes (the pause process, a container left running), by PID
	while _p=$(ps -u "$_u" -o pid= -o stat= | awk '$2 !~ /^Z/ { print $1 }') &&
		[ -n "$_p" ] && [ $_i -lt 50 ]; do
		# shellcheck disable=SC2086 # a list of pids
		kill -9 $_p 2>/dev/null
		sleep 0.1
		_i=$((_i + 1))
	done
	userdel -r "$_u" >/dev/null 2>&1
	# userdel removes the subordinate ranges too; make sure, by name
	if grep -q "^$_u:" /etc/subuid /etc/subgid 2>/dev/null; then
		for _f in /etc/subuid /etc/subgid; do
			grep -v "^$_u:" "$_f" >"$_f.mrtest" && cat "$_f.mrtest" >"$_f"
			rm -f "$_f.mrtest"
		done
	fi
	rm -rf "$_d"
	_left=""
	[ -n "$(ps -u "$_u" -o pid= -o stat= 2>/dev/null | awk '$2 !~ /^Z/')" ] &&
		_left="$_left processes"
	id "$_u" >/dev/null 2>&1 && _left="$_left user"
	[ -e "/home/$_u" ] && _left="$_left home"
	grep -q "^$_u:" /etc/subuid /etc/subgid && _left="$_left subid-lines"
	[ -e "$_d" ] && _left="$_left runtime-dir"
	[ -z "$_left" ] || {
		echo "left behind by $_u:$_left"
		return 1
	}
}

rl() {
	su -s /bin/sh "$RL_USER" -c "cd / && export XDG_RUNTIME_DIR='$RL_RUN' \
M='$MINIRUN' TAR='$RL_HOME/busybox.tar' && $1"
}

rl_procs() { ps -u "$RL_USER" -o pid= -o stat= -o comm= | awk '$2 !~ /^Z/ { print $1, $3 }'; }

rl_pause() { cut -d' ' -f1 "$RL_RUN/minirun/.pause.pid" 2>/dev/null; }

rl_devs() {
	_binds="" _need=""
	for _dev; do
		case $_dev in
		tun) _path=/dev/net/tun _num="10 200" ;;
		fuse) _path=/dev/fuse _num="10 229" ;;
		*) t_fail "rl_devs: unknown device $_dev" ;;
		esac
		[ -c "$_path" ] || t_skip "needs $_path, which this machine has not"
		[ "$(stat -c %a "$_path")" = 666 ] && continue
		_need="$_need $_path"
		_binds="$_binds && mknod -m 666 \$_d/$_dev c $_num && mount --bind \$_d/$_dev $_path"
	done
	if [ -z "$_need" ]; then
		# shellcheck disable=SC2016 # $M is the user's shell's
		rl '$M images' >/dev/null || t_fail "images failed"
		return
	fi
	t_need unshare nsenter
	_d=$(mktemp -d /tmp/mr-rl-dev.XXXXXX)
	t_defer "rmdir $_d"
	_d=$_d unshare -m sh -c "mount --make-rprivate / &&
		mount -t tmpfs -o mode=755 tmpfs \$_d $_binds &&
		su -s /bin/sh $RL_USER -c 'cd / && XDG_RUNTIME_DIR=$RL_RUN $MINIRUN images'" \
		>/dev/null || t_skip "cannot give the user a$_need it may open"
	for _p in $_need; do
		t_eq "$(nsenter -t "$(rl_pause)" -m stat -c %a "$_p")" 666 \
			"mode of $_p in the user's mount namespace"
	done
}

# rl_settle [COMMS] - wait (at most 5 s) until the user's only process is its pause process
# (a monitor and pasta end just after `rm -f` returns); with COMMS, until the user's
# processes' names are COMMS (one a line; "": until none is left)
rl_settle() {
	_i=0
	while [ "$(rl_procs | awk '{ print $2 }')" != "${1-minirun-pause}" ] && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

# tests/integration/rootless/rootless.t - minirun as an ordinary user: the store in the
# user's home, one user namespace per user (kept by a pause process, mapped from
# /etc/subuid), import, run, run -d + exec + logs + stop + rm, owners as the host sees
# them, limits refused without a delegated cgroup, the message when there is no range,
# and nothing left behind. Each test makes a user of its own (lib.sh's rl_user) and
# removes it.
#   MR_TOP=$PWD sh tests/integration/rootless/rootless.t
# shellcheck disable=SC2016 # the scripts in single quotes run as the user: $M, $TAR, $HOME there
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/rootless/lib.sh"
. "$MR_TOP/tests/integration/image/lib.sh" # registry_start, push_busybox

import_goes_to_the_users_home() {
	rl_need
	rl_user
	out=$(rl '$M import $TAR busybox >/dev/null && $M images') || t_fail "import: $out"
	t_match "$out" '^busybox +latest' "images"
	store=$RL_HOME/.local/share/minirun
	[ -d "$store/images/blobs/sha256" ] || t_fail "no store in $store"
	t_eq "$(stat -c %U "$store/images")" "$RL_USER" "owner of $store/images"
	# the layer's files belong to the image's root, which is the user outside
	t_eq "$(stat -c %u "$(find "$store/layers/sha256" -mindepth 2 -maxdepth 2 -name bin)")" \
		"$RL_UID" "owner of the layer's /bin"
}
t "import as an ordinary user lands in ~/.local/share/minirun, owned by the user" \
	import_goes_to_the_users_home

pull_rootless() {
	rl_need
	registry_start
	push_busybox rl/bb:1
	rl_user
	out=$(rl '$M pull '"$REG"'/rl/bb:1 && $M run --rm --network none '"$REG"'/rl/bb:1 \
		sh -c "echo pulled; stat -c %u /bin/busybox"' 2>&1) || t_fail "pull/run: $out"
	t_match "$out" '^pulled$' "run of the pulled image"
	t_match "$out" '^0$' "owner of /bin/busybox inside"
	t_eq "$(stat -c %u "$(find "$RL_HOME/.local/share/minirun/layers/sha256" -mindepth 3 \
		-maxdepth 3 -path '*/bin/busybox')")" "$RL_UID" "its owner outside"
}
t "pull from a local registry as an ordinary user, then run the image" pull_rootless

root_overrides() {
	rl_need
	rl_user
	out=$(rl '$M --root $HOME/elsewhere import $TAR busybox >/dev/null &&
		MINIRUN_ROOT=$HOME/elsewhere $M images') || t_fail "import: $out"
	t_match "$out" '^busybox' "images of MINIRUN_ROOT"
	[ -d "$RL_HOME/elsewhere/images" ] || t_fail "--root was not used"
	[ ! -e "$RL_HOME/.local/share/minirun" ] || t_fail "the default store was made anyway"
}
t "--root (and MINIRUN_ROOT) still choose the store of an ordinary user" root_overrides

runtime_dir_fallback() {
	rl_need
	rl_user
	[ ! -e "/run/user/$RL_UID" ] || t_skip "/run/user/$RL_UID exists here"
	dir=/tmp/minirun-run-$RL_UID
	t_defer "rm -rf $dir"
	# taken first by someone else (root here): refused, not trusted
	mkdir -m 0777 "$dir"
	out=$(su -s /bin/sh "$RL_USER" -c "cd / && env -u XDG_RUNTIME_DIR $MINIRUN images" 2>&1)
	t_eq "$?" 125 "exit code with $dir not the user's"
	t_match "$out" "^minirun: '$dir' is not a directory of yours that only you may write: \
set XDG_RUNTIME_DIR to one\$" "the refusal"
	[ ! -e "$dir/minirun" ] || t_fail "something was made in $dir"
	rmdir "$dir"
	# free: made 0700, the user's, and the pause process's files go there
	out=$(su -s /bin/sh "$RL_USER" -c "cd / && env -u XDG_RUNTIME_DIR $MINIRUN images" 2>&1) ||
		t_fail "images without XDG_RUNTIME_DIR: $out"
	t_eq "$(stat -c '%U %a' "$dir")" "$RL_USER 700" "owner and mode of $dir"
	[ -f "$dir/minirun/.pause.pid" ] || t_fail "no .pause.pid in $dir/minirun"
}
t "without XDG_RUNTIME_DIR: /tmp/minirun-run-UID, made 0700, refused if someone else's" \
	runtime_dir_fallback

run_echo() {
	rl_need
	rl_user
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	out=$(rl '$M run --rm --network none busybox echo hi') || t_fail "run: $out"
	t_eq "$out" hi
	out=$(rl '$M run --rm --network none busybox id -u') || t_fail "run id: $out"
	t_eq "$out" 0 "uid inside"
	t_eq "$(rl '$M ps -aq')" "" "containers left after --rm"
}
t "run --rm --network none busybox echo hi prints hi as an ordinary user" run_echo

# build as an ordinary user: FROM an image of the user's store, RUN in a rootless
# container, COPY with --chown, the image run afterwards; the layer's files belong to the
# user (and the subuid range) outside
build_rootless() {
	rl_need
	rl_user
	ctx=$RL_HOME/ctx
	mkdir -p "$ctx" && echo copied >"$ctx/msg.txt"
	printf 'FROM busybox\nRUN echo made by RUN >/made.txt && echo app:x:1000:1000::/home/app:/bin/sh >>/etc/passwd\nCOPY --chown=1000:1000 msg.txt /home/app/\nUSER app\nCMD ["sh", "-c", "cat /made.txt /home/app/msg.txt; id -u"]\n' \
		>"$ctx/Dockerfile"
	chown -R "$RL_USER" "$ctx"
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	out=$(rl '$M build -q -t built:1 $HOME/ctx 2>&1') || t_fail "build: $out"
	out=$(rl '$M run --rm --network none built:1') || t_fail "run: $out"
	t_eq "$out" "made by RUN
copied
1000" "the built image's files and USER"
	t_eq "$(rl '$M image inspect -f "{{.Config.User}}" built:1')" app "Config.User"
	# the COPY's owner, uid 1000 inside, is the range's 1000th id outside
	f=$(find "$RL_HOME/.local/share/minirun/layers" -path '*/home/app/msg.txt' | head -n 1)
	[ -n "$f" ] || t_fail "no layer holds home/app/msg.txt"
	t_eq "$(stat -c %u "$f")" "$((RL_SUB + 999))" "owner of the COPY's file outside"
	t_eq "$(rl '$M ps -aq')" "" "containers left by the build"
}
t "build as an ordinary user: RUN, COPY --chown and USER, the image then run" build_rootless

kept_namespace() {
	rl_need
	rl_user
	rl '$M images' >/dev/null || t_fail "images failed"
	p1=$(rl_pause)
	[ -n "$p1" ] || t_fail "no .pause.pid in $RL_RUN/minirun"
	rl '$M images' >/dev/null || t_fail "images failed"
	t_eq "$(rl_pause)" "$p1" "pause process of the second command"
	t_eq "$(cat /proc/"$p1"/comm)" minirun-pause "its name"
	t_eq "$(awk '$1 == 0 { print $2, $3 }' /proc/"$p1"/uid_map)" "$RL_UID 1" "uid 0's map"
	t_eq "$(awk '$1 == 1 { print $2, $3 }' /proc/"$p1"/uid_map)" "$RL_SUB 65536" \
		"the subuid range's map"
	t_eq "$(awk '$1 == 1 { print $2, $3 }' /proc/"$p1"/gid_map)" "$RL_SUB 65536" \
		"the subgid range's map"
	# a pause process killed (a logout, kill -9) is made again by the next command
	kill -9 "$p1"
	# (kill returns once the signal is sent; the process dies when next scheduled, which
	# on a loaded machine may come after the next command has found it alive)
	i=0
	while [ -e /proc/"$p1"/ns/mnt ] && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	rl '$M images' >/dev/null || t_fail "images after the pause process died failed"
	p2=$(rl_pause)
	[ -n "$p2" ] && [ "$p2" != "$p1" ] || t_fail "no new pause process ($p1 -> $p2)"
}
t "commands join one user namespace, kept by a pause process, mapped from /etc/subuid" \
	kept_namespace

detached() {
	rl_need
	rl_user
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	id=$(rl '$M run -d --network none --name web busybox sh -c "echo started; sleep 100"') ||
		t_fail "run -d: $id"
	t_match "$(rl '$M ps')" 'Up .* web$' "ps"
	out=$(rl '$M exec web echo from-exec') || t_fail "exec: $out"
	t_eq "$out" from-exec "exec's output"
	i=0
	while ! rl '$M logs web' | grep -q started && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	t_eq "$(rl '$M logs web')" started "logs"
	# -t 0: sleep under sh as PID 1 ignores SIGTERM; -t 1 only waited out its second,
	# and the kill is what ps -a shows either way (137)
	rl '$M stop -t 0 web' >/dev/null || t_fail "stop failed"
	t_match "$(rl '$M ps -a')" 'Exited \(137\).* web$' "ps -a after stop"
	rl '$M rm web' >/dev/null || t_fail "rm failed"
	t_eq "$(rl '$M ps -aq')" "" "containers after rm"
	[ ! -e "$RL_HOME/.local/share/minirun/containers/$id" ] || t_fail "container dir left"
}
t "run -d, ps, exec, logs, stop and rm work as an ordinary user" detached

owners_outside() {
	rl_need
	rl_user
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	id=$(rl '$M run -d --network none busybox sleep 100') || t_fail "run -d: $id"
	rl '$M exec '"$id"' sh -c "touch /byroot /by1000 && chown 1000:1000 /by1000"' ||
		t_fail "exec failed"
	diff=$RL_HOME/.local/share/minirun/containers/$id/diff
	t_eq "$(stat -c '%u:%g' "$diff/byroot")" "$RL_UID:$(id -g "$RL_USER")" \
		"owner outside of a file root made inside"
	t_eq "$(stat -c '%u:%g' "$diff/by1000")" "$((RL_SUB + 999)):$((RL_SUB + 999))" \
		"owner outside of a file uid 1000 owns inside"
	rl '$M rm -f '"$id" >/dev/null || t_fail "rm -f failed"
}
t "a file made by root inside belongs to the user outside; uid 1000's to subuid+999" \
	owners_outside

limits_refused() {
	rl_need
	rl_user
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	for f in "-m 64m:memory:-m" "--cpus 1:cpu:--cpus" "--pids-limit 10:pids:--pids-limit"; do
		flag=${f%%:*} rest=${f#*:}
		ctl=${rest%%:*} name=${rest#*:}
		out=$(rl "\$M run --rm --network none $flag busybox echo ran" 2>&1)
		rc=$?
		t_eq "$rc" 125 "exit code of run $flag"
		t_nomatch "$out" '^ran$' "run $flag"
		t_match "$out" "^minirun: $name needs the cgroup v2 '$ctl' controller delegated" \
			"run $flag"
		t_match "$out" "delegate one \\(systemd: Delegate=yes for user@$RL_UID.service" \
			"the fix"
		t_eq "$(printf '%s\n' "$out" | grep -c "needs the cgroup")" 1 "lines naming it"
	done
	t_eq "$(rl '$M ps -aq')" "" "containers made by the refused runs"
	# without the flags, the same container runs (with no limit)
	t_eq "$(rl '$M run --rm --network none busybox echo ran')" ran "run without limits"
}
t "-m, --cpus and --pids-limit are refused rootless, naming the undelegated controller" \
	limits_refused

no_range() {
	rl_need
	rl_user norange
	out=$(rl '$M import $TAR busybox 2>&1 >/dev/null; $M run --rm --network none \
		busybox echo hi 2>&1') || t_fail "import/run: $out"
	t_eq "$(printf '%s\n' "$out" | grep -c "no range for")" 1 "lines about the range"
	t_match "$out" "^minirun: no range for '$RL_USER' in /etc/subuid: only your own uid is \
mapped" "the line"
	t_match "$out" "usermod --add-subuids [0-9]+-[0-9]+ --add-subgids [0-9]+-[0-9]+ \
$RL_USER" "the fix"
	t_match "$out" '^hi$' "run with one uid"
	t_eq "$(awk '{ print $1, $2, $3 }' /proc/"$(rl_pause)"/uid_map)" "0 $RL_UID 1" \
		"the only map"
	# an image with a file of uid 1000 can't be unpacked: the file and the uid are named
	mkdir -p etc && echo x >etc/owned && chmod -R a+rX . &&
		tar --owner=1000 --group=1000 -cf owned.tar etc && cp owned.tar "$RL_HOME/" ||
		t_fail "making owned.tar failed"
	out=$(rl '$M import $HOME/owned.tar owned' 2>&1) && t_fail "import worked: $out"
	t_match "$out" "entry 'etc/(owned)?': chown 1000:1000 \(that uid or gid is not mapped" \
		"import of a file owned by uid 1000"
	t_nomatch "$(rl '$M images')" '^owned' "images"
}
t "with no subuid range: one line says so and how to add one; run works, uid 1000 can't" \
	no_range

whiteouts() {
	rl_need
	rl_user
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	# a deleted file (an overlay whiteout) and a directory deleted and made again (an
	# opaque directory: user.overlay.opaque under userxattr), committed, saved, removed,
	# loaded again and run: both must still hide what the image's first layer has
	out=$(rl '$M run --name c1 --network none busybox sh -c 		"rm /bin/ls && rm -rf /sbin && mkdir /sbin && echo new >/sbin/new" &&
		$M commit c1 wh:1 >/dev/null && $M rm c1 >/dev/null &&
		$M save -o $HOME/wh.tar wh:1 && $M rmi wh:1 >/dev/null &&
		$M load -i $HOME/wh.tar' 2>&1) || t_fail "commit/save/load: $out"
	t_match "$out" "Loaded image: wh:1" "load"
	out=$(rl '$M run --rm --network none wh:1 sh -c "ls /sbin; ls /bin/ls 2>&1; ls /bin/cat"')
	t_eq "$out" "new
ls: /bin/ls: No such file or directory
/bin/cat" "the committed image's /sbin and /bin"
}
t "a whiteout and an opaque dir survive rootless commit, save, load and run" whiteouts

volumes_and_host() {
	rl_need
	rl_user
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	out=$(rl '$M run --rm --network none -v vol1:/data busybox sh -c "echo in-vol >/data/x" &&
		$M run --rm --network none -v vol1:/data busybox cat /data/x') ||
		t_fail "named volume: $out"
	t_eq "$out" in-vol "a named volume, read by a second container"
	out=$(rl 'mkdir $HOME/bind && echo from-host >$HOME/bind/f &&
		$M run --rm --network none -v $HOME/bind:/b busybox sh -c "cat /b/f; touch /b/new"') ||
		t_fail "bind mount: $out"
	t_eq "$out" from-host "a bind mount of the user's own directory"
	t_eq "$(stat -c %u "$RL_HOME/bind/new")" "$RL_UID" "owner of a file root made in it"
	rl '$M volume rm vol1' >/dev/null || t_fail "volume rm failed"
	t_eq "$(rl '$M run --rm --network host busybox ip -o link | wc -l')" \
		"$(ip -o link | wc -l)" "links seen with --network host"
}
t "rootless: a named volume, a bind mount of the user's dir, and --network host work" \
	volumes_and_host

fuse_overlay() {
	rl_need
	t_need fuse-overlayfs
	rl_user
	rl_devs fuse
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	id=$(rl 'MINIRUN_ROOTLESS_OVERLAY=fuse $M run -d --network none busybox sh -c \
		"rm /bin/ls; echo x >/new; sleep 100"') || t_fail "run -d: $id"
	merged=$RL_RUN/minirun/containers/$id/merged
	t_match "$(grep " $merged " /proc/"$(rl_pause)"/mountinfo)" ' - fuse.fuse-overlayfs ' \
		"the rootfs mount"
	out=$(rl '$M exec '"$id"' sh -c "cat /new; ls /bin/ls 2>&1"')
	t_eq "$out" "x
ls: /bin/ls: No such file or directory" "the container's view"
	t_match "$(rl '$M diff '"$id")" '^D /bin/ls$' "diff"
	rl '$M rm -f '"$id" >/dev/null || t_fail "rm -f failed"
	rl_settle
	t_eq "$(rl_procs | awk '{ print $2 }')" minirun-pause "the user's processes after rm -f"
}
t "MINIRUN_ROOTLESS_OVERLAY=fuse: the rootfs is fuse-overlayfs's, ended by rm -f" fuse_overlay

copy_rootfs() {
	rl_need
	rl_user
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	out=$(rl 'export MINIRUN_ROOTLESS_OVERLAY=copy
		$M run --name c1 --network none busybox sh -c \
			"[ -e /new ] && ls /bin/ls; rm -f /bin/ls; echo x >/new" &&
		i=0 && until o=$($M start -a c1 2>&1) || [ $i -gt 50 ]; do
			sleep 0.1; i=$((i + 1)); done && echo "$o" &&
		$M run --rm --network none busybox true' 2>&1) ||
		t_fail "runs: $out"
	t_eq "$(printf '%s\n' "$out" | grep -c 'each container.s root is a full copy')" 1 \
		"warnings about the copy"
	t_match "$out" '^ls: /bin/ls: No such file or directory$' "the second start's /bin/ls"
	id=$(rl '$M ps -aq --no-trunc')
	diff=$RL_HOME/.local/share/minirun/containers/$id/diff
	[ -f "$diff/bin/busybox" ] && [ -f "$diff/new" ] && [ ! -e "$diff/bin/ls" ] ||
		t_fail "diff/ is not the image plus the container's changes"
	t_eq "$(stat -c %u "$diff/bin/busybox")" "$RL_UID" "owner of the copied /bin/busybox"
	t_match "$(rl '$M ps -a')" 'Exited \(0\) .* c1$' "c1 after its second start"
	rl '$M rm c1' >/dev/null || t_fail "rm failed"
	t_eq "$(grep -c "$RL_HOME" /proc/"$(rl_pause)"/mountinfo)" 0 "mounts left"
}
t "MINIRUN_ROOTLESS_OVERLAY=copy: the layers copied once, said once, changes kept" copy_rootfs

# the default network, through pasta (or slirp4netns): -p reached on the host's loopback
default_network() {
	rl_need
	command -v pasta >/dev/null || t_skip "needs pasta (Debian: passt), not installed"
	command -v busybox >/dev/null || t_skip "needs busybox (busybox-static) for wget"
	rl_user
	rl_devs tun
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	out=$(rl '$M run --rm busybox ip -o -4 addr show') || t_fail "run: $out"
	t_match "$(printf '%s\n' "$out" | grep -v ': lo ')" '^[0-9]+: [a-z0-9]+ +inet [0-9.]+/' \
		"a non-loopback address inside"
	port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000))
	id=$(rl '$M run -d -p 127.0.0.1:'"$port"':80 busybox sh -c \
		"mkdir /www && echo hello-rootless >/www/index.html && httpd -f -p 80 -h /www"') ||
		t_fail "run -d -p: $id"
	t_match "$(rl '$M port '"$id")" "^80/tcp -> 127.0.0.1:$port\$" "port"
	i=0 got=""
	while [ $i -lt 50 ]; do
		got=$(timeout 2 busybox wget -q -O- "http://127.0.0.1:$port/" 2>/dev/null) && break
		sleep 0.1
		i=$((i + 1))
	done
	t_eq "$got" hello-rootless "GET http://127.0.0.1:$port/ from the host"
	t_match "$(rl_procs)" ' pas(ta|st)' "the user's pasta while the container runs"
	rl '$M rm -f '"$id" >/dev/null || t_fail "rm -f failed"
	rl_settle
	t_eq "$(rl_procs | awk '{ print $2 }')" minirun-pause "the user's processes after rm -f"
}
t "rootless run gets pasta's network by default; -p 127.0.0.1:PORT:80 reaches it" \
	default_network

slirp() {
	rl_need
	command -v slirp4netns >/dev/null || t_skip "needs slirp4netns, not installed"
	rl_user
	rl_devs tun
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	# a PATH with slirp4netns and without pasta (the namespace exists: no newuidmap needed)
	bin=$(mktemp -d /tmp/mr-rl-bin.XXXXXX)
	t_defer "rm -rf $bin"
	chmod 755 "$bin" && ln -s "$(command -v slirp4netns)" "$bin/"
	out=$(rl 'PATH='"$bin"' $M run --rm busybox ip -o -4 addr show tap0') || t_fail "run: $out"
	t_match "$out" '^[0-9]+: tap0 +inet 10\.0\.2\.100/24' "slirp4netns's tap0"
	out=$(rl 'PATH='"$bin"' $M run --rm -p 28080:80 busybox echo ran' 2>&1)
	t_eq "$?" 125 "exit code of -p without pasta"
	t_match "$out" '^minirun: -p: publishing ports rootless needs pasta' "-p without pasta"
	rl_settle
	t_eq "$(rl_procs | awk '{ print $2 }')" minirun-pause "the user's processes after --rm"
}
t "without pasta the default network is slirp4netns's; -p then refused naming pasta" slirp

no_tun() {
	rl_need
	[ "$(stat -c %a /dev/net/tun 2>/dev/null)" = 600 ] ||
		t_skip "/dev/net/tun is open to users here (mode $(stat -c %a /dev/net/tun))"
	rl_user
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	out=$(rl '$M run --rm busybox echo ran' 2>&1)
	t_eq "$?" 125 "exit code"
	t_match "$out" "^minirun: the default network of a rootless container needs \
/dev/net/tun, which you may not open" "the refusal"
	t_match "$out" 'use --network none or host, or as root: chmod 0666 /dev/net/tun' "the fix"
	t_eq "$(rl '$M ps -aq')" "" "containers made by the refused run"
}
t "rootless default network where /dev/net/tun is closed to users: one line, nothing made" \
	no_tun

low_port() {
	rl_need
	command -v pasta >/dev/null || t_skip "needs pasta (Debian: passt), not installed"
	start=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)
	[ "$start" -gt 80 ] || t_skip "net.ipv4.ip_unprivileged_port_start is $start here"
	rl_user
	rl_devs tun
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	out=$(rl '$M run --rm -p 80:80 busybox echo ran' 2>&1)
	t_eq "$?" 125 "exit code"
	t_nomatch "$out" '^ran$' "run"
	t_match "$out" "^minirun: -p 80:80: host port 80 is below \
net.ipv4.ip_unprivileged_port_start \($start\)" "the refusal"
	t_eq "$(rl '$M ps -aq')" "" "containers made by the refused run"
}
t "rootless -p with a host port below ip_unprivileged_port_start is refused, naming it" low_port

podman_oci() {
	rl_need
	t_need podman
	rl_user
	pod='podman --root $HOME/pod/storage --runroot $HOME/pod/run --tmpdir $HOME/pod/tmp'
	pod="$pod --cgroup-manager=cgroupfs --events-backend file"
	pod="$pod --runtime $MR_TOP/minirun/minirun-oci"
	rl "$pod import \$TAR bb" >/dev/null 2>&1 || t_fail "podman import failed"
	out=$(rl "$pod run --rm --network none --ulimit nofile=20000:20000 \
		--ulimit nproc=1000:1000 bb sh -c 'echo hi-oci; id -u'" 2>&1) ||
		t_fail "podman run: $out"
	t_eq "$out" "hi-oci
0" "podman's container through minirun-oci"
	t_eq "$(ls "$RL_RUN/minirun/.pause.pid" 2>/dev/null)" "" "minirun's own namespace made"
	[ -d "$RL_RUN/minirun-oci" ] || [ -d "$RL_RUN/minirun" ] ||
		t_fail "the runtime's state is not in XDG_RUNTIME_DIR"
	# (the user's own: other sessions make files in /tmp at the same time)
	t_eq "$(find /tmp -maxdepth 1 -user "$RL_USER" ! -path "$RL_RUN")" "" \
		"the user's entries in /tmp"
}
t "podman as an ordinary user runs a container with --runtime minirun-oci" podman_oci

nothing_left() {
	rl_need
	rl_user
	rl '$M import $TAR busybox' >/dev/null || t_fail "import failed"
	id=$(rl '$M run -d --network none busybox sleep 100') || t_fail "run -d: $id"
	pause=$(rl_pause)
	grep -q " $RL_RUN/minirun/containers/$id/merged " \
		/proc/"$pause"/mountinfo || t_fail "the overlay is not mounted in the namespace"
	rl '$M run --rm --network none busybox true' || t_fail "run --rm failed"
	rl '$M rm -f '"$id" >/dev/null || t_fail "rm -f failed"
	rl_settle
	t_eq "$(rl_procs | awk '{ print $2 }')" minirun-pause "the user's processes"
	t_eq "$(grep -c "$RL_HOME/.local/share/minirun" /proc/"$pause"/mountinfo)" 0 \
		"mounts of the store in the user's mount namespace"
	t_eq "$(grep -c "$RL_HOME" /proc/self/mountinfo)" 0 "mounts on the host"
}
t "after rm -f and run --rm nothing is left but the pause process: no process, no mount" \
	nothing_left

t_end

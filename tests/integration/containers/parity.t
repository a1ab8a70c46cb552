# tests/integration/containers/parity.t - behaviours where minirun once differed from docker
# (issue 22) and now matches it: exec -u resolves the user as run -u does (gid, groups,
# HOME), every process has its primary gid among its groups, ...
# The outputs asserted are the ones docker 20.10 (Debian's docker.io) prints for the same
# commands on the same busybox image.
# Run: sh tests/integration/containers/parity.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

exec_user_gets_gid_groups_and_home() {
	ct_need
	ct_host '
		t_eq "$(mr run --rm --network none busybox id)" \
			"uid=0(root) gid=0(root) groups=0(root)" "run id"
		t_eq "$(mr run --rm --network none -u 1000:1000 busybox id)" \
			"uid=1000 gid=1000 groups=1000" "run -u 1000:1000 id"
		t_eq "$(mr run --rm --network none --group-add 5 busybox id)" \
			"uid=0(root) gid=0(root) groups=0(root),5" "run --group-add 5 id"
		mr run -d --name sx --network none busybox sleep 300 >/dev/null || die "run -d"
		t_eq "$(mr exec sx id)" "uid=0(root) gid=0(root) groups=0(root)" "exec id"
		t_eq "$(mr exec -u 1000 sx id)" "uid=1000 gid=0(root) groups=0(root)" "exec -u 1000"
		t_eq "$(mr exec -u 65534 sx sh -c "id; echo \$HOME")" \
			"uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)
/nonexistent" "exec -u 65534 (a uid with a passwd entry)"
		t_eq "$(mr exec -u nobody sx sh -c "echo \$HOME")" /nonexistent "exec -u nobody HOME"
		t_eq "$(mr exec -u nobody:root sx id)" "uid=65534(nobody) gid=0(root) groups=0(root)" \
			"exec -u nobody:root"
		t_eq "$(mr exec -u nobody -e HOME=/h sx sh -c "echo \$HOME")" /h "exec -e HOME wins"
		mr exec sx sh -c "echo x:x:7:root,nobody >>/etc/group" || die "edit /etc/group"
		t_eq "$(mr exec -u nobody sx id)" \
			"uid=65534(nobody) gid=65534(nogroup) groups=7(x),65534(nogroup)" \
			"exec -u nobody, listed in group x"
		t_eq "$(mr exec -u nobody:root sx id)" "uid=65534(nobody) gid=0(root) groups=0(root)" \
			"an explicit group brings no listed groups"
		t_eq "$(mr exec -u ghost sx id 2>&1)" \
			"minirun: unable to find user ghost: no matching entries in passwd file" \
			"exec -u of an unknown user"
		mr rm -f sx >/dev/null || die "rm -f"
		ct_noleaks
	'
}
t "exec -u resolves uid, gid, groups and HOME in the container's files, as run -u does" \
	exec_user_gets_gid_groups_and_home

flags_after_operands_are_taken() {
	ct_need
	ct_host '
		mr run -d --name sx --network none busybox sh -c "echo a; echo b; sleep 300" \
			>/dev/null || die "run -d"
		i=0
		until [ "$(mr logs sx 2>&1)" = "a
b" ] || [ $i -gt 50 ]; do sleep 0.1; i=$((i + 1)); done
		t_eq "$(mr logs sx --tail 1 2>&1)" b "logs NAME --tail 1"
		t_eq "$(mr logs sx -n 1 2>&1)" b "logs NAME -n 1"
		t_eq "$(mr inspect sx -f "{{.Name}}" 2>&1)" /sx "inspect NAME -f"
		t_match "$(mr port sx --help 2>&1)" "^Usage:  minirun port" "port NAME --help"
		t_match "$(mr diff sx --help 2>&1)" "^Usage:  minirun diff" "diff NAME --help"
		t_eq "$(mr port sx --bogus 2>&1)" "minirun: unknown flag: --bogus
See '"'"'minirun port --help'"'"'." "port NAME --bogus"
		# a command ends the flags: exec, run (docker: SetInterspersed(false))
		t_eq "$(mr exec sx echo -n x)" x "exec NAME echo -n: -n is echo'"'"'s"
		t_eq "$(mr run --rm --network none busybox echo -e "a\tb")" "$(printf "a\tb")" \
			"run IMAGE echo -e: -e is echo'"'"'s"
		mr stop sx -t 0 >/dev/null 2>&1 || die "stop NAME -t 0"
		t_eq "$(ct_status sx)" exited "status after stop NAME -t 0"
		mr rm sx -f >/dev/null 2>&1 || die "rm NAME -f"
		ct_noleaks
	'
}
t "flags after the operands are taken (logs, inspect, port, diff, stop, rm), not after a command" \
	flags_after_operands_are_taken

ps_command_quotes_arguments_with_spaces() {
	ct_need
	ct_host '
		mr create --name qq --network none busybox sh -c "exit 4" >/dev/null || die create
		t_eq "$(mr ps -a --no-trunc --format "{{.Command}}")" "\"sh -c '"'"'exit 4'"'"'\"" \
			"ps COMMAND"
		mr rm qq >/dev/null || die rm
		ct_noleaks
	'
}
t "ps COMMAND puts an argument with a space in single quotes, as docker" \
	ps_command_quotes_arguments_with_spaces

exit_codes_are_dockers() {
	ct_need
	ct_host '
		st() { "$@" >/dev/null 2>&1; echo $?; }
		mr create --name cx --network none busybox true >/dev/null || die create
		t_eq "$(st mr create --name cx --network none busybox true)" 1 "create, a name in use"
		t_eq "$(st mr run --name cx --network none busybox true)" 125 "run, a name in use"
		t_eq "$(st mr exec cx true)" 1 "exec on a container never started"
		t_eq "$(st mr exec nosuch true)" 1 "exec on an unknown container"
		t_eq "$(st mr ps --filter bogus=1)" 1 "ps --filter bogus=1"
		t_eq "$(st mr volume rm nosuchvol)" 1 "volume rm of an unknown volume"
		t_eq "$(st mr run)" 1 "run with no arguments"
		t_eq "$(st mr create)" 1 "create with no arguments"
		t_eq "$(st mr logs a b)" 1 "logs with two operands"
		t_eq "$(st mr inspect)" 1 "inspect with none"
		t_eq "$(st mr exec onlyone)" 1 "exec with one"
		t_eq "$(st mr run --bogus busybox)" 125 "run with an unknown flag"
		mr rm cx >/dev/null || die rm
		ct_noleaks
	'
}
t "exit codes as docker's CLI: 1 for what the daemon refuses or an operand count, 125 for a bad flag" \
	exit_codes_are_dockers

init_is_a_session_leader() {
	ct_need
	ct_host '
		out=$(mr run --rm --network none busybox cut -d" " -f5,6 /proc/self/stat) ||
			die "run: $out"
		t_eq "$out" "1 1" "pgid and sid of the init without -t"
		mr run -d --name sl --network none busybox sleep 300 >/dev/null || die "run -d"
		t_eq "$(mr exec sl cut -d" " -f5,6 /proc/1/stat)" "1 1" "pid 1 of a -d container"
		mr rm -f sl >/dev/null || die "rm -f"
		ct_noleaks
	'
}
t "the init without -t leads its own session and process group (/proc/1/stat: 1 1), as runc's" \
	init_is_a_session_leader

host_network_hosts_and_read_only_files() {
	ct_need
	ct_host '
		# the namespace that plays the host gets an /etc/hosts of its own (a bind in
		# its private mount namespace): the machine'"'"'s file is never written
		printf "127.0.0.1 localhost\n10.9.8.7 parity-marker\n" >"'"$T_DIR"'/hosts"
		mount --bind "'"$T_DIR"'/hosts" /etc/hosts || die "bind a test /etc/hosts"
		out=$(mr run --rm --network host busybox grep parity-marker /etc/hosts) ||
			die "--network host: no copy of the host'"'"'s /etc/hosts: $out"
		t_eq "$out" "10.9.8.7 parity-marker" "--network host: /etc/hosts"
		for f in hosts hostname resolv.conf; do
			out=$(mr run --rm --read-only --network none busybox \
				sh -c "echo x >>/etc/$f" 2>&1) && die "--read-only: /etc/$f is writable"
			t_match "$out" "Read-only file system" "--read-only: /etc/$f"
		done
		mr run --rm --network none busybox sh -c "echo x >>/etc/hosts" ||
			die "without --read-only, /etc/hosts is writable"
		ct_noleaks
	'
}
t "--network host gets a copy of the host's /etc/hosts; --read-only makes hosts, hostname, resolv.conf read-only" \
	host_network_hosts_and_read_only_files

t_end

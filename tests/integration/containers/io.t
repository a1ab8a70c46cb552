# tests/integration/containers/io.t - a container's stdio: `run` attached (stdout and stderr
# apart, the exit code, stdin with -i, a pty with -t, its window size, signals forwarded),
# the detach keys and `attach`, the json-file log and `logs` (--tail, -t, -f, --since), and
# `exec` (the container's namespaces, exit codes, -e -w -u -i -t), and that the container
# never holds the caller's own files as its stdio (pipes, or /dev/null for exec -d).
# Each test runs in a throwaway namespace playing the host (lib.sh's ct_host), with a
# store of its own; the containers use --network none, the bridge is the network suites'.
# A terminal for -t comes from script(1), which gives its command a pty.
#   MR_TOP=$PWD sh tests/integration/containers/io.t
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

# io_host SCRIPT - ct_host with `run` = `mr run --rm --network none`, M the minirun command
# line, and in_pty
io_host() {
	ct_host "run() { mr run --rm --network none \"\$@\"; }
M=\"\$MINIRUN --root \$R\"
$(sed -n '/^# ---- helpers inside io_host/,/^# ---- end/p' "$MR_TOP/tests/integration/containers/io.t")
$1"
}

# ---- helpers inside io_host (io_host copies them into its script) ----------------------

# in_pty FILE - run the sh script FILE in a pty of script(1)'s, the way a terminal user
# would; its exit status is ours. script's stdin stays open until FILE ends (at EOF script
# would type an end-of-file into the pty, and slow machines may not have started yet).
in_pty() {
	rm -f "$R/.pty-done"
	(_i=0; while [ ! -e "$R/.pty-done" ] && [ $_i -lt 600 ]; do sleep 0.1; _i=$((_i + 1)); done) |
		script -qec "sh $1; _s=\$?; touch $R/.pty-done; exit \$_s" /dev/null
}

# wait_log TEXT - wait (at most 60 s) until a container's log holds TEXT. Control keys wait
# for output that shows the client attached: until the client's raw mode the terminal's
# line discipline would take them (^Q is flow control there). The shell's banner is that
# output, not its prompt: "/ # " ends no line, and the log holds a line until it ends (as
# docker's json-file does).
wait_log() {
	_i=0
	until grep -qF -- "$1" "$R"/containers/*/ctr.log "$R"/containers/.logs/* 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -lt 600 ] || return 1
		sleep 0.1
	done
}

# pids_of PREFIX - the PIDs whose command line starts with PREFIX (arguments joined by spaces)
pids_of() {
	for _p in /proc/[0-9]*; do
		case "$(tr "\0" " " <"$_p/cmdline" 2>/dev/null)" in
		"$1"*) echo "${_p#/proc/}" ;;
		esac
	done
}

# wait_gone PREFIX - wait (at most 30 s) until no process's command line starts with PREFIX:
# a client that detached or ended has exited, and its terminal's input may end
wait_gone() {
	_i=0
	while [ -n "$(pids_of "$1")" ]; do
		_i=$((_i + 1))
		[ $_i -lt 300 ] || return 1
		sleep 0.05
	done
}

# wait_raw PREFIX - wait (at most 30 s) until the stdin of a process whose command line
# starts with PREFIX is a terminal in raw mode: what is typed from then on reaches that
# process as typed, not the line discipline
wait_raw() {
	_i=0
	until for _p in $(pids_of "$1"); do
		stty -F "$(readlink "/proc/$_p/fd/0")" 2>/dev/null
	done | grep -q -- -icanon; do
		_i=$((_i + 1))
		[ $_i -lt 600 ] || return 1
		sleep 0.05
	done
}
# ---- end of the helpers ---------------------------------------------------------------

stdout_stderr_exit_code() {
	ct_need
	out=$(io_host '
		run busybox sh -c "echo out; echo err >&2; exit 3" >"$R/o" 2>"$R/e"
		echo "status $?"
		sed "s/^/stdout: /" "$R/o"
		sed "s/^/stderr: /" "$R/e"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^status 3$' "run exits with the container's code"
	t_match "$out" '^stdout: out$' "stdout arrives on stdout"
	t_match "$out" '^stderr: err$' "stderr arrives on stderr"
	t_nomatch "$out" '^stdout: err|^stderr: out' "the streams stay apart"
	t_nomatch "$out" '^leak:'
}

all_output_then_eof() {
	ct_need
	out=$(io_host '
		x=$(timeout 20 "$MINIRUN" --root "$R" run --rm --network none busybox echo captured) || echo "status $?"
		echo "captured: $x"
		n=$(run busybox seq 1 50000 | tail -n 1)
		echo "last: $n"
		run busybox sh -c "seq 1 50000 >&2" 2>&1 >/dev/null | wc -l | sed "s/^ */stderr lines: /"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^captured: captured$' '$(minirun run ...) gets the output and EOF, no hang'
	t_nomatch "$out" '^status' "the command substitution ends in time"
	t_match "$out" '^last: 50000$' "no output is lost before the exit code"
	t_match "$out" '^stderr lines: 50000$' "nor on stderr"
	t_nomatch "$out" '^leak:'
}

stdin_with_i() {
	ct_need
	out=$(io_host '
		printf "hi\nthere\n" | run -i busybox cat | sed "s/^/with -i: /"
		echo hi | run busybox cat | sed "s/^/without -i: /"
		echo "without -i done"
		printf "abc" | run -i busybox wc -c | sed "s/^ */count: /"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^with -i: hi$' "-i hands our stdin to the container"
	t_match "$out" '^with -i: there$'
	t_match "$out" '^count: 3$' "stdin's EOF reaches the container (cat/wc end)"
	t_nomatch "$out" '^without -i:' "without -i the container's stdin is empty"
	t_match "$out" '^without -i done$'
	t_nomatch "$out" '^leak:'
}

attach_stdin() {
	ct_need
	out=$(io_host '
		mr run -d -i --name kk --network none busybox cat >/dev/null || die "run -d -i"
		# the client waits for the container after its stdin ends: end it by KILL once
		# its line came back (5 s at most), not after a fixed 5 s
		attach_once() {
			echo "$1" | "$MINIRUN" --root "$R" attach kk >"$R/att" &
			a=$!
			i=0
			until grep -qx "$1" "$R/att" 2>/dev/null; do
				i=$((i + 1)); [ $i -lt 100 ] || break; sleep 0.05
			done
			kill -9 $a; wait $a 2>/dev/null
			cat "$R/att"
		}
		attach_once first | sed "s/^/one: /"
		mr inspect -f "{{.State.Status}}" kk | sed "s/^/state: /"
		attach_once second | sed "s/^/two: /"
		mr logs kk | sed "s/^/logs: /"
		mr rm -f kk >/dev/null
		ct_leaks') || t_fail "$out"
	t_match "$out" '^one: first$' "attach hands its stdin to a run -d -i container"
	t_match "$out" '^state: running$' "its EOF is not the container's (no StdinOnce for -d)"
	t_match "$out" '^two: second$' "a second attach still reaches it"
	t_match "$out" '^logs: second$'
	t_nomatch "$out" '^leak:'
}

tty_and_window_size() {
	ct_need
	t_need script
	out=$(io_host '
		cat >"$R/tty.sh" <<EOF
stty rows 33 cols 77
$M run -it --rm --network none busybox sh -c "tty; stty size; exit 5"
EOF
		in_pty "$R/tty.sh" | tr -d "\r" | sed "s/^/tty: /"
		# a resize of our terminal reaches the container (SIGWINCH -> TIOCSWINSZ): once the
		# container has shown its first size (and so has its trap), resize ours (one
		# dimension: busybox stty sets each with an ioctl of its own, a SIGWINCH each)
		cat >"$R/resize.sh" <<EOF
stty rows 20 cols 50
$M run -it --rm --network none busybox sh -c \
	"trap \"stty size; exit 0\" WINCH; stty size; sleep 60 & wait" </dev/tty &
i=0
until grep -q "20 50" "$R"/containers/.logs/* 2>/dev/null; do
	i=\$((i + 1)); [ \$i -lt 600 ] || break; sleep 0.1
done
stty rows 40
wait
EOF
		in_pty "$R/resize.sh" | tr -d "\r" | sed "s/^/resize: /"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^tty: /dev/pts/[0-9]+$' "-t gives the container a pty"
	t_match "$out" '^tty: 33 77$' "with the client's window size"
	t_match "$out" '^resize: 20 50$'
	t_match "$out" '^resize: 40 50$' "a resize of the client's terminal reaches the container"
	t_nomatch "$out" '^leak:'
}

tty_exit_code() {
	ct_need
	t_need script
	out=$(io_host '
		echo "$M run -t --rm --network none busybox sh -c \"exit 5\"" >"$R/t.sh"
		in_pty "$R/t.sh"
		echo "status $?"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^status 5$' "run -t exits with the container's code"
	t_nomatch "$out" '^leak:'
}

start_attach() {
	ct_need
	out=$(io_host '
		mr create --name sa --network none busybox sh -c "echo started; echo e >&2; exit 4" \
			>/dev/null || die "create"
		mr start -a sa >"$R/o" 2>"$R/e"
		echo "status $?"
		sed "s/^/stdout: /" "$R/o"
		sed "s/^/stderr: /" "$R/e"
		mr start -a sa >/dev/null 2>&1
		mr logs sa 2>/dev/null | sed "s/^/logs: /"
		mr create -i --name si --network none busybox cat >/dev/null || die "create -i"
		echo hi-in | mr start -a -i si | sed "s/^/start -ai: /"
		mr rm sa si >/dev/null
		ct_leaks') || t_fail "$out"
	t_match "$out" '^status 4$' "start -a exits with the container's code"
	t_match "$out" '^stdout: started$' "and shows its stdout"
	t_match "$out" '^stderr: e$' "and its stderr, apart"
	[ "$(printf '%s\n' "$out" | grep -c '^logs: started$')" = 2 ] ||
		t_fail "the log keeps both runs: $out"
	t_match "$out" '^start -ai: hi-in$' "start -a -i hands our stdin over"
	t_nomatch "$out" '^leak:'
}

signals_forwarded() {
	ct_need
	out=$(io_host '
		# minirun itself in the background (a function would put a subshell in between)
		"$MINIRUN" --root "$R" run --rm --network none busybox sh -c \
			"trap \"echo got TERM; exit 3\" TERM; echo ready; sleep 100 & wait" >"$R/o" &
		client=$!
		i=0
		until grep -q ready "$R/o" 2>/dev/null; do
			i=$((i + 1)); [ $i -lt 100 ] || die "no ready"; sleep 0.1
		done
		kill -TERM $client
		wait $client
		echo "status $?"
		sed "s/^/out: /" "$R/o"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^out: got TERM$' "SIGTERM to the client reaches the container (no tty)"
	t_match "$out" '^status 3$' "and the client exits with the container's code"
	t_nomatch "$out" '^leak:'
}

detach_and_attach() {
	ct_need
	t_need script
	out=$(io_host '
		# script'"'"'s input stays open until the client is gone: at its EOF script would
		# type an end-of-file into the pty
		(wait_log "built-in commands"; printf "echo one-\$((40+2))\r"; wait_log one-42
		 printf "\020\021"; wait_gone "$M run -it --name tt ") |
			script -qec "$M run -it --name tt --network none busybox sh" /dev/null |
			tr -d "\r" | sed "s/^/run: /"
		mr inspect -f "{{.State.Status}}" tt 2>/dev/null | sed "s/^/state: /"
		(wait_raw "$M attach tt"; printf "echo two-\$((40+3))\r"; wait_log two-43
		 printf "exit 9\r"; wait_gone "$M attach tt") |
			script -qec "$M attach tt" /dev/null | tr -d "\r" | sed "s/^/attach: /"
		echo "$M attach tt" >"$R/a.sh"
		in_pty "$R/a.sh" >/dev/null 2>&1
		echo "attach status $?"
		mr rm -f tt >/dev/null
		ct_leaks') || t_fail "$out"
	t_match "$out" '^run: one-42$' "the container runs our keystrokes"
	t_match "$out" '^run: read escape sequence$' "ctrl-p ctrl-q detaches, as docker says"
	t_match "$out" '^state: running$' "and the container runs on"
	t_match "$out" '^attach: two-43$' "attach picks the container up again"
	t_nomatch "$out" '^attach: one-42' "attach shows output from now on"
	t_match "$out" '^attach status 125$' "a stopped container can't be attached"
	t_nomatch "$out" '^leak:'
}

custom_detach_keys() {
	ct_need
	t_need script
	out=$(io_host '
		(wait_log "built-in commands"; printf "\001x"; wait_gone "$M run -it --detach-keys ") |
			script -qec "$M run -it --detach-keys ctrl-a,x --name dk --network none \
				busybox sh; echo status \$?" /dev/null | tr -d "\r" | sed "s/^/run: /"
		echo | mr attach --detach-keys ctrl-y,bogus dk 2>&1 | sed "s/^/bad: /"
		mr rm -f dk >/dev/null
		ct_leaks') || t_fail "$out"
	t_match "$out" '^run: read escape sequence$' "--detach-keys ctrl-a,x detaches"
	t_match "$out" '^run: status 0$' "and the client exits 0"
	t_match "$out" "^bad: .*'bogus'" "a bad key is named"
	t_nomatch "$out" '^leak:'
}

logs_json_file() {
	ct_need
	out=$(io_host '
		mr run --network none --name lg busybox sh -c "echo one; echo two >&2; sleep 0.3; echo three; printf \"tab\\tq\\\"\\n\""
		sed "s/^/file: /" "$R/containers/$(ct_ids | head -n 1)/ctr.log"
		mr logs lg 2>/dev/null | sed "s/^/stdout: /"
		mr logs lg 2>&1 >/dev/null | sed "s/^/stderr: /"
		mr logs --tail 1 lg 2>&1 | sed "s/^/tail1: /"
		mr logs -n 0 lg 2>&1 | sed "s/^/tail0: /"
		mr logs -t --tail 2 lg 2>&1 | sed "s/^/ts: /"
		mr logs --since 1h lg 2>&1 | wc -l | sed "s/^ */since1h: /"
		mr logs --since 2099-01-01T00:00:00Z lg 2>&1 | wc -l | sed "s/^ */since2099: /"
		mr logs --tail x lg 2>&1 | sed "s/^/badtail: /"
		mr rm lg >/dev/null
		mr logs lg 2>&1 | sed "s/^/gone: /"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^file: \{"log":"one\\n","stream":"stdout","time":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z"\}$' \
		"ctr.log is docker's json-file, a line per object"
	t_match "$out" '^file: \{"log":"two\\n","stream":"stderr",' "stderr is marked"
	t_match "$out" '^file: \{"log":"tab\\tq\\"\\n"' "JSON escapes"
	t_match "$out" '^stdout: one$' "logs prints stdout lines on stdout"
	t_nomatch "$out" '^stdout: two' "and not stderr's"
	t_match "$out" '^stderr: two$' "stderr lines on stderr"
	t_match "$out" '^tail1: tab	q"$' "--tail 1 prints the last line"
	t_nomatch "$out" '^tail1: (one|two|three)' "only that"
	t_nomatch "$out" '^tail0:' "--tail 0 prints nothing"
	t_match "$out" '^ts: [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z tab	q"$' "-t puts the time first"
	t_match "$out" '^since1h: 4$' "--since 1h keeps everything"
	t_match "$out" '^since2099: 0$' "--since a future time keeps nothing"
	t_match "$out" '^badtail: .*invalid value "x" for --tail' "a bad --tail is named"
	t_match "$out" '^gone: minirun: No such container: lg' "logs of no container says so"
	t_nomatch "$out" '^leak:'
}

logs_follow() {
	ct_need
	out=$(io_host '
		# the container goes on (second, third, its exit) only once logs -f has printed
		# what was there: the rest comes while it follows
		mr run -d --name fl --network none busybox sh -c \
			"echo first; until [ -e /tmp/go ]; do sleep 0.1; done; echo second; echo third" \
			>/dev/null || die "run -d"
		timeout 20 sh -c "\"$MINIRUN\" --root \"$R\" logs -f fl" >"$R/f" &
		p=$!
		i=0
		until grep -q "^first$" "$R/f"; do
			i=$((i + 1)); [ $i -lt 200 ] || break; sleep 0.05
		done
		mr exec fl touch /tmp/go || die "exec touch"
		wait $p
		echo "logs -f exited $?"
		sed "s/^/follow: /" "$R/f"
		echo "follow ended"
		mr rm fl >/dev/null
		ct_leaks') || t_fail "$out"
	t_match "$out" '^follow: first$' "logs -f prints what is there"
	t_match "$out" '^follow: third$' "and what comes after"
	t_match "$out" '^follow ended$' "and ends when the container exits"
	t_match "$out" '^logs -f exited 0$' "by itself, not by the time limit"
	t_nomatch "$out" '^leak:'
}

exec_shares_the_container() {
	ct_need
	out=$(io_host '
		mr run -d --name ex --network none --hostname boxy -e A=1 busybox sleep 60 >/dev/null ||
			die "run -d"
		mr exec ex hostname | sed "s/^/hostname: /"
		mr exec ex sh -c "cat /proc/1/cmdline | tr \"\\0\" \" \"; echo" | sed "s/^/pid1: /"
		mr exec ex sh -c "echo \$A \$B" | sed "s/^/env: /"
		mr exec -e B=2 -e A=3 ex sh -c "echo \$A \$B" | sed "s/^/env-e: /"
		mr exec -w /tmp ex pwd | sed "s/^/pwd: /"
		mr exec -w /nosuchdir ex pwd 2>&1; echo "nowd $?"
		mr exec -u nobody ex id -un | sed "s/^/user: /"
		mr exec -u 1234:55 ex id | sed "s/^/uid: /"
		mr exec ex sh -c "exit 7"; echo "exit $?"
		mr exec ex nosuchcmd 2>/dev/null; echo "notfound $?"
		mr exec ex /etc/passwd 2>/dev/null; echo "noexec $?"
		echo piped | mr exec -i ex cat | sed "s/^/stdin: /"
		echo piped | mr exec ex cat | sed "s/^/nostdin: /"
		mr exec -d ex sh -c "sleep 1; touch /tmp/detached"; echo "detach $?"
		i=0
		until mr exec ex test -e /tmp/detached; do
			i=$((i + 1)); [ $i -lt 100 ] || break; sleep 0.1
		done
		mr exec ex ls /tmp/detached | sed "s/^/detached: /"
		mr exec -u nosuchuser ex true 2>&1 | sed "s/^/baduser: /"
		mr exec ex grep CapEff /proc/self/status | sed "s/^/caps: /"
		mr exec --privileged ex grep CapEff /proc/self/status | sed "s/^/privileged: /"
		mr stop -t 0 ex >/dev/null
		mr exec ex true 2>&1 | sed "s/^/stopped: /"
		mr rm ex >/dev/null
		ct_leaks') || t_fail "$out"
	t_match "$out" '^hostname: boxy$' "exec runs in the container's UTS namespace"
	t_match "$out" '^pid1: sleep 60 ?$' "and its PID namespace: pid 1 is the container's"
	t_match "$out" '^env: 1 ?$' "with the container's environment"
	t_match "$out" '^env-e: 3 2$' "-e adds and overrides"
	t_match "$out" '^minirun: OCI runtime exec failed: exec failed: unable to start container process: chdir to cwd \("/nosuchdir"\) set in config.json failed: no such file or directory: unknown$' "-w to a missing directory: docker's words"
	t_match "$out" '^nowd 126$' "and its status 126 (a start that failed)"
	t_match "$out" '^pwd: /tmp$' "-w sets the directory"
	t_match "$out" '^user: nobody$' "-u NAME is looked up in the container's passwd"
	t_match "$out" '^uid: uid=1234 gid=55' "-u UID:GID"
	t_match "$out" '^exit 7$' "exec exits with the command's status"
	t_match "$out" '^notfound 127$' "127 for a command not found"
	t_match "$out" '^noexec 126$' "126 for one that can't be executed"
	t_match "$out" '^stdin: piped$' "-i hands stdin over"
	t_nomatch "$out" '^nostdin:' "without -i stdin is empty"
	t_match "$out" '^detach 0$' "-d returns at once"
	t_match "$out" '^detached: /tmp/detached$' "and the command runs on"
	t_match "$out" '^baduser: .*unable to find user nosuchuser' "an unknown user is named"
	caps=$(printf '%s\n' "$out" | sed -n 's/^caps: CapEff:[[:space:]]*//p')
	priv=$(printf '%s\n' "$out" | sed -n 's/^privileged: CapEff:[[:space:]]*//p')
	[ -n "$caps" ] && [ -n "$priv" ] || t_fail "no CapEff lines: $out"
	t_ne "$priv" "$caps" "--privileged gives the command more capabilities"
	# docker's default set is a subset of --privileged's
	[ $((0x$caps & ~0x$priv)) = 0 ] || t_fail "default caps $caps not within privileged $priv"
	t_match "$out" '^stopped: minirun: Container [0-9a-f]{64} is not running$' "docker's message"
	t_nomatch "$out" '^leak:'
}

exec_tty() {
	ct_need
	t_need script
	out=$(io_host '
		mr run -d --name et --network none busybox sleep 60 >/dev/null || die "run -d"
		cat >"$R/et.sh" <<EOF
stty rows 21 cols 61
$M exec -it et sh -c "tty; stty size; echo \\\$TERM; exit 4"
echo status \$?
EOF
		in_pty "$R/et.sh" | tr -d "\r" | sed "s/^/tty: /"
		mr rm -f et >/dev/null
		ct_leaks') || t_fail "$out"
	t_match "$out" '^tty: /dev/pts/[0-9]+$' "exec -t gives the command a pty"
	t_match "$out" '^tty: 21 61$' "sized as our terminal"
	t_match "$out" '^tty: xterm$' "TERM is set, as docker does"
	t_match "$out" '^tty: status 4$' "exec -t exits with the command's status"
	t_nomatch "$out" '^leak:'
}

exec_detached_tty() {
	ct_need
	out=$(io_host '
		mr run -d --name dt --network none busybox sleep 60 >/dev/null || die "run -d"
		# more output than a pty holds: the command ends only if its terminal is read, and
		# only once told to (/tmp/go, below), so it still runs when exec -d has returned;
		# timeout 10: an exec -d that waited for it would wait for ever
		t0=$(cut -d" " -f1 /proc/uptime)
		timeout 10 $M exec -d -t dt sh -c "tty >/tmp/tty; seq 1 100000
			until [ -e /tmp/go ]; do sleep 0.05; done; touch /tmp/done"
		echo "status $?"
		t1=$(cut -d" " -f1 /proc/uptime)
		echo "$t0 $t1" | awk "{ print \"returned in \" (\$2 - \$1 < 1.5 ? \"time\" : \$2 - \$1 \" s\") }"
		mr exec dt test -e /tmp/done && echo "done before exec returned"
		readers() {
			for _p in /proc/[0-9]*; do
				tr "\0" " " <"$_p/cmdline" 2>/dev/null; echo
			done | grep -c "^$MINIRUN --root $R exec -d -t dt "
		}
		readers | sed "s/^/readers: /"
		mr exec dt touch /tmp/go || die "exec touch"
		i=0
		until mr exec dt test -e /tmp/done; do
			i=$((i + 1)); [ $i -lt 200 ] || break; sleep 0.1
		done
		mr exec dt cat /tmp/tty | sed "s/^/tty: /"
		mr exec dt ls /tmp/done | sed "s/^/done: /"
		i=0
		while [ "$(readers)" != 0 ] && [ $i -lt 50 ]; do i=$((i + 1)); sleep 0.1; done
		readers | sed "s/^/readers after: /"
		mr logs dt | wc -l | sed "s/^ */log lines: /"
		mr exec -d -t dt nosuchcmd 2>/dev/null; echo "notfound $?"
		ls "$R/run/containers/$(ct_ids | head -n 1)" | grep -c sock | sed "s/^/sockets: /"
		mr rm -f dt >/dev/null
		ct_leaks') || t_fail "$out"
	t_match "$out" '^status 0$' "exec -d -t is accepted"
	t_match "$out" '^returned in time$' "and returns at once"
	t_nomatch "$out" '^done before' "while the command runs on"
	t_match "$out" '^readers: 1$' "a reader of ours holds its terminal"
	t_match "$out" '^tty: /dev/pts/[0-9]+$' "the command has a pty"
	t_match "$out" '^done: /tmp/done$' "and, its output read, runs to its end"
	t_match "$out" '^readers after: 0$' "the reader ends with the terminal"
	t_match "$out" '^log lines: 0$' "the output is not kept, as docker's"
	t_match "$out" '^notfound 127$' "a command not found is still 127"
	t_match "$out" '^sockets: 1$' "no console socket is left (attach.sock only)"
	t_nomatch "$out" '^leak:'
}

no_socket_left() {
	ct_need
	out=$(io_host '
		mr run --network none --name ns busybox true
		id=$(ct_ids | head -n 1)
		ls "$R/containers/$id" "$R/run/containers/$id" 2>/dev/null | sed "s/^/file: /"
		mr rm ns >/dev/null
		ct_leaks') || t_fail "$out"
	t_match "$out" '^file: ctr.log$' "the log stays after the exit"
	t_nomatch "$out" '^file: attach.sock$' "the attach socket goes with the monitor"
	t_nomatch "$out" '^leak:'
}

# ---- the caller's files stay the caller's (issue 13, finding 5) ------------------------------
# A process handed the caller's own stdout could open /proc/self/fd/1 again: read the file
# it appends to from its first byte, or truncate it; with `< file` on -i, write the file
# through /proc/self/fd/0. It gets pipes instead (the monitor's for run, relay.c's for
# exec), so those opens reach only a pipe: reading one with no writer blocks (timeout ends
# it), and what is written goes nowhere of the caller's.

# own_files_script VERB TARGET - a script for io_host that runs `VERB [-i] TARGET sh -c SCRIPT`
# (VERB "run", TARGET an image; or "mr exec" and a container) with a host file
# appended to on stdout and on stderr and one on stdin, the container trying to read back,
# truncate and overwrite them through /proc/self/fd/0..2, then prints the files
own_files_script() {
	printf '%s\n' '
		echo EARLIER-OUT >"$R/out.txt"
		echo EARLIER-ERR >"$R/err.txt"
		echo SECRET-IN >"$R/in.txt"
		'"$1 $2"' sh -c "
			timeout 2 head -c 100 </proc/self/fd/1 >&2 &
			timeout 2 head -c 100 </proc/self/fd/2
			wait
			echo appended-out; echo appended-err >&2" >>"$R/out.txt" 2>>"$R/err.txt"
		echo "read status $?"
		'"$1 $2"' sh -c ": >/proc/self/fd/1; : >/proc/self/fd/2" >>"$R/out.txt" 2>>"$R/err.txt"
		echo "truncate status $?"
		'"$1 -i $2"' sh -c "
			cat >/dev/null
			timeout 2 cat /proc/self/fd/0 | sed s/^/reread:/
			echo pwned >/proc/self/fd/0" <"$R/in.txt"
		echo "stdin status $?"
		sed "s/^/out: /" "$R/out.txt"
		sed "s/^/err: /" "$R/err.txt"
		sed "s/^/in: /" "$R/in.txt"'
}

# own_files_check OUT - the assertions on own_files_script's output
own_files_check() {
	t_match "$1" '^read status 0$'
	t_match "$1" '^out: EARLIER-OUT$' "the stdout file keeps its earlier content (not truncated)"
	t_match "$1" '^out: appended-out$' "and gets the container's stdout"
	t_nomatch "$1" '^err: EARLIER-OUT' "the stdout file's content was not read back"
	t_nomatch "$1" '^out: EARLIER-ERR' "nor the stderr file's"
	t_match "$1" '^err: EARLIER-ERR$' "the stderr file keeps its earlier content"
	t_match "$1" '^err: appended-err$' "and gets the container's stderr"
	t_match "$1" '^in: SECRET-IN$' "the stdin file is unchanged"
	t_nomatch "$1" '^in: pwned' "nothing was written to it through /proc/self/fd/0"
	t_nomatch "$1" 'reread:' "nor was it read a second time"
	t_nomatch "$1" '^leak:'
}

exec_own_files() {
	ct_need
	out=$(io_host '
		mr run -d --name of --network none busybox sleep 60 >/dev/null || die "run -d"
		'"$(own_files_script 'mr exec' of)"'
		mr rm -f of >/dev/null
		ct_leaks') || t_fail "$out"
	own_files_check "$out"
}

run_own_files() {
	ct_need
	out=$(io_host "$(own_files_script run busybox)
		ct_leaks") || t_fail "$out"
	own_files_check "$out"
}

start_attach_own_files() {
	ct_need
	out=$(io_host '
		echo EARLIER-OUT >"$R/out.txt"
		mr create --name sa --network none busybox sh -c "
			timeout 2 head -c 100 </proc/self/fd/1 >&2
			: >/proc/self/fd/1
			echo appended-out" >/dev/null || die "create"
		mr start -a sa >>"$R/out.txt" 2>"$R/err.txt"
		echo "status $?"
		sed "s/^/out: /" "$R/out.txt"
		sed "s/^/err: /" "$R/err.txt"
		mr rm sa >/dev/null
		ct_leaks') || t_fail "$out"
	t_match "$out" '^status 0$'
	t_match "$out" '^out: EARLIER-OUT$' "the stdout file keeps its earlier content"
	t_match "$out" '^out: appended-out$' "and gets the container's stdout"
	t_nomatch "$out" '^err: EARLIER-OUT' "its content was not read back"
	t_nomatch "$out" '^leak:'
}

exec_detached_own_files() {
	ct_need
	out=$(io_host '
		mr run -d --name dn --network none busybox sleep 60 >/dev/null || die "run -d"
		t0=$(cut -d" " -f1 /proc/uptime)
		x=$(mr exec -d dn sleep 8)
		t1=$(cut -d" " -f1 /proc/uptime)
		echo "$t0 $t1" | awk "{ print \"returned in \" (\$2 - \$1 < 4 ? \"time\" : \$2 - \$1 \" s\") }"
		# the detached sleep fds, looked at from beside it
		cat >"$R/fds.sh" <<"EOF"
for p in $(pidof sleep); do
	case "$(tr "\0" " " <"/proc/$p/cmdline")" in
	"sleep 8 ") for fd in 0 1 2; do readlink "/proc/$p/fd/$fd"; done ;;
	esac
done
EOF
		mr exec -i dn sh <"$R/fds.sh" | sed "s/^/fd: /"
		mr rm -f dn >/dev/null
		ct_leaks') || t_fail "$out"
	t_match "$out" '^returned in time$' "\$(exec -d) returns at once: it holds no pipe of ours"
	t_match "$out" '^fd: /dev/null$' "its stdio are /dev/null, as docker discards its output"
	t_nomatch "$out" '^fd: [^/]|^fd: /[^d]' "and nothing else"
	t_nomatch "$out" '^leak:'
}

exec_pipes_relay() {
	ct_need
	out=$(io_host '
		mr run -d --name rl --network none busybox sleep 60 >/dev/null || die "run -d"
		mr exec rl sh -c "echo out; echo err >&2; exit 3" >"$R/o" 2>"$R/e"
		echo "status $?"
		sed "s/^/stdout: /" "$R/o"
		sed "s/^/stderr: /" "$R/e"
		mr exec rl seq 1 100000 | tail -n 1 | sed "s/^/last: /"
		mr exec rl sh -c "seq 1 100000 >&2" 2>&1 >/dev/null | wc -l | sed "s/^ */stderr lines: /"
		printf "abc" | mr exec -i rl wc -c | sed "s/^ */count: /"
		{ mr exec rl yes; echo "yes status $?" >"$R/ys"; } | head -n 1 >/dev/null
		cat "$R/ys"
		mr exec rl sh -c "kill -TERM \$\$"; echo "killed status $?"
		t0=$(cut -d" " -f1 /proc/uptime)
		x=$(mr exec rl sh -c "echo before; sleep 30 &")
		t1=$(cut -d" " -f1 /proc/uptime)
		echo "captured: $x"
		echo "$t0 $t1" | awk "{ print \"background: \" (\$2 - \$1 < 6 ? \"in time\" : \$2 - \$1 \" s\") }"
		# a signal that kills exec is not for the command (no --sig-proxy for exec, as
		# with docker): the command runs on, and nothing of exec stays behind
		"$MINIRUN" --root "$R" exec rl sleep 31 >/dev/null &
		p=$!
		i=0
		until mr exec rl ps -o args | grep -q "^sleep 31"; do
			i=$((i + 1)); [ $i -lt 50 ] || break; sleep 0.1
		done
		kill -TERM $p
		wait $p
		echo "exec killed: $?"
		execs() {
			for _p in /proc/[0-9]*; do
				tr "\0" " " <"$_p/cmdline" 2>/dev/null; echo
			done | grep -c "^$MINIRUN --root $R exec rl sleep 31"
		}
		i=0
		while [ "$(execs)" != 0 ] && [ $i -lt 50 ]; do i=$((i + 1)); sleep 0.1; done
		execs | sed "s/^/execs left: /"
		mr exec rl ps -o args | grep -c "^sleep 31" | sed "s/^/command runs on: /"
		mr rm -f rl >/dev/null
		ct_leaks') || t_fail "$out"
	t_match "$out" '^status 3$' "exec exits with the command's code"
	t_match "$out" '^stdout: out$' "stdout arrives on stdout"
	t_match "$out" '^stderr: err$' "stderr arrives on stderr"
	t_nomatch "$out" '^stdout: err|^stderr: out' "the streams stay apart"
	t_match "$out" '^last: 100000$' "no output is lost before the exit code"
	t_match "$out" '^stderr lines: 100000$' "nor on stderr"
	t_match "$out" '^count: 3$' "-i: our stdin and its EOF reach the command"
	t_match "$out" '^yes status 141$' "a reader that went away ends the command by SIGPIPE"
	t_match "$out" '^killed status 143$' "a command killed by a signal: 128+N"
	t_match "$out" '^captured: before$' "output of a command that left a process behind"
	t_match "$out" '^background: in time$' "and exec returns, though that process holds the pipes"
	t_match "$out" '^exec killed: 143$' "SIGTERM ends exec"
	t_match "$out" '^execs left: 0$' "and all of it"
	t_match "$out" '^command runs on: 1$' "not the command"
	t_nomatch "$out" '^leak:'
}

t "run: stdout and stderr apart, the container's exit code" stdout_stderr_exit_code
t "run: every byte of output, then EOF (\$(minirun run) does not hang)" all_output_then_eof
t "run -i: our stdin reaches the container, EOF too; without -i it is empty" stdin_with_i
t "attach: stdin to a run -d -i container, which outlives each client's EOF" attach_stdin
t "run -it: a pty sized as our terminal, resized with it" tty_and_window_size
t "run -t: the container's exit code" tty_exit_code
t "start -a: output, exit code, stdin with -i; the log keeps every run" start_attach
t "run: signals to the client are forwarded to the container" signals_forwarded
t "run -it: ctrl-p ctrl-q detaches, attach takes over, exit code through attach" detach_and_attach
t "--detach-keys: another sequence detaches; a bad one is named" custom_detach_keys
t "logs: the json-file log, --tail, -t, --since, streams apart" logs_json_file
t "logs -f: follows until the container exits" logs_follow
t "exec: the container's namespaces, env, -e -w -u -i -d, exit codes 126/127" exec_shares_the_container
t "exec -it: a pty, TERM, the exit code" exec_tty
t "exec -d -t: a pty nobody attaches to, drained; exec returns at once" exec_detached_tty
t "no attach socket after the container exits" no_socket_left
t "exec without -t: the container cannot read, truncate or write the caller's files" exec_own_files
t "run without -t: the container cannot read, truncate or write the caller's files" run_own_files
t "start -a without -t: the container cannot read or truncate the caller's file" start_attach_own_files
t "exec -d without -t: the command holds none of the caller's fds" exec_detached_own_files
t "exec without -t: pipes copied, streams apart, codes, SIGPIPE, drain, SIGTERM" exec_pipes_relay
t_end

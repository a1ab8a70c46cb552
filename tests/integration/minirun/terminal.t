#!/bin/sh
# tests/integration/minirun/terminal.t - process.terminal: the pty master goes to the
# --console-socket by SCM_RIGHTS (as podman's conmon and containerd's shim receive it), the
# process has the slave as its controlling terminal, and exec --tty does the same.
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/minirun/lib.sh"
RECV=$MR_TOP/minirun/oci/test_console_recv

# start_receiver SOCK [INPUT]: test_console_recv in the background, output in recv.out
start_receiver() {
	[ -x "$RECV" ] || t_skip "minirun/oci/test_console_recv is not built (make minirun)"
	"$RECV" "$@" >recv.out 2>&1 &
	RPID=$!
	t_defer "kill $RPID 2>/dev/null; true"
	i=0
	while [ ! -S "$1" ] && [ $i -lt 50 ]; do sleep 0.05; i=$((i + 1)); done
	[ -S "$1" ] || t_fail "the receiver did not listen on $1"
}

console_socket_gets_the_pty() {
	mr_need
	id=$(mr_id tty)
	t_defer "mr_cleanup $id"
	TERMINAL=true PROC_EXTRA=',"consoleSize": {"height": 33, "width": 101}' \
		mr_bundle b '["sh", "-c", "tty; stty size; ls -l /dev/console | cut -c1; [ -t 0 ] && echo stdin-is-a-tty"]'
	start_receiver "$T_DIR/console.sock"
	mr create --bundle b --console-socket "$T_DIR/console.sock" "$id" || t_fail "create"
	mr start "$id" || t_fail "start"
	wait "$RPID"
	out=$(tr -d '\r' <recv.out)
	t_match "$out" "^/dev/pts/0\$" "the process's terminal"
	t_match "$out" "^33 101\$" "consoleSize"
	t_match "$out" "^c\$" "/dev/console is the pty"
	t_match "$out" "^stdin-is-a-tty\$"
}

terminal_without_socket_is_refused() {
	mr_need
	id=$(mr_id nosock)
	TERMINAL=true mr_bundle b
	t_status 1 mr create --bundle b "$id"
	t_match "$T_OUT" "process.terminal is true: give --console-socket"
	mr_leaks "$id"
}

exec_tty_through_a_socket() {
	mr_need
	id=$(mr_id exectty)
	t_defer "mr_cleanup $id"
	mr_bundle b '["sleep", "100"]'
	mr run --detach --bundle b "$id" || t_fail "run --detach"
	start_receiver "$T_DIR/exec.sock" "echo typed-in; exit
"
	mr exec --tty --detach --console-socket "$T_DIR/exec.sock" "$id" sh || t_fail "exec --tty"
	wait "$RPID"
	t_match "$(tr -d '\r' <recv.out)" "^typed-in\$" "the shell read our input from the pty"
}

run_proxies_the_terminal() {
	mr_need
	t_need script
	id=$(mr_id runtty)
	t_defer "mr_cleanup $id"
	TERMINAL=true mr_bundle b '["sh", "-c", "tty; exit 4"]'
	out=$(script -qec "'$MR' --root '$MR_STATE' run --bundle b $id" /dev/null </dev/null | tr -d '\r\000')
	t_match "$out" "/dev/pts/0\$" "run without --console-socket copies the pty to its stdout"
}

t "--console-socket receives the pty master; the process has a terminal of consoleSize" console_socket_gets_the_pty
t "process.terminal without --console-socket is refused" terminal_without_socket_is_refused
t "exec --tty --console-socket gives the process a terminal" exec_tty_through_a_socket
t "run keeps the pty and copies it to its own stdio" run_proxies_the_terminal
t_end

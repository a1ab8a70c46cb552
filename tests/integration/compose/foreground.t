# tests/integration/compose/foreground.t - `compose up` without -d: the services' output
# behind "NAME | " as it comes, "NAME exited with code N", up returning once every container
# has exited; Ctrl-C stopping the containers (not removing them), a second Ctrl-C killing
# them; a SIGKILLed up leaving nothing that `down` does not remove.
#
# Ctrl-C is played as a terminal plays it: up runs in a session of its own (setsid, so its
# PID is its process group's) and SIGINT goes to that whole group (kill -INT -PID): the
# relays that print the output get it too and must leave the decision to up.
# Run: sh tests/integration/compose/foreground.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

# the helpers every script here starts with, in $R/../fg
FG='
mkdir -p $R/../fg && cd $R/../fg || die cd
mc() { mr compose -p fg "$@"; }
# bg ARGS: `compose ARGS` in a session of its own, in the background, output in ./out;
# its PID (= its process group) in $up
bg() { : >out; setsid "$MINIRUN" --root "$R" compose -p fg "$@" >out 2>&1 & up=$!; }
# until_out TEXT: wait (at most 10 s) until ./out has a line matching TEXT
until_out() { i=0; until grep -q -- "$1" out; do i=$((i+1)); [ $i -lt 100 ] || die "never: $1: $(cat out)"; sleep 0.1; done; }
# ended PID [S]: wait (at most S s, 20) until PID has ended
ended() { i=0; while kill -0 "$1" 2>/dev/null; do i=$((i+1)); [ $i -lt $((${2:-20}*10)) ] || return 1; sleep 0.1; done; }
'

attached_output() {
	ct_need
	out=$(ct_host "$FG"'
		cat >compose.yaml <<EOF2
services:
  a:
    image: busybox
    command: sh -c "echo one; sleep 0.3; echo two"
  bb:
    image: busybox
    command: sh -c "echo three; exit 4"
EOF2
		mc up --no-color >out 2>err; echo "status $?"
		sed "s/^/out: /" out
		echo "states: $(mr ps -a --format "{{.Names}} {{.State}}" | sort | tr "\n" " ")"
		echo "second: $(mc up --no-color 2>/dev/null | grep -c "| one")"
		mc down 2>/dev/null || die "down failed"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^status 0$' "up returns 0 once every container has exited"
	t_match "$out" '^out: Attaching to fg-a-1, fg-bb-1$' "names what it attaches to"
	t_match "$out" '^out: fg-a-1  \| one$' "each line behind its container's name, padded"
	t_match "$out" '^out: fg-a-1  \| two$'
	t_match "$out" '^out: fg-bb-1 \| three$'
	t_match "$out" '^out: fg-bb-1 exited with code 4$' "each exit said, with its code"
	t_match "$out" '^out: fg-a-1 exited with code 0$'
	t_match "$out" '^states: fg-a-1 exited fg-bb-1 exited $' "the containers stay"
	t_match "$out" '^second: 1$' "a second up shows its own run only (--since up began)"
}
t "up: the output behind the names, up returns when all have exited" attached_output

ctrl_c_stops() {
	ct_need
	out=$(ct_host "$FG"'
		cat >compose.yaml <<EOF2
services:
  web:
    image: busybox
    init: true
    command: sh -c "trap \"echo bye; exit 3\" TERM; echo ready; while :; do sleep 0.2; done"
  db:
    image: busybox
    init: true
    command: sh -c "trap \"exit 0\" TERM; echo ready; while :; do sleep 0.2; done"
  web2:
    image: busybox
    command: sleep 300
    depends_on: [web]
EOF2
		bg up --no-color -t 1
		until_out "fg-web-1 *| ready"; until_out "fg-db-1 *| ready"; until_out "fg-web2-1 *Started"
		kill -INT -$up
		ended $up || die "up did not end after Ctrl-C: $(cat out)"
		wait $up; echo "status $?"
		sed "s/^/out: /" out
		for c in web db web2; do echo "$c: $(mr inspect -f "{{.State.Status}} {{.State.ExitCode}}" fg-$c-1)"; done
		mc down -t 1 2>/dev/null || die "down failed"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^status 130$' "up exits 128+SIGINT, as docker compose"
	t_match "$out" '^out: Gracefully stopping\.\.\. \(press Ctrl\+C again to force\)$' \
		"docker compose's words"
	t_match "$out" '^out: fg-web-1  \| bye$' "the output goes on while they stop"
	t_match "$out" '^out: +Container fg-web-1 +Stopped$'
	t_match "$out" '^out: fg-web-1 exited with code 3$'
	t_match "$out" '^web: exited 3$' "stopped by its stop signal, not removed"
	t_match "$out" '^db: exited 0$'
	t_match "$out" '^web2: exited 137$' "sleep as PID 1 ignores SIGTERM: killed after -t 1"
	# web2 depends on web: it is stopped first
	web2=$(printf '%s\n' "$out" | grep -n 'Container fg-web2-1 *Stopped' | cut -d: -f1)
	web=$(printf '%s\n' "$out" | grep -n 'Container fg-web-1 *Stopping' | cut -d: -f1)
	[ -n "$web2" ] && [ -n "$web" ] && [ "$web2" -lt "$web" ] ||
		t_fail "web was stopped before its dependent web2: $out"
}
t "Ctrl-C stops the containers (dependents first) and leaves them; up exits 130" ctrl_c_stops

second_ctrl_c_kills() {
	ct_need
	out=$(ct_host "$FG"'
		cat >compose.yaml <<EOF2
services:
  stubborn:
    image: busybox
    init: true
    stop_grace_period: 10m
    command: sh -c "trap \"\" TERM; echo ready; while :; do sleep 0.2; done"
EOF2
		bg up --no-color
		until_out "| ready"
		kill -INT -$up
		until_out "Stopping"
		kill -INT -$up
		ended $up 60 || die "a second Ctrl-C did not end a 10-minute stop: $(cat out)"
		wait $up; echo "status $?"
		sed "s/^/out: /" out
		echo "stubborn: $(mr inspect -f "{{.State.Status}} {{.State.ExitCode}}" fg-stubborn-1)"
		mc down 2>/dev/null || die "down failed"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^status 130$'
	t_match "$out" '^stubborn: exited 137$' "killed, not waited out"
	t_match "$out" '^out: fg-stubborn-1 exited with code 137$'
}
t "a second Ctrl-C kills the containers" second_ctrl_c_kills

on_a_terminal() {
	ct_need
	command -v script >/dev/null || t_skip "needs script (util-linux) for a pseudo-terminal"
	out=$(ct_host "$FG"'
		cat >compose.yaml <<EOF2
services:
  web:
    image: busybox
    init: true
    command: sh -c "trap \"echo bye; exit 3\" TERM; echo ready; while :; do sleep 0.2; done"
EOF2
		: >out
		# script(1) runs up on a pseudo-terminal and copies its own input there: the ^C
		# (0x03) it is fed is the terminal line discipline SIGINTing the foreground group
		# (on a terminal the prefix is coloured: "fg-web-1 |ESC[0m ready"); timeout: a
		# ^C that up missed fails the test instead of hanging it
		{ i=0; until grep -q "ready" out || [ $i -gt 100 ]; do sleep 0.1; i=$((i+1)); done
		  printf "\003"
		  i=0; until grep -q "exited with code" out || [ $i -gt 200 ]; do sleep 0.1; i=$((i+1)); done; } |
			timeout 60 script -qfec "\"$MINIRUN\" --root \"$R\" compose -p fg up" out >/dev/null 2>&1
		echo "status $?"
		tr -d "\r" <out | sed "s/\x1b\[[0-9;]*m//g; s/^/out: /"
		echo "web: $(mr inspect -f "{{.State.Status}} {{.State.ExitCode}}" fg-web-1)"
		mc down 2>/dev/null || die "down failed"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^out: .*Gracefully stopping\.\.\. \(press Ctrl\+C again to force\)$' \
		"a ^C on the terminal is up's first Ctrl-C"
	t_match "$out" '^out: fg-web-1 \| bye$' "the relay outlived the ^C that reached its group"
	t_match "$out" '^out: fg-web-1 exited with code 3$'
	t_match "$out" '^web: exited 3$' "stopped, not removed"
	t_match "$out" '^status 130$' "script passes up's 130 on"
}
t "on a terminal: ^C stops the services, the output goes on (script's pty)" on_a_terminal

sigkill_then_down() {
	ct_need
	out=$(ct_host "$FG"'
		cat >compose.yaml <<EOF2
services:
  migrate:
    image: busybox
    command: sh -c "trap \"exit 0\" TERM; until [ -e /data/go ]; do sleep 0.05; done"
    volumes: [data:/data, /anon]
  app:
    image: busybox
    init: true
    command: sleep 300
    networks: [back, default]
    depends_on:
      migrate: {condition: service_completed_successfully}
  web:
    image: busybox
    init: true
    command: sleep 300
    depends_on: [app]
volumes:
  data:
networks:
  back:
EOF2
		# mid-way: migrate made and running (until told: /data/go), app and web not yet
		bg up --no-color
		until_out "fg-migrate-1 *Started"
		kill -KILL $up; wait $up
		echo "made: $(mr ps -a --format "{{.Names}}" | tr "\n" " ")"
		mc down -v 2>/dev/null || die "down after a killed up failed"
		echo "after kill mid-up: $(mr ps -aq | wc -l) $(mr network ls -q | wc -l) $(mr volume ls -q | wc -l)"
		ct_noleaks
		# and while attached: everything made, the relays running (migrate told to end)
		bg up --no-color
		until_out "fg-migrate-1 *Started"
		mr exec fg-migrate-1 touch /data/go || die "exec touch"
		until_out "Attaching to"
		kill -KILL $up; wait $up
		echo "attached: $(mr ps -a --format "{{.Names}}" | sort | tr "\n" " ")"
		mc down -v 2>/dev/null || die "down failed"
		echo "after kill attached: $(mr ps -aq | wc -l) $(mr network ls -q | wc -l) $(mr volume ls -q | wc -l)"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^made: fg-migrate-1 $' "killed mid-way: one container made"
	t_match "$out" '^after kill mid-up: 0 3 0$' \
		"down removes every container, network and volume (only the built-in networks stay)"
	t_match "$out" '^attached: fg-app-1 fg-migrate-1 fg-web-1 $'
	t_match "$out" '^after kill attached: 0 3 0$' "and no relay outlives up (ct_noleaks)"
}
t "down after a SIGKILLed up removes everything the project made" sigkill_then_down

t_end

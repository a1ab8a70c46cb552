#!/bin/sh
# labs/03-images/10-cmd-vs-entrypoint/lab.sh - ENTRYPOINT and CMD, shell form and exec
# form: who is PID 1, and whether `stop`'s SIGTERM reaches the server.
#
#   sh lab.sh setup|run|check|hint|teardown  (usually through `labs/lab cmd-vs-entrypoint STEP`)
#
# check reads the images' config, the ps and stop times the learner saved and the logs.
# Everything runs in a store and a namespace of the lab's own (mrlab.sh): exit 0 pass,
# 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=cmd-vs-entrypoint
. "$(dirname "$0")/../../01-fundamentals/mrlab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env' and 'cd $LAB_STATE/app', build Dockerfile.exec as srv:exec and
Dockerfile.shell as srv:shell; run each with -d, named exec1 and shell1; save
'minirun exec exec1 ps' to ps-exec.txt and 'minirun exec shell1 ps' to ps-shell.txt in
$LAB_STATE; then for each: t0=$(date +%s); minirun stop -t 4 NAME; t1=$(date +%s)
and append "NAME $(minirun wait NAME) $((t1 - t0))s" to $LAB_STATE/stop.txt
HINT
}

# setup_ - a pretend server that cleans up on SIGTERM, and two Dockerfiles that start it
setup_() {
	a=$LAB_STATE/app
	mkdir -p "$a" || return 1
	cat >"$a/server.sh" <<'SERVER'
#!/bin/sh
# a pretend server: says what it serves, and on SIGTERM cleans up and exits 0
trap 'echo "server: SIGTERM, cleaning up"; exit 0' TERM
echo "server: serving $*"
while :; do sleep 1 & wait $!; done
SERVER
	chmod 755 "$a/server.sh"
	cat >"$a/Dockerfile.exec" <<'DOCKERFILE'
FROM busybox
COPY server.sh /server.sh
ENTRYPOINT ["/server.sh"]
CMD ["port", "80"]
DOCKERFILE
	cat >"$a/Dockerfile.shell" <<'DOCKERFILE'
FROM busybox
ENV PORT=80
COPY server.sh /server.sh
ENTRYPOINT /server.sh port $PORT | tee /tmp/server.log
CMD ["port", "8080"]
DOCKERFILE
}

run_() {
	cd "$LAB_STATE/app" || return 1
	minirun build -q -f Dockerfile.exec -t srv:exec . || return 1
	minirun build -q -f Dockerfile.shell -t srv:shell . || return 1
	for i in exec shell; do
		minirun image inspect -f '{{json .Config.Entrypoint}} {{json .Config.Cmd}}' srv:$i
	done
	minirun run -d --name exec1 srv:exec
	minirun run -d --name shell1 srv:shell
	sleep 0.5
	minirun exec exec1 ps | tee "$LAB_STATE/ps-exec.txt"
	minirun exec shell1 ps | tee "$LAB_STATE/ps-shell.txt"
	: >"$LAB_STATE/stop.txt"
	for c in exec1 shell1; do
		t0=$(date +%s)
		minirun stop -t 4 $c
		t1=$(date +%s)
		echo "$c $(minirun wait $c) $((t1 - t0))s" | tee -a "$LAB_STATE/stop.txt"
	done
	minirun logs exec1
	minirun logs shell1
}

# line NAME - "CODE SECONDS" the learner saved for NAME
line() { sed -n "s/^$1 \([0-9]*\) \([0-9]*\)s$/\1 \2/p" "$LAB_STATE/stop.txt" | tail -n 1; }
# pid1 FILE - the command of PID 1 in a saved ps listing
pid1() { awk '$1 == 1 { $1 = ""; $2 = ""; sub(/^ +/, ""); print }' "$LAB_STATE/$1"; }

check_() {
	ep=$(minirun image inspect -f '{{json .Config.Entrypoint}}' srv:exec 2>/dev/null)
	[ "$ep" = '["/server.sh"]' ] || fail "srv:exec's Entrypoint is '$ep', not [\"/server.sh\"]: build Dockerfile.exec"
	ep=$(minirun image inspect -f '{{json .Config.Entrypoint}}' srv:shell 2>/dev/null)
	[ "$ep" = '["/bin/sh","-c","/server.sh port $PORT | tee /tmp/server.log"]' ] ||
		fail "srv:shell's Entrypoint is '$ep': build Dockerfile.shell"
	echo "check: ok - Entrypoint: srv:exec runs /server.sh itself, srv:shell runs /bin/sh -c '...'"
	have ps-exec.txt
	have ps-shell.txt
	case $(pid1 ps-exec.txt) in *"/server.sh port 80") ;; *) fail "in ps-exec.txt PID 1 is '$(pid1 ps-exec.txt)', not the server with CMD's 'port 80'" ;; esac
	case $(pid1 ps-shell.txt) in "/bin/sh -c "*) ;; *) fail "in ps-shell.txt PID 1 is '$(pid1 ps-shell.txt)', not /bin/sh -c" ;; esac
	echo "check: ok - PID 1: in exec1 the server (with CMD as its arguments), in shell1 /bin/sh"
	have stop.txt
	set -- $(line shell1)
	[ "${1:-}" = 137 ] || fail "shell1's code is '${1:-}', not 137: sh as PID 1 ignores SIGTERM, SIGKILL came after -t"
	slow=${2:-0}
	[ "$slow" -ge 3 ] || fail "shell1 stopped in ${slow}s: it should have taken the 4s timeout"
	set -- $(line exec1)
	[ "${1:-}" = 0 ] || fail "exec1's code is '${1:-}', not 0: the server's trap exits 0"
	# well under shell1's time: a slow machine adds the same few seconds to every stop
	[ "${2:-99}" -le $((slow - 2)) ] || fail "exec1 took ${2:-?}s, shell1 ${slow}s: its trap should end it at once"
	echo "check: ok - stop: exec1 0 after ${2}s, shell1 137 after the ${slow}s timeout"
	minirun logs exec1 2>&1 | grep -q "server: SIGTERM, cleaning up" || fail "exec1's log has no 'SIGTERM, cleaning up'"
	minirun logs shell1 2>&1 | grep -q "SIGTERM" && fail "shell1's log has the server's SIGTERM line: the signal reached it?"
	echo "check: ok - logs: exec1's server cleaned up, shell1's never heard the SIGTERM"
}

steps "$@"

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
	expect_or "srv:exec's Entrypoint is [\"/server.sh\"] (Dockerfile.exec)" "it is '$ep'" [ "$ep" = '["/server.sh"]' ]
	ep=$(minirun image inspect -f '{{json .Config.Entrypoint}}' srv:shell 2>/dev/null)
	expect_or "srv:shell's Entrypoint is /bin/sh -c '...' (Dockerfile.shell)" "it is '$ep'" \
		[ "$ep" = '["/bin/sh","-c","/server.sh port $PORT | tee /tmp/server.log"]' ]
	echo "check: ok - Entrypoint: srv:exec runs /server.sh itself, srv:shell runs /bin/sh -c '...'"
	have ps-exec.txt
	have ps-shell.txt
	p1=$(pid1 ps-exec.txt) p2=$(pid1 ps-shell.txt)
	expect_or "in ps-exec.txt PID 1 is the server, with CMD's 'port 80'" "it is '$p1'" \
		eval 'case $p1 in *"/server.sh port 80") ;; *) false ;; esac'
	expect_or "in ps-shell.txt PID 1 is /bin/sh -c" "it is '$p2'" eval 'case $p2 in "/bin/sh -c "*) ;; *) false ;; esac'
	echo "check: ok - PID 1: in exec1 the server (with CMD as its arguments), in shell1 /bin/sh"
	have stop.txt
	set -- $(line shell1)
	expect_or "shell1's code is 137: sh as PID 1 ignores SIGTERM, SIGKILL came after -t" "it is '${1:-}'" [ "${1:-}" = 137 ]
	slow=${2:-0}
	expect_or "shell1 took the 4s timeout to stop" "it stopped in ${slow}s" [ "$slow" -ge 3 ]
	set -- $(line exec1)
	expect_or "exec1's code is 0: the server's trap exits 0" "it is '${1:-}'" [ "${1:-}" = 0 ]
	# well under shell1's time: a slow machine adds the same few seconds to every stop
	expect_or "exec1 stopped at once, well before shell1" "it took ${2:-?}s, shell1 ${slow}s" [ "${2:-99}" -le $((slow - 2)) ]
	echo "check: ok - stop: exec1 0 after ${2}s, shell1 137 after the ${slow}s timeout"
	expect "exec1's log has 'SIGTERM, cleaning up'" eval 'minirun logs exec1 2>&1 | grep -q "server: SIGTERM, cleaning up"'
	expect "shell1's log has no SIGTERM line: the signal never reached the server" not eval 'minirun logs shell1 2>&1 | grep -q SIGTERM'
	echo "check: ok - logs: exec1's server cleaned up, shell1's never heard the SIGTERM"
}

steps "$@"

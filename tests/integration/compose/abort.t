# tests/integration/compose/abort.t - a foreground `compose up` that ends with its
# containers: --abort-on-container-exit (the first exit stops them all, up exits with its
# code), --abort-on-container-failure (the first non-zero exit), --exit-code-from SERVICE
# (that service's code), --attach / --no-attach (whose output is shown), --no-deps; and
# the flags refused before anything is made.
# Run: sh tests/integration/compose/abort.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

# job exits CODE after a moment; srv says ready and runs until SIGTERM, then exits 7
PROJECT='
mkdir -p $R/../ab && cd $R/../ab || die cd
cat >compose.yaml <<EOF2
services:
  job:
    image: busybox
    command: sh -c "echo working; sleep 0.5; exit \${CODE:-5}"
    depends_on: [srv]
  srv:
    image: busybox
    init: true
    command: sh -c "trap \"echo term; exit 7\" TERM; echo ready; while :; do sleep 0.2; done"
  ok:
    image: busybox
    command: sh -c "echo fine"
    profiles: [ok]
EOF2
mc() { mr compose -p ab "$@"; }
'

abort_on_exit() {
	ct_need
	out=$(ct_host "$PROJECT"'
		mc up --no-color --abort-on-container-exit >out 2>&1; echo "status $?"
		sed "s/^/out: /" out
		echo "srv: $(mr inspect -f "{{.State.Status}} {{.State.ExitCode}}" ab-srv-1)"
		mc down 2>/dev/null || die "down failed"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^status 5$' "up exits with the code of the first container to exit"
	t_match "$out" '^out: Aborting on container exit\.\.\.$' "docker compose's words"
	t_match "$out" '^out: ab-job-1 exited with code 5$'
	t_match "$out" '^out: ab-srv-1 *\| term$' "the others are stopped by their stop signal"
	t_match "$out" '^srv: exited 7$' "and left, not removed"
}
t "--abort-on-container-exit: the first exit stops all; its code is up's" abort_on_exit

exit_code_from() {
	ct_need
	out=$(ct_host "$PROJECT"'
		mc up --no-color --exit-code-from srv >out 2>&1; echo "status $?"
		sed "s/^/out: /" out
		CODE=0 mc up --no-color --exit-code-from job >/dev/null 2>&1; echo "job: $?"
		mc down 2>/dev/null || die "down failed"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^status 7$' "the code of the service named, stopped by the abort"
	t_match "$out" '^out: Aborting on container exit\.\.\.$' "implies --abort-on-container-exit"
	t_match "$out" '^job: 0$' "job's own code, 0"
}
t "--exit-code-from SERVICE: up exits with that service's code" exit_code_from

abort_on_failure() {
	ct_need
	out=$(ct_host "$PROJECT"'
		# ok exits 0 at once (ignored), job exits 5 later (aborts)
		mc --profile ok up --no-color --abort-on-container-failure >out 2>&1; echo "status $?"
		sed "s/^/out: /" out
		mc --profile ok down 2>/dev/null || die "down failed"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^out: ab-ok-1 exited with code 0$'
	t_match "$out" '^status 5$' "a zero exit does not abort, the first failure does"
	t_match "$out" '^out: ab-srv-1 exited with code 7$'
}
t "--abort-on-container-failure: the first non-zero exit aborts" abort_on_failure

attach_no_deps() {
	ct_need
	out=$(ct_host "$PROJECT"'
		mc up --no-color --abort-on-container-exit --no-attach srv >out 2>&1; echo "status $?"
		sed "s/^/no-attach: /" out
		mc down 2>/dev/null || die "down failed"
		CODE=0 mc up --no-color --attach job >out 2>&1 &
		i=0; until grep -q "ab-job-1 exited" out; do i=$((i+1)); [ $i -lt 100 ] || die "job never ended: $(cat out)"; sleep 0.1; done
		wait $!; echo "attach job: $?"
		sed "s/^/attach: /" out
		echo "srv still: $(mr inspect -f "{{.State.Status}}" ab-srv-1)"
		mc down -t 1 2>/dev/null || die "down failed"
		CODE=0 mc up --no-color --no-deps job >out 2>&1; echo "no-deps: $?"
		echo "no-deps: $(mr ps -a --format "{{.Names}}" | tr "\n" " ")"
		mc down 2>/dev/null || die "down failed"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^no-attach: Attaching to ab-job-1$' "--no-attach srv: only job followed"
	t_nomatch "$out" '^no-attach: ab-srv-1 *\|' "no line of srv"
	t_match "$out" '^status 5$'
	t_match "$out" '^attach: Attaching to ab-job-1$' "--attach job"
	t_match "$out" '^attach job: 0$' "up returns when the attached containers have exited"
	t_match "$out" '^srv still: running$' "the others go on"
	t_match "$out" '^no-deps: 0$'
	t_match "$out" '^no-deps: ab-job-1 $' "--no-deps: srv is not made"
}
t "--attach, --no-attach and --no-deps" attach_no_deps

bad_flags() {
	ct_need
	out=$(ct_host "$PROJECT"'
		mc up -d --abort-on-container-exit 2>&1; echo "status $?"
		mc up --exit-code-from nosuch 2>&1; echo "status $?"
		mc up --attach nosuch 2>&1; echo "status $?"
		mc up -t never 2>&1; echo "status $?"
		echo "made: $(mr ps -aq | wc -l) $(mr network ls -q | wc -l)"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^minirun: compose up: --abort-on-container-exit and --detach are incompatible$'
	t_match "$out" '^minirun: compose up --exit-code-from nosuch: no such service$'
	t_match "$out" '^minirun: compose up --attach nosuch: no such service$'
	t_match "$out" '^minirun: compose up -t never: not a number of seconds$'
	t_nomatch "$out" '^status 0$' "each refused"
	t_match "$out" '^made: 0 3$' "before anything is made (the networks: bridge, host, none)"
}
t "conflicting or unknown attach flags are refused before anything is made" bad_flags

t_end

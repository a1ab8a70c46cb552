# tests/integration/compose/verbose.t - `minirun -v compose ...`: the narration tells the
# story on up's stderr, and stays out of what the containers record: a health probe's
# Output holds the probe's own output only, not the runtime's narration of its exec (the
# checker's -v lines go to the monitor's stderr).
# Run: sh tests/integration/compose/verbose.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

probe_output_clean() {
	ct_need
	out=$(ct_host '
		mkdir -p $R/../vb && cd $R/../vb || die cd
		cat >compose.yaml <<EOF2
services:
  web:
    image: busybox
    init: true
    command: sleep 300
    healthcheck:
      test: ["CMD-SHELL", "echo probe-out"]
      interval: 1s
  api:
    image: busybox
    init: true
    command: sleep 300
    healthcheck:
      test: ["CMD", "echo", "exec-form"]
      interval: 1s
EOF2
		mr -v compose -p vb up -d --wait 2>err || die "up failed: $(cat err)"
		echo "narrated: $(grep -c "^=> " err)"
		for c in web api; do
			mr inspect -f "{{range .State.Health.Log}}{{.Output}}{{end}}" vb-$c-1 | sed "s/^/$c output: /"
		done
		mr compose -p vb down -t 1 2>/dev/null || die "down failed"
		ct_noleaks') || t_fail "$out"
	t_nomatch "$out" '^narrated: 0$' "-v narrates on up's stderr"
	t_match "$out" '^web output: probe-out$' "the probe's output is recorded"
	t_match "$out" '^api output: exec-form$' "the exec form's too"
	t_nomatch "$out" 'output: =>' "no narration in a probe's Output"
	t_nomatch "$out" 'output: .*(seccomp|capset|clone3)' "nothing of the runtime's"
}
t "-v: a health probe's Output holds the probe's output only" probe_output_clean

t_end

# tests/integration/build/faults.t - `minirun build` (a RUN step, so a container, a mount, a
# cgroup and store temp files) SIGKILLed at pseudo-random moments drawn from one seed
# (printed; MR_FAULT_SEED=N repeats a run), then: `images` and `ps -a` work, the next build
# succeeds and sweeps what the killed ones left (step_sweep), and nothing is left: no
# container, mount, cgroup, process, store temp file (once `image prune` has run).
#
#   MR_FAULT_SEED=1733480000 MR_FAULT_ROUNDS=10 sh tests/integration/build/faults.t
#
# MR_FAULT_ROUNDS (default 3) is the number of killed builds.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

SEED=${MR_FAULT_SEED:-$(date +%s)}
ROUNDS=${MR_FAULT_ROUNDS:-3}
echo "# faults: seed $SEED, $ROUNDS rounds (MR_FAULT_SEED=$SEED repeats them)"

builds_killed_at_random_moments() {
	ct_need
	mkdir -p "$T_DIR/ctx"
	# ARG N makes each round's RUN a cache miss: every build runs a container
	printf 'FROM busybox\nARG N\nRUN echo "$N" >/n && sleep 0.1\nCMD ["cat", "/n"]\n' \
		>"$T_DIR/ctx/Dockerfile"
	out=$(ct_host '
		seed='"$SEED"' rounds='"$ROUNDS"' ctx='"$T_DIR/ctx"'
		i=0
		while [ $i -lt $rounds ]; do
			# a build takes ~0.3-0.6 s here: the kill lands before, in or after the RUN
			d=$(awk -v s="$seed" -v k="$i" "BEGIN { srand(s * 1000 + k); printf \"%.3f\", rand() * 0.5 }")
			"$MINIRUN" --root "$R" build -q --build-arg N=$i -t b$i "$ctx" >/dev/null 2>&1 &
			p=$!
			sleep "$d"
			kill -9 $p 2>/dev/null && echo "hit: build after $d s"
			wait $p 2>/dev/null
			_ct_seen
			mr images >/dev/null 2>&1 || echo "images failed after the kill of build $i"
			mr ps -a >/dev/null 2>&1 || echo "ps -a failed after the kill of build $i"
			i=$((i + 1))
		done
		o=$(mr build -q --build-arg N=again -t again "$ctx" 2>&1) || echo "build again: $o"
		echo "again: $(mr run --rm again 2>&1)"
		echo "after: $(mr ps -aq | wc -l) containers"
		mr image prune -f >/dev/null 2>&1 || echo "image prune failed"
		ls -A "$R/images/.tmp" 2>/dev/null | sed "s/^/leak: store temp /"
		ct_leaks') || t_fail "$out"
	t_nomatch "$out" 'failed after the kill' "images and ps -a work after each kill"
	t_nomatch "$out" '^build again' "the next build succeeds"
	t_match "$out" '^again: again$' "its image runs"
	t_match "$out" '^after: 0 containers$' "the killed builds' containers are swept"
	t_nomatch "$out" '^leak:' "nothing is left behind"
}

t "SIGKILL at random moments of build (RUN): the next build sweeps, nothing is left" \
	builds_killed_at_random_moments
t_end

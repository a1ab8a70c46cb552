# tests/integration/containers/faults.t - SIGKILL at a random moment, many times: `run -d`,
# `run --rm`, `create`, `start`, `rm -f`, and a container's monitor, each killed after a
# pseudo-random delay drawn from one seed (printed; MR_FAULT_SEED=N repeats a run), then:
# `ps -a` lists every container the store holds (half-made ones too), `rm -f -v` removes
# each, and nothing is left (mounts, cgroups, veths, nft elements, leases, state dirs, name
# claims, processes, volumes); the store still works, for the same names and ports.
# killsteps.t kills at each named step; this one at moments nobody chose.
#
#   MR_FAULT_SEED=1733480000 MR_FAULT_ROUNDS=20 sh tests/integration/containers/faults.t
#
# MR_FAULT_ROUNDS (default 3) is the number of rounds: each kills every verb once.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

SEED=${MR_FAULT_SEED:-$(date +%s)}
ROUNDS=${MR_FAULT_ROUNDS:-3}
echo "# faults: seed $SEED, $ROUNDS rounds (MR_FAULT_SEED=$SEED repeats them)"

# the script every test runs in its host namespace: `killed DELAY CMD...` starts CMD and
# SIGKILLs it after DELAY seconds if it still runs; `delay K` is the K-th delay of the seed
FAULTS='
seed='"$SEED"' rounds='"$ROUNDS"'
M="$MINIRUN --root $R"
delay() { awk -v s="$seed" -v k="$1" "BEGIN { srand(s * 1000 + k); printf \"%.3f\", rand() * 0.12 }"; }
killed() {
	_d=$1
	shift
	"$@" >/dev/null 2>&1 &
	_p=$!
	sleep "$_d"
	kill -9 "$_p" 2>/dev/null && echo "hit: $4 after $_d s"
	wait "$_p" 2>/dev/null
	_ct_seen
}
# monitor_killed NAME DELAY - run -d NAME, and SIGKILL its monitor DELAY s after the start
monitor_killed() {
	$M run -d --name "$1" -v /data busybox sleep 300 >/dev/null 2>&1 &
	_p=$!
	sleep "$2"
	_id=$(cat "$R/containers/.names/$1" 2>/dev/null)
	_m=$(cut -d" " -f1 "$R/containers/$_id/monitor.pid" 2>/dev/null)
	[ -n "$_m" ] && kill -9 "$_m" 2>/dev/null && echo "hit: the monitor of $1 after $2 s"
	wait "$_p" 2>/dev/null
	_ct_seen
}
# sweep - every container ps -a lists, compared with the store, then rm -f -v of each
sweep() {
	_listed=$(mr ps -a -q --no-trunc 2>&1 | sort)
	_stored=$(ct_ids | sort)
	[ "$_listed" = "$_stored" ] || echo "ps -a listed [$_listed], the store holds [$_stored]"
	for _id in $_stored; do
		_o=$(mr rm -f -v "$_id" 2>&1) || echo "rm -f -v $_id: $_o"
	done
	echo "after: $(mr ps -aq | wc -l) containers, $(mr volume ls -q | wc -l) volumes"
}
'

kills_at_random_moments() {
	ct_need
	out=$(ct_host "$FAULTS"'
		i=0
		while [ $i -lt $rounds ]; do
			k=$((i * 10))
			killed "$(delay $((k + 1)))" $M run -d --name rd$i -p $((9000 + i)):80 -v /data busybox sleep 300
			killed "$(delay $((k + 2)))" $M run --rm --name rr$i -v /data busybox sleep 0.1
			killed "$(delay $((k + 3)))" $M create --name cr$i -p $((9100 + i)):80 -v /data busybox true
			$M create --name st$i -p $((9200 + i)):80 busybox sleep 300 >/dev/null 2>&1
			killed "$(delay $((k + 4)))" $M start st$i
			$M run -d --name rm$i -v /data busybox sleep 300 >/dev/null 2>&1
			killed "$(delay $((k + 5)))" $M rm -f -v rm$i
			monitor_killed mo$i "$(delay $((k + 6)))"
			i=$((i + 1))
		done
		echo "made: $(ct_ids | wc -l) containers"
		sweep
		ct_leaks
		# the same names, ports and volume path work again
		out=$(mr run --rm --name rd0 -p 9000:80 -v /data busybox echo again 2>&1)
		echo "again: $out"
		ct_leaks') || t_fail "$out"
	# the kills must land: a run where every process had finished first proves nothing
	t_match "$out" '^hit: ' "at least one process was killed while it worked"
	t_nomatch "$out" '^ps -a listed' "ps -a lists every container of the store"
	t_nomatch "$out" '^rm -f -v ' "rm -f -v removes each"
	t_match "$out" '^after: 0 containers, 0 volumes$' "none is left"
	t_nomatch "$out" '^leak:' "nothing is left behind"
	t_match "$out" '^again: again$' "the store works again, for the same names and ports"
}

t "SIGKILL at random moments of run -d, run --rm, create, start, rm -f and the monitor: rm -f cleans all" \
	kills_at_random_moments
t_end

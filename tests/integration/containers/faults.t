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
# monitor_of NAME CLIENT - the PID of the monitor of container NAME that the `run` client
# CLIENT forked: from its monitor.pid where the store keeps it there, else from /proc (the
# record and the per-run state may live elsewhere): the process running `__monitor ID`, or
# before its re-exec the oldest process with the client'"'"'s command line whose parent is
# not the client (the client forks a middle process that forks the monitor; this PID
# namespace is fresh: PIDs only grow)
monitor_of() {
	_id=$($M inspect -f "{{.Id}}" "$1" 2>/dev/null)
	_f=$R/containers/$_id/monitor.pid
	if [ -n "$_id" ] && [ -f "$_f" ]; then
		cut -d" " -f1 "$_f"
		return
	fi
	_want="$M run -d --name $1 -v /data busybox sleep 300 "
	for _q in $(ls /proc | grep -E "^[0-9]+$" | sort -n); do
		[ "$_q" = "$2" ] && continue
		_c=$({ tr "\0" " " <"/proc/$_q/cmdline"; } 2>/dev/null)
		case $_c in
		*" --root $R __monitor ${_id:-none} "*) ;;
		"$_want")
			[ "$(awk "/^PPid:/ { print \$2 }" "/proc/$_q/status" 2>/dev/null)" = "$2" ] &&
				continue ;;
		*) continue ;;
		esac
		echo "$_q"
		return
	done
}
# monitor_killed NAME DELAY - run -d NAME, and SIGKILL its monitor DELAY s after the start
monitor_killed() {
	$M run -d --name "$1" -v /data busybox sleep 300 >/dev/null 2>&1 & # as monitor_of says
	_p=$!
	sleep "$2"
	_m=$(monitor_of "$1" "$_p")
	[ -n "$_m" ] && kill -9 "$_m" 2>/dev/null && echo "hit: the monitor of $1 after $2 s"
	wait "$_p" 2>/dev/null
	_ct_seen
}
# sweep - every container ps -a lists, compared with the store, then rm -f -v of each
sweep() {
	_listed=$(mr ps -a -q --no-trunc 2>&1 | sort)
	_stored=$(ct_ids | sort)
	[ "$_listed" = "$_stored" ] || echo "ps -a listed [$_listed], the store holds [$_stored]"
	# a killed `run --rm` client leaves its monitor to remove the container itself: one
	# gone by the time its rm -f comes has been removed ("No such container" is then right)
	for _id in $_stored; do
		_o=$(mr rm -f -v "$_id" 2>&1) || ! ct_ids | grep -qx "$_id" || echo "rm -f -v $_id: $_o"
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

# killed_at SYSCALLS [N] - `run -d --name c1` SIGKILLed (strace injects it) at the Nth call
# (1st by default) of one of SYSCALLS; then rm -f -v of what the store holds leaves nothing,
# and the name works again
killed_at() {
	ct_need
	t_need strace
	out=$(ct_host '
		strace -f -qq -o /dev/null -e trace='"$1"' -e inject='"$1"':signal=SIGKILL:when='"${2:-1}"' \
			$MINIRUN --root $R run -d --name c1 busybox sleep 300 >/dev/null 2>&1
		echo "run exited $?"
		_ct_seen
		for _id in $(ct_ids); do
			_o=$(mr rm -f -v "$_id" 2>&1) || echo "rm -f -v $_id: $_o"
		done
		ct_leaks
		_o=$(mr run --rm --name c1 busybox echo again 2>&1)
		echo "again: $_o"') || t_fail "$out"
	t_nomatch "$out" "^run exited 0$" "the kill landed (run failed)"
	t_nomatch "$out" "^rm -f -v " "rm -f -v removes it"
	t_nomatch "$out" "^leak:" "nothing is left"
	t_match "$out" "^again: again$" "the name works again"
}

# create makes the cgroup, then attaches the device filter (bpf(2)), then records the state.
# The filter is loaded by a thread meanwhile (minirun/oci/cgstep.h), perhaps before the
# cgroup is made; the second bpf(2), the attach (or the main thread's query before it, or
# the thread's load when the main thread got there first) always comes after the mkdir and
# before the state: a kill there lands in between, every time
killed_between_cgroup_and_state() { killed_at bpf 2; }

# the name claim is linked into .names/ whole (link(2)): a kill there, or just before,
# leaves no empty claim nobody can remove
killed_at_the_name_claim() { killed_at link,linkat; }

t "SIGKILL at random moments of run -d, run --rm, create, start, rm -f and the monitor: rm -f cleans all" \
	kills_at_random_moments
t "SIGKILL between the cgroup's mkdir and the first state save: rm -f removes the cgroup" \
	killed_between_cgroup_and_state
t "SIGKILL at the name claim's link: rm -f leaves no claim, the name works again" \
	killed_at_the_name_claim
t_end

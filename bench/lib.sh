# bench/lib.sh - what the benchmarks share (sourced; not a benchmark).
#
#	mr_settle    wait (at most 5 s) until no minirun process is left in this namespace

# mr_settle - an --rm monitor deletes its container's cgroup and run files after its client
# has returned (minirun/containers/trash.c): a benchmark waits for the last one before its
# throwaway namespace ends, which would end that monitor half-way and leave the cgroup on the
# machine (its run root, a tmpfs of the namespace, gone with it: nothing would sweep it)
mr_settle() {
	_i=0
	while pgrep -x minirun >/dev/null && [ $_i -lt 250 ]; do
		sleep 0.02
		_i=$((_i + 1))
	done
}

# tests/integration/containers/faults-soak.t - the fault suites at length (tests/long.list:
# `make test-long`): faults.t and build/faults.t with 15 rounds, concurrency.t with 40, one
# seed for all (printed; MR_FAULT_SEED=N repeats it). Each suite prints its own results.
#
#   MR_FAULT_SEED=1733480000 sh tests/integration/containers/faults-soak.t
: "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}"
MR_FAULT_SEED=${MR_FAULT_SEED:-$(date +%s)}
export MR_TOP MR_FAULT_SEED
rc=0
MR_FAULT_ROUNDS=15 sh "$MR_TOP/tests/integration/containers/faults.t" || rc=1
MR_FAULT_ROUNDS=15 sh "$MR_TOP/tests/integration/build/faults.t" || rc=1
MR_FAULT_ROUNDS=40 sh "$MR_TOP/tests/integration/containers/concurrency.t" || rc=1
exit $rc

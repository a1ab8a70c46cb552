# tests/integration/containers/escape-soak.t - escape.t's races at length (tests/long.list:
# `make test-long`): each racing verb (cp both ways, commit --pause=false, a volume's
# populate) 40 times against the swapping container, where `make test` runs 10 rounds. The
# results are named containers/escape-soak.
#
#   sh tests/integration/containers/escape-soak.t      (as root; what escape.t needs)
: "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}"
export MR_TOP
ESC_N=40 T_SUITE=${T_SUITE:-containers/escape-soak} exec sh "$MR_TOP/tests/integration/containers/escape.t"

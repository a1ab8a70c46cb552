# tests/integration/containers/logrotate-1g.t - the issue's own case: a container writes
# 1 GB with --log-opt max-size=10m --log-opt max-file=3, and at most 30 MB is on disk when
# it ends; `logs` reads the three files back. logrotate.t's first test at full size (the
# default run does 200 MB through 1m x 3). In tests/long.list: about 30 s of writing.
#   MR_TOP=$PWD sh tests/integration/containers/logrotate-1g.t
LR_MB=1000 LR_SIZE=10 LR_ONLY_BOUNDED=1
. "$MR_TOP/tests/integration/containers/logrotate.t"

#!/bin/sh
# tests/integration/build/conformance-fast.t - the build conformance cases with minirun
# alone: each case of conformance/cases/ is built by `minirun build` and its image checked
# against the case's `golden` (how the image differs from the base: the config fields and
# the files, as the full suite recorded it once minirun's image matched docker's and
# buildah's, deliberate differences aside) and its `expect` lines. No dockerd, no buildah:
# a regression of `minirun build` shows here within `make test`; conformance.t (in
# tests/long.list, `make test-build-conformance`) is the comparison itself.
# Run: sh tests/integration/build/conformance-fast.t (as root; make minirun busybox-image)
CF_PEERS=none
. "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}/tests/integration/build/conformance.t"

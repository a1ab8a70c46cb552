#!/bin/sh
# tests/integration/minirun/layers.t - the include check of `make lint` (tests/lint/includes.sh)
# passes on the tree as it is, and fails, naming the file and line, on each kind of wrong
# include planted in a scratch copy of the sources: one that points upward, one into the OCI
# runtime's internals, one into the bundle's, and a folder that is no layer.
. "$MR_TOP/tests/lib/t.sh"

CHECK=$MR_TOP/tests/lint/includes.sh

# scratch: a copy of the C sources of the checked folders in $T_DIR/tree
scratch() {
	mkdir tree || t_fail "mkdir"
	# shellcheck disable=SC2046 # the sources' names have no spaces
	(cd "$MR_TOP" && tar -cf - $(find lib ns cgroups unionfs netns minirun -name '*.[ch]')) |
		tar -xf - -C tree || t_fail "copy the sources"
}

# plant FILE LINE: add the include line LINE at the top of tree/FILE
plant() {
	{ echo "$2"; cat "tree/$1"; } >"tree/$1.new" || t_fail "plant in $1"
	mv "tree/$1.new" "tree/$1" || t_fail "plant in $1"
}

tree_passes() {
	out=$(sh "$CHECK" "$MR_TOP" 2>&1) || t_fail "the check fails on the tree itself: $out"
	t_eq "$out" "" "nothing printed"
	scratch
	out=$(sh "$CHECK" tree 2>&1) || t_fail "the check fails on an unchanged copy: $out"
}
t "the tree's includes follow the layers" tree_passes

upward_fails() {
	scratch
	plant lib/err.c '#include "minirun/containers/containers.h"'
	out=$(sh "$CHECK" tree 2>&1) && t_fail "passed with lib/ including containers/: $out"
	t_match "$out" "lib/err.c:1: includes minirun/containers/containers.h: lib may not include minirun/containers, a layer above it"
	# and one step up is as wrong as many: the runtime including the bundle above it
	rm -rf tree
	scratch
	plant minirun/oci/init.c '#include "minirun/bundle/bundle.h"'
	out=$(sh "$CHECK" tree 2>&1) && t_fail "passed with oci/ including bundle/: $out"
	t_match "$out" "minirun/oci/init.c:1: includes minirun/bundle/bundle.h: minirun/oci may not include minirun/bundle"
	t_match "$out" "1 include\\(s\\) break the layers"
}
t "an include that points upward fails the check, naming file and line" upward_fails

network_to_containers_fails() {
	scratch
	plant minirun/network/ipam.c '#include "minirun/containers/containers.h"'
	out=$(sh "$CHECK" tree 2>&1) && t_fail "passed with network/ including containers/"
	t_match "$out" "minirun/network/ipam.c:1: includes minirun/containers/containers.h"
}
t "the network store including containers (the cycle that was cut) fails the check" \
	network_to_containers_fails

internals_fail() {
	scratch
	plant minirun/containers/top.c '#include "minirun/oci/state.h"'
	plant minirun/containers/ps.c '#include "minirun/bundle/hostflags.h"'
	plant minirun/containers/stats.c '#include "minirun/oci/runtime.h"'
	out=$(sh "$CHECK" tree 2>&1) && t_fail "passed with includes of internals: $out"
	t_match "$out" "minirun/containers/top.c:1: includes minirun/oci/state.h: from outside minirun/oci/ only minirun/oci/runtime.h may be included"
	t_match "$out" "minirun/containers/ps.c:1: includes minirun/bundle/hostflags.h: from outside minirun/bundle/ only minirun/bundle/bundle.h"
	t_nomatch "$out" "stats.c" "the public header is fine"
	t_match "$out" "2 include\\(s\\) break the layers"
}
t "an include of another layer's internals fails; its public header passes" internals_fail

same_and_lower_pass() {
	scratch
	plant minirun/containers/ps.c '#include "minirun/image/image.h"'
	plant minirun/oci/init.c '#include "cgroups/cgroup.h"'
	plant minirun/oci/init.c '#include "spec.h"'
	out=$(sh "$CHECK" tree 2>&1) || t_fail "a downward or same-folder include failed: $out"
}
t "includes of lower layers, and of a file beside the includer, pass" same_and_lower_pass

unknown_folder_fails() {
	scratch
	mkdir -p tree/minirun/unplaced
	echo '#include "lib/err.h"' >tree/minirun/unplaced/x.c
	out=$(sh "$CHECK" tree 2>&1) && t_fail "passed with a folder that is no layer"
	t_match "$out" "minirun/unplaced/x.c: its folder is no layer of tests/lint/includes.sh"
}
t "a new folder of C files that the table does not place fails the check" unknown_folder_fails

t_end

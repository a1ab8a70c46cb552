# tests/integration/scan/layers.t - `minirun image layers`: per layer its size and the
# files it adds, changes and removes, the bytes a later layer hides (wasted), the
# efficiency, `--tree N`; bad input.
# Run: sh tests/integration/scan/layers.t (as root; make minirun)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/scan/lib.sh"

# the table's row of layer N as "ADDED CHANGED REMOVED"
counts() { awk -v n="$1" '$1 == n { print $3, $4, $5 }'; }

layers_table() {
	sc_image
	out=$(ms image layers fx:2) || t_fail "image layers exited $?: $out"
	t_match "$out" '^LAYER +SIZE +ADDED +CHANGED +REMOVED +WASTED +CREATED BY$'
	# layer 0: every non-directory of the fixture's rootfs, all added
	n0=$(cd "$R/layers/sha256/$(ms image inspect -f '{{json .RootFS.Layers}}' fx:1 |
		sed 's/.*sha256:\([0-9a-f]*\).*/\1/')" && find . ! -type d | wc -l | tr -d ' ')
	t_eq "$(echo "$out" | counts 0)" "$n0 0 0" "layer 0: added changed removed"
	# layer 1 (the commit): removes tzdata's status.d file, adds nothing
	t_eq "$(echo "$out" | counts 1)" "0 0 1" "layer 1: added changed removed"
	tz=$(wc -c <"$R/layers/sha256/$(ms image inspect -f '{{json .RootFS.Layers}}' fx:1 |
		sed 's/.*sha256:\([0-9a-f]*\).*/\1/')/var/lib/dpkg/status.d/tzdata" | tr -d ' ')
	t_match "$out" "^0 .* ${tz}B +" "layer 0 wastes the $tz bytes of the file layer 1 deletes"
	t_match "$out" '^Total: .* in 2 layers, [0-9]+B wasted: efficiency [0-9.]+%$'
	t_nomatch "$out" '^Total: .* 0B wasted' "something is wasted"
	echo "$out"
}
t "image layers: added/changed/removed per layer; a deleted file's bytes are wasted below" layers_table

layers_tree() {
	sc_image
	out=$(ms image layers --tree 1 fx:2) || t_fail "--tree exited $?"
	t_eq "$out" "   removed  var/lib/dpkg/status.d/tzdata" "layer 1's files"
	out=$(ms image layers --tree 0 fx:2) || t_fail "--tree 0 exited $?"
	t_match "$out" ' var/lib/dpkg/status.d/tzdata  \(wasted: hidden by a later layer\)$'
	t_match "$out" '^ +[0-9.]+k?B  var/lib/dpkg/status$'
	out=$(ms image layers --tree 0 fx:1) || t_fail "--tree 0 of fx:1 exited $?"
	t_nomatch "$out" 'wasted' "fx:1 has one layer: nothing hidden"
}
t "image layers --tree N: a layer's files with sizes, what it removes, what is hidden" layers_tree

layers_bad_input() {
	sc_image
	t_status 125 ms image layers nosuch
	t_eq "$T_OUT" "minirun: No such image: nosuch"
	t_status 125 ms image layers --tree 2 fx:2
	t_eq "$T_OUT" "minirun: --tree 2: the image has layers 0 to 1"
	t_status 125 ms image layers --tree x fx:2
	t_status 125 ms image layers --bogus fx:2
	t_eq "$T_OUT" "minirun: unknown flag: --bogus
See 'minirun image layers --help'."
	t_status 0 ms image layers --help
}
t "image layers bad input: no such image, a layer out of range, bad flags: 125" layers_bad_input

t_end

# tests/integration/containers/concurrency.t - the store under concurrent use: 8 loops at
# once, each a fixed count of one kind of change: `run --rm` and `run -d` + `rm -f` (both
# with the same named volume, on the default bridge, so leases, volume users and the name
# claims race), `tag` + `rmi` of the same image (two loops, index.json's read-modify-write),
# `load` of the same archive (two loops: a pull stand-in, the same blobs landing twice),
# `network create` + `network rm`, `volume create` + `volume rm`. Every command must
# succeed; afterwards every record is consistent (images inspect, blobs hash to their
# names, no container, lease, network or volume is left but the ones kept) and nothing is
# left (ct_leaks).
#
#   MR_FAULT_ROUNDS=20 sh tests/integration/containers/concurrency.t
#
# MR_FAULT_ROUNDS (default 4) is each loop's count.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

ROUNDS=${MR_FAULT_ROUNDS:-4}

eight_loops_at_once() {
	ct_need
	"$MINIRUN" --root "$R" tag busybox loaded:1 &&
		"$MINIRUN" --root "$R" save -o "$T_DIR/loaded.tar" loaded:1 &&
		"$MINIRUN" --root "$R" rmi loaded:1 >/dev/null || t_fail "save of loaded:1"
	out=$(ct_host '
		rounds='"$ROUNDS"' saved='"$T_DIR/loaded.tar"'
		M="$MINIRUN --root $R"
		# loop NAME CMD... - CMD (a shell snippet, $i its round) rounds times; a failure
		# is one line "fail: NAME round I: output"
		loop() {
			_n=$1 i=0
			shift
			while [ $i -lt $rounds ]; do
				_o=$(eval "$*" 2>&1) || echo "fail: $_n round $i: $_o"
				i=$((i + 1))
			done
		}
		loop run-rm "\$M run --rm -v shared:/data busybox true" &
		loop run-d "id=\$(\$M run -d -v shared:/data busybox sleep 300) && \$M rm -f \$id" &
		loop tag-a "\$M tag busybox same:a && \$M rmi same:a" &
		loop tag-b "\$M tag busybox same:b && \$M rmi same:b" &
		loop load-a "\$M load -i $saved" &
		loop load-b "\$M load -i $saved" &
		loop network "\$M network create cn\$i && \$M network rm cn\$i" &
		loop volume "\$M volume create cv\$i && \$M volume rm cv\$i" &
		wait
		_ct_seen
		echo "containers: $(mr ps -aq | wc -l)"
		echo "images: $(mr images --format "{{.Repository}}:{{.Tag}}" | sort | tr "\n" " ")"
		for img in $(mr images -q); do
			mr image inspect "$img" >/dev/null 2>&1 || echo "broken: image $img"
		done
		for b in "$R"/images/blobs/sha256/*; do
			[ "$(sha256sum "$b" | cut -d" " -f1)" = "${b##*/}" ] || echo "broken: blob ${b##*/}"
		done
		echo "networks: $(mr network ls --format "{{.Name}}" | sort | tr "\n" " ")"
		echo "volumes: $(mr volume ls -q | sort | tr "\n" " ")"
		mr volume rm shared >/dev/null || echo "fail: volume rm shared"
		ls -A "$R/images/.tmp" | sed "s/^/leak: store temp /"
		ct_leaks') || t_fail "$out"
	t_nomatch "$out" '^fail: ' "every command of every loop succeeds"
	t_match "$out" '^containers: 0$' "no container is left"
	t_match "$out" '^images: busybox:latest loaded:1 $' "the images are those expected"
	t_nomatch "$out" '^broken: ' "every image and blob is whole"
	t_match "$out" '^networks: bridge host none $' "no network is left (but the three built-in ones)"
	t_match "$out" '^volumes: shared $' "no volume is left but the shared one"
	t_nomatch "$out" '^leak:' "nothing is left behind"
}

t "8 loops at once (run, rm, tag/rmi, load, network, volume): all succeed, all consistent" \
	eight_loops_at_once
t_end

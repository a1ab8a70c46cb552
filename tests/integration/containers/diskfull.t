# tests/integration/containers/diskfull.t - a full disk: the store (--root) on a small tmpfs
# mounted in the test's own mount namespace, filled (a file of zeroes) until what a command
# writes can't fit, mid-import, mid-load (an image save of another store: the stand-in for a
# pull, whose blobs land the same way), mid-commit, and mid-run (a container writing to its
# upper dir until ENOSPC; a run that can't even write its record). Each fails with one line
# that says so, the store stays consistent (`images` and `ps -a` still work, blobs hash to
# their names), and once the filler is gone the same command succeeds; nothing is left.
#
#   sh tests/integration/containers/diskfull.t
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

# the script every test runs in its host namespace, after `small`:
#   small MB       the store moves to a tmpfs of MB MiB at $T_DIR/small ($R follows)
#   fill KB        a filler file leaves about KB KiB free on it (0: none); unfill removes it
#   fails WHAT CMD...  CMD must fail with exactly one line on stderr naming the full disk
#   whole WHEN     `images`, `ps -a` and every blob of the store are fine
DISK='
small() {
	mkdir -p "$T_DIR/small"
	mount -t tmpfs -o size=$1m tmpfs "$T_DIR/small" || die "mount a tmpfs"
	cp -a "$R" "$T_DIR/small/root" || die "copy the store"
	# the IDs the tests saw (lib.sh keeps them in $R.ids): off the disk that fills up
	touch "$R.ids"
	ln -s "$R.ids" "$T_DIR/small/root.ids"
	R=$T_DIR/small/root
}
fill() {
	_free=$(df -k "$T_DIR/small" | awk "NR == 2 { print \$4 }")
	[ "$_free" -gt "$1" ] && fallocate -l $(((_free - $1) * 1024)) "$T_DIR/small/filler"
	# 0: full to the last byte (df rounds)
	[ "$1" != 0 ] || cat /dev/zero >"$T_DIR/small/filler.0" 2>/dev/null
	return 0
}
unfill() { rm -f "$T_DIR/small/filler" "$T_DIR/small/filler.0"; }
fails() {
	_what=$1
	shift
	if "$@" >/dev/null 2>"$T_DIR/err"; then
		echo "$_what: succeeded on a full disk"
		return
	fi
	# the CLI of docker (and of minirun) follows a failed create with a "See ... --help"
	# line: a pointer, not a second error line
	grep -v "^See .minirun [a-z]* --help.\.\$" "$T_DIR/err" >"$T_DIR/err1"
	echo "$_what: $(wc -l <"$T_DIR/err1") lines: $(cat "$T_DIR/err1")"
}
whole() {
	mr images >/dev/null 2>&1 || echo "broken: images after $1"
	mr ps -a >/dev/null 2>&1 || echo "broken: ps -a after $1"
	for _b in "$R"/images/blobs/sha256/*; do
		[ "$(sha256sum "$_b" | cut -d" " -f1)" = "${_b##*/}" ] || echo "broken: blob ${_b##*/} after $1"
	done
}
'

# a tar of 3 MB that does not compress, and its import saved from a store of its own
big_archives() {
	head -c 3000000 /dev/urandom >"$T_DIR/big.bin"
	tar -C "$T_DIR" -cf "$T_DIR/big.tar" big.bin || t_fail "tar"
	"$MINIRUN" --root "$T_DIR/other" import "$T_DIR/big.tar" big:1 >/dev/null &&
		"$MINIRUN" --root "$T_DIR/other" save -o "$T_DIR/big-save.tar" big:1 ||
		t_fail "import and save of big:1 in a store of its own"
	rm -rf "$T_DIR/other"
}

# one line, naming the disk: "No space left on device" (strerror) and nothing more
one_line() {
	t_match "$1" "^$2: 1 lines: .*No space left on device" "$2 fails with one line naming the full disk"
}

full_disk_mid_import_and_load() {
	ct_need
	big_archives
	out=$(ct_host "T_DIR='$T_DIR'$DISK"'
		small 32
		fill 1024
		fails import mr import "$T_DIR/big.tar" big:1
		whole import
		fails load mr load -i "$T_DIR/big-save.tar"
		whole load
		unfill
		mr import "$T_DIR/big.tar" big:1 >/dev/null || echo "import after unfill failed"
		mr rmi big:1 >/dev/null || echo "rmi failed"
		mr load -i "$T_DIR/big-save.tar" >/dev/null || echo "load after unfill failed"
		whole "the load after unfill"
		echo "images: $(mr images --format "{{.Repository}}" | sort | tr "\n" " ")"
		ls -A "$R/images/.tmp" | sed "s/^/leak: store temp /"
		ct_leaks') || t_fail "$out"
	one_line "$out" import
	one_line "$out" load
	t_nomatch "$out" '^broken: ' "the store stays consistent"
	t_nomatch "$out" 'after unfill failed' "the same command succeeds once space is freed"
	t_match "$out" '^images: big busybox $' "both images are there"
	t_nomatch "$out" '^leak:' "nothing is left behind"
}

full_disk_mid_commit_and_run() {
	ct_need
	out=$(ct_host "T_DIR='$T_DIR'$DISK"'
		small 32
		mr run -d --name wr busybox sh -c "head -c 3000000 /dev/urandom >/f; sleep 300" >/dev/null ||
			die "run -d wr"
		i=0
		while [ $i -lt 50 ] && [ "$(mr exec wr sh -c "wc -c </f")" != 3000000 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		fill 1024
		fails commit mr commit wr wimg
		whole commit
		# a container that writes until the disk is full: its own error, ours stays whole
		mr run --name dd busybox dd if=/dev/zero of=/z bs=65536 >/dev/null 2>"$T_DIR/dd.err"
		echo "dd exited $?: $(grep -v records "$T_DIR/dd.err" | tail -n 1)"
		echo "dd recorded $(mr inspect -f "{{.State.ExitCode}} {{.State.Error}}" dd)"
		whole "the run that filled it"
		mr rm dd >/dev/null || echo "rm dd failed"
		# a run that has not even the room for its record
		fill 0
		fails run mr run --rm busybox true
		whole run
		unfill
		mr commit wr wimg >/dev/null || echo "commit after unfill failed"
		out=$(mr run --rm busybox echo ran 2>&1) || echo "run after unfill failed: $out"
		mr rm -f wr >/dev/null || echo "rm -f wr failed"
		echo "after: $(mr ps -aq | wc -l) containers"
		ls -A "$R/images/.tmp" | sed "s/^/leak: store temp /"
		ct_leaks') || t_fail "$out"
	one_line "$out" commit
	t_match "$out" "^dd exited 1: dd: error writing '/z': No space left on device" \
		"the container's dd meets ENOSPC, and run exits with its code"
	t_match "$out" '^dd recorded 1 $' "its exit code is recorded, though its record could not be saved"
	one_line "$out" run
	t_nomatch "$out" '^broken: ' "the store stays consistent"
	t_nomatch "$out" 'after unfill failed' "the same command succeeds once space is freed"
	t_nomatch "$out" 'failed' "every step works"
	t_match "$out" '^after: 0 containers$' "no container is left"
	t_nomatch "$out" '^leak:' "nothing is left behind"
}

t "a full disk mid-import and mid-load: one line, the store whole, the next one works" \
	full_disk_mid_import_and_load
t "a full disk mid-commit and mid-run: one line, the store whole, the next one works" \
	full_disk_mid_commit_and_run
t_end

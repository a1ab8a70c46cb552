# tests/integration/containers/escape.t - a hostile container against the verbs that touch
# its files from the host: cp (both ways, and "-" tars), commit --pause=false and a volume's
# populate. The container plants symlinks to host files and, with tests/containers/swapper
# bound into it, swaps a directory and a symlink atomically in a loop while the verb runs many
# times (the race of CVE-2018-15664, docker cp). After all of it, a canary on the host (a
# file and a directory: mode, owner, content) is unchanged, and nothing of the host's got
# into the container, an image or a tar.
# Run: sh tests/integration/containers/escape.t (as root; make minirun busybox-image
#      tests/containers/swapper); ESC_N=40 sh ... for longer races (escape-soak.t)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

SWDIR=$MR_TOP/tests/containers
SWAPPER=$SWDIR/swapper
# how many times each racing verb runs: 10 in `make test`, on the host and in the VM (where
# a round costs ten times as much: 40 took 140 s there); the code and the kernel's side of
# the race are the same in each round. escape-soak.t runs the races at length, 40 rounds
# (tests/long.list: `make test-long`).
ESC_N=${ESC_N:-10}
export SWDIR SWAPPER ESC_N


# the canary, in every test: $C/secret (0600, owner 4321:4321, "hostonly-canary") and $C/dir
# (0700, the same owner) holding hostonly-secret ("hostonly-content"); esc_canary_ok dies if
# any of it changed. "hostonly-c" found anywhere but on the host is a leak.
ESC_LIB='
	# esc_more I OK - true while round I is to be run: the first ESC_N always, then more (up to
	# 6 x ESC_N) while OK is still 0. Whether a round meets the swap is chance (10 rounds of
	# commit all failed, 40 populates all missed, once each), and a race never met proves
	# nothing: the tests need at least one, so they go on until they have it.
	esc_more() { [ "$1" -lt "$ESC_N" ] || { [ "$2" -eq 0 ] && [ "$1" -lt $((6 * ESC_N)) ]; }; }
	C=$(cd $R/.. && pwd)/canary
	mkdir -p $C/dir && echo hostonly-canary >$C/secret && echo hostonly-content >$C/dir/hostonly-secret
	chown -R 4321:4321 $C && chmod 600 $C/secret $C/dir/hostonly-secret && chmod 700 $C/dir
	esc_canary_ok() {
		_got=$(stat -c "%a %u:%g" $C/secret $C/dir $C/dir/hostonly-secret | tr "\n" " ")
		[ "$_got" = "600 4321:4321 700 4321:4321 600 4321:4321 " ] ||
			die "the host canary changed: $_got (was 600 4321:4321 700 4321:4321 600 4321:4321)"
		[ "$(cat $C/secret)" = hostonly-canary ] || die "the host canary file now holds: $(cat $C/secret)"
		[ "$(ls $C/dir)" = hostonly-secret ] || die "the host canary dir now holds: $(ls $C/dir)"
	}
'

esc_need() {
	ct_need
	[ -x "$SWAPPER" ] || t_fail "$SWAPPER is not built (make tests/containers/swapper)"
}

# ---- finding 1, without a race ------------------------------------------------------------

cp_tar_dir_over_symlink() {
	esc_need
	ct_host "$ESC_LIB"'
		H=$R/../host; mkdir -p $H/src/tmp && chmod 1777 $H/src/tmp && echo hi >$H/src/tmp/x
		mr run -d --name evil busybox sleep 300 >/dev/null || die run
		mr exec evil sh -c "mkdir -p /app && ln -s $C/secret /app/tmp" || die "plant the link"
		out=$(tar -C $H/src -cf - ./tmp/ | mr cp - evil:/app 2>&1) &&
			die "a tar dir entry was extracted over a symlink: $out"
		esc_canary_ok
		echo "$out" | grep -q "cannot overwrite non-directory .tmp. with directory" ||
			die "the error does not say why: $out"
		[ "$(mr exec evil readlink /app/tmp)" = $C/secret ] || die "the link was replaced"
		mr rm -f evil >/dev/null
		ct_noleaks
	'
}
t "cp: a tar dir entry over a planted symlink does not chmod the host file (CVE-2018-15664 class)" cp_tar_dir_over_symlink

# ---- finding 1, the race ------------------------------------------------------------------

cp_race_into() {
	esc_need
	ct_host "$ESC_LIB"'
		H=$R/../host; mkdir -p $H/bigsrc
		i=0; while [ $i -lt 300 ]; do echo f >$H/bigsrc/f$i; i=$((i + 1)); done
		chmod 757 $H/bigsrc
		dd if=/dev/zero of=$H/bigfile bs=64k count=16 2>/dev/null && chmod 747 $H/bigfile
		# /t/bigsrc (made by cp) and /t/link -> the canary trade places all the time; the
		# file /t/bigfile is swapped for a link to the canary as soon as cp makes it
		mr run -d --name evil -v $SWDIR:/sw:ro busybox sh -c \
			"mkdir /t && ln -s $C/secret /t/link && ln -s $C/secret /t/link2 &&
			 { /sw/swapper -k /t/bigfile /t/link2 $C/secret & } &&
			 exec /sw/swapper /t/bigsrc /t/link" >/dev/null ||
			die run
		i=0; ok=0
		while esc_more $i $ok; do
			mr cp $H/bigsrc evil:/t/ 2>/dev/null && ok=$((ok + 1))
			tar -C $H -cf - bigsrc | mr cp - evil:/t 2>/dev/null && ok=$((ok + 1))
			mr cp $H/bigfile evil:/t/ 2>/dev/null && ok=$((ok + 1))
			i=$((i + 1))
		done
		echo "$ok of $((3 * i)) copies went through"
		esc_canary_ok
		[ $ok -gt 0 ] || die "no copy went through: the race was never run"
		mr rm -f evil >/dev/null
		ct_noleaks
	'
}
t "cp into a container that swaps the new directory or file for a symlink: the host file keeps its mode (CVE-2018-15664 class)" cp_race_into

cp_race_out() {
	esc_need
	ct_host "$ESC_LIB"'
		H=$R/../host; mkdir -p $H
		# /t/d (a dir with a file named as the canary dir'"'"'s) and /t/link -> the canary dir
		mr run -d --name evil -v $SWDIR:/sw:ro busybox sh -c \
			"mkdir -p /t/d && echo inside-content >/t/d/hostonly-secret &&
			 ln -s $C/dir /t/link && exec /sw/swapper /t/d /t/link" >/dev/null || die run
		i=0; ok=0
		while esc_more $i $ok; do
			mr cp evil:/t - >$H/out.tar 2>/dev/null && ok=$((ok + 1))
			grep -q hostonly-c $H/out.tar && die "the tar of /t holds the host file"
			mr cp evil:/t $H/out$i 2>/dev/null && ok=$((ok + 1))
			grep -rq hostonly-c $H/out$i 2>/dev/null && die "the copy of /t holds the host file"
			i=$((i + 1))
		done
		echo "$ok of $((2 * i)) copies went through"
		esc_canary_ok
		[ $ok -gt 0 ] || die "no copy went through: the race was never run"
		mr rm -f evil >/dev/null
		ct_noleaks
	'
}
t "cp out of (and tar of) a container that swaps a directory and a symlink: no host file comes along" cp_race_out

# ---- finding 2: commit --pause=false ------------------------------------------------------

commit_race() {
	esc_need
	ct_host "$ESC_LIB"'
		# 300 files before /w/zz: the walk stats zz, writes them, then opens zz; meanwhile
		# zz and /w/link -> the canary trade places. zz mirrors the canary (the same names
		# and sizes), so that a walk by path through the link goes on without an error and
		# takes whatever each open finds: the host'"'"'s files, one time in two.
		mr run -d --name evil -v $SWDIR:/sw:ro busybox sh -c \
			"mkdir -p /w/zz/dir && cd /w && i=0 && while [ \$i -lt 300 ]; do echo a >a\$i; i=\$((i + 1)); done &&
			 echo inside-canary-- >zz/secret && echo inside-content-- >zz/dir/hostonly-secret &&
			 ln -s $C /w/link && exec /sw/swapper /w/zz /w/link" >/dev/null || die run
		i=0
		while [ $i -lt 100 ] && ! mr exec evil sh -c "ls /w | grep -qx link"; do i=$((i + 1)); sleep 0.1; done
		i=0; ok=0
		while esc_more $i $ok; do
			mr commit --pause=false evil esc:$i >/dev/null 2>&1 && ok=$((ok + 1))
			i=$((i + 1))
		done
		echo "$ok of $i commits went through"
		esc_canary_ok
		leak=$(find $R \( -path $R/containers -o -path $R/run/containers \) -prune -o -type f -exec grep -lF hostonly-c {} +)
		[ -z "$leak" ] || die "a committed image holds the host file: $leak"
		[ $ok -gt 0 ] || die "no commit went through: the race was never run"
		mr rm -f evil >/dev/null
		ct_noleaks
	'
}
t "commit --pause=false of a container that swaps a directory and a symlink: the image holds no host file" commit_race

# ---- diff --------------------------------------------------------------------------------

diff_lowers_symlink() {
	esc_need
	ct_host "$ESC_LIB"'
		# an image whose /opt is a link to the canary dir; a container makes /opt a real
		# directory holding a file of the canary dir'"'"'s name: added, whatever the host has
		mr run --name base busybox sh -c "ln -s $C/dir /opt" || die "run base"
		mr commit base linked >/dev/null || die "commit base"
		mr run --name evil linked sh -c "rm /opt && mkdir /opt && echo x >/opt/hostonly-secret" ||
			die "run evil"
		out=$(mr diff evil) || die "diff: $out"
		echo "$out" | grep -qx "A /opt/hostonly-secret" ||
			die "diff looked through the image'"'"'s link at the host: $out"
		esc_canary_ok
		mr rm base evil >/dev/null && mr rmi linked >/dev/null
		ct_noleaks
	'
}
t "diff: a symlink in the image does not lead diff's lookups to the host's files" diff_lowers_symlink

# ---- volume populate ----------------------------------------------------------------------

populate_race() {
	esc_need
	ct_host "$ESC_LIB"'
		# an image with /seed/sub/f0..f49 (0757); a container sharing the volume escvol swaps
		# the sub it sees appear with a link to the canary while populate copies into it
		mr run --name seedsrc busybox sh -c "mkdir -p /seed/sub && chmod 757 /seed/sub &&
			i=0; while [ \$i -lt 50 ]; do echo s >/seed/sub/f\$i; i=\$((i + 1)); done" ||
			die "make the seed"
		mr commit seedsrc seed >/dev/null || die "commit the seed"
		mr rm seedsrc >/dev/null
		mr volume create escvol >/dev/null || die "volume create"
		mr run -d --name evil -v escvol:/data -v $SWDIR:/sw:ro busybox \
			/sw/swapper /data/sub /data/link $C/secret >/dev/null || die run
		V=$R/volumes/escvol/_data
		i=0; ok=0; swapped=0
		while esc_more $i $((ok > 0 ? swapped : 0)); do
			rm -rf $V/* 2>/dev/null; rm -rf $V/*
			mr create --name pop -v escvol:/seed seed true >/dev/null 2>&1 && ok=$((ok + 1))
			[ -d $V/link ] && [ ! -L $V/link ] && swapped=$((swapped + 1))
			mr rm pop >/dev/null 2>&1
			i=$((i + 1))
		done
		echo "$ok of $i populates went through, $swapped with sub swapped for the link"
		esc_canary_ok
		[ $ok -gt 0 ] && [ $swapped -gt 0 ] || die "the race was never run"
		mr rm -f evil >/dev/null
		mr rmi seed >/dev/null
		mr volume rm escvol >/dev/null || die "volume rm"
		ct_noleaks
	'
}
t "volume populate while a container sharing the volume swaps a directory and a symlink: the host file keeps its mode" populate_race

t_end

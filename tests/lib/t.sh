# tests/lib/t.sh - the tiny test framework of the integration suites (POSIX sh).
#
# A suite is a file tests/integration/DIR/NAME.t, run by tests/run-suites with sh (bash on
# the host, busybox ash in the VM, so keep to POSIX sh). It sources this file, defines one
# function per behaviour and runs each with `t`, naming the behaviour it proves:
#
#	. "$MR_TOP/tests/lib/t.sh"
#	hostname_inside() {
#		out=$("$MR_TOP/ns/uts" -n box -- hostname) || t_fail "ns/uts exited $?"
#		t_eq "$out" box
#	}
#	t "ns/uts -n box -- hostname prints box" hostname_inside
#	t_end
#
# Each test runs in a subshell with its output captured; it passes when it returns 0,
# fails on t_fail (or a non-zero return), and skips on t_skip "what the machine lacks".
# t_defer CMD registers cleanup that runs when the test ends, however it ends (last first).
# The runner prints one result line per test ("ok - SUITE: NAME", "not ok - ...",
# "ok - ... # SKIP why") and, for a failure, the test's captured output indented (its last
# 40 lines, after the line of the assertion that failed).
# MR_TEST_TIMES=1 adds a line "#   N.NN s" after each result: how long the test took, for
# finding where a suite spends its time (tests/vm/run passes it into the VM).

: "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}"
T_SUITE=${T_SUITE:-$(basename "$(dirname "$0")")/$(basename "$0" .t)}
# one temp dir per suite, even if a helper file sources this file again; removed when the
# suite's shell exits, however it exits (t_end also removes it)
if [ -z "${T_TMP:-}" ]; then
	T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/mr-test.XXXXXX")
	T_FAILED=0
	trap 'rm -rf "$T_TMP"' EXIT
fi

# t NAME FUNCTION - run FUNCTION as the test called NAME, print its result line
t() {
	_name=$1 _fn=$2
	[ -n "${MR_TEST_TIMES:-}" ] && _t0=$(cut -d' ' -f1 /proc/uptime)
	(
		T_DEFERRED=""
		trap '_t_run_deferred' EXIT
		T_DIR=$(mktemp -d "$T_TMP/t.XXXXXX")
		# exported: a test's namespace shells (ct_host, nt_host) write there too; unset in
		# them, "$T_DIR/list" was /list
		export T_DIR
		cd "$T_DIR" || exit 1
		"$_fn"
	) >"$T_TMP/log" 2>&1
	_rc=$?
	case $_rc in
	0) echo "ok - $T_SUITE: $_name" ;;
	77) echo "ok - $T_SUITE: $_name # SKIP $(tail -n 1 "$T_TMP/log")" ;;
	*)
		echo "not ok - $T_SUITE: $_name"
		# the failed assertion first (t_fail's line, cut to 300 characters): it comes
		# before the output it quotes, so a long output's last 40 lines would leave it out
		[ "$(wc -l <"$T_TMP/log")" -gt 40 ] &&
			grep -m 1 '^FAIL: ' "$T_TMP/log" | cut -c 1-300 | sed 's/^/    # /'
		sed 's/^/    # /' "$T_TMP/log" | tail -n 40
		T_FAILED=$((T_FAILED + 1))
		;;
	esac
	[ -n "${MR_TEST_TIMES:-}" ] &&
		awk -v a="$_t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "#   %.2f s\n", b - a }'
	return 0
}

_t_run_deferred() {
	_rc=$?
	# run the cleanups last-registered first; a failing cleanup fails the test
	while [ -n "$T_DEFERRED" ]; do
		_cmd=${T_DEFERRED%%"$(printf '\036')"*}
		T_DEFERRED=${T_DEFERRED#*"$(printf '\036')"}
		eval "$_cmd" || { echo "cleanup failed: $_cmd"; [ "$_rc" = 0 ] && _rc=1; }
	done
	exit "$_rc"
}

# t_defer CMD - run CMD (a shell string) when the current test ends
t_defer() { T_DEFERRED="$1$(printf '\036')$T_DEFERRED"; }

# t_fail MSG - fail the current test with MSG
t_fail() { echo "FAIL: $*"; exit 1; }

# t_skip WHY - skip the current test; WHY names what this machine lacks
t_skip() { echo "$*"; exit 77; }

# t_eq ACTUAL EXPECTED [WHAT]
t_eq() { [ "$1" = "$2" ] || t_fail "${3:-value}: expected '$2', got '$1'"; }

# t_ne ACTUAL UNEXPECTED [WHAT]
t_ne() { [ "$1" != "$2" ] || t_fail "${3:-value}: expected anything but '$2'"; }

# t_match TEXT GREP-ERE [WHAT] - TEXT has a line matching the extended regex
t_match() { printf '%s\n' "$1" | grep -Eq -- "$2" || t_fail "${3:-output} does not match /$2/: $1"; }

# t_nomatch TEXT GREP-ERE [WHAT]
t_nomatch() { ! printf '%s\n' "$1" | grep -Eq -- "$2" || t_fail "${3:-output} matches /$2/: $1"; }

# t_status EXPECTED CMD... - run CMD, fail unless it exits EXPECTED; output in $T_OUT
t_status() {
	_want=$1
	shift
	T_OUT=$("$@" 2>&1)
	_got=$?
	[ "$_got" = "$_want" ] || t_fail "$* exited $_got, expected $_want; output: $T_OUT"
}

# t_need CMD... - skip unless every CMD is on the PATH
t_need() { for _c; do command -v "$_c" >/dev/null 2>&1 || t_skip "needs $_c, not installed"; done; }

# t_need_root - skip unless running as root
t_need_root() { [ "$(id -u)" = 0 ] || t_skip "needs root"; }

# t_in_vm - true inside the pure cgroup v2 test VM
t_in_vm() { [ -n "${MR_IN_VM:-}" ]; }

# t_mounts - the mount table as "MOUNTPOINT FSTYPE", for before/after leak checks
t_mounts() { awk '{ for (i = 7; $i != "-"; i++); print $5, $(i + 1) }' /proc/self/mountinfo | sort; }

# t_end - finish the suite: remove its temp dir; exit non-zero if any test failed
t_end() {
	rm -rf "$T_TMP"
	[ "$T_FAILED" = 0 ]
}

#!/bin/sh
# tests/integration/build/progress.t - `minirun build --progress`: on a terminal (a pty made
# by script(1)) the tty view draws BuildKit's redrawn screen - a running RUN with its timer
# and its last output lines, redrawn in place - and ends with the final state (FINISHED,
# every step collapsed to one line, or the failed step marked ERROR with its output);
# auto picks it on a terminal and plain lines on a pipe; plain stays plain on a terminal.
# Run: sh tests/integration/build/progress.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

need() {
	ct_need
	t_need script
	mkdir -p "$T_DIR/ctx"
	echo a >"$T_DIR/ctx/a"
	cat >"$T_DIR/ctx/Dockerfile" <<'XEOF'
FROM busybox
COPY a /a
RUN echo first; sleep 0.6; echo second; sleep 0.6
XEOF
	export C="$T_DIR/ctx"
}

# inside ct_host: on_tty FILE ARGS - `minirun build ARGS` on a pty (script), all it drew to
# FILE; its status is the build's
on_tty='
	on_tty() {
		_f=$1
		shift
		script -qefc "$MINIRUN --root $R build $*" "$_f" </dev/null >/dev/null
	}
	# last_frame FILE - what the last draw put on the screen (escapes taken out)
	last_frame() {
		sed "s/\x1b\[[0-9]*[AKJ]//g; s/\r//g" "$1" | awk "/^\[\+\] Building/ { f = \"\" } { f = f \$0 \"\n\" } END { printf \"%s\", f }"
	}
'

tty_view() {
	need
	ct_host "$on_tty"'
		on_tty "$R.ts" --progress tty --no-cache -t p "$C" || die "build on a tty exited $?: $(cat -v "$R.ts")"
		grep -q "\[+\] Building" "$R.ts" || die "no view: $(cat -v "$R.ts")"
		# redrawn in place: the cursor moved up over the last draw
		grep -q "$(printf "\033")\[[0-9]*A" "$R.ts" || die "never redrawn: $(cat -v "$R.ts")"
		# while RUN ran: its timer, and its output as the view shows it
		grep -q " => => # first" "$R.ts" || die "RUN output not shown: $(cat -v "$R.ts")"
		grep -Eq " => \[3/3\] RUN echo first.* 0\.[0-9]s" "$R.ts" || die "no running timer"
		f=$(last_frame "$R.ts")
		echo "$f" | head -1 | grep -Eq "^\[\+\] Building [0-9.]+s \(6/6\) FINISHED$" ||
			die "final header: $f"
		# its time: the two sleeps (1.2 s) and more on a loaded machine, never less
		echo "$f" | grep -Eq "^ => \[3/3\] RUN echo first; sleep 0.6; echo second; sleep 0.6 +[1-9][0-9]*\.[0-9]s$" ||
			die "final RUN line: $f"
		echo "$f" | grep -q "=> => #" && die "the final state still shows output: $f"
		echo "$f" | grep -Eq "^ => exporting to image +[0-9.]+s$" || die "export line: $f"
		[ "$(mr image inspect -f "{{.Config.Cmd}}" p)" = "[sh]" ] || die "no image p"
		# cached: the steps say so
		on_tty "$R.ts2" --progress tty -t p "$C" || die "rebuild on a tty"
		last_frame "$R.ts2" | grep -q "^ => CACHED \[3/3\] RUN" || die "CACHED: $(last_frame "$R.ts2")"
		ct_noleaks
	'
}
t "--progress tty: redrawn steps, RUN's timer and output, collapsed in the final state" tty_view

auto_and_plain() {
	need
	ct_host "$on_tty"'
		on_tty "$R.auto" -t p "$C" || die "auto on a tty"
		grep -q "\[+\] Building" "$R.auto" || die "auto on a tty is not the view: $(cat -v "$R.auto")"
		on_tty "$R.plain" --progress plain -t p "$C" || die "plain on a tty"
		grep -q "\[+\] Building" "$R.plain" && die "plain on a tty drew the view"
		grep -q "^#3 \[1/3\] FROM busybox" "$R.plain" || die "plain: $(cat -v "$R.plain")"
		TERM=dumb on_tty "$R.dumb" -t p "$C" || die "TERM=dumb"
		grep -q "\[+\] Building" "$R.dumb" && die "TERM=dumb drew the view"
		out=$(mr build --no-cache -t p "$C" 2>&1 | cat)
		echo "$out" | grep -q "^#5 [0-9.]* second$" || die "auto on a pipe: $out"
		echo "$out" | grep -q "$(printf "\033")" && die "escapes on a pipe: $out"
		ct_noleaks
	'
	t_status 125 mr build --progress tty "$C"
	t_match "$T_OUT" "^minirun: build: --progress tty: stderr is not a terminal"
	t_status 125 mr build --progress fancy "$C"
	t_match "$T_OUT" "^minirun: build: --progress takes auto, plain or tty$"
}
t "--progress auto: the view on a terminal, plain on a pipe; plain and TERM=dumb stay plain" auto_and_plain

tty_error() {
	need
	printf 'FROM busybox\nRUN echo oops; false\n' >"$C/Dockerfile"
	ct_host "$on_tty"'
		on_tty "$R.ts" --progress tty "$C" && die "a failing RUN built"
		f=$(last_frame "$R.ts")
		echo "$f" | head -1 | grep -Eq "^\[\+\] Building [0-9.]+s \([0-9]+/[0-9]+\) ERROR$" || die "header: $f"
		echo "$f" | grep -Eq "^ => ERROR \[2/2\] RUN echo oops; false +[0-9.]+s$" || die "step: $f"
		echo "$f" | grep -q "^ => => # oops$" || die "its output: $f"
		echo "$f" | grep -q "^minirun: process \"/bin/sh -c echo oops; false\" did not complete successfully: exit code: 1$" ||
			die "the error after the view: $f"
		ct_noleaks
	'
}
t "--progress tty: a failing RUN ends marked ERROR with its output, the error line after" tty_error

t_end

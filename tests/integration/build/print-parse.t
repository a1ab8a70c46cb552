# tests/integration/build/print-parse.t - `minirun build --print-parse FILE`: the parse of
# a Dockerfile in BuildKit's notation on stdout, one line per instruction (from a file and
# from stdin); a file the parser refuses is one line with FILE:LINE and docker's words and
# a non-zero exit; an empty continuation line warns on stderr.
. "$MR_TOP/tests/lib/t.sh"

MINIRUN=${MINIRUN:-$MR_TOP/minirun/minirun}

need() { [ -x "$MINIRUN" ] || t_fail "$MINIRUN is not built (make minirun)"; }

prints_the_parse() {
	need
	cat >Dockerfile <<'XEOF'
# syntax=docker/dockerfile:1
FROM busybox AS base
ENV GOPATH /go
ENV A=1 B="x y"
RUN echo hi && \
    echo there
HEALTHCHECK --interval=5s --timeout=3s CMD /check --quiet
COPY --chown=1:1 ["a b", "/c"]
ONBUILD RUN make
CMD [oops
RUN <<EOF
echo from a heredoc
EOF
XEOF
	out=$("$MINIRUN" build --print-parse Dockerfile) || t_fail "exit $?: $out"
	t_eq "$out" '(from "busybox" "AS" "base")
(env "GOPATH" "/go" "")
(env "A" "1" "=" "B" "\"x y\"" "=")
(run "echo hi &&     echo there")
(healthcheck ["--interval=5s" "--timeout=3s"] "CMD" "/check --quiet")
(copy ["--chown=1:1"] "a b" "/c")
(onbuild (run "make"))
(cmd "[oops")
(run "<<EOF")'
}

reads_stdin() {
	need
	out=$(printf 'FROM a\nUSER app\n' | "$MINIRUN" build --print-parse -) || t_fail "exit $?"
	t_eq "$out" '(from "a")
(user "app")'
}

refused_with_file_and_line() {
	need
	printf 'FROM a\n\nENV foo\n' >Dockerfile
	out=$("$MINIRUN" build --print-parse Dockerfile 2>&1) && t_fail "exit 0: $out"
	t_eq "$out" "minirun: Dockerfile:3: ENV must have two arguments"
	printf '# nothing here\n' >Empty
	out=$("$MINIRUN" build --print-parse Empty 2>&1) && t_fail "exit 0: $out"
	t_eq "$out" "minirun: Empty:1: file with no instructions"
	out=$("$MINIRUN" build --print-parse missing 2>&1) && t_fail "exit 0: $out"
	t_match "$out" "^minirun: .*missing.*No such file or directory$"
}

warns_on_empty_continuation() {
	need
	printf 'FROM a\nRUN a \\\n\n  b\n' >Dockerfile
	out=$("$MINIRUN" build --print-parse Dockerfile 2>err) || t_fail "exit $?"
	t_eq "$out" '(from "a")
(run "a   b")'
	t_eq "$(cat err)" "[WARNING]: Empty continuation line found in: RUN a   b"
}

t "the parse in BuildKit's notation, one line an instruction" prints_the_parse
t "--print-parse - reads the Dockerfile from stdin" reads_stdin
t "a refused file: FILE:LINE and docker's words, non-zero" refused_with_file_and_line
t "an empty continuation line warns on stderr" warns_on_empty_continuation
t_end

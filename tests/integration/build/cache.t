#!/bin/sh
# tests/integration/build/cache.t - the build cache behaves as docker documents it
# (https://docs.docker.com/build/cache/invalidation/): an unchanged rebuild is all CACHED, a
# `touch` changes nothing, a copied file's content, mode or owner rebuilds from its COPY on
# (the steps before it stay CACHED), and a --build-arg change rebuilds from the ARG's first
# use, not from its declaration. build.t has the first cases on one Dockerfile; this suite
# checks, step by step, which steps are CACHED and which run.
# Run: sh tests/integration/build/cache.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

# the context: a Dockerfile of five steps after FROM, two copied files
context() {
	mkdir -p "$T_DIR/ctx"
	echo a >"$T_DIR/ctx/a.txt"
	echo b >"$T_DIR/ctx/b.txt"
	cat >"$T_DIR/ctx/Dockerfile" <<'XEOF'
FROM busybox
COPY a.txt /a.txt
RUN echo first-run > /first
ARG V=1
COPY b.txt /b.txt
RUN echo "v=$V" > /v
RUN echo last > /last
XEOF
	export C="$T_DIR/ctx"
}

# steps: which of the build's steps were CACHED, from its progress in $R.out, as
# "2:C 3:C 4:R ..." (the step's number in [N/6], C cached, R run)
STEPS='steps() {
	awk "/^#[0-9]+ \\[[0-9]+\\/[0-9]+\\] (COPY|RUN)/ { split(\$2, a, \"/\"); v[\$1] = substr(a[1], 2) }
		/^#[0-9]+ CACHED\$/ { if (\$1 in v) { printf \"%s:C \", v[\$1]; delete v[\$1] } }
		/^#[0-9]+ DONE/ { if (\$1 in v) { printf \"%s:R \", v[\$1]; delete v[\$1] } }" "$R.out"
}'

files_change() {
	ct_need
	context
	ct_host "$STEPS"'
		b() { mr build -t c "$C" >/dev/null 2>"$R.out" || die "build: $(cat "$R.out")"; }
		b
		[ "$(steps)" = "2:R 3:R 4:R 5:R 6:R " ] || die "first build: $(steps)"
		b
		[ "$(steps)" = "2:C 3:C 4:C 5:C 6:C " ] || die "unchanged: $(steps)"
		touch -d 2001-01-01 "$C/a.txt" "$C/b.txt"
		b
		[ "$(steps)" = "2:C 3:C 4:C 5:C 6:C " ] || die "touched: $(steps)"
		chmod 600 "$C/b.txt"
		b
		[ "$(steps)" = "2:C 3:C 4:R 5:R 6:R " ] || die "mode of b.txt: $(steps)"
		[ "$(mr run --rm c stat -c %a /b.txt)" = 600 ] || die "the new mode is not in"
		chmod 644 "$C/b.txt"
		b
		[ "$(steps)" = "2:C 3:C 4:C 5:C 6:C " ] || die "the mode back: the old layers are still cached: $(steps)"
		chown 1234:1234 "$C/a.txt"
		b
		[ "$(steps)" = "2:R 3:R 4:R 5:R 6:R " ] || die "owner of a.txt: $(steps)"
		[ "$(mr run --rm c stat -c %u:%g /a.txt)" = 0:0 ] || die "COPY without --chown makes root files"
		echo changed >"$C/b.txt"
		b
		[ "$(steps)" = "2:C 3:C 4:R 5:R 6:R " ] || die "content of b.txt: $(steps)"
		[ "$(mr run --rm c cat /b.txt)" = changed ] || die "the new content is not in"
		ct_noleaks
	'
}
t "a copied file: touch is CACHED; mode, owner, content rebuild from its COPY on" files_change

build_arg_first_use() {
	ct_need
	context
	ct_host "$STEPS"'
		b() { mr build -t c "$@" "$C" >/dev/null 2>"$R.out" || die "build: $(cat "$R.out")"; }
		b
		b --build-arg V=2
		[ "$(steps)" = "2:C 3:C 4:C 5:R 6:R " ] ||
			die "--build-arg V=2: the COPY after ARG V uses no V (CACHED), the RUN after it does: $(steps)"
		[ "$(mr run --rm c cat /v)" = v=2 ] || die "V did not reach the RUN"
		b --build-arg V=2
		[ "$(steps)" = "2:C 3:C 4:C 5:C 6:C " ] || die "the same value again: $(steps)"
		b
		[ "$(steps)" = "2:C 3:C 4:C 5:C 6:C " ] || die "back to the default: its layers are cached: $(steps)"
		[ "$(mr run --rm c cat /v)" = v=1 ] || die "the default is back"
		ct_noleaks
	'
}
t "a --build-arg change rebuilds from the ARG's first use (the next RUN), not its declaration" build_arg_first_use
t_end

#!/bin/sh
# tests/integration/build/flags.t - the rest of `minirun build`'s synopsis: --platform (this
# machine's accepted, on the command line and in FROM --platform=$BUILDPLATFORM; any other
# refused in one line naming both), --output's buildx forms (DIR, -, type=tar,dest=-), bad
# --output specs refused before anything is built, and --network bridge for RUN.
# Run: sh tests/integration/build/flags.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

# the host's platform as image configs spell it
host_platform() {
	case $(uname -m) in
	x86_64) echo linux/amd64 ;;
	aarch64) echo linux/arm64 ;;
	*) t_skip "a platform table for $(uname -m)" ;;
	esac
}

other_platform() { [ "$(host_platform)" = linux/amd64 ] && echo linux/arm64 || echo linux/amd64; }

ctx() {
	mkdir -p "$T_DIR/ctx"
	echo a >"$T_DIR/ctx/a"
	printf '%s\nCOPY a /a\n' "$1" >"$T_DIR/ctx/Dockerfile"
	export C="$T_DIR/ctx"
}

platform() {
	ct_need
	me=$(host_platform)
	other=$(other_platform)
	ctx 'FROM --platform=$BUILDPLATFORM busybox'
	mr build -q --platform "$me" -t p "$C" >/dev/null 2>"$T_DIR/err" ||
		t_fail "--platform $me: $(cat "$T_DIR/err")"
	ctx "FROM --platform=$me busybox"
	mr build -q -t p "$C" >/dev/null 2>"$T_DIR/err" || t_fail "FROM --platform=$me: $(cat "$T_DIR/err")"
	t_status 125 mr build --platform "$other" "$C"
	t_eq "$T_OUT" "minirun: build: --platform $other: this machine builds for $me only (RUN runs natively here, without emulation)
See 'minirun build --help'." "--platform $other"
	t_status 125 mr build --platform "$me,$other" "$C"
	t_match "$T_OUT" "one platform only"
	t_status 125 mr build --platform amd64 "$C"
	t_match "$T_OUT" "^minirun: build: --platform amd64: expected OS/ARCH\[/VARIANT\], e.g. $me$"
	ctx "FROM --platform=$other busybox"
	t_status 1 mr build -q "$C"
	t_match "$T_OUT" "Dockerfile:1: FROM --platform=$other: $other: this machine builds for $me only"
}
t "--platform: this machine's is accepted (flag and FROM), another refused naming both" platform

output_forms() {
	ct_need
	ctx "FROM busybox"
	mr build -q -o "$T_DIR/dir" "$C" >/dev/null 2>"$T_DIR/err" || t_fail "-o DIR: $(cat "$T_DIR/err")"
	t_eq "$(cat "$T_DIR/dir/a")" a "-o DIR"
	mr build -q -o - "$C" 2>"$T_DIR/err" >"$T_DIR/a.tar" || t_fail "-o -: $(cat "$T_DIR/err")"
	t_match "$(tar -tf "$T_DIR/a.tar")" '^(\./)?a$' "-o -: the tar's entries"
	mr build -q --output type=tar,dest=- "$C" 2>/dev/null | tar -xOf - a >"$T_DIR/got" ||
		t_fail "type=tar,dest=-"
	t_eq "$(cat "$T_DIR/got")" a "type=tar,dest=-: the file"
	t_eq "$(mr images -q | sort -u | wc -l | tr -d ' ')" 1 "images after --output builds"
	for bad in type=oci,dest=x type=local,dest=- "type=local,dest=x,compression=gzip" type=tar; do
		t_status 125 mr build -o "$bad" "$C"
		t_match "$T_OUT" "^minirun: build: --output $bad: "
	done
	[ -e x ] && t_fail "a refused --output made x"
	return 0
}
t "--output: -o DIR, -o -, type=tar,dest=- (stdout); bad specs refused up front" output_forms

network_bridge() {
	ct_need
	mkdir -p "$T_DIR/ctx"
	printf 'FROM busybox\nRUN grep -o eth0 /proc/net/dev | head -1 >/net; true\n' >"$T_DIR/ctx/Dockerfile"
	export C="$T_DIR/ctx"
	ct_host '
		mr build -q -o "$R.none" "$C" >/dev/null 2>&1 || die "--network none (the default)"
		[ -s "$R.none/net" ] && die "the default network has an eth0"
		mr build -q --network bridge -o "$R.br" "$C" >/dev/null 2>"$R.err" ||
			die "--network bridge: $(cat "$R.err")"
		[ "$(cat "$R.br/net")" = eth0 ] || die "--network bridge: no eth0 in RUN"
		mr build --network bridge -o "$R.br2" "$C" 2>"$R.err" >/dev/null || die "rebuild"
		grep -q "CACHED" "$R.err" || die "the same network: not cached: $(cat "$R.err")"
		ct_noleaks
	'
	t_status 125 mr build --network container:x "$C"
	t_match "$T_OUT" "^minirun: build: --network takes none, host or bridge$"
}
t "--network bridge: RUN on the default bridge (eth0); none by default; others refused" network_bridge

t_end

#!/bin/sh
# tests/integration/build/add_url.t - ADD of an http(s) URL, against a server the test starts
# on 127.0.0.1 inside its own network namespace (busybox httpd; openssl s_server
# with a certificate made here for https): the file lands with docker's rules (its name from
# the URL when DEST ends in /, mode 0600, mtime from Last-Modified, a tar not unpacked),
# --checksum is checked, the cache follows the content, and a failure names the URL and
# the status.
# Run: sh tests/integration/build/add_url.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

# the served files in $T_DIR/srv, an empty context in $T_DIR/ctx
served() {
	[ -n "$BB" ] || t_skip "needs busybox (busybox-static) for its httpd"
	mkdir -p "$T_DIR/srv" "$T_DIR/ctx"
	echo hello >"$T_DIR/srv/hello.txt"
	touch -d "2020-01-02 03:04:05Z" "$T_DIR/srv/hello.txt"
	(cd "$T_DIR/srv" && tar -cf t.tar hello.txt) || t_fail "tar"
	export S="$T_DIR/srv" C="$T_DIR/ctx"
}

# inside ct_host: busybox httpd on 127.0.0.1:8000 of the test's namespace, serving $S
serve='
	"$BB" httpd -f -p 127.0.0.1:8000 -h "$S" >"$R.http" 2>&1 &
	srv=$!
	i=0
	until grep -qi ":1F40 00000000:0000 0A" /proc/net/tcp; do
		i=$((i + 1)); [ $i -lt 200 ] || die "the http server never listened"; sleep 0.05
	done
'

add_url_rules() {
	ct_need
	served
	cat >"$C/Dockerfile" <<'XEOF'
FROM busybox
ADD http://127.0.0.1:8000/hello.txt /d/
ADD http://127.0.0.1:8000/t.tar /d/
ADD http://127.0.0.1:8000/hello.txt /renamed
ADD --chown=1:2 --chmod=644 http://127.0.0.1:8000/hello.txt /owned
XEOF
	ct_host "$serve"'
		mr build -t u "$C" 2>"$R.out" || die "build exited $?: $(cat "$R.out")"
		grep -q "^#[0-9]* \[2/5\] ADD http://127.0.0.1:8000/hello.txt /d/$" "$R.out" ||
			die "progress: $(cat "$R.out")"
		mr build --output type=local,dest="$R.fs" "$C" 2>/dev/null || die "--output"
		st() { stat -c "%a %u:%g %s %Y" "$R.fs$1"; }
		[ "$(st /d/hello.txt)" = "600 0:0 6 1577934245" ] || die "/d/hello.txt: $(st /d/hello.txt)"
		[ "$(st /renamed)" = "600 0:0 6 1577934245" ] || die "/renamed: $(st /renamed)"
		[ "$(st /owned)" = "644 1:2 6 1577934245" ] || die "/owned: $(st /owned)"
		[ -f "$R.fs/d/t.tar" ] || die "the tar was unpacked (or lost): $(ls "$R.fs/d")"
		cmp -s "$R.fs/d/t.tar" "$S/t.tar" || die "the tar is not the served one"
		[ -e "$R.fs/d/hello.txt" ] && [ ! -e "$R.fs/hello.txt" ] || die "the tar was unpacked"
		# cached while the content stays; the changed file and the steps after it rebuild
		mr build -t u "$C" 2>"$R.out" || die "rebuild"
		[ "$(grep -c "^#[0-9]* CACHED$" "$R.out")" = 4 ] || die "unchanged: $(cat "$R.out")"
		touch "$S/hello.txt"
		mr build -t u "$C" 2>"$R.out" || die "rebuild after touch"
		[ "$(grep -c "^#[0-9]* CACHED$" "$R.out")" = 4 ] || die "a new mtime is no change: $(cat "$R.out")"
		echo changed >"$S/t.tar"
		mr build -t u "$C" 2>"$R.out" || die "rebuild after a change"
		[ "$(grep -c "^#[0-9]* CACHED$" "$R.out")" = 1 ] || die "changed content: $(cat "$R.out")"
		ls "$R/images/.tmp" 2>/dev/null | grep -q . && die "temp files left: $(ls "$R/images/.tmp")"
		kill $srv; wait $srv 2>/dev/null
		ct_noleaks
	'
}
t "ADD URL: name from the URL, 0600, Last-Modified, no unpacking; cache by content" add_url_rules

add_url_failures() {
	ct_need
	served
	sum=$(sha256sum "$S/t.tar" | cut -d" " -f1)
	export sum
	ct_host "$serve"'
		printf "FROM busybox\nADD http://127.0.0.1:8000/nope /x\n" >"$C/Dockerfile"
		mr build "$C" >"$R.out" 2>&1 && die "a 404 built"
		grep -q "^minirun: .*Dockerfile:2: GET http://127.0.0.1:8000/nope: invalid response status 404 Not Found" "$R.out" ||
			die "404: $(cat "$R.out")"
		printf "FROM busybox\nADD http://127.0.0.1:1/x /x\n" >"$C/Dockerfile"
		mr build -q "$C" >"$R.out" 2>&1 && die "a refused connection built"
		grep -q "GET http://127.0.0.1:1/x: .*onnect" "$R.out" || die "no server: $(cat "$R.out")"
		printf "FROM busybox\nADD --checksum=sha256:%064d http://127.0.0.1:8000/t.tar /x\n" 0 >"$C/Dockerfile"
		mr build -q "$C" >"$R.out" 2>&1 && die "a wrong --checksum built"
		grep -q "checksum mismatch: --checksum=sha256:0000.*, the download is sha256:$sum" "$R.out" ||
			die "checksum: $(cat "$R.out")"
		printf "FROM busybox\nADD --checksum=sha256:$sum http://127.0.0.1:8000/t.tar /x\n" >"$C/Dockerfile"
		mr build -q "$C" >/dev/null 2>"$R.out" || die "the right --checksum: $(cat "$R.out")"
		echo f >"$C/f"
		printf "FROM busybox\nADD --checksum=sha256:$sum f /x\n" >"$C/Dockerfile"
		mr build -q "$C" >"$R.out" 2>&1 && die "--checksum of a local file built"
		grep -q "checksum can.t be specified for non-HTTP(S) sources" "$R.out" || die "local: $(cat "$R.out")"
		printf "FROM busybox\nCOPY http://127.0.0.1:8000/t.tar /x\n" >"$C/Dockerfile"
		mr build -q "$C" >"$R.out" 2>&1 && die "COPY of a URL built"
		grep -q "source can.t be a URL for COPY" "$R.out" || die "COPY URL: $(cat "$R.out")"
		ls "$R/images/.tmp" 2>/dev/null | grep -q . && die "temp files left: $(ls "$R/images/.tmp")"
		kill $srv; wait $srv 2>/dev/null
		ct_noleaks
	'
}
t "ADD URL: a 404, no server, a wrong --checksum each name the URL; COPY refuses URLs" add_url_failures

add_https() {
	ct_need
	served
	t_need openssl
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$S/k.pem" -out "$T_DIR/ca.pem" -days 1 \
		-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1 ||
		t_fail "openssl req could not make a certificate"
	export CA="$T_DIR/ca.pem"
	ct_host '
		(cd "$S" && exec openssl s_server -quiet -accept 127.0.0.1:8443 -cert "$CA" -key k.pem -WWW \
			>"$R.tls" 2>&1) &
		srv=$!
		i=0
		until grep -qi ":20FB 00000000:0000 0A" /proc/net/tcp; do
			i=$((i + 1)); [ $i -lt 100 ] || die "openssl s_server never listened"; sleep 0.05
		done
		printf "FROM busybox\nADD https://127.0.0.1:8443/hello.txt /x\n" >"$C/Dockerfile"
		mr build -q "$C" >"$R.out" 2>&1 && die "an unknown CA was trusted"
		grep -q "GET https://127.0.0.1:8443/hello.txt: .*certificate" "$R.out" || die "TLS: $(cat "$R.out")"
		SSL_CERT_FILE=$CA mr build --output type=local,dest="$R.fs" "$C" 2>"$R.out" ||
			die "with SSL_CERT_FILE: $(cat "$R.out")"
		[ "$(cat "$R.fs/x")" = hello ] || die "the https download: $(cat "$R.fs/x")"
		kill $srv; wait $srv 2>/dev/null
		ct_noleaks
	'
}
t "ADD URL over https: verified; a self-signed CA trusted through SSL_CERT_FILE" add_https

t_end

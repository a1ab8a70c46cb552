#!/bin/sh
# tests/integration/image/fake-registry.sh - one HTTP exchange of a misbehaving registry, run
# by `busybox nc -ll -p PORT -e` for each connection (stdin: the request, stdout: the reply).
#
# $FAKE_DIR/mode says how to misbehave:
#   deny     every /v2/ request gets a Bearer challenge, and the token server refuses
#   404      manifests are unknown            500   manifests fail with a server error
#   midblob  the layer's connection closes after 1000 bytes
#   token    the bearer flow: /token wants Basic user:pass and gives "tok123"; /v2/ wants
#            that token; blobs redirect (307) to the "cdn" instance on $FAKE_CDN_PORT
#   basic    /v2/ wants Basic user:pass itself
# It serves $FAKE_DIR/srv (an OCI layout: index.json, blobs/sha256/) as repository test/img,
# tag 1, and logs "NAME METHOD PATH auth=[HEADER]" to $FAKE_DIR/log.
mode=$(cat "$FAKE_DIR/mode")
srv=$FAKE_DIR/srv
# a client trying TLS first (as docker does with insecure registries) gets the door shut:
# the first byte of a TLS handshake is 0x16, of an HTTP request a letter
first=$(dd bs=1 count=1 2>/dev/null | od -An -c | tr -d ' ')
case $first in [A-Z]) ;; *) exit 0 ;; esac
read -r method path _proto
method=$first$method
auth=""
while IFS= read -r line; do
	line=$(printf '%s' "$line" | tr -d '\r')
	[ -z "$line" ] && break
	case $line in [Aa]uthorization:*) auth=${line#*: } ;; esac
done
echo "$FAKE_NAME $method $path auth=[$auth]" >>"$FAKE_DIR/log"

# reply STATUS CONTENT-TYPE FILE [HEADER] - the whole file as the body
reply() {
	printf 'HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %s\r\nConnection: close\r\n%s\r\n' \
		"$1" "$2" "$(wc -c <"$3" | tr -d ' ')" "${4:+$4
}"
	cat "$3"
}
# text STATUS BODY [HEADER]
text() {
	printf '%s' "$2" >"$FAKE_DIR/body.$$"
	reply "$1" application/json "$FAKE_DIR/body.$$" "${3:-}"
	rm -f "$FAKE_DIR/body.$$"
}
basic="Basic $(printf user:pass | base64)"
challenge="WWW-Authenticate: Bearer realm=\"http://127.0.0.1:$FAKE_PORT/token\",service=\"fake\",scope=\"repository:test/img:pull\""
denied='{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}'

case $path in
/token*)
	if [ "$mode" = token ] && [ "$auth" = "$basic" ]; then
		text "200 OK" '{"token":"tok123"}'
	else
		text "401 Unauthorized" "$denied"
	fi
	exit 0
	;;
/cdn/*)
	reply "200 OK" application/octet-stream "$srv/blobs/sha256/${path#/cdn/}"
	exit 0
	;;
esac

case $mode in
deny) text "401 Unauthorized" "$denied" "$(printf '%s\r' "$challenge")"; exit 0 ;;
token) [ "$auth" = "Bearer tok123" ] || { text "401 Unauthorized" "$denied" "$(printf '%s\r' "$challenge")"; exit 0; } ;;
basic) [ "$auth" = "$basic" ] || { text "401 Unauthorized" "$denied" "$(printf 'WWW-Authenticate: Basic realm="fake"\r')"; exit 0; } ;;
esac

case $path in
/v2/) text "200 OK" '{}' ;; # the API's version check, which login makes
/v2/test/img/manifests/*)
	case $mode in
	404) text "404 Not Found" '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}' ;;
	500) text "500 Internal Server Error" '{"errors":[{"code":"UNKNOWN","message":"the disk is on fire"}]}' ;;
	*)
		m=$(sed 's/.*"digest":"sha256:\([0-9a-f]*\)".*/\1/' "$srv/index.json")
		reply "200 OK" application/vnd.oci.image.manifest.v1+json "$srv/blobs/sha256/$m" \
			"$(printf 'Docker-Content-Digest: sha256:%s\r' "$m")"
		;;
	esac
	;;
/v2/test/img/blobs/sha256:*)
	hex=${path#*sha256:}
	f=$srv/blobs/sha256/$hex
	size=$(wc -c <"$f" | tr -d ' ')
	if [ "$mode" = token ]; then
		printf 'HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:%s/cdn/%s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n' \
			"$FAKE_CDN_PORT" "$hex"
	elif [ "$mode" = midblob ] && [ "$size" -gt 100000 ]; then
		printf 'HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %s\r\nConnection: close\r\n\r\n' "$size"
		head -c 1000 "$f"
	else
		reply "200 OK" application/octet-stream "$f"
	fi
	;;
*) text "404 Not Found" '{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}' ;;
esac

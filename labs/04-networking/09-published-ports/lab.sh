#!/bin/sh
# labs/04-networking/09-published-ports/lab.sh - minirun run -p and busybox httpd, reached
# from another namespace and from loopback; -p 127.0.0.1:8081:80 reached from loopback only
# (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown  (usually through `labs/lab published-ports STEP`)
#
# Everything runs in namespaces playing the host and the internet (mrlab.sh): exit 0 pass,
# 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=published-ports
. "$(dirname "$0")/../../01-fundamentals/mrlab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env':
  minirun run -d --name web -p 8080:80 busybox sh -c \
      'mkdir -p /www && echo hello from web > /www/index.html && exec httpd -f -p 80 -h /www'
  minirun port web > $LAB_STATE/port.txt
  innet internet busybox wget -q -O - http://198.51.100.1:8080/ > $LAB_STATE/outside.txt
  onhost busybox wget -q -O - http://127.0.0.1:8080/ > $LAB_STATE/loopback.txt
  minirun run -d --name local -p 127.0.0.1:8081:80 busybox sh -c \
      'mkdir -p /www && echo hello from local > /www/index.html && exec httpd -f -p 80 -h /www'
  minirun port local > $LAB_STATE/port-local.txt
  onhost busybox wget -q -O - http://127.0.0.1:8081/ > $LAB_STATE/local.txt
HINT
}

setup_() { uplink; }

# fetch NS URL - wget URL from namespace NS, retrying while the server starts (3 s at most)
fetch() {
	_i=0
	while [ $_i -lt 30 ]; do
		innet "$1" timeout 5 "$BB" wget -q -O - "$2" 2>/dev/null && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

run_() {
	need_verbs run port ps
	minirun run -d --name web -p 8080:80 busybox sh -c \
		'mkdir -p /www && echo hello from web > /www/index.html && exec httpd -f -p 80 -h /www'
	minirun port web | tee "$LAB_STATE/port.txt"
	minirun ps
	fetch internet http://198.51.100.1:8080/ | tee "$LAB_STATE/outside.txt"
	fetch host http://127.0.0.1:8080/ | tee "$LAB_STATE/loopback.txt"
	minirun run -d --name local -p 127.0.0.1:8081:80 busybox sh -c \
		'mkdir -p /www && echo hello from local > /www/index.html && exec httpd -f -p 80 -h /www'
	minirun port local | tee "$LAB_STATE/port-local.txt"
	fetch host http://127.0.0.1:8081/ | tee "$LAB_STATE/local.txt"
	onhost nft list map ip minirun published
}

check_() {
	need_verbs run port ps
	for f in port.txt outside.txt loopback.txt port-local.txt local.txt; do have $f; done
	expect "port.txt is '80/tcp -> 0.0.0.0:8080'" grep -qx '80/tcp -> 0.0.0.0:8080' "$LAB_STATE/port.txt"
	expect "the other machine got web's page from 198.51.100.1:8080" grep -qx 'hello from web' "$LAB_STATE/outside.txt"
	expect "the host got web's page from 127.0.0.1:8080" grep -qx 'hello from web' "$LAB_STATE/loopback.txt"
	expect "198.51.100.1:8080 answers now: web is still running" [ "$(fetch internet http://198.51.100.1:8080/)" = "hello from web" ]
	expect "port-local.txt is '80/tcp -> 127.0.0.1:8081'" grep -qx '80/tcp -> 127.0.0.1:8081' "$LAB_STATE/port-local.txt"
	expect "the host got local's page from 127.0.0.1:8081" grep -qx 'hello from local' "$LAB_STATE/local.txt"
	expect "127.0.0.1:8081 answers now: local is still running" [ "$(fetch host http://127.0.0.1:8081/)" = "hello from local" ]
	# once: a refused connection fails at once, no need to wait for a server
	expect "198.51.100.1:8081 does not answer the other machine: local is published on 127.0.0.1 only" \
		not innet internet timeout 5 "$BB" wget -q -O - http://198.51.100.1:8081/
	echo "check: ok - web's port 80 answers on the host's 8080, from the other machine and from 127.0.0.1; local's only on 127.0.0.1:8081"
}

steps "$@"

# tests/integration/network/badinput.t - bad input to `minirun network`: a bad CIDR, an
# overlapping subnet, a name in use, a bad name, a gateway outside its subnet, a bad port
# spec, an unknown network, a container that is not there. Each gets one line in docker's
# words, exit 125, and leaves nothing behind: the records, the links and the nft ruleset
# are compared before and after, inside a throwaway namespace playing the host.
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/network/lib.sh"

# bad EXPECTED-REGEX CMD... (inside): run CMD, print "bad ok" if it exits 125 with one
# line on stderr matching the regex and changes no record, link or nft element
BAD='
	# links by name and master only: their flags change by themselves as carriers come up
	state() { ls -l "$R/networks"; cat "$R"/networks/*.json; ip -o link | grep -o ": [^:@]*\(@[^:]*\)\?:\|master [^ ]*"; nft list ruleset; }
	bad() {
		_re=$1; shift
		_before=$(state)
		"$@" >"$R/out" 2>"$R/err"; _rc=$?
		[ "$_rc" = 125 ] || { echo "rc $_rc: $*"; return; }
		[ "$(wc -l <"$R/err")" = 1 ] || { echo "not one line: $(cat "$R/err")"; return; }
		grep -Eq -- "$_re" "$R/err" || { echo "message: $(cat "$R/err")"; return; }
		[ "$_before" = "$(state)" ] || { echo "state changed by: $*"; return; }
		echo "bad ok: $(cat "$R/err")"
	}
	mrn create --subnet 10.90.0.0/24 web >/dev/null || die create
	c1=$(box)
	conn web c1 "$c1" >/dev/null || die connect
'

network_bad_input() {
	net_need
	out=$(net_host "$BAD"'
		bad "invalid argument \"10.0.0/8\" for \"--subnet\" flag: invalid CIDR address: 10.0.0/8" mrn create --subnet 10.0.0/8 x
		bad "invalid CIDR address: 10.1.2.3" mrn create --subnet 10.1.2.3 x
		bad "Pool overlaps with other one on this address space" mrn create --subnet 10.90.0.128/25 x
		bad "Pool overlaps with other one on this address space" mrn create --subnet 10.0.0.0/8 x
		bad "network with name web already exists" mrn create web
		bad "invalid network name \"a/b\"" mrn create a/b
		bad "operation is not permitted on predefined host network" mrn create host
		bad "no matching subnet for gateway 10.91.0.1" mrn create --subnet 10.92.0.0/24 --gateway 10.91.0.1 x
		# an unknown network named to inspect or rm: docker'"'"'s words and its status 1
		for v in inspect rm; do
			mrn $v nosuch >/dev/null 2>"$R/err"; _rc=$?
			[ "$_rc $(cat "$R/err")" = "1 minirun: No such network: nosuch" ] &&
				echo "bad ok: $v" || echo "message: $v: $_rc $(cat "$R/err")"
		done
		bad "network nosuch not found" mrn connect nosuch "$(cid c2)" "$c1"
		bad "no such process|No such" mrn connect web "$(cid c2)" 999999
		bad "Invalid containerPort: abc" mrn publish "$(cid c1)" 8080:abc
		bad "Invalid hostPort: x" mrn publish "$(cid c1)" x:80
		bad "invalid proto: sctp" mrn publish "$(cid c1)" 8080:80/sctp
		bad "invalid IP address: 1.2.3" mrn publish "$(cid c1)" 1.2.3:8080:80
		bad "it is on no network" mrn publish "$(cid c9)" 8080:80
		bad "container c9.* is not connected to network web" mrn disconnect web "$(cid c9)"
		# a wrong operand count: docker'"'"'s status 1 (cobra'"'"'s Args), not a flag'"'"'s 125
		mrn create >/dev/null 2>"$R/err"; _rc=$?
		[ $_rc = 1 ] && grep -q "requires exactly 1 argument" "$R/err" &&
			echo "count ok" || echo "message: create: $_rc $(cat "$R/err")"') || t_fail "$out"
	t_nomatch "$out" '^(rc|not one line|message|state changed)' "every case"
	t_eq "$(printf '%s\n' "$out" | grep -c '^bad ok: ')" 18 "cases refused cleanly"
	t_match "$out" '^count ok$' "no operand: 1"
}

t "bad input: one line in docker's words, exit 125, no record, link or nft element left" network_bad_input
t_end

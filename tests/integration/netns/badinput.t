# tests/integration/netns/badinput.t - bad input to the netns programs: one line naming the
# input and what is wrong, a non-zero exit, and nothing half-made left behind. Each test
# runs in a throwaway namespace playing the host (see lib.sh).
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/netns/lib.sh"

# after the script's commands: the host's links and the container's, for leak checks
STATE='
	echo "links: $(ip -o link | cut -d: -f2 | cut -d@ -f1 | tr -d " " | tr "\n" " ")"
	[ -n "${c:-}" ] && echo "inside: $(inns "$c" ip -o link | cut -d: -f2 | tr -d " " | tr "\n" " ")"
	echo "rules: $(nft list ruleset | wc -l)"
'

# run SCRIPT (whose one failing command writes to err.txt-like output "ERR:...") and check:
# one error line matching ERE, exit code not 0
one_line_error() { # OUT ERE
	err=$(printf '%s\n' "$1" | grep -E '^(connect|veth|bridge|publish): ')
	t_eq "$(nt_lines "$err")" 1 "error lines in: $1"
	t_match "$err" "$2" "the error"
	t_match "$1" '^exit [1-9]' "the exit status"
}

invalid_cidr() {
	nt_need
	out=$(nt_host '
		"$NT/bridge" mrbr0 10.88.0.1/24 >/dev/null || die bridge
		c=$(box)
		"$NT/connect" "$c" mrbr0 10.88.0.300/24 10.88.0.1 2>&1; echo "exit $?"
		"$NT/bridge" mrbr1 10.88.1.1/33 2>&1; echo "exit $?"'"$STATE") || t_fail "$out"
	one_line_error "$(printf '%s\n' "$out" | sed -n '1,2p')" "^connect: '10.88.0.300/24' is not an IPv4 CIDR"
	t_match "$out" "^bridge: '10.88.1.1/33' is not an IPv4 CIDR"
	t_match "$out" '^links: lo mrbr0 $' "no veth and no mrbr1 left"
	t_match "$out" '^inside: lo $'
}

name_too_long() {
	nt_need
	out=$(nt_host '
		"$NT/veth" mrv0 mrveth-0123456789 2>&1; echo "exit $?"'"$STATE") || t_fail "$out"
	one_line_error "$out" "^veth: interface name 'mrveth-0123456789' is 17 bytes; the kernel allows at most 15$"
	t_match "$out" '^links: lo $'
}

name_taken() {
	nt_need
	out=$(nt_host '
		"$NT/bridge" mrbr0 10.88.0.1/24 >/dev/null || die bridge
		c=$(box)
		"$NT/connect" -n mrhost "$c" mrbr0 10.88.0.2/24 >/dev/null || die "first connect"
		c2=$(box)
		"$NT/connect" -n mrhost "$c2" mrbr0 10.88.0.3/24 2>&1; echo "exit $?"
		echo "inside2: $(inns "$c2" ip -o link | wc -l)"'"$STATE") || t_fail "$out"
	one_line_error "$out" "^connect: interface 'mrhost' already exists here; pick another name"
	t_match "$out" '^links: lo mrbr0 mrhost $' "the first pair intact, no second"
	t_match "$out" '^inside2: 1$' "nothing made in the second namespace"
}

inner_name_taken() {
	nt_need
	out=$(nt_host '
		"$NT/bridge" mrbr0 10.88.0.1/24 >/dev/null || die bridge
		c=$(box)
		inns "$c" "$NT/veth" eth0 eth0p >/dev/null || die "a veth called eth0 inside"
		"$NT/connect" "$c" mrbr0 10.88.0.2/24 2>&1; echo "exit $?"'"$STATE") || t_fail "$out"
	one_line_error "$out" "^connect: interface 'eth0' already exists in the target namespace"
	t_match "$out" '^links: lo mrbr0 $'
}

no_such_pid() {
	nt_need
	out=$(nt_host '
		"$NT/bridge" mrbr0 10.88.0.1/24 >/dev/null || die bridge
		"$NT/connect" 999999 mrbr0 10.88.0.2/24 2>&1; echo "exit $?"'"$STATE") || t_fail "$out"
	one_line_error "$out" '^connect: no such process 999999$'
	t_match "$out" '^links: lo mrbr0 $'
}

missing_bridge() {
	nt_need
	out=$(nt_host '
		c=$(box)
		"$NT/connect" "$c" mrnobr 10.88.0.2/24 2>&1; echo "exit $?"'"$STATE") || t_fail "$out"
	one_line_error "$out" "^connect: bridge 'mrnobr' does not exist; create it first"
	t_match "$out" '^links: lo $'
	t_match "$out" '^inside: lo $'
}

port_already_published() {
	nt_need
	out=$(nt_host '
		"$NT/bridge" -m mrbr0 10.88.0.1/24 >/dev/null || die bridge
		"$NT/publish" 8080:10.88.0.2:80 7070:10.88.0.2:70 >/dev/null || die publish
		"$NT/publish" 7070:10.88.0.2:70 9090:10.88.0.3:80 8080:10.88.0.3:80 2>&1; echo "exit $?"
		echo "list: $("$NT/publish" -l | sort | tr "\n" " ")"') || t_fail "$out"
	one_line_error "$out" "^publish: port 8080/tcp is already published \(8080:10.88.0.2:80/tcp\); remove it first with netns/publish -d 8080/tcp$"
	t_match "$out" '^list: 7070:10.88.0.2:70/tcp 8080:10.88.0.2:80/tcp $' \
		"9090, published by the failing run, is rolled back; 7070, there before, stays"
}

bad_port_spec() {
	nt_need
	out=$(nt_host '"$NT/publish" 8080:10.88.0.2:99999/tcp 2>&1; echo "exit $?"'"$STATE") ||
		t_fail "$out"
	one_line_error "$out" "^publish: '8080:10.88.0.2:99999/tcp': ports must be numbers from 1 to 65535$"
	t_match "$out" '^rules: 0$'
}

failing_step_rolls_back() {
	nt_need
	# the gateway is not on the container's subnet: the last step (the route) fails, and
	# the pair made before it must go
	out=$(nt_host '
		"$NT/bridge" mrbr0 10.88.0.1/24 >/dev/null || die bridge
		c=$(box)
		"$NT/connect" "$c" mrbr0 10.88.0.2/24 192.0.2.1 2>&1; echo "exit $?"'"$STATE") || t_fail "$out"
	one_line_error "$out" '^connect: add route default via 192.0.2.1: .* \(kernel: .+\)$'
	t_match "$out" '^links: lo mrbr0 $' "the host end is gone"
	t_match "$out" '^inside: lo $' "the inner end is gone"
}

kernel_reason_is_shown() {
	nt_need
	out=$(nt_host '
		"$NT/bridge" mrbr0 10.88.0.1/24 >/dev/null || die bridge
		"$NT/veth" -a 10.88.0.9/24 mrv0 mrbr0 2>&1; echo "exit $?"'"$STATE") || t_fail "$out"
	one_line_error "$out" "^veth: create veth 'mrv0' peer 'mrbr0': File exists"
	t_match "$out" '^links: lo mrbr0 $'
}

t "an invalid CIDR is named, and nothing is made" invalid_cidr
t "an interface name over 15 bytes is refused" name_too_long
t "a host interface name already taken is refused; the first pair is untouched" name_taken
t "an inner name already taken in the target namespace is refused" inner_name_taken
t "a PID with no such process is named" no_such_pid
t "a bridge that does not exist is named, and no veth is left" missing_bridge
t "a port already published elsewhere is refused; what the run added is rolled back" port_already_published
t "a port out of range is refused before nft is touched" bad_port_spec
t "a failing last step (the route) rolls the veth pair back; the kernel's reason is shown" failing_step_rolls_back
t "a name the kernel finds taken is reported, and the address step never runs" kernel_reason_is_shown
t_end

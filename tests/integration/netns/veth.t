# tests/integration/netns/veth.t - netns/veth: a veth pair between two namespaces, made the
# step-by-step way (create, move, rename, address, up). Each test runs in a throwaway
# namespace playing the host (see lib.sh).
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/netns/lib.sh"

ping_over_veth() {
	nt_need
	out=$(nt_host '
		c=$(box)
		"$NT/veth" -a 10.88.1.1/24 -n "$c" -r eth0 -A 10.88.1.2/24 mrv0 mrv0p || die "veth"
		pingok "$c" 10.88.1.1 || die "no reply from the host end"
		"$BB" ping -c 1 -W 2 10.88.1.2 >/dev/null || die "no reply from the inner end"
		echo pinged') || t_fail "$out"
	t_match "$out" '^mrv0 10.88.1.1/24 <==> eth0 10.88.1.2/24'
	t_match "$out" '^pinged$'
}

moved_end_is_renamed_inside() {
	nt_need
	out=$(nt_host '
		c=$(box)
		"$NT/veth" -n "$c" -r eth0 -A 10.88.1.2/24 mrv0 mrv0p >/dev/null || die "veth"
		echo "host: $(ip -o link | cut -d: -f2 | tr -d " " | tr "\n" " ")"
		echo "inside: $(inns "$c" ip -o -4 addr show dev eth0 | awk "{print \$2, \$4}")"') || t_fail "$out"
	t_match "$out" '^host: lo mrv0@'
	t_nomatch "$out" 'host: .*mrv0p'
	t_match "$out" '^inside: eth0 10.88.1.2/24'
}

deleting_one_end_deletes_both() {
	nt_need
	out=$(nt_host '
		c=$(box)
		"$NT/veth" -n "$c" -r eth0 mrv0 mrv0p >/dev/null || die "veth"
		"$NT/veth" -d mrv0 || die "veth -d"
		echo "host: $(ip -o link | wc -l)"
		echo "inside: $(inns "$c" ip -o link | wc -l)"') || t_fail "$out"
	t_match "$out" '^host: 1$' "only lo left on the host"
	t_match "$out" '^inside: 1$' "only lo left inside"
}

narrates_with_v() {
	nt_need
	out=$(nt_host '"$NT/veth" -v -a 10.88.1.1/24 mrv0 mrv0p') || t_fail "$out"
	t_match "$out" "=> RTM_NEWLINK veth 'mrv0' peer 'mrv0p'"
	t_match "$out" '=> RTM_NEWADDR 10.88.1.1/24 dev mrv0'
}

t "a veth pair carries ping between two namespaces" ping_over_veth
t "the moved end is renamed and addressed inside, and gone from the host" moved_end_is_renamed_inside
t "deleting one end deletes the pair on both sides" deleting_one_end_deletes_both
t "-v narrates each netlink message" narrates_with_v
t_end

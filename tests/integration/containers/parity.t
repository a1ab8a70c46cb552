# tests/integration/containers/parity.t - behaviours where minirun once differed from docker
# (issue 22) and now matches it: exec -u resolves the user as run -u does (gid, groups,
# HOME), every process has its primary gid among its groups, ...
# The outputs asserted are the ones docker 20.10 (Debian's docker.io) prints for the same
# commands on the same busybox image.
# Run: sh tests/integration/containers/parity.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

exec_user_gets_gid_groups_and_home() {
	ct_need
	ct_host '
		t_eq "$(mr run --rm --network none busybox id)" \
			"uid=0(root) gid=0(root) groups=0(root)" "run id"
		t_eq "$(mr run --rm --network none -u 1000:1000 busybox id)" \
			"uid=1000 gid=1000 groups=1000" "run -u 1000:1000 id"
		t_eq "$(mr run --rm --network none --group-add 5 busybox id)" \
			"uid=0(root) gid=0(root) groups=0(root),5" "run --group-add 5 id"
		mr run -d --name sx --network none busybox sleep 300 >/dev/null || die "run -d"
		t_eq "$(mr exec sx id)" "uid=0(root) gid=0(root) groups=0(root)" "exec id"
		t_eq "$(mr exec -u 1000 sx id)" "uid=1000 gid=0(root) groups=0(root)" "exec -u 1000"
		t_eq "$(mr exec -u 65534 sx sh -c "id; echo \$HOME")" \
			"uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)
/nonexistent" "exec -u 65534 (a uid with a passwd entry)"
		t_eq "$(mr exec -u nobody sx sh -c "echo \$HOME")" /nonexistent "exec -u nobody HOME"
		t_eq "$(mr exec -u nobody:root sx id)" "uid=65534(nobody) gid=0(root) groups=0(root)" \
			"exec -u nobody:root"
		t_eq "$(mr exec -u nobody -e HOME=/h sx sh -c "echo \$HOME")" /h "exec -e HOME wins"
		mr exec sx sh -c "echo x:x:7:root,nobody >>/etc/group" || die "edit /etc/group"
		t_eq "$(mr exec -u nobody sx id)" \
			"uid=65534(nobody) gid=65534(nogroup) groups=7(x),65534(nogroup)" \
			"exec -u nobody, listed in group x"
		t_eq "$(mr exec -u nobody:root sx id)" "uid=65534(nobody) gid=0(root) groups=0(root)" \
			"an explicit group brings no listed groups"
		t_eq "$(mr exec -u ghost sx id 2>&1)" \
			"minirun: unable to find user ghost: no matching entries in passwd file" \
			"exec -u of an unknown user"
		mr rm -f sx >/dev/null || die "rm -f"
		ct_noleaks
	'
}
t "exec -u resolves uid, gid, groups and HOME in the container's files, as run -u does" \
	exec_user_gets_gid_groups_and_home

t_end

#!/bin/sh
# tests/integration/image/interop.t - images cross between minirun, podman and skopeo both ways:
# what `podman save` writes loads here, what `minirun save` writes loads into podman and
# `skopeo inspect` reads. podman runs with a throwaway --root/--runroot and cgroupfs.
#
#   sh tests/integration/image/interop.t
. "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/image/lib.sh"
. "$MR_TOP/tests/lib/peers.sh"

need_podman() {
	need_cli
	pk_podman_setup
	t_need skopeo
}

podman_save_loads_here() {
	need_podman
	busybox_tar
	pid=$(pk_podman import -q "$T_DIR/busybox.tar" localhost/pbox:1 2>&1) || t_fail "podman import: $pid"
	for fmt in docker-archive oci-archive; do
		pk_podman save -q --format $fmt -o "$T_DIR/p-$fmt.tar" localhost/pbox:1 ||
			t_fail "podman save --format $fmt failed"
		out=$("$MI" --root "$T_DIR/$fmt" load -i "$T_DIR/p-$fmt.tar") || t_fail "load $fmt: $out"
		t_eq "$out" "Loaded image: localhost/pbox:1" "load of podman's $fmt"
		# the image ID is the config digest on both sides
		t_eq "$("$MI" --root "$T_DIR/$fmt" image inspect -f '{{.Id}}' localhost/pbox:1)" \
			"sha256:${pid#sha256:}" "$fmt: image ID as podman has it"
		t_match "$("$MI" --root "$T_DIR/$fmt" images)" '^localhost/pbox +1 ' "$fmt: images"
	done
}

minirun_save_loads_into_podman() {
	need_podman
	id=$(import_busybox mbox:2)
	mi save -o "$T_DIR/d.tar" mbox:2 || t_fail "save docker-archive"
	mi save --format oci-archive -o "$T_DIR/o.tar" mbox:2 || t_fail "save oci-archive"
	# skopeo reads both, and sees our config digest
	sd=$(skopeo inspect --config docker-archive:"$T_DIR/d.tar" 2>&1) || t_fail "skopeo: $sd"
	t_match "$sd" '"architecture": "' "skopeo inspect --config docker-archive"
	so=$(skopeo inspect oci-archive:"$T_DIR/o.tar" 2>&1) || t_fail "skopeo: $so"
	t_match "$so" "\"$(mi image inspect -f '{{json .RootFS.Layers}}' mbox:2 | tr -d '[]"')\"" "oci-archive layer"
	out=$(pk_podman load -i "$T_DIR/d.tar" 2>&1) || t_fail "podman load docker-archive: $out"
	t_match "$out" 'Loaded image.*mbox:2'
	out=$(pk_podman load -i "$T_DIR/o.tar" 2>&1) || t_fail "podman load oci-archive: $out"
	t_match "$out" 'Loaded image.*mbox:2'
	t_match "$(pk_podman images --format '{{.ID}}' --no-trunc)" "${id#sha256:}" "podman's image ID"
	# and podman's files are the ones we imported
	cid=$(pk_podman create localhost/mbox:2 true 2>/dev/null) || t_fail "podman create"
	mnt=$(pk_podman mount "$cid") || t_fail "podman mount"
	cmp -s "$mnt/bin/busybox" /bin/busybox || t_fail "podman's /bin/busybox differs"
	pk_podman umount "$cid" >/dev/null
	pk_podman rm "$cid" >/dev/null
}

t "podman save (docker-archive, oci-archive) loads here, same image ID" podman_save_loads_here
t "minirun save loads into podman and skopeo inspect reads it" minirun_save_loads_into_podman
t_end

#!/bin/sh
# tests/integration/image/remove.t - removing images: tag, rmi (untag, delete, refused while in use), prune,
# and four imports at once. Each test has its own store root.
#
#   sh tests/integration/image/remove.t
. "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/image/lib.sh"

tag_then_rmi_untags() {
	need_cli
	id=$(import_busybox busybox)
	mi tag busybox example.com/me/box:2 || t_fail "tag exited $?"
	t_eq "$(mi image inspect -f '{{.Id}}' example.com/me/box:2)" "$id" "the new name"
	out=$(mi rmi busybox) || t_fail "rmi exited $?"
	t_eq "$out" "Untagged: busybox:latest" "rmi of one of two names"
	t_eq "$(mi image inspect -f '{{.Id}}' example.com/me/box:2)" "$id" "still there"
	t_status 1 mi tag busybox
	t_status 1 mi tag nosuch x:1
	t_match "$T_OUT" '^minirun: No such image: nosuch:latest$'
}

rmi_last_name_deletes() {
	need_cli
	id=$(import_busybox busybox)
	before=$(store_files)
	[ -n "$before" ] || t_fail "the store has no files after import"
	out=$(mi rmi busybox) || t_fail "rmi exited $?"
	t_match "$out" "^Untagged: busybox:latest$"
	t_match "$out" "^Deleted: $id$"
	t_eq "$(store_files)" "" "files left in blobs/ and layers/"
	t_eq "$(mi images -q)" "" "images -q"
	t_status 1 mi rmi busybox
	t_match "$T_OUT" 'No such image: busybox'
}

rmi_refused_while_in_use() {
	need_cli
	id=$(import_busybox busybox)
	# the contract with the containers code: ROOT/containers/NAME/image holds the image ID
	mkdir -p "$T_DIR/root/containers/f00dcafe0001"
	echo "$id" >"$T_DIR/root/containers/f00dcafe0001/image"
	t_status 1 mi rmi busybox
	t_match "$T_OUT" 'conflict: unable to remove repository reference "busybox" \(must force\) - container f00dcafe0001 is using its referenced image'
	t_eq "$(mi image inspect -f '{{.Id}}' busybox)" "$id" "kept"
	# -f untags, but keeps what the container runs from
	out=$(mi rmi -f busybox) || t_fail "rmi -f exited $?"
	t_eq "$out" "Untagged: busybox:latest" "rmi -f output"
	t_match "$(mi images)" '^<none> +<none> +' "a <none> image left"
	layer=$(sha256sum "$T_DIR/busybox.tar" | cut -d' ' -f1)
	mi image prune -f >/dev/null
	[ -d "$T_DIR/root/layers/sha256/$layer" ] || t_fail "prune removed a layer in use"
	rm -rf "$T_DIR/root/containers"
	mi image prune -f >/dev/null
	t_eq "$(store_files)" "" "after the container went, prune left"
}

prune_removes_dangling_and_garbage() {
	need_cli
	old=$(import_busybox busybox)
	sleep 1 # a new "created" time, so a new image ID
	new=$(import_busybox busybox)
	t_ne "$old" "$new" "second import's ID"
	t_match "$(mi images)" "^<none> +<none> +$(echo "$old" | cut -c8-19) " "the old image, dangling"
	# litter: a blob no image names, and a temp file a killed command left
	printf stray >"$T_DIR/stray"
	h=$(sha256sum "$T_DIR/stray" | cut -d' ' -f1)
	cp "$T_DIR/stray" "$T_DIR/root/images/blobs/sha256/$h"
	: >"$T_DIR/root/images/.tmp/blob.99999.0"
	out=$(mi image prune -f) || t_fail "prune exited $?"
	t_match "$out" "^deleted: $old$"
	t_match "$out" '^Total reclaimed space: [0-9.]+[kM]?B$'
	[ ! -e "$T_DIR/root/images/blobs/sha256/$h" ] || t_fail "the stray blob is still there"
	[ -z "$(ls "$T_DIR/root/images/.tmp")" ] || t_fail ".tmp is not empty"
	t_eq "$(mi image inspect -f '{{.Id}}' busybox)" "$new" "busybox survives"
	blobs_verify
}

two_imports_at_once() {
	need_cli
	busybox_tar
	for i in 1 2 3 4; do
		mi import "$T_DIR/busybox.tar" "para:$i" >"$T_DIR/out.$i" 2>&1 &
	done
	wait
	for i in 1 2 3 4; do
		grep -q '^sha256:' "$T_DIR/out.$i" || t_fail "import $i: $(cat "$T_DIR/out.$i")"
	done
	t_eq "$(mi images --format '{{.Tag}}' | sort | tr '\n' ' ')" "1 2 3 4 " "the four tags"
	blobs_verify
	t_eq "$(ls "$T_DIR/root/images/.tmp")" "" ".tmp leftovers"
	t_eq "$(ls "$T_DIR/root/layers/sha256" | wc -l)" "1" "unpacked layers (one, shared)"
}

t "tag adds a name; rmi of one of two names only untags" tag_then_rmi_untags
t "rmi of the last name deletes the image, its blobs and its layer" rmi_last_name_deletes
t "rmi is refused while a container uses the image; -f untags and keeps it" rmi_refused_while_in_use
t "image prune removes dangling images, stray blobs and temp files" prune_removes_dangling_and_garbage
t "four imports at once leave a consistent store" two_imports_at_once
t_end

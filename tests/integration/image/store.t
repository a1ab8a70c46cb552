#!/bin/sh
# tests/integration/image/store.t - the image store: import, images, inspect, history, save,
# load, tag, rmi, prune, and two commands at once. Each test has its own store root.
#
#   sh tests/integration/image/store.t
. "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/image/image.sh"

import_then_images() {
	need_cli
	id=$(import_busybox busybox)
	t_match "$id" '^sha256:[0-9a-f]{64}$' "import's output"
	out=$(mi images) || t_fail "images exited $?"
	t_match "$(echo "$out" | head -1)" '^REPOSITORY +TAG +IMAGE ID +CREATED +SIZE$' "header"
	short=$(echo "$id" | cut -c8-19)
	t_match "$out" "^busybox +latest +$short +.* ago +[0-9.]+[kM]B$" "the busybox row"
	t_eq "$(mi images -q)" "$short" "images -q"
}

inspect_shows_config_and_layers() {
	need_cli
	id=$(import_busybox busybox:1)
	t_eq "$(mi image inspect -f '{{.Id}}' busybox:1)" "$id" "Id"
	t_eq "$(mi image inspect -f '{{.Config.Cmd}}' busybox:1)" "[sh]" "Config.Cmd"
	t_eq "$(mi image inspect -f '{{json .RepoTags}}' busybox:1)" '["busybox:1"]' "RepoTags"
	# the layer's diffID is the sha256 of the tar we imported
	want="sha256:$(sha256sum "$T_DIR/busybox.tar" | cut -d' ' -f1)"
	t_eq "$(mi image inspect -f '{{json .RootFS.Layers}}' busybox:1)" "[\"$want\"]" "diffIDs"
	# and it is unpacked once, under its diffID, ready to be a lowerdir
	[ -x "$T_DIR/root/layers/sha256/${want#sha256:}/bin/busybox" ] || t_fail "layer not unpacked"
	mi image inspect busybox:1 | grep -q '"Architecture": "' || t_fail "inspect has no Architecture"
	t_status 1 mi image inspect nosuch
	t_match "$T_OUT" 'No such image: nosuch'
}

history_lists_the_import() {
	need_cli
	import_busybox busybox >/dev/null
	out=$(mi history busybox) || t_fail "history exited $?"
	t_match "$(echo "$out" | head -1)" '^IMAGE +CREATED +CREATED BY +SIZE +COMMENT$' "header"
	t_match "$out" '^[0-9a-f]{12} +.* ago +[0-9.]+[kM]B +Imported from .*busybox.tar$' "the row"
}

round_trip_keeps_digests() {
	need_cli
	id=$(import_busybox rt:1)
	md=$(mi image inspect -f '{{.Descriptor.digest}}' rt:1)
	for fmt in oci-archive docker-archive; do
		mi save --format $fmt -o "$T_DIR/$fmt.tar" rt:1 || t_fail "save $fmt exited $?"
		out=$("$MI" --root "$T_DIR/$fmt" load -i "$T_DIR/$fmt.tar") || t_fail "load $fmt: $out"
		t_eq "$out" "Loaded image: rt:1" "load $fmt says"
		t_eq "$("$MI" --root "$T_DIR/$fmt" image inspect -f '{{.Id}}' rt:1)" "$id" "$fmt: image ID"
		# imported layers are stored plain, so even the manifest survives docker-archive
		t_eq "$("$MI" --root "$T_DIR/$fmt" image inspect -f '{{.Descriptor.digest}}' rt:1)" \
			"$md" "$fmt: manifest digest"
	done
	# saving twice gives the same bytes, to a file or through a pipe or /dev/stdout
	mi save -o "$T_DIR/again.tar" rt:1
	cmp -s "$T_DIR/docker-archive.tar" "$T_DIR/again.tar" || t_fail "save is not reproducible"
	mi save rt:1 | cmp -s - "$T_DIR/again.tar" || t_fail "save to a pipe differs"
	mi save -o /dev/stdout rt:1 >"$T_DIR/stdout.tar" || t_fail "save -o /dev/stdout"
	cmp -s "$T_DIR/stdout.tar" "$T_DIR/again.tar" || t_fail "save -o /dev/stdout differs"
	[ -L /dev/stdout ] || [ -c /dev/stdout ] || t_fail "/dev/stdout was replaced"
}

images_digests_and_json() {
	need_cli
	import_busybox busybox >/dev/null
	t_match "$(mi images --digests | head -1)" '^REPOSITORY +TAG +DIGEST +IMAGE ID +CREATED +SIZE$'
	j=$(mi images --format json)
	t_match "$j" '^\{"Containers":"N/A","CreatedAt":"[0-9-]+ [0-9:]+ \+0000 UTC","CreatedSince":".* ago","Digest":"<none>","ID":"[0-9a-f]{12}","Repository":"busybox",.*"Tag":"latest"' "json"
	t_eq "$(mi images --format '{{.Repository}}:{{.Tag}}')" "busybox:latest" "template"
}

tag_then_rmi_untags() {
	need_cli
	id=$(import_busybox busybox)
	mi tag busybox example.com/me/box:2 || t_fail "tag exited $?"
	t_eq "$(mi image inspect -f '{{.Id}}' example.com/me/box:2)" "$id" "the new name"
	out=$(mi rmi busybox) || t_fail "rmi exited $?"
	t_eq "$out" "Untagged: busybox:latest" "rmi of one of two names"
	t_eq "$(mi image inspect -f '{{.Id}}' example.com/me/box:2)" "$id" "still there"
	t_status 125 mi tag busybox
	t_status 1 mi tag nosuch x:1
	t_match "$T_OUT" '^minirun: No such image: nosuch$'
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

bad_input_leaves_nothing() {
	need_cli
	t_status 1 mi import /nonexistent.tar x:1
	t_match "$T_OUT" "^minirun: import '/nonexistent.tar': No such file or directory$"
	head -c 3000 /dev/urandom >"$T_DIR/junk.tar"
	t_status 1 mi import "$T_DIR/junk.tar" x:1
	t_match "$T_OUT" "junk.tar"
	t_status 1 mi load -i "$T_DIR/junk.tar"
	t_match "$T_OUT" '^minirun: .*junk.tar'
	# a tar, but not an image
	busybox_tar
	t_status 1 mi load -i "$T_DIR/busybox.tar"
	t_match "$T_OUT" 'is not an image archive: it has neither manifest.json'
	t_status 1 mi pull 'Bad/Name'
	t_match "$T_OUT" '^minirun: invalid reference format: repository name .* must be lowercase$'
	t_status 1 mi images 'a:b:c'
	t_status 125 mi images --bogus
	t_eq "$(store_files)" "" "files left in the store"
	t_eq "$(cat "$T_DIR/root/images/index.json" | tr -d ' \n')" '{"schemaVersion":2,"manifests":[]}' "index"
}

altered_archive_is_refused() {
	need_cli
	import_busybox busybox >/dev/null
	mi save --format oci-archive -o "$T_DIR/o.tar" busybox
	mkdir "$T_DIR/o" && tar -xf "$T_DIR/o.tar" -C "$T_DIR/o"
	cfg=$(mi image inspect -f '{{.Id}}' busybox | cut -d: -f2)
	# change one byte of the config: its name no longer matches its content
	sed -i 's/"amd64"/"AMD64"/; s/"arm64"/"ARM64"/' "$T_DIR/o/blobs/sha256/$cfg"
	(cd "$T_DIR/o" && tar -cf "$T_DIR/bad.tar" .)
	t_status 1 "$MI" --root "$T_DIR/r2" load -i "$T_DIR/bad.tar"
	t_match "$T_OUT" "digest mismatch: expected sha256:$cfg"
	t_eq "$(cd "$T_DIR/r2" && find images/blobs layers -type f | wc -l)" "0" "files left"
}

load_moves_a_name() {
	need_cli
	import_busybox box:1 >/dev/null
	mi save -o "$T_DIR/a.tar" box:1
	sleep 1
	import_busybox box:1 >/dev/null
	out=$(mi load -i "$T_DIR/a.tar") || t_fail "load exited $?"
	t_match "$out" '^The image box:1 already exists, renaming the old one with ID sha256:[0-9a-f]{64} to empty string$'
	t_match "$(mi images)" '^<none> +<none> ' "the old one, unnamed"
}

root_from_env() {
	need_cli
	busybox_tar
	MINIRUN_ROOT=$T_DIR/envroot "$MI" import "$T_DIR/busybox.tar" envbox >/dev/null || t_fail "import"
	t_match "$(MINIRUN_ROOT=$T_DIR/envroot "$MI" images)" '^envbox +latest ' "MINIRUN_ROOT's store"
	[ -f "$T_DIR/envroot/images/oci-layout" ] || t_fail "no oci-layout under MINIRUN_ROOT"
}

zstd_import_and_save() {
	need_cli
	t_need zstd
	busybox_tar
	zstd -q "$T_DIR/busybox.tar" -o "$T_DIR/bb.tar.zst" || t_fail "zstd failed"
	mi import "$T_DIR/bb.tar.zst" z:1 >/dev/null || t_fail "import of a zstd tarball"
	md=$(mi image inspect -f '{{.Descriptor.digest}}' z:1)
	grep -q 'layer.v1.tar+zstd' "$T_DIR/root/images/blobs/sha256/${md#sha256:}" ||
		t_fail "the layer is not stored as tar+zstd"
	want="sha256:$(sha256sum "$T_DIR/busybox.tar" | cut -d' ' -f1)"
	t_eq "$(mi image inspect -f '{{json .RootFS.Layers}}' z:1)" "[\"$want\"]" "the diffID"
	# docker-archive carries layers uncompressed: the zstd layer comes out as the plain tar
	mi save -o "$T_DIR/z.tar" z:1 || t_fail "save"
	mkdir "$T_DIR/z" && tar -xf "$T_DIR/z.tar" -C "$T_DIR/z"
	cmp -s "$T_DIR/z/${want#sha256:}/layer.tar" "$T_DIR/busybox.tar" || t_fail "layer.tar differs"
	"$MI" --root "$T_DIR/r2" load -i "$T_DIR/z.tar" >/dev/null || t_fail "load"
	t_eq "$("$MI" --root "$T_DIR/r2" image inspect -f '{{.Id}}' z:1)" "$(mi image inspect -f '{{.Id}}' z:1)" "image ID"
}

builtin_busybox_image() {
	need_cli
	t_need make tar
	# the make targets `make demo` uses: the tarball, then busybox:latest in the store
	MINIRUN_ROOT=$T_DIR/root make -s -C "$MR_TOP" busybox-image-import >"$T_DIR/out" 2>&1 ||
		t_fail "make busybox-image-import: $(cat "$T_DIR/out")"
	t_match "$(mi images)" '^busybox +latest +[0-9a-f]{12} ' "images lists busybox"
	t_eq "$(mi image inspect -f '{{.Config.Cmd}}' busybox)" "[sh]" "Cmd"
	id=$(mi image inspect -f '{{.Id}}' busybox)
	# reproducible: the same busybox gives the same image ID, and a second run changes nothing
	MINIRUN_ROOT=$T_DIR/root make -s -C "$MR_TOP" busybox-image-import >/dev/null 2>&1 ||
		t_fail "second make busybox-image-import"
	t_eq "$(mi image inspect -f '{{.Id}}' busybox)" "$id" "image ID after a second import"
	t_eq "$(mi images -q | wc -l | tr -d ' ')" 1 "images after a second import"
}

hostile_archives_refused() {
	need_cli
	import_busybox busybox >/dev/null
	mi save -o "$T_DIR/d.tar" busybox
	mkdir "$T_DIR/h" && tar -xf "$T_DIR/d.tar" -C "$T_DIR/h"
	# a layer that is a symlink to a host file: opened inside the archive, it is not there
	layer=$(ls -d "$T_DIR"/h/*/ | head -1)
	rm "$layer/layer.tar"
	ln -s /etc/passwd "$layer/layer.tar"
	(cd "$T_DIR/h" && tar -cf "$T_DIR/sym.tar" .)
	t_status 1 "$MI" --root "$T_DIR/r2" load -i "$T_DIR/sym.tar"
	t_match "$T_OUT" "^minirun: the archive's '[0-9a-f]{64}/layer.tar': (No such file or directory|Too many levels of symbolic links)$"
	# an entry that climbs out with ..
	mkdir -p "$T_DIR/c/sub" && echo evil >"$T_DIR/c/evil.txt"
	(cd "$T_DIR/c/sub" && tar -cPf "$T_DIR/climb.tar" ../evil.txt) || t_skip "tar -P is GNU tar's"
	t_status 1 "$MI" --root "$T_DIR/r2" load -i "$T_DIR/climb.tar"
	t_match "$T_OUT" "climb.tar"
	[ ! -e "$T_DIR/r2/images/evil.txt" ] || t_fail "evil.txt landed outside the temp dir"
	t_eq "$(cd "$T_DIR/r2" && find images/blobs layers -type f | wc -l | tr -d ' ')" 0 "files stored"
	t_eq "$(ls "$T_DIR/r2/images/.tmp")" "" ".tmp leftovers"
}

t "import prints the image ID and images lists it" import_then_images
t "image inspect shows the config, the diffIDs and the unpacked layer" inspect_shows_config_and_layers
t "history lists the import step with its size and comment" history_lists_the_import
t "save then load (oci-archive, docker-archive) keeps every digest" round_trip_keeps_digests
t "images --digests, --format json and a template" images_digests_and_json
t "tag adds a name; rmi of one of two names only untags" tag_then_rmi_untags
t "rmi of the last name deletes the image, its blobs and its layer" rmi_last_name_deletes
t "rmi is refused while a container uses the image; -f untags and keeps it" rmi_refused_while_in_use
t "image prune removes dangling images, stray blobs and temp files" prune_removes_dangling_and_garbage
t "four imports at once leave a consistent store" two_imports_at_once
t "bad input: one line, exit 1 (125 for a bad flag), nothing stored" bad_input_leaves_nothing
t "hostile archives: a symlinked layer, a '..' entry: refused" hostile_archives_refused
t "an archive whose blob was altered is refused, nothing stored" altered_archive_is_refused
t "load of a name in use moves it, as docker says" load_moves_a_name
t "MINIRUN_ROOT picks the store" root_from_env
t "a zstd tarball imports as a zstd layer; docker-archive gets it plain" zstd_import_and_save
t "make busybox-image-import puts a reproducible busybox:latest in the store" builtin_busybox_image
t_end

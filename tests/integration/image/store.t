#!/bin/sh
# tests/integration/image/store.t - the image store: import, images, inspect, history, formats, the store root, bad
# input, and the built-in busybox image. Each test has its own store root.
#
#   sh tests/integration/image/store.t
. "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/image/lib.sh"

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
	t_match "$out" '^[0-9a-f]{12} +.* ago +[0-9.]+[kM]B +Imported from -$' "the row"
}

images_digests_and_json() {
	need_cli
	import_busybox busybox >/dev/null
	t_match "$(mi images --digests | head -1)" '^REPOSITORY +TAG +DIGEST +IMAGE ID +CREATED +SIZE$'
	j=$(mi images --format json)
	t_match "$j" '^\{"Containers":"N/A","CreatedAt":"[0-9-]+ [0-9:]+ \+0000 UTC","CreatedSince":".* ago","Digest":"<none>","ID":"[0-9a-f]{12}","Repository":"busybox",.*"Tag":"latest"' "json"
	t_eq "$(mi images --format '{{.Repository}}:{{.Tag}}')" "busybox:latest" "template"
}

root_from_env() {
	need_cli
	busybox_tar
	MINIRUN_ROOT=$T_DIR/envroot "$MI" import "$T_DIR/busybox.tar" envbox >/dev/null || t_fail "import"
	t_match "$(MINIRUN_ROOT=$T_DIR/envroot "$MI" images)" '^envbox +latest ' "MINIRUN_ROOT's store"
	[ -f "$T_DIR/envroot/images/oci-layout" ] || t_fail "no oci-layout under MINIRUN_ROOT"
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
	t_match "$T_OUT" '^minirun: invalid reference format: repository name must be lowercase$'
	t_status 1 mi images 'a:b:c'
	t_status 125 mi images --bogus
	t_eq "$(store_files)" "" "files left in the store"
	t_eq "$(cat "$T_DIR/root/images/index.json" | tr -d ' \n')" '{"schemaVersion":2,"manifests":[]}' "index"
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

# docker's answers, read off a private dockerd 20.10 on the same images (and kept as cases in
# tests/differential: img-filter-*)
images_filter() {
	need_cli
	import_busybox busybox >/dev/null
	mi tag busybox library2/box:1.0 && mi tag busybox example.com/team/app:v2 || t_fail "tag"
	# a later created time, for before= and since=: the clock past the whole second
	# the last image was made in (half a second on average, where a sleep took 1.1)
	next_second() { _s=$(date +%s); while [ "$(date +%s)" = "$_s" ]; do sleep 0.05; done; }
	next_second
	mi import -c 'LABEL env=prod' "$T_DIR/busybox.tar" labeled:1 >/dev/null || t_fail "import"
	next_second
	mi import -c 'LABEL x=y' "$T_DIR/busybox.tar" >/dev/null || t_fail "import, no name"
	f() { mi images --filter "$1" --format '{{.Repository}}:{{.Tag}}' | sort | tr '\n' ' '; }
	t_eq "$(f dangling=true)" "<none>:<none> " "dangling=true"
	t_eq "$(f dangling=false)" "busybox:latest example.com/team/app:v2 labeled:1 library2/box:1.0 " \
		"dangling=false"
	t_eq "$(f 'reference=busy*')" "busybox:latest " "reference=busy*: the whole name"
	t_eq "$(f 'reference=*box*')" "busybox:latest " "reference=*box*: * stops at /"
	t_eq "$(f 'reference=*/box')" "library2/box:1.0 " "reference=*/box: the repository alone"
	t_eq "$(f 'reference=box')" "" "reference=box: no partial names"
	t_eq "$(f 'reference=example.com/*/*')" "example.com/team/app:v2 " "a registry's name"
	t_eq "$(f label=env)" "labeled:1 " "label=KEY"
	t_eq "$(f label=env=prod)" "labeled:1 " "label=KEY=VALUE"
	t_eq "$(f label=env=dev)" "" "label=KEY=another value"
	t_eq "$(f before=labeled:1)" "busybox:latest example.com/team/app:v2 library2/box:1.0 " "before="
	t_eq "$(f since=busybox)" "<none>:<none> labeled:1 " "since="
	t_eq "$(mi images -f dangling=false -f label=env -q | wc -l)" 1 "two keys AND"
	t_status 1 mi images -f dangling=maybe
	t_eq "$T_OUT" "minirun: Invalid filter 'dangling=[maybe]'" "a dangling= not a boolean"
	t_status 1 mi images -f bogus=1
	t_eq "$T_OUT" "minirun: Invalid filter 'bogus'" "an unknown key"
	t_status 1 mi images -f before=nosuch
	t_match "$T_OUT" "No such image: nosuch" "before= an unknown image"
	t_status 125 mi images -f dangling
	t_match "$T_OUT" 'bad format of filter \(expected name=value\)' "no ="
}

search_is_refused() {
	need_cli
	t_status 1 mi search busybox
	t_match "$T_OUT" "^minirun: search needs Docker Hub's index service" "one line, saying why"
	t_eq "$(echo "$T_OUT" | wc -l)" 1 "one line"
}

t "import prints the image ID and images lists it" import_then_images
t "image inspect shows the config, the diffIDs and the unpacked layer" inspect_shows_config_and_layers
t "history lists the import step with its size and comment" history_lists_the_import
t "images --digests, --format json and a template" images_digests_and_json
t "images --filter: dangling, reference, label, before, since, as docker's daemon" images_filter
t "search is refused in one line: there is no index service" search_is_refused
t "MINIRUN_ROOT picks the store" root_from_env
t "bad input: one line, exit 1 (125 for a bad flag), nothing stored" bad_input_leaves_nothing
t "make busybox-image-import puts a reproducible busybox:latest in the store" builtin_busybox_image
t_end

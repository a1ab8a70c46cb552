#!/bin/sh
# tests/integration/image/archive.t - images in and out of tar files: save/load round trips (oci-archive,
# docker-archive), zstd layers, hostile and altered archives, a malformed image config,
# escaped entry names, a name that moves. Each test has its own store root.
#
#   sh tests/integration/image/archive.t
. "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/image/lib.sh"

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
	if [ -L /dev/stdout ] || [ -c /dev/stdout ]; then
		mi save -o /dev/stdout rt:1 >"$T_DIR/stdout.tar" || t_fail "save -o /dev/stdout"
		cmp -s "$T_DIR/stdout.tar" "$T_DIR/again.tar" || t_fail "save -o /dev/stdout differs"
		[ -L /dev/stdout ] || [ -c /dev/stdout ] || t_fail "/dev/stdout was replaced"
	fi
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
	t_eq "$(cd "$T_DIR/r2" && find images/blobs layers -type f | wc -l | tr -d ' ')" 0 "files stored"
}

climbing_archive_refused() {
	need_cli
	# an entry that climbs out with ..
	mkdir -p "$T_DIR/c/sub" && echo evil >"$T_DIR/c/evil.txt"
	(cd "$T_DIR/c/sub" && tar -cPf "$T_DIR/climb.tar" ../evil.txt) || t_skip "tar -P is GNU tar's"
	t_status 1 "$MI" --root "$T_DIR/r2" load -i "$T_DIR/climb.tar"
	t_match "$T_OUT" "climb.tar"
	[ ! -e "$T_DIR/r2/images/evil.txt" ] || t_fail "evil.txt landed outside the temp dir"
	t_eq "$(cd "$T_DIR/r2" && find images/blobs layers -type f | wc -l | tr -d ' ')" 0 "files stored"
	t_eq "$(ls "$T_DIR/r2/images/.tmp")" "" ".tmp leftovers"
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

# one_clean_line TEXT WHAT - TEXT is one line of printable ASCII (no escape sequence, no
# byte a terminal would take as anything but text)
one_clean_line() {
	t_eq "$(printf '%s\n' "$1" | wc -l | tr -d ' ')" 1 "$2: lines"
	t_eq "$(printf '%s' "$1" | LC_ALL=C tr -d '\040-\176' | wc -c | tr -d ' ')" 0 \
		"$2: bytes that are not printable ASCII in '$1'"
}

hostile_entry_names_escaped() {
	need_cli
	# a name with a clear-screen, a title-setting sequence, a newline and bytes that are
	# not UTF-8, climbing out with ..; then the same name inside a tar cut short
	bad=$(printf 'x\033[2J\033]0;pwned\007\n\377\376y')
	mkdir -p "$T_DIR/e/sub" && echo evil >"$T_DIR/e/$bad"
	(cd "$T_DIR/e/sub" && tar -cPf "$T_DIR/climb.tar" "../$bad") || t_skip "tar -P is GNU tar's"
	head -c 5000 /dev/zero >"$T_DIR/e/$bad"
	(cd "$T_DIR/e" && tar -cf "$T_DIR/whole.tar" "$bad") || t_fail "tar"
	head -c 1536 "$T_DIR/whole.tar" >"$T_DIR/cut.tar"
	shown='x\\x1b\[2J\\x1b\]0;pwned\\x07\\n\\xff\\xfey'
	t_status 1 "$MI" --root "$T_DIR/r2" load -i "$T_DIR/climb.tar"
	one_clean_line "$T_OUT" "load of a climbing entry"
	t_match "$T_OUT" "'\.\./$shown': path climbs out" "load names the entry escaped"
	t_status 1 "$MI" --root "$T_DIR/r2" import "$T_DIR/climb.tar" x:1
	one_clean_line "$T_OUT" "import of a climbing entry"
	t_match "$T_OUT" "entry '\.\./$shown': refused" "import names the entry escaped"
	t_status 1 "$MI" --root "$T_DIR/r2" import "$T_DIR/cut.tar" x:1
	one_clean_line "$T_OUT" "import of a truncated tar"
	t_match "$T_OUT" "entry '$shown': Truncated" "import names the entry escaped"
	t_eq "$(cd "$T_DIR/r2" && find images/blobs layers -type f | wc -l | tr -d ' ')" 0 "files stored"
}

load_refuses_a_malformed_config() {
	need_cli
	import_busybox bad:1 >/dev/null
	mi save -o "$T_DIR/d.tar" bad:1
	mkdir "$T_DIR/d" && tar -xf "$T_DIR/d.tar" -C "$T_DIR/d"
	cfg=$(sed 's/.*"Config":"\([^"]*\)".*/\1/' "$T_DIR/d/manifest.json")
	# the config's "config" object replaced: Env a string, as a hostile image has it
	printf '%s"config":{"Cmd":["sh"],"Env":"x"}%s' \
		"$(sed 's/"config":{[^}]*}.*//' "$T_DIR/d/$cfg")" \
		"$(sed 's/.*"config":{[^}]*}//' "$T_DIR/d/$cfg")" >"$T_DIR/cfg"
	mv "$T_DIR/cfg" "$T_DIR/d/$cfg"
	(cd "$T_DIR/d" && tar -cf "$T_DIR/bad.tar" .)
	t_status 1 "$MI" --root "$T_DIR/r2" load -i "$T_DIR/bad.tar"
	t_eq "$T_OUT" "minirun: image 'bad:1': config.Env must be an array of strings, not a string"
	t_eq "$("$MI" --root "$T_DIR/r2" images -q)" "" "images"
	t_eq "$(cd "$T_DIR/r2" && find images/blobs layers -type f | wc -l | tr -d ' ')" 0 "files stored"
}

load_moves_a_name() {
	need_cli
	import_busybox box:1 >/dev/null
	mi save -o "$T_DIR/a.tar" box:1
	# the second import in a later whole second (another created time, another ID): the
	# clock past the second the first was made in, not a fixed second
	_s=$(date +%s)
	while [ "$(date +%s)" = "$_s" ]; do sleep 0.05; done
	import_busybox box:1 >/dev/null
	out=$(mi load -i "$T_DIR/a.tar") || t_fail "load exited $?"
	t_match "$out" '^The image box:1 already exists, renaming the old one with ID sha256:[0-9a-f]{64} to empty string$'
	t_match "$(mi images)" '^<none> +<none> ' "the old one, unnamed"
}

not_an_archive_is_named() {
	need_cli
	head -c 4096 /dev/urandom >"$T_DIR/random.bin"
	: >"$T_DIR/empty.tar"
	for f in random.bin empty.tar; do
		out=$(mi load -i "$T_DIR/$f" 2>&1) && t_fail "load of $f succeeded: $out"
		t_eq "$out" "minirun: '$T_DIR/$f' is not a tar archive (a docker-archive or oci-archive): give a file made by 'minirun save' or 'docker save'" "load -i $f"
	done
	out=$(mi load </dev/null 2>&1) && t_fail "load < /dev/null succeeded: $out"
	t_match "$out" "^minirun: standard input is not a tar archive" "load < /dev/null"
	t_eq "$(mi images -q | wc -l | tr -d ' ')" 0 "images stored"
	t_eq "$(ls -A "$T_DIR/root/images/.tmp" 2>/dev/null | wc -l | tr -d ' ')" 0 "temp dirs left in the store"
}

t "save then load (oci-archive, docker-archive) keeps every digest" round_trip_keeps_digests
t "load of random bytes, an empty file or empty stdin says it is not a tar archive" not_an_archive_is_named
t "a zstd tarball imports as a zstd layer; docker-archive gets it plain" zstd_import_and_save
t "a docker-archive whose layer.tar is a symlink to a host file is refused" hostile_archives_refused
t "an archive with a '..' entry is refused, nothing written outside" climbing_archive_refused
t "an archive whose blob was altered is refused, nothing stored" altered_archive_is_refused
t "load of a name in use moves it, as docker says" load_moves_a_name
t "load of an image whose config has a field of the wrong type is refused, naming it; nothing stored" \
	load_refuses_a_malformed_config
t "a hostile or truncated tar's entry names print escaped, on one line (load, import)" \
	hostile_entry_names_escaped
t_end

# tests/integration/build/conformance/lib.sh - what the build conformance suite compares
# (sourced by conformance.t after t.sh; not a suite).
#
# Each builder's image is saved as a docker-archive (`minirun save`, `docker save`,
# `buildah push IMAGE docker-archive:F`) and turned into one canonical text, the same way
# for all three, so that `diff` between two of them is the list of differences:
#
#	Cmd ["/bin/sh","-c","echo hi"]          one line per config field the issue names,
#	Healthcheck {"Interval":5000000000,...} as compact JSON with sorted keys; "-" when the
#	...                                     field is absent, null or empty
#	/app/a.txt f 0644 1234 1234 6           one line per path of the merged layers: path,
#	/bin/sh l 0777 0 0 - /bin/busybox       type (f d l p ...), mode, uid, gid, size ("-" for
#	                                        directories and links), link target; no times
#
# What is normalised away, and why (each is a builder's own mark, not the Dockerfile's):
# buildah's `io.buildah.version` label, and zero-valued Healthcheck durations (docker
# omits them, buildah writes 0).

CF_FIELDS="Env Cmd Entrypoint WorkingDir User ExposedPorts Volumes Labels StopSignal
Healthcheck Shell OnBuild"

# cf_config DIR - the canonical config lines of the unpacked docker-archive in DIR
cf_config() {
	_cfg=$(jq -r '.[0].Config' "$1/manifest.json") || return 1
	for _f in $CF_FIELDS; do
		printf '%s ' "$_f"
		jq -rcS --arg f "$_f" '(.config // {})[$f]
			| if $f == "Labels" and type == "object" then del(."io.buildah.version") else . end
			| if $f == "Healthcheck" and type == "object"
			  then with_entries(select(.value != 0 and .value != null)) else . end
			| if . == null or . == {} or . == [] or . == "" then "-" else . end' \
			"$1/$_cfg" | tr -d '\n'
		echo
	done
}

# cf_flatten DIR ROOT - apply the layers of the unpacked docker-archive in DIR in order
# into ROOT, as an engine stacks them: a layer's whiteouts (.wh.NAME) delete NAME from the
# layers below, an opaque marker (.wh..wh..opq) empties its directory, then the layer's
# other entries are unpacked over what is there (owners and modes kept: run as root)
cf_flatten() {
	mkdir -p "$2"
	jq -r '.[0].Layers[]' "$1/manifest.json" | while read -r _l; do
		tar -tf "$1/$_l" | grep -E '(^|/)\.wh\.' | while read -r _w; do
			_d=$(dirname "$_w")
			case $(basename "$_w") in
			.wh..wh..opq) find "$2/$_d" -mindepth 1 -maxdepth 1 -exec rm -rf {} + ;;
			*) _n=$(basename "$_w"); rm -rf "$2/$_d/${_n#.wh.}" ;;
			esac
		done
		tar -xpf "$1/$_l" -C "$2" --numeric-owner --exclude='.wh.*' || return 1
	done
}

# cf_files ROOT - the canonical listing of the tree at ROOT (sorted by path)
cf_files() {
	(cd "$1" && find . -mindepth 1 \( -type d -printf '/%P d %#m %U %G -\n' \) \
		-o \( -type l -printf '/%P l %#m %U %G - %l\n' \) -o -printf '/%P %y %#m %U %G %s\n') |
		LC_ALL=C sort
}

# cf_canon ARCHIVE OUT - the canonical text of a saved image (config, then files) in OUT
cf_canon() {
	_x=$2.x
	rm -rf "$_x" && mkdir -p "$_x/a" "$_x/root"
	tar -xf "$1" -C "$_x/a" || return 1
	{ cf_config "$_x/a" && cf_flatten "$_x/a" "$_x/root" && cf_files "$_x/root"; } >"$2" || return 1
	rm -rf "$_x"
}

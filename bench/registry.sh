# bench/registry.sh - what the registry benchmarks share (POSIX sh, sourced): Debian's
# docker-registry on 127.0.0.1 with a throwaway config and storage, and a multi-layer image
# written by hand as an OCI layout. No network beyond loopback.
#
#	W=$(mktemp -d ...); BENCH=push          # the work dir; the name errors start with
#	. "$MR_TOP/bench/registry.sh"
#	bench_registry_start                    # sets REG=127.0.0.1:PORT, REG_PID
#	bench_oci_layout LAYERS MB NAME         # $W/layout: busybox + LAYERS-1 random layers
#	...
#	bench_registry_stop                     # from the caller's EXIT trap
#
# See: bench/push.sh, bench/image-pull.sh; the OCI image-layout spec.

REG_PID=

# bench_registry_start - docker-registry serving $W/reg on a free port; REG is its address
bench_registry_start() {
	PORT=$((20000 + $$ % 30000))
	while grep -qi ":$(printf '%04X' $PORT) " /proc/net/tcp; do PORT=$((PORT + 1)); done
	printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s/reg\nhttp:\n  addr: 127.0.0.1:%s\n' \
		"$W" "$PORT" >"$W/reg.yml"
	docker-registry serve "$W/reg.yml" >"$W/reg.log" 2>&1 &
	REG_PID=$!
	_i=0
	until curl -s -o /dev/null "http://127.0.0.1:$PORT/v2/"; do
		_i=$((_i + 1))
		[ $_i -lt 50 ] || { echo "$BENCH: the registry did not start" >&2; exit 1; }
		sleep 0.1
	done
	REG=127.0.0.1:$PORT
}

# bench_registry_stop - the registry ended, if it was started
bench_registry_stop() {
	if [ -n "$REG_PID" ]; then
		kill "$REG_PID" 2>/dev/null || true
		wait "$REG_PID" 2>/dev/null || true
	fi
}

# bench_oci_layout LAYERS MB [NAME] - an OCI layout in $W/layout, tag "1": a busybox layer
# plus LAYERS-1 layers of MB files of 1 MiB of random bytes each, gzip'd; NAME, if given,
# is also the io.containerd.image.name annotation (the name `minirun load` gives it)
bench_oci_layout() {
	L=$W/layout
	mkdir -p "$L/blobs/sha256"
	sh "$MR_TOP/tests/rootfs.sh" "$W/l0" >/dev/null
	_layers="" _diffs="" _n=0
	while [ $_n -lt "$1" ]; do
		_d=$W/l$_n
		if [ $_n -gt 0 ]; then
			mkdir -p "$_d/data/$_n"
			_k=0
			while [ $_k -lt "$2" ]; do
				head -c 1048576 /dev/urandom >"$_d/data/$_n/f$_k"
				_k=$((_k + 1))
			done
		fi
		tar -C "$_d" -cf "$W/t" .
		_diff=$(sha256sum "$W/t" | cut -d' ' -f1)
		gzip -1 -c "$W/t" >"$W/g"
		_size=$(wc -c <"$W/g" | tr -d ' ')
		_h=$(bench_blob "$W/g")
		_layers="$_layers${_layers:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$_h\",\"size\":$_size}"
		_diffs="$_diffs${_diffs:+,}\"sha256:$_diff\""
		rm -rf "$_d" "$W/t"
		_n=$((_n + 1))
	done
	printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
		"$_diffs" >"$W/c"
	_csize=$(wc -c <"$W/c" | tr -d ' ')
	_c=$(bench_blob "$W/c")
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
		"$_c" "$_csize" "$_layers" >"$W/m"
	_msize=$(wc -c <"$W/m" | tr -d ' ')
	_m=$(bench_blob "$W/m")
	printf '{"imageLayoutVersion":"1.0.0"}' >"$L/oci-layout"
	_ann="\"org.opencontainers.image.ref.name\":\"1\"${3:+,\"io.containerd.image.name\":\"$3\"}"
	printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{%s}}]}' \
		"$_m" "$_msize" "$_ann" >"$L/index.json"
}

# bench_blob FILE - FILE moved into the layout's blobs under its sha256; prints the hex
bench_blob() {
	_bh=$(sha256sum "$1" | cut -d' ' -f1)
	mv "$1" "$L/blobs/sha256/$_bh"
	echo "$_bh"
}

# tests/integration/containers/badinput.t - `minirun run` refusing bad input the way docker
# does: an unknown image, a bad port spec, a name in use, a bad memory size, a volume path
# that is not absolute, a port already taken; an image whose config has a field of the
# wrong type or shape; a mount over /proc, /sys or /dev; a name or hostname with a control
# character or too long. Each: one line naming the input in docker's
# words, exit 125, and nothing left (no container, name claim, volume, mount, veth, nft
# element, lease, process). Runs in a namespace playing the host.
#   MR_TOP=$PWD sh tests/integration/containers/badinput.t
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

# bad RUN-ARGS... - run them; print "rc=N", the stderr lines prefixed "err: ", their number
# (docker's "See 'docker run --help'." after a flag's error not counted), and what is left
# beyond what was there before
BAD='
bad() {
	before=$(ct_ids; mr volume ls -q)
	mr run "$@" >"$R/out" 2>"$R/err"
	echo "rc=$?"
	sed "s/^/err: /" "$R/err"
	# one line; docker adds "See '\''docker run --help'\''." after a flag'\''s error
	echo "lines: $(grep -vc "^See '\''minirun run --help'\''\.$" "$R/err")"
	[ -s "$R/out" ] && sed "s/^/stdout: /" "$R/out"
	[ "$before" = "$(ct_ids; mr volume ls -q)" ] || echo "leak: a container or volume was left"
}'

unknown_image() {
	ct_need
	out=$(ct_host "$BAD"'
		bad --rm nosuchimage:1.0 true
		ct_leaks') || t_fail "$out"
	t_match "$out" '^rc=125$'
	t_match "$out" "^err: .*nosuchimage:1\\.0" "the message names the image"
	t_nomatch "$out" '^stdout: '
	t_nomatch "$out" '^leak:'
}

bad_port_spec() {
	ct_need
	out=$(ct_host "$BAD"'
		bad --rm -p 80:abc busybox true
		bad --rm -p 99999:80 busybox true
		bad --rm -p 80:80/sctp busybox true
		ct_leaks') || t_fail "$out"
	t_match "$out" '^err: minirun: Invalid containerPort: abc$' "docker's message for the container port"
	t_match "$out" '^err: minirun: Invalid hostPort: 99999$' "and for the host port"
	t_match "$out" '^err: minirun: invalid proto: sctp' "and for the protocol"
	t_eq "$(printf '%s\n' "$out" | grep -c '^rc=125$')" 3 "each exits 125"
	t_eq "$(printf '%s\n' "$out" | grep -c '^lines: 1$')" 3 "each says one line"
	t_nomatch "$out" '^leak:'
}

name_in_use() {
	ct_need
	out=$(ct_host "$BAD"'
		id=$(mr run -d --name taken busybox sleep 60) || die "run -d"
		bad --name taken busybox true
		echo "first: $(ct_inspect taken | tr -d " " | grep -c "^\"Status\":\"running\"")"
		mr rm -f taken >/dev/null || die "rm -f"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^err: minirun: Conflict\. The container name "/taken" is already in use by container "[0-9a-f]{64}"\. You have to remove \(or rename\) that container to be able to reuse that name\.?$' "docker's message"
	t_match "$out" '^rc=125$'
	t_match "$out" '^lines: 1$'
	t_match "$out" '^first: 1$' "the first container is untouched (still running)"
	t_nomatch "$out" '^leak:'
}

bad_memory() {
	ct_need
	out=$(ct_host "$BAD"'
		bad --rm -m 12x busybox true
		bad --rm -m 1k busybox true
		ct_leaks') || t_fail "$out"
	t_match "$out" "^err: minirun: invalid argument \"12x\" for \"-m, --memory\" flag: invalid size: '12x'\$" "docker's message for a bad size"
	t_match "$out" '^err: minirun: .*Minimum memory limit allowed is 6MB' "and for one too small"
	t_eq "$(printf '%s\n' "$out" | grep -c '^rc=125$')" 2 "each exits 125"
	t_nomatch "$out" '^leak:'
}

bad_tmpfs_options() {
	ct_need
	out=$(ct_host "$BAD"'
		bad --rm --tmpfs /x:size=-1 busybox true
		bad --rm --tmpfs /x:mode=9 busybox true
		bad --rm --tmpfs /x:bogus busybox true
		mr run --rm --network none --tmpfs /x:size=8m,mode=700,noexec busybox \
			sh -c "grep \" /x \" /proc/mounts" | sed "s/^/ok: /"
		ct_leaks') || t_fail "$out"
	t_match "$out" "^err: minirun: invalid argument \"/x:size=-1\" for \"--tmpfs\" flag: size=-1 is not a size: give bytes, with k, m or g \(size=64m\), or a percentage of memory \(size=10%\)\$"
	t_match "$out" "^err: minirun: invalid argument \"/x:mode=9\" for \"--tmpfs\" flag: mode=9 is not an octal mode"
	t_match "$out" "^err: minirun: invalid argument \"/x:bogus\" for \"--tmpfs\" flag: unknown tmpfs option 'bogus'\$"
	t_eq "$(printf '%s\n' "$out" | grep -c '^rc=125$')" 3 "each exits 125"
	t_match "$out" '^ok: tmpfs /x tmpfs rw,nosuid,nodev,noexec,.*size=8192k,.*mode=700' "good options still mount"
	t_nomatch "$out" '^leak:'
}

relative_volume() {
	ct_need
	out=$(ct_host "$BAD"'
		bad --rm -v vol:relative/path busybox true
		bad --rm -v ./here:/x busybox true
		ct_leaks') || t_fail "$out"
	t_match "$out" "^err: minirun: invalid volume specification: 'vol:relative/path': invalid mount config for type \"volume\": invalid mount path: 'relative/path' mount path must be absolute\$" "a relative target"
	t_match "$out" '^err: minirun: create \./here: "\./here" includes invalid characters for a local volume name, only "\[a-zA-Z0-9\]\[a-zA-Z0-9_\.-\]" are allowed\. If you intended to pass a host directory, use absolute path$' "a relative source"
	t_eq "$(printf '%s\n' "$out" | grep -c '^rc=125$')" 2 "each exits 125"
	t_nomatch "$out" '^leak:'
}

port_taken() {
	ct_need
	out=$(ct_host "$BAD"'
		id=$(mr run -d --name holder -p 8080:80 busybox sleep 60) || die "run -d"
		bad --rm -p 8080:80 -v /k busybox true
		mr volume ls -q | sed "s/^/volume: /"
		mr rm -f holder >/dev/null || die "rm -f"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^err: minirun: driver failed programming external connectivity on endpoint [a-z_0-9]+ \([0-9a-f]{12}\): Bind for 0\.0\.0\.0:8080 failed: port is already allocated$' "docker's message"
	t_match "$out" '^rc=125$'
	t_match "$out" '^lines: 1$'
	t_nomatch "$out" '^leak:'
}

hostile_image_config() {
	ct_need
	ct_image evil:env '{"Cmd":["sh"],"Env":"x"}'
	ct_image evil:user '{"Cmd":["sh"],"User":123}'
	ct_image evil:cmd '{"Cmd":5}'
	ct_image evil:ports '{"Cmd":["sh"],"ExposedPorts":["80/tcp"]}'
	ct_image evil:port '{"Cmd":["sh"],"ExposedPorts":{"http":{}}}'
	ct_image evil:kv '{"Cmd":["sh"],"Env":["\u001b]0;pwned\u0007NOEQUALS"]}'
	ct_image evil:vol '{"Cmd":["sh"],"Volumes":{"/proc":{}}}'
	ct_image evil:labels '{"Cmd":["sh"],"Labels":{"a":1}}'
	ct_image evil:sig '{"Cmd":["sh"],"StopSignal":"SIGNOPE"}'
	ct_image evil:wd '{"Cmd":["sh"],"WorkingDir":7}'
	out=$(ct_host "$BAD"'
		for i in env user cmd ports port kv vol labels sig wd; do
			bad --rm evil:$i true
		done
		ct_leaks') || t_fail "$out"
	t_eq "$(printf '%s\n' "$out" | grep -c '^rc=125$')" 10 "each exits 125: $out"
	t_eq "$(printf '%s\n' "$out" | grep -c '^lines: 1$')" 10 "each says one line: $out"
	t_nomatch "$out" '^stdout:'
	t_nomatch "$out" '^leak:'
	t_nomatch "$out" "$(printf '\033')" "an escape sequence of the image's reaches the terminal"
	t_match "$out" "^err: minirun: image 'evil:env': config.Env must be an array of strings, not a string$"
	t_match "$out" "^err: minirun: image 'evil:user': config.User must be a string, not a number$"
	t_match "$out" "^err: minirun: image 'evil:cmd': config.Cmd must be an array of strings, not a number$"
	t_match "$out" "^err: minirun: image 'evil:ports': config.ExposedPorts must be an object, not an array$"
	t_match "$out" "^err: minirun: image 'evil:port': config.ExposedPorts key \"http\" is not PORT\[/tcp\|udp\|sctp\]$"
	t_match "$out" "^err: minirun: image 'evil:kv': config.Env\[0\] \"\\\\x1b\]0;pwned\\\\x07NOEQUALS\" is not KEY=VALUE$"
	t_match "$out" "^err: minirun: image 'evil:vol': config.Volumes key: mount destination '/proc': cannot be mounted because it is not of type proc$"
	t_match "$out" "^err: minirun: image 'evil:labels': config.Labels\[\"a\"\] must be a string, not a number$"
	t_match "$out" "^err: minirun: image 'evil:sig': config.StopSignal \"SIGNOPE\" is not a signal$"
	t_match "$out" "^err: minirun: image 'evil:wd': config.WorkingDir must be a string, not a number$"
}

mounts_over_proc_sys_dev() {
	ct_need
	out=$(ct_host "$BAD"'
		bad --rm -v /tmp:/proc busybox true
		bad --rm --tmpfs /proc busybox true
		bad --rm --mount type=tmpfs,dst=/proc/sys busybox true
		bad --rm -v /tmp:/proc/sys/kernel busybox true
		bad --rm -v /tmp:/x/../proc busybox true
		bad --rm -v /tmp:/sys busybox true
		bad --rm --mount type=volume,src=v1,dst=/dev busybox true
		bad --rm --tmpfs /dev busybox true
		ct_leaks') || t_fail "$out"
	t_eq "$(printf '%s\n' "$out" | grep -c '^rc=125$')" 8 "each exits 125: $out"
	t_eq "$(printf '%s\n' "$out" | grep -c '^lines: 1$')" 8 "each says one line: $out"
	t_nomatch "$out" '^stdout:'
	t_nomatch "$out" '^leak:'
	t_eq "$(printf '%s\n' "$out" | grep -c "^err: minirun: mount destination '[/a-z.]*proc': cannot be mounted because it is not of type proc$")" 3 "runc's words for /proc: $out"
	t_match "$out" "^err: minirun: mount destination '/proc/sys': cannot be mounted because it is inside /proc$"
	t_match "$out" "^err: minirun: mount destination '/proc/sys/kernel': cannot be mounted because it is inside /proc$"
	t_match "$out" "^err: minirun: mount destination '/sys': cannot be mounted over the container's read-only sysfs \(mount below it instead\)$"
	t_eq "$(printf '%s\n' "$out" | grep -c "^err: minirun: mount destination '/dev': cannot be mounted over the container's device nodes")" 2 "/dev: $out"
}

names_and_hostnames() {
	ct_need
	out=$(ct_host "$BAD"'
		bad --rm --name "$(printf "a\nb")" busybox true
		bad --rm --name "$(printf "x\033[2J")" busybox true
		bad --rm --name "$(printf "%0300d" 0)" busybox true
		bad --rm -h "$(printf "a\nb")" busybox true
		bad --rm -h "$(printf "x\033]0;t\007")" busybox true
		bad --rm -h "$(printf "%065d" 0)" busybox true
		mr run --rm --network none --name "$(printf "%0255d" 0)" -h "$(printf "%064d" 0)" \
			busybox hostname | sed "s/^/longest: /"
		ct_leaks') || t_fail "$out"
	t_eq "$(printf '%s\n' "$out" | grep -c '^rc=125$')" 6 "each exits 125: $out"
	t_eq "$(printf '%s\n' "$out" | grep -c '^lines: 1$')" 6 "each says one line: $out"
	t_nomatch "$out" '^stdout:'
	t_nomatch "$out" '^leak:'
	t_nomatch "$out" "$(printf '\033')" "an escape sequence reaches the terminal"
	t_match "$out" '^err: minirun: Invalid container name \(a\\nb\), only \[a-zA-Z0-9\]\[a-zA-Z0-9_.-\] are allowed$'
	t_match "$out" '^err: minirun: Invalid container name \(x\\x1b\[2J\), only'
	t_match "$out" '^err: minirun: Invalid container name \(0+\.\.\.\): longer than 255 characters$'
	t_match "$out" '^err: minirun: invalid hostname \(a\\nb\): it holds a control character$'
	t_match "$out" '^err: minirun: invalid hostname \(x\\x1b\]0;t\\x07\): it holds a control character$'
	t_match "$out" '^err: minirun: invalid hostname \(0{65}\): longer than 64 characters$'
	t_match "$out" '^longest: 0{64}$' "a 255-character name and a 64-character hostname work"
}

t "an unknown image: exit 125, the image named, nothing left" unknown_image
t "a bad -p spec: docker's message, exit 125, nothing left" bad_port_spec
t "a name in use: docker's Conflict message, exit 125, the first one untouched" name_in_use
t "a bad -m size: docker's message, exit 125, nothing left" bad_memory
t "a bad --tmpfs option or value: refused as a flag, before any config, 125, nothing left" bad_tmpfs_options
t "a volume path that is not absolute: docker's message, exit 125, nothing left" relative_volume
t "a port already taken: docker's message, exit 125, nothing left (not even its anonymous volume)" port_taken
t "an image config field of the wrong type or shape: one line naming the image and the field, 125, nothing left" \
	hostile_image_config
t "a volume, bind or tmpfs over /proc, /sys or /dev, or inside /proc: runc's words, 125, nothing left" \
	mounts_over_proc_sys_dev
t "a name or hostname with a control character, or too long: refused, shown escaped, the limit said" \
	names_and_hostnames
t_end

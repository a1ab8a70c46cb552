#!/bin/sh
# labs/06-best-practices/01-root-inside/lab.sh - the container's root is the host's root;
# a user namespace's root is an ordinary uid outside: ns/user's, and minirun's --userns=auto.
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab root-inside STEP`)
#
# check reads what the learner saved: rootful.txt (the owner of a file made by a container)
# userns.txt (the same made by ns/user's root, and its try at a root-owned host file) and
# auto.txt (the same from a --userns=auto container, with the owners it sees inside).
# Exit 0 pass, 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=root-inside
. "$(dirname "$0")/../bplab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env':
  minirun run --rm -v $LAB_STATE/shared:/shared busybox touch /shared/by-container-root
  stat -c '%u %n' $LAB_STATE/shared/by-container-root > $LAB_STATE/rootful.txt
  ./ns/user -m 0:100000:65536 -- sh -c 'touch $LAB_STATE/shared/by-userns-root; echo x >>$LAB_STATE/shared/host-file' 2>&1 | tee $LAB_STATE/userns.txt
  stat -c '%u %n' $LAB_STATE/shared/by-userns-root >> $LAB_STATE/userns.txt
  minirun run --rm --userns=auto -v $LAB_STATE/shared:/shared busybox sh -c 'cat /proc/self/uid_map; stat -c "%u %n" /bin/busybox /shared/host-file; touch /shared/by-auto-root; echo x >>/shared/host-file' 2>&1 | tee $LAB_STATE/auto.txt
  stat -c '%u %n' $LAB_STATE/shared/by-auto-root >> $LAB_STATE/auto.txt
  (--userns=auto takes its range from $LAB_STATE/subuid: MINIRUN_CONFIG in the env names it)
HINT
}

setup_() {
	[ -x "$MR_TOP/ns/user" ] || { echo "ns/user is not built: run 'make ns' first"; return 1; }
	mkdir -p "$LAB_STATE/shared" && chmod 1777 "$LAB_STATE/shared" &&
		echo "root's" >"$LAB_STATE/shared/host-file" && chmod 644 "$LAB_STATE/shared/host-file" &&
		chmod 755 "$LAB_STATE" || return 1
	# --userns=auto's ranges: a subuid file of the lab's own, named by a minirun.conf the
	# env exports, so the machine's /etc/subuid is left alone
	echo "containers:200000:65536" >"$LAB_STATE/subuid" &&
		printf 'subuid-file = %s\nsubgid-file = %s\n' "$LAB_STATE/subuid" "$LAB_STATE/subuid" \
			>"$LAB_STATE/minirun.conf" &&
		echo "export MINIRUN_CONFIG=$LAB_STATE/minirun.conf" >>"$LAB_STATE/env"
}

run_() {
	minirun run --rm -v "$LAB_STATE/shared:/shared" busybox sh -c \
		'id -u; cat /proc/self/uid_map; touch /shared/by-container-root; echo x >>/shared/host-file && echo "host-file: written"'
	stat -c '%u %n' "$LAB_STATE/shared/by-container-root" | tee "$LAB_STATE/rootful.txt"
	./ns/user -m 0:100000:65536 -- sh -c \
		'id -u; cat /proc/self/uid_map; touch $LAB_STATE/shared/by-userns-root; echo x >>$LAB_STATE/shared/host-file && echo "host-file: written"' \
		2>&1 | tee "$LAB_STATE/userns.txt"
	stat -c '%u %n' "$LAB_STATE/shared/by-userns-root" | tee -a "$LAB_STATE/userns.txt"
	minirun run --rm --userns=auto -v "$LAB_STATE/shared:/shared" busybox sh -c \
		'id -u; cat /proc/self/uid_map; stat -c "%u %n" /bin/busybox /shared/host-file; touch /shared/by-auto-root; echo x >>/shared/host-file && echo "host-file: written"' \
		2>&1 | tee "$LAB_STATE/auto.txt"
	stat -c '%u %n' "$LAB_STATE/shared/by-auto-root" | tee -a "$LAB_STATE/auto.txt"
}

check_() {
	have rootful.txt
	have userns.txt
	expect_or "rootful.txt says the container's file belongs to uid 0" "it says: $(cat "$LAB_STATE/rootful.txt")" \
		grep -q "^0 .*by-container-root" "$LAB_STATE/rootful.txt"
	expect "by-container-root is root's on the host" [ "$(stat -c %u "$LAB_STATE/shared/by-container-root")" = 0 ]
	echo "check: ok - the container's root made a file owned by uid 0 on the host (uid_map 0 0 4294967295)"
	expect_or "userns.txt ends with the owner of by-userns-root, 100000" "it says: $(cat "$LAB_STATE/userns.txt")" \
		grep -q "^100000 .*by-userns-root" "$LAB_STATE/userns.txt"
	expect "userns.txt has the map line '0 100000 65536'" grep -Eq '^ *0 +100000 +65536' "$LAB_STATE/userns.txt"
	echo "check: ok - the user namespace's root made a file owned by uid 100000 on the host"
	expect "userns.txt shows the write to host-file refused (Permission denied)" \
		grep -q "host-file: Permission denied" "$LAB_STATE/userns.txt"
	expect "the user namespace's root did not write host-file" not grep -q "host-file: written" "$LAB_STATE/userns.txt"
	echo "check: ok - and could not write the host's root-owned host-file (Permission denied)"
	have auto.txt
	# a kernel before 5.19, or a file system without idmapped mounts (tmpfs before 6.3: the
	# VM tier's /tmp), can't run step 4: said, and the lab passes on its first three
	if grep -q "layers idmapped" "$LAB_STATE/auto.txt"; then
		echo "  --   step 4 not possible here: $(grep -m1 "layers idmapped" "$LAB_STATE/auto.txt")"
		return 0
	fi
	expect_or "auto.txt has the map line '0 200000 65536'" "it says: $(cat "$LAB_STATE/auto.txt")" \
		grep -Eq '^ *0 +200000 +65536' "$LAB_STATE/auto.txt"
	expect_or "auto.txt ends with the owner of by-auto-root, 200000" "it says: $(tail -1 "$LAB_STATE/auto.txt")" \
		grep -q "^200000 .*by-auto-root" "$LAB_STATE/auto.txt"
	expect "inside, the image's /bin/busybox is root's and host-file is nobody's (65534)" \
		sh -c "grep -q '^0 /bin/busybox' '$LAB_STATE/auto.txt' && grep -q '^65534 /shared/host-file' '$LAB_STATE/auto.txt'"
	expect "the --userns=auto container's root did not write host-file" \
		not grep -q "host-file: written" "$LAB_STATE/auto.txt"
	echo "check: ok - --userns=auto: the container's root is uid 200000 outside, host-file is nobody's inside"
}

steps "$@"

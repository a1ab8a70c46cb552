# tests/integration/containers/housekeeping.t - docker's container housekeeping verbs:
# `rename` (the name moves, the old one is free, a taken one is refused in docker's words),
# `container prune` (stopped containers go, running ones stay, --filter label=/until=),
# `update` (new limits written to the running container's cgroup and recorded; a restart
# policy recorded), `export` (the merged filesystem as a tar, of a stopped and of a running
# container), `wait --condition` (next-exit, removed); nothing left behind.
# Run: sh tests/integration/containers/housekeeping.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

hk_rename() {
	ct_need
	ct_host '
		mr create --name old busybox true >/dev/null || die create
		mr create --name other busybox true >/dev/null || die create
		mr rename old new || die "rename exited $?"
		[ "$(ct_field new Name)" = /new ] || die "Name: $(ct_field new Name)"
		out=$(mr inspect old 2>&1) && die "old name still answers: $out"
		mr create --name old busybox true >/dev/null || die "the old name is not free"
		out=$(mr rename new other 2>&1); rc=$?
		[ $rc = 1 ] && echo "$out" | grep -q "Conflict. The container name \"/other\" is already in use" ||
			die "taken: $rc $out"
		out=$(mr rename new new 2>&1); rc=$?
		[ $rc = 1 ] && echo "$out" | grep -q "same name as its current name" || die "same: $rc $out"
		out=$(mr rename new "b@d" 2>&1); rc=$?
		[ $rc = 1 ] && echo "$out" | grep -q "Invalid container name (/b@d)" || die "bad: $rc $out"
		out=$(mr rename nosuch x1 2>&1); rc=$?
		[ $rc = 1 ] && [ "$out" = "minirun: No such container: nosuch
minirun: failed to rename container named nosuch" ] || die "unknown: $rc $out"
		out=$(mr rename new 2>&1); rc=$?
		[ $rc = 125 ] || die "one operand: $rc $out"
		mr rm new old other >/dev/null || die rm
		ct_noleaks
	'
}
t "rename: the name moves and the old one is free; taken, same, bad and unknown refused" hk_rename

hk_prune() {
	ct_need
	ct_host '
		mr run --name done1 --network none busybox sh -c "echo x >/big" || die run
		mr create --name made --label env=test busybox true >/dev/null || die create
		mr run -d --name live --network none busybox sleep 300 >/dev/null || die run
		out=$(echo n | mr container prune) || die "prune, answered n: $?"
		echo "$out" | grep -q "WARNING! This will remove all stopped containers." || die "prompt: $out"
		[ "$(ct_ids | wc -l)" = 3 ] || die "n removed something"
		out=$(mr container prune -f --filter label=env=test) || die "prune label: $?"
		echo "$out" | grep -q "^Deleted Containers:" || die "output: $out"
		[ "$(ct_ids | wc -l)" = 2 ] || die "label filter: $(mr ps -a)"
		out=$(mr container prune -f --filter until=1h) || die "prune until: $?"
		[ "$(ct_ids | wc -l)" = 2 ] || die "until=1h removed a new container"
		out=$(mr container prune -f) || die "prune: $?"
		echo "$out" | grep -Eq "^Total reclaimed space: [0-9.]+k?B$" || die "total: $out"
		[ "$(ct_ids | wc -l)" = 1 ] && [ "$(ct_status live)" = running ] || die "left: $(mr ps -a)"
		out=$(mr container prune -f --filter bogus=1 2>&1); rc=$?
		# docker: its daemon refuses a key or value (1), its CLI a filter that is no K=V (125)
		[ $rc = 1 ] && [ "$out" = "minirun: Invalid filter '"'"'bogus'"'"'" ] || die "bad filter: $rc $out"
		out=$(mr container prune -f --filter until=yesterday 2>&1); rc=$?
		[ $rc = 1 ] && echo "$out" | grep -q "failed to parse value as time or duration: \"yesterday\"" ||
			die "bad until: $rc $out"
		out=$(mr container prune -f --filter label 2>&1); rc=$?
		[ $rc = 125 ] && echo "$out" | grep -q "bad format of filter (expected name=value)" ||
			die "no K=V: $rc $out"
		mr rm -f live >/dev/null
		ct_noleaks
	'
}
t "container prune: stopped containers go, a running one stays; -f, label=, until=, prompt" hk_prune


hk_update() {
	ct_need
	ct_host '
		# made with limits, so that its cgroups exist in every hierarchy (a v1 host
		# makes the memory and pids ones only for a container that has limits)
		mr run -d --name u1 --network none -m 128m --cpus 1 --pids-limit 50 busybox sleep 300 \
			>/dev/null || die run
		mr update --memory 64m --cpus 0.5 --pids-limit 77 --restart on-failure:2 u1 >/dev/null ||
			die "update exited $?"
		id=$(ct_field u1 Id)
		pm=$(find /sys/fs/cgroup -path "*$id*" -name pids.max 2>/dev/null | head -n 1)
		[ -n "$pm" ] && [ "$(cat "$pm")" = 77 ] || die "pids.max: $pm"
		mm=$(find /sys/fs/cgroup -path "*$id*" \( -name memory.max -o \
			-name memory.limit_in_bytes \) 2>/dev/null | head -n 1)
		[ -n "$mm" ] && [ "$(cat "$mm")" = 67108864 ] || die "memory limit: $mm"
		[ "$(mr stats --no-stream --format "{{.MemUsage}}" u1 | sed "s|.* / ||")" = 64MiB ] ||
			die "stats: $(mr stats --no-stream u1)"
		[ "$(ct_field u1 HostConfig.Memory)" = 67108864 ] || die "recorded memory"
		[ "$(ct_field u1 HostConfig.PidsLimit)" = 77 ] || die "recorded pids"
		[ "$(ct_field u1 HostConfig.NanoCpus)" = 500000000 ] || die "recorded cpus"
		[ "$(ct_field u1 HostConfig.RestartPolicy.Name)" = on-failure ] || die "recorded restart"
		out=$(mr update --restart sometimes u1 2>&1); rc=$?
		[ $rc = 1 ] && [ "$out" = "minirun: invalid restart policy '"'"'sometimes'"'"'" ] ||
			die "bad policy: $rc $out"
		out=$(mr update --memory lots u1 2>&1); rc=$?
		[ $rc = 125 ] || die "bad memory: $rc $out"
		out=$(mr update --memory 512m u1 2>&1); rc=$?
		[ $rc = 1 ] && echo "$out" | grep -q "Memory limit should be smaller than already set memoryswap limit" ||
			die "memory over the swap total: $rc $out"
		[ "$(ct_field u1 HostConfig.Memory)" = 67108864 ] || die "a refused update was recorded"
		out=$(mr update u1 2>&1); rc=$?
		[ $rc = 1 ] && echo "$out" | grep -q "provide one or more flags" || die "no flag: $rc $out"
		mr rm -f u1 >/dev/null
		mr create --name u2 busybox true >/dev/null
		mr update --memory 32m u2 >/dev/null || die "update of a created container"
		[ "$(ct_field u2 HostConfig.Memory)" = 33554432 ] || die "recorded on a created one"
		mr rm u2 >/dev/null
		ct_noleaks
	'
}
t "update: limits written to a running container's cgroup and recorded; bad values refused" hk_update

hk_export() {
	ct_need
	ct_host '
		mr run --name e1 --network none busybox sh -c "echo exported >/hello; rm /etc/group" || die run
		mr export -o $T_DIR/e1.tar e1 || die "export exited $?"
		tar -tf $T_DIR/e1.tar >$T_DIR/list || die "not a tar"
		grep -qx "hello" $T_DIR/list || die "no hello: $(head $T_DIR/list)"
		grep -qx "bin/sh" $T_DIR/list || die "no bin/sh"
		grep -q "^etc/group" $T_DIR/list && die "the deleted file is in it"
		[ "$(tar -xOf $T_DIR/e1.tar hello)" = exported ] || die "content"
		grep -q "^/" $T_DIR/list && die "absolute names"
		mr run -d --name e2 --network none busybox sleep 300 >/dev/null
		mr export e2 | tar -t | grep -qx "bin/busybox" || die "export of a running one"
		out=$(mr export nosuch 2>&1 >/dev/null); rc=$?
		[ $rc = 1 ] && [ "$out" = "minirun: No such container: nosuch" ] || die "unknown: $rc $out"
		mr rm -f e1 e2 >/dev/null
		rm -f $T_DIR/e1.tar
		ct_noleaks
	'
}
t "export: the merged filesystem as a tar, of a stopped and of a running container" hk_export

hk_wait() {
	ct_need
	ct_host '
		mr create --name w1 --network none busybox sh -c "exit 3" >/dev/null || die create
		( mr wait --condition next-exit w1 >$T_DIR/w1.out ) &
		wpid=$!
		sleep 0.3
		mr start w1 >/dev/null || die start
		wait $wpid || die "wait next-exit exited $?"
		[ "$(cat $T_DIR/w1.out)" = 3 ] || die "next-exit printed $(cat $T_DIR/w1.out)"
		[ "$(mr wait --condition not-running w1)" = 3 ] || die "not-running"
		( mr wait --condition removed w1 >$T_DIR/w2.out ) &
		wpid=$!
		sleep 0.3
		kill -0 $wpid 2>/dev/null || die "removed returned before the rm"
		mr rm w1 >/dev/null
		wait $wpid || die "wait removed exited $?"
		[ "$(cat $T_DIR/w2.out)" = 3 ] || die "removed printed $(cat $T_DIR/w2.out)"
		out=$(mr wait --condition soon x 2>&1); rc=$?
		[ $rc = 125 ] && echo "$out" | grep -q "invalid condition" || die "bad condition: $rc $out"
		rm -f $T_DIR/w1.out $T_DIR/w2.out
		ct_noleaks
	'
}
t "wait --condition: next-exit waits through a start, removed until the rm" hk_wait

t_end

# tests/integration/system/events.t - `minirun events` (= `system events`) over the journal
# every verb appends to (minirun/events/): each event of real verbs with docker's fields
# (Type, Action, Actor.ID and Attributes, scope, time, timeNano, the legacy status/id/from),
# checked with jq; the filters and their docker rules; the text line, {{json .}} and
# templates; --since/--until in docker's forms; following new events (a reader in the
# background, killed by its PID) and stopping at --until; rotation at a small
# MINIRUN_EVENTS_MAX_SIZE with readers reading both files; concurrent writers' whole lines;
# a journal that can't be written never failing the verb; bad input in docker's words.
# tests/integration/system/events-docker.t compares the shapes with a private dockerd.
# Run: sh tests/integration/system/events.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

ev_need() {
	ct_need
	command -v jq >/dev/null || t_skip "needs jq (make deps)"
}

# the body of each test, inside ct_host: ev SINCE [ARGS...] prints the events from SINCE to
# now as JSON lines; ev_one FILE ACTION prints the one event ACTION of FILE (dies unless one)
EV_LIB='
now() { date +%s.%N; }
ev() { _s=$1; shift; mr events --since "$_s" --until "$(now)" --format "{{json .}}" "$@"; }
ev_one() {
	_n=$(jq -c --arg a "$2" "select(.Action == \$a)" "$1" | wc -l)
	[ "$_n" = 1 ] || die "$_n events $2 in $(cat "$1")"
	jq -c --arg a "$2" "select(.Action == \$a)" "$1"
}
# check EVENT JQ-EXPRESSION: the expression holds for the event, else die naming both
check() { echo "$1" | jq -e "$2" >/dev/null || die "not ($2): $1"; }
# ready FILE - wait (5 s at most) until a reader started with -v, its stderr in FILE, says it
# reads: from then on it sees every new event
ready() {
	_i=0
	until grep -q "=> events: reading" "$1" 2>/dev/null || [ $_i -gt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
}
'

ev_container() {
	ev_need
	ct_host "$EV_LIB"'
		S=$(now)
		mr run --rm --name one --network none --label team=blue busybox sh -c "exit 3"
		[ $? = 3 ] || die "run exited $?"
		ev "$S" --filter type=container >$T_DIR/e || die "events exited $?"
		[ "$(jq -r .Action $T_DIR/e | tr "\n" " ")" = "create attach start die destroy " ] ||
			die "actions: $(jq -r .Action $T_DIR/e)"
		id=$(ev_one $T_DIR/e create | jq -r .Actor.ID)
		echo "$id" | grep -Eqx "[0-9a-f]{64}" || die "actor ID $id"
		for a in create attach start die destroy; do
			e=$(ev_one $T_DIR/e $a)
			check "$e" ".Type == \"container\" and .Action == \"$a\" and .status == \"$a\""
			check "$e" ".id == \"$id\" and .Actor.ID == \"$id\" and .from == \"busybox\""
			check "$e" ".Actor.Attributes.image == \"busybox\" and .Actor.Attributes.name == \"one\""
			check "$e" ".Actor.Attributes.team == \"blue\" and .scope == \"local\""
			check "$e" ".time == (.timeNano / 1000000000 | floor)"
			check "$e" "keys_unsorted == [\"status\",\"id\",\"from\",\"Type\",\"Action\",\"Actor\",\"scope\",\"time\",\"timeNano\"]"
		done
		check "$(ev_one $T_DIR/e die)" ".Actor.Attributes.exitCode == \"3\""
		check "$(ev_one $T_DIR/e start)" ".Actor.Attributes | has(\"exitCode\") | not"
		# in order of time, and each within the run
		jq -s -e "map(.timeNano) | . == sort" $T_DIR/e >/dev/null || die "not in order"
		# docker'"'"'s none network is a network it joins and leaves: here a mode, said alike
		ev "$S" --filter type=network >$T_DIR/n
		[ "$(jq -r .Action $T_DIR/n | tr "\n" " ")" = "connect disconnect " ] || die "none: $(cat $T_DIR/n)"
		check "$(ev_one $T_DIR/n connect)" ".Actor.Attributes == {\"container\":\"$id\",\"name\":\"none\",\"type\":\"null\"}"
		# `system events` is the same verb
		[ "$(mr system events --since "$S" --until "$(now)" --format "{{.Action}}" | wc -l)" = 7 ] ||
			die "system events"
		ct_noleaks
	'
}
t "run --rm: create, attach, start, die with exitCode, destroy; docker's fields and key order" ev_container

ev_verbs() {
	ev_need
	ct_host "$EV_LIB"'
		S=$(now)
		mr run -d --name two --network none busybox sleep 300 >/dev/null || die run
		mr kill -s USR1 two >/dev/null || die kill
		mr pause two >/dev/null && mr unpause two >/dev/null || die pause
		mr rename two deux || die rename
		mr exec deux sh -c "exit 4"
		mr stop -t 1 deux >/dev/null || die stop
		mr restart -t 1 deux >/dev/null || die restart
		cid=$(mr commit -m note deux cm:1) || die commit
		mr rm -f deux >/dev/null || die rm
		ev "$S" --filter type=container >$T_DIR/e
		jq -r .Action $T_DIR/e >$T_DIR/a
		want="create start kill pause unpause rename exec_create: sh -c exit 4 exec_start: sh -c exit 4 exec_die kill kill die stop start restart pause commit unpause kill die destroy"
		[ "$(tr "\n" " " <$T_DIR/a)" = "$want " ] || die "actions: $(cat $T_DIR/a)"
		check "$(jq -c "select(.Action == \"kill\")" $T_DIR/e | sed -n 1p)" ".Actor.Attributes.signal == \"10\" and .Actor.Attributes.name == \"two\""
		check "$(jq -c "select(.Action == \"kill\")" $T_DIR/e | sed -n 2p)" ".Actor.Attributes.signal == \"15\""
		check "$(jq -c "select(.Action == \"kill\")" $T_DIR/e | sed -n 3p)" ".Actor.Attributes.signal == \"9\""
		check "$(ev_one $T_DIR/e rename)" ".Actor.Attributes.name == \"deux\" and .Actor.Attributes.oldName == \"/two\""
		x=$(ev_one $T_DIR/e exec_die)
		check "$x" ".Actor.Attributes.exitCode == \"4\" and (.Actor.Attributes.execID | test(\"^[0-9a-f]{64}$\"))"
		xid=$(echo "$x" | jq -r .Actor.Attributes.execID)
		check "$(ev_one $T_DIR/e "exec_create: sh -c exit 4")" ".Actor.Attributes.execID == \"$xid\""
		check "$(jq -c "select(.Action == \"die\")" $T_DIR/e | sed -n 1p)" ".Actor.Attributes.exitCode == \"137\""
		check "$(ev_one $T_DIR/e commit)" ".Actor.Attributes.comment == \"note\" and .Actor.Attributes.imageID == \"$cid\" and .Actor.Attributes.imageRef == \"cm:1\""
		ct_noleaks
	'
}
t "kill (signal), pause, unpause, rename (oldName), exec_* (execID, exitCode), stop, restart, commit, rm -f" ev_verbs

ev_oom() {
	ev_need
	ct_host "$EV_LIB"'
		S=$(now)
		mr run --rm --name oomy --network none -m 16m --memory-swap 16m busybox \
			sh -c "x=\$(head -c 64m /dev/zero | tr \"\\\\0\" a)"
		[ $? = 137 ] || die "not killed"
		ev "$S" --filter type=container >$T_DIR/e
		[ "$(jq -r .Action $T_DIR/e | tr "\n" " ")" = "create attach start oom die destroy " ] ||
			die "actions: $(jq -r .Action $T_DIR/e)"
		check "$(ev_one $T_DIR/e oom)" ".Actor.Attributes.name == \"oomy\" and (.Actor.Attributes | has(\"exitCode\") | not)"
		ct_noleaks
	'
}
t "a container the OOM killer ends: oom, then die 137, as docker logs them" ev_oom

ev_stores() {
	ev_need
	ct_host "$EV_LIB"'
		S=$(now)
		img=$(mr image inspect -f "{{.Id}}" busybox)
		mr tag busybox bb:2 || die tag
		mr rmi bb:2 >/dev/null || die rmi
		mr save -o $T_DIR/bb.tar busybox || die save
		mr tag busybox gone:1 && mr rmi -f busybox gone:1 >/dev/null || die "rmi both"
		mr load -i $T_DIR/bb.tar >/dev/null || die load
		mr network create n1 >/dev/null || die "network create"
		nid=$(mr network inspect -f "{{.Id}}" n1)
		mr volume create v1 >/dev/null || die "volume create"
		mr run --rm --name three --network n1 -v v1:/data busybox true || die run
		mr network rm n1 >/dev/null && mr volume rm v1 >/dev/null || die "rm n1 v1"
		ev "$S" >$T_DIR/e
		ev "$S" --filter type=image | jq -r "[.Action, .Actor.ID, .Actor.Attributes.name] | join(\" \")" >$T_DIR/i
		cat >$T_DIR/want <<-EOF
		tag $img bb:2
		untag $img $img
		save $img $img
		tag $img gone:1
		untag $img $img
		untag $img $img
		delete $img $img
		load $img $img
		EOF
		diff $T_DIR/want $T_DIR/i || die "image events"
		check "$(jq -c "select(.Action == \"tag\")" $T_DIR/e | head -n 1)" ".status == \"tag\" and .id == \"$img\" and (has(\"from\") | not)"
		jq -c "select(.Type == \"network\")" $T_DIR/e >$T_DIR/n
		[ "$(jq -r .Action $T_DIR/n | tr "\n" " ")" = "create connect disconnect destroy " ] ||
			die "network actions: $(cat $T_DIR/n)"
		check "$(ev_one $T_DIR/n connect)" ".Actor.ID == \"$nid\" and .Actor.Attributes.name == \"n1\" and .Actor.Attributes.type == \"bridge\" and (.Actor.Attributes.container | test(\"^[0-9a-f]{64}$\"))"
		check "$(ev_one $T_DIR/n create)" "(has(\"status\") | not) and (.Actor.Attributes | keys) == [\"name\",\"type\"]"
		jq -c "select(.Type == \"volume\")" $T_DIR/e >$T_DIR/v
		[ "$(jq -r .Action $T_DIR/v | tr "\n" " ")" = "create create mount unmount destroy " ] ||
			die "volume actions: $(cat $T_DIR/v)"
		check "$(ev_one $T_DIR/v mount)" ".Actor.ID == \"v1\" and .Actor.Attributes.destination == \"/data\" and .Actor.Attributes[\"read/write\"] == \"true\" and .Actor.Attributes.driver == \"local\""
		check "$(ev_one $T_DIR/v destroy)" ".Actor.Attributes == {\"driver\":\"local\"}"
		ct_noleaks
	'
}
t "images (tag, untag, delete, save, load), networks (create, connect, disconnect, destroy), volumes (create, mount, unmount, destroy)" ev_stores

ev_health_build() {
	ev_need
	ct_host "$EV_LIB"'
		S=$(now)
		mr run -d --name hc --network none --health-cmd true --health-interval 1s busybox sleep 300 >/dev/null || die run
		i=0
		until grep -q "health_status" $R/events.log || [ $i -gt 60 ]; do sleep 0.1; i=$((i + 1)); done
		e=$(ev "$S" --filter event=health_status)
		check "$e" ".Action == \"health_status: healthy\" and .status == \"health_status: healthy\" and .Actor.Attributes.name == \"hc\""
		# the action with its status matches too
		[ "$(ev "$S" --filter "event=health_status: healthy" | wc -l)" = 1 ] || die "full action"
		mr rm -f hc >/dev/null
		# import with a name: tag, then import; build -t: tag
		img=$(mr import "$CT_IMAGE_TAR" imp:1) || die import
		mkdir $T_DIR/ctx && printf "FROM busybox\nLABEL stage=ev\n" >$T_DIR/ctx/Dockerfile
		mr build -q -t built:ev $T_DIR/ctx >/dev/null 2>&1 || die build
		bid=$(mr image inspect -f "{{.Id}}" built:ev)
		ev "$S" --filter type=image | jq -r "[.Action, .Actor.ID, .Actor.Attributes.name] | join(\" \")" >$T_DIR/i
		printf "tag %s imp:1\nimport %s %s\ntag %s built:ev\n" "$img" "$img" "$img" "$bid" >$T_DIR/want
		diff $T_DIR/want $T_DIR/i || die "image events"
		ct_noleaks
	'
}
t "health_status: healthy when the check first passes; import and build -t tag their image" ev_health_build

ev_filters() {
	ev_need
	ct_host "$EV_LIB"'
		S=$(now)
		mr create --name fa --network none --label tier=web --label env=prod busybox true >/dev/null
		mr create --name fb --network none --label tier=db busybox true >/dev/null
		mr volume create fv >/dev/null
		mr tag busybox other:1
		mr rm fa fb >/dev/null
		mr volume rm fv >/dev/null
		ida=$(ev "$S" --filter event=create --filter container=fa | jq -r .Actor.ID)
		n() { ev "$S" "$@" | jq -r "[.Type, .Action, .Actor.Attributes.name] | join(\":\")" | tr "\n" " "; }
		[ "$(n --filter type=volume)" = "volume:create: volume:destroy: " ] || die "type=volume: $(n --filter type=volume)"
		[ "$(n --filter container=fa)" = "container:create:fa container:destroy:fa " ] || die "container=fa"
		[ "$(n --filter container=$(echo $ida | cut -c1-12))" = "container:create:fa container:destroy:fa " ] || die "ID prefix"
		# two values of one key: either; two keys: both
		[ "$(n --filter container=fa --filter container=fb --filter event=destroy)" = "container:destroy:fa container:destroy:fb " ] ||
			die "or/and: $(n --filter container=fa --filter container=fb --filter event=destroy)"
		[ "$(n --filter label=tier)" = "container:create:fa container:create:fb container:destroy:fa container:destroy:fb " ] ||
			die "label=tier"
		[ "$(n --filter label=tier=web --filter label=env=prod)" = "container:create:fa container:destroy:fa " ] || die "labels"
		[ "$(n --filter label=tier=web --filter label=env=dev)" = "" ] || die "labels and"
		[ "$(n --filter image=other:1)" = "image:tag:other:1 " ] || die "image=other:1: $(n --filter image=other:1)"
		[ "$(n --filter image=busybox --filter type=container --filter event=create)" = "container:create:fa container:create:fb " ] ||
			die "image=busybox for containers"
		[ "$(n --filter volume=fv --filter event=create)" = "volume:create: " ] || die "volume=fv"
		[ "$(n --filter scope=local --filter type=volume | wc -w)" = 2 ] || die scope
		[ "$(n --filter type=daemon)" = "" ] || die "type=daemon"
	'
}
t "filters: type, event, container by name and ID prefix, image, label (all must hold), volume, scope" ev_filters

ev_formats() {
	ev_need
	ct_host "$EV_LIB"'
		S=$(now)
		mr create --name fmt --network none busybox true >/dev/null
		U=$(now)
		line=$(mr events --since "$S" --until "$U")
		id=$(mr inspect -f "{{.Id}}" fmt)
		echo "$line" | grep -Eqx "20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{9}Z container create $id \(image=busybox, name=fmt\)" ||
			die "text line: $line"
		# the time of the line is the event'"'"'s, to the nanosecond
		ns=$(mr events --since "$S" --until "$U" --format "{{.TimeNano}}")
		[ "$(date -u -d @"${ns%?????????}" +%Y-%m-%dT%H:%M:%S).${ns#??????????}Z" = "${line%% *}" ] ||
			die "time $ns vs $line"
		[ "$(mr events --since "$S" --until "$U" --format json)" = "$(tail -n 1 $R/events.log)" ] ||
			die "json is the journal line"
		out=$(mr events --since "$S" --until "$U" --format "{{.Type}}|{{.Status}}|{{.ID}}|{{.From}}|{{.Scope}}|{{.Actor.ID}}|{{.Actor.Attributes.name}}|{{.Actor.Attributes.nope}}|{{json .Actor.Attributes}}")
		[ "$out" = "container|create|$id|busybox|local|$id|fmt|<no value>|{\"image\":\"busybox\",\"name\":\"fmt\"}" ] ||
			die "template: $out"
		out=$(mr events --since "$S" --until "$U" --format "{{.Nope}}" 2>&1); rc=$?
		[ $rc = 64 ] && echo "$out" | grep -q "Error parsing format: template: .*can.t evaluate field Nope in type \*events.Message" ||
			die "bad field: $rc $out"
		out=$(mr events --since "$S" --until "$U" --format "{{.Type" 2>&1); rc=$?
		[ $rc = 64 ] && echo "$out" | grep -q "unclosed action" || die "bad template: $rc $out"
		mr rm fmt >/dev/null
	'
}
t "formats: docker's text line, json as the journal keeps it, templates over Go's field names, bad ones 64" ev_formats

ev_times() {
	ev_need
	ct_host "$EV_LIB"'
		# next_second: wait until the clock has passed the whole second we are in: what
		# came before is then earlier than any time (and whole second) taken after
		next_second() { _s=$(date +%s); while [ "$(date +%s)" = "$_s" ]; do sleep 0.05; done; }
		S=$(now)
		mr volume create t1 >/dev/null
		next_second
		M=$(now)
		mr volume create t2 >/dev/null
		next_second
		names() { mr events --filter type=volume --format "{{.Actor.ID}}" "$@" | tr "\n" " "; }
		[ "$(names --since "$S" --until "$M")" = "t1 " ] || die "unix seconds: $(names --since "$S" --until "$M")"
		[ "$(names --since "$M" --until 0s)" = "t2 " ] || die "since M until 0s"
		# RFC 3339 with and without a fraction, and a duration back from now
		rfc=$(date -u -d @"${M%.*}" +%Y-%m-%dT%H:%M:%SZ)
		[ "$(names --since "$rfc" --until 0s)" = "t2 " ] || die "rfc3339 $rfc"
		[ "$(names --since "$(date -u -d @"${S%.*}" +%Y-%m-%dT%H:%M:%S.%NZ)" --until "$rfc")" = "t1 " ] || die "rfc3339nano"
		[ "$(names --since 1m --until 0s)" = "t1 t2 " ] || die "10m"
		[ "$(names --until "$M")" != "" ] || die "until alone reads from the start"
		out=$(mr events --since 0s --until 1h 2>&1); rc=$?
		[ $rc = 1 ] && echo "$out" | grep -q "^minirun: \`since\` time ([0-9]*) cannot be after \`until\` time ([0-9]*)$" ||
			die "since after until: $rc $out"
		out=$(mr events --since bogus 2>&1); rc=$?
		[ $rc = 1 ] && [ "$out" = "minirun: failed to parse value as time or duration: \"bogus\"" ] || die "bogus: $rc $out"
		out=$(mr events --until 2026-13-01 2>&1); rc=$?
		[ $rc = 1 ] && [ "$out" = "minirun: parsing time \"2026-13-01\": month out of range" ] || die "month: $rc $out"
	'
}
t "--since/--until: Unix seconds, RFC 3339, durations; a window; refusals in docker's words" ev_times

ev_follow() {
	ev_need
	ct_host "$EV_LIB"'
		mr volume create before >/dev/null
		# minirun itself in the background ($! its PID; mr is a shell function)
		"$MINIRUN" -v --root $R events --format "{{.Action}} {{.Actor.ID}}" \
			--filter type=container --filter type=volume >$T_DIR/f 2>$T_DIR/f.err &
		pid=$!
		ready $T_DIR/f.err
		mr volume create after1 >/dev/null
		mr run --rm --network none --name fol busybox true
		mr volume create after2 >/dev/null
		i=0
		until grep -q "create after2" $T_DIR/f || [ $i -gt 50 ]; do sleep 0.1; i=$((i + 1)); done
		kill $pid; wait $pid 2>/dev/null
		grep -q before $T_DIR/f && die "a past event without --since: $(cat $T_DIR/f)"
		[ "$(cut -d" " -f1 $T_DIR/f | tr "\n" " ")" = "create create attach start die destroy create " ] ||
			die "followed: $(cat $T_DIR/f)"
		# --until in the future: follows, then ends by itself, with the events in between
		# (--until alone would read the kept ones from the start first, as docker does)
		U=$(( $(date +%s) + 2 ))
		"$MINIRUN" -v --root $R events --since "$(now)" --until $U --format "{{.Actor.ID}}" \
			--filter type=volume >$T_DIR/u 2>$T_DIR/u.err &
		pid=$!
		ready $T_DIR/u.err
		mr volume create inwindow >/dev/null
		i=0
		while kill -0 $pid 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		kill -0 $pid 2>/dev/null && { kill $pid; die "--until in the future did not end"; }
		wait $pid || die "--until ended with $?"
		[ "$(cat $T_DIR/u)" = inwindow ] || die "until window: $(cat $T_DIR/u)"
		# a journal that takes longer to read than --until leaves: every kept event up to
		# --until is still shown (the clock ends only the wait for new ones); 20000 copies
		# of the last event, and a window of 50 ms
		e=$(tail -n 1 $R/events.log)
		awk -v e="$e" "BEGIN { for (i = 0; i < 20000; i++) print e }" >>$R/events.log
		U=$(awk -v t="$(date +%s.%N)" "BEGIN { printf \"%.3f\", t + 0.05 }")
		n=$(mr events --since 10m --until $U --filter type=volume --format "{{.Actor.ID}}" | grep -c inwindow)
		[ "$n" = 20001 ] || die "--until ahead cut the kept events short: $n of 20001"
		ct_noleaks
	'
}
t "following: new events only, as they come (a reader killed by PID); --until ahead stops it, after all kept ones" ev_follow

ev_rotate() {
	ev_need
	ct_host "$EV_LIB"'
		export MINIRUN_EVENTS_MAX_SIZE=600
		S=$(now)
		"$MINIRUN" -v --root $R events --format "{{.Actor.ID}}" --filter type=volume \
			>$T_DIR/f 2>$T_DIR/f.err &
		pid=$!
		ready $T_DIR/f.err
		for i in 1 2 3 4 5 6 7 8; do mr volume create rot$i >/dev/null; done
		[ -f $R/events.log.1 ] || die "no rotation: $(ls -l $R)"
		[ "$(stat -c %s $R/events.log.1)" -ge 600 ] || die "rotated early"
		[ "$(stat -c %s $R/events.log)" -lt 1200 ] || die "the journal grew past the limit"
		# the two files hold the last events, whole lines, in order
		cat $R/events.log.1 $R/events.log | jq -e . >/dev/null || die "a line cut"
		got=$(ev "$S" --filter type=volume | jq -r .Actor.ID | tr "\n" " ")
		case "$got" in *"rot6 rot7 rot8 ") ;; *) die "read across the files: $got" ;; esac
		i=0
		until grep -q rot8 $T_DIR/f || [ $i -gt 50 ]; do sleep 0.1; i=$((i + 1)); done
		kill $pid; wait $pid 2>/dev/null
		[ "$(tr "\n" " " <$T_DIR/f)" = "rot1 rot2 rot3 rot4 rot5 rot6 rot7 rot8 " ] ||
			die "the follower across rotations: $(cat $T_DIR/f)"
		ct_noleaks
	'
}
t "rotation at MINIRUN_EVENTS_MAX_SIZE: events.log.1, both read, a follower crosses it" ev_rotate

ev_concurrent() {
	ev_need
	ct_host "$EV_LIB"'
		S=$(now)
		for w in 1 2 3 4; do
			( for i in 1 2 3 4 5 6 7 8 9 10; do mr tag busybox w$w:$i || exit 1; done ) &
		done
		wait
		ev "$S" --filter event=tag >$T_DIR/e || die events
		[ "$(wc -l <$T_DIR/e)" = 40 ] || die "$(wc -l <$T_DIR/e) of 40 events"
		jq -e . $T_DIR/e >/dev/null || die "a line is no JSON"
		[ "$(jq -r .Actor.Attributes.name $T_DIR/e | sort -u | wc -l)" = 40 ] || die "a line lost or doubled"
		# and with rotations going on: whole lines still (some rotated away twice over)
		export MINIRUN_EVENTS_MAX_SIZE=2000
		for w in 1 2 3 4; do
			( for i in 1 2 3 4 5 6 7 8 9 10; do mr tag busybox r$w:$i || exit 1; done ) &
		done
		wait
		cat $R/events.log.1 $R/events.log | jq -e . >/dev/null || die "a line cut by a rotation"
	'
}
t "concurrent writers: every line whole, none lost or doubled, with and without rotations" ev_concurrent

ev_never_fails() {
	ev_need
	ct_host "$EV_LIB"'
		rm -f $R/events.log && mkdir $R/events.log
		out=$("$MINIRUN" -v --root $R run --rm --network none busybox echo fine 2>$T_DIR/err) ||
			die "run failed: $(cat $T_DIR/err)"
		[ "$out" = fine ] || die "output $out"
		grep -q "=> events: open $R/events.log: Is a directory (the event is lost)" $T_DIR/err ||
			die "-v does not say: $(grep events $T_DIR/err)"
		mr volume create still >/dev/null || die "volume create"
		rmdir $R/events.log
		# a line stays under PIPE_BUF: a label of 5000 bytes is left out, the event is not
		big=$(head -c 5000 /dev/zero | tr "\\0" x)
		"$MINIRUN" -v --root $R create --name big --network none --label big=$big --label small=1 \
			busybox true >/dev/null 2>$T_DIR/err || die "create with a big label"
		grep -q "=> events: attribute big left out of container create: too long" $T_DIR/err ||
			die "-v does not say: $(grep events $T_DIR/err)"
		e=$(tail -n 1 $R/events.log)
		[ ${#e} -lt 4096 ] || die "a line of ${#e} bytes"
		check "$e" ".Action == \"create\" and .Actor.Attributes.small == \"1\" and (.Actor.Attributes | has(\"big\") | not)"
		mr rm big >/dev/null
		ct_noleaks
	'
}
t "a journal that can't be written loses the event, never the verb; -v says so; lines under 4 KiB" ev_never_fails

ev_bad_input() {
	ev_need
	ct_host "$EV_LIB"'
		out=$(mr events --filter foo 2>&1); rc=$?
		[ $rc = 125 ] && echo "$out" | grep -q "^minirun: invalid argument \"foo\" for \"-f, --filter\" flag: bad format of filter (expected name=value)$" ||
			die "no =: $rc $out"
		out=$(mr events --filter foo=bar 2>&1); rc=$?
		[ $rc = 1 ] && echo "$out" | grep -q "^minirun: Invalid filter .foo." || die "key: $rc $out"
		out=$(mr events --filter type=containers 2>&1); rc=$?
		[ $rc = 1 ] && echo "$out" | grep -q "Invalid filter .type=containers." || die "type: $rc $out"
		out=$(mr events extra 2>&1); rc=$?
		[ $rc = 1 ] && echo "$out" | grep -q "accepts no arguments" || die "operand: $rc $out"
		out=$(mr events --bogus 2>&1); rc=$?
		[ $rc = 125 ] || die "flag: $rc $out"
		mr events --help | grep -q "^Usage:  minirun events \[OPTIONS\]" || die help
		"$MINIRUN" --help | grep -Eq "^  events +Get real time events" || die "minirun --help"
	'
}
t "bad input refused in docker's words; --help and minirun --help list events" ev_bad_input

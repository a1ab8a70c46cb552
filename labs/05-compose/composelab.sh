# labs/05-compose/composelab.sh - what the compose labs share (each lab.sh of module 5
# sources it; not a lab itself).
#
# A compose lab is a container lab (labs/01-fundamentals/mrlab.sh): a store of its own in
# $LAB_STATE/root with busybox:latest, and a namespace that plays the host, where every
# bridge, veth, nft rule and published port of the project is made. `minirun compose`
# runs there too, through the env's `minirun` function. A lab's compose project is a
# directory $LAB_STATE/PROJECT (its name is the project's name, as for docker compose); the
# learner writes compose.yaml there, from the README.
#
#	need_compose        fail (exit 1) unless minirun has its compose command
#	fetch URL [SVC]     GET URL from the service SVC's container (default client) with busybox
#	                    wget, retrying while the server starts (5 s at most); print the body
#	onhost_fetch URL    the same from the namespace playing the host
#	ok MSG              print "check: ok - MSG" (one line per thing a check verified)
#	in_project P CMD... run CMD in $LAB_STATE/P (a subshell: the caller's directory stays)
#	lab_steps STEP      mrlab.sh's steps, but teardown first brings every project of the
#	                    lab down (compose down -v, all profiles) as a learner would
#
# POSIX sh: runs under dash and busybox ash.
. "$(dirname "$0")/../../01-fundamentals/mrlab.sh"

need_compose() {
	"$MR_BIN" compose --help >/dev/null 2>&1 ||
		{ echo "check: minirun has no working 'compose' command yet (minirun/compose, issue #16)"; exit 1; }
}

# fetch URL [SVC] - the body of URL as SVC's container sees it (no -T: busybox 1.35's wget
# crashes with -T on a refused connection; a refused one fails at once anyway)
fetch() {
	_i=0
	while [ $_i -lt 25 ]; do
		minirun compose exec -T "${2:-client}" wget -q -O - "$1" 2>/dev/null && return 0
		sleep 0.2
		_i=$((_i + 1))
	done
	return 1
}

# onhost_fetch URL - the body of URL as the host sees it (a published port)
onhost_fetch() {
	_i=0
	while [ $_i -lt 25 ]; do
		onhost "$BB" wget -q -O - "$1" 2>/dev/null && return 0
		sleep 0.2
		_i=$((_i + 1))
	done
	return 1
}

ok() { echo "check: ok - $*"; }

in_project() { (_p=$1; shift; cd "$LAB_STATE/$_p" && "$@"); }

# compose_down_all - `compose down -v` in each project directory of the lab (what a learner
# would type); teardown_all then removes whatever a broken project file left behind
compose_down_all() {
	[ -f "$LAB_STATE/env" ] || return 0
	. "$LAB_STATE/env"
	for _f in "$LAB_STATE"/*/compose.yaml; do
		[ -f "$_f" ] || continue
		(cd "$(dirname "$_f")" && minirun compose --profile '*' down -v -t 1 --remove-orphans) >/dev/null 2>&1
	done
	return 0
}

lab_steps() {
	case "${1:-}" in
	teardown) compose_down_all; teardown_all ;;
	*) steps "$@" ;;
	esac
}

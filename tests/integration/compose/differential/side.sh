# tests/integration/compose/differential/side.sh - one side of a differential case: run a
# case's steps with one engine and record what it made (POSIX sh, sourced).
#
#	. side.sh; side mr|docker CASEDIR WORKDIR
#
# The case folder is copied to WORKDIR/proj (the project directory: relative binds, .env and
# env_file resolve there), its `case` file is sourced, and its run_case
# runs with these helpers (the default: `c up -d; snap up`):
#
#	c ARGS...       the side's compose (`minirun compose` or `docker-compose`) with the case's
#	                -p and $ARGS (global options: -f, --profile, --env-file) before ARGS;
#	                prints "exit: N" into the side's record of the step (never fails)
#	e ARGS...       the side's engine CLI (`minirun --root $R` or `docker`)
#	snap NAME       wait for the containers of the services in $WAIT to exit, then record
#	                every container of the project (inspect and logs), every network and
#	                volume but the engine's own defaults, into WORKDIR/NAME/
#	pre/post        run before run_case and after the final `down` (external networks and
#	                volumes are made and removed there, with `e`)
#
# Each side ends with `c down -v -t 1` (the -t: busybox's PID 1 ignores SIGTERM, and the
# ten seconds' wait per container would be all the suite measured). The minirun side runs
# inside ct_host (containers/lib.sh: its `mr` is `minirun --root $R`); the docker side in the
# test's own shell with DOCKER_HOST set by pk_dockerd_start. snap.py reads what this wrote.

side() {
	SIDE=$1 CASE=$2 W=$3
	mkdir -p "$W" && cp -a "$CASE" "$W/proj" && cd "$W/proj" || return 1
	P=$(basename "$CASE" | tr -cd 'a-z0-9')
	ARGS="" WAIT="" STEP=0
	run_case() {
		c up -d
		snap up
	}
	pre() { :; }
	post() { :; }
	. ./case
	echo "$P" >"$W/project"
	pre >>"$W/steps" 2>&1
	run_case
	c down -v -t 1
	post >>"$W/steps" 2>&1
	return 0
}

e() {
	if [ "$SIDE" = mr ]; then mr "$@"; else docker "$@"; fi
}

c() {
	STEP=$((STEP + 1))
	echo "step $STEP: compose $*" >>"$W/steps"
	# shellcheck disable=SC2086 # $ARGS is a list of options
	if [ "$SIDE" = mr ]; then
		mr compose -p "$P" $ARGS "$@" >"$W/step$STEP.out" 2>&1
	else
		docker-compose -p "$P" $ARGS "$@" >"$W/step$STEP.out" 2>&1
	fi
	echo "exit: $?" >>"$W/steps"
}

# _ids [SERVICE] - the IDs of the project's containers (of one service)
_ids() {
	if [ -n "${1:-}" ]; then
		e ps -aq --filter "label=com.docker.compose.service=$1" |
			while read -r _i; do
				[ "$(e inspect -f '{{index .Config.Labels "com.docker.compose.project"}}' "$_i")" = "$P" ] &&
					echo "$_i"
			done
	else
		e ps -aq --filter "label=com.docker.compose.project=$P"
	fi
}

snap() {
	_d=$W/$1
	mkdir -p "$_d/logs"
	for _s in $WAIT; do
		for _i in $(_ids "$_s"); do
			# at most 60 s: a case whose one-shot never ends fails on its status instead
			if [ "$SIDE" = mr ]; then
				timeout 60 "$MINIRUN" --root "$R" wait "$_i"
			else
				timeout 60 docker wait "$_i"
			fi >/dev/null 2>&1
		done
	done
	_all=$(_ids)
	if [ -n "$_all" ]; then
		# shellcheck disable=SC2086 # a list of IDs
		e inspect $_all >"$_d/containers.json"
	else
		echo '[]' >"$_d/containers.json"
	fi
	for _i in $_all; do
		_n=$(e inspect -f '{{.Name}}' "$_i")
		e logs "$_i" >"$_d/logs/${_n#/}" 2>&1
	done
	_nets=$(e network ls --format '{{.Name}}' | grep -vxE 'bridge|host|none')
	# shellcheck disable=SC2086 # a list of names
	if [ -n "$_nets" ]; then e network inspect $_nets; else echo '[]'; fi >"$_d/networks.json"
	_vols=$(e volume ls -q)
	# shellcheck disable=SC2086 # a list of names
	if [ -n "$_vols" ]; then e volume inspect $_vols; else echo '[]'; fi >"$_d/volumes.json"
	echo "snap $1" >>"$W/steps"
}

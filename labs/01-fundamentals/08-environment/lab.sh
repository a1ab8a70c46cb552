#!/bin/sh
# labs/01-fundamentals/08-environment/lab.sh - the image's Env/WorkingDir and run's -e,
# --env-file, -w, -u (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab environment STEP`)
#
# check: exit 0 pass, 1 fail (after a hint), 77 skip (reason last). mrlab.sh has the rest.
LAB_NAME=environment
. "$(dirname "$0")/../mrlab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env', save (in $LAB_STATE): 'run --rm greeter:1 env' to env.txt;
'-e GREETING=hi -e EXTRA=1 ... echo $GREETING $EXTRA' to override.txt; FROM_SHELL=passed with
'-e FROM_SHELL' to fromshell.txt; --env-file app.env (DB_HOST=db, DB_PORT=5432) to envfile.txt;
'pwd' then '-w /tmp pwd' to workdir.txt; '-u nobody id' then '-u 1000:1000 id' to user.txt.
HINT
}

setup_() {
	SOURCE_DATE_EPOCH=0 minirun import -c 'CMD ["sh"]' \
		-c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
		-c 'ENV GREETING=hello' -c 'WORKDIR /home' "$MR_IMAGE_TAR" greeter:1 >/dev/null
}

run_() {
	need_verbs run
	minirun image inspect greeter:1 | grep -A 3 '"Env"'
	minirun run --rm greeter:1 env | sort | tee "$LAB_STATE/env.txt"
	minirun run --rm -e GREETING=hi -e EXTRA=1 greeter:1 sh -c 'echo $GREETING $EXTRA' | tee "$LAB_STATE/override.txt"
	FROM_SHELL=passed minirun run --rm -e FROM_SHELL greeter:1 sh -c 'echo $FROM_SHELL' | tee "$LAB_STATE/fromshell.txt"
	printf '# the database\nDB_HOST=db\n\nDB_PORT=5432\n' >"$LAB_STATE/app.env"
	minirun run --rm --env-file "$LAB_STATE/app.env" greeter:1 sh -c 'echo $DB_HOST:$DB_PORT' | tee "$LAB_STATE/envfile.txt"
	minirun run --rm greeter:1 pwd | tee "$LAB_STATE/workdir.txt"
	minirun run --rm -w /tmp greeter:1 pwd | tee -a "$LAB_STATE/workdir.txt"
	minirun run --rm -u nobody greeter:1 id | tee "$LAB_STATE/user.txt"
	minirun run --rm -u 1000:1000 greeter:1 id | tee -a "$LAB_STATE/user.txt"
}

check_() {
	need_verbs run
	for f in env.txt override.txt fromshell.txt envfile.txt workdir.txt user.txt; do have $f; done
	for v in GREETING=hello 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' HOME=/root; do
		expect "env.txt has ${v%%=*} (the image's Env, and HOME for root)" grep -qx "$v" "$LAB_STATE/env.txt"
	done
	expect "env.txt has HOSTNAME=<the short ID>" grep -Eqx 'HOSTNAME=[0-9a-f]{12}' "$LAB_STATE/env.txt"
	expect "override.txt is 'hi 1': -e wins over the image's Env" [ "$(cat "$LAB_STATE/override.txt")" = "hi 1" ]
	expect "fromshell.txt is 'passed': -e K takes K from your environment" [ "$(cat "$LAB_STATE/fromshell.txt")" = passed ]
	expect "envfile.txt is 'db:5432' (--env-file)" [ "$(cat "$LAB_STATE/envfile.txt")" = db:5432 ]
	expect "workdir.txt is /home (the image's WORKDIR) then /tmp (-w)" [ "$(tr '\n' ' ' <"$LAB_STATE/workdir.txt")" = "/home /tmp " ]
	expect "-u nobody gave uid 65534" eval 'head -n 1 "$LAB_STATE/user.txt" | grep -q "^uid=65534(nobody) gid=65534(nogroup)"'
	expect "-u 1000:1000 gave uid 1000, gid 1000" eval 'sed -n 2p "$LAB_STATE/user.txt" | grep -q "^uid=1000 gid=1000"'
	echo "check: ok - the image's GREETING and WORKDIR, -e overriding it, -e K from the shell, --env-file, -w, -u all as docker's"
}

steps "$@"

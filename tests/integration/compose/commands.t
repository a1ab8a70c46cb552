# tests/integration/compose/commands.t - the compose verbs about images and the project's
# listing: push and pull of the services' images (against Debian's docker-registry on
# 127.0.0.1), images, ps --format json, version, down --rmi local|all.
# Run: sh tests/integration/compose/commands.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/image/lib.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

# the machine's ~/.docker is never read or written
export DOCKER_CONFIG="$T_TMP/docker-config-unset"

push_pull() {
	need_cli
	t_need docker-registry curl
	registry_start
	import_busybox "$REG/test/web:1" >/dev/null
	mkdir -p "$T_DIR/pp" && cd "$T_DIR/pp" || t_fail cd
	printf 'services:\n  web:\n    image: %s/test/web:1\n  built:\n    build: .\n' "$REG" >compose.yaml
	mc() { mi compose -p pp "$@"; }
	out=$(mc push 2>&1) || t_fail "compose push failed: $out"
	t_match "$out" "^ web push $REG/test/web:1\$" "the service with image: is pushed"
	t_nomatch "$out" "built push" "one with build only has no name to push"
	t_match "$(curl -s "http://$REG/v2/test/web/tags/list")" '"1"' "the registry has it"
	mi rmi "$REG/test/web:1" >/dev/null || t_fail "rmi failed"
	out=$(mc pull web 2>&1) || t_fail "compose pull failed: $out"
	t_match "$out" "^ web pull $REG/test/web:1\$"
	mi image inspect "$REG/test/web:1" >/dev/null || t_fail "not pulled back: $out"
	out=$(mc pull nosuch 2>&1)
	t_status 1 mc pull nosuch
	t_match "$out" '^minirun: no such service: nosuch$'
	out=$(mc push --all-tags 2>&1)
	t_match "$out" '^minirun: unknown flag: --all-tags$' "a flag it lacks, in docker's words"
}
t "push and pull the services' images (a registry on 127.0.0.1)" push_pull

version() {
	need_cli
	out=$(mi compose version) || t_fail "version failed"
	t_match "$out" '^minirun compose version [0-9]+\.[0-9]+\.[0-9]+$'
	t_match "$(mi compose version --short)" '^[0-9]+\.[0-9]+\.[0-9]+$' "--short"
}
t "compose version needs no project" version

listing_and_rmi() {
	ct_need
	command -v jq >/dev/null || t_skip "jq not installed (make deps)"
	out=$(ct_host '
		mkdir -p $R/../ls && cd $R/../ls || die cd
		printf "FROM busybox\nRUN echo built >/built\n" >Dockerfile
		cat >compose.yaml <<EOF2
services:
  app:
    build: .
    init: true
    command: sleep 300
  web:
    image: busybox
    init: true
    command: sleep 300
    labels: {role: front}
EOF2
		mc() { mr compose -p ls "$@"; }
		mc up -d 2>/dev/null || die "up failed"
		mc ps --format json | jq -c "[.Name, .Service, .State, .Project, .Image, .Labels.role]" | sort | sed "s/^/json: /"
		echo "lines: $(mc ps --format json | wc -l)"
		mc images | sed "s/^/images: /"
		echo "quiet: $(mc images -q | sort -u | wc -l)"
		mc down --rmi local -t 1 2>&1 | grep Image | sed "s/^/local: /"
		echo "built left: $(mr images -q ls-app | wc -l) busybox left: $(mr images -q busybox | wc -l)"
		mc up -d 2>/dev/null || die "up failed"
		mr tag busybox keep-me
		mc down --rmi all -t 1 2>&1 | grep Image | sed "s/^/all: /"
		echo "after all: $(mr images -q ls-app | wc -l) $(mr images -q busybox | wc -l) $(mr images -q keep-me | wc -l)"
		mc down --rmi some 2>&1; echo "status $?"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^json: \["ls-app-1","app","running","ls","ls-app","?"?.*\]$' \
		"ps --format json: docker compose's keys"
	t_match "$out" '^json: \["ls-web-1","web","running","ls","busybox","front"\]$'
	t_match "$out" '^lines: 2$' "one object a line"
	t_match "$out" '^images: CONTAINER +REPOSITORY +TAG +IMAGE ID +SIZE$'
	t_match "$out" '^images: ls-web-1 +busybox +latest +[0-9a-f]{12} +[0-9.]+[kM]?B$'
	t_match "$out" '^images: ls-app-1 +ls-app +latest +[0-9a-f]{12} '
	t_match "$out" '^quiet: 2$' "-q: the two images' IDs"
	t_match "$out" '^local: +Image ls-app +Removed$' "--rmi local: the image up built"
	t_nomatch "$out" '^local: .*busybox' "not one a service names"
	t_match "$out" '^built left: 0 busybox left: 1$'
	t_match "$out" '^all: +Image busybox +Removed$' "--rmi all: every service's image"
	t_match "$out" '^after all: 0 0 1$' "the image's other name is kept"
	t_match "$out" "^minirun: compose down --rmi some: give local"
}
t "ps --format json, images, down --rmi local|all" listing_and_rmi

logs_flags() {
	ct_need
	out=$(ct_host '
		mkdir -p $R/../lf && cd $R/../lf || die cd
		printf "services:\n  a:\n    image: busybox\n    command: sh -c \"echo one; echo two\"\n" >compose.yaml
		mr compose -p lf up --no-color >/dev/null 2>&1 || die "up failed"
		mr compose -p lf logs -t --tail 1 --no-color | sed "s/^/t: /"
		mr compose -p lf logs --tail=1 --no-color a | sed "s/^/tail: /"
		mr compose -p lf down 2>/dev/null || die "down failed"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^t: lf-a-1 \| 20[0-9-]{8}T[0-9:.]+Z two$' "-t: each line's time after the prefix"
	t_eq "$(printf '%s\n' "$out" | grep -c '^t: ')" 1 "--tail 1: the last line only"
	t_match "$out" '^tail: lf-a-1 \| two$' "--tail=1 SERVICE"
}
t "logs -t --tail N --no-color" logs_flags

t_end

#!/bin/sh
# tests/integration/labs/readmes.t - a learner can trust the labs' READMEs as written: every
# file or folder of this checkout a README cites exists, every module has a README whose
# table lists each of its labs (and nothing that is not there), in course order.
#
#   sh tests/integration/labs/readmes.t
# See: labs/*/README.md, labs/lab
: "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}"
. "$MR_TOP/tests/lib/t.sh"

LABS=$MR_TOP/labs

# cited FILE - the paths of this checkout FILE names in backquotes (`minirun/oci/README.md`,
# `ns/container.c`): a word with a slash whose first part is a top-level entry of the
# checkout; URLs, absolute paths and words with shell variables or globs are not paths here
cited() {
	grep -oE '`[A-Za-z0-9_.][A-Za-z0-9_./-]*/[A-Za-z0-9_./-]*`' "$1" | tr -d '`' | sort -u |
		while read -r p; do
			case $p in ./* | ../*) continue ;; esac # the lab's own scratch files
			[ -e "$MR_TOP/${p%%/*}" ] && echo "$p"
		done
}

every_cited_file_exists() {
	missing=""
	for r in "$LABS"/*/README.md "$LABS"/*/*/README.md; do
		for p in $(cited "$r"); do
			[ -e "$MR_TOP/$p" ] || [ -e "$MR_TOP/${p%.}" ] || missing="$missing ${r#"$MR_TOP"/}:$p"
		done
	done
	[ -z "$missing" ] || t_fail "cited but not in the checkout:$missing"
}

every_module_readme_lists_its_labs_in_order() {
	for m in "$LABS"/[0-9][0-9]-*/; do
		m=${m%/}
		[ -f "$m/README.md" ] || t_fail "${m#"$LABS"/} has no README.md"
		have=$(find "$m" -mindepth 2 -maxdepth 2 -name lab.sh | sed 's|/lab.sh$||; s|.*/||' | sort)
		listed=$(grep -oE '^\| \[[0-9][0-9]-[a-z0-9-]*\]\([0-9][0-9]-[a-z0-9-]*/README.md\)' "$m/README.md" |
			sed 's/^| \[\([^]]*\)\](\([^/]*\)\/.*/\1 \2/')
		bad=$(echo "$listed" | awk '$1 != $2')
		[ -z "$bad" ] || t_fail "${m#"$LABS"/}/README.md: a row links to another lab: $bad"
		t_eq "$(echo "$listed" | cut -d' ' -f1)" "$have" "${m#"$LABS"/}/README.md's table vs its labs"
		grep -q '^By the end of this module you can:' "$m/README.md" ||
			t_fail "${m#"$LABS"/}/README.md does not open with the module's goals"
	done
}

a_planted_missing_citation_is_caught() {
	# the check above must be able to fail: a README citing a file that is not there
	mkdir -p "$T_DIR/r"
	printf 'read `cgroups/cg_freeze.c` and `minirun/oci/README.md`\n' >"$T_DIR/r/README.md"
	t_eq "$(cited "$T_DIR/r/README.md" | while read -r p; do [ -e "$MR_TOP/$p" ] || echo "$p"; done)" \
		"cgroups/cg_freeze.c"
}

t "every file a lab README cites is in the checkout" every_cited_file_exists
t "each module's README opens with its goals and lists its labs in order" every_module_readme_lists_its_labs_in_order
t "a README citing a missing file is caught" a_planted_missing_citation_is_caught
t_end

# tests/integration/scan/lint.t - `minirun lint`: findings as `path:line DLxxxx level:
# message`, the json, sarif and checkstyle formats, --failure-threshold and the exit
# status, .hadolint.yaml (ignored, failure-threshold, trustedRegistries, override), the ignore
# pragma, a file that does not parse as DL1000, shellcheck's SC findings, bad input.
# Run: sh tests/integration/scan/lint.t (make minirun; no root, no image store)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"

MINIRUN=${MINIRUN:-$MR_TOP/minirun/minirun}
ml() { "$MINIRUN" lint "$@"; }

# bad_dockerfile - one finding at each level: DL3006 warning (1), DL4000 error (2),
# DL3008 warning, DL3009 info, DL3014 warning, DL3015 info (3)
bad_dockerfile() {
	cat >Dockerfile <<-'END'
		FROM debian
		MAINTAINER someone
		RUN apt-get update && apt-get install curl
		CMD ["curl"]
	END
}

tty_format() {
	bad_dockerfile
	out=$(ml --no-shellcheck) && t_fail "lint exited 0 on findings: $out"
	t_match "$out" '^Dockerfile:1 DL3006 warning: Always tag the version'
	t_match "$out" '^Dockerfile:2 DL4000 error: MAINTAINER is deprecated: use LABEL'
	t_match "$out" '^Dockerfile:3 DL3008 warning: Pin versions in apt-get install'
	t_match "$out" '^Dockerfile:3 DL3015 info: .*--no-install-recommends'
	t_eq "$(echo "$out" | wc -l | tr -d ' ')" 6 "number of findings"
}

clean_file_exits_0() {
	printf 'FROM debian:12\nWORKDIR /app\nCMD ["app"]\n' >Dockerfile
	out=$(ml) || t_fail "lint exited $? on a clean file: $out"
	t_eq "$out" "" "output on a clean file"
}

thresholds() {
	bad_dockerfile
	ml --no-shellcheck -t error >/dev/null
	t_eq $? 1 "exit with an error finding and -t error"
	sed -i 2d Dockerfile # no more error: warnings and infos remain
	ml --no-shellcheck --failure-threshold error >/dev/null || t_fail "-t error exited $?"
	ml --no-shellcheck --failure-threshold warning >/dev/null
	t_eq $? 1 "exit with warnings and -t warning"
	ml --no-shellcheck --failure-threshold none >/dev/null || t_fail "-t none exited $?"
	printf 'FROM debian:12\nRUN apt-get install -y x=1 && rm -rf /var/lib/apt/lists/*\n' >D2
	out=$(ml --no-shellcheck -t warning D2) || t_fail "info only, -t warning exited $?"
	t_match "$out" '^D2:2 DL3015 info:' "the info is printed even when it does not fail"
	ml --no-shellcheck -t info D2 >/dev/null
	t_eq $? 1 "exit with an info and -t info"
}

json_format() {
	t_need python3
	bad_dockerfile
	ml --no-shellcheck -f json >out.json
	python3 - out.json <<-'END' || t_fail "json output: see above"
		import json, sys
		d = json.load(open(sys.argv[1]))
		assert isinstance(d, list) and len(d) == 6, d
		f = d[1]
		assert f == {"code": "DL4000", "column": 1, "file": "Dockerfile", "level": "error",
			     "line": 2, "message": f["message"]}, f
		assert "LABEL" in f["message"]
	END
}

sarif_format() {
	t_need python3
	bad_dockerfile
	ml --no-shellcheck -f sarif >out.sarif
	python3 - out.sarif <<-'END' || t_fail "sarif output: see above"
		import json, sys
		d = json.load(open(sys.argv[1]))
		assert d["version"] == "2.1.0"
		run = d["runs"][0]
		assert run["tool"]["driver"]["name"] == "minirun lint"
		ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
		res = run["results"]
		assert len(res) == 6
		assert all(r["ruleId"] in ids for r in res), res
		e = [r for r in res if r["ruleId"] == "DL4000"][0]
		assert e["level"] == "error"
		loc = e["locations"][0]["physicalLocation"]
		assert loc["artifactLocation"]["uri"] == "Dockerfile"
		assert loc["region"]["startLine"] == 2
		assert [r["level"] for r in res if r["ruleId"] == "DL3015"] == ["note"]
	END
}

checkstyle_format() {
	t_need python3
	bad_dockerfile
	ml --no-shellcheck -f checkstyle >out.xml
	python3 - out.xml <<-'END' || t_fail "checkstyle output: see above"
		import sys, xml.etree.ElementTree as ET
		root = ET.parse(sys.argv[1]).getroot()
		assert root.tag == "checkstyle"
		errs = root.find("file").findall("error")
		assert root.find("file").get("name") == "Dockerfile"
		assert len(errs) == 6
		e = [x for x in errs if x.get("source") == "DL4000"][0]
		assert e.get("line") == "2" and e.get("severity") == "error"
		assert 'maintainer="name"' in e.get("message")
	END
}

hadolint_yaml() {
	bad_dockerfile
	cat >.hadolint.yaml <<-'END'
		ignored:
		  - DL3008
		  - DL4000
		failure-threshold: error
		trustedRegistries:
		  - registry.example.com
	END
	out=$(ml --no-shellcheck)
	t_eq $? 1 "exit with DL3026 (an error) and the file's threshold error"
	t_nomatch "$out" 'DL3008|DL4000' "ignored codes"
	t_match "$out" '^Dockerfile:1 DL3026 error: Use only an allowed registry' "trustedRegistries"
	sed -i 's/registry.example.com/docker.io/' .hadolint.yaml
	out=$(ml --no-shellcheck) || t_fail "no error left, threshold error: exited $?: $out"
	t_nomatch "$out" 'DL3026' "debian from docker.io, a trusted registry"
	t_match "$out" 'DL3014 warning' "the warnings are printed"
	# the flag wins over the file's threshold
	ml --no-shellcheck -t warning >/dev/null
	t_eq $? 1 "exit with -t warning over the file's error"
	# override: raises DL3014 to an error, which fails the file's threshold
	printf 'override:\n  error: [DL3014]\nfailure-threshold: error\n' >o.yaml
	out=$(ml --no-shellcheck --config o.yaml)
	t_eq $? 1 "exit with DL3014 raised to error"
	t_match "$out" '^Dockerfile:3 DL3014 error: ' "the overridden level"
	# --config names another file; one that does not parse is named
	printf 'ignored: [DL3006\n' >broken.yaml
	out=$(ml --no-shellcheck --config broken.yaml 2>&1)
	t_eq $? 125 "exit on a broken config"
	t_match "$out" 'broken.yaml: cannot read it as YAML'
	printf 'failure-threshold: loud\n' >.hadolint.yaml
	out=$(ml --no-shellcheck 2>&1)
	t_eq $? 125 "exit on a bad failure-threshold"
	t_match "$out" '.hadolint.yaml: failure-threshold loud is not one of error'
}

ignore_pragma() {
	cat >Dockerfile <<-'END'
		FROM debian:12
		# hadolint ignore=DL3008,DL3015
		RUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*
		RUN echo next && apt-get install -y --no-install-recommends wget
	END
	out=$(ml --no-shellcheck)
	t_nomatch "$out" '^Dockerfile:3 ' "the RUN under the pragma"
	t_match "$out" '^Dockerfile:4 DL3008 warning' "the next RUN is still checked"
}

parse_error_is_dl1000() {
	printf 'FROM debian:12\nENV ONLYKEY\nRUN true\n' >Dockerfile
	out=$(ml)
	t_eq $? 1 "exit on a parse error"
	t_eq "$out" "Dockerfile:2 DL1000 error: ENV must have two arguments (the file does not \
parse: fix this line)"
	printf 'FROM a:1\nRUN <<EOF\nno end\n' >D2
	out=$(ml -f json D2)
	t_match "$out" '"code":"DL1000"' "an unterminated heredoc"
}

shellcheck_findings() {
	t_need shellcheck
	printf 'FROM debian:12\nRUN echo $HOME\n' >Dockerfile
	out=$(ml)
	t_match "$out" '^Dockerfile:2 SC2086 info: Double quote' "shellcheck's finding"
	out=$(ml --no-shellcheck)
	t_eq "$out" "" "--no-shellcheck"
	printf 'FROM debian:12\n# hadolint ignore=SC2086\nRUN echo $HOME\n' >Dockerfile
	out=$(ml) || t_fail "an ignored SC finding still failed: $out"
}

several_files_and_stdin() {
	bad_dockerfile
	printf 'FROM debian:12\nWORKDIR app\n' >Other
	out=$(ml --no-shellcheck Dockerfile Other)
	t_match "$out" '^Other:2 DL3000 error: Use absolute WORKDIR'
	t_match "$out" '^Dockerfile:2 DL4000'
	out=$(ml --no-shellcheck - <Other)
	t_match "$out" '^-:2 DL3000 error'
}

bad_input() {
	out=$(ml missing.Dockerfile 2>&1)
	t_eq $? 125 "exit on a missing file"
	t_match "$out" 'missing.Dockerfile: No such file or directory'
	out=$(ml --format yaml Dockerfile 2>&1)
	t_eq $? 125 "exit on an unknown format"
	t_match "$out" 'unknown --format yaml: use tty, json, sarif or checkstyle'
	out=$(ml -t loud 2>&1)
	t_eq $? 125 "exit on an unknown threshold"
	t_match "$out" 'unknown --failure-threshold loud'
}

t "lint: path:line DLxxxx level: message, exit 1 on findings" tty_format
t "lint: a clean Dockerfile prints nothing and exits 0" clean_file_exits_0
t "lint: --failure-threshold error|warning|info|none sets the exit status" thresholds
t "lint --format json: hadolint's fields per finding" json_format
t "lint --format sarif: SARIF 2.1.0 with rules, levels and locations" sarif_format
t "lint --format checkstyle: one error element per finding" checkstyle_format
t "lint: .hadolint.yaml's ignored, failure-threshold, trustedRegistries, override" hadolint_yaml
t "lint: # hadolint ignore= silences the instruction below it only" ignore_pragma
t "lint: a Dockerfile that does not parse is one DL1000 at its line" parse_error_is_dl1000
t "lint: shell-form RUNs go through shellcheck (SC findings)" shellcheck_findings
t "lint: several files and stdin, each finding named by its file" several_files_and_stdin
t "lint: a missing file, an unknown format or threshold: one line, 125" bad_input
t_end

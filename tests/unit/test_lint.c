/*
 * tests/unit/test_lint.c - `minirun lint`'s rules (minirun/scan/lint_rules.c): each rule
 * firing and not firing, two cases or more each way, written from hadolint's documentation
 * of the rule; the ignore pragmas; the config's ignored list; the shell splitter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minirun/scan/lint.h"
#include "tests/unit/unit.h"

/* fired - how many findings of CODE linting TEXT gives (-1: it did not parse) */
static int fired_cfg(const char *text, const char *code, const struct lint_config *cfg)
{
	struct dockerfile df = {0};
	struct mr_err err = {0};
	if (dockerfile_parse(text, strlen(text), "Dockerfile", &df, &err) < 0)
		return -1;
	struct lint_result res = {0};
	int n = 0;
	if (lint_dockerfile(&df, cfg, &res) == 0)
		for (size_t i = 0; i < res.n; i++)
			n += !strcmp(res.f[i].code, code);
	lint_result_free(&res);
	dockerfile_free(&df);
	return n;
}

static int fired(const char *text, const char *code)
{
	return fired_cfg(text, code, NULL);
}

struct rule_case {
	const char *code;
	bool fires;
	const char *dockerfile;
};

/* Each rule: the cases hadolint's page for it shows wrong, then right. */
static const struct rule_case cases[] = {
	{"DL3000", true, "FROM a:1\nWORKDIR usr/src/app\n"},
	{"DL3000", true, "FROM a:1\nWORKDIR app\n"},
	{"DL3000", false, "FROM a:1\nWORKDIR /usr/src/app\n"},
	{"DL3000", false, "FROM a:1\nWORKDIR $HOME/app\n"},

	{"DL3001", true, "FROM a:1\nRUN apt-get update && service ssh start\n"},
	{"DL3001", true, "FROM a:1\nRUN top\n"},
	{"DL3001", false, "FROM a:1\nRUN echo service\n"},
	{"DL3001", false, "FROM a:1\nRUN make install\n"},

	{"DL3002", true, "FROM a:1\nUSER root\n"},
	{"DL3002", true, "FROM a:1\nUSER app\nRUN x\nUSER 0:0\n"},
	{"DL3002", false, "FROM a:1\nUSER root\nRUN x\nUSER app\n"},
	{"DL3002", false, "FROM a:1 AS b\nUSER root\nFROM c:1\nUSER app\n"},
	{"DL3002", false, "FROM a:1\nRUN x\n"},

	{"DL3003", true, "FROM a:1\nRUN cd /usr/src/app && git clone x\n"},
	{"DL3003", true, "FROM a:1\nRUN make; cd /tmp\n"},
	{"DL3003", false, "FROM a:1\nWORKDIR /usr/src/app\nRUN git clone x\n"},
	{"DL3003", false, "FROM a:1\nRUN echo cd\n"},

	{"DL3004", true, "FROM a:1\nRUN sudo apt-get install x\n"},
	{"DL3004", true, "FROM a:1\nRUN make && sudo make install\n"},
	{"DL3004", false, "FROM a:1\nRUN apt-get install sudo\n"},
	{"DL3004", false, "FROM a:1\nRUN gosu app make\n"},

	{"DL3006", true, "FROM debian\n"},
	{"DL3006", true, "FROM registry.example.com:5000/team/app\n"},
	{"DL3006", false, "FROM debian:12\n"},
	{"DL3006", false, "FROM debian@sha256:0123\n"},
	{"DL3006", false, "FROM debian:12 AS build\nFROM build\n"},
	{"DL3006", false, "FROM scratch\n"},

	{"DL3007", true, "FROM debian:latest\n"},
	{"DL3007", true, "FROM registry.example.com:5000/app:latest AS x\n"},
	{"DL3007", false, "FROM debian:12\n"},
	{"DL3007", false, "FROM latest:1\n"},

	{"DL3008", true, "FROM a:1\nRUN apt-get install -y python\n"},
	{"DL3008", true, "FROM a:1\nRUN apt-get install -y curl=7.88 python\n"},
	{"DL3008", false, "FROM a:1\nRUN apt-get install -y python=2.7\n"},
	{"DL3008", false, "FROM a:1\nRUN apt-get -y install ./pkg.deb\n"},

	{"DL3009", true, "FROM a:1\nRUN apt-get update && apt-get install -y python\n"},
	{"DL3009", true, "FROM a:1\nRUN apt-get install -y x && rm -rf /tmp/*\n"},
	{"DL3009", false,
	 "FROM a:1\nRUN apt-get update && apt-get install -y python && rm -rf "
	 "/var/lib/apt/lists/*\n"},
	{"DL3009", true, "FROM a:1 AS base\nRUN apt-get install -y x\nFROM base\nRUN y\n"},
	{"DL3009", false, "FROM a:1 AS b\nRUN apt-get install -y x\nFROM c:1\nCOPY --from=b / /\n"},

	{"DL3011", true, "FROM a:1\nEXPOSE 80000\n"},
	{"DL3011", true, "FROM a:1\nEXPOSE 80 70000/udp\n"},
	{"DL3011", false, "FROM a:1\nEXPOSE 80 443/tcp\n"},
	{"DL3011", false, "FROM a:1\nEXPOSE 8000-8080\n"},

	{"DL3012", true, "FROM a:1\nHEALTHCHECK CMD a\nHEALTHCHECK CMD b\n"},
	{"DL3012", true, "FROM a:1\nHEALTHCHECK NONE\nRUN x\nHEALTHCHECK CMD b\n"},
	{"DL3012", false, "FROM a:1\nHEALTHCHECK CMD a\n"},
	{"DL3012", false, "FROM a:1\nHEALTHCHECK CMD a\nFROM b:1\nHEALTHCHECK CMD b\n"},

	{"DL3013", true, "FROM a:1\nRUN pip install --no-cache-dir django\n"},
	{"DL3013", true, "FROM a:1\nRUN python3 -m pip install --no-cache-dir flask==2 requests\n"},
	{"DL3013", false, "FROM a:1\nRUN pip install --no-cache-dir django==1.9\n"},
	{"DL3013", false, "FROM a:1\nRUN pip install --no-cache-dir -r requirements.txt\n"},
	{"DL3013", false, "FROM a:1\nRUN pip install --no-cache-dir 'django>=1.9'\n"},

	{"DL3014", true, "FROM a:1\nRUN apt-get install python=2.7\n"},
	{"DL3014", true, "FROM a:1\nRUN apt-get update && apt-get install -q python=2.7\n"},
	{"DL3014", false, "FROM a:1\nRUN apt-get install -y python=2.7\n"},
	{"DL3014", false, "FROM a:1\nRUN apt-get install -qq --assume-yes python=2.7\n"},
	{"DL3014", false, "FROM a:1\nRUN apt-get -qy install python=2.7\n"},

	{"DL3015", true, "FROM a:1\nRUN apt-get install -y python=2.7\n"},
	{"DL3015", true, "FROM a:1\nRUN apt-get update && apt-get -y install python=2.7\n"},
	{"DL3015", false, "FROM a:1\nRUN apt-get install -y --no-install-recommends python=2.7\n"},
	{"DL3015", false,
	 "FROM a:1\nRUN apt-get -o APT::Install-Recommends=false install -y python=2.7\n"},

	{"DL3016", true, "FROM a:1\nRUN npm install express\n"},
	{"DL3016", true, "FROM a:1\nRUN npm i -g @angular/cli\n"},
	{"DL3016", false, "FROM a:1\nRUN npm install express@4.1.1\n"},
	{"DL3016", false, "FROM a:1\nRUN npm install @angular/cli@17.0.0 && npm install\n"},

	{"DL3018", true, "FROM a:1\nRUN apk add --no-cache python3\n"},
	{"DL3018", true, "FROM a:1\nRUN apk add --no-cache --virtual deps curl=8.5.0-r0 git\n"},
	{"DL3018", false, "FROM a:1\nRUN apk add --no-cache python3=3.11.6-r0\n"},
	{"DL3018", false, "FROM a:1\nRUN apk add --no-cache --virtual deps curl=8.5.0-r0\n"},

	{"DL3019", true, "FROM a:1\nRUN apk add curl=8\n"},
	{"DL3019", true, "FROM a:1\nRUN apk update && apk add --update curl=8\n"},
	{"DL3019", false, "FROM a:1\nRUN apk add --no-cache curl=8\n"},
	{"DL3019", false, "FROM a:1\nRUN apk add curl=8 && rm -rf /var/cache/apk/*\n"},

	{"DL3020", true, "FROM a:1\nADD requirements.txt /usr/src/app/\n"},
	{"DL3020", true, "FROM a:1\nADD --chown=app a b /dir/\n"},
	{"DL3020", false, "FROM a:1\nCOPY requirements.txt /usr/src/app/\n"},
	{"DL3020", false, "FROM a:1\nADD rootfs.tar.xz /\n"},
	{"DL3020", false, "FROM a:1\nADD https://example.com/x.txt /x.txt\n"},

	{"DL3021", true, "FROM a:1\nCOPY a b dir\n"},
	{"DL3021", true, "FROM a:1\nCOPY [\"a\", \"b\", \"dir\"]\n"},
	{"DL3021", false, "FROM a:1\nCOPY a b dir/\n"},
	{"DL3021", false, "FROM a:1\nCOPY a dir\n"},

	{"DL3022", true, "FROM a:1\nCOPY --from=build /x /x\n"},
	{"DL3022", true, "FROM a:1\nCOPY --from=later /x /x\nFROM b:1 AS later\n"},
	{"DL3022", false, "FROM a:1 AS build\nFROM b:1\nCOPY --from=build /x /x\n"},
	{"DL3022", false, "FROM a:1\nCOPY --from=nginx:latest /x /x\nCOPY --from=0 /y /y\n"},

	{"DL3023", true, "FROM a:1 AS foo\nCOPY --from=foo /x /x\n"},
	{"DL3023", true, "FROM a:1 AS bar\nFROM b:1 AS foo\nCOPY --from=foo /x /x\n"},
	{"DL3023", false, "FROM a:1 AS bar\nFROM b:1 AS foo\nCOPY --from=bar /x /x\n"},
	{"DL3023", false, "FROM a:1 AS foo\nCOPY /x /x\n"},

	{"DL3024", true, "FROM a:1 AS foo\nFROM b:1 AS foo\n"},
	{"DL3024", true, "FROM a:1 AS foo\nFROM b:1 AS bar\nFROM c:1 as FOO\n"},
	{"DL3024", false, "FROM a:1 AS foo\nFROM b:1 AS bar\n"},
	{"DL3024", false, "FROM a:1 AS foo\nFROM foo\n"},

	{"DL3025", true, "FROM a:1\nCMD my-service server\n"},
	{"DL3025", true, "FROM a:1\nENTRYPOINT /bin/app --flag\n"},
	{"DL3025", false, "FROM a:1\nCMD [\"my-service\", \"server\"]\n"},
	{"DL3025", false, "FROM a:1\nENTRYPOINT [\"/bin/app\"]\n"},

	{"DL3027", true, "FROM a:1\nRUN apt install -y curl=7\n"},
	{"DL3027", true, "FROM a:1\nRUN apt update\n"},
	{"DL3027", false, "FROM a:1\nRUN apt-get install -y curl=7\n"},
	{"DL3027", false, "FROM a:1\nRUN apt-cache policy curl\n"},

	{"DL3042", true, "FROM a:1\nRUN pip install django==1.9\n"},
	{"DL3042", true, "FROM a:1\nRUN pip3 install -r requirements.txt\n"},
	{"DL3042", false, "FROM a:1\nRUN pip install --no-cache-dir django==1.9\n"},
	{"DL3042", false, "FROM a:1\nENV PIP_NO_CACHE_DIR=1\nRUN pip install django==1.9\n"},
	{"DL3042", false,
	 "FROM a:1\nRUN --mount=type=cache,target=/root/.cache/pip pip install django==1.9\n"},

	{"DL3047", true, "FROM a:1\nRUN wget http://example.com/x\n"},
	{"DL3047", true, "FROM a:1\nRUN cd /tmp && wget -O x http://example.com/x\n"},
	{"DL3047", false, "FROM a:1\nRUN wget --progress=dot:giga http://example.com/x\n"},
	{"DL3047", false, "FROM a:1\nRUN wget -nv http://example.com/x\n"},
	{"DL3047", false, "FROM a:1\nRUN wget -qO- http://example.com/x\n"},

	{"DL3059", true, "FROM a:1\nRUN /foo.sh\nRUN /bar.sh\n"},
	{"DL3059", true, "FROM a:1\nRUN /foo.sh\n# a comment\nRUN /bar.sh\n"},
	{"DL3059", false, "FROM a:1\nRUN /foo.sh\nWORKDIR /\nRUN /bar.sh\n"},
	{"DL3059", false, "FROM a:1\nRUN --mount=type=secret,id=foo /foo.sh\nRUN /bar.sh\n"},
	{"DL3059", false, "FROM a:1\nRUN a && b\nRUN c\n"},

	{"DL4000", true, "FROM a:1\nMAINTAINER Lukas\n"},
	{"DL4000", true, "FROM a:1\nmaintainer lukas@example.com\nRUN x\n"},
	{"DL4000", false, "FROM a:1\nLABEL maintainer=\"Lukas\"\n"},
	{"DL4000", false, "FROM a:1\nRUN echo MAINTAINER\n"},

	{"DL4001", true, "FROM a:1\nRUN wget -q http://x/a && curl -O http://x/b\n"},
	{"DL4001", true, "FROM a:1\nRUN curl http://x/a | sh; wget -q x\n"},
	{"DL4001", false, "FROM a:1\nRUN curl -O http://x/a\n"},
	{"DL4001", false, "FROM a:1\nRUN wget -q http://x/a\n"},

	{"DL4003", true, "FROM a:1\nCMD [\"a\"]\nCMD [\"b\"]\n"},
	{"DL4003", true, "FROM a:1\nCMD [\"a\"]\nRUN x\nCMD b\n"},
	{"DL4003", false, "FROM a:1\nCMD [\"a\"]\n"},
	{"DL4003", false, "FROM a:1\nCMD [\"a\"]\nFROM b:1\nCMD [\"b\"]\n"},

	{"DL4004", true, "FROM a:1\nENTRYPOINT [\"a\"]\nENTRYPOINT [\"b\"]\n"},
	{"DL4004", true, "FROM a:1\nENTRYPOINT [\"a\"]\nRUN x\nENTRYPOINT b\n"},
	{"DL4004", false, "FROM a:1\nENTRYPOINT [\"a\"]\n"},
	{"DL4004", false, "FROM a:1\nENTRYPOINT [\"a\"]\nFROM b:1\nENTRYPOINT [\"b\"]\n"},

	{"DL4006", true, "FROM a:1\nRUN wget -qO- https://x | tar xz\n"},
	{"DL4006", true,
	 "FROM a:1\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM b:1\nRUN a | b\n"},
	{"DL4006", false,
	 "FROM a:1\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN wget -qO- x | tar "
	 "xz\n"},
	{"DL4006", false, "FROM a:1\nRUN a || b\n"},
	{"DL4006", false, "FROM a:1\nSHELL [\"pwsh\", \"-c\"]\nRUN a | b\n"},
	{"DL4006", false, "FROM a:1\nRUN echo 'a | b'\n"},
};

static void each_rule_fires_and_not(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = fired(cases[i].dockerfile, cases[i].code);
		if ((n > 0) != cases[i].fires) {
			fprintf(stderr, "\n%s should %sfire (got %d) on:\n%s", cases[i].code,
				cases[i].fires ? "" : "not ", n, cases[i].dockerfile);
			CU_FAIL(cases[i].code);
		} else {
			CU_PASS(cases[i].code);
		}
	}
}

/* every rule the issue names has a message with a fix, and 2+2 cases above */
static void every_rule_has_cases(void)
{
	static const char *const required[] = {
		"DL3000", "DL3002", "DL3003", "DL3004", "DL3006", "DL3007", "DL3008", "DL3009",
		"DL3013", "DL3014", "DL3015", "DL3016", "DL3018", "DL3019", "DL3020", "DL3021",
		"DL3022", "DL3023", "DL3024", "DL3025", "DL3027", "DL3042", "DL3047", "DL3059",
		"DL4000", "DL4003", "DL4004", "DL4006", "DL1000", NULL};
	for (const char *const *r = required; *r; r++) {
		const struct lint_rule *rule = lint_rule_of(*r);
		CU_ASSERT_PTR_NOT_NULL(rule);
		if (!strcmp(*r, "DL1000"))
			continue;
		int yes = 0, no = 0;
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			if (!strcmp(cases[i].code, *r))
				cases[i].fires ? yes++ : no++;
		if (yes < 2 || no < 2)
			fprintf(stderr, "\n%s: %d firing, %d not\n", *r, yes, no);
		CU_ASSERT(yes >= 2 && no >= 2);
	}
}

static void trusted_registries(void)
{
	char *trusted[] = {"docker.io", "registry.example.com"};
	struct lint_config cfg = {.trusted = trusted, .ntrusted = 2};
	CU_ASSERT_EQUAL(fired_cfg("FROM quay.io/a/b:1\n", "DL3026", &cfg), 1);
	CU_ASSERT_EQUAL(fired_cfg("FROM localhost:5000/b:1\n", "DL3026", &cfg), 1);
	CU_ASSERT_EQUAL(fired_cfg("FROM debian:12\n", "DL3026", &cfg), 0);
	CU_ASSERT_EQUAL(fired_cfg("FROM registry.example.com/b:1\n", "DL3026", &cfg), 0);
	CU_ASSERT_EQUAL(fired_cfg("FROM quay.io/a/b:1\n", "DL3026", NULL), 0);
}

static void ignore_pragmas_and_config(void)
{
	const char *base = "FROM a:1\nRUN apt-get install python\n";
	CU_ASSERT_EQUAL(fired(base, "DL3008"), 1);
	CU_ASSERT_EQUAL(fired(base, "DL3015"), 1);
	/* the pragma on the line above silences the codes it names, and only those */
	const char *one = "FROM a:1\n# hadolint ignore=DL3008,DL3015\nRUN apt-get install python\n";
	CU_ASSERT_EQUAL(fired(one, "DL3008"), 0);
	CU_ASSERT_EQUAL(fired(one, "DL3015"), 0);
	CU_ASSERT_EQUAL(fired(one, "DL3014"), 1);
	/* it silences that instruction only */
	const char *two = "FROM a:1\n# hadolint ignore=DL3008\nRUN apt-get install -y a\n"
			  "WORKDIR /\nRUN apt-get install -y b\n";
	CU_ASSERT_EQUAL(fired(two, "DL3008"), 1);
	/* a comment that is not a pragma silences nothing */
	CU_ASSERT_EQUAL(fired("FROM a:1\n# ignore=DL3008\nRUN apt-get install -y a\n", "DL3008"),
			1);
	/* the global form silences the code everywhere */
	CU_ASSERT_EQUAL(fired("# hadolint global ignore=DL3008\nFROM a:1\nRUN apt-get install -y "
			      "a\nWORKDIR /\nRUN apt-get install -y b\n",
			      "DL3008"),
			0);
	/* the config's ignored list */
	char *ign[] = {"DL3008"};
	struct lint_config cfg = {.ignored = ign, .nignored = 1};
	CU_ASSERT_EQUAL(fired_cfg(base, "DL3008", &cfg), 0);
	CU_ASSERT_EQUAL(fired_cfg(base, "DL3015", &cfg), 1);
}

static void override_levels(void)
{
	const char *text = "FROM debian\nMAINTAINER x\n";
	struct dockerfile df = {0};
	struct mr_err err = {0};
	CU_ASSERT_EQUAL_FATAL(dockerfile_parse(text, strlen(text), "D", &df, &err), 0);
	struct lint_config cfg = {0};
	CU_ASSERT_EQUAL(lint_config_override(&cfg, "DL3006", LINT_ERROR), 0);
	CU_ASSERT_EQUAL(lint_config_override(&cfg, "DL4000", LINT_STYLE), 0);
	struct lint_result res = {0};
	CU_ASSERT_EQUAL(lint_dockerfile(&df, &cfg, &res), 0);
	CU_ASSERT_EQUAL_FATAL(res.n, 2);
	CU_ASSERT_EQUAL(res.f[0].level, LINT_ERROR);
	CU_ASSERT_EQUAL(res.f[1].level, LINT_STYLE);
	CU_ASSERT_EQUAL(lint_config_level(NULL, "DL3006", LINT_WARNING), LINT_WARNING);
	lint_result_free(&res);
	free(cfg.overrides);
	dockerfile_free(&df);
}

static void findings_by_line_with_level(void)
{
	const char *text = "FROM debian\nMAINTAINER x\nWORKDIR app\n";
	struct dockerfile df = {0};
	struct mr_err err = {0};
	CU_ASSERT_EQUAL_FATAL(dockerfile_parse(text, strlen(text), "D", &df, &err), 0);
	struct lint_result res = {0};
	CU_ASSERT_EQUAL(lint_dockerfile(&df, NULL, &res), 0);
	CU_ASSERT_EQUAL_FATAL(res.n, 3);
	CU_ASSERT_EQUAL(res.f[0].line, 1);
	CU_ASSERT_STRING_EQUAL(res.f[0].code, "DL3006");
	CU_ASSERT_EQUAL(res.f[0].level, LINT_WARNING);
	CU_ASSERT_EQUAL(res.f[1].line, 2);
	CU_ASSERT_STRING_EQUAL(res.f[1].code, "DL4000");
	CU_ASSERT_EQUAL(res.f[2].level, LINT_ERROR);
	CU_ASSERT(lint_fails(&res, LINT_ERROR));
	CU_ASSERT(!lint_fails(&res, LINT_NONE));
	lint_result_free(&res);
	dockerfile_free(&df);
	/* a clean file has no findings and fails no threshold */
	const char *clean = "FROM debian:12\nWORKDIR /app\nCMD [\"app\"]\n";
	CU_ASSERT_EQUAL_FATAL(dockerfile_parse(clean, strlen(clean), "D", &df, &err), 0);
	CU_ASSERT_EQUAL(lint_dockerfile(&df, NULL, &res), 0);
	CU_ASSERT_EQUAL(res.n, 0);
	CU_ASSERT(!lint_fails(&res, LINT_STYLE));
	lint_result_free(&res);
	dockerfile_free(&df);
}

static void shell_splitter(void)
{
	struct lint_script s;
	CU_ASSERT_EQUAL_FATAL(lint_sh_split("A=1 apt-get update && apt-get install -y 'a b';"
					    " echo \"x | y\" | tee f || true\n ls",
					    &s),
			      0);
	CU_ASSERT_EQUAL_FATAL(s.n, 6);
	CU_ASSERT_STRING_EQUAL(s.cmds[0].words[0], "apt-get");
	CU_ASSERT_EQUAL(s.cmds[1].nwords, 4);
	CU_ASSERT_STRING_EQUAL(s.cmds[1].words[3], "a b");
	CU_ASSERT_STRING_EQUAL(s.cmds[2].words[1], "x | y");
	CU_ASSERT(s.cmds[2].piped);
	CU_ASSERT(!s.cmds[3].piped);
	CU_ASSERT(s.has_pipe);
	CU_ASSERT_STRING_EQUAL(s.cmds[5].words[0], "ls");
	lint_script_free(&s);
	CU_ASSERT_EQUAL_FATAL(lint_sh_split("a \\\n  b || c", &s), 0);
	CU_ASSERT_EQUAL(s.n, 2);
	CU_ASSERT_EQUAL(s.cmds[0].nwords, 2);
	CU_ASSERT(!s.has_pipe);
	lint_script_free(&s);
}

static void heredoc_run_is_linted(void)
{
	const char *text = "FROM a:1\nRUN <<EOF\napt-get update\nsudo make\nEOF\n";
	CU_ASSERT_EQUAL(fired(text, "DL3004"), 1);
	CU_ASSERT_EQUAL(fired("FROM a:1\nRUN <<EOF\nmake\nEOF\n", "DL3004"), 0);
}

static CU_TestInfo tests[] = {
	{"each rule fires on its documented wrong cases, not on the right ones",
	 each_rule_fires_and_not},
	{"every rule the issue names has 2+ cases each way", every_rule_has_cases},
	{"DL3026: FROM only from trustedRegistries when any are set", trusted_registries},
	{"ignore pragmas (line above, global) and the config's ignored list",
	 ignore_pragmas_and_config},
	{"override: a rule's level changed by the config", override_levels},
	{"findings come by line with the rule's level; thresholds", findings_by_line_with_level},
	{"the shell splitter: && || ; | newlines, quotes, assignments", shell_splitter},
	{"a heredoc RUN's body is linted as its script", heredoc_run_is_linted},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("lint", tests)

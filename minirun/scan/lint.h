/*
 * minirun/scan/lint.h - what is wrong with a Dockerfile: `minirun lint`, hadolint's rules.
 *
 * The file is parsed by `minirun build`'s parser (minirun/build/dockerfile.h), so a file
 * that builds is a file that lints; a file that does not parse is one DL1000 finding. The
 * rules (lint_rules.c) are hadolint's, by id, level and meaning, written here from its rule
 * documentation; each message says what is wrong and how to fix it. Rules over RUN read
 * the shell command through one small splitter (lint_sh_split): commands at && || ; | &
 * and newlines, each a list of words with quotes removed.
 *
 *	struct lint_config cfg = {.threshold = LINT_INFO};
 *	struct lint_result res = {0};
 *	lint_dockerfile(&df, &cfg, &res);     // res.f[i]: line, code, level, message
 *	lint_result_free(&res);
 *
 * Findings are dropped when their code is in cfg.ignored, or named by a
 * `# hadolint ignore=DL3008,DL3015` comment on the line just above the instruction, or by a
 * `# hadolint global ignore=...` comment anywhere.
 *
 * See: lint.c (the command), lint_rules.c, https://github.com/hadolint/hadolint#rules
 *      (the rules' meaning; no code or prose is taken from it).
 */
#ifndef MR_SCAN_LINT_H
#define MR_SCAN_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "minirun/build/dockerfile.h"

/* in rising order: a --failure-threshold of LEVEL fails on LEVEL and everything above */
enum lint_level { LINT_STYLE, LINT_INFO, LINT_WARNING, LINT_ERROR, LINT_NONE };

const char *lint_level_name(enum lint_level l);
/* lint_level_of - "error" -> LINT_ERROR, ... "none"; -1 for anything else */
int lint_level_of(const char *name);

struct lint_finding {
	int line;
	char code[8]; /* "DL3008", "SC2086" */
	enum lint_level level;
	char *message;
};

struct lint_result {
	struct lint_finding *f;
	size_t n, cap;
};

struct lint_override {
	char code[8];
	enum lint_level level;
};

struct lint_config {
	char **ignored; /* codes never reported */
	size_t nignored;
	struct lint_override *overrides; /* .hadolint.yaml's override: a rule's level changed */
	size_t noverrides;
	char **trusted; /* trustedRegistries: when any, DL3026 allows only these */
	size_t ntrusted;
	enum lint_level threshold;
};

/* One rule: its id, its level and the message of a finding. */
struct lint_rule {
	const char *code;
	enum lint_level level;
	const char *message;
};
extern const struct lint_rule lint_rules[];
const struct lint_rule *lint_rule_of(const char *code);

/*
 * lint_dockerfile - run every rule over DF and append what fires, by line, to RES.
 * Returns 0, or -1 when out of memory.
 */
int lint_dockerfile(const struct dockerfile *df, const struct lint_config *cfg,
		    struct lint_result *res);

/* lint_add - append a finding (MESSAGE copied); 0, or -1 when out of memory */
int lint_add(struct lint_result *res, int line, const char *code, enum lint_level level,
	     const char *message);
void lint_result_free(struct lint_result *res);
/* lint_fails - whether RES holds a finding at or above THRESHOLD */
bool lint_fails(const struct lint_result *res, enum lint_level threshold);
bool lint_config_ignores(const struct lint_config *cfg, const char *code);
/* lint_config_level - CODE's level after CFG's overrides (LEVEL when none names it) */
enum lint_level lint_config_level(const struct lint_config *cfg, const char *code,
				  enum lint_level level);
/* lint_config_override - set CODE's level in CFG; 0, or -1 when out of memory */
int lint_config_override(struct lint_config *cfg, const char *code, enum lint_level level);
/* lint_silenced - whether a finding of CODE at LINE (an instruction's first line) is
 * dropped: by the config, the pragma on the line above it, or a global pragma */
bool lint_silenced(const struct dockerfile *df, const struct lint_config *cfg, int line,
		   const char *code);

/*
 * The shell splitter. A script is cut into simple commands at && || ; | & and newlines
 * (outside quotes; a backslash-newline joins lines); each command is its words, quotes
 * removed, with leading VAR=value assignments dropped. `piped` marks a command whose
 * output goes to a | (the next command reads it).
 */
struct lint_cmd {
	char **words; /* NULL-terminated */
	size_t nwords;
	bool piped;
};
struct lint_script {
	struct lint_cmd *cmds;
	size_t n;
	bool has_pipe;
};
/* lint_sh_split - 0, or -1 when out of memory */
int lint_sh_split(const char *script, struct lint_script *out);
void lint_script_free(struct lint_script *s);

int cmd_lint(int argc, char **argv);

#endif

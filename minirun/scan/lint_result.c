/*
 * minirun/scan/lint_result.c - what `minirun lint` keeps between its rules and its output:
 * the levels by name, the list of findings, and the config's ignored rules and level
 * overrides (hadolint's `ignored:` and `override:` keys, or --ignore / --error ...).
 *
 * The rules (lint_rules.c) add findings; lint_dockerfile() drops the silenced ones and
 * applies the overrides; lint.c prints them and decides the exit code with lint_fails().
 *
 * See: lint.h; https://github.com/hadolint/hadolint#configure
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "minirun/scan/lint.h"

static const char *const level_names[] = {"style", "info", "warning", "error", "none"};

const char *lint_level_name(enum lint_level l)
{
	return l <= LINT_NONE ? level_names[l] : "?";
}

int lint_level_of(const char *name)
{
	for (int i = 0; i <= LINT_NONE; i++)
		if (!strcmp(name, level_names[i]))
			return i;
	return -1;
}

int lint_add(struct lint_result *res, int line, const char *code, enum lint_level level,
	     const char *message)
{
	if (res->n == res->cap) {
		size_t cap = res->cap ? 2 * res->cap : 16;
		struct lint_finding *f = realloc(res->f, cap * sizeof(*f));
		if (!f)
			return -1;
		res->f = f;
		res->cap = cap;
	}
	struct lint_finding *f = &res->f[res->n];
	f->line = line;
	snprintf(f->code, sizeof(f->code), "%s", code);
	f->level = level;
	f->message = strdup(message);
	if (!f->message)
		return -1;
	res->n++;
	return 0;
}

void lint_result_free(struct lint_result *res)
{
	for (size_t i = 0; i < res->n; i++)
		free(res->f[i].message);
	free(res->f);
	*res = (struct lint_result){0};
}

bool lint_fails(const struct lint_result *res, enum lint_level threshold)
{
	for (size_t i = 0; i < res->n; i++)
		if (threshold != LINT_NONE && res->f[i].level >= threshold)
			return true;
	return false;
}

bool lint_config_ignores(const struct lint_config *cfg, const char *code)
{
	for (size_t i = 0; cfg && i < cfg->nignored; i++)
		if (!strcasecmp(cfg->ignored[i], code))
			return true;
	return false;
}

enum lint_level lint_config_level(const struct lint_config *cfg, const char *code,
				  enum lint_level level)
{
	for (size_t i = 0; cfg && i < cfg->noverrides; i++)
		if (!strcasecmp(cfg->overrides[i].code, code))
			level = cfg->overrides[i].level;
	return level;
}

int lint_config_override(struct lint_config *cfg, const char *code, enum lint_level level)
{
	struct lint_override *o =
		realloc(cfg->overrides, (cfg->noverrides + 1) * sizeof(*cfg->overrides));
	if (!o)
		return -1;
	cfg->overrides = o;
	snprintf(o[cfg->noverrides].code, sizeof(o->code), "%s", code);
	o[cfg->noverrides++].level = level;
	return 0;
}

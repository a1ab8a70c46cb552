/*
 * minirun/scan/lint.c - the verb `minirun lint [FILE...]`: hadolint's checks of a Dockerfile.
 *
 *   minirun lint [--format tty|json|sarif|checkstyle] [--failure-threshold LEVEL]
 *                [--config FILE] [--ignore CODE]... [--trusted-registry REG]...
 *                [--no-shellcheck] [FILE...]
 *
 * Each file (default ./Dockerfile, "-" for standard input) is parsed by `minirun build`'s
 * parser and run through the rules (lint_rules.c); a file that does not parse is one DL1000
 * finding at the line the parser names. The shell-form RUNs are also given to `shellcheck`
 * when it is on PATH, its SCxxxx findings reported at the RUN's line. The configuration is
 * .hadolint.yaml in the current directory (or --config): `ignored: [codes]`,
 * `failure-threshold: LEVEL`, `trustedRegistries: [registries]`, `override: {error: [codes],
 * warning: [...], info: [...], style: [...]}` (a rule's level changed); the flags add to it.
 *
 * Exit status: 1 when a finding at or above the failure threshold (default info) was
 * printed, 0 otherwise; 125 for a wrong use or a file or config that cannot be read.
 *
 * See: lint.h, README.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>
#include <libfyaml.h>

#include "lib/cli.h"
#include "lib/err.h"
#include "minirun/scan/lint.h"

enum lint_format { FMT_TTY, FMT_JSON, FMT_SARIF, FMT_CHECKSTYLE };

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: minirun lint [OPTIONS] [FILE...]\n"
		"\n"
		"Check Dockerfiles (default ./Dockerfile, - for stdin) against hadolint's rules.\n"
		"\n"
		"Options:\n"
		"  -f, --format FMT               tty (default), json, sarif or checkstyle\n"
		"  -t, --failure-threshold LEVEL  exit 1 on a finding at LEVEL or above: error,\n"
		"                                 warning, info (default), style, none\n"
		"  -c, --config FILE              the configuration (default ./.hadolint.yaml)\n"
		"      --ignore CODE              do not report CODE (repeatable)\n"
		"      --trusted-registry REG     allow FROM images only from REG (repeatable)\n"
		"      --no-shellcheck            do not pass RUN lines to shellcheck\n"
		"  -h, --help                     print this help\n");
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "minirun: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nSee 'minirun lint --help'.\n");
	return MR_EXIT_RUNTIME;
}

static int push(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv)
		return -1;
	*v = nv;
	if (!(nv[*n] = strdup(s)))
		return -1;
	(*n)++;
	return 0;
}

static void config_free(struct lint_config *cfg)
{
	for (size_t i = 0; i < cfg->nignored; i++)
		free(cfg->ignored[i]);
	for (size_t i = 0; i < cfg->ntrusted; i++)
		free(cfg->trusted[i]);
	free(cfg->overrides);
	free(cfg->ignored);
	free(cfg->trusted);
}

/* yaml_list - the scalars of the sequence KEY of MAP appended to V; -1 when KEY is not a
 * sequence of scalars */
static int yaml_list(struct fy_node *map, const char *key, char ***v, size_t *n)
{
	struct fy_node *seq = fy_node_mapping_lookup_by_string(map, key, FY_NT);
	if (!seq)
		return 0;
	if (fy_node_get_type(seq) != FYNT_SEQUENCE)
		return -1;
	void *it = NULL;
	struct fy_node *item;
	while ((item = fy_node_sequence_iterate(seq, &it))) {
		const char *s = fy_node_get_scalar0(item);
		if (!s || push(v, n, s) < 0)
			return -1;
	}
	return 0;
}

/*
 * config_load - read PATH (.hadolint.yaml) into CFG. A missing file is no error when
 * !REQUIRED. Returns 0, or -1 with one line on stderr naming the file and what is wrong.
 */
static int config_load(const char *path, bool required, struct lint_config *cfg,
		       bool *threshold_set)
{
	if (access(path, F_OK) != 0 && !required)
		return 0;
	struct fy_parse_cfg pcfg = {.flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2};
	errno = 0;
	struct fy_document *doc = fy_document_build_from_file(&pcfg, path);
	if (!doc) {
		fprintf(stderr,
			"minirun: %s: cannot read it as YAML (%s): fix the file or pass "
			"--config\n",
			path, errno ? strerror(errno) : "syntax error");
		return -1;
	}
	int rc = 0;
	struct fy_node *root = fy_document_root(doc);
	if (root && fy_node_get_type(root) != FYNT_MAPPING) {
		fprintf(stderr,
			"minirun: %s: the configuration must be a mapping (ignored:, "
			"failure-threshold:, trustedRegistries:)\n",
			path);
		rc = -1;
	} else if (root) {
		if (yaml_list(root, "ignored", &cfg->ignored, &cfg->nignored) < 0 ||
		    yaml_list(root, "trustedRegistries", &cfg->trusted, &cfg->ntrusted) < 0) {
			fprintf(stderr,
				"minirun: %s: ignored and trustedRegistries must be lists "
				"of strings\n",
				path);
			rc = -1;
		}
		struct fy_node *ov = fy_node_mapping_lookup_by_string(root, "override", FY_NT);
		if (!rc && ov && fy_node_get_type(ov) != FYNT_MAPPING) {
			fprintf(stderr,
				"minirun: %s: override must map error, warning, info, "
				"style to lists of codes\n",
				path);
			rc = -1;
		}
		for (int l = LINT_STYLE; !rc && ov && l < LINT_NONE; l++) {
			char **codes = NULL;
			size_t n = 0;
			if (yaml_list(ov, lint_level_name(l), &codes, &n) < 0) {
				fprintf(stderr,
					"minirun: %s: override.%s must be a list of codes\n", path,
					lint_level_name(l));
				rc = -1;
			}
			for (size_t i = 0; i < n; i++) {
				if (!rc && lint_config_override(cfg, codes[i], l) < 0)
					rc = -1;
				free(codes[i]);
			}
			free(codes);
		}
		struct fy_node *t =
			fy_node_mapping_lookup_by_string(root, "failure-threshold", FY_NT);
		const char *level = t ? fy_node_get_scalar0(t) : NULL;
		if (!rc && t && (!level || lint_level_of(level) < 0)) {
			fprintf(stderr,
				"minirun: %s: failure-threshold %s is not one of error, "
				"warning, info, style, none\n",
				path, level ? level : "(not a string)");
			rc = -1;
		} else if (!rc && level && !*threshold_set) {
			cfg->threshold = lint_level_of(level);
		}
	}
	fy_document_destroy(doc);
	return rc;
}

/*
 * shellcheck_run - give each shell-form RUN of DF to `shellcheck -s sh -f gcc -` and add
 * its findings (at the RUN's line) to RES. Nothing when shellcheck is not installed.
 */
static void shellcheck_run(const struct dockerfile *df, const struct lint_config *cfg,
			   struct lint_result *res)
{
	bool posix = true;
	for (size_t i = 0; i < df->n; i++) {
		const struct df_instr *in = &df->instrs[i];
		if (in->kind == DF_SHELL) /* a SHELL that is not sh: shellcheck's sh is wrong */
			posix = in->nargs && strstr(in->args[0], "sh") &&
				!strstr(in->args[0], "pwsh");
		if (in->kind == DF_FROM)
			posix = true;
		if (in->kind != DF_RUN || in->json || !posix || !in->nargs || in->nheredocs)
			continue;
		int to[2], from[2];
		if (pipe(to) < 0)
			return;
		if (pipe(from) < 0) {
			close(to[0]);
			close(to[1]);
			return;
		}
		pid_t pid = fork();
		if (pid < 0) {
			close(to[0]), close(to[1]), close(from[0]), close(from[1]);
			return;
		}
		if (pid == 0) {
			dup2(to[0], 0);
			dup2(from[1], 1);
			int devnull = open("/dev/null", O_WRONLY);
			if (devnull >= 0)
				dup2(devnull, 2);
			close(to[0]), close(to[1]), close(from[0]), close(from[1]);
			execlp("shellcheck", "shellcheck", "-s", "sh", "-f", "gcc", "-",
			       (char *)NULL);
			_exit(127);
		}
		close(to[0]);
		close(from[1]);
		/* write it all, then read: shellcheck reads its whole input before it writes,
		 * so neither side waits on the other; SIGPIPE is ignored meanwhile in case it
		 * exits early */
		struct sigaction ign = {.sa_handler = SIG_IGN}, old;
		sigaction(SIGPIPE, &ign, &old);
		FILE *w = fdopen(to[1], "w");
		if (w) {
			fprintf(w, "%s\n", in->args[0]);
			fclose(w);
		} else {
			close(to[1]);
		}
		sigaction(SIGPIPE, &old, NULL);
		FILE *r = fdopen(from[0], "r");
		char line[4096];
		while (r && fgets(line, sizeof(line), r)) {
			/* -:1:5: warning: Double quote to prevent globbing ... [SC2086] */
			char *lvl = strstr(line, ": ");
			char *code = strrchr(line, '[');
			if (!lvl || !code || strncmp(code, "[SC", 3))
				continue;
			lvl += 2;
			char *msg = strstr(lvl, ": ");
			if (!msg)
				continue;
			*msg = 0;
			msg += 2;
			code[-1] = 0;
			code++;
			code[strcspn(code, "]")] = 0;
			int level = lint_level_of(!strcmp(lvl, "note") ? "info" : lvl);
			if (level < 0)
				level = LINT_INFO;
			if (!lint_silenced(df, cfg, in->start_line, code))
				lint_add(res, in->start_line, code,
					 lint_config_level(cfg, code, level), msg);
		}
		if (r)
			fclose(r);
		else
			close(from[0]);
		int status;
		waitpid(pid, &status, 0);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			return; /* not installed: the other RUNs would fail the same way */
	}
}

static bool shellcheck_installed(void)
{
	const char *path = getenv("PATH");
	if (!path)
		return false;
	char buf[4096];
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, ":");
		snprintf(buf, sizeof(buf), "%.*s/shellcheck", (int)n, p);
		if (access(buf, X_OK) == 0)
			return true;
		p += n;
		if (*p)
			p++;
	}
	return false;
}

static void xml_escaped(FILE *out, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '\'': fputs("&apos;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(*s, out);
		}
}

static const char *sarif_level(enum lint_level l)
{
	return l == LINT_ERROR ? "error" : l == LINT_WARNING ? "warning" : "note";
}

struct linted {
	const char *path;
	struct lint_result res;
};

static void print_results(const struct linted *files, size_t n, enum lint_format fmt)
{
	if (fmt == FMT_TTY) {
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < files[i].res.n; j++) {
				const struct lint_finding *f = &files[i].res.f[j];
				printf("%s:%d %s %s: %s\n", files[i].path, f->line, f->code,
				       lint_level_name(f->level), f->message);
			}
		return;
	}
	if (fmt == FMT_CHECKSTYLE) {
		printf("<?xml version='1.0' encoding='UTF-8'?><checkstyle version='4.3'>");
		for (size_t i = 0; i < n; i++) {
			printf("<file name='");
			xml_escaped(stdout, files[i].path);
			printf("'>");
			for (size_t j = 0; j < files[i].res.n; j++) {
				const struct lint_finding *f = &files[i].res.f[j];
				printf("<error line='%d' column='1' severity='%s' message='",
				       f->line, lint_level_name(f->level));
				xml_escaped(stdout, f->message);
				printf("' source='%s'/>", f->code);
			}
			printf("</file>");
		}
		printf("</checkstyle>\n");
		return;
	}
	json_t *results = json_array();
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < files[i].res.n; j++) {
			const struct lint_finding *f = &files[i].res.f[j];
			json_t *o;
			if (fmt == FMT_JSON)
				o = json_pack("{s:s, s:i, s:s, s:s, s:i, s:s}", "code", f->code,
					      "column", 1, "file", files[i].path, "level",
					      lint_level_name(f->level), "line", f->line, "message",
					      f->message);
			else
				o = json_pack(
					"{s:s, s:s, s:{s:s}, s:[{s:{s:{s:s}, s:{s:i, s:i}}}]}",
					"ruleId", f->code, "level", sarif_level(f->level),
					"message", "text", f->message, "locations",
					"physicalLocation", "artifactLocation", "uri",
					files[i].path, "region", "startLine", f->line,
					"startColumn", 1);
			json_array_append_new(results, o);
		}
	json_t *doc = results;
	if (fmt == FMT_SARIF) {
		json_t *rules = json_array();
		for (const struct lint_rule *r = lint_rules; r->code; r++)
			json_array_append_new(rules,
					      json_pack("{s:s, s:{s:s}}", "id", r->code,
							"shortDescription", "text", r->message));
		doc = json_pack("{s:s, s:s, s:[{s:{s:{s:s, s:s, s:o}}, s:o}]}", "$schema",
				"https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0",
				"runs", "tool", "driver", "name", "minirun lint", "informationUri",
				"https://github.com/hadolint/hadolint", "rules", rules, "results",
				results);
	}
	char *s = json_dumps(doc, fmt == FMT_SARIF ? JSON_INDENT(2) : JSON_COMPACT);
	if (s)
		puts(s);
	free(s);
	json_decref(doc);
}

int cmd_lint(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"failure-threshold", required_argument, NULL, 't'},
		{"config", required_argument, NULL, 'c'},
		{"ignore", required_argument, NULL, 'i'},
		{"trusted-registry", required_argument, NULL, 'r'},
		{"no-shellcheck", no_argument, NULL, 'S'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct lint_config cfg = {.threshold = LINT_INFO};
	enum lint_format fmt = FMT_TTY;
	const char *config = NULL;
	bool threshold_set = false, shellcheck = true;
	int c, rc = MR_EXIT_RUNTIME;
	optind = 1;
	opterr = 0; /* mr_flag_error says it, in docker's words */
	while ((c = getopt_long(argc, argv, "+:f:t:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "tty"))
				fmt = FMT_TTY;
			else if (!strcmp(optarg, "json"))
				fmt = FMT_JSON;
			else if (!strcmp(optarg, "sarif"))
				fmt = FMT_SARIF;
			else if (!strcmp(optarg, "checkstyle"))
				fmt = FMT_CHECKSTYLE;
			else {
				rc = usage_error("lint: unknown --format %s: use tty, json, sarif "
						 "or checkstyle",
						 optarg);
				goto out;
			}
			break;
		case 't':
			if (lint_level_of(optarg) < 0) {
				rc = usage_error("lint: unknown --failure-threshold %s: use error, "
						 "warning, info, style or none",
						 optarg);
				goto out;
			}
			cfg.threshold = lint_level_of(optarg);
			threshold_set = true;
			break;
		case 'c': config = optarg; break;
		case 'i':
			if (push(&cfg.ignored, &cfg.nignored, optarg) < 0)
				goto oom;
			break;
		case 'r':
			if (push(&cfg.trusted, &cfg.ntrusted, optarg) < 0)
				goto oom;
			break;
		case 'S': shellcheck = false; break;
		case 'h':
			usage(stdout);
			rc = 0;
			goto out;
		default: rc = mr_flag_error(c, "lint", argv); goto out;
		}
	}
	if (config_load(config ? config : ".hadolint.yaml", config != NULL, &cfg, &threshold_set) <
	    0)
		goto out;
	if (shellcheck)
		shellcheck = shellcheck_installed();

	char *dflt[] = {"Dockerfile", NULL};
	char **paths = optind < argc ? argv + optind : dflt;
	size_t n = optind < argc ? (size_t)(argc - optind) : 1;
	struct linted *files = calloc(n, sizeof(*files));
	if (!files)
		goto oom;
	rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		struct dockerfile df = {0};
		struct mr_err err = {0};
		files[i].path = paths[i];
		if (strcmp(paths[i], "-") && access(paths[i], R_OK) != 0) {
			fprintf(stderr, "minirun: lint: %s: %s: name a Dockerfile that exists\n",
				paths[i], strerror(errno));
			rc = MR_EXIT_RUNTIME;
			break;
		}
		if (dockerfile_parse_file(paths[i], &df, &err) < 0) {
			/* the parser's message names the file and line: keep only the what */
			const char *msg = err.msg;
			const char *p = strstr(msg, ": ");
			if (p && df.error_line && strstr(msg, paths[i]) == msg)
				msg = p + 2;
			char what[sizeof(err.msg) + 64];
			snprintf(what, sizeof(what), "%s (the file does not parse: fix this line)",
				 msg);
			if (!lint_config_ignores(&cfg, "DL1000") &&
			    lint_add(&files[i].res, df.error_line ? df.error_line : 1, "DL1000",
				     LINT_ERROR, what) < 0)
				rc = -1;
			continue;
		}
		if (lint_dockerfile(&df, &cfg, &files[i].res) < 0)
			rc = -1;
		if (!rc && shellcheck) {
			shellcheck_run(&df, &cfg, &files[i].res);
			/* keep the order by line with the DL findings */
			struct lint_result *r = &files[i].res;
			for (size_t a = 1; a < r->n; a++)
				for (size_t b = a; b > 0 && r->f[b - 1].line > r->f[b].line; b--) {
					struct lint_finding t = r->f[b];
					r->f[b] = r->f[b - 1];
					r->f[b - 1] = t;
				}
		}
		dockerfile_free(&df);
	}
	if (rc == -1) {
		fprintf(stderr, "minirun: lint: out of memory\n");
		rc = MR_EXIT_RUNTIME;
	}
	if (!rc) {
		print_results(files, n, fmt);
		for (size_t i = 0; i < n; i++)
			if (lint_fails(&files[i].res, cfg.threshold))
				rc = 1;
	}
	for (size_t i = 0; i < n; i++)
		lint_result_free(&files[i].res);
	free(files);
out:
	config_free(&cfg);
	return rc;
oom:
	fprintf(stderr, "minirun: lint: out of memory\n");
	config_free(&cfg);
	return MR_EXIT_RUNTIME;
}

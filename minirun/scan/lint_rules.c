/*
 * minirun/scan/lint_rules.c - hadolint's Dockerfile rules over `minirun build`'s parse (the
 * RUN rules read commands through lint_shell.c's splitter).
 *
 * Each rule is a function of one instruction and the state of the walk (the stage it is
 * in, the stage names seen so far, the SHELL in force). The table below gives each id its
 * level and message, from hadolint's documentation of the rule; lint_dockerfile() walks the
 * instructions once, runs every rule, and drops what the ignore pragmas and the config name.
 *
 * See: lint.h, https://github.com/hadolint/hadolint/wiki (one page per rule).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "minirun/scan/lint.h"

const struct lint_rule lint_rules[] = {
	{"DL1000", LINT_ERROR, "the Dockerfile does not parse: fix the line named"},
	{"DL3000", LINT_ERROR,
	 "Use absolute WORKDIR: a relative one depends on the WORKDIR "
	 "before it; start the path with /"},
	{"DL3001", LINT_INFO,
	 "This command (ssh, vim, shutdown, service, ps, free, top, kill, "
	 "mount, ifconfig) makes little sense in a container: remove it"},
	{"DL3002", LINT_WARNING,
	 "Last USER should not be root: add a USER with an unprivileged "
	 "user at the end of the final stage"},
	{"DL3003", LINT_WARNING, "Use WORKDIR to switch to a directory, not `cd` in RUN"},
	{"DL3004", LINT_ERROR,
	 "Do not use sudo: it has unpredictable TTY and signal behaviour; "
	 "RUN already runs as root, or use gosu where you must switch user"},
	{"DL3006", LINT_WARNING,
	 "Always tag the version of an image explicitly: FROM image:tag "
	 "(or @sha256:digest)"},
	{"DL3007", LINT_WARNING,
	 "Using latest is prone to errors if the image will ever update: "
	 "pin a version tag or a digest"},
	{"DL3008", LINT_WARNING,
	 "Pin versions in apt-get install: `apt-get install <package>="
	 "<version>`"},
	{"DL3009", LINT_INFO,
	 "Delete the apt-get lists after installing something: end the RUN "
	 "with `&& rm -rf /var/lib/apt/lists/*`"},
	{"DL3011", LINT_ERROR, "Valid UNIX ports range from 0 to 65535: fix the EXPOSE"},
	{"DL3012", LINT_ERROR,
	 "Multiple HEALTHCHECK instructions: only the last one counts; "
	 "keep one per stage"},
	{"DL3013", LINT_WARNING,
	 "Pin versions in pip: `pip install <package>==<version>` (or "
	 "install from a requirements file)"},
	{"DL3014", LINT_WARNING,
	 "Use the -y switch to avoid manual input: `apt-get -y install "
	 "<package>`"},
	{"DL3015", LINT_INFO,
	 "Avoid additional packages by specifying --no-install-recommends: "
	 "`apt-get install --no-install-recommends <package>`"},
	{"DL3016", LINT_WARNING, "Pin versions in npm: `npm install <package>@<version>`"},
	{"DL3018", LINT_WARNING, "Pin versions in apk add: `apk add <package>=<version>`"},
	{"DL3019", LINT_INFO,
	 "Use the --no-cache switch to avoid the need to use --update and "
	 "remove /var/cache/apk/*: `apk add --no-cache <package>`"},
	{"DL3020", LINT_ERROR,
	 "Use COPY instead of ADD for files and folders: ADD is for URLs "
	 "and archives to extract"},
	{"DL3021", LINT_ERROR,
	 "COPY with more than 2 arguments requires the last argument to "
	 "end with /"},
	{"DL3022", LINT_WARNING,
	 "COPY --from should reference a previously defined FROM alias: "
	 "name the stage with FROM ... AS name before it"},
	{"DL3023", LINT_ERROR,
	 "COPY --from cannot reference its own FROM alias: copy from an "
	 "earlier stage"},
	{"DL3024", LINT_ERROR, "FROM aliases (stage names) must be unique: rename one"},
	{"DL3025", LINT_WARNING,
	 "Use arguments JSON notation for CMD and ENTRYPOINT arguments: "
	 "CMD [\"executable\", \"arg\"]"},
	{"DL3026", LINT_ERROR,
	 "Use only an allowed registry in the FROM image: see "
	 "trustedRegistries in .hadolint.yaml"},
	{"DL3027", LINT_WARNING,
	 "Do not use apt as it is meant to be an end-user tool, use "
	 "apt-get or apt-cache instead"},
	{"DL3042", LINT_WARNING,
	 "Avoid use of cache directory with pip: `pip install "
	 "--no-cache-dir <package>`"},
	{"DL3047", LINT_INFO,
	 "Avoid use of wget without progress bar: `wget "
	 "--progress=dot:giga <url>`, or -q / -nv"},
	{"DL3059", LINT_INFO,
	 "Multiple consecutive RUN instructions: consider joining them "
	 "with && into one"},
	{"DL4000", LINT_ERROR, "MAINTAINER is deprecated: use LABEL maintainer=\"name\""},
	{"DL4001", LINT_WARNING, "Either use wget or curl but not both: pick one"},
	{"DL4003", LINT_WARNING,
	 "Multiple CMD instructions found: only the last one takes "
	 "effect; keep one per stage"},
	{"DL4004", LINT_ERROR,
	 "Multiple ENTRYPOINT instructions found: only the last one "
	 "takes effect; keep one per stage"},
	{"DL4006", LINT_WARNING,
	 "Set the SHELL option -o pipefail before RUN with a pipe in it: "
	 "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]"},
	{NULL, 0, NULL},
};

const struct lint_rule *lint_rule_of(const char *code)
{
	for (const struct lint_rule *r = lint_rules; r->code; r++)
		if (!strcmp(r->code, code))
			return r;
	return NULL;
}

/* ---- helpers over a command ---- */

/* cmd_is - whether C runs NAME (by its base name: /usr/bin/apt-get is apt-get) */
static bool cmd_is(const struct lint_cmd *c, const char *name)
{
	const char *w = c->words[0];
	const char *slash = strrchr(w, '/');
	return !strcmp(slash ? slash + 1 : w, name);
}

static bool has_word(const struct lint_cmd *c, const char *word)
{
	for (size_t i = 1; i < c->nwords; i++)
		if (!strcmp(c->words[i], word))
			return true;
	return false;
}

static bool has_prefix_word(const struct lint_cmd *c, const char *prefix)
{
	for (size_t i = 1; i < c->nwords; i++)
		if (!strncmp(c->words[i], prefix, strlen(prefix)))
			return true;
	return false;
}

/* has_short - a short option letter L given alone or in a bundle (-qy) */
static bool has_short(const struct lint_cmd *c, char l)
{
	for (size_t i = 1; i < c->nwords; i++) {
		const char *w = c->words[i];
		if (w[0] == '-' && w[1] != '-' && strchr(w + 1, l))
			return true;
	}
	return false;
}

/* the index of the first non-option word after the command, or 0 */
static size_t subcommand(const struct lint_cmd *c)
{
	for (size_t i = 1; i < c->nwords; i++)
		if (c->words[i][0] != '-')
			return i;
	return 0;
}

static bool subcommand_is(const struct lint_cmd *c, const char *sub)
{
	size_t i = subcommand(c);
	return i && !strcmp(c->words[i], sub);
}

/* ---- the walk ---- */

struct stage {
	char *alias; /* lower-cased, or NULL */
};

struct walk {
	const struct dockerfile *df;
	const struct lint_config *cfg;
	struct lint_result *res;
	const struct df_instr *in; /* the instruction now */
	size_t i;
	struct stage *stages;
	size_t nstages; /* the current stage is nstages-1 */
	bool last_stage;
	bool base_of_later; /* a later FROM names this stage */
	bool pipefail;      /* SHELL with -o pipefail is in force */
	bool posix_shell;   /* the SHELL is a POSIX shell (pipefail matters) */
	bool pip_no_cache;
	int ncmd, nentry, nhealth;
	const struct df_instr *prev_run; /* the RUN just before (no other instruction between) */
	size_t prev_run_cmds;
	const struct df_instr *last_user_root;
	int oom;
};

static void report(struct walk *w, const char *code)
{
	const struct lint_rule *r = lint_rule_of(code);
	if (r && lint_add(w->res, w->in->start_line, r->code,
			  lint_config_level(w->cfg, r->code, r->level), r->message) < 0)
		w->oom = 1;
}

/* run_script - the shell text of a shell-form RUN: its argument and any heredoc bodies */
static char *run_script(const struct df_instr *in)
{
	size_t len = 1;
	for (size_t i = 0; i < in->nargs; i++)
		len += strlen(in->args[i]) + 1;
	for (size_t i = 0; i < in->nheredocs; i++)
		len += strlen(in->heredocs[i].content) + 1;
	char *s = malloc(len);
	if (!s)
		return NULL;
	s[0] = 0;
	for (size_t i = 0; i < in->nargs; i++)
		strcat(strcat(s, in->args[i]), in->json ? " " : "\n");
	for (size_t i = 0; i < in->nheredocs; i++)
		strcat(strcat(s, in->heredocs[i].content), "\n");
	return s;
}

static bool is_scratch_or_var(const char *image)
{
	return !strcasecmp(image, "scratch") || strchr(image, '$');
}

static bool is_stage_alias(const struct walk *w, const char *name, size_t upto)
{
	for (size_t i = 0; i < upto; i++)
		if (w->stages[i].alias && !strcasecmp(w->stages[i].alias, name))
			return true;
	return false;
}

/* image_tag - the tag of IMAGE ("" when none), digest "@..." counts as pinned */
static const char *image_tag(const char *image)
{
	if (strchr(image, '@'))
		return "@";
	const char *slash = strrchr(image, '/');
	const char *colon = strrchr(slash ? slash : image, ':');
	return colon ? colon + 1 : "";
}

/* image_registry - the registry IMAGE is pulled from: "docker.io" when none is named */
static void image_registry(const char *image, char *out, size_t size)
{
	const char *slash = strchr(image, '/');
	size_t len = slash ? (size_t)(slash - image) : 0;
	if (slash && (memchr(image, '.', len) || memchr(image, ':', len) ||
		      (len == 9 && !strncmp(image, "localhost", 9))))
		snprintf(out, size, "%.*s", (int)len, image);
	else
		snprintf(out, size, "docker.io");
}

static void rule_from(struct walk *w)
{
	const struct df_instr *in = w->in;
	if (in->nargs == 0)
		return;
	const char *image = in->args[0];
	size_t here = w->nstages - 1;
	if (in->nargs >= 3 && !strcasecmp(in->args[1], "AS")) {
		if (is_stage_alias(w, in->args[2], here))
			report(w, "DL3024");
	}
	if (is_scratch_or_var(image) || is_stage_alias(w, image, here))
		return;
	const char *tag = image_tag(image);
	if (!*tag)
		report(w, "DL3006");
	else if (!strcmp(tag, "latest"))
		report(w, "DL3007");
	if (w->cfg && w->cfg->ntrusted) {
		char reg[256];
		image_registry(image, reg, sizeof(reg));
		bool ok = false;
		for (size_t i = 0; i < w->cfg->ntrusted; i++)
			if (!strcasecmp(w->cfg->trusted[i], reg) ||
			    (!strcmp(reg, "docker.io") &&
			     !strcasecmp(w->cfg->trusted[i], "hub.docker.com")))
				ok = true;
		if (!ok)
			report(w, "DL3026");
	}
}

static void rule_copy(struct walk *w)
{
	const struct df_instr *in = w->in;
	const char *from = df_flag(in, "from");
	if (in->kind == DF_COPY && from && *from) {
		size_t here = w->nstages ? w->nstages - 1 : 0;
		const char *self = w->nstages ? w->stages[here].alias : NULL;
		bool number = strspn(from, "0123456789") == strlen(from);
		if (self && !strcasecmp(self, from))
			report(w, "DL3023");
		else if (!number && !strchr(from, ':') && !strchr(from, '/') &&
			 !strchr(from, '$') && !is_stage_alias(w, from, here))
			report(w, "DL3022");
	}
	/* the sources and the destination: heredoc sources count as arguments */
	if (in->nargs + (in->nheredocs ? 1 : 0) > 2 && in->nheredocs == 0) {
		const char *dest = in->args[in->nargs - 1];
		size_t len = strlen(dest);
		if (len == 0 || (dest[len - 1] != '/' && !strchr(dest, '$')))
			report(w, "DL3021");
	}
	if (in->kind == DF_ADD && in->nargs >= 2 && !in->nheredocs) {
		static const char *const archives[] = {
			".tar",    ".tar.gz", ".tgz",     ".tar.bz2", ".tbz", ".tbz2",
			".tar.xz", ".txz",    ".tar.zst", ".tzst",    ".gz",  ".bz2",
			".xz",     ".zst",    ".lz",      ".lzma",    ".Z",   NULL};
		bool all_files = true;
		for (size_t i = 0; i + 1 < in->nargs; i++) {
			const char *src = in->args[i];
			bool remote = strstr(src, "://") != NULL || !strncmp(src, "git@", 4);
			bool archive = false;
			size_t sl = strlen(src);
			for (const char *const *a = archives; *a; a++) {
				size_t al = strlen(*a);
				if (sl > al && !strcmp(src + sl - al, *a))
					archive = true;
			}
			if (remote || archive || strchr(src, '$') || strchr(src, '*'))
				all_files = false;
		}
		if (all_files)
			report(w, "DL3020");
	}
}

/* user_is_root - USER root, USER 0, USER root:grp, USER 0:0 */
static bool user_is_root(const char *u)
{
	size_t len = strcspn(u, ":");
	return (len == 4 && !strncmp(u, "root", 4)) || (len == 1 && u[0] == '0');
}

/* apt_packages - each package word of `apt-get install` (options and their values out) */
static void apt_install_rules(struct walk *w, const struct lint_cmd *c, const char *script)
{
	if (!subcommand_is(c, "install"))
		return;
	size_t sub = subcommand(c);
	bool unpinned = false;
	for (size_t i = sub + 1; i < c->nwords; i++) {
		const char *p = c->words[i];
		if (p[0] == '-') {
			/* the options that take a separate value */
			if (!strcmp(p, "-t") || !strcmp(p, "--target-release") ||
			    !strcmp(p, "-o") || !strcmp(p, "-c"))
				i++;
			continue;
		}
		if (!strchr(p, '=') && !strchr(p, '/') && !strstr(p, ".deb"))
			unpinned = true;
	}
	if (unpinned)
		report(w, "DL3008");
	if (!has_short(c, 'y') && !has_word(c, "--yes") && !has_word(c, "--assume-yes") &&
	    !has_word(c, "-qq") && !has_word(c, "-q=2") && !has_word(c, "--quiet=2"))
		report(w, "DL3014");
	if (!has_word(c, "--no-install-recommends") &&
	    !has_prefix_word(c, "-o APT::Install-Recommends=false") &&
	    !strstr(script, "APT::Install-Recommends=false") &&
	    !strstr(script, "APT::Install-Recommends \"false\""))
		report(w, "DL3015");
}

/* pip_pinned - a requirement that names a version, a file, a URL or a path */
static bool pip_pinned(const char *p)
{
	return strpbrk(p, "=<>~@/") || strstr(p, "://") || !strcmp(p, ".") || strstr(p, ".whl") ||
	       strstr(p, ".tar.gz") || strstr(p, ".zip");
}

static void pip_rules(struct walk *w, const struct lint_cmd *c, const struct df_instr *in)
{
	size_t sub = subcommand(c);
	/* python -m pip install: the subcommand after "pip" */
	if (cmd_is(c, "python") || cmd_is(c, "python3")) {
		if (!(sub && !strcmp(c->words[sub], "pip")) && !has_word(c, "pip"))
			return;
		for (sub = 1; sub < c->nwords && strcmp(c->words[sub], "pip"); sub++)
			;
		sub++;
		while (sub < c->nwords && c->words[sub][0] == '-')
			sub++;
	}
	if (!sub || sub >= c->nwords || strcmp(c->words[sub], "install"))
		return;
	bool unpinned = false, from_file = false;
	for (size_t i = sub + 1; i < c->nwords; i++) {
		const char *p = c->words[i];
		if (!strcmp(p, "-r") || !strcmp(p, "--requirement") || !strcmp(p, "-c") ||
		    !strcmp(p, "--constraint") || !strcmp(p, "-e") || !strcmp(p, "--editable")) {
			from_file = true;
			i++;
			continue;
		}
		if (!strcmp(p, "-i") || !strcmp(p, "--index-url") || !strcmp(p, "--target") ||
		    !strcmp(p, "-t") || !strcmp(p, "--extra-index-url") ||
		    !strcmp(p, "--trusted-host") || !strcmp(p, "--find-links") ||
		    !strcmp(p, "-f") || !strcmp(p, "--root") || !strcmp(p, "--prefix")) {
			i++;
			continue;
		}
		if (p[0] == '-')
			continue;
		if (!pip_pinned(p))
			unpinned = true;
	}
	if (unpinned)
		report(w, "DL3013");
	(void)from_file;
	const char *mount = df_flag(in, "mount");
	bool cache_mount = mount && strstr(mount, "type=cache");
	if (!has_word(c, "--no-cache-dir") && !w->pip_no_cache && !cache_mount)
		report(w, "DL3042");
}

static void npm_rules(struct walk *w, const struct lint_cmd *c)
{
	size_t sub = subcommand(c);
	if (!sub || (strcmp(c->words[sub], "install") && strcmp(c->words[sub], "i") &&
		     strcmp(c->words[sub], "add")))
		return;
	for (size_t i = sub + 1; i < c->nwords; i++) {
		const char *p = c->words[i];
		if (p[0] == '-')
			continue;
		/* a scoped package's first @ is its scope: @scope/name@1.2 */
		const char *at = strchr(p[0] == '@' ? p + 1 : p, '@');
		bool local = p[0] == '.' || p[0] == '/' || strstr(p, "://") ||
			     !strncmp(p, "git", 3) || strstr(p, ".tgz") || strstr(p, ".tar.gz");
		if (!at && !local) {
			report(w, "DL3016");
			return;
		}
	}
}

static void apk_rules(struct walk *w, const struct lint_cmd *c, const char *script)
{
	if (!subcommand_is(c, "add"))
		return;
	size_t sub = subcommand(c);
	for (size_t i = sub + 1; i < c->nwords; i++) {
		const char *p = c->words[i];
		if (p[0] == '-') {
			if (!strcmp(p, "-t") || !strcmp(p, "--virtual") || !strcmp(p, "-X") ||
			    !strcmp(p, "--repository") || !strcmp(p, "--root") || !strcmp(p, "-p"))
				i++;
			continue;
		}
		if (!strpbrk(p, "=<>~") && !strstr(p, ".apk")) {
			report(w, "DL3018");
			break;
		}
	}
	if (!has_word(c, "--no-cache") && !strstr(script, "/var/cache/apk"))
		report(w, "DL3019");
	else if (has_word(c, "--update") && !has_word(c, "--no-cache"))
		report(w, "DL3019");
}

static void rule_run(struct walk *w)
{
	const struct df_instr *in = w->in;
	char *script = run_script(in);
	struct lint_script s = {0};
	if (!script || lint_sh_split(script, &s) < 0) {
		free(script);
		w->oom = 1;
		return;
	}
	bool apt_install = false, apt_lists_removed = false, cd = false, sudo = false, apt = false,
	     wget_noisy = false, wget = false, curl = false, pointless = false;
	static const char *const pointless_cmds[] = {"ssh",   "vim",      "shutdown", "service",
						     "ps",    "free",     "top",      "kill",
						     "mount", "ifconfig", NULL};
	for (size_t i = 0; i < s.n; i++) {
		const struct lint_cmd *c = &s.cmds[i];
		if (cmd_is(c, "sudo"))
			sudo = true;
		if (cmd_is(c, "cd"))
			cd = true;
		for (const char *const *p = pointless_cmds; *p; p++)
			if (cmd_is(c, *p))
				pointless = true;
		if (cmd_is(c, "apt"))
			apt = true;
		if (cmd_is(c, "apt-get")) {
			if (subcommand_is(c, "install"))
				apt_install = true;
			apt_install_rules(w, c, script);
		}
		if (cmd_is(c, "rm") &&
		    (has_word(c, "/var/lib/apt/lists/*") || has_word(c, "/var/lib/apt/lists")))
			apt_lists_removed = true;
		if (cmd_is(c, "pip") || cmd_is(c, "pip3") || cmd_is(c, "python") ||
		    cmd_is(c, "python3"))
			pip_rules(w, c, in);
		if (cmd_is(c, "npm"))
			npm_rules(w, c);
		if (cmd_is(c, "apk"))
			apk_rules(w, c, script);
		if (cmd_is(c, "wget")) {
			wget = true;
			if (!has_prefix_word(c, "--progress") && !has_word(c, "-q") &&
			    !has_word(c, "--quiet") && !has_word(c, "-nv") &&
			    !has_word(c, "--no-verbose") && !has_word(c, "-o") &&
			    !has_prefix_word(c, "--output-file") && !has_word(c, "-a") &&
			    !has_prefix_word(c, "--append-output") && !has_short(c, 'q'))
				wget_noisy = true;
		}
		if (cmd_is(c, "curl"))
			curl = true;
	}
	const char *mount = df_flag(in, "mount");
	if (apt_install && !apt_lists_removed && !(mount && strstr(mount, "/var/lib/apt/lists")) &&
	    (w->last_stage || w->base_of_later))
		report(w, "DL3009");
	if (cd)
		report(w, "DL3003");
	if (sudo)
		report(w, "DL3004");
	if (pointless)
		report(w, "DL3001");
	if (apt)
		report(w, "DL3027");
	if (wget_noisy)
		report(w, "DL3047");
	if (wget && curl)
		report(w, "DL4001");
	if (!in->json && s.has_pipe && w->posix_shell && !w->pipefail)
		report(w, "DL4006");
	/* DL3059: two RUNs in a row, both one command, with the same flags */
	if (w->prev_run && w->prev_run_cmds <= 1 && s.n <= 1) {
		bool same = w->prev_run->nflags == in->nflags;
		for (size_t i = 0; same && i < in->nflags; i++)
			same = !strcmp(w->prev_run->flags[i], in->flags[i]);
		if (same)
			report(w, "DL3059");
	}
	w->prev_run_cmds = s.n;
	lint_script_free(&s);
	free(script);
}

static void rule_shell(struct walk *w)
{
	const struct df_instr *in = w->in;
	w->pipefail = false;
	w->posix_shell = true;
	if (!in->json || in->nargs == 0)
		return;
	const char *sh = strrchr(in->args[0], '/');
	sh = sh ? sh + 1 : in->args[0];
	if (strcmp(sh, "sh") && strcmp(sh, "bash") && strcmp(sh, "ash") && strcmp(sh, "dash") &&
	    strcmp(sh, "zsh") && strcmp(sh, "ksh") && strcmp(sh, "mksh"))
		w->posix_shell = false; /* pwsh, cmd: pipefail is not theirs */
	for (size_t i = 1; i + 1 < in->nargs; i++)
		if (!strcmp(in->args[i], "-o") && !strcmp(in->args[i + 1], "pipefail"))
			w->pipefail = true;
	for (size_t i = 1; i < in->nargs; i++)
		if (in->args[i][0] == '-' && in->args[i][1] != '-' && strstr(in->args[i], "o") &&
		    i + 1 < in->nargs && !strcmp(in->args[i + 1], "pipefail"))
			w->pipefail = true;
}

static void rule_expose(struct walk *w)
{
	for (size_t i = 0; i < w->in->nargs; i++) {
		const char *p = w->in->args[i];
		if (strchr(p, '$'))
			continue;
		char *end;
		long lo = strtol(p, &end, 10), hi = lo;
		if (*end == '-')
			hi = strtol(end + 1, &end, 10);
		if (lo < 0 || hi > 65535 || lo > 65535) {
			report(w, "DL3011");
			return;
		}
	}
}

/* stage_start - reset the walk's per-stage state at a FROM */
static int stage_start(struct walk *w, size_t at)
{
	struct stage *s = realloc(w->stages, (w->nstages + 1) * sizeof(*s));
	if (!s)
		return -1;
	w->stages = s;
	const struct df_instr *in = &w->df->instrs[at];
	s[w->nstages].alias = in->nargs >= 3 && !strcasecmp(in->args[1], "AS") ? in->args[2] : NULL;
	/* DL3009 looks at what ends up in an image: the final stage, and a stage a later FROM
	 * builds on (its files are in that image); not one only COPY --from reads */
	w->last_stage = true;
	w->base_of_later = false;
	const char *alias = s[w->nstages].alias;
	for (size_t j = at + 1; j < w->df->n; j++) {
		const struct df_instr *later = &w->df->instrs[j];
		if (later->kind != DF_FROM)
			continue;
		w->last_stage = false;
		if (alias && later->nargs && !strcasecmp(later->args[0], alias))
			w->base_of_later = true;
	}
	w->nstages++;
	w->pipefail = false;
	w->posix_shell = true;
	w->pip_no_cache = false;
	w->ncmd = w->nentry = w->nhealth = 0;
	w->prev_run = NULL;
	w->last_user_root = NULL;
	return 0;
}

static void rule_instr(struct walk *w)
{
	const struct df_instr *in = w->in;
	switch (in->kind) {
	case DF_FROM: rule_from(w); break;
	case DF_WORKDIR:
		if (in->nargs && in->args[0][0] != '/' && in->args[0][0] != '$' &&
		    !(isalpha((unsigned char)in->args[0][0]) && in->args[0][1] == ':') &&
		    in->args[0][0] != '"')
			report(w, "DL3000");
		break;
	case DF_USER: w->last_user_root = in->nargs && user_is_root(in->args[0]) ? in : NULL; break;
	case DF_COPY:
	case DF_ADD: rule_copy(w); break;
	case DF_CMD:
	case DF_ENTRYPOINT:
		if (!in->json)
			report(w, "DL3025");
		if (in->kind == DF_CMD && ++w->ncmd > 1)
			report(w, "DL4003");
		if (in->kind == DF_ENTRYPOINT && ++w->nentry > 1)
			report(w, "DL4004");
		break;
	case DF_HEALTHCHECK:
		if (++w->nhealth > 1)
			report(w, "DL3012");
		break;
	case DF_MAINTAINER: report(w, "DL4000"); break;
	case DF_RUN: rule_run(w); break;
	case DF_SHELL: rule_shell(w); break;
	case DF_EXPOSE: rule_expose(w); break;
	case DF_ENV:
	case DF_ARG:
		for (size_t i = 0; i < in->nargs; i++)
			if (!strncmp(in->args[i], "PIP_NO_CACHE_DIR", 16))
				w->pip_no_cache = true;
		break;
	default: break;
	}
}

/* pragma_codes - whether COMMENT ("hadolint ignore=DL3008,DL3015") names CODE; GLOBAL
 * selects the `hadolint global ignore=` form */
static bool pragma_names(const char *comment, const char *code, bool global)
{
	const char *p = comment;
	while (*p == '#' || *p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "hadolint", 8))
		return false;
	p += 8;
	while (*p == ' ')
		p++;
	if (global) {
		if (strncmp(p, "global", 6))
			return false;
		p += 6;
		while (*p == ' ')
			p++;
	}
	if (strncmp(p, "ignore=", 7))
		return false;
	p += 7;
	size_t len = strlen(code);
	while (*p) {
		size_t n = strcspn(p, ", \t");
		if (n == len && !strncasecmp(p, code, len))
			return true;
		p += n;
		if (!*p || (*p != ',' && *p != ' '))
			break;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return false;
}

bool lint_silenced(const struct dockerfile *df, const struct lint_config *cfg, int line,
		   const char *code)
{
	if (lint_config_ignores(cfg, code))
		return true;
	const struct df_instr *in = NULL;
	for (size_t j = 0; j < df->n; j++)
		if (df->instrs[j].start_line == line)
			in = &df->instrs[j];
	if (in && in->ncomments && pragma_names(in->comments[in->ncomments - 1], code, false))
		return true;
	for (size_t i = 0; i < df->n; i++)
		for (size_t j = 0; j < df->instrs[i].ncomments; j++)
			if (pragma_names(df->instrs[i].comments[j], code, true))
				return true;
	return false;
}

static int cmp_line(const void *a, const void *b)
{
	const struct lint_finding *x = a, *y = b;
	return x->line != y->line ? x->line - y->line : strcmp(x->code, y->code);
}

int lint_dockerfile(const struct dockerfile *df, const struct lint_config *cfg,
		    struct lint_result *res)
{
	struct walk w = {.df = df, .cfg = cfg, .posix_shell = true};
	struct lint_result all = {0};
	w.res = &all;
	for (size_t i = 0; i < df->n && !w.oom; i++) {
		w.in = &df->instrs[i];
		w.i = i;
		if (w.in->kind == DF_FROM) {
			/* DL3002 looks at the stage that just ended: only the final one matters,
			 * so this stays empty until the last FROM */
			if (stage_start(&w, i) < 0) {
				w.oom = 1;
				break;
			}
		}
		rule_instr(&w);
		w.prev_run = w.in->kind == DF_RUN ? w.in : NULL;
	}
	if (!w.oom && w.last_user_root && (w.last_stage || w.nstages == 0)) {
		w.in = w.last_user_root;
		report(&w, "DL3002");
	}
	free(w.stages);
	int rc = w.oom ? -1 : 0;
	/* drop what the config and the pragmas silence; the findings keep their line */
	for (size_t i = 0; i < all.n; i++) {
		if (!rc && !lint_silenced(df, cfg, all.f[i].line, all.f[i].code))
			if (lint_add(res, all.f[i].line, all.f[i].code, all.f[i].level,
				     all.f[i].message) < 0)
				rc = -1;
	}
	lint_result_free(&all);
	if (res->n > 1)
		qsort(res->f, res->n, sizeof(*res->f), cmp_line);
	return rc;
}

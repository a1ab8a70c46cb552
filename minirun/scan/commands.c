/*
 * minirun/scan/commands.c - the verbs: `minirun sbom`, `minirun scan`, `minirun scan db
 * import`. Each parses its flags before it touches anything, prints what it found on
 * stdout and returns 0; a failure is one line on stderr and 125 (as for any verb whose
 * image is missing); `scan --exit-code N` returns N when anything was found.
 *
 *   minirun sbom IMAGE [--format table|spdx-json|cyclonedx-json]
 *   minirun scan IMAGE [--db DIR] [--format table|json|sarif] [--severity HIGH,CRITICAL]
 *                      [--ignore-unfixed] [--ignorefile FILE] [--exit-code N]
 *   minirun scan db import FILE [--db DIR]
 *   minirun scan --outdated [--lists DIR] IMAGE      (outdated.c)
 *
 * The advisory database is a directory (--db, else ROOT/scan/osv) of OSV files; nothing is
 * fetched: README.md says where to download them.
 *
 * See: scan.h, README.md.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/cleanup.h"
#include "lib/cli.h"
#include "lib/file.h"
#include "minirun/image/image.h"
#include "minirun/scan/lint.h"
#include "minirun/scan/scan.h"

const struct mr_command scan_commands[] = {
	{"sbom", cmd_sbom, "List what is installed in an image (table, SPDX, CycloneDX)"},
	{"scan", cmd_scan, "Find known vulnerabilities in an image's packages, offline"},
	{"lint", cmd_lint, "Check a Dockerfile against hadolint's rules (lint.c)"},
	{NULL, NULL, NULL},
};

static int fail(const struct mr_err *err)
{
	return mr_err_report(err, MR_EXIT_RUNTIME);
}

/* usage_error - docker's two lines for a wrong use of VERB; 125 */
static int usage_error(const char *verb, const char *fmt, const char *arg)
{
	fprintf(stderr, "minirun: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nSee 'minirun %s --help'.\n", verb);
	return MR_EXIT_RUNTIME;
}

int cmd_sbom(int argc, char **argv)
{
	static const struct option lo[] = {{"format", required_argument, 0, 'f'}, {0, 0, 0, 0}};
	enum sbom_format format = SBOM_TABLE;
	int o, rc;
	optind = 0;
	while ((o = mr_verb_opt(
			argc, argv, "sbom", "f:", lo,
			"Usage:  minirun sbom [OPTIONS] IMAGE\n\n"
			"List what is installed in an image: its OS and packages (dpkg, apk,\n"
			"rpm's rpmdb.sqlite, pip, npm), read from its layers without running it\n\n"
			"Options:\n"
			"  -f, --format FORMAT   table (default), spdx-json (SPDX 2.3) or\n"
			"                        cyclonedx-json (CycloneDX 1.5)\n",
			&rc)) != -1)
		switch (o) {
		case MR_OPT_DONE: return rc;
		case 'f':
			if (!strcmp(optarg, "table"))
				format = SBOM_TABLE;
			else if (!strcmp(optarg, "spdx-json"))
				format = SBOM_SPDX;
			else if (!strcmp(optarg, "cyclonedx-json"))
				format = SBOM_CYCLONEDX;
			else
				return usage_error("sbom",
						   "invalid --format '%s': use table, spdx-json or "
						   "cyclonedx-json",
						   optarg);
			break;
		}
	if (argc - optind != 1)
		return mr_operand_error("sbom", "\"sbom\" requires exactly 1 argument.");
	struct sbom s = {0};
	struct mr_err err = {0};
	rc = sbom_image(image_root(), argv[optind], &s, &err) < 0 ||
			     sbom_print(&s, format, &err) < 0
		     ? fail(&err)
		     : 0;
	sbom_free(&s);
	return rc;
}

/* the advisory database: --db, else ROOT/scan/osv */
static void db_dir(const char *opt, char *buf, size_t len)
{
	if (opt)
		snprintf(buf, len, "%s", opt);
	else
		snprintf(buf, len, "%s/scan/osv", image_root());
}

/* parse_severities - "HIGH,CRITICAL" -> a bit per level; -1 on an unknown one */
static int parse_severities(char *list, unsigned *bits)
{
	*bits = 0;
	for (char *save = NULL, *w = strtok_r(list, ",", &save); w;
	     w = strtok_r(NULL, ",", &save)) {
		int s = severity_parse(w);
		if (s < 0)
			return -1;
		*bits |= 1u << s;
	}
	return *bits ? 0 : -1;
}

static int cmd_db_import(int argc, char **argv)
{
	static const struct option lo[] = {{"db", required_argument, 0, 'd'}, {0, 0, 0, 0}};
	const char *dbopt = NULL;
	int o, rc;
	optind = 0;
	while ((o = mr_verb_opt(argc, argv, "scan db import", "", lo,
				"Usage:  minirun scan db import [OPTIONS] FILE\n\n"
				"Add advisories the user downloaded (an OSV .json file, a .json\n"
				"array of records, or osv.dev's all.zip) to the scan database\n\n"
				"Options:\n"
				"      --db DIR   the database (default ROOT/scan/osv)\n",
				&rc)) != -1)
		switch (o) {
		case MR_OPT_DONE: return rc;
		case 'd': dbopt = optarg; break;
		}
	if (argc - optind != 1)
		return mr_operand_error("scan db import",
					"\"scan db import\" requires exactly 1 argument.");
	const char *file = argv[optind];
	char dir[4096], dest[8192];
	struct osv_db db = {0};
	struct mr_err err = {0};
	_cleanup_free_ char *data = NULL, *copy = strdup(file);
	size_t len;
	const char *base = copy ? basename(copy) : "advisories.json";
	size_t bl = strlen(base);
	if (bl < 5 ||
	    (strcmp(base + bl - 5, ".json") && (bl < 4 || strcmp(base + bl - 4, ".zip")))) {
		fprintf(stderr,
			"minirun: scan db import '%s': the file must end in .json or .zip\n", file);
		return MR_EXIT_RUNTIME;
	}
	/* check it all before anything is copied: a bad file never enters the database */
	if (osv_load_path(&db, file, &err) < 0) {
		osv_db_free(&db);
		return fail(&err);
	}
	db_dir(dbopt, dir, sizeof(dir));
	snprintf(dest, sizeof(dest), "%s/%s", dir, base);
	if (mr_mkdir_p(dir, 0755, &err) < 0 || mr_read_file(file, &data, &len, &err) < 0 ||
	    mr_write_file_atomic(dest, data, len, 0644, &err) < 0) {
		osv_db_free(&db);
		return fail(&err);
	}
	printf("imported %zu advisories (%zu package entries) from %s into %s\n", db.nadvs, db.naff,
	       file, dir);
	osv_db_free(&db);
	return 0;
}

static int cmd_db(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		printf("Usage:  minirun scan db COMMAND\n\nThe advisory database of scan\n\n"
		       "Commands:\n  import      Add an OSV file the user downloaded\n");
		return 0;
	}
	if (!strcmp(argv[1], "import"))
		return cmd_db_import(argc - 1, argv + 1);
	fprintf(stderr,
		"minirun: unknown command \"%s\" for \"minirun scan db\"\n"
		"See 'minirun scan db --help'.\n",
		argv[1]);
	return 1;
}

static const char scan_help[] =
	"Usage:  minirun scan [OPTIONS] IMAGE\n"
	"        minirun scan db import FILE\n\n"
	"Find known vulnerabilities in an image's OS packages, from advisory files on disk\n"
	"(OSV; no network): Debian by source package and dpkg's version order, Alpine by\n"
	"origin and apk's, Rocky Linux, AlmaLinux and RHEL by package and rpm's\n\n"
	"Options:\n"
	"      --db DIR            the advisories (default ROOT/scan/osv)\n"
	"      --exit-code N       exit N when anything is found (default 0)\n"
	"  -f, --format FORMAT     table (default), json or sarif\n"
	"      --ignore-unfixed    leave out what no fixed version exists for\n"
	"      --ignorefile FILE   ids to leave out, one a line (default .minirunignore)\n"
	"      --lists DIR         apt's package lists for --outdated (default\n"
	"                          /var/lib/apt/lists)\n"
	"      --outdated          instead of advisories: the packages a security suite of\n"
	"                          the host's apt lists has a newer version of\n"
	"  -s, --severity LIST     only these levels: UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL\n";

/* print_outdated - the packages of S with a security update, as a table or JSON */
static void print_outdated(const struct sbom *s, const struct outdated *o, const char *lists,
			   enum report_format format)
{
	if (format == REPORT_JSON) {
		json_t *rows = json_array();
		for (size_t k = 0; k < s->n; k++)
			if (o->newest[k])
				json_array_append_new(
					rows,
					json_pack("{s:s, s:s, s:s, s:s}", "package",
						  s->pkgs[k].name, "installed", s->pkgs[k].version,
						  "available", o->newest[k], "suite", o->suite[k]));
		json_t *doc = json_pack("{s:s, s:s, s:o}", "image", s->image, "lists", lists,
					"outdated", rows);
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(doc);
		return;
	}
	char os[160];
	sbom_os_name(s, os, sizeof(os));
	printf("%s (%s): %zu of %zu packages have a security update (%zu list(s) in %s)\n",
	       s->image, os, o->n, s->n, o->lists, lists);
	if (!o->n)
		return;
	struct table t;
	putchar('\n');
	table_init(&t, 4);
	table_add(&t, "PACKAGE", "INSTALLED", "AVAILABLE", "SUITE");
	for (size_t k = 0; k < s->n; k++)
		if (o->newest[k])
			table_add(&t, s->pkgs[k].name, s->pkgs[k].version, o->newest[k],
				  o->suite[k]);
	table_print(&t);
}

/* scan_outdated - `scan --outdated`: IMAGE's packages against the security lists in LISTS */
static int scan_outdated(const char *image, const char *lists, enum report_format format,
			 long long exit_code)
{
	struct sbom s = {0};
	struct outdated o = {0};
	struct mr_err err = {0};
	int rc = MR_EXIT_RUNTIME;
	if (format == REPORT_SARIF) {
		fprintf(stderr, "minirun: --outdated prints a table or json, not sarif\n");
		return MR_EXIT_RUNTIME;
	}
	if (sbom_image(image_root(), image, &s, &err) < 0 ||
	    outdated_check(&s, lists, &o, &err) < 0)
		fail(&err);
	else if (!o.lists)
		fprintf(stderr,
			"minirun: no package list of a *-security suite in '%s': add the security "
			"suite to apt's sources and run 'apt-get update'\n",
			lists);
	else {
		print_outdated(&s, &o, lists, format);
		rc = o.n ? (int)exit_code : 0;
	}
	outdated_free(&o);
	sbom_free(&s);
	return rc;
}

int cmd_scan(int argc, char **argv)
{
	static const struct option lo[] = {{"db", required_argument, 0, 'd'},
					   {"exit-code", required_argument, 0, 'e'},
					   {"format", required_argument, 0, 'f'},
					   {"ignore-unfixed", no_argument, 0, 'u'},
					   {"ignorefile", required_argument, 0, 'i'},
					   {"severity", required_argument, 0, 's'},
					   {"outdated", no_argument, 0, 'O'},
					   {"lists", required_argument, 0, 'L'},
					   {0, 0, 0, 0}};
	const char *dbopt = NULL, *ignorefile = NULL, *lists = "/var/lib/apt/lists";
	int outdated = 0;
	enum report_format format = REPORT_TABLE;
	struct match_opts mo = {0};
	long long exit_code = 0;
	int o, rc;
	if (argc >= 2 && !strcmp(argv[1], "db"))
		return cmd_db(argc - 1, argv + 1);
	optind = 0;
	while ((o = mr_verb_opt(argc, argv, "scan", "f:s:", lo, scan_help, &rc)) != -1)
		switch (o) {
		case MR_OPT_DONE: return rc;
		case 'd': dbopt = optarg; break;
		case 'e':
			if (mr_parse_ll(optarg, 0, 255, &exit_code) < 0)
				return usage_error(
					"scan", "invalid --exit-code '%s': a number 0-255", optarg);
			break;
		case 'f':
			if (!strcmp(optarg, "table"))
				format = REPORT_TABLE;
			else if (!strcmp(optarg, "json"))
				format = REPORT_JSON;
			else if (!strcmp(optarg, "sarif"))
				format = REPORT_SARIF;
			else
				return usage_error(
					"scan", "invalid --format '%s': use table, json or sarif",
					optarg);
			break;
		case 'u': mo.ignore_unfixed = 1; break;
		case 'O': outdated = 1; break;
		case 'L': lists = optarg; break;
		case 'i': ignorefile = optarg; break;
		case 's': {
			_cleanup_free_ char *list = strdup(optarg);
			if (!list || parse_severities(list, &mo.severities) < 0)
				return usage_error(
					"scan",
					"invalid --severity '%s': a comma-separated list of "
					"UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL",
					optarg);
			break;
		}
		}
	if (argc - optind != 1)
		return mr_operand_error("scan", "\"scan\" requires exactly 1 argument.");
	if (outdated)
		return scan_outdated(argv[optind], lists, format, exit_code);
	char dir[4096];
	struct osv_db db = {0};
	struct sbom s = {0};
	struct findings f = {0};
	struct mr_err err = {0};
	char **ignore = NULL;
	db_dir(dbopt, dir, sizeof(dir));
	rc = MR_EXIT_RUNTIME;
	if (ignore_file_load(ignorefile ? ignorefile : ".minirunignore", ignorefile != NULL,
			     &ignore, &err) < 0) {
		fail(&err);
		goto out;
	}
	mo.ignore = ignore;
	if (osv_load_path(&db, dir, &err) < 0 || db.files == 0) {
		if (err.kind == MR_E_NOT_FOUND || db.files == 0)
			fprintf(stderr,
				"minirun: no advisories at '%s': download osv.dev's all.zip "
				"for the image's distribution and add it with 'minirun scan db "
				"import FILE' (or give --db DIR); see minirun/scan/README.md\n",
				dir);
		else
			fail(&err);
		goto out;
	}
	mr_say("advisories: %zu records, %zu package entries from %zu file(s) in %s", db.nadvs,
	       db.naff, db.files, dir);
	if (sbom_image(image_root(), argv[optind], &s, &err) < 0) {
		fail(&err);
		goto out;
	}
	char eco[80];
	osv_ecosystem(&s.os, eco, sizeof(eco));
	if (!eco[0])
		fprintf(stderr,
			"minirun: image '%s': OS '%s %s' has no advisories here (Debian, Alpine, "
			"Rocky, AlmaLinux and RHEL are matched): nothing was checked\n",
			argv[optind], s.os.id[0] ? s.os.id : "unknown", s.os.version_id);
	if (scan_match(&s, &db, &mo, &f, &err) < 0 || report_print(&s, &f, format, &err) < 0) {
		fail(&err);
		goto out;
	}
	rc = f.n ? (int)exit_code : 0;
out:
	for (size_t i = 0; ignore && ignore[i]; i++)
		free(ignore[i]);
	free(ignore);
	findings_free(&f);
	sbom_free(&s);
	osv_db_free(&db);
	return rc;
}

/*
 * minirun/scan/report.c - a scan's findings on stdout: a table for people, JSON for
 * scripts, SARIF 2.1.0 for code-scanning dashboards (GitHub, GitLab, VS Code's viewer).
 *
 *   debian:bookworm (debian 12)
 *   Total: 3 (CRITICAL: 1, HIGH: 1, MEDIUM: 0, LOW: 0, UNKNOWN: 1)
 *
 *   PACKAGE   INSTALLED   FIXED          ID              SEVERITY   TITLE
 *   libssl3   3.0.9-1     3.0.11-1~deb12u2  DSA-5532-1   CRITICAL   openssl - security update
 *   ...
 *   zlib1g    1:1.2.13    (unfixed)      DEBIAN-CVE-...  UNKNOWN    ...
 *
 * The rows are already sorted (match.c: severity, highest first). In SARIF each advisory
 * is a rule and each finding a result whose location is the package database the
 * package was read from; CRITICAL and HIGH are "error", MEDIUM "warning", the rest "note".
 *
 * See: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html (3.13 run,
 *      3.19 toolComponent, 3.27 result), match.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "minirun/image/image.h"
#include "minirun/oci/runtime.h"
#include "minirun/scan/scan.h"

static void counts(const struct findings *f, size_t n[SEV_COUNT])
{
	memset(n, 0, SEV_COUNT * sizeof(*n));
	for (size_t i = 0; i < f->n; i++)
		n[f->v[i].severity]++;
}

static void print_table(const struct sbom *s, const struct findings *f)
{
	size_t n[SEV_COUNT];
	struct table t;
	char os[160];
	counts(f, n);
	sbom_os_name(s, os, sizeof(os));
	printf("%s (%s)\nTotal: %zu (CRITICAL: %zu, HIGH: %zu, MEDIUM: %zu, LOW: %zu, "
	       "UNKNOWN: %zu)\n",
	       s->image, os, f->n, n[SEV_CRITICAL], n[SEV_HIGH], n[SEV_MEDIUM], n[SEV_LOW],
	       n[SEV_UNKNOWN]);
	if (!f->n)
		return;
	putchar('\n');
	table_init(&t, 6);
	table_add(&t, "PACKAGE", "INSTALLED", "FIXED", "ID", "SEVERITY", "TITLE");
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		char title[64];
		snprintf(title, sizeof(title), "%s", x->adv->summary);
		if (strlen(x->adv->summary) >= sizeof(title))
			memcpy(title + sizeof(title) - 4, "...", 4);
		table_add(&t, x->pkg->name, x->pkg->version, x->fixed ? x->fixed : "(unfixed)",
			  x->adv->id, severity_name(x->severity), title);
	}
	table_print(&t);
}

static json_t *as_json(const struct sbom *s, const struct findings *f)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		json_array_append_new(
			rows, json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s, s:s, s:s, s:s}", "package",
					x->pkg->name, "installed", x->pkg->version, "source",
					x->pkg->source, "sourceVersion", x->pkg->source_version,
					"fixed", x->fixed, "status", x->fixed ? "fixed" : "unfixed",
					"id", x->adv->id, "severity", severity_name(x->severity),
					"title", x->adv->summary));
	}
	return json_pack("{s:s, s:s, s:{s:s, s:s}, s:o}", "image", s->image, "imageId", s->image_id,
			 "os", "id", s->os.id, "versionId", s->os.version_id, "findings", rows);
}

static const char *sarif_level(enum severity sev)
{
	return sev >= SEV_HIGH ? "error" : sev == SEV_MEDIUM ? "warning" : "note";
}

static json_t *as_sarif(const struct sbom *s, const struct findings *f)
{
	json_t *rules = json_array(), *results = json_array(), *seen = json_object();
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		char text[1024];
		if (!json_object_get(seen, x->adv->id)) {
			json_object_set_new(seen, x->adv->id,
					    json_integer((json_int_t)json_array_size(rules)));
			json_array_append_new(
				rules,
				json_pack("{s:s, s:{s:s}, s:{s:s}, s:{s:[s]}}", "id", x->adv->id,
					  "shortDescription", "text",
					  x->adv->summary[0] ? x->adv->summary : x->adv->id,
					  "defaultConfiguration", "level", sarif_level(x->severity),
					  "properties", "tags", "security"));
		}
		snprintf(text, sizeof(text), "%s %s (source %s %s) is affected by %s; %s%s",
			 x->pkg->name, x->pkg->version, x->pkg->source, x->pkg->source_version,
			 x->adv->id, x->fixed ? "fixed in " : "no fixed version yet",
			 x->fixed ? x->fixed : "");
		json_array_append_new(
			results,
			json_pack("{s:s, s:I, s:s, s:{s:s}, s:[{s:{s:{s:s}}}], s:{s:s, s:s}}",
				  "ruleId", x->adv->id, "ruleIndex",
				  json_integer_value(json_object_get(seen, x->adv->id)), "level",
				  sarif_level(x->severity), "message", "text", text, "locations",
				  "physicalLocation", "artifactLocation", "uri", x->pkg->where,
				  "properties", "severity", severity_name(x->severity), "image",
				  s->image));
	}
	json_decref(seen);
	return json_pack("{s:s, s:s, s:[{s:{s:{s:s, s:s, s:o}}, s:o}]}", "$schema",
			 "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0",
			 "runs", "tool", "driver", "name", "minirun", "version", MINIRUN_VERSION,
			 "rules", rules, "results", results);
}

int report_print(const struct sbom *s, const struct findings *f, enum report_format format,
		 struct mr_err *err)
{
	if (format == REPORT_TABLE) {
		print_table(s, f);
		return 0;
	}
	json_t *doc = format == REPORT_JSON ? as_json(s, f) : as_sarif(s, f);
	if (!doc)
		return mr_fail(err, ENOMEM, "the report of '%s'", s->image);
	int r = json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	putchar('\n');
	return r < 0 ? mr_fail(err, EIO, "write the report") : 0;
}

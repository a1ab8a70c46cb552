/*
 * minirun/scan/sbom_out.c - an image's inventory on stdout: a table, SPDX 2.3 JSON, or
 * CycloneDX 1.5 JSON.
 *
 * SPDX 2.3 (the fields its JSON schema requires, and the ones tools look at):
 *
 *   spdxVersion "SPDX-2.3", dataLicense "CC0-1.0", SPDXID "SPDXRef-DOCUMENT", name,
 *   documentNamespace (a URI unique to this document), creationInfo {created, creators},
 *   packages [ {name, SPDXID, versionInfo, downloadLocation, filesAnalyzed, externalRefs:
 *   the purl as a PACKAGE-MANAGER reference}, ...], relationships: the document DESCRIBES
 *   the image, the image CONTAINS the operating system and each package.
 *
 * CycloneDX 1.5: bomFormat "CycloneDX", specVersion "1.5", serialNumber (urn:uuid),
 *   version 1, metadata {timestamp, tools, component: the image as a "container"},
 *   components [the "operating-system", then each package as a "library" with its purl].
 *
 * See: https://spdx.github.io/spdx-spec/v2.3/ (clauses 6, 7, 11 and annex F),
 *      https://cyclonedx.org/docs/1.5/json/
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <jansson.h>

#include "minirun/image/image.h"
#include "minirun/oci/runtime.h"
#include "minirun/scan/scan.h"

/* a random (version 4) UUID into BUF (37 bytes) */
static void uuid4(char buf[37])
{
	unsigned char r[16] = {0};
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		for (size_t i = 0; i < sizeof(r); i++)
			r[i] = (unsigned char)(rand() >> 3);
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	snprintf(buf, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12],
		 r[13], r[14], r[15]);
}

/* now in UTC, as both formats want it: 2026-12-06T08:00:00Z */
static void utc_now(char buf[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *type_name(const struct pkg *p)
{
	static const char *const names[] = {[PKG_DEB] = "deb",
					    [PKG_APK] = "apk",
					    [PKG_PYPI] = "python",
					    [PKG_NPM] = "npm",
					    [PKG_RPM] = "rpm"};
	return p->type <= PKG_RPM && names[p->type] ? names[p->type] : "?";
}

static void print_table(const struct sbom *s)
{
	struct table t;
	char purl[1024], os[160];
	sbom_os_name(s, os, sizeof(os));
	printf("%s (%s): %zu packages\n\n", s->image, os, s->n);
	table_init(&t, 5);
	table_add(&t, "NAME", "VERSION", "TYPE", "SOURCE", "PURL");
	for (size_t i = 0; i < s->n; i++) {
		const struct pkg *p = &s->pkgs[i];
		char source[600];
		if (!strcmp(p->source, p->name) && !strcmp(p->source_version, p->version))
			snprintf(source, sizeof(source), "-");
		else if (!strcmp(p->source_version, p->version))
			snprintf(source, sizeof(source), "%s", p->source);
		else
			snprintf(source, sizeof(source), "%s (%s)", p->source, p->source_version);
		pkg_purl(s, p, purl, sizeof(purl));
		table_add(&t, p->name, p->version, type_name(p), source, purl);
	}
	table_print(&t);
}

/* spdx_id - "SPDXRef-Package-deb-NAME-N": only letters, digits, '.' and '-' are allowed */
static void spdx_id(const struct pkg *p, size_t i, char *buf, size_t len)
{
	int n = snprintf(buf, len, "SPDXRef-Package-%s-%s-%zu", type_name(p), p->name, i);
	for (int k = 0; k < n && (size_t)k < len; k++)
		if (!strchr(".-", buf[k]) && !(buf[k] >= 'a' && buf[k] <= 'z') &&
		    !(buf[k] >= 'A' && buf[k] <= 'Z') && !(buf[k] >= '0' && buf[k] <= '9'))
			buf[k] = '-';
}

static json_t *spdx(const struct sbom *s)
{
	char uuid[37], when[32], ns[1024], purl[1024], id[600];
	uuid4(uuid);
	utc_now(when);
	snprintf(ns, sizeof(ns), "https://minirun.invalid/spdx/%s-%s", s->image, uuid);
	for (char *c = ns + strlen("https://"); *c; c++)
		if (*c == ':' || *c == '@' || *c == ' ')
			*c = '-';
	json_t *pkgs = json_array(), *rels = json_array();
	json_array_append_new(pkgs, json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s}", "name",
					      s->image, "SPDXID", "SPDXRef-Image", "versionInfo",
					      s->image_id, "downloadLocation", "NOASSERTION",
					      "filesAnalyzed", 0, "primaryPackagePurpose",
					      "CONTAINER", "supplier", "NOASSERTION"));
	json_array_append_new(rels, json_pack("{s:s, s:s, s:s}", "spdxElementId",
					      "SPDXRef-DOCUMENT", "relationshipType", "DESCRIBES",
					      "relatedSpdxElement", "SPDXRef-Image"));
	if (s->os.id[0]) {
		json_array_append_new(
			pkgs, json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s}", "name", s->os.id,
					"SPDXID", "SPDXRef-OperatingSystem", "versionInfo",
					s->os.version_id, "downloadLocation", "NOASSERTION",
					"filesAnalyzed", 0, "primaryPackagePurpose",
					"OPERATING-SYSTEM", "description", s->os.pretty));
		json_array_append_new(rels,
				      json_pack("{s:s, s:s, s:s}", "spdxElementId", "SPDXRef-Image",
						"relationshipType", "CONTAINS",
						"relatedSpdxElement", "SPDXRef-OperatingSystem"));
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct pkg *p = &s->pkgs[i];
		char src[600];
		pkg_purl(s, p, purl, sizeof(purl));
		spdx_id(p, i, id, sizeof(id));
		snprintf(src, sizeof(src), "built package from: %s %s", p->source,
			 p->source_version);
		json_array_append_new(
			pkgs,
			json_pack(
				"{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:s, "
				"s:s}]}",
				"name", p->name, "SPDXID", id, "versionInfo", p->version,
				"downloadLocation", "NOASSERTION", "filesAnalyzed", 0,
				"licenseConcluded", "NOASSERTION", "licenseDeclared", "NOASSERTION",
				"copyrightText", "NOASSERTION", "supplier", "NOASSERTION",
				"sourceInfo", src, "externalRefs", "referenceCategory",
				"PACKAGE-MANAGER", "referenceType", "purl", "referenceLocator",
				purl));
		/* rpm's LICENSE is free text ("GPLv3+ and GFDL"), not always an SPDX
		 * expression: said as a comment, the declared license left unasserted */
		if (p->license[0]) {
			char note[700];
			snprintf(note, sizeof(note), "the package database's license: %s",
				 p->license);
			json_object_set_new(json_array_get(pkgs, json_array_size(pkgs) - 1),
					    "licenseComments", json_string(note));
		}
		json_array_append_new(rels, json_pack("{s:s, s:s, s:s}", "spdxElementId",
						      "SPDXRef-Image", "relationshipType",
						      "CONTAINS", "relatedSpdxElement", id));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:[s]}, s:o, s:o}", "spdxVersion",
			 "SPDX-2.3", "dataLicense", "CC0-1.0", "SPDXID", "SPDXRef-DOCUMENT", "name",
			 s->image, "documentNamespace", ns, "creationInfo", "created", when,
			 "creators", "Tool: minirun-" MINIRUN_VERSION, "packages", pkgs,
			 "relationships", rels);
}

static json_t *cyclonedx(const struct sbom *s)
{
	char uuid[46] = "urn:uuid:", when[32], purl[1024];
	uuid4(uuid + 9);
	utc_now(when);
	json_t *comps = json_array();
	if (s->os.id[0])
		json_array_append_new(comps, json_pack("{s:s, s:s, s:s, s:s, s:s}", "type",
						       "operating-system", "bom-ref", "os", "name",
						       s->os.id, "version", s->os.version_id,
						       "description", s->os.pretty));
	for (size_t i = 0; i < s->n; i++) {
		const struct pkg *p = &s->pkgs[i];
		pkg_purl(s, p, purl, sizeof(purl));
		json_array_append_new(
			comps,
			json_pack("{s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}, "
				  "{s:s, s:s}, {s:s, s:s}]}",
				  "type", "library", "bom-ref", purl, "name", p->name, "version",
				  p->version, "purl", purl, "properties", "name",
				  "minirun:package:type", "value", type_name(p), "name",
				  "minirun:package:source", "value", p->source, "name",
				  "minirun:package:source-version", "value", p->source_version,
				  "name", "minirun:package:database", "value", p->where));
		if (p->license[0])
			json_object_set_new(
				json_array_get(comps, json_array_size(comps) - 1), "licenses",
				json_pack("[{s:{s:s}}]", "license", "name", p->license));
	}
	return json_pack("{s:s, s:s, s:s, s:i, s:{s:s, s:{s:[{s:s, s:s, s:s}]}, s:{s:s, s:s, "
			 "s:s, s:s}}, s:o}",
			 "bomFormat", "CycloneDX", "specVersion", "1.5", "serialNumber", uuid,
			 "version", 1, "metadata", "timestamp", when, "tools", "components", "type",
			 "application", "name", "minirun", "version", MINIRUN_VERSION, "component",
			 "type", "container", "bom-ref", "image", "name", s->image, "version",
			 s->image_id, "components", comps);
}

int sbom_print(const struct sbom *s, enum sbom_format format, struct mr_err *err)
{
	if (format == SBOM_TABLE) {
		print_table(s);
		return 0;
	}
	json_t *doc = format == SBOM_SPDX ? spdx(s) : cyclonedx(s);
	if (!doc)
		return mr_fail(err, ENOMEM, "the SBOM of '%s'", s->image);
	int r = json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	putchar('\n');
	return r < 0 ? mr_fail(err, EIO, "write the SBOM") : 0;
}

/*
 * tests/fuzz/fuzz_ref.c - fuzz the image reference parser (minirun/image/ref.c) and the
 * --platform splitter.
 *
 * The input is a reference as a user types it: "busybox", "localhost:5000/a/b:v1",
 * "name:tag@sha256:...". ref_parse fills domain, path, tag and digest, or refuses.
 *
 * Oracles, for a reference that parses:
 *  - the full form DOMAIN/PATH[:TAG][@DIGEST] parses back to exactly the same four parts
 *    (the name:tag@digest round trip);
 *  - the canonical name (what index.json stores) parses back to the same repository and
 *    digest (or tag), and so does docker's familiar form of it ("busybox:latest");
 *  - a digest, when there is one, is one digest_valid() accepts.
 * A platform "OS/ARCH[/VARIANT]" that image_platform accepts has a non-empty OS and ARCH.
 *
 * Seeds: tests/fuzz/seeds/ref/. See: minirun/image/image.h; tests/fuzz/README.md.
 */
#include "minirun/image/image.h"
#include "tests/fuzz/fuzz.h"

static void same(const char *what, const struct image_ref *a, const struct image_ref *b,
		 const char *in, const char *form)
{
	if (strcmp(a->domain, b->domain) || strcmp(a->path, b->path) || strcmp(a->tag, b->tag) ||
	    strcmp(a->digest, b->digest))
		fuzz_oracle("'%s': its %s '%s' parses to [%s][%s][%s][%s], not [%s][%s][%s][%s]",
			    in, what, form, b->domain, b->path, b->tag, b->digest, a->domain,
			    a->path, a->tag, a->digest);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	struct image_ref r, r2;
	struct mr_err err = {0};
	char form[1200], canon[1200], fam[1200];

	char os[32], arch[32], variant[32];
	if (image_platform(s, os, arch, variant, &err) == 0 && (!os[0] || !arch[0]))
		fuzz_oracle("platform '%s' gives os '%s' arch '%s'", s, os, arch);

	if (ref_parse(s, &r, &err) < 0) {
		if (!err.msg[0])
			fuzz_oracle("'%s' refused without a message", s);
		free(s);
		return 0;
	}
	if (r.digest[0] && !digest_valid(r.digest))
		fuzz_oracle("'%s': digest '%s' is not a valid digest", s, r.digest);
	if (!r.tag[0] && !r.digest[0])
		fuzz_oracle("'%s': neither tag nor digest", s);

	/* DOMAIN/PATH[:TAG][@DIGEST] -> the same parts */
	snprintf(form, sizeof(form), "%s/%s%s%s%s%s", r.domain, r.path, r.tag[0] ? ":" : "", r.tag,
		 r.digest[0] ? "@" : "", r.digest);
	if (ref_parse(form, &r2, &err) < 0)
		fuzz_oracle("'%s': its full form '%s' is refused: %s", s, form, err.msg);
	same("full form", &r, &r2, s, form);

	/* canonical: a digest wins over a tag */
	ref_canonical(&r, canon, sizeof(canon));
	if (ref_parse(canon, &r2, &err) < 0)
		fuzz_oracle("'%s': its canonical name '%s' is refused: %s", s, canon, err.msg);
	struct image_ref want = r;
	if (want.digest[0])
		want.tag[0] = '\0';
	same("canonical name", &want, &r2, s, canon);

	/* familiar: busybox:latest, foo/bar@sha256:..., 127.0.0.1:5000/x:y */
	ref_familiar_name(canon, fam, sizeof(fam));
	if (ref_parse(fam, &r2, &err) < 0)
		fuzz_oracle("'%s': its familiar name '%s' is refused: %s", s, fam, err.msg);
	same("familiar name", &want, &r2, s, fam);
	free(s);
	return 0;
}

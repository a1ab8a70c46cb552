/*
 * tests/fuzz/fuzz_archive.c - fuzz `minirun load`: docker-archive and oci-archive tars
 * (minirun/image/archive.c) loaded into a scratch image store.
 *
 * The first byte picks what the rest is. Odd: the archive's bytes as they are. Even: a
 * script of the archive's files, which the harness writes as a tar (so the fuzzer works
 * on names and JSON, not on tar checksums):
 *
 *	@@@ NAME            a file NAME whose content is the lines up to the next @@@
 *	@@@ NAME l TARGET   a symlink;   @@@ NAME d   a directory
 *
 * In NAME and in a file's content, $D{OTHER} is replaced by the sha256 (hex) of the
 * content of the earlier file OTHER, so manifests can name their blobs by digest.
 *
 * Everything happens in a tmpfs of a private mount namespace (sandbox.h): the store in
 * /mnt/store, the archive at /mnt/in.tar, a canary tree at /mnt/canary.
 *
 * Oracles: the canary is unchanged and /mnt holds only what it held (an archive's symlink
 * or "../" never reaches beside the store); the store's temp directory is empty after
 * every load, failed or not; after a load that succeeded, every image index.json lists
 * loads (manifest and config check out) and its layer directories are ROOT/layers/sha256/HEX.
 *
 * Seeds: tests/fuzz/seeds/archive/ (a docker-archive and an oci-archive of a one-layer
 * image, as scripts, and a real `minirun save` output). See: minirun/image/image.h.
 */
#include "minirun/image/image.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/sandbox.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <ftw.h>
#include <openssl/sha.h>
#include <sys/stat.h>

#define TOP    "/mnt"
#define STORE  TOP "/store"
#define INPUT  TOP "/in.tar"
#define CANARY TOP "/canary"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_sandbox(TOP);
	if (mkdir(CANARY, 0755) < 0 || symlink("/etc/passwd", CANARY "/l") < 0)
		fuzz_sandbox_die("canary");
	FILE *f = fopen(CANARY "/f", "w");
	if (!f)
		fuzz_sandbox_die("canary");
	fputs("canary\n", f);
	fclose(f);
	/* `load` says "Loaded image: ..." on stdout: not wanted 10000 times a second */
	if (!freopen("/dev/null", "w", stdout))
		fuzz_sandbox_die("/dev/null");
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

/* the names in DIR, sorted, space-separated */
static char *names(const char *dir)
{
	struct dirent **v;
	int n = scandir(dir, &v, NULL, alphasort);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	for (int i = 0; i < n; i++) {
		if (strcmp(v[i]->d_name, ".") && strcmp(v[i]->d_name, ".."))
			fprintf(f, "%s ", v[i]->d_name);
		free(v[i]);
	}
	free(v);
	fclose(f);
	return out;
}

/* ---- the script -> a tar ---------------------------------------------------------------- */

#define MAXFILES 32
static struct {
	char *name;
	char hex[65];
} files[MAXFILES];
static int nfiles;

/* S with each $D{NAME} replaced by the hex digest of the earlier file NAME (a new string) */
static char *expand(const char *s, size_t n, size_t *outlen)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	for (size_t i = 0; i < n;) {
		const char *end;
		if (i + 3 < n && !memcmp(s + i, "$D{", 3) && (end = memchr(s + i, '}', n - i))) {
			size_t k = (size_t)(end - (s + i + 3));
			const char *hex = "";
			for (int j = 0; j < nfiles; j++)
				if (strlen(files[j].name) == k &&
				    !memcmp(files[j].name, s + i + 3, k))
					hex = files[j].hex;
			fputs(hex, f);
			i = (size_t)(end - s) + 1;
		} else {
			fputc(s[i++], f);
		}
	}
	fclose(f);
	*outlen = len;
	return out;
}

static void add(struct archive *w, struct archive_entry *e, const char *head, size_t hlen,
		const char *body, size_t blen)
{
	char *h = strndup(head, hlen), *name = h, *type = NULL, *target = NULL;
	size_t nlen, clen = 0;
	if ((type = strchr(h, ' '))) {
		*type++ = '\0';
		if ((target = strchr(type, ' ')))
			*target++ = '\0';
	}
	char *path = expand(name, strlen(name), &nlen);
	char *content = expand(body, blen, &clen);
	archive_entry_clear(e);
	archive_entry_set_pathname(e, path);
	archive_entry_set_mtime(e, 1700000000, 0);
	if (type && *type == 'd') {
		archive_entry_set_filetype(e, AE_IFDIR);
		archive_entry_set_perm(e, 0755);
	} else if (type && *type == 'l') {
		archive_entry_set_filetype(e, AE_IFLNK);
		archive_entry_set_symlink(e, target ? target : "");
		archive_entry_set_perm(e, 0777);
	} else {
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)clen);
	}
	if (archive_write_header(w, e) == ARCHIVE_OK && archive_entry_filetype(e) == AE_IFREG)
		archive_write_data(w, content, clen);
	if (nfiles < MAXFILES) {
		unsigned char md[SHA256_DIGEST_LENGTH];
		SHA256((const unsigned char *)content, clen, md);
		files[nfiles].name = path;
		for (int i = 0; i < SHA256_DIGEST_LENGTH; i++)
			sprintf(files[nfiles].hex + 2 * i, "%02x", md[i]);
		nfiles++;
	} else {
		free(path);
	}
	free(content);
	free(h);
}

static void script_tar(const char *s, size_t n)
{
	struct archive *w = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	archive_write_set_format_pax_restricted(w);
	if (archive_write_open_filename(w, INPUT) != ARCHIVE_OK)
		fuzz_sandbox_die(INPUT);
	nfiles = 0;
	/* each "@@@ " at the start of a line begins a file */
	const char *p = s, *end = s + n;
	while (p < end) {
		const char *at = memmem(p, (size_t)(end - p), "@@@ ", 4);
		if (!at)
			break;
		const char *head = at + 4, *nl = memchr(head, '\n', (size_t)(end - head));
		const char *body = nl ? nl + 1 : end;
		const char *next = memmem(body, (size_t)(end - body), "\n@@@ ", 5);
		const char *bend = next ? next : end;
		add(w, e, head, (size_t)((nl ? nl : end) - head), body, (size_t)(bend - body));
		p = next ? next + 1 : end;
	}
	for (int i = 0; i < nfiles; i++)
		free(files[i].name);
	archive_entry_free(e);
	archive_write_close(w);
	archive_write_free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	nftw(STORE, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	unlink(INPUT);
	if (data[0] & 1) {
		FILE *f = fopen(INPUT, "w");
		if (!f)
			fuzz_sandbox_die(INPUT);
		fwrite(data + 1, 1, size - 1, f);
		fclose(f);
	} else {
		script_tar((const char *)data + 1, size - 1);
	}

	struct store st;
	struct mr_err err = {0};
	if (store_open(&st, STORE, &err) < 0)
		fuzz_oracle("a fresh store: %s", err.msg);
	int rc = archive_load(&st, INPUT, &err);
	if (rc < 0) {
		if (!err.msg[0])
			fuzz_oracle("a load failed without a message");
		fuzz_refused(err.msg);
	}

	char *top = names(TOP), *tmp = names(STORE "/images/.tmp");
	if (strcmp(top, "canary in.tar store "))
		fuzz_oracle("%s holds '%s' after a load", TOP, top);
	char *canary = names(CANARY);
	if (strcmp(canary, "f l "))
		fuzz_oracle("the canary holds '%s'", canary);
	if (tmp[0])
		fuzz_oracle("the store's temp directory holds '%s' after a load (%s)", tmp,
			    rc ? err.msg : "succeeded");
	free(top), free(tmp), free(canary);

	if (rc == 0) {
		json_t *idx = store_index_load(&st, &err), *e;
		size_t i;
		if (!idx)
			fuzz_oracle("index.json after a load: %s", err.msg);
		json_array_foreach(json_object_get(idx, "manifests"), i, e)
		{
			struct image img;
			char **dirs = NULL;
			const char *d = json_string_value(json_object_get(e, "digest"));
			if (!d || !digest_valid(d))
				fuzz_oracle("a loaded image without a digest");
			if (image_load(&st, d, &img, &err) < 0)
				fuzz_oracle("loaded image %s does not load: %s", d, err.msg);
			if (image_layer_dirs(&st, &img, &dirs, &err) < 0)
				fuzz_oracle("loaded image %s has no layers: %s", d, err.msg);
			static const char want[] = STORE "/layers/sha256/";
			for (char **p = dirs; *p; p++)
				if (strncmp(*p, want, sizeof(want) - 1) ||
				    strlen(*p) != sizeof(want) - 1 + 64)
					fuzz_oracle("layer directory '%s'", *p);
			image_lowerdirs_free(dirs);
			image_free(&img);
		}
		json_decref(idx);
	}
	store_close(&st);
	return 0;
}

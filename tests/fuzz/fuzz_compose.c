/*
 * tests/fuzz/fuzz_compose.c - fuzz the compose loader (minirun/compose: libfyaml, the
 * typed model, interpolation, merge keys, the schema's checks) and `compose config`'s
 * printer (emit.c).
 *
 * The input is a compose.yaml. It is written to a project directory on the sandbox's
 * tmpfs (/mnt/proj, sandbox.h) and loaded as `minirun compose config` loads it
 * (compose_load, with a fixed shell environment of a few variables, so interpolation has
 * set, empty and unset names to work with).
 *
 * Oracles, beyond ASan/UBSan and leaks:
 *  - a refusal comes with a message;
 *  - what `compose config` prints for a loaded model (compose_to_json, the $ escaped,
 *    compose_print_yaml) is itself a compose file that loads, and prints the same text
 *    again: the printed model is a fixed point of load + print.
 *
 * The keys that make the loader read other files (env_file, include, extends) are not
 * fuzzed: an input naming one is skipped, as is one with a YAML escape that could spell
 * one (\x \u \U, an escaped line break), so the fuzzer never opens /dev/zero or a FIFO
 * of the machine. The unit tests (tests/unit/test_compose_load.c) cover those keys.
 *
 * Seeds: tests/fuzz/seeds/compose/. See: minirun/compose/compose.h; tests/fuzz/README.md.
 */
#include "minirun/compose/compose.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/sandbox.h"

#include <sys/stat.h>

#define PROJ_DIR  "/mnt/proj"
#define FILE_PATH PROJ_DIR "/compose.yaml"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_sandbox("/mnt");
	if (mkdir(PROJ_DIR, 0755) < 0)
		fuzz_sandbox_die("mkdir " PROJ_DIR);
	return 0;
}

static char *env[] = {"HOME=/home/u", "A=1", "EMPTY=", "SP=a b", "DOLLAR=$x", "Q=\"'", NULL};

static void put(const char *text, size_t len)
{
	FILE *f = fopen(FILE_PATH, "w");
	if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0)
		fuzz_sandbox_die("write " FILE_PATH);
}

/* load the project of PROJ_DIR; the text `compose config` prints for it, or NULL (err filled) */
static char *load_print(struct mr_err *err)
{
	static const char *const files[] = {FILE_PATH};
	struct compose_options opt = {.files = files, .nfiles = 1, .cwd = PROJ_DIR, .environ = env};
	struct compose_project *p = compose_load(&opt, err);
	if (!p)
		return NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	if (!out)
		abort();
	json_t *j = compose_to_json(p);
	compose_escape_dollars(j);
	compose_print_yaml(out, j);
	json_decref(j);
	fclose(out);
	compose_project_free(p);
	return text;
}

static bool skipped(const char *s)
{
	static const char *const words[] = {"env_file", "include", "extends", "\\x",
					    "\\u",      "\\U",     "\\\n",    "\\\r"};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(s, words[i]))
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	if (skipped(s)) {
		free(s);
		return 0;
	}
	put(s, strlen(s));
	struct mr_err err = {0};
	char *first = load_print(&err);
	if (!first) {
		if (!err.msg[0])
			fuzz_oracle("a compose file refused without a message");
		fuzz_refused(err.msg);
		free(s);
		return 0;
	}
	put(first, strlen(first));
	memset(&err, 0, sizeof(err));
	char *second = load_print(&err);
	if (!second)
		fuzz_oracle("what config prints does not load: %s\n--- printed:\n%s", err.msg,
			    first);
	if (strcmp(first, second))
		fuzz_oracle("config's text loads to another model:\n--- first:\n%s--- second:\n%s",
			    first, second);
	free(second);
	free(first);
	free(s);
	return 0;
}

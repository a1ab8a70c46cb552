/*
 * tests/fuzz/fuzz_logopts.c - fuzz `--log-driver` and `--log-opt` (minirun/containers/
 * logopts.c): the driver's name, max-size, max-file, compress, and the refusals.
 *
 * The input is lines: the first the --log-driver value (empty: none given, json-file), each
 * other one --log-opt value, given to the flag's setter (log_set_opt) in turn, then checked
 * together (log_config_parse), as `run` does.
 *
 * Oracles:
 *  - a refusal, by the setter or the check, has a message;
 *  - an accepted set keeps a file count of 1 to 1000 and a size that is positive or -1 (no
 *    rotation); compress, when given, is one of strconv.ParseBool's false words;
 *  - the record: what log_config_json keeps in HostConfig.LogConfig, written as JSON and
 *    read back (log_config_read, what the monitor and `logs` use), means the same sizes;
 *  - round trip: the values written back as options (max-size in bytes, max-file) and
 *    parsed again give the same values.
 *
 * Seeds: tests/fuzz/seeds/logopts/. See: minirun/containers/logdriver.h; tests/fuzz/README.md.
 */
#include "minirun/containers/containers.h"
#include "minirun/containers/logdriver.h"
#include "minirun/containers/opts.h"
#include "tests/fuzz/fuzz.h"

static void refused(const char *what, const struct mr_err *err)
{
	if (!err->msg[0])
		fuzz_oracle("%s refused without a message", what);
	fuzz_refused(err->msg);
}

static bool same(const struct log_config *a, const struct log_config *b)
{
	return a->driver == b->driver && a->max_size == b->max_size && a->max_file == b->max_file;
}

static void check(struct container_opts *o)
{
	struct log_config lc, back, again;
	struct mr_err err = {0};
	if (log_config_parse(o, &lc, &err) < 0) {
		refused("a set of options", &err);
		return;
	}
	if (lc.max_file < 1 || lc.max_file > 1000 || lc.max_size == 0 || lc.max_size < -1)
		fuzz_oracle("accepted: %lld bytes, %d files", lc.max_size, lc.max_file);
	const char *compress = NULL;
	for (size_t i = 0; o->log_opts && o->log_opts[i]; i++)
		if (!strncmp(o->log_opts[i], "compress=", 9))
			compress = o->log_opts[i] + 9;
	if (lc.driver != LOG_NONE && compress) {
		static const char *const no[] = {"0", "f", "F", "false", "FALSE", "False"};
		bool known = false;
		for (size_t i = 0; i < 6; i++)
			known |= !strcmp(compress, no[i]);
		if (!known)
			fuzz_oracle("compress=%s accepted", compress);
	}

	/* the record, as it is written to disk and read again */
	struct container_record r = {0};
	if (log_config_record(o, &r) < 0)
		fuzz_oracle("the record's LogConfig could not be made");
	json_t *rec = json_pack("{s:{s:n}}", "HostConfig", "LogConfig");
	container_record_to_json(&r, rec);
	char *text = json_dumps(rec, 0);
	json_t *read = text ? json_loads(text, 0, NULL) : NULL;
	if (!read || container_record_from_json(read, &r, NULL) < 0)
		fuzz_oracle("the record's LogConfig is no JSON");
	log_config_read(&r, &back);
	if (!same(&lc, &back))
		fuzz_oracle("the record reads as %d %lld x %d, not %d %lld x %d", back.driver,
			    back.max_size, back.max_file, lc.driver, lc.max_size, lc.max_file);
	container_record_free(&r);
	json_decref(read);
	json_decref(rec);
	free(text);

	/* the values written back as options */
	struct container_opts w;
	char size[64], files[64];
	memset(&w, 0, sizeof(w));
	w.log_driver = o->log_driver;
	snprintf(size, sizeof(size), "max-size=%lld", lc.max_size);
	snprintf(files, sizeof(files), "max-file=%d", lc.max_file);
	if ((lc.max_size > 0 && opts_strv_add(&w.log_opts, size, &err) < 0) ||
	    opts_strv_add(&w.log_opts, files, &err) < 0)
		abort();
	if (lc.driver == LOG_NONE)
		opts_strv_free(w.log_opts), w.log_opts = NULL;
	if (log_config_parse(&w, &again, &err) < 0)
		fuzz_oracle("'%s %s' written back is refused: %s", size, files, err.msg);
	if (!same(&lc, &again))
		fuzz_oracle("'%s %s' reads back as %lld x %d", size, files, again.max_size,
			    again.max_file);
	opts_strv_free(w.log_opts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_str(data, size), *line = text, *next;
	struct container_opts o;
	struct mr_err err = {0};
	bool ok = true;
	memset(&o, 0, sizeof(o));
	next = strchr(line, '\n');
	if (next)
		*next++ = '\0';
	o.log_driver = *line ? line : NULL;
	for (line = next; line && ok; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (log_set_opt(&o, line, NULL, &err) < 0) {
			refused("a --log-opt", &err);
			ok = false;
		}
	}
	if (ok)
		check(&o);
	opts_strv_free(o.log_opts);
	free(text);
	return 0;
}

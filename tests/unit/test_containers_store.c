/*
 * tests/unit/test_containers_store.c - the container store (minirun/containers/store.c):
 * IDs, name claims and their conflicts, lookup by name / ID / prefix, records, and the
 * status a record reads as when its monitor is gone (lifecycle.c). Each test works in a
 * temp directory of its own and removes it.
 * Run: make tests/unit/run-unit && tests/unit/run-unit
 */
#include "lib/file.h"
#include "minirun/containers/lifecycle.h"
#include "tests/unit/unit.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[256];

static void mkroot(void)
{
	snprintf(root, sizeof(root), "/tmp/mr-unit-store.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(root));
}

static void rmroot(void)
{
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static int entries(const char *sub)
{
	char path[400];
	int n = 0;
	snprintf(path, sizeof(path), "%s/containers/%s", root, sub);
	DIR *d = opendir(path);
	struct dirent *de;
	while (d && (de = readdir(d)))
		n += de->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

/* a container named NAME with a minimal record, saved */
static void make(const char *name, const char *created, struct container *c)
{
	struct mr_err err = {0};
	CU_ASSERT_EQUAL_FATAL(container_new(root, name, false, c, &err), 0);
	c->rec = json_pack("{s:s, s:s, s:s, s:{s:s}}", "Id", c->id, "Name", "/x", "Created",
			   created, "State", "Status", "created");
	CU_ASSERT_EQUAL(container_record_from_json(c->rec, &c->r, &err), 0);
	CU_ASSERT_EQUAL(container_save(c, &err), 0);
}

static void new_makes_id_dir_and_claim(void)
{
	struct container c, o;
	struct mr_err err = {0};
	mkroot();
	make("web", "2026-01-01T00:00:00Z", &c);
	CU_ASSERT_EQUAL(strlen(c.id), CONTAINER_ID_LEN);
	CU_ASSERT_EQUAL(strspn(c.id, "0123456789abcdef"), CONTAINER_ID_LEN);
	CU_ASSERT_EQUAL(access(c.dir, F_OK), 0);
	CU_ASSERT(c.lockfd >= 0);
	container_close(&c);
	const char *refs[] = {"web", "/web", c.id};
	for (size_t i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(container_open(root, refs[i], false, &o, &err), 0);
		CU_ASSERT_STRING_EQUAL(o.id, c.id);
		container_close(&o);
	}
	char prefix[13];
	snprintf(prefix, sizeof(prefix), "%.12s", c.id);
	CU_ASSERT_EQUAL(container_open(root, prefix, true, &o, &err), 0);
	CU_ASSERT_STRING_EQUAL(o.id, c.id);
	CU_ASSERT(o.lockfd >= 0);
	container_close(&o);
	rmroot();
}

static void name_conflict_names_the_holder_and_leaves_nothing(void)
{
	struct container a, b;
	struct mr_err err = {0};
	char want[400];
	mkroot();
	make("db", "2026-01-01T00:00:00Z", &a);
	container_close(&a);
	CU_ASSERT_EQUAL(container_new(root, "db", false, &b, &err), -1);
	snprintf(want, sizeof(want),
		 "Conflict. The container name \"/db\" is already in use by container \"%s\".",
		 a.id);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want));
	CU_ASSERT_EQUAL(entries(""), 1); /* only the first container's directory */
	rmroot();
}

static void stale_claim_is_taken_over(void)
{
	struct container c;
	struct mr_err err = {0};
	char path[400];
	mkroot();
	snprintf(path, sizeof(path), "%s/containers/.names", root);
	CU_ASSERT_EQUAL(mr_mkdir_p(path, 0700, &err), 0);
	snprintf(path, sizeof(path), "%s/containers/.names/old", root);
	FILE *f = fopen(path, "w");
	fputs("0000000000000000000000000000000000000000000000000000000000000000", f);
	fclose(f);
	CU_ASSERT_EQUAL(container_new(root, "old", false, &c, &err), 0);
	container_close(&c);
	struct container o;
	CU_ASSERT_EQUAL(container_open(root, "old", false, &o, &err), 0);
	CU_ASSERT_STRING_EQUAL(o.id, c.id);
	container_close(&o);
	rmroot();
}

static void bad_name_refused(void)
{
	struct container c;
	struct mr_err err = {0};
	mkroot();
	CU_ASSERT_EQUAL(container_new(root, "a b", false, &c, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "Invalid container name (a b)"));
	CU_ASSERT_EQUAL(container_new(root, "x", false, &c, &err), -1); /* docker: two characters */
	CU_ASSERT_EQUAL(container_new(root, "../etc", false, &c, &err), -1);
	CU_ASSERT_EQUAL(entries(""), 0);
	rmroot();
}

static void generated_name_is_adjective_surname(void)
{
	struct container c;
	struct mr_err err = {0};
	char path[400];
	mkroot();
	CU_ASSERT_EQUAL_FATAL(container_new(root, NULL, false, &c, &err), 0);
	snprintf(path, sizeof(path), "%s/containers/.names", root);
	DIR *d = opendir(path);
	struct dirent *de;
	int n = 0;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		n++;
		const char *u = strchr(de->d_name, '_');
		CU_ASSERT_PTR_NOT_NULL(u);
		CU_ASSERT(u && u > de->d_name && u[1]);
	}
	closedir(d);
	CU_ASSERT_EQUAL(n, 1);
	container_close(&c);
	rmroot();
}

static void unknown_and_ambiguous_refs(void)
{
	struct container c, o;
	struct mr_err err = {0};
	mkroot();
	CU_ASSERT_EQUAL(container_open(root, "nope", false, &o, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "No such container: nope");
	CU_ASSERT_EQUAL(err.errnum, ENOENT);
	/* two IDs share the prefix "" of any length 0: use enough containers that two share
	 * a first hex digit (17 containers, 16 digits) */
	char first[17][2];
	int clash = -1;
	for (int i = 0; i < 17 && clash < 0; i++) {
		make(NULL, "2026-01-01T00:00:00Z", &c);
		first[i][0] = c.id[0], first[i][1] = 0;
		container_close(&c);
		for (int j = 0; j < i; j++)
			if (first[j][0] == first[i][0])
				clash = i;
	}
	CU_ASSERT_FATAL(clash >= 0);
	CU_ASSERT_EQUAL(container_open(root, first[clash], false, &o, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "multiple IDs found with provided prefix"));
	rmroot();
}

static void ids_newest_first_and_release_name(void)
{
	struct container a, b;
	struct mr_err err = {0};
	mkroot();
	make("older", "2026-01-01T00:00:00Z", &a);
	make("newer", "2026-02-01T00:00:00Z", &b);
	char **ids = container_ids(root, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ids);
	CU_ASSERT_STRING_EQUAL(ids[0], b.id);
	CU_ASSERT_STRING_EQUAL(ids[1], a.id);
	CU_ASSERT_PTR_NULL(ids[2]);
	container_ids_free(ids);
	CU_ASSERT_EQUAL(container_release_name(root, a.id), 0);
	CU_ASSERT_EQUAL(entries(".names"), 1); /* "newer" stays */
	container_close(&a);
	container_close(&b);
	rmroot();
}

static void status_checks_the_monitor(void)
{
	struct container c;
	struct mr_err err = {0};
	mkroot();
	make("st", "2026-01-01T00:00:00Z", &c);
	CU_ASSERT_EQUAL(container_status(&c), CONTAINER_CREATED);
	/* a record that says running, with no live monitor: exited */
	container_record_set_state(&c.r, CONTAINER_RUNNING);
	CU_ASSERT_EQUAL(container_save(&c, &err), 0);
	CU_ASSERT_EQUAL(container_reload(&c, &err), 0);
	CU_ASSERT_EQUAL(c.r.state.status, CONTAINER_RUNNING);
	CU_ASSERT_EQUAL(container_status(&c), CONTAINER_EXITED);
	CU_ASSERT_EQUAL(container_pid(&c), 0);
	/* a directory without a record (killed before it was written): dead, still openable */
	char path[4400];
	unlink(container_path(&c, "container.json", path, sizeof(path)));
	char id[CONTAINER_ID_LEN + 1];
	strcpy(id, c.id);
	container_close(&c);
	CU_ASSERT_EQUAL(container_open(root, id, true, &c, &err), 0);
	CU_ASSERT_EQUAL(container_status(&c), CONTAINER_DEAD);
	container_close(&c);
	rmroot();
}

static void broken_record_opens_with_id_and_name(void)
{
	struct container c;
	struct mr_err err = {0};
	char path[4400], id[CONTAINER_ID_LEN + 1];
	mkroot();
	make("brk", "2026-01-01T00:00:00Z", &c);
	strcpy(id, c.id);
	container_path(&c, "container.json", path, sizeof(path));
	container_close(&c);
	CU_ASSERT_EQUAL(mr_write_file_atomic(path, "{\"Id\":", 6, 0600, &err), 0); /* cut short */
	/* still found by its name and opened: Id, the claimed name, why it is broken */
	CU_ASSERT_EQUAL_FATAL(container_open(root, "brk", true, &c, &err), 0);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(c.rec, "Id")), id);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(c.rec, "Name")), "/brk");
	const char *why =
		json_string_value(json_object_get(json_object_get(c.rec, "Minirun"), "Broken"));
	CU_ASSERT(why && strstr(why, "container.json:"));
	CU_ASSERT(c.r.mr.broken && !strcmp(c.r.mr.broken, why));
	CU_ASSERT_STRING_EQUAL(c.r.name, "/brk");
	CU_ASSERT_EQUAL(container_status(&c), CONTAINER_DEAD);
	container_close(&c);
	rmroot();
}

/* an --rm container (in_run) with the run root on another file system (a tmpfs, as /run
 * is on most hosts): the directory is a link into RUN/records, the name claim a link to
 * that link; found by name, a conflict still names it, and once the run root is lost the
 * listing sweeps the link and the claim */
static void in_run_lives_in_the_run_root(void)
{
	struct container c, o;
	struct mr_err err = {0};
	char run[256] = "/dev/shm/mr-unit-run.XXXXXX", path[4500], target[4400], id[65];
	if (!mkdtemp(run)) {
		CU_PASS("no /dev/shm to put a run root of another file system on: skipped");
		return;
	}
	mkroot();
	setenv("MINIRUN_RUNROOT", run, 1);
	CU_ASSERT_EQUAL_FATAL(container_new(root, "tmp", true, &c, &err), 0);
	CU_ASSERT(c.in_run);
	/* ROOT/containers/ID -> RUN/slots/K -> RUN/records/ID, K the ID of the container the
	 * link was made for (rmlink.c) */
	ssize_t n = readlink(c.dir, target, sizeof(target) - 1);
	CU_ASSERT_FATAL(n > 0);
	target[n] = '\0';
	snprintf(path, sizeof(path), "%s/slots/%s", run, c.id);
	CU_ASSERT_STRING_EQUAL(target, path);
	n = readlink(path, target, sizeof(target) - 1);
	CU_ASSERT_FATAL(n > 0);
	target[n] = '\0';
	snprintf(path, sizeof(path), "%s/records/%s", run, c.id);
	CU_ASSERT_STRING_EQUAL(target, path);
	snprintf(path, sizeof(path), "%s/lock", target);
	CU_ASSERT_EQUAL(access(path, F_OK), 0);
	CU_ASSERT_EQUAL(container_claim_read(root, "tmp", id), 0);
	CU_ASSERT_STRING_EQUAL(id, c.id);
	c.rec = json_pack("{s:s, s:s, s:s}", "Id", c.id, "Name", "/tmp", "Created", "2026");
	CU_ASSERT_EQUAL(container_record_from_json(c.rec, &c.r, &err), 0);
	CU_ASSERT_EQUAL(container_save(&c, &err), 0);
	container_close(&c);
	CU_ASSERT_EQUAL(container_open(root, "tmp", true, &o, &err), 0);
	CU_ASSERT(o.in_run);
	CU_ASSERT_STRING_EQUAL(o.id, c.id);
	container_close(&o);
	CU_ASSERT_EQUAL(container_new(root, "tmp", true, &o, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, c.id));
	char **ids = container_ids(root, &err);
	CU_ASSERT(ids && ids[0] && !strcmp(ids[0], c.id) && !ids[1]);
	container_ids_free(ids);
	/* the run root lost, as at a reboot */
	snprintf(path, sizeof(path), "rm -rf '%s/records'", run);
	CU_ASSERT_EQUAL(system(path), 0);
	ids = container_ids(root, &err);
	CU_ASSERT(ids && !ids[0]);
	container_ids_free(ids);
	CU_ASSERT_EQUAL(entries(""), 0);
	CU_ASSERT_EQUAL(entries(".names"), 0);
	unsetenv("MINIRUN_RUNROOT");
	snprintf(path, sizeof(path), "rm -rf '%s'", run);
	CU_ASSERT_EQUAL(system(path), 0);
	rmroot();
}

/* the link of a removed --rm container goes into the pool and is the next one's: the same
 * file on the store's disk, leading to the new ID through the same slot; the pool's link
 * of a container whose run root is lost is never given out again */
static void in_run_link_comes_from_the_pool(void)
{
	struct container c, d, e;
	struct mr_err err = {0};
	char run[256] = "/dev/shm/mr-unit-run.XXXXXX", path[4500], target[4400], id[65];
	struct stat first, second;
	if (!mkdtemp(run)) {
		CU_PASS("no /dev/shm to put a run root of another file system on: skipped");
		return;
	}
	mkroot();
	setenv("MINIRUN_RUNROOT", run, 1);
	CU_ASSERT_EQUAL_FATAL(container_new(root, "one", true, &c, &err), 0);
	CU_ASSERT_EQUAL(lstat(c.dir, &first), 0);
	char k[65];
	snprintf(k, sizeof(k), "%s", c.id);
	CU_ASSERT_EQUAL(container_release_name(root, c.id), 0);
	CU_ASSERT_EQUAL(rootfs_remove_dir(&c, &err), 0);
	container_close(&c);
	CU_ASSERT_EQUAL(entries(""), 0);
	CU_ASSERT_EQUAL(entries(".names"), 0);
	CU_ASSERT_EQUAL(entries(".spare"), 1);
	snprintf(path, sizeof(path), "%s/slots/%s", run, k);
	CU_ASSERT_EQUAL(access(path, F_OK), -1); /* the slot freed */
	CU_ASSERT_EQUAL_FATAL(container_new(root, "two", true, &d, &err), 0);
	CU_ASSERT_EQUAL(lstat(d.dir, &second), 0);
	CU_ASSERT_EQUAL(first.st_ino, second.st_ino);
	CU_ASSERT_EQUAL(entries(".spare"), 0);
	ssize_t n = readlink(d.dir, target, sizeof(target) - 1);
	CU_ASSERT_FATAL(n > 0);
	target[n] = '\0';
	CU_ASSERT_STRING_EQUAL(target, path); /* through the first container's slot */
	CU_ASSERT_EQUAL(container_claim_read(root, "two", id), 0);
	CU_ASSERT_STRING_EQUAL(id, d.id);
	container_close(&d);
	/* the run root lost: the claim can't be read (ESTALE), the listing sweeps both */
	snprintf(path, sizeof(path), "rm -rf '%s/slots' '%s/records'", run, run);
	CU_ASSERT_EQUAL(system(path), 0);
	errno = 0;
	CU_ASSERT_EQUAL(container_claim_read(root, "two", id), -1);
	CU_ASSERT_EQUAL(errno, ESTALE);
	char **ids = container_ids(root, &err);
	CU_ASSERT(ids && !ids[0]);
	container_ids_free(ids);
	CU_ASSERT_EQUAL(entries(""), 0);
	CU_ASSERT_EQUAL(entries(".names"), 0);
	/* a new one makes a link of its own; "two" is free again */
	CU_ASSERT_EQUAL_FATAL(container_new(root, "two", true, &e, &err), 0);
	CU_ASSERT_EQUAL(container_claim_read(root, "two", id), 0);
	CU_ASSERT_STRING_EQUAL(id, e.id);
	n = readlink(e.dir, target, sizeof(target) - 1);
	CU_ASSERT_FATAL(n > 0);
	target[n] = '\0';
	snprintf(path, sizeof(path), "%s/slots/%s", run, e.id);
	CU_ASSERT_STRING_EQUAL(target, path);
	container_close(&e);
	unsetenv("MINIRUN_RUNROOT");
	snprintf(path, sizeof(path), "rm -rf '%s'", run);
	CU_ASSERT_EQUAL(system(path), 0);
	rmroot();
}

static CU_TestInfo tests[] = {
	{"container_new makes a 64-hex ID, its dir and lock; found by name, /name, ID, prefix",
	 new_makes_id_dir_and_claim},
	{"a name in use: docker's Conflict message naming the holder, nothing left",
	 name_conflict_names_the_holder_and_leaves_nothing},
	{"a claim whose container directory is gone is taken over", stale_claim_is_taken_over},
	{"a bad name is refused with docker's rule, nothing left", bad_name_refused},
	{"no --name: a generated adjective_surname claim", generated_name_is_adjective_surname},
	{"No such container (ENOENT); an ambiguous prefix is refused", unknown_and_ambiguous_refs},
	{"container_ids lists newest first; release_name drops only that container's claim",
	 ids_newest_first_and_release_name},
	{"status: created; running without a live monitor reads exited; no record reads dead",
	 status_checks_the_monitor},
	{"an unreadable record opens with its Id, claimed name and Minirun.Broken; reads dead",
	 broken_record_opens_with_id_and_name},
	{"--rm (in_run): a link into RUN/records, its claim a link too; lost run root swept",
	 in_run_lives_in_the_run_root},
	{"--rm: a removed container's link is the next one's (the pool); a lost one is not",
	 in_run_link_comes_from_the_pool},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("containers store", tests)

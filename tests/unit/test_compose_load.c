/*
 * tests/unit/test_compose_load.c - minirun/compose's loader: file discovery, the merge of
 * several files (maps, keyed lists, replaced commands, !reset, !override), extends and
 * include, the project name, profiles, the schema's errors (file:line and key path), and
 * the model `config` prints. Each case writes a small project under a fresh directory in
 * /tmp (named "My_Proj.1", to see the name normalized) and removes it after.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "minirun/compose/compose.h"
#include "tests/unit/unit.h"

struct fx {
	char root[64], dir[128];
	struct compose_options opt;
	char *env[16];
	struct mr_err err;
};

static void fx_make(struct fx *f)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->root, sizeof(f->root), "/tmp/mr-compose-unit.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(f->root));
	snprintf(f->dir, sizeof(f->dir), "%s/My_Proj.1", f->root);
	CU_ASSERT_EQUAL_FATAL(mkdir(f->dir, 0755), 0);
	f->opt.cwd = f->dir;
	f->env[0] = "HOME=/home/u";
	f->opt.environ = f->env;
}

/* write TEXT to NAME under the project directory (NAME may hold one subdirectory) */
static void fx_write(struct fx *f, const char *name, const char *text)
{
	char path[256];
	const char *slash = strchr(name, '/');
	if (slash) {
		snprintf(path, sizeof(path), "%s/%.*s", f->dir, (int)(slash - name), name);
		mkdir(path, 0755);
	}
	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	FILE *out = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	fputs(text, out);
	fclose(out);
}

static struct compose_project *fx_load(struct fx *f)
{
	memset(&f->err, 0, sizeof(f->err));
	return compose_load(&f->opt, &f->err);
}

static void fx_done(struct fx *f, struct compose_project *p)
{
	char cmd[128];
	compose_project_free(p);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->root);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* load a project of one compose.yaml; NULL expected means an error containing WANT_ERR */
static struct compose_project *load_one(struct fx *f, const char *yaml)
{
	fx_make(f);
	fx_write(f, "compose.yaml", yaml);
	return fx_load(f);
}

#define ERR_HAS(f, s)                                                                              \
	do {                                                                                       \
		if (!strstr((f)->err.msg, s))                                                      \
			printf("\n    # error was: %s\n", (f)->err.msg);                           \
		CU_ASSERT_PTR_NOT_NULL(strstr((f)->err.msg, s));                                   \
	} while (0)

static const char *env_of(const struct compose_service *s, const char *key)
{
	const struct compose_kv *kv = compose_kv_find(&s->environment, key);
	return kv ? (kv->value ? kv->value : "<null>") : "<absent>";
}

/* ---- discovery ------------------------------------------------------------------------- */

static void discovery_reads_override_too(void)
{
	struct fx f;
	fx_make(&f);
	fx_write(&f, "compose.yaml", "services:\n  web:\n    image: a\n");
	fx_write(&f, "compose.override.yaml", "services:\n  web:\n    image: b\n");
	struct compose_project *p = fx_load(&f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->files.n, 2);
	CU_ASSERT_STRING_EQUAL(p->services[0].image, "b");
	fx_done(&f, p);
}

static void discovery_climbs_to_parents(void)
{
	struct fx f;
	fx_make(&f);
	fx_write(&f, "docker-compose.yml", "services:\n  web:\n    image: a\n");
	fx_write(&f, "sub/keep", "");
	char sub[256];
	snprintf(sub, sizeof(sub), "%s/sub", f.dir);
	f.opt.cwd = sub;
	struct compose_project *p = fx_load(&f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(p->name, "my_proj1"); /* the file's directory, not the cwd */
	fx_done(&f, p);
}

static void discovery_prefers_compose_yaml(void)
{
	struct fx f;
	fx_make(&f);
	fx_write(&f, "docker-compose.yml", "services:\n  old:\n    image: a\n");
	fx_write(&f, "compose.yaml", "services:\n  new:\n    image: a\n");
	struct compose_project *p = fx_load(&f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_PTR_NOT_NULL(compose_service_find(p, "new"));
	CU_ASSERT_PTR_NULL(compose_service_find(p, "old"));
	fx_done(&f, p);
}

static void discovery_without_a_file_fails(void)
{
	struct fx f;
	fx_make(&f);
	f.opt.cwd = f.root;
	char sub[256];
	snprintf(sub, sizeof(sub), "%s", f.dir);
	f.opt.cwd = sub;
	CU_ASSERT_PTR_NULL(fx_load(&f));
	ERR_HAS(&f, "no configuration file provided");
	fx_done(&f, NULL);
}

static void compose_file_variable_names_the_files(void)
{
	struct fx f;
	fx_make(&f);
	fx_write(&f, "a.yaml", "services:\n  web:\n    image: a\n");
	fx_write(&f, "b.yaml", "services:\n  web:\n    image: b\n");
	f.env[1] = "COMPOSE_FILE=a.yaml:b.yaml";
	struct compose_project *p = fx_load(&f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->files.n, 2);
	CU_ASSERT_STRING_EQUAL(p->services[0].image, "b");
	fx_done(&f, p);
}

/* ---- merge ----------------------------------------------------------------------------- */

/* base.yaml then over.yaml, given with -f */
static struct compose_project *merge2(struct fx *f, const char *base, const char *over)
{
	static const char *files[] = {"base.yaml", "over.yaml"};
	fx_make(f);
	fx_write(f, "base.yaml", base);
	fx_write(f, "over.yaml", over);
	f->opt.files = files;
	f->opt.nfiles = 2;
	return fx_load(f);
}

static void merge_scalars_later_wins(void)
{
	struct fx f;
	struct compose_project *p = merge2(&f, "services:\n  w:\n    image: a\n    user: root\n",
					   "services:\n  w:\n    image: b\n  x:\n    image: c\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->nservices, 2);
	CU_ASSERT_STRING_EQUAL(p->services[0].image, "b");
	CU_ASSERT_STRING_EQUAL(p->services[0].user, "root");
	fx_done(&f, p);
}

static void merge_environment_by_key(void)
{
	struct fx f;
	struct compose_project *p =
		merge2(&f, "services:\n  w:\n    image: a\n    environment: [A=1, B=2]\n",
		       "services:\n  w:\n    environment:\n      B: 3\n      C: 4\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	const struct compose_service *s = &p->services[0];
	CU_ASSERT_EQUAL(s->environment.n, 3);
	CU_ASSERT_STRING_EQUAL(env_of(s, "A"), "1");
	CU_ASSERT_STRING_EQUAL(env_of(s, "B"), "3");
	CU_ASSERT_STRING_EQUAL(env_of(s, "C"), "4");
	fx_done(&f, p);
}

static void merge_ports_by_key(void)
{
	struct fx f;
	struct compose_project *p =
		merge2(&f, "services:\n  w:\n    image: a\n    ports: ['8080:80', '53:53/udp']\n",
		       "services:\n  w:\n    ports: ['8080:80', '9090:90']\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	const struct compose_ports *ports = &p->services[0].ports;
	CU_ASSERT_EQUAL_FATAL(ports->n, 3); /* 8080:80 once */
	CU_ASSERT_EQUAL(ports->v[2].target, 90);
	fx_done(&f, p);
}

static void merge_volumes_by_target(void)
{
	struct fx f;
	struct compose_project *p =
		merge2(&f,
		       "services:\n  w:\n    image: a\n    volumes: ['./a:/data', 'v:/keep']\n"
		       "volumes:\n  v:\n",
		       "services:\n  w:\n    volumes: ['./b:/data:ro']\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	const struct compose_mounts *m = &p->services[0].volumes;
	CU_ASSERT_EQUAL_FATAL(m->n, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(m->v[0].source, "/My_Proj.1/b"));
	CU_ASSERT_EQUAL(m->v[0].read_only, 1);
	fx_done(&f, p);
}

static void merge_command_is_replaced(void)
{
	struct fx f;
	struct compose_project *p =
		merge2(&f, "services:\n  w:\n    image: a\n    command: [echo, foo]\n",
		       "services:\n  w:\n    command: [echo, bar]\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL_FATAL(p->services[0].command.n, 2);
	CU_ASSERT_STRING_EQUAL(p->services[0].command.v[1], "bar");
	fx_done(&f, p);
}

static void merge_lists_append(void)
{
	struct fx f;
	struct compose_project *p =
		merge2(&f, "services:\n  w:\n    image: a\n    dns: [1.1.1.1]\n    cap_add: [A]\n",
		       "services:\n  w:\n    dns: 8.8.8.8\n    cap_add: [A, B]\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	const struct compose_service *s = &p->services[0];
	CU_ASSERT_EQUAL(s->dns.n, 2);
	CU_ASSERT_EQUAL(s->cap_add.n, 2);
	fx_done(&f, p);
}

static void merge_reset_takes_a_key_away(void)
{
	struct fx f;
	struct compose_project *p =
		merge2(&f, "services:\n  w:\n    image: a\n    ports: ['80:80']\n    user: x\n",
		       "services:\n  w:\n    ports: !reset []\n    user: !reset null\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->services[0].ports.n, 0);
	CU_ASSERT_PTR_NULL(p->services[0].user);
	fx_done(&f, p);
}

static void merge_override_replaces_instead_of_merging(void)
{
	struct fx f;
	struct compose_project *p =
		merge2(&f, "services:\n  w:\n    image: a\n    environment: {A: 1, B: 2}\n",
		       "services:\n  w:\n    environment: !override {C: 3}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->services[0].environment.n, 1);
	CU_ASSERT_STRING_EQUAL(env_of(&p->services[0], "C"), "3");
	fx_done(&f, p);
}

static void merge_networks_and_volumes_definitions(void)
{
	struct fx f;
	struct compose_project *p =
		merge2(&f, "services:\n  w:\n    image: a\nvolumes:\n  v:\n    labels: [a=1]\n",
		       "volumes:\n  v:\n    name: shared\n    labels: {b: 2}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL_FATAL(p->nvolumes, 1);
	CU_ASSERT_STRING_EQUAL(p->volumes[0].name, "shared");
	CU_ASSERT_EQUAL(p->volumes[0].labels.n, 2);
	fx_done(&f, p);
}

static void merge_healthcheck_field_by_field(void)
{
	struct fx f;
	struct compose_project *p =
		merge2(&f,
		       "services:\n  w:\n    image: a\n    healthcheck:\n      test: [CMD, t]\n"
		       "      interval: 5s\n",
		       "services:\n  w:\n    healthcheck:\n      retries: 7\n      test: exit 0\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	const struct compose_health *h = &p->services[0].healthcheck;
	CU_ASSERT_STRING_EQUAL(h->interval, "5s");
	CU_ASSERT_EQUAL(h->retries, 7);
	CU_ASSERT_STRING_EQUAL(h->test.v[0], "CMD-SHELL");
	fx_done(&f, p);
}

static void empty_override_file_is_fine(void)
{
	struct fx f;
	struct compose_project *p = merge2(&f, "services:\n  w:\n    image: a\n", "");
	CU_ASSERT_PTR_NOT_NULL(p);
	fx_done(&f, p);
}

/* ---- extends and include ------------------------------------------------------------- */

static void extends_in_the_same_file(void)
{
	struct fx f;
	struct compose_project *p =
		load_one(&f, "services:\n  base:\n    image: b\n    environment: {A: 1}\n"
			     "  web:\n    extends: base\n    environment: {B: 2}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	const struct compose_service *w = compose_service_find(p, "web");
	CU_ASSERT_STRING_EQUAL(w->image, "b");
	CU_ASSERT_STRING_EQUAL(env_of(w, "A"), "1");
	CU_ASSERT_STRING_EQUAL(env_of(w, "B"), "2");
	fx_done(&f, p);
}

/* the extending service's values merge into a copy: the base keeps its own (a value of
 * the same key once leaked into the base: the differential suite's 17-extends) */
static void extends_leaves_the_base_alone(void)
{
	struct fx f;
	struct compose_project *p =
		load_one(&f, "services:\n  base:\n    image: b\n    environment: {L: base}\n"
			     "    ports: ['80:80']\n"
			     "  web:\n    extends: base\n    environment: {L: web}\n"
			     "    ports: ['80:8080']\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	const struct compose_service *b = compose_service_find(p, "base");
	const struct compose_service *w = compose_service_find(p, "web");
	CU_ASSERT_STRING_EQUAL(env_of(b, "L"), "base");
	CU_ASSERT_STRING_EQUAL(env_of(w, "L"), "web");
	CU_ASSERT_EQUAL(b->ports.v[0].target, 80);
	fx_done(&f, p);
}

static void extends_another_file_resolves_its_paths(void)
{
	struct fx f;
	fx_make(&f);
	fx_write(&f, "common/base.yaml",
		 "services:\n  app:\n    build: ./src\n    volumes: ['./conf:/conf']\n");
	fx_write(&f, "compose.yaml",
		 "services:\n  web:\n    extends:\n      file: common/base.yaml\n"
		 "      service: app\n");
	struct compose_project *p = fx_load(&f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	const struct compose_service *w = &p->services[0];
	CU_ASSERT_PTR_NOT_NULL(strstr(w->build.context, "/My_Proj.1/common/src"));
	CU_ASSERT_PTR_NOT_NULL(strstr(w->volumes.v[0].source, "/My_Proj.1/common/conf"));
	fx_done(&f, p);
}

static void extends_cycle_is_an_error(void)
{
	struct fx f;
	CU_ASSERT_PTR_NULL(load_one(&f, "services:\n  a:\n    extends: b\n  b:\n    extends: a\n"));
	ERR_HAS(&f, "cycle");
	fx_done(&f, NULL);
}

static void extends_unknown_service_is_an_error(void)
{
	struct fx f;
	CU_ASSERT_PTR_NULL(load_one(&f, "services:\n  a:\n    image: x\n    extends: nope\n"));
	ERR_HAS(&f, "no service \"nope\"");
	fx_done(&f, NULL);
}

static void include_adds_services_and_refuses_conflicts(void)
{
	struct fx f;
	fx_make(&f);
	fx_write(&f, "db/compose.yaml", "services:\n  db:\n    image: postgres\n");
	fx_write(&f, "compose.yaml",
		 "include: [db/compose.yaml]\nservices:\n  web:\n    image: a\n"
		 "    depends_on: [db]\n");
	struct compose_project *p = fx_load(&f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_PTR_NOT_NULL(compose_service_find(p, "db"));
	compose_project_free(p);
	fx_write(&f, "compose.yaml",
		 "include: [db/compose.yaml]\nservices:\n  db:\n    image: a\n");
	CU_ASSERT_PTR_NULL(fx_load(&f));
	ERR_HAS(&f, "conflicts with imported resource");
	fx_done(&f, NULL);
}

/* ---- the project name ------------------------------------------------------------------ */

static void name_from_the_directory_is_normalized(void)
{
	struct fx f;
	struct compose_project *p = load_one(&f, "services:\n  w:\n    image: a\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(p->name, "my_proj1");
	CU_ASSERT_STRING_EQUAL(p->networks[0].name, "my_proj1_default");
	fx_done(&f, p);
}

static void name_precedence(void)
{
	struct fx f;
	struct compose_project *p = load_one(&f, "name: fromfile\nservices:\n  w:\n    image: a\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(p->name, "fromfile");
	compose_project_free(p);
	f.env[1] = "COMPOSE_PROJECT_NAME=fromenv";
	p = fx_load(&f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(p->name, "fromenv");
	compose_project_free(p);
	f.opt.project_name = "fromflag";
	p = fx_load(&f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(p->name, "fromflag");
	fx_done(&f, p);
}

static void name_from_env_file(void)
{
	struct fx f;
	fx_make(&f);
	fx_write(&f, "compose.yaml", "services:\n  w:\n    image: a\n");
	fx_write(&f, ".env", "COMPOSE_PROJECT_NAME=dotenv\n");
	struct compose_project *p = fx_load(&f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(p->name, "dotenv");
	fx_done(&f, p);
}

static void given_names_must_be_normal(void)
{
	struct fx f;
	fx_make(&f);
	fx_write(&f, "compose.yaml", "services:\n  w:\n    image: a\n");
	f.opt.project_name = "Bad Name";
	CU_ASSERT_PTR_NULL(fx_load(&f));
	ERR_HAS(&f, "invalid project name \"Bad Name\" (from -p)");
	fx_done(&f, NULL);
}

static void normalize_table(void)
{
	static const char *const cases[][2] = {
		{"myapp", "myapp"}, {"My App", "myapp"}, {"my.app-2_x", "myapp-2_x"},
		{"__x", "x"},       {"-_-a-", "a-"},     {"ÄBC", "bc"},
		{"UPPER", "upper"}, {"a b c", "abc"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[64];
		compose_normalize_name(cases[i][0], out);
		CU_ASSERT_STRING_EQUAL(out, cases[i][1]);
	}
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(compose_check_name("ok-name_1", "-p", &err), 0);
	CU_ASSERT_EQUAL(compose_check_name("_lead", "-p", &err), -1);
	CU_ASSERT_EQUAL(compose_check_name("", "-p", &err), -1);
}

/* ---- profiles ------------------------------------------------------------------------------ */

static const char *profiled = "services:\n  web:\n    image: a\n"
			      "  debug:\n    image: b\n    profiles: [dev, tools]\n"
			      "  db:\n    image: c\n    profiles: [backend]\n";

static void profiles_leave_services_out(void)
{
	struct fx f;
	struct compose_project *p = load_one(&f, profiled);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->nservices, 1);
	CU_ASSERT_EQUAL(p->all_profiles.n, 3);
	CU_ASSERT_STRING_EQUAL(p->all_profiles.v[0], "backend"); /* sorted */
	fx_done(&f, p);
}

static void profile_flag_enables(void)
{
	struct fx f;
	static const char *prof[] = {"tools"};
	fx_make(&f);
	fx_write(&f, "compose.yaml", profiled);
	f.opt.profiles = prof;
	f.opt.nprofiles = 1;
	struct compose_project *p = fx_load(&f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->nservices, 2);
	CU_ASSERT_PTR_NOT_NULL(compose_service_find(p, "debug"));
	fx_done(&f, p);
}

static void compose_profiles_variable_and_star(void)
{
	struct fx f;
	fx_make(&f);
	fx_write(&f, "compose.yaml", profiled);
	f.env[1] = "COMPOSE_PROFILES=backend,dev";
	struct compose_project *p = fx_load(&f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->nservices, 3);
	compose_project_free(p);
	f.env[1] = "COMPOSE_PROFILES=*";
	p = fx_load(&f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->nservices, 3);
	fx_done(&f, p);
}

static void named_service_enables_itself_and_its_dependencies(void)
{
	struct fx f;
	static const char *named[] = {"debug"};
	fx_make(&f);
	fx_write(&f, "compose.yaml",
		 "services:\n  debug:\n    image: b\n    profiles: [dev]\n    depends_on: [db]\n"
		 "  db:\n    image: c\n    profiles: [backend]\n");
	f.opt.services = named;
	f.opt.nservices = 1;
	struct compose_project *p = fx_load(&f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->nservices, 2);
	fx_done(&f, p);
}

static void disabled_dependency_is_refused(void)
{
	struct fx f;
	CU_ASSERT_PTR_NULL(load_one(&f, "services:\n  web:\n    image: a\n    depends_on: [db]\n"
					"  db:\n    image: c\n    profiles: [backend]\n"));
	ERR_HAS(&f, "service \"db\" is required by \"web\" but is disabled; enable it with "
		    "--profile backend");
	fx_done(&f, NULL);
}

/* ---- variables in the files ------------------------------------------------------------ */

static void dotenv_feeds_interpolation_and_shell_wins(void)
{
	struct fx f;
	fx_make(&f);
	fx_write(&f, "compose.yaml", "services:\n  w:\n    image: ${IMG}:${TAG}\n");
	fx_write(&f, ".env", "IMG=busybox\nTAG=1\n");
	f.env[1] = "TAG=2";
	struct compose_project *p = fx_load(&f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(p->services[0].image, "busybox:2");
	fx_done(&f, p);
}

static void env_file_flag_replaces_dotenv(void)
{
	struct fx f;
	static const char *envf[] = {"prod.env"};
	fx_make(&f);
	fx_write(&f, "compose.yaml", "services:\n  w:\n    image: ${IMG:-none}${TAG:-}\n");
	fx_write(&f, ".env", "TAG=dev\n");
	fx_write(&f, "prod.env", "IMG=prod\n");
	f.opt.env_files = envf;
	f.opt.nenv_files = 1;
	struct compose_project *p = fx_load(&f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(p->services[0].image, "prod");
	fx_done(&f, p);
}

static void missing_required_variable_names_file_and_line(void)
{
	struct fx f;
	CU_ASSERT_PTR_NULL(load_one(&f, "services:\n  w:\n    image: a\n"
					"    user: ${WHO:?who runs it}\n"));
	ERR_HAS(&f, "compose.yaml:4: services.w.user: required variable WHO is missing a value: "
		    "who runs it");
	fx_done(&f, NULL);
}

static void interpolated_values_are_typed_after(void)
{
	struct fx f;
	fx_make(&f);
	fx_write(&f, "compose.yaml",
		 "services:\n  w:\n    image: a\n    tty: ${T}\n"
		 "    ports: ['${P}:80']\n    deploy:\n      replicas: ${N}\n");
	f.env[1] = "T=true";
	f.env[2] = "P=8081";
	f.env[3] = "N=3";
	struct compose_project *p = fx_load(&f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->services[0].tty, 1);
	CU_ASSERT_STRING_EQUAL(p->services[0].ports.v[0].published, "8081");
	CU_ASSERT_EQUAL(p->services[0].deploy.replicas, 3);
	fx_done(&f, p);
}

static void env_file_under_environment(void)
{
	struct fx f;
	fx_make(&f);
	fx_write(&f, "compose.yaml",
		 "services:\n  w:\n    image: a\n    env_file: app.env\n"
		 "    environment: [B=env, SHELLVAR]\n");
	fx_write(&f, "app.env", "A=file\nB=file\n");
	f.env[1] = "SHELLVAR=sh";
	struct compose_project *p = fx_load(&f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	const struct compose_service *s = &p->services[0];
	CU_ASSERT_STRING_EQUAL(env_of(s, "A"), "file");
	CU_ASSERT_STRING_EQUAL(env_of(s, "B"), "env");
	CU_ASSERT_STRING_EQUAL(env_of(s, "SHELLVAR"), "sh");
	compose_project_free(p);
	fx_write(&f, "compose.yaml", "services:\n  w:\n    image: a\n    env_file: nope.env\n");
	CU_ASSERT_PTR_NULL(fx_load(&f));
	ERR_HAS(&f, "services.w.env_file: ");
	ERR_HAS(&f, "nope.env");
	fx_write(&f, "compose.yaml",
		 "services:\n  w:\n    image: a\n    env_file:\n"
		 "      - path: nope.env\n        required: false\n"
		 "      - app.env\n");
	p = fx_load(&f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(env_of(&p->services[0], "A"), "file");
	fx_done(&f, p);
}

/* ---- schema errors ------------------------------------------------------------------------ */

static void unknown_service_key(void)
{
	struct fx f;
	CU_ASSERT_PTR_NULL(load_one(&f, "services:\n  web:\n    image: x\n    imgae: y\n"));
	ERR_HAS(&f, "compose.yaml:4: services.web.imgae: unknown key");
	fx_done(&f, NULL);
}

static void unknown_top_level_and_nested_keys(void)
{
	struct fx f;
	CU_ASSERT_PTR_NULL(load_one(&f, "service:\n  web:\n    image: x\n"));
	ERR_HAS(&f, "compose.yaml:1: service: unknown key");
	fx_done(&f, NULL);
	CU_ASSERT_PTR_NULL(load_one(&f, "services:\n  web:\n    image: x\n    ports:\n"
					"      - target: 80\n        publishd: 8080\n"));
	ERR_HAS(&f, "compose.yaml:6: services.web.ports.0.publishd: unknown key");
	fx_done(&f, NULL);
	CU_ASSERT_PTR_NULL(load_one(&f, "services:\n  web:\n    image: x\n"
					"networks:\n  n:\n    drvier: bridge\n"));
	ERR_HAS(&f, "compose.yaml:6: networks.n.drvier: unknown key");
	fx_done(&f, NULL);
}

static void wrong_types(void)
{
	static const char *const cases[][2] = {
		{"    ports: {a: 1}\n", "services.web.ports: must be a list"},
		{"    tty: maybe\n", "services.web.tty: must be a boolean"},
		{"    command: {a: b}\n", "services.web.command: must be a list"},
		{"    environment: 5\n", "services.web.environment: must be a mapping or a list"},
		{"    pids_limit: lots\n", "services.web.pids_limit: must be an integer"},
		{"    mem_limit: 12q\n", "services.web.mem_limit: must be a size"},
		{"    stop_grace_period: soon\n", "services.web.stop_grace_period: must be a "
						  "duration"},
		{"    depends_on: {db: {condition: ready}}\n",
		 "condition: must be service_started"},
		{"    ports: ['99999:80']\n", "services.web.ports.0: invalid port"},
		{"    volumes: ['data:/x:rx']\n", "invalid mode \"rx\""},
		{"    volumes: ['data:relative']\n", "the target must be an absolute path"},
		{"    user: [a]\n", "services.web.user: must be a string, not a list"},
		{"    restart: sometimes\n",
		 "services.web.restart: \"sometimes\" is not one of no, "
		 "always, unless-stopped, on-failure"},
		{"    pull_policy: often\n", "services.web.pull_policy: \"often\" is not one of"},
		{"    oom_score_adj: 1001\n",
		 "services.web.oom_score_adj: 1001 is out of range: it must be -1000 to 1000"},
		{"    mem_swappiness: 101\n", "services.web.mem_swappiness: 101 is out of range"},
		{"    cpu_percent: 101\n", "services.web.cpu_percent: 101 is out of range"},
		{"    cpu_shares: many\n", "services.web.cpu_shares: must be an integer"},
		{"    memswap_limit: -2\n", "services.web.memswap_limit: must be a size"},
		{"    blkio_config: {weight: x}\n", "services.web.blkio_config.weight: must be an "
						    "integer"},
		{"    blkio_config: {device_read_bps: [{path: /dev/sda}]}\n",
		 "services.web.blkio_config.device_read_bps.0: needs both path and rate"},
		{"    blkio_config: {device_read_iops: [{path: /dev/sda, rate: 1k}]}\n",
		 "services.web.blkio_config.device_read_iops.0.rate: must be an integer"},
		{"    blkio_config: {wieght: 1}\n",
		 "services.web.blkio_config.wieght: unknown key"},
		{"    dns_opt: ndots:1\n", "services.web.dns_opt: must be a list"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx f;
		char yaml[256];
		snprintf(yaml, sizeof(yaml), "services:\n  web:\n    image: x\n%s", cases[i][0]);
		CU_ASSERT_PTR_NULL(load_one(&f, yaml));
		ERR_HAS(&f, cases[i][1]);
		ERR_HAS(&f, "compose.yaml:");
		fx_done(&f, NULL);
	}
}

static void resource_keys(void)
{
	struct fx f;
	struct compose_project *p = load_one(
		&f, "services:\n  web:\n    image: x\n    cpu_shares: 512\n    cpu_quota: -1\n"
		    "    cpuset: 0-1\n    mem_reservation: 32m\n    memswap_limit: -1\n"
		    "    mem_swappiness: 0\n    oom_kill_disable: true\n    oom_score_adj: -10\n"
		    "    label_file: a.labels\n    dns_opt: [ndots:2]\n"
		    "    blkio_config:\n      weight: 300\n"
		    "      device_read_bps: [{path: /dev/sda, rate: 1mb}]\n"
		    "      device_write_iops: [{path: /dev/sda, rate: 30}]\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	const struct compose_service *s = &p->services[0];
	CU_ASSERT_EQUAL(s->cpu_shares, 512);
	CU_ASSERT_EQUAL(s->cpu_quota, -1);
	CU_ASSERT_STRING_EQUAL(s->cpuset, "0-1");
	CU_ASSERT_EQUAL(s->mem_reservation, 32 << 20);
	CU_ASSERT_EQUAL(s->memswap_limit, -1); /* unlimited */
	CU_ASSERT(SVC_HAS(s, SVC_MEM_SWAPPINESS) && s->mem_swappiness == 0);
	CU_ASSERT(s->oom_kill_disable && s->oom_score_adj == -10);
	CU_ASSERT_EQUAL(s->label_file.n, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(s->label_file.v[0], "/a.labels"));
	CU_ASSERT_EQUAL(s->label_file.v[0][0], '/'); /* against the project directory */
	CU_ASSERT_STRING_EQUAL(s->dns_opt.v[0], "ndots:2");
	CU_ASSERT_EQUAL(s->blkio_config.weight, 300);
	CU_ASSERT_EQUAL_FATAL(s->blkio_config.device_read_bps.n, 1);
	CU_ASSERT_EQUAL(s->blkio_config.device_read_bps.v[0].value, 1 << 20);
	CU_ASSERT_EQUAL(s->blkio_config.device_write_iops.v[0].value, 30);
	fx_done(&f, p);
}

static void merge_blkio_by_path(void)
{
	struct fx f;
	fx_make(&f);
	fx_write(&f, "compose.yaml",
		 "services:\n  web:\n    image: x\n    blkio_config:\n      weight: 300\n"
		 "      device_read_bps: [{path: /dev/a, rate: 1}, {path: /dev/b, rate: 2}]\n");
	fx_write(&f, "compose.override.yaml",
		 "services:\n  web:\n    blkio_config:\n"
		 "      device_read_bps: [{path: /dev/b, rate: 5}, {path: /dev/c, rate: 6}]\n");
	struct compose_project *p = fx_load(&f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	const struct compose_blkio *b = &p->services[0].blkio_config;
	CU_ASSERT_EQUAL(b->weight, 300);
	CU_ASSERT_EQUAL_FATAL(b->device_read_bps.n, 3);
	CU_ASSERT_EQUAL(b->device_read_bps.v[0].value, 1);
	CU_ASSERT_EQUAL(b->device_read_bps.v[1].value, 5); /* /dev/b: the later file's */
	CU_ASSERT_STRING_EQUAL(b->device_read_bps.v[2].path, "/dev/c");
	fx_done(&f, p);
}

static void restart_values(void)
{
	struct fx f;
	struct compose_project *p =
		load_one(&f, "services:\n  a:\n    image: x\n    restart: on-failure:3\n"
			     "  b:\n    image: x\n    restart: \"no\"\n    pull_policy: never\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(compose_service_find(p, "a")->restart, "on-failure:3");
	fx_done(&f, p);
}

static void extension_keys_are_ignored(void)
{
	struct fx f;
	struct compose_project *p =
		load_one(&f, "x-defaults: &d\n  image: a\nservices:\n  web:\n    <<: *d\n"
			     "    x-note: anything\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(p->services[0].image, "a");
	fx_done(&f, p);
}

static void unknown_tag_is_an_error(void)
{
	struct fx f;
	CU_ASSERT_PTR_NULL(load_one(&f, "services:\n  web:\n    image: !weird x\n"));
	ERR_HAS(&f, "unknown tag '!weird'");
	fx_done(&f, NULL);
}

static void invalid_yaml_names_line_and_column(void)
{
	struct fx f;
	CU_ASSERT_PTR_NULL(load_one(&f, "services:\n  web:\n    image: [x\n"));
	ERR_HAS(&f, "invalid YAML");
	ERR_HAS(&f, "compose.yaml:");
	fx_done(&f, NULL);
}

static void undefined_references(void)
{
	struct fx f;
	CU_ASSERT_PTR_NULL(load_one(&f, "services:\n  web:\n    image: x\n    volumes: [d:/d]\n"));
	ERR_HAS(&f, "service \"web\" refers to undefined volume d");
	fx_done(&f, NULL);
	CU_ASSERT_PTR_NULL(
		load_one(&f, "services:\n  web:\n    image: x\n    networks: [front]\n"));
	ERR_HAS(&f, "refers to undefined network front");
	fx_done(&f, NULL);
	CU_ASSERT_PTR_NULL(load_one(&f, "services:\n  web:\n    image: x\n    depends_on: [db]\n"));
	ERR_HAS(&f, "depends on undefined service \"db\"");
	fx_done(&f, NULL);
	CU_ASSERT_PTR_NULL(load_one(&f, "services:\n  web:\n    user: x\n"));
	ERR_HAS(&f, "neither an image nor a build context");
	fx_done(&f, NULL);
}

static void dependency_cycle_is_refused(void)
{
	struct fx f;
	CU_ASSERT_PTR_NULL(load_one(&f, "services:\n  a:\n    image: x\n    depends_on: [b]\n"
					"  b:\n    image: x\n    depends_on: [a]\n"));
	ERR_HAS(&f, "dependency cycle detected");
	fx_done(&f, NULL);
}

/* ---- the syntaxes ----------------------------------------------------------------------- */

static void port_short_syntax(void)
{
	struct fx f;
	struct compose_project *p = load_one(
		&f, "services:\n  w:\n    image: a\n    ports:\n      - 80\n      - '8080:80/udp'\n"
		    "      - '127.0.0.1:9000-9001:90-91'\n      - '[::1]:53:53'\n"
		    "      - '127.0.0.1::5000'\n      - '7000-7001:7000'\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	const struct compose_ports *ps = &p->services[0].ports;
	CU_ASSERT_EQUAL_FATAL(ps->n, 7);
	CU_ASSERT_PTR_NULL(ps->v[0].published);
	CU_ASSERT_STRING_EQUAL(ps->v[1].protocol, "udp");
	CU_ASSERT_STRING_EQUAL(ps->v[3].published, "9001");
	CU_ASSERT_EQUAL(ps->v[3].target, 91);
	CU_ASSERT_STRING_EQUAL(ps->v[4].host_ip, "::1");
	CU_ASSERT_STRING_EQUAL(ps->v[5].host_ip, "127.0.0.1");
	CU_ASSERT_PTR_NULL(ps->v[5].published);
	CU_ASSERT_STRING_EQUAL(ps->v[6].published, "7000-7001");
	fx_done(&f, p);
}

static void volume_short_syntax(void)
{
	struct fx f;
	struct compose_project *p =
		load_one(&f, "services:\n  w:\n    image: a\n    volumes:\n      - ./src:/app:ro\n"
			     "      - /anon\n      - data:/data:nocopy\n      - ~/cfg:/cfg\n"
			     "      - type: tmpfs\n        target: /t\n        tmpfs: {size: 1m}\n"
			     "volumes:\n  data: {}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	const struct compose_mounts *m = &p->services[0].volumes;
	CU_ASSERT_EQUAL_FATAL(m->n, 5);
	CU_ASSERT_EQUAL(m->v[0].type, COMPOSE_MOUNT_BIND);
	CU_ASSERT_PTR_NOT_NULL(strstr(m->v[0].source, "My_Proj.1/src"));
	CU_ASSERT_EQUAL(m->v[0].source[0], '/');
	CU_ASSERT_EQUAL(m->v[0].read_only, 1);
	CU_ASSERT_EQUAL(m->v[1].type, COMPOSE_MOUNT_VOLUME);
	CU_ASSERT_PTR_NULL(m->v[1].source);
	CU_ASSERT_EQUAL(m->v[2].nocopy, 1);
	CU_ASSERT_STRING_EQUAL(m->v[3].source, "/home/u/cfg");
	CU_ASSERT_EQUAL(m->v[4].type, COMPOSE_MOUNT_TMPFS);
	CU_ASSERT_EQUAL(m->v[4].tmpfs_size, 1 << 20);
	fx_done(&f, p);
}

static void depends_on_both_forms(void)
{
	struct fx f;
	struct compose_project *p = load_one(
		&f,
		"services:\n  a:\n    image: x\n    depends_on: [b]\n"
		"  b:\n    image: x\n"
		"  c:\n    image: x\n    depends_on:\n      b: {condition: service_healthy,"
		" restart: true}\n      a:\n        condition: service_completed_successfully\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	const struct compose_service *a = compose_service_find(p, "a"),
				     *c = compose_service_find(p, "c");
	CU_ASSERT_EQUAL(a->depends_on.v[0].condition, COMPOSE_STARTED);
	CU_ASSERT_EQUAL(a->depends_on.v[0].required, 1);
	CU_ASSERT_EQUAL(c->depends_on.v[0].condition, COMPOSE_HEALTHY);
	CU_ASSERT_EQUAL(c->depends_on.v[0].restart, 1);
	CU_ASSERT_EQUAL(c->depends_on.v[1].condition, COMPOSE_COMPLETED);
	fx_done(&f, p);
}

static void command_string_is_split_like_a_shell(void)
{
	struct fx f;
	struct compose_project *p = load_one(
		&f, "services:\n  w:\n    image: a\n    command: sh -c 'echo \"hi there\"' x\\ y\n"
		    "    entrypoint: []\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	const struct compose_strv *c = &p->services[0].command;
	CU_ASSERT_EQUAL_FATAL(c->n, 4);
	CU_ASSERT_STRING_EQUAL(c->v[2], "echo \"hi there\"");
	CU_ASSERT_STRING_EQUAL(c->v[3], "x y");
	CU_ASSERT_EQUAL(p->services[0].entrypoint.n, 0); /* set, and empty */
	fx_done(&f, p);
}

static void sizes_and_networks(void)
{
	struct fx f;
	struct compose_project *p = load_one(
		&f, "services:\n  w:\n    image: a\n    mem_limit: 512m\n    shm_size: 1g\n"
		    "    networks:\n      front:\n        aliases: [www]\n      back:\n"
		    "networks:\n  front:\n  back:\n    external: true\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	const struct compose_service *s = &p->services[0];
	CU_ASSERT_EQUAL(s->mem_limit, 512LL << 20);
	CU_ASSERT_EQUAL(s->shm_size, 1LL << 30);
	CU_ASSERT_EQUAL(s->networks.n, 2);
	CU_ASSERT_STRING_EQUAL(s->networks.v[0].aliases.v[0], "www");
	CU_ASSERT_EQUAL(p->nnetworks, 2); /* no default: every service names its networks */
	CU_ASSERT_STRING_EQUAL(p->networks[0].name, "back"); /* external keeps its name */
	CU_ASSERT_STRING_EQUAL(p->networks[1].name, "my_proj1_front");
	fx_done(&f, p);
}

/* ---- the printed model ------------------------------------------------------------------ */

static void config_json_shape(void)
{
	struct fx f;
	struct compose_project *p =
		load_one(&f, "services:\n  w:\n    image: a\n    ports: ['8080:80']\n"
			     "    environment: [A]\nvolumes:\n  v:\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	json_t *j = compose_to_json(p);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "name")), "my_proj1");
	json_t *w = json_object_get(json_object_get(j, "services"), "w");
	json_t *port = json_array_get(json_object_get(w, "ports"), 0);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(port, "published")), "8080");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(port, "target")), 80);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(port, "mode")), "ingress");
	CU_ASSERT(json_is_null(json_object_get(json_object_get(w, "networks"), "default")));
	CU_ASSERT(json_is_null(json_object_get(json_object_get(w, "environment"), "A")));
	CU_ASSERT_STRING_EQUAL(
		json_string_value(json_object_get(
			json_object_get(json_object_get(j, "volumes"), "v"), "name")),
		"my_proj1_v");
	json_decref(j);
	fx_done(&f, p);
}

static void yaml_quotes_what_would_change_type(void)
{
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:[],s:{}}", "port", "8080", "flag", "true",
			      "empty", "", "colon", "a: b", "plain", "busybox:1.36", "n", 3, "list",
			      "map");
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	compose_print_yaml(out, j);
	fclose(out);
	CU_ASSERT_STRING_EQUAL(text, "port: \"8080\"\nflag: \"true\"\nempty: \"\"\n"
				     "colon: \"a: b\"\nplain: busybox:1.36\nn: 3\nlist: []\n"
				     "map: {}\n");
	free(text);
	json_decref(j);
}

static CU_TestInfo tests[] = {
	{"discovery reads compose.yaml and its override", discovery_reads_override_too},
	{"discovery climbs to a parent directory", discovery_climbs_to_parents},
	{"discovery prefers compose.yaml", discovery_prefers_compose_yaml},
	{"no compose file is an error", discovery_without_a_file_fails},
	{"COMPOSE_FILE names the files", compose_file_variable_names_the_files},
	{"merge: a later scalar wins, new services added", merge_scalars_later_wins},
	{"merge: environment by key (list and map)", merge_environment_by_key},
	{"merge: ports by ip:published:target/proto", merge_ports_by_key},
	{"merge: volumes by target", merge_volumes_by_target},
	{"merge: command is replaced", merge_command_is_replaced},
	{"merge: lists are appended once", merge_lists_append},
	{"merge: !reset takes a key away", merge_reset_takes_a_key_away},
	{"merge: !override replaces a map", merge_override_replaces_instead_of_merging},
	{"merge: top-level volumes field by field", merge_networks_and_volumes_definitions},
	{"merge: healthcheck field by field", merge_healthcheck_field_by_field},
	{"merge: an empty override file", empty_override_file_is_fine},
	{"extends in the same file", extends_in_the_same_file},
	{"extends leaves the base service alone", extends_leaves_the_base_alone},
	{"extends another file, its paths its own", extends_another_file_resolves_its_paths},
	{"extends: a cycle is an error", extends_cycle_is_an_error},
	{"extends: an unknown service is an error", extends_unknown_service_is_an_error},
	{"include adds services, refuses conflicts", include_adds_services_and_refuses_conflicts},
	{"name: the directory's, normalized", name_from_the_directory_is_normalized},
	{"name: -p over COMPOSE_PROJECT_NAME over name:", name_precedence},
	{"name: COMPOSE_PROJECT_NAME from .env", name_from_env_file},
	{"name: a given name must be normal", given_names_must_be_normal},
	{"name: normalization table", normalize_table},
	{"profiles leave services out", profiles_leave_services_out},
	{"--profile enables its services", profile_flag_enables},
	{"COMPOSE_PROFILES and *", compose_profiles_variable_and_star},
	{"a named service enables its profile and deps",
	 named_service_enables_itself_and_its_dependencies},
	{"a dependency left out by profiles is refused", disabled_dependency_is_refused},
	{".env feeds interpolation, the shell wins", dotenv_feeds_interpolation_and_shell_wins},
	{"--env-file replaces .env", env_file_flag_replaces_dotenv},
	{"a missing required variable names file:line",
	 missing_required_variable_names_file_and_line},
	{"interpolated values are typed after", interpolated_values_are_typed_after},
	{"env_file under environment; missing unless required: false", env_file_under_environment},
	{"schema: unknown service key with file:line", unknown_service_key},
	{"schema: unknown top-level and nested keys", unknown_top_level_and_nested_keys},
	{"schema: wrong types name the key path", wrong_types},
	{"schema: restart and pull_policy values", restart_values},
	{"resource, OOM, blkio and dns_opt keys typed", resource_keys},
	{"merge: blkio_config device lists by path", merge_blkio_by_path},
	{"schema: x- keys and anchors", extension_keys_are_ignored},
	{"schema: an unknown tag", unknown_tag_is_an_error},
	{"schema: invalid YAML names line and column", invalid_yaml_names_line_and_column},
	{"undefined volume, network, dependency, image", undefined_references},
	{"a depends_on cycle is refused", dependency_cycle_is_refused},
	{"ports: the short syntax", port_short_syntax},
	{"volumes: short and long syntax", volume_short_syntax},
	{"depends_on: list and map", depends_on_both_forms},
	{"command: a string split like a shell", command_string_is_split_like_a_shell},
	{"sizes, service networks, external names", sizes_and_networks},
	{"config JSON: docker compose v2's shape", config_json_shape},
	{"config YAML: quotes what would change type", yaml_quotes_what_would_change_type},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("compose load", tests)

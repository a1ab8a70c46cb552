/*
 * tests/unit/test_image_auth.c - registry credentials: base64, docker's config.json as
 * login writes it and pull reads it, and the WWW-Authenticate parser (minirun/image/auth.c).
 *
 * Run with `make test-unit`. The config files go to a throwaway dir under /tmp; DOCKER_CONFIG,
 * REGISTRY_AUTH_FILE and XDG_RUNTIME_DIR are pointed there and restored.
 */
#include "minirun/image/auth.h"
#include "tests/unit/unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "lib/file.h"

static void base64_round_trips_rfc4648_vectors(void)
{
	/* RFC 4648 section 10 */
	static const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	static const char *enc[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
	char out[64], back[64];
	for (size_t i = 0; i < 7; i++) {
		CU_ASSERT_EQUAL(auth_b64_encode(plain[i], strlen(plain[i]), out, sizeof(out)), 0);
		CU_ASSERT_STRING_EQUAL(out, enc[i]);
		CU_ASSERT_EQUAL(auth_b64_decode(enc[i], back, sizeof(back)), (int)strlen(plain[i]));
		CU_ASSERT_STRING_EQUAL(back, plain[i]);
	}
	CU_ASSERT_EQUAL(auth_b64_encode("user:pass", 9, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "dXNlcjpwYXNz");
	/* too small an output is refused, not overrun */
	CU_ASSERT_EQUAL(auth_b64_encode("foobar", 6, out, 8), -1);
	CU_ASSERT_EQUAL(auth_b64_decode("Zm9vYmFy", back, 6), -1);
}

static void base64_refuses_what_is_not_base64(void)
{
	char out[64];
	CU_ASSERT_EQUAL(auth_b64_decode("Zm9", out, sizeof(out)), -1);      /* length not 4k */
	CU_ASSERT_EQUAL(auth_b64_decode("Zm9v!A==", out, sizeof(out)), -1); /* '!' */
	CU_ASSERT_EQUAL(auth_b64_decode("Z=9v", out, sizeof(out)), -1);     /* '=' inside */
	CU_ASSERT_EQUAL(auth_b64_decode("Zg=A", out, sizeof(out)), -1);     /* '=' then data */
	CU_ASSERT_EQUAL(auth_b64_decode("Zm9v\nYmFy", out, sizeof(out)), -1);
}

static void auth_keys_name_their_registry(void)
{
	CU_ASSERT_TRUE(auth_key_matches("127.0.0.1:5000", "127.0.0.1:5000"));
	CU_ASSERT_TRUE(auth_key_matches("https://127.0.0.1:5000/v2/", "127.0.0.1:5000"));
	CU_ASSERT_FALSE(auth_key_matches("127.0.0.1:5000", "127.0.0.1:5001"));
	CU_ASSERT_FALSE(auth_key_matches("127.0.0.1", "127.0.0.1:5000"));
	/* Docker Hub by any of its names */
	CU_ASSERT_TRUE(auth_key_matches("https://index.docker.io/v1/", "registry-1.docker.io"));
	CU_ASSERT_TRUE(auth_key_matches("docker.io", "index.docker.io"));
	CU_ASSERT_STRING_EQUAL(auth_key_for("docker.io"), "https://index.docker.io/v1/");
	CU_ASSERT_STRING_EQUAL(auth_key_for("127.0.0.1:5000"), "127.0.0.1:5000");
}

/* a config dir of its own: DOCKER_CONFIG there, the other auth files out of the way */
static char dir[64];
static void env_setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/mr-unit-auth.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	setenv("DOCKER_CONFIG", dir, 1);
	unsetenv("REGISTRY_AUTH_FILE");
	unsetenv("XDG_RUNTIME_DIR");
}
/* write TEXT as the file PATH (created: mr_write_file is for files that exist, /proc's) */
static int put(const char *path, const char *text)
{
	return mr_write_file_atomic(path, text, strlen(text), 0644, NULL);
}
static void env_teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
	unsetenv("DOCKER_CONFIG");
}

static void save_writes_dockers_shape_0600_and_keeps_other_keys(void)
{
	char path[128], cred[256];
	struct stat st;
	json_t *cfg;
	env_setup();
	CU_ASSERT_EQUAL(auth_config_path(path, sizeof(path), NULL), 0);
	CU_ASSERT_TRUE(strncmp(path, dir, strlen(dir)) == 0 &&
		       !strcmp(path + strlen(dir), "/config.json"));
	CU_ASSERT_EQUAL(put(path, "{\"proxies\":{\"default\":{}},\"auths\":{\"a:1\":"
				  "{\"auth\":\"eDp5\"},\"https://b:2/v1/\":{\"auth\":"
				  "\"b2xkOm9sZA==\"}}}"),
			0);
	CU_ASSERT_EQUAL(auth_find("b:2", cred, sizeof(cred)), 1);
	CU_ASSERT_STRING_EQUAL(cred, "old:old");
	CU_ASSERT_EQUAL(auth_save(path, "b:2", "user", "pa:ss", NULL), 0);
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
	cfg = json_load_file(path, 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	json_t *auths = json_object_get(cfg, "auths");
	CU_ASSERT_PTR_NOT_NULL(json_object_get(cfg, "proxies"));
	CU_ASSERT_STRING_EQUAL(
		json_string_value(json_object_get(json_object_get(auths, "a:1"), "auth")), "eDp5");
	/* one entry per registry: the old name of b:2 went */
	CU_ASSERT_PTR_NULL(json_object_get(auths, "https://b:2/v1/"));
	CU_ASSERT_STRING_EQUAL(
		json_string_value(json_object_get(json_object_get(auths, "b:2"), "auth")),
		"dXNlcjpwYTpzcw==");
	json_decref(cfg);
	/* the password may hold ':'; only the first splits */
	CU_ASSERT_EQUAL(auth_find("b:2", cred, sizeof(cred)), 1);
	CU_ASSERT_STRING_EQUAL(cred, "user:pa:ss");
	CU_ASSERT_EQUAL(auth_find("c:3", cred, sizeof(cred)), 0);
	CU_ASSERT_STRING_EQUAL(cred, "");
	env_teardown();
}

static void save_makes_the_dir_and_remove_says_what_it_did(void)
{
	char path[160], cred[256];
	struct stat st;
	env_setup();
	snprintf(path, sizeof(path), "%s/new/config.json", dir);
	CU_ASSERT_EQUAL(auth_save(path, "h:1", "u", "p", NULL), 0);
	snprintf(cred, sizeof(cred), "%s/new", dir);
	CU_ASSERT_EQUAL(stat(cred, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0700);
	CU_ASSERT_EQUAL(auth_remove(path, "h:1", NULL), 1);
	CU_ASSERT_EQUAL(auth_remove(path, "h:1", NULL), 0);
	snprintf(cred, sizeof(cred), "%s/none.json", dir);
	CU_ASSERT_EQUAL(auth_remove(cred, "h:1", NULL), 0);
	env_teardown();
}

static void a_broken_config_is_refused_not_overwritten(void)
{
	char path[128], *text = NULL;
	struct mr_err err = {0};
	env_setup();
	snprintf(path, sizeof(path), "%s/config.json", dir);
	CU_ASSERT_EQUAL(put(path, "{\"auths\": "), 0);
	CU_ASSERT_EQUAL(auth_save(path, "h:1", "u", "p", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "config.json:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "fix or remove the file"));
	CU_ASSERT_EQUAL(mr_read_file(path, &text, NULL, NULL), 0);
	CU_ASSERT_STRING_EQUAL(text, "{\"auths\": ");
	free(text);
	CU_ASSERT_EQUAL(put(path, "[]"), 0);
	CU_ASSERT_EQUAL(auth_save(path, "h:1", "u", "p", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not a JSON object"));
	env_teardown();
}

static void username_and_password_fields_are_read_too(void)
{
	char path[128], cred[256];
	env_setup();
	snprintf(path, sizeof(path), "%s/config.json", dir);
	/* podman's auth.json may carry these; a broken "auth" falls back to them */
	CU_ASSERT_EQUAL(put(path, "{\"auths\":{\"h:1\":{\"auth\":\"!!\",\"username\":\"u\","
				  "\"password\":\"p\"}}}"),
			0);
	CU_ASSERT_EQUAL(auth_find("h:1", cred, sizeof(cred)), 1);
	CU_ASSERT_STRING_EQUAL(cred, "u:p");
	env_teardown();
}

static void challenges_parse_as_registries_send_them(void)
{
	struct auth_challenge c;
	auth_challenge_parse(
		"Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
		"scope=\"repository:library/busybox:pull\"",
		&c);
	CU_ASSERT_STRING_EQUAL(c.scheme, "Bearer");
	CU_ASSERT_STRING_EQUAL(c.realm, "https://auth.docker.io/token");
	CU_ASSERT_STRING_EQUAL(c.service, "registry.docker.io");
	CU_ASSERT_STRING_EQUAL(c.scope, "repository:library/busybox:pull");
	/* a scope with a comma inside its quotes; names in any case; spaces after commas */
	auth_challenge_parse(
		"Bearer Realm=\"http://127.0.0.1/t\", scope=\"repository:a:pull,push\"", &c);
	CU_ASSERT_STRING_EQUAL(c.realm, "http://127.0.0.1/t");
	CU_ASSERT_STRING_EQUAL(c.scope, "repository:a:pull,push");
	CU_ASSERT_STRING_EQUAL(c.service, "");
	auth_challenge_parse("Basic realm=\"basic-realm\"", &c);
	CU_ASSERT_STRING_EQUAL(c.scheme, "Basic");
	CU_ASSERT_STRING_EQUAL(c.realm, "basic-realm");
	/* bare tokens and an escaped quote */
	auth_challenge_parse("Bearer realm=r1,service=\"a\\\"b\"", &c);
	CU_ASSERT_STRING_EQUAL(c.realm, "r1");
	CU_ASSERT_STRING_EQUAL(c.service, "a\"b");
	/* "xrealm" is not "realm" */
	auth_challenge_parse("Bearer xrealm=\"no\",realm=\"yes\"", &c);
	CU_ASSERT_STRING_EQUAL(c.realm, "yes");
	auth_challenge_parse("", &c);
	CU_ASSERT_STRING_EQUAL(c.scheme, "");
	auth_challenge_parse("Bearer realm=\"unterminated", &c);
	CU_ASSERT_STRING_EQUAL(c.realm, "unterminated");
}

static CU_TestInfo tests[] = {
	{"base64 round-trips RFC 4648's vectors", base64_round_trips_rfc4648_vectors},
	{"base64 refuses what is not base64", base64_refuses_what_is_not_base64},
	{"auths keys name their registry (Docker Hub by any name)", auth_keys_name_their_registry},
	{"login's file: docker's shape, 0600, other keys kept",
	 save_writes_dockers_shape_0600_and_keeps_other_keys},
	{"the config dir is made 0700; logout says whether it removed",
	 save_makes_the_dir_and_remove_says_what_it_did},
	{"a broken config.json is refused, not overwritten",
	 a_broken_config_is_refused_not_overwritten},
	{"username/password fields are read too", username_and_password_fields_are_read_too},
	{"WWW-Authenticate challenges parse as registries send them",
	 challenges_parse_as_registries_send_them},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("image auth", tests)

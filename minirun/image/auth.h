/*
 * minirun/image/auth.h - registry credentials in docker's config.json, and the registry's
 * WWW-Authenticate challenge (auth.c). Used by registry.c, login.c and the unit tests.
 *
 * The file is docker's, shared with skopeo and podman:
 *
 *   {"auths": {"127.0.0.1:5000": {"auth": "dXNlcjpwYXNz"}}}      base64("user:pass")
 *
 * in $DOCKER_CONFIG/config.json, else ~/.docker/config.json, mode 0600.
 *
 * See: auth.c; docker-login(1) "Credential stores"; containers-auth.json(5)
 */
#ifndef MR_IMAGE_AUTH_H
#define MR_IMAGE_AUTH_H

#include <stddef.h>

#include "lib/err.h"

/* auth_b64_encode - IN (N bytes) as standard base64 with padding into OUT (LEN bytes, at
 * least 4*((N+2)/3)+1); -1 if OUT is too small */
int auth_b64_encode(const void *in, size_t n, char *out, size_t len);
/* auth_b64_decode - standard base64 IN into OUT (LEN bytes), NUL-terminated; the decoded
 * length, or -1 for a character outside the alphabet, a bad length, or OUT too small */
int auth_b64_decode(const char *in, char *out, size_t len);

/* auth_key_matches - 1 if an "auths" KEY ("127.0.0.1:5000", "https://index.docker.io/v1/")
 * names registry HOST ("127.0.0.1:5000", "registry-1.docker.io") */
int auth_key_matches(const char *key, const char *host);
/* auth_key_for - the key docker writes for HOST: Docker Hub's is "https://index.docker.io/v1/",
 * any other is the host itself */
const char *auth_key_for(const char *host);

/* auth_config_path - docker's config file: $DOCKER_CONFIG/config.json, else
 * $HOME/.docker/config.json; -1 with err when neither variable is set */
int auth_config_path(char *buf, size_t len, struct mr_err *err);
/* auth_find - "user:password" for HOST from the first file that has it (REGISTRY_AUTH_FILE,
 * docker's config.json, podman's $XDG_RUNTIME_DIR/containers/auth.json) into OUT; 1 if
 * found, 0 if not (OUT is then "") */
int auth_find(const char *host, char *out, size_t len);
/* auth_save - set KEY's "auth" to base64(USER:PASS) in the config file PATH, keeping every
 * other key and entry; the directory is made (0700) if missing, the file replaced
 * atomically with mode 0600. -1 with err when the file is not a JSON object. */
int auth_save(const char *path, const char *key, const char *user, const char *pass,
	      struct mr_err *err);
/* auth_remove - drop every "auths" entry naming HOST from PATH (atomically, as auth_save);
 * 1 if one was there, 0 if none, -1 with err */
int auth_remove(const char *path, const char *host, struct mr_err *err);

/* a WWW-Authenticate challenge: Bearer realm="R",service="S",scope="X" or Basic realm="R" */
struct auth_challenge {
	char scheme[16]; /* "Bearer", "Basic"; "" when the header is empty or unparsable */
	char realm[1024], service[256], scope[512];
};
/* auth_challenge_parse - split HEADER (the value, without "WWW-Authenticate:") into C;
 * parameter names are case-insensitive, values quoted or bare (RFC 7235 auth-param) */
void auth_challenge_parse(const char *header, struct auth_challenge *c);

#endif

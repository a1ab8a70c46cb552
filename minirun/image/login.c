/*
 * minirun/image/login.c - `minirun login` and `minirun logout`: credentials for a registry.
 *
 *   minirun login [-u USER] [-p PASS | --password-stdin] [--tls-verify=false] [REGISTRY]
 *   minirun logout [REGISTRY]
 *
 * login asks the registry before it saves anything, as docker does:
 *
 *   GET /v2/                          -> 200: no auth at all, the login "succeeds"
 *                                     -> 401 WWW-Authenticate: Basic ...
 *   GET /v2/  Authorization: Basic base64(user:pass)   -> 200, or 401: wrong password
 *                                     -> 401 WWW-Authenticate: Bearer realm=R,service=S
 *   GET R?service=S  Authorization: Basic ...          -> {"token": ...}, or 401
 *
 * then writes docker's config.json (auth.c), which pull and push read, and skopeo, podman
 * and docker too. REGISTRY defaults to Docker Hub, as docker's does.
 *
 *   $ echo pass | minirun login -u user --password-stdin 127.0.0.1:5000
 *   Login Succeeded
 *   $ minirun logout 127.0.0.1:5000
 *   Removing login credentials for 127.0.0.1:5000
 *
 * See: docker-login(1), docker-logout(1), auth.c, registry.c
 */
#include "lib/cli.h"
#include "minirun/image/registry.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "minirun/image/auth.h"

static void login_usage(void)
{
	printf("Usage:  minirun login [OPTIONS] [SERVER]\n\n"
	       "Log in to a registry (default: Docker Hub)\n\n"
	       "Options:\n"
	       "  -p, --password string   Password\n"
	       "      --password-stdin    Take the password from stdin\n"
	       "      --tls-verify bool   false: plain http and unverified TLS are fine (the\n"
	       "                          default for 127.0.0.0/8); true: verify even there\n"
	       "  -u, --username string   Username\n\n"
	       "The credentials go to $DOCKER_CONFIG/config.json (else ~/.docker/config.json).\n");
}

/* read a line from the terminal into BUF, echoing it or not; -1 at EOF */
static int prompt(const char *what, int echo, char *buf, size_t len)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO);
	fprintf(stderr, "%s: ", what);
	fflush(stderr);
	if (!echo && tty && tcgetattr(STDIN_FILENO, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
	}
	char *got = fgets(buf, (int)len, stdin);
	if (!echo && tty) {
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
		fputc('\n', stderr);
	}
	if (!got)
		return -1;
	buf[strcspn(buf, "\r\n")] = 0;
	return 0;
}

/* the registry's answer to USER:PASS; 0 if accepted, -1 with docker's words in err */
static int verify(const char *host, int insecure, const char *user, const char *pass,
		  struct mr_err *err)
{
	struct registry r;
	struct reg_resp resp = {.max = 1 << 20};
	if (registry_open_host(&r, host, insecure, err) < 0)
		return -1;
	/* these credentials, not the ones saved: they are what is being checked */
	snprintf(r.basic, sizeof(r.basic), "%s:%s", user, pass);
	int rc = registry_get(&r, "/v2/", "application/json", &resp, err);
	if (rc == 0 && resp.status != 200) {
		/* docker's words, with Go's status text */
		rc = mr_fail(err, 0, "login attempt to %s/v2/ failed with status: %ld %s", r.base,
			     resp.status,
			     resp.status == 401   ? "Unauthorized"
			     : resp.status == 403 ? "Forbidden"
						  : "");
	}
	free(resp.body);
	registry_close(&r);
	return rc;
}

int cmd_login(int argc, char **argv)
{
	static const struct option opts[] = {
		{"username", required_argument, NULL, 'u'},
		{"password", required_argument, NULL, 'p'},
		{"password-stdin", no_argument, NULL, 'S'},
		{"tls-verify", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	char user[256] = "", pass[512] = "", path[4200];
	int from_stdin = 0, insecure = 0, have_pass = 0, c;
	optind = 0;
	opterr = 0; /* mr_flag_error says it, in docker's words */
	while ((c = getopt_long(argc, argv, ":u:p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'u': snprintf(user, sizeof(user), "%s", optarg); break;
		case 'p':
			snprintf(pass, sizeof(pass), "%s", optarg);
			have_pass = 1;
			break;
		case 'S': from_stdin = 1; break;
		case 't': insecure = !strcmp(optarg, "false") ? 1 : -1; break;
		case 'h': login_usage(); return 0;
		default: return mr_flag_error(c, "login", argv);
		}
	}
	if (argc - optind > 1)
		return mr_operand_error("login", "\"login\" requires at most 1 argument.");
	if (have_pass && from_stdin)
		return image_usage_error("login", "--password and --password-stdin are mutually "
						  "exclusive");
	if (from_stdin && !user[0])
		return image_usage_error("login", "Must provide --username with --password-stdin");
	/* the host as docker keys it: "https://index.docker.io/v1/" -> index.docker.io */
	char host[256];
	const char *server = optind < argc ? argv[optind] : "docker.io";
	if (!strncmp(server, "https://", 8))
		server += 8;
	else if (!strncmp(server, "http://", 7))
		server += 7;
	snprintf(host, sizeof(host), "%.*s", (int)strcspn(server, "/"), server);
	if (!host[0])
		return image_usage_error("login", "invalid registry '%s'", argv[optind]);
	const char *talk = !strcmp(auth_key_for(host), host) ? host : "registry-1.docker.io";

	if (have_pass)
		fprintf(stderr, "WARNING! Using --password via the CLI is insecure. Use "
				"--password-stdin.\n");
	if (from_stdin) {
		size_t n = fread(pass, 1, sizeof(pass) - 1, stdin);
		pass[n] = 0;
		/* the one trailing newline `echo` adds is not part of the password */
		while (n && (pass[n - 1] == '\n' || pass[n - 1] == '\r'))
			pass[--n] = 0;
	}
	if ((!user[0] || (!have_pass && !from_stdin)) && !isatty(STDIN_FILENO))
		return image_errorf("Cannot perform an interactive login from a non TTY device");
	if (!user[0] && prompt("Username", 1, user, sizeof(user)) < 0)
		return image_errorf("login: no username given");
	if (!have_pass && !from_stdin && prompt("Password", 0, pass, sizeof(pass)) < 0)
		return image_errorf("login: no password given");
	if (!user[0] || strchr(user, ':'))
		return image_errorf("login: the username '%s' is empty or has a ':'", user);
	if (!pass[0])
		return image_errorf("login: the password is empty");

	struct mr_err err = {0};
	if (registry_curl_load(&err) < 0)
		return image_error(&err);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (verify(talk, insecure, user, pass, &err) < 0 ||
	    auth_config_path(path, sizeof(path), &err) < 0 ||
	    auth_save(path, auth_key_for(host), user, pass, &err) < 0)
		return image_error(&err);
	fprintf(stderr, "WARNING! Your password will be stored unencrypted in %s.\n", path);
	printf("Login Succeeded\n");
	return 0;
}

int cmd_logout(int argc, char **argv)
{
	char path[4200], host[256];
	struct mr_err err = {0};
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("Usage:  minirun logout [SERVER]\n\n"
		       "Log out from a registry (default: Docker Hub): its entry leaves\n"
		       "$DOCKER_CONFIG/config.json (else ~/.docker/config.json)\n");
		return 0;
	}
	if (argc >= 2 && argv[1][0] == '-' && argv[1][1]) {
		/* logout has no flag but --help */
		fprintf(stderr, "minirun: unknown flag: %.*s\nSee 'minirun logout --help'.\n",
			(int)strcspn(argv[1], "="), argv[1]);
		return MR_EXIT_RUNTIME;
	}
	if (argc > 2)
		return mr_operand_error("logout", "\"logout\" requires at most 1 argument.");
	const char *server = argc == 2 ? argv[1] : "docker.io";
	if (!strncmp(server, "https://", 8))
		server += 8;
	else if (!strncmp(server, "http://", 7))
		server += 7;
	snprintf(host, sizeof(host), "%.*s", (int)strcspn(server, "/"), server);
	const char *shown = argc == 2 ? host : auth_key_for(host);
	if (auth_config_path(path, sizeof(path), &err) < 0)
		return image_error(&err);
	int rc = auth_remove(path, host, &err);
	if (rc < 0)
		return image_error(&err);
	if (rc == 0)
		printf("Not logged in to %s\n", shown);
	else
		printf("Removing login credentials for %s\n", shown);
	return 0;
}

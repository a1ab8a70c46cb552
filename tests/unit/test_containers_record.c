/*
 * tests/unit/test_containers_record.c - struct container_record <-> container.json
 * (minirun/containers/record_json.c): records written by the previous minirun load into the
 * typed fields and are written back byte for byte; a change goes in place, keys keep their
 * order; a new record's Minirun keys; the states and their words.
 *
 * The records are the .json files of tests/integration/containers/oldrecord/, written by minirun before
 * the record was typed (their paths and image ID replaced by @ROOT@, @IMAGE@, @LAYER@);
 * tests/integration/containers/oldrecord.t runs ps, inspect, start and rm on them.
 */
#include "lib/file.h"
#include "minirun/containers/containers.h"
#include "minirun/containers/net_rootless.h"
#include "tests/unit/unit.h"

#include <stdlib.h>
#include <string.h>

#define FIXTURES "tests/integration/containers/oldrecord/"

/* the fixture NAME's text (trailing newline dropped) and tree */
static char *fixture(const char *name, json_t **tree)
{
	char path[256];
	char *text = NULL;
	snprintf(path, sizeof(path), FIXTURES "%s.json", name);
	if (mr_read_file(path, &text, NULL, NULL) < 0) {
		CU_FAIL_FATAL("fixture missing (run the unit tests from the top of the tree)");
		return NULL;
	}
	text[strcspn(text, "\n")] = 0;
	*tree = json_loads(text, 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*tree);
	return text;
}

static void old_records_load_and_are_written_back_unchanged(void)
{
	const char *names[] = {"old-web", "old-created", "old-exited", "old-secure"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		json_t *tree;
		struct container_record r = {0};
		char *text = fixture(names[i], &tree);
		CU_ASSERT_EQUAL(container_record_from_json(tree, &r, NULL), 0);
		container_record_to_json(&r, tree);
		char *again = json_dumps(tree, JSON_COMPACT);
		CU_ASSERT_STRING_EQUAL(again, text);
		free(again);
		free(text);
		container_record_free(&r);
		json_decref(tree);
	}
}

static void old_record_fields_are_typed(void)
{
	json_t *tree;
	struct container_record r = {0};
	char *text = fixture("old-web", &tree);
	CU_ASSERT_EQUAL_FATAL(container_record_from_json(tree, &r, NULL), 0);
	CU_ASSERT_STRING_EQUAL(r.name, "/old-web");
	CU_ASSERT_EQUAL(strlen(r.id), CONTAINER_ID_LEN);
	CU_ASSERT_STRING_EQUAL(r.path, "sleep");
	CU_ASSERT_STRING_EQUAL(r.args[0], "600");
	CU_ASSERT_PTR_NULL(r.args[1]);
	CU_ASSERT_STRING_EQUAL(r.image, "sha256:@IMAGE@");
	/* the files of a start, in the container's directory */
	CU_ASSERT_PTR_NOT_NULL(strstr(r.resolv_conf_path, "/resolv.conf"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.hostname_path, "/hostname"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.hosts_path, "/hosts"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.log_path, "/ctr.log"));
	CU_ASSERT_EQUAL(strncmp(r.log_path, "@ROOT@/containers/", 18), 0);
	CU_ASSERT_EQUAL(r.restart_count, 0);
	CU_ASSERT_TRUE(r.state.present);
	CU_ASSERT_EQUAL(r.state.status, CONTAINER_EXITED);
	CU_ASSERT_EQUAL(r.state.exit_code, 137);
	CU_ASSERT_EQUAL(r.state.pid, 0);
	CU_ASSERT_EQUAL(r.state.health, CONTAINER_HEALTH_UNHEALTHY);
	CU_ASSERT_EQUAL(r.host.restart, RESTART_ON_FAILURE);
	CU_ASSERT_EQUAL(r.host.restart_max, 3);
	CU_ASSERT_STRING_EQUAL(r.host.network_mode, "bridge");
	CU_ASSERT_FALSE(r.host.auto_remove);
	CU_ASSERT_STRING_EQUAL(r.config.image, "busybox");
	CU_ASSERT_STRING_EQUAL(r.config.working_dir, "/srv");
	CU_ASSERT_STRING_EQUAL(r.config.stop_signal, "SIGINT");
	CU_ASSERT_EQUAL(r.config.stop_timeout, 3);
	CU_ASSERT_EQUAL(r.config.nlabels, 2);
	CU_ASSERT_STRING_EQUAL(container_label(&r, "k"), "v w");
	CU_ASSERT_STRING_EQUAL(container_label(&r, "tier"), "web");
	CU_ASSERT_PTR_NULL(container_label(&r, "nope"));
	CU_ASSERT_STRING_EQUAL(r.config.env[1], "FOO=bar"); /* Env, Cmd: arrays; Entrypoint null */
	CU_ASSERT_PTR_NULL(r.config.env[2]);
	CU_ASSERT_STRING_EQUAL(r.config.cmd[0], "sleep");
	CU_ASSERT_STRING_EQUAL(r.config.cmd[1], "600");
	CU_ASSERT_PTR_NULL(r.config.entrypoint);
	CU_ASSERT_PTR_NULL(r.config.shell); /* no key */
	CU_ASSERT_TRUE(r.config.healthcheck.present);
	CU_ASSERT_STRING_EQUAL(r.config.healthcheck.test[0], "CMD-SHELL");
	CU_ASSERT_STRING_EQUAL(r.config.healthcheck.test[1], "true");
	CU_ASSERT_EQUAL(r.config.healthcheck.interval, 1000000000);
	CU_ASSERT_EQUAL(r.config.healthcheck.retries, 0); /* none: docker's default */
	CU_ASSERT_FALSE(r.config.attach_stdout);
	CU_ASSERT_STRING_EQUAL(r.config.domainname, "");
	CU_ASSERT_TRUE(r.mr.stop_requested);
	CU_ASSERT_EQUAL(r.mr.monitor_pid, 53);
	CU_ASSERT_STRING_EQUAL(r.mr.image_ref, "busybox");
	CU_ASSERT_PTR_NOT_NULL(strstr(r.mr.lower_dirs[0], "/layers/sha256/@LAYER@"));
	CU_ASSERT_STRING_EQUAL(r.lower_dir, "@ROOT@/layers/sha256/@LAYER@"); /* GraphDriver's */
	CU_ASSERT_PTR_NOT_NULL(strstr(r.upper_dir, "/diff"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.work_dir, "/work"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.merged_dir, "/merged"));
	CU_ASSERT_EQUAL_FATAL(r.nmounts, 1);
	CU_ASSERT_STRING_EQUAL(r.mounts[0].type, "volume");
	CU_ASSERT_STRING_EQUAL(r.mounts[0].name, "oldvol");
	CU_ASSERT_STRING_EQUAL(r.mounts[0].destination, "/data");
	CU_ASSERT_STRING_EQUAL(r.mounts[0].driver, "local");
	CU_ASSERT_STRING_EQUAL(r.mounts[0].mode, "z");
	CU_ASSERT_TRUE(r.mounts[0].rw);
	/* the networks, as loaded: the default bridge and one connected with an alias */
	CU_ASSERT_TRUE(r.net.present);
	CU_ASSERT_EQUAL_FATAL(r.nnetworks, 2);
	CU_ASSERT_STRING_EQUAL(r.networks[0].name, "bridge");
	CU_ASSERT_PTR_NULL(r.networks[0].aliases);
	const struct container_network *n = container_record_network(&r, "oldnet");
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	CU_ASSERT_EQUAL(strlen(n->network_id), 64);
	CU_ASSERT_STRING_EQUAL(n->ip_address, "");
	CU_ASSERT_STRING_EQUAL(n->aliases[0], "aka");
	CU_ASSERT_PTR_NULL(n->aliases[1]);
	free(text);
	container_record_free(&r);
	json_decref(tree);

	text = fixture("old-created", &tree);
	CU_ASSERT_EQUAL_FATAL(container_record_from_json(tree, &r, NULL), 0);
	CU_ASSERT_EQUAL(r.state.status, CONTAINER_CREATED);
	CU_ASSERT_EQUAL(r.state.health, CONTAINER_HEALTH_NONE);
	CU_ASSERT_TRUE(r.config.tty);
	CU_ASSERT_TRUE(r.config.open_stdin);
	CU_ASSERT_TRUE(r.config.attach_stdin);
	CU_ASSERT_TRUE(r.config.stdin_once);
	CU_ASSERT_STRING_EQUAL(r.config.cmd[0], "sh");
	CU_ASSERT_FALSE(r.config.healthcheck.present);
	CU_ASSERT_EQUAL(r.config.stop_timeout, -1);
	CU_ASSERT_PTR_NULL(r.config.stop_signal);
	CU_ASSERT_STRING_EQUAL(r.host.network_mode, "none");
	CU_ASSERT_EQUAL(r.host.restart, RESTART_NO);
	CU_ASSERT_TRUE(r.has_mounts);
	CU_ASSERT_EQUAL(r.nmounts, 0);
	CU_ASSERT_FALSE(r.mr.no_new_privileges);
	CU_ASSERT_PTR_NULL(r.mr.seccomp); /* no key: docker's default profile */
	CU_ASSERT_PTR_NULL(r.mr.platform);
	CU_ASSERT_FALSE(r.mr.pull_never);
	free(text);
	container_record_free(&r);
	json_decref(tree);

	/* Minirun's keys for the bundle and create's flags */
	text = fixture("old-secure", &tree);
	CU_ASSERT_EQUAL_FATAL(container_record_from_json(tree, &r, NULL), 0);
	CU_ASSERT_TRUE(r.mr.no_new_privileges);
	/* a profile: noted, left in the tree as it is (the first test: byte for byte) */
	CU_ASSERT_PTR_NULL(r.mr.seccomp);
	CU_ASSERT_TRUE(r.mr.has_seccomp_profile);
	char *profile = json_dumps(json_object_get(json_object_get(tree, "Minirun"), "Seccomp"),
				   JSON_COMPACT);
	CU_ASSERT_STRING_EQUAL(profile,
			       "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
			       "[\"chmod\",\"fchmodat\"],\"action\":\"SCMP_ACT_ERRNO\"}]}");
	free(profile);
	CU_ASSERT_STRING_EQUAL(r.mr.platform, "linux/amd64");
	CU_ASSERT_TRUE(r.mr.pull_never);
	free(text);
	container_record_free(&r);
	json_decref(tree);
}

/* the keys of OBJ, joined by ',' */
static void keys_of(json_t *obj, char *buf, size_t len)
{
	const char *k;
	json_t *v;
	size_t used = 0;
	buf[0] = 0;
	json_object_foreach(obj, k, v)
	{
		used += (size_t)snprintf(buf + used, len - used, "%s,", k);
	}
}

static void a_change_is_written_in_place(void)
{
	json_t *tree;
	struct container_record r = {0};
	char before[1024], after[1024];
	char *text = fixture("old-exited", &tree);
	CU_ASSERT_EQUAL_FATAL(container_record_from_json(tree, &r, NULL), 0);
	keys_of(json_object_get(tree, "State"), before, sizeof(before));
	container_record_set_state(&r, CONTAINER_PAUSED);
	r.state.pid = 4242;
	r.restart_count = 2;
	r.mr.stop_requested = true;
	container_record_to_json(&r, tree);
	json_t *st = json_object_get(tree, "State");
	keys_of(st, after, sizeof(after));
	CU_ASSERT_STRING_EQUAL(after, before);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(st, "Status")), "paused");
	CU_ASSERT_TRUE(json_is_true(json_object_get(st, "Running")));
	CU_ASSERT_TRUE(json_is_true(json_object_get(st, "Paused")));
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(st, "Pid")), 4242);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(tree, "RestartCount")), 2);
	CU_ASSERT_TRUE(
		json_is_true(json_object_get(json_object_get(tree, "Minirun"), "StopRequested")));
	/* StopRequested goes away again when lifted */
	r.mr.stop_requested = false;
	container_record_to_json(&r, tree);
	CU_ASSERT_PTR_NULL(json_object_get(json_object_get(tree, "Minirun"), "StopRequested"));
	free(text);
	container_record_free(&r);
	json_decref(tree);
}

/* a new record's Minirun: old-secure's keys in its order; Seccomp "unconfined" or the
 * profile's object; a Seccomp another string (a hand edit) read as none and left as it is */
static void minirun_keys_are_typed_in_the_old_order(void)
{
	struct container_record r = {0};
	char keys[1024];
	container_record_set_str(&r.mr.detach_keys, "ctrl-p,ctrl-q");
	container_record_set_str(&r.mr.step, "");
	container_record_set_str(&r.mr.image_ref, "busybox");
	container_record_set_str(&r.mr.seccomp, "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}");
	container_record_set_str(&r.mr.platform, "linux/amd64");
	json_t *rec = container_record_json_new(&r);
	json_t *mr = json_object_get(rec, "Minirun");
	keys_of(mr, keys, sizeof(keys));
	CU_ASSERT_STRING_EQUAL(
		keys, "DetachKeys,Step,NoNewPrivileges,ImageRef,Seccomp,Platform,PullNever,");
	CU_ASSERT_TRUE(json_is_false(json_object_get(mr, "NoNewPrivileges")));
	CU_ASSERT_STRING_EQUAL(
		json_string_value(json_object_get(json_object_get(mr, "Seccomp"), "defaultAction")),
		"SCMP_ACT_ALLOW");
	/* read back: a profile is noted, not made text, and its object stays as it is */
	json_t *profile = json_object_get(mr, "Seccomp");
	CU_ASSERT_EQUAL(container_record_from_json(rec, &r, NULL), 0);
	CU_ASSERT_PTR_NULL(r.mr.seccomp);
	CU_ASSERT_TRUE(r.mr.has_seccomp_profile);
	container_record_to_json(&r, rec);
	CU_ASSERT_PTR_EQUAL(json_object_get(mr, "Seccomp"), profile);
	container_record_set_str(&r.mr.seccomp, "unconfined");
	container_record_to_json(&r, rec);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(mr, "Seccomp")), "unconfined");
	json_object_set_new(mr, "Seccomp", json_string("{}"));
	CU_ASSERT_EQUAL(container_record_from_json(rec, &r, NULL), 0);
	CU_ASSERT_PTR_NULL(r.mr.seccomp);
	container_record_to_json(&r, rec);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(mr, "Seccomp")), "{}");
	container_record_free(&r);
	json_decref(rec);
}

/* Minirun.IdMap (--userns=auto): set after create's first save, it follows LowerDirs, as
 * userns.c wrote it into the tree; read back into the fields; an IdMap without one of its
 * keys (a hand edit) is written back as it was */
static void id_map_is_typed_and_follows_lower_dirs(void)
{
	struct container_record r = {0};
	char keys[1024];
	const char *lowers[] = {"/l1", "/l2"};
	container_record_set_str(&r.mr.detach_keys, "ctrl-p,ctrl-q");
	container_record_set_str(&r.mr.step, "");
	container_record_set_str(&r.mr.image_ref, "busybox");
	json_t *rec = container_record_json_new(&r);
	CU_ASSERT_EQUAL(container_record_from_json(rec, &r, NULL), 0);
	CU_ASSERT_FALSE(r.mr.id_map.present);
	CU_ASSERT_EQUAL(container_record_set_strv(&r.mr.lower_dirs, lowers, 2), 0);
	container_record_to_json(&r, rec);
	r.mr.id_map.present = true;
	r.mr.id_map.host_uid = 200000;
	r.mr.id_map.host_gid = 300000;
	r.mr.id_map.size = 65536;
	container_record_to_json(&r, rec);
	json_t *mr = json_object_get(rec, "Minirun");
	keys_of(mr, keys, sizeof(keys));
	CU_ASSERT_STRING_EQUAL(
		keys, "DetachKeys,Step,NoNewPrivileges,ImageRef,PullNever,LowerDirs,IdMap,");
	char *map = json_dumps(json_object_get(mr, "IdMap"), JSON_COMPACT);
	CU_ASSERT_STRING_EQUAL(map, "{\"HostUID\":200000,\"HostGID\":300000,\"Size\":65536}");
	free(map);
	container_record_free(&r);
	CU_ASSERT_EQUAL(container_record_from_json(rec, &r, NULL), 0);
	CU_ASSERT_TRUE(r.mr.id_map.present);
	CU_ASSERT_EQUAL(r.mr.id_map.host_uid, 200000);
	CU_ASSERT_EQUAL(r.mr.id_map.host_gid, 300000);
	CU_ASSERT_EQUAL(r.mr.id_map.size, 65536);
	json_object_del(json_object_get(mr, "IdMap"), "Size");
	CU_ASSERT_EQUAL(container_record_from_json(rec, &r, NULL), 0);
	container_record_to_json(&r, rec);
	map = json_dumps(json_object_get(mr, "IdMap"), JSON_COMPACT);
	CU_ASSERT_STRING_EQUAL(map, "{\"HostUID\":200000,\"HostGID\":300000}");
	free(map);
	container_record_free(&r);
	json_decref(rec);
}

/* Config.Volumes and Minirun.OciMounts (vol.c's): typed, each added at the end as vol.c
 * first wrote them into the tree, a volume's path once; read back; unchanged bytes when
 * unchanged */
static void volumes_and_oci_mounts_are_typed(void)
{
	struct container_record r = {.config.stop_timeout = -1};
	char keys[1024];
	json_t *rec = container_record_json_new(&r);
	CU_ASSERT_EQUAL(container_record_from_json(rec, &r, NULL), 0);
	CU_ASSERT_PTR_NULL(r.config.volumes);
	CU_ASSERT_FALSE(r.mr.has_oci_mounts);
	CU_ASSERT_EQUAL(container_record_add_volume(&r, "/data"), 0);
	CU_ASSERT_EQUAL(container_record_add_volume(&r, "/data"), 0);
	json_t *m = json_pack("{s:s, s:s, s:s, s:[s, s, s]}", "destination", "/data", "type",
			      "bind", "source", "/v/_data", "options", "rbind", "rprivate", "rw");
	CU_ASSERT_EQUAL(container_record_add_oci_mount(&r, m), 0);
	container_record_to_json(&r, rec);
	json_t *cfg = json_object_get(rec, "Config"), *mr = json_object_get(rec, "Minirun");
	keys_of(cfg, keys, sizeof(keys));
	CU_ASSERT_PTR_NOT_NULL(strstr(keys, ",Entrypoint,Labels,Volumes,"));
	char *v = json_dumps(json_object_get(cfg, "Volumes"), JSON_COMPACT);
	CU_ASSERT_STRING_EQUAL(v, "{\"/data\":{}}");
	free(v);
	CU_ASSERT_TRUE(json_equal(json_array_get(json_object_get(mr, "OciMounts"), 0), m));
	keys_of(mr, keys, sizeof(keys));
	CU_ASSERT_STRING_EQUAL(keys, "NoNewPrivileges,PullNever,OciMounts,");
	char *text = json_dumps(rec, JSON_COMPACT);
	CU_ASSERT_EQUAL(container_record_from_json(rec, &r, NULL), 0);
	CU_ASSERT_STRING_EQUAL(r.config.volumes[0], "/data");
	CU_ASSERT_PTR_NULL(r.config.volumes[1]);
	CU_ASSERT_EQUAL_FATAL(r.mr.noci_mounts, 1);
	CU_ASSERT_STRING_EQUAL(r.mr.oci_mounts[0].source, "/v/_data");
	CU_ASSERT_STRING_EQUAL(r.mr.oci_mounts[0].options[2], "rw");
	container_record_to_json(&r, rec);
	char *again = json_dumps(rec, JSON_COMPACT);
	CU_ASSERT_STRING_EQUAL(again, text);
	free(again);
	free(text);
	json_decref(m);
	container_record_free(&r);
	json_decref(rec);
}

static void a_record_without_state_reads_dead_and_stays_so(void)
{
	json_t *tree = json_pack("{s:s, s:s}", "Id", "abc", "Name", "/half");
	struct container_record r = {0};
	CU_ASSERT_EQUAL_FATAL(container_record_from_json(tree, &r, NULL), 0);
	CU_ASSERT_FALSE(r.state.present);
	CU_ASSERT_EQUAL(r.state.status, CONTAINER_DEAD);
	CU_ASSERT_FALSE(r.net.present); /* no networks to undo */
	container_record_to_json(&r, tree);
	char *text = json_dumps(tree, JSON_COMPACT);
	CU_ASSERT_STRING_EQUAL(text, "{\"Id\":\"abc\",\"Name\":\"/half\"}");
	free(text);
	container_record_free(&r);
	json_decref(tree);
}

static void ports_are_typed_and_written_back_in_order(void)
{
	const char *text = "{\"NetworkSettings\":{\"Networks\":{},\"Ports\":{\"90/udp\":null,"
			   "\"80/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"8080\"},"
			   "{\"HostIp\":\"::\",\"HostPort\":\"8080\"}],\"91/tcp\":[]},"
			   "\"IPAddress\":\"\"}}";
	json_t *tree = json_loads(text, 0, NULL);
	struct container_record r = {0};
	CU_ASSERT_EQUAL_FATAL(container_record_from_json(tree, &r, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(r.nports, 3);
	CU_ASSERT_FALSE(container_record_port(&r, "90/udp")->published);
	const struct container_port *p = container_record_port(&r, "80/tcp");
	CU_ASSERT_EQUAL_FATAL(p->nbindings, 2);
	CU_ASSERT_STRING_EQUAL(p->bindings[1].host_ip, "::");
	CU_ASSERT_STRING_EQUAL(p->bindings[1].host_port, "8080");
	CU_ASSERT_TRUE(container_record_port(&r, "91/tcp")->published);
	container_record_to_json(&r, tree);
	char *again = json_dumps(tree, JSON_COMPACT);
	CU_ASSERT_STRING_EQUAL(again, text);
	free(again);
	/* a container that stops publishes nothing: {} */
	container_record_clear_ports(&r);
	container_record_to_json(&r, tree);
	CU_ASSERT_EQUAL(json_object_size(
				json_object_get(json_object_get(tree, "NetworkSettings"), "Ports")),
			0);
	container_record_free(&r);
	json_decref(tree);
}

static void port_bindings_and_exposed_ports_are_typed(void)
{
	const char *text = "{\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"\","
			   "\"HostPort\":\"8080\"},{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"\"}],"
			   "\"90/udp\":[]},\"PublishAllPorts\":true},\"Config\":{\"ExposedPorts\":"
			   "{\"90/udp\":{},\"80/tcp\":{}}}}";
	json_t *tree = json_loads(text, 0, NULL);
	struct container_record r = {0};
	CU_ASSERT_EQUAL_FATAL(container_record_from_json(tree, &r, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(r.host.nport_bindings, 2);
	const struct container_port *p = container_record_binding(&r, "80/tcp");
	CU_ASSERT_EQUAL_FATAL(p->nbindings, 2);
	CU_ASSERT_STRING_EQUAL(p->bindings[0].host_port, "8080");
	CU_ASSERT_STRING_EQUAL(p->bindings[1].host_ip, "127.0.0.1");
	CU_ASSERT_TRUE(container_record_binding(&r, "90/udp")->published);
	CU_ASSERT_STRING_EQUAL(r.config.exposed_ports[0], "90/udp");
	CU_ASSERT_PTR_NULL(r.config.exposed_ports[2]);
	/* written back in place, byte for byte (the keys Config and HostConfig write besides
	 * these aside: compared by the two objects) */
	json_t *again = json_loads(text, 0, NULL);
	container_record_to_json(&r, again);
	const char *keys[][2] = {{"HostConfig", "PortBindings"}, {"Config", "ExposedPorts"}};
	for (size_t i = 0; i < 2; i++) {
		char *was =
			json_dumps(json_object_get(json_object_get(tree, keys[i][0]), keys[i][1]),
				   JSON_COMPACT);
		char *now =
			json_dumps(json_object_get(json_object_get(again, keys[i][0]), keys[i][1]),
				   JSON_COMPACT);
		CU_ASSERT_STRING_EQUAL(now, was);
		free(was);
		free(now);
	}
	/* the ports a start publishes: each binding, and with -P the exposed ports not bound */
	struct network_port *ports = NULL;
	size_t n = 0;
	struct mr_err err = {0};
	CU_ASSERT_EQUAL_FATAL(net_wanted_ports(&r, &ports, &n, &err), 0);
	CU_ASSERT_EQUAL(n, 2); /* 80/tcp twice; 90/udp is bound (to nothing) */
	CU_ASSERT_EQUAL(ports[0].host_port, 8080);
	CU_ASSERT_STRING_EQUAL(ports[1].host_ip, "127.0.0.1");
	free(ports);
	/* an older record without the keys: none, and none written */
	json_t *old = json_pack("{s:{}, s:{}}", "HostConfig", "Config");
	CU_ASSERT_EQUAL(container_record_from_json(old, &r, NULL), 0);
	CU_ASSERT_PTR_NULL(r.config.exposed_ports);
	container_record_to_json(&r, old);
	CU_ASSERT_PTR_NULL(json_object_get(json_object_get(old, "HostConfig"), "PortBindings"));
	CU_ASSERT_PTR_NULL(json_object_get(json_object_get(old, "Config"), "ExposedPorts"));
	json_decref(old);
	json_decref(again);
	json_decref(tree);
	container_record_free(&r);
}

static void limits_are_typed_and_a_change_is_written_in_place(void)
{
	const char *text = "{\"HostConfig\":{\"Memory\":0,\"MemorySwap\":0,\"NanoCpus\":0,"
			   "\"PidsLimit\":null,\"CpusetCpus\":\"\"}}";
	json_t *tree = json_loads(text, 0, NULL);
	struct container_record r = {0};
	CU_ASSERT_EQUAL_FATAL(container_record_from_json(tree, &r, NULL), 0);
	/* nobody changed it: the same bytes (null stays null, absent keys stay absent) */
	container_record_to_json(&r, tree);
	json_t *hc = json_object_get(tree, "HostConfig");
	json_t *want = json_loads(text, 0, NULL), *v;
	const char *k;
	json_object_foreach(json_object_get(want, "HostConfig"), k, v)
	{
		CU_ASSERT_TRUE(json_equal(json_object_get(hc, k), v));
	}
	CU_ASSERT_PTR_NULL(json_object_get(hc, "CpuShares")); /* absent stays absent */
	/* an update: each value in its place, a key the record lacked at the end */
	r.host.limits.memory = 64 << 20;
	r.host.limits.pids_limit = 10;
	r.host.limits.cpu_shares = 512;
	container_record_set_str(&r.host.limits.cpuset_cpus, "0");
	container_record_to_json(&r, tree);
	char *s = json_dumps(hc, JSON_COMPACT);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "{\"Memory\":67108864,\"MemorySwap\":0,\"NanoCpus\":0,"
					 "\"PidsLimit\":10,\"CpusetCpus\":\"0\","));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"CpuShares\":512"));
	free(s);
	/* --pids-limit 0 again: null, as docker */
	r.host.limits.pids_limit = 0;
	container_record_to_json(&r, tree);
	CU_ASSERT_TRUE(json_is_null(json_object_get(hc, "PidsLimit")));
	json_decref(want);
	json_decref(tree);
	container_record_free(&r);
}

/* the record REC's NetworkSettings as compact JSON, compared with WANT */
static void settings_are(json_t *rec, const char *want)
{
	char *text = json_dumps(json_object_get(rec, "NetworkSettings"), JSON_COMPACT);
	CU_ASSERT_STRING_EQUAL(text, want);
	free(text);
}

static void endpoints_are_typed_and_written_in_dockers_shapes(void)
{
	json_t *tree = json_loads("{\"NetworkSettings\":{\"Networks\":{},\"Ports\":{}}}", 0, NULL);
	struct container_record r = {0};
	CU_ASSERT_EQUAL_FATAL(container_record_from_json(tree, &r, NULL), 0);
	/* create records what was asked for */
	struct container_network *n =
		container_record_endpoint(&r, "web", true, CONTAINER_ENDPOINT_ASKED);
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	const char *al[] = {"db"};
	container_record_set_str(&n->ipam_ipv4, "10.1.0.9");
	container_record_set_str(&n->network_id, "n1");
	CU_ASSERT_EQUAL(container_record_set_strv(&n->aliases, al, 1), 0);
	container_record_to_json(&r, tree);
	settings_are(tree,
		     "{\"Networks\":{\"web\":{\"IPAMConfig\":{\"IPv4Address\":\"10.1.0.9\"},"
		     "\"Aliases\":[\"db\"],\"NetworkID\":\"n1\",\"IPAddress\":\"\","
		     "\"Gateway\":\"\",\"IPPrefixLen\":0,\"MacAddress\":\"\"}},\"Ports\":{}}");
	/* a connect turns it into docker's connected shape; a mode network has its own */
	n->kind = CONTAINER_ENDPOINT_CONNECTED;
	container_record_set_str(&n->ip_address, "10.1.0.9");
	container_record_set_str(&n->gateway, "10.1.0.1");
	container_record_set_str(&n->mac_address, "02:42:0a:01:00:09");
	n->ip_prefix_len = 24;
	CU_ASSERT_EQUAL(container_record_set_strv(&n->dns_names, al, 1), 0);
	CU_ASSERT_PTR_NOT_NULL(
		container_record_endpoint(&r, "none", true, CONTAINER_ENDPOINT_MODE));
	container_record_set_str(&r.net.sandbox_key, "/proc/1/ns/net");
	container_record_to_json(&r, tree);
	const char *connected =
		"{\"Networks\":{\"web\":{\"IPAMConfig\":{\"IPv4Address\":\"10.1.0.9\"},"
		"\"Links\":null,\"Aliases\":[\"db\"],\"MacAddress\":\"02:42:0a:01:00:09\","
		"\"NetworkID\":\"n1\",\"Gateway\":\"10.1.0.1\",\"IPAddress\":\"10.1.0.9\","
		"\"IPPrefixLen\":24,\"IPv6Gateway\":\"\",\"GlobalIPv6Address\":\"\","
		"\"GlobalIPv6PrefixLen\":0,\"DriverOpts\":null,\"DNSNames\":[\"db\"]},"
		"\"none\":{\"Aliases\":null,\"NetworkID\":\"\",\"IPAddress\":\"\",\"Gateway\":\"\","
		"\"IPPrefixLen\":0,\"MacAddress\":\"\"}},\"Ports\":{},"
		"\"SandboxKey\":\"/proc/1/ns/net\"}";
	settings_are(tree, connected);
	/* read back: each shape is recognised, and written back as it was */
	CU_ASSERT_EQUAL_FATAL(container_record_from_json(tree, &r, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(r.nnetworks, 2);
	CU_ASSERT_EQUAL(r.networks[0].kind, CONTAINER_ENDPOINT_CONNECTED);
	CU_ASSERT_EQUAL(r.networks[1].kind, CONTAINER_ENDPOINT_MODE);
	CU_ASSERT_STRING_EQUAL(container_record_network(&r, "web")->ipam_ipv4, "10.1.0.9");
	container_record_to_json(&r, tree);
	settings_are(tree, connected);
	/* a disconnect forgets the endpoint */
	container_record_drop_network(&r, "web");
	container_record_to_json(&r, tree);
	CU_ASSERT_EQUAL(json_object_size(json_object_get(json_object_get(tree, "NetworkSettings"),
							 "Networks")),
			1);
	CU_ASSERT_PTR_NULL(container_record_network(&r, "web"));
	container_record_free(&r);
	json_decref(tree);
}

static void states_have_docker_words(void)
{
	const char *words[] = {"created",  "running", "paused", "restarting",
			       "removing", "exited",  "dead"};
	for (int i = 0; i < 7; i++) {
		CU_ASSERT_STRING_EQUAL(container_state_name((enum container_state)i), words[i]);
		CU_ASSERT_EQUAL(container_state_parse(words[i]), i);
	}
	CU_ASSERT_EQUAL(container_state_parse("up"), -1);
	CU_ASSERT_EQUAL(container_state_parse(NULL), -1);
	CU_ASSERT_TRUE(container_state_live(CONTAINER_RESTARTING));
	CU_ASSERT_FALSE(container_state_live(CONTAINER_EXITED));
	CU_ASSERT_STRING_EQUAL(container_health_name(CONTAINER_HEALTH_STARTING), "starting");
}

static CU_TestInfo tests[] = {
	{"records written by the previous minirun load and are written back byte for byte",
	 old_records_load_and_are_written_back_unchanged},
	{"an old record's state, names, exit code, health, restart policy, Config are typed",
	 old_record_fields_are_typed},
	{"a change to the typed record is written in place: State keeps its keys and order",
	 a_change_is_written_in_place},
	{"Minirun's NoNewPrivileges, Seccomp, Platform, PullNever: typed, in the old order",
	 minirun_keys_are_typed_in_the_old_order},
	{"Minirun.IdMap: typed, after LowerDirs, a hand-edited one written back as it was",
	 id_map_is_typed_and_follows_lower_dirs},
	{"Config.Volumes and Minirun.OciMounts: typed, added at the end, written back as read",
	 volumes_and_oci_mounts_are_typed},
	{"a record without State reads dead and is not given one",
	 a_record_without_state_reads_dead_and_stays_so},
	{"NetworkSettings.Ports: exposed, published and [] typed, written back in order",
	 ports_are_typed_and_written_back_in_order},
	{"HostConfig.PortBindings and Config.ExposedPorts: typed, written back, published",
	 port_bindings_and_exposed_ports_are_typed},
	{"HostConfig's limits: typed, unchanged bytes when unchanged, an update in place",
	 limits_are_typed_and_a_change_is_written_in_place},
	{"NetworkSettings.Networks: create's, a connect's and a mode's endpoint shapes, typed",
	 endpoints_are_typed_and_written_in_dockers_shapes},
	{"the states and health statuses have docker's words", states_have_docker_words},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("containers record", tests)

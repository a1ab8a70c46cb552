/*
 * minirun/compose/parse.h - what the compose folder's files share inside it (not a public
 * header: the users of the model include compose.h).
 *
 * A file is typed in one walk over its YAML tree: load.c reads the top level, service.c a
 * service by the table compose_svc_keys[] (one row per service key: its name and kind),
 * which merge.c and emit.c walk again to merge and to print the same keys.
 */
#ifndef MR_COMPOSE_PARSE_H
#define MR_COMPOSE_PARSE_H

#include <libfyaml.h>

#include "minirun/compose/compose.h"

/* Where the walk is: the file's context and the key path ("services.web.ports.0"). */
struct pctx {
	const struct compose_ctx *c;
	char path[512];
};

/* ---- node helpers (load.c) ---- */
int cy_line(struct fy_node *n);
int cy_is_null(struct fy_node *n);
/* "FILE:LINE: PATH: MSG" into err; returns -1 */
int cy_fail(const struct pctx *pc, struct fy_node *n, struct mr_err *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* push ".KEY" (or ".N") on the path, returning the old length for cy_pop */
size_t cy_push(struct pctx *pc, const char *key);
size_t cy_push_index(struct pctx *pc, size_t i);
void cy_pop(struct pctx *pc, size_t len);
/* the tag of N: 0, or one of these */
enum { TAG_NONE, TAG_RESET, TAG_OVERRIDE };
int cy_tag(const struct pctx *pc, struct fy_node *n, struct mr_err *err);

/* "unknown key (not in the Compose Specification)" at KEY; -1 */
int cy_unknown(const struct pctx *pc, struct fy_node *key, struct mr_err *err);
/* 0 when N is a mapping, else "must be a mapping" and -1 */
int cy_need_map(const struct pctx *pc, struct fy_node *n, struct mr_err *err);

/* FOR_EACH_PAIR(n, k, v, keynode) { ... } - the body once per entry of the mapping N, with
 * K its key's text (entries whose key is not a scalar are skipped), V its value node and
 * KEYNODE its key node (for the line of an error) */
/* NOLINTBEGIN(bugprone-macro-parentheses): K, V and KEYNODE are names the macro declares,
 * which parentheses would make a syntax error */
#define FOR_EACH_PAIR(n, k, v, keynode)                                                            \
	for (void *it_ = NULL, *p_; (p_ = fy_node_mapping_iterate(n, &it_));)                      \
		for (struct fy_node *keynode = fy_node_pair_key(p_), *v = fy_node_pair_value(p_),  \
				    *once_ = keynode;                                              \
		     once_; once_ = NULL)                                                          \
			for (const char *k = fy_node_get_scalar0(keynode); k; k = NULL)
/* NOLINTEND(bugprone-macro-parentheses) */

/* typed scalars, interpolated; each fails naming the path when the node has another type */
int cy_str(struct pctx *pc, struct fy_node *n, char **out, struct mr_err *err);
int cy_bool(struct pctx *pc, struct fy_node *n, int *out, struct mr_err *err);
int cy_int(struct pctx *pc, struct fy_node *n, long long *out, struct mr_err *err);
int cy_bytes(struct pctx *pc, struct fy_node *n, long long *out, struct mr_err *err);
int cy_duration(struct pctx *pc, struct fy_node *n, char **out, struct mr_err *err);
/* a list of scalars; with one_ok a single scalar is a list of one */
int cy_strv(struct pctx *pc, struct fy_node *n, int one_ok, struct compose_strv *out,
	    struct mr_err *err);
/* a map KEY: VALUE or a list "KEY<sep>VALUE" (SEPS: the separators a list item may use) */
int cy_kvs(struct pctx *pc, struct fy_node *n, const char *seps, struct compose_kvs *out,
	   struct mr_err *err);
/* Make PATH absolute against the ctx's directory (and ~ the home directory). */
char *cy_path(const struct pctx *pc, const char *path);

/* ---- the service keys (service.c) ---- */
enum svc_kind {
	K_STR,
	K_BOOL,
	K_INT,
	K_BYTES,
	K_SWAP, /* a size in bytes, or -1 (memswap_limit: unlimited swap) */
	K_DURATION,
	K_STRV,
	K_STRV1,
	K_CMD,
	K_KV,
	K_HOSTS,
	K_PORTS,
	K_MOUNTS,
	K_DEPS,
	K_NETS,
	K_HEALTH,
	K_BUILD,
	K_DEPLOY,
	K_ULIMITS,
	K_EXTENDS,
	K_ENVFILES,
	K_LOGGING,
	K_BLKIO,
};
struct compose_svc_keydef {
	const char *name;
	enum svc_kind kind;
	size_t off; /* of the field in struct compose_service */
};
extern const struct compose_svc_keydef compose_svc_keys[SVC_NKEYS];

/* ports and volumes, both syntaxes (syntax.c) */
int cy_ports(struct pctx *pc, struct fy_node *n, struct compose_ports *out, struct mr_err *err);
int cy_mounts(struct pctx *pc, struct fy_node *n, struct compose_mounts *out, struct mr_err *err);

int cy_service(struct pctx *pc, const char *name, struct fy_node *n, struct compose_service *out,
	       struct mr_err *err);

/* the keys of a port and a mount that merges compare (merge.c, also the unit tests) */
char *cy_port_key(struct compose_arena *a, const struct compose_port *p);

#endif

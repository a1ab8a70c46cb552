/*
 * minirun/compose/netns.c - compose's network create and remove, in the user's network
 * namespace when rootless: netns.h says why from a thread.
 *
 * See: minirun/rootless/README.md "User networks"; rootless.h (rootless_netns_call).
 */
#include "minirun/compose/netns.h"

#include "minirun/rootless/rootless.h"

struct create_job {
	const char *root, *name;
	const char *const *labels;
	size_t nlabels;
	unsigned flags;
	char *id_out;
	struct mr_err *err;
};

static int create_job(void *p)
{
	struct create_job *j = p;
	return network_create_flags(j->root, j->name, NULL, NULL, j->labels, j->nlabels, j->flags,
				    j->id_out, j->err);
}

int compose_network_create(const char *root, const char *name, const char *const *labels,
			   size_t nlabels, unsigned flags, char id_out[NETWORK_ID_LEN + 1],
			   struct mr_err *err)
{
	struct create_job j = {root, name, labels, nlabels, flags, id_out, err};
	int rc = rootless_netns_call(create_job, &j, RL_NETNS_MAKE, err);
	if (rc < 0)
		rootless_netns_release(root); /* a namespace made for nothing goes again */
	return rc;
}

struct remove_job {
	const char *root, *name;
	struct mr_err *err;
};

static int remove_job(void *p)
{
	struct remove_job *j = p;
	return network_remove(j->root, j->name, j->err);
}

int compose_network_remove(const char *root, const char *name, struct mr_err *err)
{
	struct remove_job j = {root, name, err};
	int rc = rootless_netns_call(remove_job, &j, RL_NETNS_UNDO, err);
	rootless_netns_release(root);
	return rc;
}

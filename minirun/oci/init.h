/*
 * minirun/oci/init.h - the container's first process, between fork and exec (see init.c).
 */
#ifndef MR_INIT_H
#define MR_INIT_H

#include <seccomp.h>

#include "minirun/oci/runtime.h"
#include "minirun/oci/spec.h"

/* What the create process hands its child. Every fd is inherited across fork. */
struct init_ctx {
	const struct spec *s;
	const struct ctr_create_opts *o;
	int sync;      /* our end of the socketpair with the create process */
	int fifo;      /* exec.fifo, opened O_RDONLY|O_NONBLOCK: start writes a byte */
	int start_err; /* start.fifo, opened O_RDWR|O_CLOEXEC: a failing startContainer hook
			  writes its error there for `start`; execve closes it (EOF: ran) */
	int lock;      /* the create's state lock: closed first, or start would wait
			on it forever (flock belongs to the open file, shared by fork) */
	int console;   /* where the pty master goes (console socket or run's pair), or -1 */
	int ns_fds[SPEC_MAX_NS];      /* fds of the namespaces joined by path (spec order), or -1 */
	struct seccomp_prog *seccomp; /* prepared (BPF) before the fork */
	bool direct;                  /* cloned into its new namespaces already (see ctr_create) */
	char state[4000];             /* the state JSON for startContainer hooks */
	/* the new network namespace a thread of the create process made ahead (netns_ahead.c),
	 * joined instead of made; or -1. net_sysctl: the net.* sysctls that thread wrote in
	 * it (key: value), which proc_sysctl does not write again; or NULL */
	int net_fd;
	const json_t *net_sysctl;
};

/* init_main - run in the child of fork(): join and create namespaces, fork the init
 * proper, set the container up, wait for start and exec process.args. Never returns:
 * a failure is sent to the create process as SYNC_ERR and the child exits. */
void init_main(struct init_ctx *c) __attribute__((noreturn));

#endif

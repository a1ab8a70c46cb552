/*
 * minirun/oci/oci_main.c - main() of minirun/minirun-oci: the OCI runtime on its own.
 *
 * Engines run their runtime once per verb, and create/run/exec run it twice (the sealed
 * re-exec of clone_exe.c), so the cost of starting the binary is paid on every container;
 * the first of the two is cut to a few raw syscalls before glibc starts (early_seal.c).
 * The full `minirun` links the front end's libraries (libcurl, libcrypto, libarchive,
 * libnftables ... about fifty shared objects): the dynamic loader alone took ~13 ms per
 * exec, more than crun's whole `run`. minirun-oci is the same OCI code (oci*.c over
 * libminirun, cgroups/, ns/, lib/), linked statically against the three libraries it
 * needs (jansson, libseccomp, libcap): exec costs what a static busybox's does, and
 * nothing outside the binary is loaded into a process that later stands in a container.
 * `minirun oci VERB` in the full binary runs the very same oci_main().
 *
 * See: oci.c; ld.so(8) (LD_DEBUG=statistics shows the loader's share); bench/oci-run.sh.
 *   minirun/minirun-oci --root /run/x run --bundle DIR ID
 */
#include "lib/err.h"
#include "minirun/oci/oci.h"

int main(int argc, char **argv)
{
	mr_err_exit_code = MR_EXIT_RUNTIME;
	return oci_main(argc, argv, argv);
}

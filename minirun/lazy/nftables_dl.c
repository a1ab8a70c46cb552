/*
 * minirun/lazy/nftables_dl.c - libnftables, opened on the first call into it (lazylib.h says
 * why: only published ports and the default bridge's masquerade need it, and it brings
 * libnftnl, libxtables and libgmp along).
 *
 * The seven functions netns/nat.c calls, with <nftables/libnftables.h>'s prototypes. Only
 * minirun/minirun links this file; netns/'s own programs link -lnftables.
 *
 * See: libnftables(3); lazylib.h.
 */
#include "minirun/lazy/lazylib.h"

#include <nftables/libnftables.h>

static struct mr_lazylib nft = {MR_LIB_NFTABLES, NULL, NULL};

/* clang-format off */

MR_LAZY(nft, struct nft_ctx *, nft_ctx_new, (uint32_t flags), (flags))
MR_LAZY_VOID(nft, nft_ctx_free, (struct nft_ctx *ctx), (ctx))
MR_LAZY(nft, int, nft_ctx_buffer_output, (struct nft_ctx *ctx), (ctx))
MR_LAZY(nft, int, nft_ctx_buffer_error, (struct nft_ctx *ctx), (ctx))
MR_LAZY(nft, const char *, nft_ctx_get_output_buffer, (struct nft_ctx *ctx), (ctx))
MR_LAZY(nft, const char *, nft_ctx_get_error_buffer, (struct nft_ctx *ctx), (ctx))
MR_LAZY(nft, int, nft_run_cmd_from_buffer, (struct nft_ctx *ctx, const char *buf), (ctx, buf))
/* clang-format on */

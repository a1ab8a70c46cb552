# minirun/lazy/ - shared libraries minirun opens on the first call into them (lazylib.h):
# liblazy.a holds the loader; the *_dl.o forwarders (libarchive, libnftables, libcrypto,
# libsqlite3, ldns) are linked into minirun/minirun only, in place of -larchive -lnftables
# -lcrypto -lsqlite3 -lldns.
LIBLAZY := minirun/lazy/liblazy.a
minirun/lazy/liblazy.a: minirun/lazy/lazylib.o
MR_ARCHIVES += $(LIBLAZY)
MINIRUN_DL := minirun/lazy/archive_dl.o minirun/lazy/nftables_dl.o minirun/lazy/crypto_dl.o \
	minirun/lazy/sqlite_dl.o minirun/lazy/ldns_dl.o
minirun/lazy: $(LIBLAZY) $(MINIRUN_DL)
.PHONY: minirun/lazy

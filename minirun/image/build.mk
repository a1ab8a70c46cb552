# minirun/image/ - the image store (OCI layout), import/load/save, pull from v2 registries.
# libimage.a is linked by minirun, whose dispatcher runs image_commands[] (minirun images ...). `make busybox-image` makes the built-in image's
# tarball; `make debian-image` a Debian one with debootstrap (network to a mirror needed).
IMAGE_LIB_SRCS := minirun/image/ref.c minirun/image/store.c minirun/image/images.c minirun/image/images_filter.c \
	minirun/image/gc.c minirun/image/format.c minirun/image/commands.c \
	minirun/image/rmi.c minirun/image/inspect.c minirun/image/import.c \
	minirun/image/archive.c minirun/image/save.c minirun/image/pull.c minirun/image/registry.c \
	minirun/image/progress.c minirun/image/curl_dl.c minirun/image/config_check.c \
	minirun/image/auth.c minirun/image/login.c minirun/image/push.c
LIBIMAGE := minirun/image/libimage.a
# no -lcurl: curl_dl.c opens libcurl when pull needs it (loading it costs every start ~5 ms)
IMAGE_LDLIBS := -ljansson -larchive -lcrypto
minirun/image/libimage.a: $(IMAGE_LIB_SRCS:.c=.o)
MR_ARCHIVES += $(LIBIMAGE)
UNIT_LDLIBS += $(IMAGE_LDLIBS)

# The built-in image: tests/rootfs.sh's busybox tree (the host's busybox-static, no network)
# packed with fixed owners and times, so the same busybox gives the same layer digest.
IMAGES_DIR := build/images
BUSYBOX_TAR := $(IMAGES_DIR)/busybox.tar
$(BUSYBOX_TAR): tests/rootfs.sh
	@mkdir -p $(IMAGES_DIR)
	@rm -rf $(IMAGES_DIR)/busybox.root
	@tests/rootfs.sh $(IMAGES_DIR)/busybox.root
	@tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
		-C $(IMAGES_DIR)/busybox.root -cf $@.tmp . && mv $@.tmp $@
	@rm -rf $(IMAGES_DIR)/busybox.root
	@echo "made $@"
busybox-image: $(BUSYBOX_TAR)
all: $(BUSYBOX_TAR)

# Put busybox:latest in the store (MINIRUN_ROOT or /var/lib/minirun) — what `make demo` runs.
# SOURCE_DATE_EPOCH=0 makes the image ID the same on every machine with the same busybox.
busybox-image-import: $(BUSYBOX_TAR) minirun/minirun
	@SOURCE_DATE_EPOCH=0 minirun/minirun import -c 'CMD ["sh"]' \
		-c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
		-m 'minirun built-in image: the host busybox-static' $(BUSYBOX_TAR) busybox:latest

# `make demo` starts from busybox:latest in the default store (after `make deps`)

# A Debian image for labs that want a real distribution: debootstrap (needs the package
# `debootstrap` and a mirror; not run by the tests), then import it as debian:bookworm.
DEBIAN_SUITE ?= bookworm
DEBIAN_MIRROR ?= http://deb.debian.org/debian
debian-image: minirun/minirun
	@command -v debootstrap >/dev/null || { echo "debian-image: install debootstrap" >&2; exit 1; }
	@mkdir -p $(IMAGES_DIR)
	@rm -rf $(IMAGES_DIR)/debian.root
	debootstrap --variant=minbase $(DEBIAN_SUITE) $(IMAGES_DIR)/debian.root $(DEBIAN_MIRROR)
	tar --sort=name --numeric-owner -C $(IMAGES_DIR)/debian.root -cf $(IMAGES_DIR)/debian.tar .
	rm -rf $(IMAGES_DIR)/debian.root
	minirun/minirun import -c 'CMD ["bash"]' \
		-c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
		$(IMAGES_DIR)/debian.tar debian:$(DEBIAN_SUITE)

minirun/image: $(LIBIMAGE)
image: $(LIBIMAGE)
.PHONY: minirun/image image busybox-image busybox-image-import debian-image

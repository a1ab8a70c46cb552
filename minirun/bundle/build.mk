# minirun/bundle/ - image config + run options -> an OCI bundle's config.json (README.md
# here; bundle.h, the one header the front end includes). libbundle.a is linked by minirun.
BUNDLE_LIB_SRCS := $(wildcard minirun/bundle/*.c)
LIBBUNDLE := minirun/bundle/libbundle.a
minirun/bundle/libbundle.a: $(BUNDLE_LIB_SRCS:.c=.o)
MR_ARCHIVES += $(LIBBUNDLE)
# config.c and seccomp_default.c use libcap (capability names)
UNIT_LDLIBS += -ljansson -lseccomp -lcap
minirun/bundle: $(LIBBUNDLE)
.PHONY: minirun/bundle

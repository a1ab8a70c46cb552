# minirun/scan/ - what is in an image and what in it is vulnerable: `minirun sbom`,
# `minirun scan` (README.md here). libscan.a is linked by minirun, whose dispatcher runs
# scan_commands[]; it reads the image store (minirun/image/) and the layers' whiteouts
# (unionfs/overlay.h).
SCAN_LIB_SRCS := minirun/scan/debver.c minirun/scan/apkver.c minirun/scan/osrelease.c \
	minirun/scan/dpkg.c minirun/scan/apk.c minirun/scan/rpm.c minirun/scan/rpmver.c minirun/scan/rootview.c minirun/scan/rootwalk.c minirun/scan/sbom.c minirun/scan/langpkgs.c \
	minirun/scan/sbom_out.c minirun/scan/osv.c minirun/scan/match.c minirun/scan/report.c \
	minirun/scan/layers.c minirun/scan/outdated.c minirun/scan/commands.c \
	minirun/scan/lint.c minirun/scan/lint_result.c minirun/scan/lint_rules.c minirun/scan/lint_shell.c
LIBSCAN := minirun/scan/libscan.a
minirun/scan/libscan.a: $(SCAN_LIB_SRCS:.c=.o)
MR_ARCHIVES += $(LIBSCAN)
UNIT_LDLIBS += -ljansson -larchive -lsqlite3
minirun/scan: $(LIBSCAN)
.PHONY: minirun/scan

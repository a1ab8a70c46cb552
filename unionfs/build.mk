# unionfs/ - overlayfs stacks and OCI layers: the library (overlay + layer apply/diff/digest)
# and its tiny programs; tests/unionfs/tartool is the test suites' helper (hostile tars,
# tree manifests), built here because it links the same libraries.
UNIONFS_LIB_SRCS := unionfs/overlay.c unionfs/layer_path.c unionfs/layer_apply.c \
	unionfs/layer_undo.c unionfs/layer_diff.c unionfs/layer_digest.c
UNIONFS_PROGS := unionfs/mount unionfs/show unionfs/apply unionfs/diff unionfs/digest \
	unionfs/copyup
LIBUNIONFS := unionfs/libunionfs.a
unionfs/libunionfs.a: $(UNIONFS_LIB_SRCS:.c=.o)
MR_ARCHIVES += $(LIBUNIONFS)
$(UNIONFS_PROGS): $(LIBUNIONFS) $(LIBMR)
$(UNIONFS_PROGS): LDLIBS += -larchive -lcrypto
PROGS += $(UNIONFS_PROGS)
UNIT_LDLIBS += -larchive -lcrypto

UNIONFS_TARTOOL := tests/unionfs/tartool
$(UNIONFS_TARTOOL): tests/unionfs/tartool.o $(LIBUNIONFS) $(LIBMR)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o %.a,$^) -larchive -lcrypto
CLEAN += $(UNIONFS_TARTOOL)
all: $(UNIONFS_TARTOOL)

unionfs: $(UNIONFS_PROGS) $(UNIONFS_TARTOOL)
.PHONY: unionfs

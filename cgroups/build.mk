# cgroups/ - the cgroup library (v2, and the v1 fallback) and one tiny program per verb.
CG_LIB_SRCS := cgroups/cgroup.c cgroups/procs.c cgroups/cgroup_v1.c cgroups/detect.c cgroups/limits.c \
	cgroups/readings.c cgroups/parse.c cgroups/devices.c
CG_PROGS := $(patsubst %.c,%,$(filter-out $(CG_LIB_SRCS),$(wildcard cgroups/*.c)))
LIBCG := cgroups/libcgroup.a
cgroups/libcgroup.a: $(CG_LIB_SRCS:.c=.o)
MR_ARCHIVES += $(LIBCG)
$(CG_PROGS): $(LIBCG) $(LIBMR)
$(CG_PROGS): LDLIBS += -lm
UNIT_LDLIBS += -lm
PROGS += $(CG_PROGS)
CLEAN += $(LIBCG)
cgroups: $(CG_PROGS) $(LIBCG)
.PHONY: cgroups

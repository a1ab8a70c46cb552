# ns/ - one tiny program per namespace, over the shared table in ns.c.
NS_PROGS := $(patsubst %.c,%,$(filter-out ns/ns.c,$(wildcard ns/*.c)))
LIBNS := ns/libns.a
ns/libns.a: ns/ns.o
MR_ARCHIVES += $(LIBNS)
$(NS_PROGS): $(LIBNS) $(LIBMR)
PROGS += $(NS_PROGS)
ns: $(NS_PROGS)
.PHONY: ns

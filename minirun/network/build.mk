# minirun/network/ - docker's networks: records and leases under ROOT/networks, bridges
# and NAT through netns/, published ports, hosts files. libnetwork.a is linked by minirun;
# mr-network is a stand-in front end over network_commands[] until minirun's dispatcher
# takes them.
NETWORK_LIB_SRCS := minirun/network/ipam.c minirun/network/store.c \
	minirun/network/connect.c minirun/network/ports.c minirun/network/commands.c
NETWORK_PROGS := minirun/network/mr-network
LIBNETWORK := minirun/network/libnetwork.a
minirun/network/libnetwork.a: $(NETWORK_LIB_SRCS:.c=.o)
MR_ARCHIVES += $(LIBNETWORK)
$(NETWORK_PROGS): $(LIBNETWORK) $(LIBNETNS) ns/libns.a $(LIBMR)
$(NETWORK_PROGS): LDLIBS += -ljansson -lmnl -lnftables
UNIT_LDLIBS += -ljansson -lmnl -lnftables
PROGS += $(NETWORK_PROGS)
minirun/network: $(NETWORK_PROGS)
.PHONY: minirun/network

# minirun/network/ - docker's networks: records and leases under ROOT/networks, bridges
# and NAT through netns/, published ports, hosts files. libnetwork.a is linked by minirun,
# whose dispatcher runs network_commands[] (minirun network ...).
NETWORK_LIB_SRCS := minirun/network/ipam.c minirun/network/store.c \
	minirun/network/connect.c minirun/network/ports.c minirun/network/commands.c \
	minirun/network/prune.c minirun/network/overlay.c \
	minirun/network/overlay_peers.c minirun/network/overlay_watch.c \
	minirun/network/dns_msg.c minirun/network/dns_names.c minirun/network/dns_serve.c
LIBNETWORK := minirun/network/libnetwork.a
minirun/network/libnetwork.a: $(NETWORK_LIB_SRCS:.c=.o)
MR_ARCHIVES += $(LIBNETWORK)
UNIT_LDLIBS += -ljansson -lmnl -lnftables -lldns -lcap
minirun/network: $(LIBNETWORK)
.PHONY: minirun/network

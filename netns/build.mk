# netns/ - rtnetlink (veth, bridge, addresses, routes, VXLAN) over libmnl, NAT and published
# ports over libnftables, and the tiny programs that show them.
NETNS_LIB_OBJS := netns/nl.o netns/link.o netns/addr.o netns/vxlan.o netns/plug.o \
	netns/docker_user.o \
	netns/ping.o netns/nat.o
NETNS_PROGS := netns/veth netns/bridge netns/connect netns/publish netns/overlay netns/show
LIBNETNS := netns/libnetns.a
netns/libnetns.a: $(NETNS_LIB_OBJS)
MR_ARCHIVES += $(LIBNETNS)
# ns/build.mk is read after this file, so name its archive literally
$(NETNS_PROGS): $(LIBNETNS) ns/libns.a $(LIBMR)
$(NETNS_PROGS): LDLIBS += -lmnl -lnftables
UNIT_LDLIBS += -lmnl -lnftables
PROGS += $(NETNS_PROGS)
netns: $(NETNS_PROGS)
.PHONY: netns

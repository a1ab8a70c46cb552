# minirun/events/ - the event journal (events.h): every verb and each container's monitor
# append docker's event objects to ROOT/events.log; `minirun events` (minirun/system/)
# reads it. libevents.a is linked by minirun, below the stores that emit.
EVENTS_SRCS := $(wildcard minirun/events/*.c)
LIBEVENTS := minirun/events/libevents.a
minirun/events/libevents.a: $(EVENTS_SRCS:.c=.o)
MR_ARCHIVES += $(LIBEVENTS)
minirun/events: $(LIBEVENTS)
.PHONY: minirun/events

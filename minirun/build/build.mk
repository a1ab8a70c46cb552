# minirun/build/ - `minirun build`: the Dockerfile parser (dockerfile.h), its shell lexer
# (shlex.h), the .dockerignore matcher (dockerignore.h) and the command (build.h).
# libbuild.a is linked by minirun, whose dispatcher runs build_main().
BUILD_LIB_SRCS := $(wildcard minirun/build/*.c)
LIBBUILD := minirun/build/libbuild.a
minirun/build/libbuild.a: $(BUILD_LIB_SRCS:.c=.o)
MR_ARCHIVES += $(LIBBUILD)
UNIT_LDLIBS += -ljansson -lcrypto
minirun/build: $(LIBBUILD)
.PHONY: minirun/build

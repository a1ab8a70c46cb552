netns/publish.o: netns/publish.c lib/err.h lib/file.h netns/nat.h
lib/err.h:
lib/file.h:
netns/nat.h:

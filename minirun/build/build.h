/*
 * minirun/build/build.h - `minirun build`: an image from a Dockerfile and a context.
 *
 * The folder's pieces, each with its own header:
 *
 *   dockerfile.h    the parser: a Dockerfile's instructions as written (a typed AST)
 *   shlex.h         the shell lexer: quotes, escapes, $VAR and ${VAR...} substitution
 *   dockerignore.h  the .dockerignore matcher: which context files are left out
 *
 * This header is the command the dispatcher (minirun/main.c) runs.
 *
 * See: https://docs.docker.com/reference/cli/docker/buildx/build/
 */
#ifndef MR_BUILD_BUILD_H
#define MR_BUILD_BUILD_H

/* `minirun build ...`: ARGV[0] is "build"; returns the exit status. FULL: minirun's argv. */
int build_main(int argc, char **argv, char **full);

#endif

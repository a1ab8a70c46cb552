/*
 * minirun/build/parse_int.h - what parse.c (the lines) and args.c (one instruction's words)
 * share; internal to minirun/build/.
 */
#ifndef MR_BUILD_PARSE_INT_H
#define MR_BUILD_PARSE_INT_H

#include "minirun/build/dockerfile.h"

/*
 * df_instr_from_line - split one logical LINE (continuations joined, comments gone) into
 * *in: keyword, flags, arguments by the keyword's rule, `sub` for ONBUILD. ESCAPE is the
 * file's escape character. Returns 0, or -1 with err (docker's words, no location); *in is
 * then empty. Lines and heredocs are the caller's to fill.
 */
int df_instr_from_line(const char *line, char escape, struct df_instr *in, struct mr_err *err);

/* df_instr_clear - free what *in holds and zero it */
void df_instr_clear(struct df_instr *in);

/* is_space - Go's unicode.IsSpace for the rune at S (its byte length in *len) */
bool df_is_space(const char *s, size_t *len);

#endif

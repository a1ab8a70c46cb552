/*
 * lib/jsonfile.h - a JSON file read in one go, parsed from memory.
 *
 * jansson's json_load_file reads through stdio one character at a time (a locked getc
 * per byte: ~4000 calls for a container's record). The records, states and indexes that
 * every command reads are small files that read(2) takes whole, so mr_json_load_file reads
 * the file into memory and parses it with json_loadb. Its contract is json_load_file's,
 * the error too: a parse error's line, column and text, and for a file that can't be read
 * "unable to open PATH: REASON" with line and column -1 and errno as open(2) left it.
 */
#ifndef MR_JSONFILE_H
#define MR_JSONFILE_H

#include <jansson.h>

json_t *mr_json_load_file(const char *path, size_t flags, json_error_t *je);

#endif

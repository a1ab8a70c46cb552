#include "minirun/image/image.h"
int cmd_load(int argc, char **argv) { (void)argc; (void)argv; return 1; }
int cmd_save(int argc, char **argv) { (void)argc; (void)argv; return 1; }

/*
 * The entries of a directory in a stable order (byte order of their names),
 * without "." entries (., .., hidden files such as .git): walks must not
 * depend on readdir order.
 */
#ifndef MLVPC_DIRLIST_H
#define MLVPC_DIRLIST_H

#include <stddef.h>

/* The sorted names in *names (*n of them; free with dirlist_free). 0, or an
 * errno value (ENOMEM, or why opendir failed). */
int dirlist(const char *dir, char ***names, size_t *n);
void dirlist_free(char **names, size_t n);

#endif

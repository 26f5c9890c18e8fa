/* Sorted directory listings (dirlist.h). */
#include "dirlist.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

void dirlist_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

int dirlist(const char *dir, char ***names, size_t *n)
{
    *names = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return errno ? errno : EIO;
    char **v = NULL;
    size_t k = 0, cap = 0;
    int rc = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        if (k == cap) {
            size_t nc = cap ? cap * 2 : 64;
            char **nv = realloc(v, nc * sizeof *nv);
            if (!nv) {
                rc = ENOMEM;
                break;
            }
            v = nv;
            cap = nc;
        }
        if (!(v[k] = strdup(e->d_name))) {
            rc = ENOMEM;
            break;
        }
        k++;
    }
    closedir(d);
    if (rc) {
        dirlist_free(v, k);
        return rc;
    }
    if (k)
        qsort(v, k, sizeof *v, cmp_names);
    *names = v;
    *n = k;
    return 0;
}

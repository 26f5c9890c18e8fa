#include "vec.h"

#include <stdlib.h>
#include <string.h>

int vec_push(vec *v, size_t size, uint32_t *idx)
{
    if (v->n == v->cap) {
        uint32_t cap = v->cap ? v->cap * 2 : 16;
        if (cap < v->cap || (size && cap > SIZE_MAX / size))
            return -1;
        void *d = realloc(v->data, (size_t)cap * size);
        if (!d)
            return -1;
        v->data = d;
        v->cap = cap;
    }
    memset((char *)v->data + (size_t)v->n * size, 0, size);
    *idx = v->n++;
    return 0;
}

void vec_release(vec *v)
{
    free(v->data);
    v->data = NULL;
    v->n = v->cap = 0;
}

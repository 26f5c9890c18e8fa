/*
 * Growable arrays of fixed-size elements (malloc-backed, for tables whose
 * final size is unknown until every input is read). Elements are addressed
 * by index, never by pointer, because growth moves them.
 */
#ifndef MLVPC_VEC_H
#define MLVPC_VEC_H

#include <stddef.h>
#include <stdint.h>

typedef struct vec {
    void *data;
    uint32_t n, cap;
} vec;

/* Append one zeroed element of `size` bytes; its index in *idx. -1 on OOM/overflow. */
int vec_push(vec *v, size_t size, uint32_t *idx);
void vec_release(vec *v);

#define VEC_AT(v, T, i) (&((T *)(v).data)[i])

#endif

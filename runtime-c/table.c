/* table.c: WebAssembly tables (funcref and externref entries, both `void *`): allocation at
 * instantiation, table.grow (realloc), and the bulk operations with their bounds checks. */
#include "zrt_internal.h"

#include <stdlib.h>

void zrt_table_new(zrt_table *t, uint32_t min, uint32_t max) {
    if (max > ZRT_TABLE_CAP) max = ZRT_TABLE_CAP;
    if (min > max) zrt_trap(ZRT_TRAP_OOB_TABLE, UINT32_MAX, 0);
    t->elems = calloc(min ? min : 1, sizeof(void *));
    if (t->elems == NULL) zrt_trap(ZRT_TRAP_OOB_TABLE, UINT32_MAX, 0);
    t->size = min;
    t->max = max;
}

uint32_t zrt_table_grow(zrt_table *t, void *init, uint32_t delta) {
    uint32_t old = t->size;
    if (delta > t->max - old) return UINT32_MAX;
    if (delta == 0) return old;
    void **grown = realloc(t->elems, ((size_t)old + delta) * sizeof(void *));
    if (grown == NULL) return UINT32_MAX;
    for (uint32_t i = old; i < old + delta; i++) grown[i] = init;
    t->elems = grown;
    t->size = old + delta;
    return old;
}

void zrt_table_fill(zrt_table *t, uint32_t i, void *v, uint32_t n, uint32_t func, uint32_t loc) {
    if (ZRT_UNLIKELY((uint64_t)i + n > t->size)) zrt_trap(ZRT_TRAP_OOB_TABLE, func, loc);
    for (uint32_t k = 0; k < n; k++) t->elems[i + k] = v;
}

void zrt_table_copy(zrt_table *d, const zrt_table *s, uint32_t di, uint32_t si, uint32_t n, uint32_t func,
                    uint32_t loc) {
    if (ZRT_UNLIKELY((uint64_t)di + n > d->size || (uint64_t)si + n > s->size)) zrt_trap(ZRT_TRAP_OOB_TABLE, func, loc);
    if (n) memmove(d->elems + di, s->elems + si, (size_t)n * sizeof(void *));
}

void zrt_table_init(zrt_table *t, void *const *seg, uint32_t seg_len, uint32_t di, uint32_t si, uint32_t n,
                    uint32_t func, uint32_t loc) {
    if (ZRT_UNLIKELY((uint64_t)di + n > t->size || (uint64_t)si + n > seg_len)) zrt_trap(ZRT_TRAP_OOB_TABLE, func, loc);
    if (n) memcpy(t->elems + di, seg + si, (size_t)n * sizeof(void *));
}

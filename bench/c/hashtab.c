/* hashtab.c -- hand-written C twin of bench/zong/hashtab.zong (same algorithm, same output).
 * The Zong program builds its arrays with append(); here calloc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef N
#define N 3000000
#endif
#ifndef LOOKUPS
#define LOOKUPS 6000000
#endif
#ifndef KEYS
#define KEYS 4000000
#endif
#ifndef CAP
#define CAP 5000011
#endif

typedef struct { int64_t *keys, *vals; int64_t cap, size, longest; } Table;

static int64_t lcg(int64_t x) { return (x * 1103515245 + 12345) % 2147483648LL; }

static int64_t slot(int64_t key, int64_t cap) { return key * 2654435761LL % 4294967296LL % cap; }

static void add(Table *t, int64_t key) {
    int64_t i = slot(key, t->cap), probes = 1;
    for (;;) {
        int64_t k = t->keys[i];
        if (k == key) { t->vals[i] = t->vals[i] + 1; break; }
        if (k == 0) { t->keys[i] = key; t->vals[i] = 1; t->size = t->size + 1; break; }
        i = i + 1;
        if (i == t->cap) i = 0;
        probes = probes + 1;
    }
    if (probes > t->longest) t->longest = probes;
}

static int64_t find(const Table *t, int64_t key) {
    int64_t i = slot(key, t->cap);
    for (;;) {
        int64_t k = t->keys[i];
        if (k == key) return t->vals[i];
        if (k == 0) return 0;
        i = i + 1;
        if (i == t->cap) i = 0;
    }
}

int main(void) {
    int64_t n = N, keyspace = KEYS;
    Table t = {0};
    t.cap = CAP;
    t.keys = calloc((size_t)t.cap, sizeof *t.keys);
    t.vals = calloc((size_t)t.cap, sizeof *t.vals);
    if (!t.keys || !t.vals) return 1;
    int64_t seed = 2024;
    int64_t *pool = malloc((size_t)keyspace * sizeof *pool);
    if (!pool) return 1;
    for (int64_t i = 0; i < keyspace; i++) { seed = lcg(seed); pool[i] = 1 + seed; }
    for (int64_t i = 0; i < n; i++) { seed = lcg(seed); add(&t, pool[seed % keyspace]); }
    int64_t hits = 0, total = 0;
    for (int64_t i = 0; i < LOOKUPS; i++) {
        seed = lcg(seed);
        int64_t key = 1 + seed;
        if (i % 2 == 0) key = pool[seed % keyspace];
        int64_t c = find(&t, key);
        if (c > 0) { hits = hits + 1; total = total + c; }
    }
    int64_t hash = 0;
    for (int64_t i = 0; i < t.cap; i++) hash = (hash * 31 + t.keys[i] + t.vals[i]) % 1000000007;
    printf("%lld\n%lld\n%lld\n%lld\n%lld\n", (long long)t.size, (long long)t.longest, (long long)hits,
           (long long)total, (long long)hash);
    free(t.keys); free(t.vals); free(pool);
    return 0;
}

/* editdist.c -- hand-written C twin of bench/zong/editdist.zong (same algorithm, same output).
 * The Zong program builds its strings and rows with append(); here malloc/realloc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef N
#define N 22000
#endif

static int64_t lcg(int64_t x) { return (x * 1103515245 + 12345) % 2147483648LL; }

static uint8_t letter(int64_t k) {
    if (k == 0) return 65;
    if (k == 1) return 67;
    if (k == 2) return 71;
    return 84;
}

static int32_t min3(int32_t x, int32_t y, int32_t z) {
    int32_t m = x;
    if (y < m) m = y;
    if (z < m) m = z;
    return m;
}

static int32_t distance(const uint8_t *a, int64_t n, const uint8_t *b, int64_t m) {
    int32_t *prev = malloc((size_t)(m + 1) * sizeof *prev);
    int32_t *cur = malloc((size_t)(m + 1) * sizeof *cur);
    if (!prev || !cur) exit(1);
    for (int64_t j = 0; j <= m; j++) { prev[j] = (int32_t)j; cur[j] = 0; }
    int32_t ii = 1;
    for (int64_t i = 1; i <= n; i++, ii++) {
        cur[0] = ii;
        uint8_t ai = a[i - 1];
        for (int64_t j = 1; j <= m; j++) {
            int32_t cost = 1;
            if (ai == b[j - 1]) cost = 0;
            cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        }
        int32_t *t = prev; prev = cur; cur = t;
    }
    int32_t hash = 0;
    for (int64_t j = 0; j <= m; j++) hash = (hash * 31 + prev[j]) % 1000003;
    printf("%d\n", hash);
    int32_t d = prev[m];
    free(prev); free(cur);
    return d;
}

int main(void) {
    int64_t n = N, seed = 42;
    uint8_t *a = malloc((size_t)n + 1), *b = malloc((size_t)(2 * n) + 1);
    if (!a || !b) return 1;
    for (int64_t i = 0; i < n; i++) { seed = lcg(seed); a[i] = letter(seed / 65536 % 4); }
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++) {
        seed = lcg(seed);
        int64_t r = seed / 65536 % 32;
        if (r == 0) { seed = lcg(seed); b[m++] = letter(seed / 65536 % 4); }
        else if (r == 1) { seed = lcg(seed); b[m++] = letter(seed / 65536 % 4); b[m++] = a[i]; }
        else if (r == 2) { /* deletion: skip a[i] */ }
        else b[m++] = a[i];
    }
    printf("%lld\n%lld\n", (long long)n, (long long)m);
    printf("%d\n", distance(a, n, b, m));
    free(a); free(b);
    return 0;
}

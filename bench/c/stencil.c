/* stencil.c -- hand-written C twin of bench/zong/stencil.zong (same algorithm, same output).
 * The Zong program builds its grids with append(); here malloc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef W
#define W 1000
#endif
#ifndef STEPS
#define STEPS 600
#endif

static void step(const int64_t *cur, int64_t *next, int64_t w) {
    for (int64_t y = 1; y < w - 1; y++) {
        int64_t row = y * w;
        for (int64_t x = 1; x < w - 1; x++) {
            int64_t i = row + x;
            next[i] = (4 * cur[i] + cur[i - w] + cur[i + w] + cur[i - 1] + cur[i + 1]) / 8;
        }
    }
}

int main(void) {
    int64_t w = W, steps = STEPS;
    int64_t *cur = malloc((size_t)(w * w) * sizeof *cur), *next = malloc((size_t)(w * w) * sizeof *next);
    if (!cur || !next) return 1;
    int64_t seed = 5;
    for (int64_t i = 0; i < w * w; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648LL;
        int64_t v = seed / 65536 % 1000;
        if (i < w) v = 1000000;
        cur[i] = v;
    }
    for (int64_t i = 0; i < w * w; i++) next[i] = cur[i];
    for (int64_t s = 0; s < steps; s++) {
        step(cur, next, w);
        int64_t *t = cur; cur = next; next = t;
    }
    int64_t sum = 0, hash = 0;
    for (int64_t i = 0; i < w * w; i++) {
        sum = sum + cur[i];
        if (i % 37 == 0) hash = (hash * 31 + cur[i]) % 1000000007;
    }
    printf("%lld\n%lld\n%lld\n", (long long)sum, (long long)cur[w / 2 * w + w / 2], (long long)hash);
    free(cur); free(next);
    return 0;
}

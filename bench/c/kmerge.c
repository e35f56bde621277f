/* kmerge.c -- hand-written C twin of bench/zong/kmerge.zong (same algorithm, same output).
 * The Zong program builds its arrays with append(); here calloc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef K
#define K 24
#endif
#ifndef L
#define L 500000
#endif

static int64_t lcg(int64_t x) { return (x * 1103515245 + 12345) % 2147483648LL; }

static void merge(const int64_t *data, int64_t k, int64_t l, int64_t *out) {
    int64_t *pos = malloc((size_t)k * sizeof *pos);
    if (!pos) exit(1);
    for (int64_t r = 0; r < k; r++) pos[r] = r * l;
    int64_t total = k * l;
    for (int64_t n = 0; n < total; n++) {
        int64_t best = 0 - 1, bestv = 0;
        for (int64_t r = 0; r < k; r++) {
            int64_t p = pos[r];
            if (p < (r + 1) * l) {
                int64_t v = data[p];
                if (best < 0 || v < bestv) { best = r; bestv = v; }
            }
        }
        out[n] = bestv;
        pos[best] = pos[best] + 1;
    }
    free(pos);
}

int main(void) {
    int64_t k = K, l = L, seed = 31337;
    int64_t *data = calloc((size_t)(k * l), sizeof *data), *out = calloc((size_t)(k * l), sizeof *out);
    if (!data || !out) return 1;
    int64_t m = 0;
    for (int64_t r = 0; r < k; r++) {
        seed = lcg(seed);
        int64_t v = seed % 1000;
        for (int64_t i = 0; i < l; i++) { seed = lcg(seed); v = v + seed % 100; data[m++] = v; }
    }
    merge(data, k, l, out);
    int64_t n = k * l, bad = 0, hash = 0;
    for (int64_t j = 0; j < n; j++) {
        if (j > 0 && out[j - 1] > out[j]) bad = bad + 1;
        hash = (hash * 31 + out[j]) % 1000000007;
    }
    printf("%lld\n%lld\n%lld\n%lld\n%lld\n%lld\n", (long long)n, (long long)bad, (long long)out[0],
           (long long)out[n / 2], (long long)out[n - 1], (long long)hash);
    free(data); free(out);
    return 0;
}

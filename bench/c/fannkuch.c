/* fannkuch.c -- hand-written C twin of bench/zong/fannkuch.zong (same algorithm, same output).
 * The Zong program builds its arrays with append(); here calloc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef N
#define N 10
#endif
#ifndef REPS
#define REPS 3
#endif

typedef struct { int64_t checksum, maxflips; } Result;

static Result fannkuch(int64_t n) {
    int64_t *perm = calloc((size_t)n, sizeof *perm), *perm1 = calloc((size_t)n, sizeof *perm1),
            *count = calloc((size_t)n, sizeof *count);
    if (!perm || !perm1 || !count) exit(1);
    for (int64_t i = 0; i < n; i++) perm1[i] = i;
    int64_t maxflips = 0, checksum = 0, permcount = 0, r = n;
    for (;;) {
        while (r != 1) { count[r - 1] = r; r = r - 1; }
        for (int64_t i = 0; i < n; i++) perm[i] = perm1[i];
        int64_t flips = 0, k = perm[0];
        while (k != 0) {
            for (int64_t lo = 0, hi = k; lo < hi; lo++, hi--) {
                int64_t t = perm[lo]; perm[lo] = perm[hi]; perm[hi] = t;
            }
            flips = flips + 1;
            k = perm[0];
        }
        if (flips > maxflips) maxflips = flips;
        if (permcount % 2 == 0) checksum = checksum + flips; else checksum = checksum - flips;
        /* next permutation */
        for (;;) {
            if (r == n) {
                free(perm); free(perm1); free(count);
                return (Result){checksum, maxflips};
            }
            int64_t p0 = perm1[0];
            for (int64_t i = 0; i < r; i++) perm1[i] = perm1[i + 1];
            perm1[r] = p0;
            count[r] = count[r] - 1;
            if (count[r] > 0) break;
            r = r + 1;
        }
        permcount = permcount + 1;
    }
}

int main(void) {
    int64_t checksum = 0, maxflips = 0;
    for (int64_t r = 0; r < REPS; r++) {
        Result res = fannkuch(N);
        checksum = checksum + res.checksum;
        maxflips = maxflips + res.maxflips;
    }
    printf("%lld\n%lld\n", (long long)checksum, (long long)maxflips);
    return 0;
}

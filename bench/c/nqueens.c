/* nqueens.c -- hand-written C twin of bench/zong/nqueens.zong (same algorithm, same output).
 * The Zong program passes its three U8[] slices down the recursion; here their pointers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef N
#define N 13
#endif
#ifndef REPS
#define REPS 2
#endif

typedef struct { int64_t solutions, colsum; } Count;

static void place(int64_t row, int64_t n, int64_t first, uint8_t *cols, uint8_t *d1, uint8_t *d2,
                  Count *acc) {
    if (row == n) {
        acc->solutions = acc->solutions + 1;
        acc->colsum = acc->colsum + first;
        return;
    }
    for (int64_t c = 0; c < n; c++) {
        if (cols[c] == 0 && d1[row + c] == 0 && d2[row - c + n - 1] == 0) {
            cols[c] = 1;
            d1[row + c] = 1;
            d2[row - c + n - 1] = 1;
            int64_t f = first;
            if (row == 0) f = c;
            place(row + 1, n, f, cols, d1, d2, acc);
            cols[c] = 0;
            d1[row + c] = 0;
            d2[row - c + n - 1] = 0;
        }
    }
}

int main(void) {
    int64_t maxn = N, reps = REPS;
    Count *totals = calloc((size_t)(maxn + 1), sizeof *totals);
    if (!totals) return 1;
    for (int64_t r = 0; r < reps; r++) {
        for (int64_t n = 1; n <= maxn; n++) {
            uint8_t *cols = calloc((size_t)(n + n), 1), *d1 = calloc((size_t)(n + n), 1),
                    *d2 = calloc((size_t)(n + n), 1);
            if (!cols || !d1 || !d2) return 1;
            place(0, n, 0, cols, d1, d2, &totals[n]);
            free(cols); free(d1); free(d2);
        }
    }
    for (int64_t n = 1; n <= maxn; n++)
        printf("%lld\n%lld\n", (long long)totals[n].solutions, (long long)totals[n].colsum);
    free(totals);
    return 0;
}

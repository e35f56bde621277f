/* crc8.c -- hand-written C twin of bench/zong/crc8.zong (same algorithm, same output):
 * the same bit-serial CRC-8 in uint8_t arithmetic, without bit operators. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef N
#define N 16000000
#endif
#ifndef BLOCK
#define BLOCK 1024
#endif

static int64_t lcg(int64_t x) { return (x * 1103515245 + 12345) % 2147483648LL; }

static uint8_t update(uint8_t crc, uint8_t b) {
    uint8_t c = crc, p = 128;
    for (;;) {
        uint8_t inbit = (uint8_t)(b / p % 2);
        uint8_t top = (uint8_t)(c / 128);
        c = (uint8_t)(c * 2);
        if (top != inbit) {
            c = (uint8_t)(c + 1);
            if (c / 2 % 2 == 1) c = (uint8_t)(c - 2); else c = (uint8_t)(c + 2);
            if (c / 4 % 2 == 1) c = (uint8_t)(c - 4); else c = (uint8_t)(c + 4);
        }
        if (p == 1) break;
        p = (uint8_t)(p / 2);
    }
    return c;
}

int main(void) {
    int64_t n = N, block = BLOCK;
    uint8_t values[256];
    for (int v = 0; v < 256; v++) values[v] = (uint8_t)v;
    uint8_t *data = malloc((size_t)n);
    if (!data) return 1;
    int64_t seed = 1;
    for (int64_t i = 0; i < n; i++) { seed = lcg(seed); data[i] = values[seed / 8388608]; }
    uint8_t crc = 0;
    int64_t zeros = 0, low = 0;
    for (int64_t i = 0; i < n;) {
        crc = update(crc, data[i]);
        i = i + 1;
        if (i % block == 0) {
            if (crc == 0) zeros = zeros + 1;
            if (crc < 128) low = low + 1;
        }
    }
    printf("%u\n%lld\n%lld\n", (unsigned)crc, (long long)zeros, (long long)low);
    free(data);
    return 0;
}

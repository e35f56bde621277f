/* wordfreq.c -- hand-written C twin of bench/zong/wordfreq.zong (same algorithm, same output).
 * The Zong program builds its buffers with append(); here malloc'd arrays large enough for
 * the longest possible result. code() takes a byte's value by subtracting powers of two, as
 * the Zong program must. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef WORDS
#define WORDS 8000000
#endif
#ifndef VOCAB
#define VOCAB 20000
#endif

static int64_t lcg(int64_t x) { return (x * 1103515245 + 12345) % 2147483648LL; }

static int64_t code(uint8_t b) {
    uint8_t x = b;
    int64_t v = 0;
    if (x >= 128) { x = (uint8_t)(x - 128); v = v + 128; }
    if (x >= 64) { x = (uint8_t)(x - 64); v = v + 64; }
    if (x >= 32) { x = (uint8_t)(x - 32); v = v + 32; }
    if (x >= 16) { x = (uint8_t)(x - 16); v = v + 16; }
    if (x >= 8) { x = (uint8_t)(x - 8); v = v + 8; }
    if (x >= 4) { x = (uint8_t)(x - 4); v = v + 4; }
    if (x >= 2) { x = (uint8_t)(x - 2); v = v + 2; }
    if (x >= 1) { v = v + 1; }
    return v;
}

static int same(const uint8_t *t, int64_t a, int64_t b, int64_t n) {
    for (int64_t i = 0; i < n; i++)
        if (t[a + i] != t[b + i]) return 0;
    return 1;
}

typedef struct { int64_t *starts, *lens, *counts; int64_t cap, distinct; } Words;

static void count(Words *w, const uint8_t *text, int64_t start, int64_t len, int64_t h) {
    int64_t i = h % w->cap;
    for (;;) {
        int64_t c = w->counts[i];
        if (c == 0) {
            w->starts[i] = start; w->lens[i] = len; w->counts[i] = 1;
            w->distinct = w->distinct + 1;
            return;
        }
        if (w->lens[i] == len && same(text, w->starts[i], start, len)) { w->counts[i] = c + 1; return; }
        i = i + 1;
        if (i == w->cap) i = 0;
    }
}

int main(void) {
    int64_t nwords = WORDS, vocab = VOCAB, seed = 99;
    uint8_t *letters = malloc((size_t)vocab * 10);
    int64_t *vstart = malloc((size_t)vocab * sizeof *vstart), *vlen = malloc((size_t)vocab * sizeof *vlen);
    if (!letters || !vstart || !vlen) return 1;
    int64_t nletters = 0;
    for (int64_t i = 0; i < vocab; i++) {
        seed = lcg(seed);
        int64_t len = 1 + seed / 65536 % 10;
        vstart[i] = nletters;
        vlen[i] = len;
        for (int64_t k = 0; k < len; k++) {
            seed = lcg(seed);
            uint8_t l = 97;
            for (int64_t r = seed / 65536 % 26; r != 0; r--) l = (uint8_t)(l + 1);
            letters[nletters++] = l;
        }
    }
    uint8_t *text = malloc((size_t)nwords * 11);
    if (!text) return 1;
    int64_t n = 0;
    for (int64_t i = 0; i < nwords; i++) {
        seed = lcg(seed);
        int64_t a = seed / 16 % vocab;
        seed = lcg(seed);
        int64_t b = seed / 16 % vocab;
        int64_t v = a * b / vocab;
        for (int64_t k = 0; k < vlen[v]; k++) text[n++] = letters[vstart[v] + k];
        text[n++] = (i % 12 == 11) ? 10 : 32;
    }
    Words w = {0};
    w.cap = 65537;
    w.starts = calloc((size_t)w.cap, sizeof *w.starts);
    w.lens = calloc((size_t)w.cap, sizeof *w.lens);
    w.counts = calloc((size_t)w.cap, sizeof *w.counts);
    if (!w.starts || !w.lens || !w.counts) return 1;
    int64_t lines = 0, words = 0;
    for (int64_t i = 0; i < n;) {
        uint8_t c = text[i];
        if (c == 10) lines = lines + 1;
        if (c >= 97 && c <= 122) {
            int64_t start = i, h = 0;
            while (i < n) {
                uint8_t d = text[i];
                if (d < 97 || d > 122) break;
                h = (h * 31 + code(d)) % 1000000007;
                i = i + 1;
            }
            count(&w, text, start, i - start, h);
            words = words + 1;
        } else {
            i = i + 1;
        }
    }
    int64_t best = 0, bestlen = 0, hash = 0;
    for (int64_t i = 0; i < w.cap; i++) {
        if (w.counts[i] > best) { best = w.counts[i]; bestlen = w.lens[i]; }
        hash = (hash * 31 + w.counts[i]) % 1000000007;
    }
    printf("%lld\n%lld\n%lld\n%lld\n%lld\n%lld\n%lld\n", (long long)n, (long long)lines, (long long)words,
           (long long)w.distinct, (long long)best, (long long)bestlen, (long long)hash);
    free(letters); free(vstart); free(vlen); free(text);
    free(w.starts); free(w.lens); free(w.counts);
    return 0;
}

/* pqueue.c -- hand-written C twin of bench/zong/pqueue.zong (same algorithm, same output).
 * The Zong program grows its heap with append(); here realloc doubling from 4. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef N
#define N 1000000
#endif
#ifndef OPS
#define OPS 2500000
#endif

typedef struct { int64_t time, id; } Event;
typedef struct { Event *items; int64_t length, cap; } Heap;

static int64_t lcg(int64_t x) { return (x * 1103515245 + 12345) % 2147483648LL; }

static int before(Event a, Event b) {
    if (a.time != b.time) return a.time < b.time;
    return a.id < b.id;
}

static void push(Heap *h, Event e) {
    if (h->length == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 4;
        h->items = realloc(h->items, (size_t)h->cap * sizeof *h->items);
        if (!h->items) exit(1);
    }
    h->items[h->length++] = e;
    int64_t i = h->length - 1;
    while (i != 0) {
        int64_t parent = (i - 1) / 2;
        if (!before(e, h->items[parent])) break;
        h->items[i] = h->items[parent];
        i = parent;
    }
    h->items[i] = e;
}

static Event pop(Heap *h) {
    Event top = h->items[0];
    int64_t n = h->length - 1;
    Event last = h->items[n];
    h->length = n;
    if (n == 0) return top;
    int64_t i = 0;
    for (;;) {
        int64_t c = i + i + 1;
        if (c >= n) break;
        if (c + 1 < n && before(h->items[c + 1], h->items[c])) c = c + 1;
        if (!before(h->items[c], last)) break;
        h->items[i] = h->items[c];
        i = c;
    }
    h->items[i] = last;
    return top;
}

int main(void) {
    int64_t n = N, ops = OPS, seed = 4242, id = 0;
    Heap h = {0};
    for (; id < n; id++) { seed = lcg(seed); push(&h, (Event){seed % 1000000, id}); }
    int64_t hash = 0, now = 0;
    for (int64_t k = 0; k < ops; k++) {
        Event e = pop(&h);
        now = e.time;
        hash = (hash * 31 + e.time * 7 + e.id) % 1000000007;
        seed = lcg(seed);
        push(&h, (Event){now + 1 + seed % 1000, id});
        id = id + 1;
    }
    int64_t drained = 0, sorted = 1;
    Event prev = {0, 0 - 1};
    while (h.length != 0) {
        Event d = pop(&h);
        if (before(d, prev)) sorted = 0;
        prev = d;
        drained = drained + 1;
    }
    printf("%lld\n%lld\n%lld\n%lld\n", (long long)hash, (long long)now, (long long)drained, (long long)sorted);
    free(h.items);
    return 0;
}

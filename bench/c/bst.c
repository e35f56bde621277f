/* bst.c -- hand-written C twin of bench/zong/bst.zong (same algorithm, same output).
 * The Zong program fills its node pool with append(); here calloc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef N
#define N 500000
#endif
#ifndef Q
#define Q 300000
#endif

typedef struct Node { int64_t key, size; struct Node *left, *right; } Node;

static int64_t lcg(int64_t x) { return (x * 1103515245 + 12345) % 2147483648LL; }

static void insert(Node *t, Node *n, Node *none) {
    if (n->key < t->key) {
        if (t->left == none) t->left = n; else insert(t->left, n, none);
    } else {
        if (t->right == none) t->right = n; else insert(t->right, n, none);
    }
}

static int64_t height(const Node *t, const Node *none) {
    if (t == none) return 0;
    int64_t l = height(t->left, none), r = height(t->right, none);
    if (l > r) return l + 1;
    return r + 1;
}

static int64_t weighted(const Node *t, int64_t depth, const Node *none) {
    if (t == none) return 0;
    return (t->key % 1000) * depth + weighted(t->left, depth + 1, none) + weighted(t->right, depth + 1, none);
}

static int64_t sizes(Node *t, const Node *none) {
    if (t == none) return 0;
    t->size = 1 + sizes(t->left, none) + sizes(t->right, none);
    return t->size;
}

static int64_t rangecount(const Node *t, int64_t lo, int64_t hi, const Node *none) {
    if (t == none) return 0;
    if (t->key < lo) return rangecount(t->right, lo, hi, none);
    if (t->key > hi) return rangecount(t->left, lo, hi, none);
    return 1 + rangecount(t->left, lo, hi, none) + rangecount(t->right, lo, hi, none);
}

static int contains(const Node *t, int64_t key, const Node *none) {
    if (t == none) return 0;
    if (key == t->key) return 1;
    if (key < t->key) return contains(t->left, key, none);
    return contains(t->right, key, none);
}

int main(void) {
    int64_t n = N, q = Q;
    Node *pool = calloc((size_t)(n + 1), sizeof *pool);
    if (!pool) return 1;
    Node *none = &pool[n];
    int64_t seed = 8675309;
    for (int64_t i = 0; i < n; i++) {
        seed = lcg(seed);
        pool[i].key = seed;
        pool[i].left = none;
        pool[i].right = none;
        if (i > 0) insert(&pool[0], &pool[i], none);
    }
    Node *root = &pool[0];
    printf("%lld\n", (long long)height(root, none));
    printf("%lld\n", (long long)weighted(root, 1, none));
    printf("%lld\n", (long long)sizes(root, none));
    int64_t total = 0, found = 0;
    for (int64_t i = 0; i < q; i++) {
        seed = lcg(seed);
        total = total + rangecount(root, seed, seed + 20000, none);
        seed = lcg(seed);
        if (contains(root, seed, none)) found = found + 1;
        if (contains(root, pool[seed % n].key, none)) found = found + 1;
    }
    printf("%lld\n%lld\n", (long long)total, (long long)found);
    free(pool);
    return 0;
}

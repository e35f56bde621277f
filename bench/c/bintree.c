/* bintree.c -- hand-written C twin of bench/zong/bintree.zong (same algorithm, same output).
 * One malloc per node and no free, as the Zong program allocates each node with append
 * and cannot free it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef MAXD
#define MAXD 16
#endif

typedef struct Node { struct Node *left, *right; int64_t item; } Node;

static Node *make(int64_t item, int64_t depth) {
    Node n = {0, 0, item};
    if (depth > 0) {
        n.left = make(item + item - 1, depth - 1);
        n.right = make(item + item, depth - 1);
    }
    Node *cell = malloc(sizeof *cell);
    if (!cell) exit(1);
    *cell = n;
    return cell;
}

static int64_t check(const Node *t) {
    if (t->left == t->right) return t->item;
    return t->item + check(t->left) - check(t->right);
}

static int64_t count(const Node *t) {
    if (t->left == t->right) return 1;
    return 1 + count(t->left) + count(t->right);
}

int main(void) {
    int64_t maxd = MAXD;
    Node *longlived = make(0, maxd);
    for (int64_t d = 4; d <= maxd; d += 2) {
        int64_t iterations = 1;
        for (int64_t k = 0; k < maxd - d + 2; k++) iterations = iterations * 2;
        int64_t sum = 0, nodes = 0;
        for (int64_t i = 1; i <= iterations; i++) {
            Node *a = make(i, d);
            Node *b = make(0 - i, d);
            sum = sum + check(a) + check(b);
            nodes = nodes + count(a) + count(b);
        }
        printf("%lld\n%lld\n%lld\n", (long long)(iterations * 2), (long long)sum, (long long)nodes);
    }
    printf("%lld\n%lld\n", (long long)check(longlived), (long long)count(longlived));
    return 0;
}

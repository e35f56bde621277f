/* bytecode.c -- hand-written C twin of bench/zong/bytecode.zong (same algorithm, same output):
 * the same code array, the same if / else-if dispatch chain. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef M
#define M 500000
#endif

static int64_t code[128];
static int64_t ncode;

static void emit(int64_t op, int64_t arg) { code[ncode++] = op; code[ncode++] = arg; }

static int64_t run(const int64_t *code, int64_t *regs) {
    int64_t stack[64] = {0};
    int64_t sp = 0, pc = 0, steps = 0;
    for (;;) {
        int64_t op = code[pc + pc];
        int64_t arg = code[pc + pc + 1];
        pc = pc + 1;
        steps = steps + 1;
        if (op == 0) {
            break;
        } else if (op == 1) {
            stack[sp] = arg; sp = sp + 1;
        } else if (op == 2) {
            stack[sp] = regs[arg]; sp = sp + 1;
        } else if (op == 3) {
            sp = sp - 1; regs[arg] = stack[sp];
        } else if (op == 4) {
            sp = sp - 1; stack[sp - 1] = stack[sp - 1] + stack[sp];
        } else if (op == 5) {
            sp = sp - 1; stack[sp - 1] = stack[sp - 1] - stack[sp];
        } else if (op == 6) {
            sp = sp - 1; stack[sp - 1] = stack[sp - 1] * stack[sp];
        } else if (op == 7) {
            sp = sp - 1; stack[sp - 1] = stack[sp - 1] % stack[sp];
        } else if (op == 8) {
            sp = sp - 1;
            if (stack[sp - 1] < stack[sp]) stack[sp - 1] = 1; else stack[sp - 1] = 0;
        } else if (op == 9) {
            sp = sp - 1;
            if (stack[sp - 1] > stack[sp]) stack[sp - 1] = 1; else stack[sp - 1] = 0;
        } else if (op == 10) {
            sp = sp - 1; if (stack[sp] == 0) pc = arg;
        } else if (op == 11) {
            sp = sp - 1; if (stack[sp] != 0) pc = arg;
        } else if (op == 12) {
            pc = arg;
        } else if (op == 13) {
            sp = sp - 1; printf("%lld\n", (long long)stack[sp]);
        }
    }
    printf("%lld\n", (long long)steps);
    return sp;
}

int main(void) {
    /* registers: r0 = i, r1 = count, r2 = j, r3 = M */
    emit(1, 2);  emit(3, 0);                                     /*  0- 1 */
    emit(2, 0);  emit(2, 3);  emit(8, 0);  emit(10, 32);         /*  2- 5 outer */
    emit(1, 2);  emit(3, 2);                                     /*  6- 7 */
    emit(2, 2);  emit(2, 2);  emit(6, 0);  emit(2, 0);  emit(9, 0);  emit(11, 23); /* 8-13 inner */
    emit(2, 0);  emit(2, 2);  emit(7, 0);  emit(10, 27);         /* 14-17 */
    emit(2, 2);  emit(1, 1);  emit(4, 0);  emit(3, 2);  emit(12, 8);   /* 18-22 */
    emit(2, 1);  emit(1, 1);  emit(4, 0);  emit(3, 1);           /* 23-26 prime */
    emit(2, 0);  emit(1, 1);  emit(4, 0);  emit(3, 0);  emit(12, 2);   /* 27-31 next */
    emit(2, 1);  emit(13, 0); emit(1, 0);  emit(1, 5);  emit(5, 0);  emit(0, 0); /* 32-37 end */
    int64_t regs[8] = {0};
    regs[3] = M;
    printf("%lld\n", (long long)run(code, regs));
    return 0;
}

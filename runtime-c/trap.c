/* trap.c: machine traps. "zong: runtime error: KIND in function NAME [at FILE:LINE]" on stderr,
 * stdout flushed first, exit status 2. */
#include "zrt_internal.h"

#include <stdio.h>
#include <unistd.h>

void (*zrt_trap_hook)(zrt_trap_kind kind);

const char *zrt_trap_text(zrt_trap_kind kind) {
    switch (kind) {
    case ZRT_TRAP_UNREACHABLE: return "unreachable";
    case ZRT_TRAP_OOB: return "out of bounds memory access";
    case ZRT_TRAP_DIV_ZERO: return "integer divide by zero";
    case ZRT_TRAP_INT_OVERFLOW: return "integer overflow";
    case ZRT_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case ZRT_TRAP_UNDEFINED_ELEMENT: return "undefined element";
    case ZRT_TRAP_UNINITIALIZED_ELEMENT: return "uninitialized element";
    case ZRT_TRAP_INDIRECT_CALL_TYPE: return "indirect call type mismatch";
    case ZRT_TRAP_STACK_OVERFLOW: return "stack overflow";
    case ZRT_TRAP_TSTACK_OVERFLOW: return "tstack overflow";
    case ZRT_TRAP_OOB_TABLE: return "out of bounds table access";
    }
    return "trap";
}

void zrt_trap(zrt_trap_kind kind, uint32_t func, uint32_t loc) {
    if (zrt_trap_hook) zrt_trap_hook(kind);
    zrt_stdout_flush();
    char msg[512];
    int n = snprintf(msg, sizeof msg, "zong: runtime error: %s", zrt_trap_text(kind));
    if (func < zrt_func_count && n >= 0 && (size_t)n < sizeof msg)
        n += snprintf(msg + n, sizeof msg - (size_t)n, " in function %s", zrt_func_names[func]);
    uint32_t file = loc >> 24, line = loc & 0xffffff;
    if (line != 0 && file < zrt_file_count && n >= 0 && (size_t)n < sizeof msg)
        n += snprintf(msg + n, sizeof msg - (size_t)n, " at %s:%u", zrt_file_names[file], (unsigned)line);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof msg - 1) n = (int)sizeof msg - 2;
    msg[n++] = '\n';
    zrt_write_all(2, msg, (size_t)n);
    _exit(2);
}

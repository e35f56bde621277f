/* memory.c: the linear memory. One mmap reservation that never moves (so generated code keeps
 * the base in a register); pages are made accessible with mprotect as the memory grows. In
 * guard-page mode the reservation covers every u32 address + u32 offset, and a SIGSEGV handler
 * on an alternate stack turns faults into traps. */
#define _GNU_SOURCE
#include "zrt_internal.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#define ZRT_PAGE 65536u

zrt_memory zrt_mem;

static void zrt_fatal(const char *msg) {
    zrt_stdout_flush();
    zrt_write_all(2, msg, strlen(msg));
    _exit(2);
}

void zrt_memory_new(zrt_memory *m, uint32_t initial_pages, uint32_t max_pages, int guard_pages) {
    if (initial_pages > max_pages)
        zrt_fatal("zong: runtime error: out of memory (initial memory exceeds the limit)\n");
    uint64_t reserve = guard_pages ? (UINT64_C(8) << 30) + ZRT_PAGE : (uint64_t)max_pages * ZRT_PAGE;
    if (reserve == 0) reserve = ZRT_PAGE;
    void *base = mmap(NULL, (size_t)reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) zrt_fatal("zong: runtime error: out of memory (cannot reserve linear memory)\n");
    uint64_t size = (uint64_t)initial_pages * ZRT_PAGE;
    if (size > 0 && mprotect(base, (size_t)size, PROT_READ | PROT_WRITE) != 0)
        zrt_fatal("zong: runtime error: out of memory (cannot commit linear memory)\n");
    m->base = base;
    m->size = size;
    m->pages = initial_pages;
    m->max_pages = max_pages;
    m->reserved = reserve;
}

uint32_t zrt_memory_grow(zrt_memory *m, uint32_t delta) {
    uint32_t old = m->pages;
    if (delta == 0) return old;
    if ((uint64_t)old + delta > m->max_pages) return UINT32_MAX;
    uint64_t new_size = ((uint64_t)old + delta) * ZRT_PAGE;
    if (mprotect(m->base + m->size, (size_t)(new_size - m->size), PROT_READ | PROT_WRITE) != 0)
        return UINT32_MAX;
    m->pages = old + delta;
    m->size = new_size;
    return old;
}

void zrt_mem_init(uint32_t initial_pages, uint32_t max_pages, int guard_pages) {
    zrt_memory_new(&zrt_mem, initial_pages, max_pages, guard_pages);
}

uint32_t zrt_mem_grow(uint32_t delta) { return zrt_memory_grow(&zrt_mem, delta); }

/* ---- faults ------------------------------------------------------------------------------------- */

uintptr_t zrt_stack_low, zrt_stack_high;

static uintptr_t zrt_fault_pc(void *context) {
    ucontext_t *uc = context;
    (void)uc;
#if defined(__x86_64__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
    return (uintptr_t)uc->uc_mcontext.pc;
#else
    return 0;
#endif
}

/* The translated function whose code contains `pc` (UINT32_MAX if none does). */
static uint32_t zrt_function_at(uintptr_t pc) {
    for (uint32_t i = 0; i < zrt_func_count; i++) {
        uintptr_t start = (uintptr_t)zrt_func_code[i].start, end = (uintptr_t)zrt_func_code[i].end;
        if (start != 0 && start <= pc && pc < end) return i;
    }
    return UINT32_MAX;
}

static void zrt_fault_handler(int sig, siginfo_t *info, void *context) {
    uintptr_t addr = (uintptr_t)info->si_addr;
    uintptr_t base = (uintptr_t)zrt_mem.base;
    if (base != 0 && addr >= base && addr - base < zrt_mem.reserved)
        zrt_trap(ZRT_TRAP_OOB, zrt_function_at(zrt_fault_pc(context)), 0);
    if (zrt_stack_low != 0 && addr + (UINT64_C(1) << 20) >= zrt_stack_low && addr < zrt_stack_high)
        zrt_trap(ZRT_TRAP_STACK_OVERFLOW, zrt_function_at(zrt_fault_pc(context)), 0);
    /* Not ours: let the default action happen when the instruction re-executes. */
    signal(sig, SIG_DFL);
}

void zrt_install_fault_handler(void) {
    static unsigned char altstack[1 << 16];
    stack_t ss;
    ss.ss_sp = altstack;
    ss.ss_size = sizeof altstack;
    ss.ss_flags = 0;
    if (sigaltstack(&ss, NULL) != 0) return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = zrt_fault_handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
}

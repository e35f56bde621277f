/* start.c: the process entry point. Runs the module on a thread with a 64 MiB stack whose bounds
 * we know, so translated functions can compare their frame address against zrt_stack_limit and
 * report deep recursion as "stack overflow in function F" instead of dying with SIGSEGV. */
#define _GNU_SOURCE
#include "zrt_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#define ZRT_STACK_SIZE ((size_t)64 << 20)
/* Head room below the limit for the runtime (WASI calls, trap reporting) and one large frame. */
#define ZRT_STACK_MARGIN ((size_t)1 << 20)

uintptr_t zrt_stack_limit;
int zrt_argc;
char **zrt_argv;
char **zrt_envp;

static void *zrt_run(void *arg) {
    (void)arg;
    zrt_install_fault_handler(); /* sigaltstack is per thread */
    zrt_module_init();
    zrt_module_start();
    exit(zrt_stdout_finish());
}

int main(int argc, char **argv, char **envp) {
    zrt_argc = argc;
    zrt_argv = argv;
    zrt_envp = envp;
    size_t guard = 65536;
    void *stack = mmap(NULL, ZRT_STACK_SIZE + guard, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (stack != MAP_FAILED) {
        mprotect(stack, guard, PROT_NONE);
        uintptr_t low = (uintptr_t)stack + guard;
        zrt_stack_low = low;
        zrt_stack_high = low + ZRT_STACK_SIZE;
        zrt_stack_limit = low + ZRT_STACK_MARGIN;
        pthread_attr_t attr;
        pthread_t thread;
        if (pthread_attr_init(&attr) == 0 &&
            pthread_attr_setstack(&attr, (void *)low, ZRT_STACK_SIZE) == 0 &&
            pthread_create(&thread, &attr, zrt_run, NULL) == 0) {
            pthread_join(thread, NULL);
            return 0; /* not reached: zrt_run exits */
        }
    }
    /* No thread: run on the main stack with a limit derived from its rlimit. */
    struct rlimit rl;
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    size_t size = (size_t)8 << 20;
    if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < ((rlim_t)1 << 32))
        size = (size_t)rl.rlim_cur;
    zrt_stack_high = here;
    zrt_stack_low = here - size + 65536;
    zrt_stack_limit = here - size + ZRT_STACK_MARGIN + 65536;
    zrt_run(NULL);
    return 0;
}

/* zrt_internal.h: declarations shared by the runtime's own .c files (not by generated C). */
#ifndef ZRT_INTERNAL_H
#define ZRT_INTERNAL_H

#include "zong_rt.h"
#include <stddef.h>

/* stdout.c: fd 1 goes through one buffer; everything else is written directly. */
void zrt_stdout_write(const void *data, size_t len);
/* At exit: flushes stdout; 0 if everything written to it arrived, else reports the first write
 * error on stderr and returns 1 (the exit status, as wasmkit gives in that case). */
int zrt_stdout_finish(void);
/* Writes all of `len` bytes to a host fd, retrying on EINTR and partial writes. */
int zrt_write_all(int fd, const void *data, size_t len);

/* start.c: the process arguments and environment, for args_get / environ_get. */
extern int zrt_argc;
extern char **zrt_argv;
extern char **zrt_envp;

/* memory.c: the fault handler for guard-page mode and native stack overflows. */
void zrt_install_fault_handler(void);
extern uintptr_t zrt_stack_low;  /* lowest address of the module thread's stack (0 = unknown) */
extern uintptr_t zrt_stack_high;

#endif

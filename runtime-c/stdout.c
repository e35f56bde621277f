/* stdout.c: fd 1 is buffered (64 KiB), flushed when full, at exit, on a trap, before reading
 * stdin and before writing stderr. A million printed lines are ~100 write(2) calls, not a million. */
#include "zrt_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define ZRT_STDOUT_CAPACITY 65536

static unsigned char zrt_stdout_buf[ZRT_STDOUT_CAPACITY];
static size_t zrt_stdout_len;
/* The first error writing fd 1 (0: none). Writes are buffered, so the program's fd_write has
 * already succeeded when a flush fails; the exit status reports it instead (zrt_stdout_finish). */
static int zrt_stdout_error;

static void zrt_stdout_put(const void *data, size_t len) {
    if (zrt_write_all(1, data, len) != 0 && zrt_stdout_error == 0) zrt_stdout_error = errno ? errno : EIO;
}

int zrt_write_all(int fd, const void *data, size_t len) {
    const unsigned char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

void zrt_stdout_flush(void) {
    if (zrt_stdout_len == 0) return;
    size_t len = zrt_stdout_len;
    zrt_stdout_len = 0;
    zrt_stdout_put(zrt_stdout_buf, len);
}

int zrt_stdout_finish(void) {
    zrt_stdout_flush();
    if (zrt_stdout_error == 0) return 0;
    char message[160];
    int n = snprintf(message, sizeof message, "zong: error: cannot write standard output: %s\n", strerror(zrt_stdout_error));
    if (n > 0) (void)zrt_write_all(2, message, (size_t)n < sizeof message ? (size_t)n : sizeof message - 1);
    return 1;
}

void zrt_stdout_write(const void *data, size_t len) {
    if (zrt_stdout_len + len > ZRT_STDOUT_CAPACITY) {
        zrt_stdout_flush();
        if (len >= ZRT_STDOUT_CAPACITY) {
            zrt_stdout_put(data, len);
            return;
        }
    }
    memcpy(zrt_stdout_buf + zrt_stdout_len, data, len);
    zrt_stdout_len += len;
}

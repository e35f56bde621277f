/* wasi.c: WASI preview1 on POSIX, the subset W2C maps imports of `wasi_snapshot_preview1` to.
 * Every guest pointer and length is checked against the linear memory before it is touched; a
 * bad one returns EFAULT (21). Errno values are WASI's own, never the host's. */
#define _GNU_SOURCE
#include "zrt_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <stdlib.h>

enum {
    WASI_ESUCCESS = 0, WASI_E2BIG = 1, WASI_EACCES = 2, WASI_EAGAIN = 6, WASI_EBADF = 8,
    WASI_EEXIST = 20, WASI_EFAULT = 21, WASI_EINTR = 27, WASI_EINVAL = 28, WASI_EIO = 29,
    WASI_EISDIR = 31, WASI_ENOENT = 44, WASI_ENOMEM = 48, WASI_ENOSPC = 51, WASI_ENOSYS = 52,
    WASI_ENOTDIR = 54, WASI_ENOTSUP = 58, WASI_EPERM = 63, WASI_EPIPE = 64, WASI_ESPIPE = 70,
    WASI_ENOTCAPABLE = 76, WASI_ELOOP = 32, WASI_ENAMETOOLONG = 37, WASI_EMFILE = 33,
};

static uint32_t zrt_wasi_errno(int e) {
    switch (e) {
    case E2BIG: return WASI_E2BIG;
    case EACCES: return WASI_EACCES;
    case EAGAIN: return WASI_EAGAIN;
    case EBADF: return WASI_EBADF;
    case EEXIST: return WASI_EEXIST;
    case EFAULT: return WASI_EFAULT;
    case EINTR: return WASI_EINTR;
    case EINVAL: return WASI_EINVAL;
    case EISDIR: return WASI_EISDIR;
    case ELOOP: return WASI_ELOOP;
    case EMFILE: return WASI_EMFILE;
    case ENAMETOOLONG: return WASI_ENAMETOOLONG;
    case ENOENT: return WASI_ENOENT;
    case ENOMEM: return WASI_ENOMEM;
    case ENOSPC: return WASI_ENOSPC;
    case ENOSYS: return WASI_ENOSYS;
    case ENOTDIR: return WASI_ENOTDIR;
    case EPERM: return WASI_EPERM;
    case EPIPE: return WASI_EPIPE;
    case ESPIPE: return WASI_ESPIPE;
    default: return WASI_EIO;
    }
}

/* The host address of guest range [p, p+n), or NULL when it is not inside the memory. */
static uint8_t *zrt_guest(uint32_t p, uint64_t n) {
    if ((uint64_t)p + n > zrt_mem.size) return NULL;
    return zrt_mem.base + p;
}

static void zrt_put_u32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void zrt_put_u64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

#define ZRT_MAX_IOVS 1024

/* Checks the iovec array and every buffer; fills host iovecs. */
static uint32_t zrt_iovecs(uint32_t iovs, uint32_t len, struct iovec *out) {
    if (len > ZRT_MAX_IOVS) return WASI_EINVAL;
    const uint8_t *arr = zrt_guest(iovs, (uint64_t)len * 8);
    if (arr == NULL) return WASI_EFAULT;
    for (uint32_t i = 0; i < len; i++) {
        uint32_t buf, buf_len;
        memcpy(&buf, arr + 8 * i, 4);
        memcpy(&buf_len, arr + 8 * i + 4, 4);
        uint8_t *p = zrt_guest(buf, buf_len);
        if (p == NULL) return WASI_EFAULT;
        out[i].iov_base = p;
        out[i].iov_len = buf_len;
    }
    return WASI_ESUCCESS;
}

/* Whether `fd` names an open descriptor, for calls that make no system call to find out. */
static int zrt_fd_is_open(uint32_t fd) {
    return fd <= INT32_MAX && fcntl((int)fd, F_GETFD) >= 0;
}

uint32_t zrt_wasi_fd_write(uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nwritten) {
    static struct iovec host[ZRT_MAX_IOVS];
    uint32_t err = zrt_iovecs(iovs, iovs_len, host);
    if (err) return err;
    uint8_t *out = zrt_guest(nwritten, 4);
    if (out == NULL) return WASI_EFAULT;
    size_t total = 0;
    if (fd == 1) {
        for (uint32_t i = 0; i < iovs_len; i++) {
            zrt_stdout_write(host[i].iov_base, host[i].iov_len);
            total += host[i].iov_len;
        }
    } else {
        if (fd == 2) zrt_stdout_flush();
        if (iovs_len > 0) {
            ssize_t w = writev((int)fd, host, (int)iovs_len);
            if (w < 0) return zrt_wasi_errno(errno);
            total = (size_t)w;
        } else if (!zrt_fd_is_open(fd)) {
            return WASI_EBADF;  /* nothing to write, but a bad descriptor is still an error */
        }
    }
    zrt_put_u32(out, (uint32_t)total);
    return WASI_ESUCCESS;
}

uint32_t zrt_wasi_fd_read(uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nread) {
    static struct iovec host[ZRT_MAX_IOVS];
    uint32_t err = zrt_iovecs(iovs, iovs_len, host);
    if (err) return err;
    uint8_t *out = zrt_guest(nread, 4);
    if (out == NULL) return WASI_EFAULT;
    zrt_stdout_flush();
    ssize_t r = 0;
    if (iovs_len > 0) {
        do r = readv((int)fd, host, (int)iovs_len);
        while (r < 0 && errno == EINTR);
        if (r < 0) return zrt_wasi_errno(errno);
    } else if (!zrt_fd_is_open(fd)) {
        return WASI_EBADF;
    }
    zrt_put_u32(out, (uint32_t)r);
    return WASI_ESUCCESS;
}

/* Two preopened directories, so that paths resolve as a C program's would: fd 3 is "/" and fd 4
 * is "." (the current directory). Opened on first use (a program that touches no path opens
 * nothing); the standard library's file functions use fd 3 for an absolute path and fd 4 for a
 * relative one, and the interpreter is given the same two directories (`--dir / --dir .`). */
static int zrt_preopens_ready;

static void zrt_preopen(void) {
    if (zrt_preopens_ready) return;
    zrt_preopens_ready = 1;
    static const char *const dirs[2] = {"/", "."};
    for (int i = 0; i < 2; i++) {
        int fd = open(dirs[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0 || fd == 3 + i) continue;
        dup2(fd, 3 + i);
        close(fd);
    }
}

static int zrt_is_preopen(uint32_t fd) {
    zrt_preopen();
    return (fd == 3 || fd == 4) && fcntl((int)fd, F_GETFD) >= 0;
}

uint32_t zrt_wasi_fd_close(uint32_t fd) {
    if (fd == 3 || fd == 4) {
        zrt_preopen();
        return WASI_ENOTSUP;  /* a preopened directory stays open */
    }
    if (fd == 1) zrt_stdout_flush();
    if (close((int)fd) != 0) return zrt_wasi_errno(errno);
    return WASI_ESUCCESS;
}

uint32_t zrt_wasi_fd_seek(uint32_t fd, uint64_t offset, uint32_t whence, uint32_t newoffset) {
    uint8_t *out = zrt_guest(newoffset, 8);
    if (out == NULL) return WASI_EFAULT;
    int w;
    switch (whence) {
    case 0: w = SEEK_SET; break;
    case 1: w = SEEK_CUR; break;
    case 2: w = SEEK_END; break;
    default: return WASI_EINVAL;
    }
    if (fd == 1) zrt_stdout_flush();
    off_t r = lseek((int)fd, (off_t)(int64_t)offset, w);
    if (r < 0) return zrt_wasi_errno(errno);
    zrt_put_u64(out, (uint64_t)r);
    return WASI_ESUCCESS;
}

uint32_t zrt_wasi_fd_fdstat_get(uint32_t fd, uint32_t stat) {
    uint8_t *out = zrt_guest(stat, 24);
    if (out == NULL) return WASI_EFAULT;
    struct stat st;
    if (fstat((int)fd, &st) != 0) return zrt_wasi_errno(errno);
    uint8_t filetype = 0;
    if (S_ISCHR(st.st_mode)) filetype = 2;
    else if (S_ISBLK(st.st_mode)) filetype = 1;
    else if (S_ISDIR(st.st_mode)) filetype = 3;
    else if (S_ISREG(st.st_mode)) filetype = 4;
    else if (S_ISSOCK(st.st_mode)) filetype = 6;
    else if (S_ISLNK(st.st_mode)) filetype = 7;
    int fl = fcntl((int)fd, F_GETFL);
    uint16_t flags = 0;
    if (fl >= 0) {
        if (fl & O_APPEND) flags |= 1;
        if (fl & O_NONBLOCK) flags |= 4;
    }
    /* All rights except seek/tell on character devices and pipes (wasi-libc's isatty test). */
    uint64_t rights = UINT64_C(0x1fffffff);
    if (filetype == 2 || S_ISFIFO(st.st_mode)) rights &= ~(UINT64_C(1) << 2 | UINT64_C(1) << 5);
    memset(out, 0, 24);
    out[0] = filetype;
    memcpy(out + 2, &flags, 2);
    zrt_put_u64(out + 8, rights);
    zrt_put_u64(out + 16, rights);
    return WASI_ESUCCESS;
}

/* The preopened directories 3 ("/") and 4 ("."); BADF for 5 ends wasi-libc's preopen scan. */
uint32_t zrt_wasi_fd_prestat_get(uint32_t fd, uint32_t prestat) {
    uint8_t *out = zrt_guest(prestat, 8);
    if (out == NULL) return WASI_EFAULT;
    if (!zrt_is_preopen(fd)) return WASI_EBADF;
    memset(out, 0, 8);  /* tag 0: a directory */
    zrt_put_u32(out + 4, 1);  /* the name's length */
    return WASI_ESUCCESS;
}

uint32_t zrt_wasi_fd_prestat_dir_name(uint32_t fd, uint32_t path, uint32_t len) {
    uint8_t *out = zrt_guest(path, len);
    if (out == NULL) return WASI_EFAULT;
    if (!zrt_is_preopen(fd)) return WASI_EBADF;
    if (len < 1) return WASI_EINVAL;
    out[0] = fd == 3 ? '/' : '.';
    return WASI_ESUCCESS;
}

/* argv / environ: an array of u32 pointers into a buffer of NUL-terminated strings. */
static uint32_t zrt_strings_sizes(char **strings, int count, uint32_t count_ptr, uint32_t size_ptr) {
    uint8_t *c = zrt_guest(count_ptr, 4), *s = zrt_guest(size_ptr, 4);
    if (c == NULL || s == NULL) return WASI_EFAULT;
    uint64_t size = 0;
    for (int i = 0; i < count; i++) size += strlen(strings[i]) + 1;
    if (size > UINT32_MAX) return WASI_E2BIG;
    zrt_put_u32(c, (uint32_t)count);
    zrt_put_u32(s, (uint32_t)size);
    return WASI_ESUCCESS;
}

static uint32_t zrt_strings_get(char **strings, int count, uint32_t ptrs, uint32_t buf) {
    uint64_t size = 0;
    for (int i = 0; i < count; i++) size += strlen(strings[i]) + 1;
    uint8_t *p = zrt_guest(ptrs, (uint64_t)count * 4), *b = zrt_guest(buf, size);
    if (p == NULL || b == NULL) return WASI_EFAULT;
    uint32_t at = buf;
    for (int i = 0; i < count; i++) {
        size_t n = strlen(strings[i]) + 1;
        zrt_put_u32(p + 4 * i, at);
        memcpy(zrt_mem.base + at, strings[i], n);
        at += (uint32_t)n;
    }
    return WASI_ESUCCESS;
}

static int zrt_env_count(void) {
    int n = 0;
    while (zrt_envp != NULL && zrt_envp[n] != NULL) n++;
    return n;
}

uint32_t zrt_wasi_args_sizes_get(uint32_t argc, uint32_t size) { return zrt_strings_sizes(zrt_argv, zrt_argc, argc, size); }
uint32_t zrt_wasi_args_get(uint32_t argv, uint32_t buf) { return zrt_strings_get(zrt_argv, zrt_argc, argv, buf); }
uint32_t zrt_wasi_environ_sizes_get(uint32_t count, uint32_t size) { return zrt_strings_sizes(zrt_envp, zrt_env_count(), count, size); }
uint32_t zrt_wasi_environ_get(uint32_t env, uint32_t buf) { return zrt_strings_get(zrt_envp, zrt_env_count(), env, buf); }

static int zrt_clock_id(uint32_t id, clockid_t *out) {
    switch (id) {
    case 0: *out = CLOCK_REALTIME; return 1;
    case 1: *out = CLOCK_MONOTONIC; return 1;
    case 2: *out = CLOCK_PROCESS_CPUTIME_ID; return 1;
    case 3: *out = CLOCK_THREAD_CPUTIME_ID; return 1;
    default: return 0;
    }
}

uint32_t zrt_wasi_clock_time_get(uint32_t id, uint64_t precision, uint32_t time) {
    (void)precision;
    clockid_t c;
    if (!zrt_clock_id(id, &c)) return WASI_EINVAL;
    uint8_t *out = zrt_guest(time, 8);
    if (out == NULL) return WASI_EFAULT;
    struct timespec ts;
    if (clock_gettime(c, &ts) != 0) return zrt_wasi_errno(errno);
    zrt_put_u64(out, (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec);
    return WASI_ESUCCESS;
}

uint32_t zrt_wasi_clock_res_get(uint32_t id, uint32_t res) {
    clockid_t c;
    if (!zrt_clock_id(id, &c)) return WASI_EINVAL;
    uint8_t *out = zrt_guest(res, 8);
    if (out == NULL) return WASI_EFAULT;
    struct timespec ts;
    if (clock_getres(c, &ts) != 0) return zrt_wasi_errno(errno);
    zrt_put_u64(out, (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec);
    return WASI_ESUCCESS;
}

uint32_t zrt_wasi_random_get(uint32_t buf, uint32_t len) {
    uint8_t *p = zrt_guest(buf, len);
    if (p == NULL) return WASI_EFAULT;
    while (len > 0) {
        ssize_t r = getrandom(p, len, 0);
        if (r < 0) {
            if (errno == EINTR) continue;
            return zrt_wasi_errno(errno);
        }
        p += r;
        len -= (uint32_t)r;
    }
    return WASI_ESUCCESS;
}

/* ---- what the rest of wasi-libc links against ------------------------------------------- */

uint32_t zrt_wasi_sched_yield(void) {
    sched_yield();
    return WASI_ESUCCESS;
}

static uint64_t zrt_timespec_ns(const struct timespec *ts) {
    return (uint64_t)ts->tv_sec * UINT64_C(1000000000) + (uint64_t)ts->tv_nsec;
}

/* Clock subscriptions (sleep, nanosleep) wait for the earliest deadline; fd subscriptions are
 * answered at once with ENOTSUP in the event (stdin/stdout readiness polling is not provided).
 * A subscription is 48 bytes: userdata u64 @0, tag u8 @8, clock id u32 @16, timeout u64 @24,
 * precision u64 @32, flags u16 @40 (bit 0: absolute). An event is 32 bytes: userdata u64 @0,
 * error u16 @8, type u8 @10. */
uint32_t zrt_wasi_poll_oneoff(uint32_t in, uint32_t out, uint32_t nsubscriptions, uint32_t nevents) {
    if (nsubscriptions == 0) return WASI_EINVAL;
    const uint8_t *subs = zrt_guest(in, (uint64_t)nsubscriptions * 48);
    uint8_t *events = zrt_guest(out, (uint64_t)nsubscriptions * 32);
    uint8_t *count = zrt_guest(nevents, 4);
    if (subs == NULL || events == NULL || count == NULL) return WASI_EFAULT;
    zrt_stdout_flush();
    uint32_t n = 0, earliest = UINT32_MAX;
    uint64_t wait = 0;
    for (uint32_t i = 0; i < nsubscriptions; i++) {
        const uint8_t *sub = subs + 48 * (size_t)i;
        uint8_t tag = sub[8];
        uint16_t error = 0;
        if (tag == 0) {
            uint32_t id;
            uint64_t timeout;
            uint16_t flags;
            memcpy(&id, sub + 16, 4);
            memcpy(&timeout, sub + 24, 8);
            memcpy(&flags, sub + 40, 2);
            clockid_t c;
            struct timespec now;
            if (!zrt_clock_id(id, &c) || clock_gettime(c, &now) != 0) {
                error = WASI_EINVAL;
            } else {
                uint64_t rel = timeout;
                if (flags & 1) rel = timeout > zrt_timespec_ns(&now) ? timeout - zrt_timespec_ns(&now) : 0;
                if (earliest == UINT32_MAX || rel < wait) {
                    earliest = i;
                    wait = rel;
                }
                continue;
            }
        } else {
            error = WASI_ENOTSUP;
        }
        uint8_t *ev = events + 32 * (size_t)n++;
        memset(ev, 0, 32);
        memcpy(ev, sub, 8);
        memcpy(ev + 8, &error, 2);
        ev[10] = tag;
    }
    if (n == 0 && earliest != UINT32_MAX) {
        struct timespec ts = {(time_t)(wait / UINT64_C(1000000000)), (long)(wait % UINT64_C(1000000000))};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
        uint8_t *ev = events;
        memset(ev, 0, 32);
        memcpy(ev, subs + 48 * (size_t)earliest, 8);
        n = 1;
    }
    zrt_put_u32(count, n);
    return WASI_ESUCCESS;
}

/* filestat: dev u64 @0, ino u64 @8, filetype u8 @16, nlink u64 @24, size u64 @32, atim @40,
 * mtim @48, ctim @56 (nanoseconds). */
uint32_t zrt_wasi_fd_filestat_get(uint32_t fd, uint32_t buf) {
    uint8_t *out = zrt_guest(buf, 64);
    if (out == NULL) return WASI_EFAULT;
    struct stat st;
    if (fstat((int)fd, &st) != 0) return zrt_wasi_errno(errno);
    memset(out, 0, 64);
    zrt_put_u64(out, (uint64_t)st.st_dev);
    zrt_put_u64(out + 8, (uint64_t)st.st_ino);
    out[16] = S_ISCHR(st.st_mode) ? 2 : S_ISBLK(st.st_mode) ? 1 : S_ISDIR(st.st_mode) ? 3 : S_ISREG(st.st_mode) ? 4
            : S_ISSOCK(st.st_mode) ? 6 : S_ISLNK(st.st_mode) ? 7 : 0;
    zrt_put_u64(out + 24, (uint64_t)st.st_nlink);
    zrt_put_u64(out + 32, (uint64_t)st.st_size);
    zrt_put_u64(out + 40, zrt_timespec_ns(&st.st_atim));
    zrt_put_u64(out + 48, zrt_timespec_ns(&st.st_mtim));
    zrt_put_u64(out + 56, zrt_timespec_ns(&st.st_ctim));
    return WASI_ESUCCESS;
}

uint32_t zrt_wasi_fd_fdstat_set_flags(uint32_t fd, uint32_t flags) {
    int fl = fcntl((int)fd, F_GETFL);
    if (fl < 0) return zrt_wasi_errno(errno);
    fl &= ~(O_APPEND | O_NONBLOCK);
    if (flags & 1) fl |= O_APPEND;
    if (flags & 4) fl |= O_NONBLOCK;
    if (flags & ~(uint32_t)5) return WASI_ENOTSUP; /* DSYNC, RSYNC, SYNC */
    if (fcntl((int)fd, F_SETFL, fl) != 0) return zrt_wasi_errno(errno);
    return WASI_ESUCCESS;
}

uint32_t zrt_wasi_fd_sync(uint32_t fd) {
    if (fd == 1) zrt_stdout_flush();
    if (fsync((int)fd) != 0) return zrt_wasi_errno(errno);
    return WASI_ESUCCESS;
}

uint32_t zrt_wasi_fd_datasync(uint32_t fd) {
    if (fd == 1) zrt_stdout_flush();
    if (fdatasync((int)fd) != 0) return zrt_wasi_errno(errno);
    return WASI_ESUCCESS;
}

uint32_t zrt_wasi_fd_tell(uint32_t fd, uint32_t offset) {
    uint8_t *out = zrt_guest(offset, 8);
    if (out == NULL) return WASI_EFAULT;
    if (fd == 1) zrt_stdout_flush();
    off_t r = lseek((int)fd, 0, SEEK_CUR);
    if (r < 0) return zrt_wasi_errno(errno);
    zrt_put_u64(out, (uint64_t)r);
    return WASI_ESUCCESS;
}

/* Opens `path` relative to the directory `fd` (a preopen, or a directory opened before), with
 * openat: read and/or write access from the rights fd_read (bit 1) and fd_write (bit 6);
 * oflags CREAT 1, DIRECTORY 2, EXCL 4, TRUNC 8; fdflags APPEND 1, NONBLOCK 4; symlinks are
 * followed only with dirflags bit 0. The other path operations remain refused (NOTCAPABLE). */
uint32_t zrt_wasi_path_open(uint32_t fd, uint32_t dirflags, uint32_t path, uint32_t path_len, uint32_t oflags,
                            uint64_t rights_base, uint64_t rights_inheriting, uint32_t fdflags, uint32_t opened) {
    (void)rights_inheriting;
    uint8_t *out = zrt_guest(opened, 4);
    uint8_t *p = zrt_guest(path, path_len);
    if (out == NULL || p == NULL) return WASI_EFAULT;
    zrt_preopen();
    char name[4096];
    if (path_len >= sizeof name) return WASI_ENAMETOOLONG;
    if (memchr(p, 0, path_len) != NULL) return WASI_EINVAL;
    memcpy(name, p, path_len);
    name[path_len] = 0;
    int can_read = (rights_base & (UINT64_C(1) << 1)) != 0;
    int can_write = (rights_base & (UINT64_C(1) << 6)) != 0;
    int flags = O_CLOEXEC | O_NOCTTY | (can_read && can_write ? O_RDWR : can_write ? O_WRONLY : O_RDONLY);
    if (oflags & 1) flags |= O_CREAT;
    if (oflags & 2) flags |= O_DIRECTORY;
    if (oflags & 4) flags |= O_EXCL;
    if (oflags & 8) flags |= O_TRUNC;
    if (fdflags & 1) flags |= O_APPEND;
    if (fdflags & 4) flags |= O_NONBLOCK;
    if (!(dirflags & 1)) flags |= O_NOFOLLOW;
    int r;
    do r = openat((int)fd, name, flags, 0666);
    while (r < 0 && errno == EINTR);
    if (r < 0) return zrt_wasi_errno(errno);
    zrt_put_u32(out, (uint32_t)r);
    return WASI_ESUCCESS;
}

uint32_t zrt_wasi_path_filestat_get(uint32_t fd, uint32_t flags, uint32_t path, uint32_t path_len, uint32_t buf) {
    (void)fd, (void)flags, (void)path, (void)path_len, (void)buf;
    return WASI_ENOTCAPABLE;
}

uint32_t zrt_wasi_path_unlink_file(uint32_t fd, uint32_t path, uint32_t path_len) {
    (void)fd, (void)path, (void)path_len;
    return WASI_ENOTCAPABLE;
}

uint32_t zrt_wasi_path_create_directory(uint32_t fd, uint32_t path, uint32_t path_len) {
    (void)fd, (void)path, (void)path_len;
    return WASI_ENOTCAPABLE;
}

uint32_t zrt_wasi_path_remove_directory(uint32_t fd, uint32_t path, uint32_t path_len) {
    (void)fd, (void)path, (void)path_len;
    return WASI_ENOTCAPABLE;
}

uint32_t zrt_wasi_path_rename(uint32_t fd, uint32_t old_path, uint32_t old_len, uint32_t new_fd, uint32_t new_path,
                              uint32_t new_len) {
    (void)fd, (void)old_path, (void)old_len, (void)new_fd, (void)new_path, (void)new_len;
    return WASI_ENOTCAPABLE;
}

void zrt_wasi_proc_exit(uint32_t code) {
    int failed = zrt_stdout_finish();
    _exit(code == 0 ? failed : (int)code);
}

/* zong_rt.h: what the C written by W2C is compiled against.
 *
 * The semantics of every WebAssembly instruction that is more than one C operator live here as
 * static inline helpers (bounds-checked loads and stores, trapping division and truncation,
 * masked shifts, IEEE min/max), so the generated C never spells them out and this header can be
 * tested as plain C under UBSan. Runtime-internal symbols are prefixed `zrt_`; translated
 * functions are prefixed `zong_`, so the two never collide.
 *
 * Configuration macro (defined by the generated C before including this header):
 *   ZRT_GUARD_PAGES  1 = no explicit bounds checks; the memory is a 4 GiB + 4 GiB reservation
 *                    and a SIGSEGV handler reports faults as out-of-bounds traps.
 */
#ifndef ZONG_RT_H
#define ZONG_RT_H

#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <math.h>

#ifndef ZRT_GUARD_PAGES
#define ZRT_GUARD_PAGES 0
#endif

#define ZRT_LIKELY(x) __builtin_expect(!!(x), 1)
#define ZRT_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define ZRT_NORETURN __attribute__((noreturn))
#define ZRT_COLD __attribute__((cold, noinline))
/* Runtime data the generated C reads on hot paths: hidden, so a PIE build addresses it
 * PC-relative instead of through the GOT (which costs a register in every checked function). */
#define ZRT_HIDDEN __attribute__((visibility("hidden")))
#define ZRT_UNUSED __attribute__((unused))

/* A source location: file index in the top 8 bits, line in the low 24 (0 = unknown). */
#define ZLOC(file, line) ((uint32_t)(file) << 24 | (uint32_t)(line))

/* ---- traps (trap.c) ------------------------------------------------------------------------ */

typedef enum {
    ZRT_TRAP_UNREACHABLE,
    ZRT_TRAP_OOB,
    ZRT_TRAP_DIV_ZERO,
    ZRT_TRAP_INT_OVERFLOW,
    ZRT_TRAP_INVALID_CONVERSION,
    ZRT_TRAP_UNDEFINED_ELEMENT,
    ZRT_TRAP_UNINITIALIZED_ELEMENT,
    ZRT_TRAP_INDIRECT_CALL_TYPE,
    ZRT_TRAP_STACK_OVERFLOW,
    ZRT_TRAP_TSTACK_OVERFLOW,
    ZRT_TRAP_OOB_TABLE,
} zrt_trap_kind;

/* Prints `zong: runtime error: KIND in function NAME [at FILE:LINE]`, flushes, exits 2.
 * `func` is a WASM function index (UINT32_MAX = unknown). */
ZRT_NORETURN ZRT_COLD void zrt_trap(zrt_trap_kind kind, uint32_t func, uint32_t loc);

/* The trap's message text ("out of bounds memory access", ...). */
const char *zrt_trap_text(zrt_trap_kind kind);
/* For test harnesses only: called first by zrt_trap; it must not return (e.g. longjmp). */
extern void (*zrt_trap_hook)(zrt_trap_kind kind);

/* Filled by the generated C: function names by WASM function index, source file names. */
extern const char *const zrt_func_names[];
extern const uint32_t zrt_func_count;
extern const char *const zrt_file_names[];
extern const uint32_t zrt_file_count;
/* The machine code of each function by index ({0, 0} for imports and where unknown), to name
 * the function of a fault in guard-page mode. Each translated function (its bounded variant and
 * export wrapper too) sits in a section of its own, whose bounds the linker provides: taking
 * the functions' addresses instead would keep clang from inlining a function called once into
 * its caller (bytecode: 0.84 s -> 0.72 s). Code inlined into a caller is named by the caller. */
typedef struct {
    const char *start, *end;
} zrt_code_range;
extern const zrt_code_range zrt_func_code[];
#if defined(__ELF__)
#define ZRT_CODE_OF(k) __attribute__((section("zrt_f" #k)))
#define ZRT_CODE_RANGE_DECL(k) extern const char __start_zrt_f##k[] __attribute__((weak)), __stop_zrt_f##k[] __attribute__((weak));
#define ZRT_CODE_RANGE(k) {__start_zrt_f##k, __stop_zrt_f##k}
#else
#define ZRT_CODE_OF(k)
#define ZRT_CODE_RANGE_DECL(k)
#define ZRT_CODE_RANGE(k) {0, 0}
#endif

/* ---- linear memory (memory.c) ---------------------------------------------------------------- */

typedef struct {
    uint8_t *base;      /* never moves: an mmap reservation */
    uint64_t size;      /* current size in bytes */
    uint32_t pages;     /* current size in 64 KiB pages */
    uint32_t max_pages; /* declared maximum, capped by the configured limit */
    uint64_t reserved;  /* bytes of address space reserved */
} zrt_memory;

/* The memory of a program (what WASI reads and writes, and the guard-page fault handler knows). */
extern ZRT_HIDDEN zrt_memory zrt_mem;

void zrt_mem_init(uint32_t initial_pages, uint32_t max_pages, int guard_pages);
uint32_t zrt_mem_grow(uint32_t delta_pages); /* returns old page count or UINT32_MAX */

/* The same for any memory: modules linked into one program (W2C's host-import mode) each have
 * their own, or share one by importing it. Guard-page mode needs zrt_mem. */
void zrt_memory_new(zrt_memory *m, uint32_t initial_pages, uint32_t max_pages, int guard_pages);
uint32_t zrt_memory_grow(zrt_memory *m, uint32_t delta_pages);

/* An element access behind an index check (W2C's IndexedAccess.swift): true when n elements of
 * `scale` bytes from base all lie below the memory size ms, so any index below n is in bounds. */
#define ZRT_FITS(base, n, scale, ms) \
    ((uint64_t)(base) <= (ms) && (uint64_t)(n) <= ((ms) - (uint64_t)(base)) / (scale))

/* ---- native stack limit (start.c) ------------------------------------------------------------- */

extern ZRT_HIDDEN uintptr_t zrt_stack_limit;

/* The stack pointer read as a register variable: __builtin_frame_address(0) would force every
 * checked function to set up a frame pointer (two more instructions per call). */
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
register uintptr_t zrt_stack_pointer __asm__("rsp");
#define ZRT_STACK_POINTER() zrt_stack_pointer
#elif defined(__aarch64__) && (defined(__clang__) || defined(__GNUC__))
register uintptr_t zrt_stack_pointer __asm__("sp");
#define ZRT_STACK_POINTER() zrt_stack_pointer
#else
#define ZRT_STACK_POINTER() ((uintptr_t)__builtin_frame_address(0))
#endif

/* The stack pointer is fixed within a frame and the limit never changes after start-up, so a
 * function that checks before its calls compares once, into a local: clang then sees every
 * check as loop-invariant, hoists it out of loops that call, and sinks the comparison past
 * base cases that make no call. */
#define ZRT_STACK_LOW() (ZRT_STACK_POINTER() < zrt_stack_limit)
#define ZRT_STACK_TRAP_IF(low, func)                                                              \
    do {                                                                                          \
        if (ZRT_UNLIKELY(low)) zrt_trap(ZRT_TRAP_STACK_OVERFLOW, (func), 0);                      \
    } while (0)
#define ZRT_STACK_CHECK(func) ZRT_STACK_TRAP_IF(ZRT_STACK_LOW(), func)

/* A function whose self-recursion is bounded by an argument (W2C's bounded variants) is checked
 * once where it is entered: whether `deeper` + 1 frames of at most `frame_bytes` each fit above
 * the limit. `deeper` is how many activations may stack above the first; see
 * zrt_calls_deep_signed/_unsigned. */
#define ZRT_STACK_ROOM(deeper, frame_bytes) zrt_stack_room(ZRT_STACK_POINTER(), (deeper), (frame_bytes))
static inline int zrt_stack_room(uintptr_t sp, uint64_t deeper, uint64_t frame_bytes) {
    return sp > zrt_stack_limit && deeper < (uint64_t)(sp - zrt_stack_limit) / frame_bytes;
}

/* How many activations may stack above one entered with parameter v, when self-calls happen only
 * while the parameter is >= bound and each passes at least step less: none below the bound,
 * else (v - bound) / step + 1 (saturating). step >= 1. */
static inline uint64_t zrt_calls_deep_unsigned(uint64_t v, uint64_t bound, uint64_t step) {
    if (v < bound) return 0;
    uint64_t d = (v - bound) / step;
    return d < UINT64_MAX ? d + 1 : d;
}
static inline uint64_t zrt_calls_deep_signed(int64_t v, int64_t bound, uint64_t step) {
    if (v < bound) return 0;
    uint64_t d = ((uint64_t)v - (uint64_t)bound) / step; /* v - bound fits in 64 bits unsigned */
    return d < UINT64_MAX ? d + 1 : d;
}

/* ---- the module (written by W2C) ---------------------------------------------------------------- */

void zrt_module_init(void);  /* memory, data and element segments, start function */
void zrt_module_start(void); /* calls the `_start` export if there is one */

/* ---- loads and stores ----------------------------------------------------------------------- */

#if ZRT_GUARD_PAGES
#define ZRT_CHECK(ms, ea, n, func, loc) ((void)(ms), (void)(func), (void)(loc))
#else
#define ZRT_CHECK(ms, ea, n, func, loc)                                                           \
    do {                                                                                          \
        if (ZRT_UNLIKELY((ea) + (n) > (ms))) zrt_trap(ZRT_TRAP_OOB, (func), (loc));               \
    } while (0)
#endif

/* An empty asm that takes the guard-mode loads' bits (the `_g` loads below) in a register: the
 * loads must happen before it. */
#define ZRT_SINK_USE(sink) __asm__ volatile("" : : "r"(sink))

/* The raw bits of an n-byte access. */
typedef uint8_t zrt_bits1;
typedef uint16_t zrt_bits2;
typedef uint32_t zrt_bits4;
typedef uint64_t zrt_bits8;

#define ZRT_DEFINE_LOAD(name, ctype, mtype, n)                                                    \
    static inline ctype name(const uint8_t *mb, uint64_t ms, uint32_t addr, uint64_t off,         \
                             uint32_t func, uint32_t loc) {                                       \
        uint64_t ea = (uint64_t)addr + off;                                                       \
        ZRT_CHECK(ms, ea, n, func, loc);                                                          \
        mtype v;                                                                                  \
        memcpy(&v, mb + ea, n);                                                                   \
        return (ctype)v;                                                                          \
    }                                                                                             \
    /* _g, guard-page mode: no check; the loaded bits go into *sink, which the function hands    \
     * to ZRT_SINK_USE at loop heads, calls, traps and returns, so the C compiler cannot delete a \
     * load whose value is dead (and with it the fault WebAssembly requires), yet may still merge \
     * and hoist loads as usual. */                                                              \
    static inline ctype name##_g(const uint8_t *mb, uint64_t ms, uint32_t addr, uint64_t off,     \
                                 uint64_t *sink) {                                                \
        zrt_bits##n bits;                                                                         \
        (void)ms;                                                                                 \
        memcpy(&bits, mb + (uint64_t)addr + off, n);                                              \
        *sink |= bits;                                                                            \
        mtype v;                                                                                  \
        memcpy(&v, &bits, n);                                                                     \
        return (ctype)v;                                                                          \
    }                                                                                             \
    /* _at: no check, at an effective address the translator proved exact and in bounds */       \
    static inline ctype name##_at(const uint8_t *mb, uint64_t ea) {                               \
        mtype v;                                                                                  \
        memcpy(&v, mb + ea, n);                                                                   \
        return (ctype)v;                                                                          \
    }                                                                                             \
    /* _nc: no check, the translator proved the access in bounds */                              \
    static inline ctype name##_nc(const uint8_t *mb, uint32_t addr, uint64_t off) {              \
        return name##_at(mb, (uint64_t)addr + off);                                               \
    }

#define ZRT_DEFINE_STORE(name, ctype, mtype, n)                                                   \
    static inline void name(uint8_t *mb, uint64_t ms, uint32_t addr, uint64_t off, ctype value,   \
                            uint32_t func, uint32_t loc) {                                        \
        uint64_t ea = (uint64_t)addr + off;                                                       \
        ZRT_CHECK(ms, ea, n, func, loc);                                                          \
        mtype v = (mtype)value;                                                                   \
        memcpy(mb + ea, &v, n);                                                                   \
    }                                                                                             \
    static inline void name##_at(uint8_t *mb, uint64_t ea, ctype value) {                         \
        mtype v = (mtype)value;                                                                   \
        memcpy(mb + ea, &v, n);                                                                   \
    }                                                                                             \
    static inline void name##_nc(uint8_t *mb, uint32_t addr, uint64_t off, ctype value) {         \
        name##_at(mb, (uint64_t)addr + off, value);                                               \
    }

ZRT_DEFINE_LOAD(zrt_i32_load, uint32_t, uint32_t, 4)
ZRT_DEFINE_LOAD(zrt_i64_load, uint64_t, uint64_t, 8)
ZRT_DEFINE_LOAD(zrt_f32_load, float, float, 4)
ZRT_DEFINE_LOAD(zrt_f64_load, double, double, 8)
ZRT_DEFINE_LOAD(zrt_i32_load8_s, uint32_t, int8_t, 1)
ZRT_DEFINE_LOAD(zrt_i32_load8_u, uint32_t, uint8_t, 1)
ZRT_DEFINE_LOAD(zrt_i32_load16_s, uint32_t, int16_t, 2)
ZRT_DEFINE_LOAD(zrt_i32_load16_u, uint32_t, uint16_t, 2)
ZRT_DEFINE_LOAD(zrt_i64_load8_s, uint64_t, int8_t, 1)
ZRT_DEFINE_LOAD(zrt_i64_load8_u, uint64_t, uint8_t, 1)
ZRT_DEFINE_LOAD(zrt_i64_load16_s, uint64_t, int16_t, 2)
ZRT_DEFINE_LOAD(zrt_i64_load16_u, uint64_t, uint16_t, 2)
ZRT_DEFINE_LOAD(zrt_i64_load32_s, uint64_t, int32_t, 4)
ZRT_DEFINE_LOAD(zrt_i64_load32_u, uint64_t, uint32_t, 4)
ZRT_DEFINE_STORE(zrt_i32_store, uint32_t, uint32_t, 4)
ZRT_DEFINE_STORE(zrt_i64_store, uint64_t, uint64_t, 8)
ZRT_DEFINE_STORE(zrt_f32_store, float, float, 4)
ZRT_DEFINE_STORE(zrt_f64_store, double, double, 8)
ZRT_DEFINE_STORE(zrt_i32_store8, uint32_t, uint8_t, 1)
ZRT_DEFINE_STORE(zrt_i32_store16, uint32_t, uint16_t, 2)
ZRT_DEFINE_STORE(zrt_i64_store8, uint64_t, uint8_t, 1)
ZRT_DEFINE_STORE(zrt_i64_store16, uint64_t, uint16_t, 2)
ZRT_DEFINE_STORE(zrt_i64_store32, uint64_t, uint32_t, 4)

/* memory.fill / memory.copy: one check of the whole range (even in guard-page mode: the length
 * is unbounded), then one libc call. */
static inline void zrt_memory_fill(uint8_t *mb, uint64_t ms, uint32_t d, uint32_t val, uint32_t n,
                                   uint32_t func, uint32_t loc) {
    if (ZRT_UNLIKELY((uint64_t)d + n > ms)) zrt_trap(ZRT_TRAP_OOB, func, loc);
    if (n) memset(mb + d, (int)(val & 0xff), n);
}

static inline void zrt_memory_copy(uint8_t *mb, uint64_t ms, uint32_t d, uint32_t s, uint32_t n,
                                   uint32_t func, uint32_t loc) {
    if (ZRT_UNLIKELY((uint64_t)d + n > ms || (uint64_t)s + n > ms)) zrt_trap(ZRT_TRAP_OOB, func, loc);
    if (n) memmove(mb + d, mb + s, n);
}

/* memory.init from a passive segment (dropped segments have length 0). */
static inline void zrt_memory_init(uint8_t *mb, uint64_t ms, const uint8_t *seg, uint32_t seglen,
                                   uint32_t d, uint32_t s, uint32_t n, uint32_t func, uint32_t loc) {
    if (ZRT_UNLIKELY((uint64_t)d + n > ms || (uint64_t)s + n > seglen))
        zrt_trap(ZRT_TRAP_OOB, func, loc);
    if (n) memcpy(mb + d, seg + s, n);
}

/* ---- integer arithmetic ----------------------------------------------------------------------- */

static inline uint32_t zrt_i32_div_s(uint32_t a, uint32_t b, uint32_t func, uint32_t loc) {
    if (ZRT_UNLIKELY(b == 0)) zrt_trap(ZRT_TRAP_DIV_ZERO, func, loc);
    if (ZRT_UNLIKELY(a == UINT32_C(0x80000000) && b == UINT32_MAX)) zrt_trap(ZRT_TRAP_INT_OVERFLOW, func, loc);
    return (uint32_t)((int32_t)a / (int32_t)b);
}
static inline uint32_t zrt_i32_div_u(uint32_t a, uint32_t b, uint32_t func, uint32_t loc) {
    if (ZRT_UNLIKELY(b == 0)) zrt_trap(ZRT_TRAP_DIV_ZERO, func, loc);
    return a / b;
}
static inline uint32_t zrt_i32_rem_s(uint32_t a, uint32_t b, uint32_t func, uint32_t loc) {
    if (ZRT_UNLIKELY(b == 0)) zrt_trap(ZRT_TRAP_DIV_ZERO, func, loc);
    if (ZRT_UNLIKELY(b == UINT32_MAX)) return 0;
    return (uint32_t)((int32_t)a % (int32_t)b);
}
static inline uint32_t zrt_i32_rem_u(uint32_t a, uint32_t b, uint32_t func, uint32_t loc) {
    if (ZRT_UNLIKELY(b == 0)) zrt_trap(ZRT_TRAP_DIV_ZERO, func, loc);
    return a % b;
}
static inline uint64_t zrt_i64_div_s(uint64_t a, uint64_t b, uint32_t func, uint32_t loc) {
    if (ZRT_UNLIKELY(b == 0)) zrt_trap(ZRT_TRAP_DIV_ZERO, func, loc);
    if (ZRT_UNLIKELY(a == UINT64_C(0x8000000000000000) && b == UINT64_MAX))
        zrt_trap(ZRT_TRAP_INT_OVERFLOW, func, loc);
    return (uint64_t)((int64_t)a / (int64_t)b);
}
static inline uint64_t zrt_i64_div_u(uint64_t a, uint64_t b, uint32_t func, uint32_t loc) {
    if (ZRT_UNLIKELY(b == 0)) zrt_trap(ZRT_TRAP_DIV_ZERO, func, loc);
    return a / b;
}
static inline uint64_t zrt_i64_rem_s(uint64_t a, uint64_t b, uint32_t func, uint32_t loc) {
    if (ZRT_UNLIKELY(b == 0)) zrt_trap(ZRT_TRAP_DIV_ZERO, func, loc);
    if (ZRT_UNLIKELY(b == UINT64_MAX)) return 0;
    return (uint64_t)((int64_t)a % (int64_t)b);
}
static inline uint64_t zrt_i64_rem_u(uint64_t a, uint64_t b, uint32_t func, uint32_t loc) {
    if (ZRT_UNLIKELY(b == 0)) zrt_trap(ZRT_TRAP_DIV_ZERO, func, loc);
    return a % b;
}

static inline uint32_t zrt_i32_shr_s(uint32_t a, uint32_t b) { return (uint32_t)((int32_t)a >> (b & 31)); }
static inline uint64_t zrt_i64_shr_s(uint64_t a, uint64_t b) { return (uint64_t)((int64_t)a >> (b & 63)); }
static inline uint32_t zrt_i32_rotl(uint32_t a, uint32_t b) { return (a << (b & 31)) | (a >> ((32 - b) & 31)); }
static inline uint32_t zrt_i32_rotr(uint32_t a, uint32_t b) { return (a >> (b & 31)) | (a << ((32 - b) & 31)); }
static inline uint64_t zrt_i64_rotl(uint64_t a, uint64_t b) { return (a << (b & 63)) | (a >> ((64 - b) & 63)); }
static inline uint64_t zrt_i64_rotr(uint64_t a, uint64_t b) { return (a >> (b & 63)) | (a << ((64 - b) & 63)); }
static inline uint32_t zrt_i32_clz(uint32_t a) { return a ? (uint32_t)__builtin_clz(a) : 32; }
static inline uint32_t zrt_i32_ctz(uint32_t a) { return a ? (uint32_t)__builtin_ctz(a) : 32; }
static inline uint32_t zrt_i32_popcnt(uint32_t a) { return (uint32_t)__builtin_popcount(a); }
static inline uint64_t zrt_i64_clz(uint64_t a) { return a ? (uint64_t)__builtin_clzll(a) : 64; }
static inline uint64_t zrt_i64_ctz(uint64_t a) { return a ? (uint64_t)__builtin_ctzll(a) : 64; }
static inline uint64_t zrt_i64_popcnt(uint64_t a) { return (uint64_t)__builtin_popcountll(a); }

/* ---- floating point ------------------------------------------------------------------------ */

static inline uint32_t zrt_f32_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline uint64_t zrt_f64_bits(double f) { uint64_t u; memcpy(&u, &f, 8); return u; }
static inline float zrt_f32_from_bits(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static inline double zrt_f64_from_bits(uint64_t u) { double f; memcpy(&f, &u, 8); return f; }

static inline float zrt_f32_abs(float a) { return zrt_f32_from_bits(zrt_f32_bits(a) & UINT32_C(0x7fffffff)); }
static inline float zrt_f32_neg(float a) { return zrt_f32_from_bits(zrt_f32_bits(a) ^ UINT32_C(0x80000000)); }
static inline double zrt_f64_abs(double a) { return zrt_f64_from_bits(zrt_f64_bits(a) & UINT64_C(0x7fffffffffffffff)); }
static inline double zrt_f64_neg(double a) { return zrt_f64_from_bits(zrt_f64_bits(a) ^ UINT64_C(0x8000000000000000)); }
static inline float zrt_f32_copysign(float a, float b) {
    return zrt_f32_from_bits((zrt_f32_bits(a) & UINT32_C(0x7fffffff)) | (zrt_f32_bits(b) & UINT32_C(0x80000000)));
}
static inline double zrt_f64_copysign(double a, double b) {
    return zrt_f64_from_bits((zrt_f64_bits(a) & UINT64_C(0x7fffffffffffffff)) |
                             (zrt_f64_bits(b) & UINT64_C(0x8000000000000000)));
}
static inline float zrt_f32_min(float a, float b) {
    if (a != a || b != b) return a + b;
    if (a == b) return zrt_f32_bits(a) >> 31 ? a : b;
    return a < b ? a : b;
}
static inline float zrt_f32_max(float a, float b) {
    if (a != a || b != b) return a + b;
    if (a == b) return zrt_f32_bits(a) >> 31 ? b : a;
    return a > b ? a : b;
}
static inline double zrt_f64_min(double a, double b) {
    if (a != a || b != b) return a + b;
    if (a == b) return zrt_f64_bits(a) >> 63 ? a : b;
    return a < b ? a : b;
}
static inline double zrt_f64_max(double a, double b) {
    if (a != a || b != b) return a + b;
    if (a == b) return zrt_f64_bits(a) >> 63 ? b : a;
    return a > b ? a : b;
}
static inline float zrt_f32_ceil(float a) { return __builtin_ceilf(a); }
static inline float zrt_f32_floor(float a) { return __builtin_floorf(a); }
static inline float zrt_f32_trunc(float a) { return __builtin_truncf(a); }
static inline float zrt_f32_nearest(float a) { return __builtin_nearbyintf(a); }
static inline float zrt_f32_sqrt(float a) { return __builtin_sqrtf(a); }
static inline double zrt_f64_ceil(double a) { return __builtin_ceil(a); }
static inline double zrt_f64_floor(double a) { return __builtin_floor(a); }
static inline double zrt_f64_trunc(double a) { return __builtin_trunc(a); }
static inline double zrt_f64_nearest(double a) { return __builtin_nearbyint(a); }
static inline double zrt_f64_sqrt(double a) { return __builtin_sqrt(a); }

/* Trapping float -> int conversions: NaN is an invalid conversion, out of range an overflow.
 * The bounds are exact powers of two, so the comparisons are exact. */
#define ZRT_DEFINE_TRUNC(name, ftype, rtype, itype, lo_ok, hi_ok)                                 \
    static inline rtype name(ftype x, uint32_t func, uint32_t loc) {                              \
        if (ZRT_UNLIKELY(x != x)) zrt_trap(ZRT_TRAP_INVALID_CONVERSION, func, loc);               \
        if (ZRT_UNLIKELY(!(lo_ok && hi_ok))) zrt_trap(ZRT_TRAP_INT_OVERFLOW, func, loc);          \
        return (rtype)(itype)x;                                                                   \
    }
ZRT_DEFINE_TRUNC(zrt_i32_trunc_f32_s, float, uint32_t, int32_t, x >= -2147483648.0f, x < 2147483648.0f)
ZRT_DEFINE_TRUNC(zrt_i32_trunc_f32_u, float, uint32_t, uint32_t, x > -1.0f, x < 4294967296.0f)
ZRT_DEFINE_TRUNC(zrt_i32_trunc_f64_s, double, uint32_t, int32_t, x > -2147483649.0, x < 2147483648.0)
ZRT_DEFINE_TRUNC(zrt_i32_trunc_f64_u, double, uint32_t, uint32_t, x > -1.0, x < 4294967296.0)
ZRT_DEFINE_TRUNC(zrt_i64_trunc_f32_s, float, uint64_t, int64_t, x >= -9223372036854775808.0f, x < 9223372036854775808.0f)
ZRT_DEFINE_TRUNC(zrt_i64_trunc_f32_u, float, uint64_t, uint64_t, x > -1.0f, x < 18446744073709551616.0f)
ZRT_DEFINE_TRUNC(zrt_i64_trunc_f64_s, double, uint64_t, int64_t, x >= -9223372036854775808.0, x < 9223372036854775808.0)
ZRT_DEFINE_TRUNC(zrt_i64_trunc_f64_u, double, uint64_t, uint64_t, x > -1.0, x < 18446744073709551616.0)

/* Saturating conversions (trunc_sat): NaN -> 0, out of range -> the nearest bound. */
#define ZRT_DEFINE_TRUNC_SAT(name, ftype, rtype, itype, lo_ok, hi_ok, lo, hi)                     \
    static inline rtype name(ftype x) {                                                           \
        if (x != x) return 0;                                                                     \
        if (!(lo_ok)) return (rtype)(lo);                                                         \
        if (!(hi_ok)) return (rtype)(hi);                                                         \
        return (rtype)(itype)x;                                                                   \
    }
ZRT_DEFINE_TRUNC_SAT(zrt_i32_trunc_sat_f32_s, float, uint32_t, int32_t, x >= -2147483648.0f, x < 2147483648.0f, INT32_MIN, INT32_MAX)
ZRT_DEFINE_TRUNC_SAT(zrt_i32_trunc_sat_f32_u, float, uint32_t, uint32_t, x > -1.0f, x < 4294967296.0f, 0, UINT32_MAX)
ZRT_DEFINE_TRUNC_SAT(zrt_i32_trunc_sat_f64_s, double, uint32_t, int32_t, x > -2147483649.0, x < 2147483648.0, INT32_MIN, INT32_MAX)
ZRT_DEFINE_TRUNC_SAT(zrt_i32_trunc_sat_f64_u, double, uint32_t, uint32_t, x > -1.0, x < 4294967296.0, 0, UINT32_MAX)
ZRT_DEFINE_TRUNC_SAT(zrt_i64_trunc_sat_f32_s, float, uint64_t, int64_t, x >= -9223372036854775808.0f, x < 9223372036854775808.0f, INT64_MIN, INT64_MAX)
ZRT_DEFINE_TRUNC_SAT(zrt_i64_trunc_sat_f32_u, float, uint64_t, uint64_t, x > -1.0f, x < 18446744073709551616.0f, 0, UINT64_MAX)
ZRT_DEFINE_TRUNC_SAT(zrt_i64_trunc_sat_f64_s, double, uint64_t, int64_t, x >= -9223372036854775808.0, x < 9223372036854775808.0, INT64_MIN, INT64_MAX)
ZRT_DEFINE_TRUNC_SAT(zrt_i64_trunc_sat_f64_u, double, uint64_t, uint64_t, x > -1.0, x < 18446744073709551616.0, 0, UINT64_MAX)

/* ---- tables and references (table.c) ------------------------------------------------------- */

/* A funcref value points to one of these (one per function, written by W2C); NULL is the null
 * reference. An externref value is an opaque host pointer; NULL is null. Both are `zrt_ref`
 * (`void *`) in the generated C, so tables of either kind are arrays of `void *`. */
typedef void *zrt_ref;

/* The function type of a funcref is the address of a one-byte weak symbol named after the
 * signature (`zrt_type_<params>_<results>`, a letter per value type), which W2C defines in every
 * module that needs it: the linker merges them, so identical types compare equal across
 * modules linked into one program and different types never do. */
typedef struct {
    const void *type;
    void (*fn)(void);
} zrt_funcref;

typedef struct {
    void **elems; /* grows with table.grow (realloc), so never cached across instructions */
    uint32_t size;
    uint32_t max; /* declared maximum, capped at ZRT_TABLE_CAP */
} zrt_table;

/* The most entries a table may have: a larger minimum is rejected by W2C, a larger grow fails. */
#define ZRT_TABLE_CAP (UINT32_C(1) << 24)

void zrt_table_new(zrt_table *t, uint32_t min, uint32_t max);
uint32_t zrt_table_grow(zrt_table *t, void *init, uint32_t delta); /* old size or UINT32_MAX */
void zrt_table_fill(zrt_table *t, uint32_t i, void *v, uint32_t n, uint32_t func, uint32_t loc);
void zrt_table_copy(zrt_table *d, const zrt_table *s, uint32_t di, uint32_t si, uint32_t n, uint32_t func,
                    uint32_t loc);
/* table.init (and active element segments at instantiation, with func = UINT32_MAX). */
void zrt_table_init(zrt_table *t, void *const *seg, uint32_t seg_len, uint32_t di, uint32_t si, uint32_t n,
                    uint32_t func, uint32_t loc);

static inline void *zrt_table_get(const zrt_table *t, uint32_t i, uint32_t func, uint32_t loc) {
    if (ZRT_UNLIKELY(i >= t->size)) zrt_trap(ZRT_TRAP_OOB_TABLE, func, loc);
    return t->elems[i];
}

static inline void zrt_table_set(zrt_table *t, uint32_t i, void *v, uint32_t func, uint32_t loc) {
    if (ZRT_UNLIKELY(i >= t->size)) zrt_trap(ZRT_TRAP_OOB_TABLE, func, loc);
    t->elems[i] = v;
}

/* call_indirect: the function of entry `i` after checking bounds, null and type. */
static inline void (*zrt_call_lookup(const zrt_table *t, uint32_t i, const void *type, uint32_t func,
                                     uint32_t loc))(void) {
    if (ZRT_UNLIKELY(i >= t->size)) zrt_trap(ZRT_TRAP_UNDEFINED_ELEMENT, func, loc);
    const zrt_funcref *f = (const zrt_funcref *)t->elems[i];
    if (ZRT_UNLIKELY(f == NULL)) zrt_trap(ZRT_TRAP_UNINITIALIZED_ELEMENT, func, loc);
    if (ZRT_UNLIKELY(f->type != type)) zrt_trap(ZRT_TRAP_INDIRECT_CALL_TYPE, func, loc);
    return f->fn;
}

/* ---- WASI preview1 (wasi.c) ----------------------------------------------------------------- */
/* Guest pointers are checked against the memory; a bad one returns EFAULT (21). */

uint32_t zrt_wasi_fd_write(uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nwritten);
uint32_t zrt_wasi_fd_read(uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nread);
uint32_t zrt_wasi_fd_close(uint32_t fd);
uint32_t zrt_wasi_fd_seek(uint32_t fd, uint64_t offset, uint32_t whence, uint32_t newoffset);
uint32_t zrt_wasi_fd_fdstat_get(uint32_t fd, uint32_t stat);
uint32_t zrt_wasi_fd_prestat_get(uint32_t fd, uint32_t prestat);
uint32_t zrt_wasi_fd_prestat_dir_name(uint32_t fd, uint32_t path, uint32_t len);
uint32_t zrt_wasi_args_get(uint32_t argv, uint32_t argv_buf);
uint32_t zrt_wasi_args_sizes_get(uint32_t argc, uint32_t argv_buf_size);
uint32_t zrt_wasi_environ_get(uint32_t environ, uint32_t environ_buf);
uint32_t zrt_wasi_environ_sizes_get(uint32_t count, uint32_t buf_size);
uint32_t zrt_wasi_clock_time_get(uint32_t id, uint64_t precision, uint32_t time);
uint32_t zrt_wasi_clock_res_get(uint32_t id, uint32_t res);
uint32_t zrt_wasi_random_get(uint32_t buf, uint32_t len);
ZRT_NORETURN void zrt_wasi_proc_exit(uint32_t code);
uint32_t zrt_wasi_sched_yield(void);
uint32_t zrt_wasi_poll_oneoff(uint32_t in, uint32_t out, uint32_t nsubscriptions, uint32_t nevents);
uint32_t zrt_wasi_fd_filestat_get(uint32_t fd, uint32_t buf);
uint32_t zrt_wasi_fd_fdstat_set_flags(uint32_t fd, uint32_t flags);
uint32_t zrt_wasi_fd_sync(uint32_t fd);
uint32_t zrt_wasi_fd_datasync(uint32_t fd);
uint32_t zrt_wasi_fd_tell(uint32_t fd, uint32_t offset);
/* No preopened directories: every path operation returns NOTCAPABLE (76). */
uint32_t zrt_wasi_path_open(uint32_t fd, uint32_t dirflags, uint32_t path, uint32_t path_len, uint32_t oflags,
                            uint64_t rights_base, uint64_t rights_inheriting, uint32_t fdflags, uint32_t opened);
uint32_t zrt_wasi_path_filestat_get(uint32_t fd, uint32_t flags, uint32_t path, uint32_t path_len, uint32_t buf);
uint32_t zrt_wasi_path_unlink_file(uint32_t fd, uint32_t path, uint32_t path_len);
uint32_t zrt_wasi_path_create_directory(uint32_t fd, uint32_t path, uint32_t path_len);
uint32_t zrt_wasi_path_remove_directory(uint32_t fd, uint32_t path, uint32_t path_len);
uint32_t zrt_wasi_path_rename(uint32_t fd, uint32_t old_path, uint32_t old_len, uint32_t new_fd, uint32_t new_path,
                              uint32_t new_len);

/* ---- buffered stdout (stdout.c) --------------------------------------------------------------- */

void zrt_stdout_flush(void);

#endif /* ZONG_RT_H */

// Small C programs compiled to wasm32-wasi by clang with wasi-libc: the "real programs from
// another compiler" of issue #6. Kept as Swift strings (a test target cannot hold C files).
// CProgramTests builds each natively, as WASM -> W2C -> runtime-c, and under wasmkit.

struct CProgram: Sendable, CustomStringConvertible {
    var name: String
    var source: String
    var stdin: String = ""
    var args: [String] = []
    /// Why the program is not also compared with `wasmkit run` (nil: it is).
    var notUnderWasmkit: String? = nil
    var description: String { name }
}

enum CPrograms {
    static let all: [CProgram] = [hashtable, tokenizer, nbody, sort, printf, system]

    /// Open-addressing hash table of strings: malloc, realloc, free, snprintf.
    static let hashtable = CProgram(name: "hashtable", source: #"""
/* Open-addressing hash table of strings -> counts: malloc, realloc, free, snprintf, strcmp. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *key;
    long value;
    int deleted;
} Slot;

typedef struct {
    Slot *slots;
    size_t cap, used;
} Table;

static uint32_t hash(const char *s) {
    uint32_t h = 2166136261u;
    while (*s) h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static void put(Table *t, const char *key, long value);

static void grow(Table *t) {
    Table bigger = {calloc(t->cap * 2, sizeof(Slot)), t->cap * 2, 0};
    for (size_t i = 0; i < t->cap; i++) {
        if (t->slots[i].key && !t->slots[i].deleted) put(&bigger, t->slots[i].key, t->slots[i].value);
        free(t->slots[i].key);
    }
    free(t->slots);
    *t = bigger;
}

static Slot *find(Table *t, const char *key) {
    size_t i = hash(key) & (t->cap - 1);
    while (t->slots[i].key) {
        if (!t->slots[i].deleted && strcmp(t->slots[i].key, key) == 0) return &t->slots[i];
        i = (i + 1) & (t->cap - 1);
    }
    return NULL;
}

static void put(Table *t, const char *key, long value) {
    if ((t->used + 1) * 4 > t->cap * 3) grow(t);
    Slot *s = find(t, key);
    if (s) {
        s->value = value;
        return;
    }
    size_t i = hash(key) & (t->cap - 1);
    while (t->slots[i].key) i = (i + 1) & (t->cap - 1);
    size_t n = strlen(key);
    t->slots[i].key = malloc(n + 1);
    memcpy(t->slots[i].key, key, n + 1);
    t->slots[i].value = value;
    t->slots[i].deleted = 0;
    t->used++;
}

int main(void) {
    Table t = {calloc(8, sizeof(Slot)), 8, 0};
    char key[32];
    uint32_t seed = 12345;
    for (int i = 0; i < 20000; i++) {
        seed = seed * 1103515245u + 12345u;
        snprintf(key, sizeof key, "k%u", (seed >> 8) % 5000);
        Slot *s = find(&t, key);
        put(&t, key, s ? s->value + 1 : 1);
    }
    for (int i = 0; i < 5000; i += 3) {
        snprintf(key, sizeof key, "k%d", i);
        Slot *s = find(&t, key);
        if (s) s->deleted = 1;
    }
    long total = 0, distinct = 0, best = 0;
    const char *bestKey = "";
    for (size_t i = 0; i < t.cap; i++) {
        Slot *s = &t.slots[i];
        if (!s->key || s->deleted) continue;
        distinct++;
        total += s->value;
        if (s->value > best || (s->value == best && strcmp(s->key, bestKey) < 0)) {
            best = s->value;
            bestKey = s->key;
        }
    }
    printf("capacity %zu, distinct %ld, total %ld\n", t.cap, distinct, total);
    printf("most frequent: %s (%ld)\n", bestKey, best);
    for (int i = 0; i < 10; i++) {
        snprintf(key, sizeof key, "k%d", i * 497);
        Slot *s = find(&t, key);
        printf("%-6s -> %ld\n", key, s ? s->value : -1L);
    }
    return 0;
}
"""#)

    /// JSON-ish tokenizer over stdin: getchar, ungetc, strtod, stderr, exit status 1.
    static let tokenizer = CProgram(name: "tokenizer", source: #"""
/* A JSON-ish tokenizer over stdin: getchar, strtod, ungetc, character classes. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int line = 1;

static int next(void) {
    int c = getchar();
    if (c == '\n') line++;
    return c;
}

int main(void) {
    char buf[256];
    int counts[6] = {0};
    double sum = 0;
    int c;
    while ((c = next()) != EOF) {
        if (isspace(c)) continue;
        if (strchr("{}[]:,", c)) {
            printf("%d: punct '%c'\n", line, c);
            counts[0]++;
        } else if (c == '"') {
            size_t n = 0;
            while ((c = next()) != EOF && c != '"') {
                if (c == '\\') c = next();
                if (n + 1 < sizeof buf) buf[n++] = (char)c;
            }
            buf[n] = 0;
            printf("%d: string \"%s\" (%zu bytes)\n", line, buf, n);
            counts[1]++;
        } else if (c == '-' || isdigit(c)) {
            size_t n = 0;
            do {
                if (n + 1 < sizeof buf) buf[n++] = (char)c;
                c = next();
            } while (c != EOF && (isdigit(c) || strchr(".eE+-", c)));
            if (c != EOF) ungetc(c, stdin);
            buf[n] = 0;
            double v = strtod(buf, NULL);
            sum += v;
            printf("%d: number %s = %.17g\n", line, buf, v);
            counts[2]++;
        } else if (isalpha(c)) {
            size_t n = 0;
            do {
                if (n + 1 < sizeof buf) buf[n++] = (char)c;
                c = next();
            } while (c != EOF && isalnum(c));
            if (c != EOF) ungetc(c, stdin);
            buf[n] = 0;
            int keyword = !strcmp(buf, "true") || !strcmp(buf, "false") || !strcmp(buf, "null");
            printf("%d: %s %s\n", line, keyword ? "keyword" : "identifier", buf);
            counts[keyword ? 3 : 4]++;
        } else {
            fprintf(stderr, "%d: unexpected character 0x%02x\n", line, c);
            counts[5]++;
        }
    }
    printf("punct %d, strings %d, numbers %d (sum %.6f), keywords %d, identifiers %d, errors %d\n",
           counts[0], counts[1], counts[2], sum, counts[3], counts[4], counts[5]);
    return counts[5] ? 1 : 0;
}
"""#, stdin: #"""
{"name": "zong", "version": 1.25, "tags": ["wasm", "c", "native"],
 "nested": {"pi": 3.14159265358979, "e": 2.718281828e0, "neg": -17, "big": 1e300, "tiny": -2.5E-310},
 "flags": [true, false, null], "escaped": "a \"quoted\" word", bare_word @
}
"""#)

    /// n-body: double arithmetic, sqrt, floor, fmod, exact %.9f output.
    static let nbody = CProgram(name: "nbody", source: #"""
/* The n-body benchmark (five bodies, 1000 steps): double arithmetic, sqrt, %.9f. */
#include <math.h>
#include <stdio.h>

#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24

typedef struct { double x, y, z, vx, vy, vz, mass; } Body;

static Body bodies[5] = {
    {0, 0, 0, 0, 0, 0, SOLAR_MASS},
    {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01, 1.66007664274403694e-03 * DAYS_PER_YEAR,
     7.69901118419740425e-03 * DAYS_PER_YEAR, -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS},
    {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01, -2.76742510726862411e-03 * DAYS_PER_YEAR,
     4.99852801234917238e-03 * DAYS_PER_YEAR, 2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS},
    {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01, 2.96460137564761618e-03 * DAYS_PER_YEAR,
     2.37847173959480950e-03 * DAYS_PER_YEAR, -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS},
    {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01, 2.68067772490389322e-03 * DAYS_PER_YEAR,
     1.62824170038242295e-03 * DAYS_PER_YEAR, -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS},
};

static void advance(double dt) {
    for (int i = 0; i < 5; i++) {
        for (int j = i + 1; j < 5; j++) {
            double dx = bodies[i].x - bodies[j].x, dy = bodies[i].y - bodies[j].y, dz = bodies[i].z - bodies[j].z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * sqrt(d2));
            bodies[i].vx -= dx * bodies[j].mass * mag;
            bodies[i].vy -= dy * bodies[j].mass * mag;
            bodies[i].vz -= dz * bodies[j].mass * mag;
            bodies[j].vx += dx * bodies[i].mass * mag;
            bodies[j].vy += dy * bodies[i].mass * mag;
            bodies[j].vz += dz * bodies[i].mass * mag;
        }
    }
    for (int i = 0; i < 5; i++) {
        bodies[i].x += dt * bodies[i].vx;
        bodies[i].y += dt * bodies[i].vy;
        bodies[i].z += dt * bodies[i].vz;
    }
}

static double energy(void) {
    double e = 0;
    for (int i = 0; i < 5; i++) {
        Body *b = &bodies[i];
        e += 0.5 * b->mass * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
        for (int j = i + 1; j < 5; j++) {
            double dx = b->x - bodies[j].x, dy = b->y - bodies[j].y, dz = b->z - bodies[j].z;
            e -= b->mass * bodies[j].mass / sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

int main(void) {
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < 5; i++) {
        px += bodies[i].vx * bodies[i].mass;
        py += bodies[i].vy * bodies[i].mass;
        pz += bodies[i].vz * bodies[i].mass;
    }
    bodies[0].vx = -px / SOLAR_MASS;
    bodies[0].vy = -py / SOLAR_MASS;
    bodies[0].vz = -pz / SOLAR_MASS;
    printf("%.9f\n", energy());
    for (int step = 1; step <= 1000; step++) {
        advance(0.01);
        if (step % 250 == 0) printf("step %4d: %.9f\n", step, energy());
    }
    float f = (float)energy();
    printf("as float: %.6e, floor %.1f, fmod %.6f\n", (double)f, floor(energy() * 1000), fmod(fabs(energy()), 0.01));
    return 0;
}
"""#)

    /// qsort and merge sort over ints, doubles, 64-bit integers and strings.
    static let sort = CProgram(name: "sort", source: #"""
/* qsort and a hand-written merge sort over ints, doubles and strings; checks and checksums. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 5000

static uint32_t seed = 42;
static uint32_t rnd(void) {
    seed ^= seed << 13;
    seed ^= seed >> 17;
    seed ^= seed << 5;
    return seed;
}

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}
static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
static char *dup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void merge_sort(int64_t *v, int64_t *tmp, size_t n) {
    if (n < 2) return;
    size_t h = n / 2;
    merge_sort(v, tmp, h);
    merge_sort(v + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) tmp[k++] = v[i] <= v[j] ? v[i++] : v[j++];
    while (i < h) tmp[k++] = v[i++];
    while (j < n) tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

int main(void) {
    static int ints[N];
    static double doubles[N];
    static int64_t longs[N], tmp[N];
    static char *strings[N];
    for (int i = 0; i < N; i++) {
        ints[i] = (int)rnd() - (int)(UINT32_MAX / 2);
        doubles[i] = (double)(int32_t)rnd() / 1000.0;
        longs[i] = ((int64_t)(int32_t)rnd() << 20) ^ rnd();
        char buf[16];
        snprintf(buf, sizeof buf, "%c%c%05u", 'a' + rnd() % 26, 'a' + rnd() % 26, rnd() % 100000);
        strings[i] = dup(buf);
    }
    qsort(ints, N, sizeof *ints, cmp_int);
    qsort(doubles, N, sizeof *doubles, cmp_double);
    qsort(strings, N, sizeof *strings, cmp_str);
    merge_sort(longs, tmp, N);
    int ok = 1;
    uint64_t sum = 0;
    for (int i = 1; i < N; i++) {
        ok &= ints[i - 1] <= ints[i] && doubles[i - 1] <= doubles[i] && longs[i - 1] <= longs[i]
            && strcmp(strings[i - 1], strings[i]) <= 0;
        sum = sum * 31 + (uint32_t)ints[i] + (uint64_t)longs[i];
    }
    printf("sorted: %s, checksum %016llx\n", ok ? "yes" : "no", (unsigned long long)sum);
    printf("ints    %d .. %d, median %d\n", ints[0], ints[N - 1], ints[N / 2]);
    printf("doubles %.3f .. %.3f, median %.3f\n", doubles[0], doubles[N - 1], doubles[N / 2]);
    printf("longs   %lld .. %lld\n", (long long)longs[0], (long long)longs[N - 1]);
    printf("strings %s .. %s, median %s\n", strings[0], strings[N - 1], strings[N / 2]);
    for (int i = 0; i < N; i++) free(strings[i]);
    return ok ? 0 : 1;
}
"""#)

    /// printf conversions, snprintf, stderr, 3000 buffered lines, argv, getenv, exit(7).
    static let printf = CProgram(name: "printf", source: #"""
/* Formatted output: many conversions, stderr, a long run of lines (buffering), getenv, argv,
 * and a non-zero exit status through exit(). */
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    printf("argc %d\n", argc);
    for (int i = 1; i < argc; i++) printf("argv[%d] = [%s]\n", i, argv[i]);
    const char *env = getenv("ZONG_GREETING");
    printf("ZONG_GREETING=%s\n", env ? env : "(unset)");
    printf("[%d] [%i] [%u] [%x] [%X] [%o] [%#x] [%#o] [%+d] [% d] [%05d] [%-5d|]\n", -42, 42, 42u, 255u, 255u, 8u,
           255u, 8u, 7, 7, 42, 42);
    printf("[%ld] [%lld] [%llu] [%" PRId64 "] [%" PRIx64 "]\n", -1L, LLONG_MIN, ULLONG_MAX, INT64_MAX, (uint64_t)1 << 40);
    printf("[%hhd] [%hd] [%zu] [%c] [%%]\n", (signed char)-1, (short)-300, sizeof(int), 'z');
    printf("[%f] [%.2f] [%10.3f] [%-10.1f|] [%e] [%.3E] [%g] [%G] [%g] [%g]\n", 3.14159, 2.675, -1.5, 0.25, 123456.789,
           0.000123, 1e-5, 1e20, 100000.0, 1234567.0);
    printf("[%f] [%f] [%f] [%e]\n", 1.0 / 0.0, -1.0 / 0.0, 0.0 / 0.0 > 0 ? 1.0 : -0.0, 5e-324);
    printf("[%s] [%10s] [%-10s|] [%.3s] [%*d] [%-*d|] [%.*f]\n", "hello", "right", "left", "truncate", 6, 42, 6, 42, 3,
           2.0 / 3.0);
    char buf[64];
    int n = snprintf(buf, sizeof buf, "%s-%d-%.1f", "snprintf", 99, 9.95);
    printf("snprintf wrote %d: %s\n", n, buf);
    n = snprintf(buf, 8, "%s", "this does not fit");
    printf("truncated %d: %s\n", n, buf);
    fprintf(stderr, "to stderr %d\n", 1);
    unsigned long long sum = 0;
    for (int i = 0; i < 3000; i++) {
        printf("line %4d: %08x %+.4e\n", i, (unsigned)i * 2654435761u, (double)i / 7.0);
        sum += (unsigned long long)i * (unsigned)i;
    }
    puts("puts works");
    putchar('!');
    putchar('\n');
    fputs("fputs to stdout\n", stdout);
    fflush(stdout);
    printf("sum %llu\n", sum);
    fprintf(stderr, "exiting with 7\n");
    exit(7);
}
"""#, args: ["x", "y z"])

    /// Clocks, nanosleep/usleep (poll_oneoff), sched_yield, fstat, getentropy, and file
    /// operations refused without preopened directories.
    static let system = CProgram(name: "system", source: #"""
/* Clocks, sleeping (poll_oneoff), sched_yield, fstat, getentropy, and file operations that
 * fail without preopened directories (native: the files do not exist). */
#define _DEFAULT_SOURCE
#include <sched.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long long ns(clockid_t c) {
    struct timespec ts;
    if (clock_gettime(c, &ts) != 0) return -1;
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void) {
    printf("time after 2020: %s\n", time(NULL) > 1577836800 ? "yes" : "no");
    long long t0 = ns(CLOCK_MONOTONIC);
    struct timespec nap = {0, 2000000};
    int slept = nanosleep(&nap, NULL);
    usleep(1000);
    long long t1 = ns(CLOCK_MONOTONIC);
    printf("nanosleep %d, slept at least 3 ms: %s\n", slept, t1 - t0 >= 3000000 ? "yes" : "no");
    printf("sched_yield %d\n", sched_yield());
    struct timespec res;
    printf("clock_getres %d\n", clock_getres(CLOCK_MONOTONIC, &res));
    struct stat st;
    printf("fstat(stdout) %d\n", fstat(1, &st));
    unsigned char buf[32];
    printf("getentropy %d\n", getentropy(buf, sizeof buf));
    FILE *f = fopen("/no/such/dir/zong-test-file", "r");
    printf("fopen of a missing file: %s\n", f ? "opened" : "NULL");
    printf("remove of a missing file: %d\n", remove("/no/such/dir/zong-test-file"));
    printf("mkdir under a missing dir: %d\n", mkdir("/no/such/dir/sub", 0755));
    fflush(stdout);
    return 0;
}
"""#, notUnderWasmkit: "wasmkit 0.4.2 lacks poll_oneoff and sched_yield")
}

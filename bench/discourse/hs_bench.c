/* hs_bench: count the matches of a list of literal patterns in a file with Vectorscan/Hyperscan
 * (block mode, one thread), the way the discourse benchmark compares engines. Written for
 * Casefile; build with: cc -O2 -o hs_bench hs_bench.c $(pkg-config --cflags --libs libhs)
 *
 *   hs_bench PATTERNS HAYSTACK [RUNS]
 *
 * PATTERNS has one literal per line (UTF-8 bytes, matched case-sensitively: the pattern list
 * carries the case variants). Prints one JSON line with the best of RUNS scans. */
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc(n + 1);
    if (!b || fread(b, 1, n, f) != (size_t)n) { fprintf(stderr, "%s: read failed\n", path); exit(1); }
    fclose(f);
    b[n] = 0;
    *len = (size_t)n;
    return b;
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx) {
    (void)id; (void)from; (void)to; (void)flags;
    ++*(unsigned long long *)ctx;
    return 0;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static double cpu(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: hs_bench PATTERNS HAYSTACK [RUNS]\n"); return 2; }
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    size_t plen, hlen;
    char *pats = slurp(argv[1], &plen);
    char *hay = slurp(argv[2], &hlen);
    unsigned n = 0, cap = 1024;
    const char **expr = malloc(cap * sizeof *expr);
    size_t *lens = malloc(cap * sizeof *lens);
    for (char *line = strtok(pats, "\n"); line; line = strtok(NULL, "\n")) {
        if (!*line) continue;
        if (n == cap) { cap *= 2; expr = realloc(expr, cap * sizeof *expr); lens = realloc(lens, cap * sizeof *lens); }
        expr[n] = line;
        lens[n] = strlen(line);
        n++;
    }
    unsigned *flags = calloc(n, sizeof *flags), *ids = malloc(n * sizeof *ids);
    for (unsigned i = 0; i < n; i++) ids[i] = i;
    hs_database_t *db;
    hs_compile_error_t *cerr;
    double t0 = now();
    if (hs_compile_lit_multi(expr, flags, ids, lens, n, HS_MODE_BLOCK, NULL, &db, &cerr) != HS_SUCCESS) {
        fprintf(stderr, "hs_compile_lit_multi: %s\n", cerr->message);
        return 1;
    }
    double build = now() - t0;
    hs_scratch_t *scratch = NULL;
    if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) { fprintf(stderr, "hs_alloc_scratch failed\n"); return 1; }
    double best = 1e9, bestcpu = 1e9;
    unsigned long long count = 0;
    for (int r = 0; r < runs; r++) {
        count = 0;
        double w = now(), c = cpu();
        if (hs_scan(db, hay, (unsigned)hlen, 0, scratch, on_match, &count) != HS_SUCCESS) { fprintf(stderr, "hs_scan failed\n"); return 1; }
        w = now() - w;
        c = cpu() - c;
        if (w < best) best = w;
        if (c < bestcpu) bestcpu = c;
    }
    printf("{\"engine\":\"vectorscan\",\"version\":\"%s\",\"patterns\":%u,\"bytes\":%zu,\"hits\":%llu,\"build_s\":%.4f,\"wall_s\":%.4f,\"cpu_s\":%.4f,\"mb_s_wall\":%.1f,\"mb_s_cpu\":%.1f}\n",
           hs_version(), n, hlen, count, build, best, bestcpu, hlen / 1e6 / best, hlen / 1e6 / bestcpu);
    hs_free_scratch(scratch);
    hs_free_database(db);
    return 0;
}

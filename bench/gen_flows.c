/*
 * gen_flows — a deterministic VPC Flow Logs file in the default (version 2)
 * format, with the S3 header line, for `make bench`.
 *
 *   gen_flows [--hosts N] MB OUTFILE
 *
 * writes about MB x 10^6 bytes of records: ~420 interfaces, talkers drawn
 * from a heavy-tailed (Zipf-like) distribution over ~400k addresses (a few
 * hosts carry most bytes), ~5% REJECT, ~1% NODATA and a few SKIPDATA lines,
 * ~10% IPv6 (--hosts N: over N addresses instead), TCP/UDP/ICMP with well-known and ephemeral ports, byte counts
 * spread over six orders of magnitude. Prints the record count. A fixed
 * seed: the same arguments give the same file.
 */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x2545F4914F6CDD1Dull;

static uint64_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545F4914F6CDD1Dull;
}

static double unit(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }

/* A Zipf-like rank in [0, n): small ranks are much more likely. */
static uint32_t zipf(uint32_t n) { return (uint32_t)((double)n * pow(unit(), 3.0)); }

static void addr(FILE *f, uint32_t id, int v6)
{
    if (v6)
        fprintf(f, "2600:1f18:%x:%x::%x", 0x4000 + (id >> 16 & 0xff), id >> 8 & 0xff, id & 0xffff);
    else if (id % 4 == 0) /* a public peer */
        fprintf(f, "%u.%u.%u.%u", 3 + id % 200, id >> 16 & 0xff, id >> 8 & 0xff, 1 + (id & 0x7f));
    else
        fprintf(f, "10.%u.%u.%u", id >> 16 & 0xff, id >> 8 & 0xff, 1 + (id & 0x7f));
}

int main(int argc, char **argv)
{
    uint32_t hosts = 400000;
    if (argc == 5 && strcmp(argv[1], "--hosts") == 0) {
        hosts = (uint32_t)atoi(argv[2]);
        argv += 2;
        argc -= 2;
    }
    if (argc != 3 || hosts < 1) {
        fprintf(stderr, "usage: gen_flows [--hosts N] MB OUTFILE\n");
        return 2;
    }
    double mb = atof(argv[1]);
    FILE *f = fopen(argv[2], "w");
    if (!f || mb <= 0) {
        fprintf(stderr, "gen_flows: cannot write %s\n", argv[2]);
        return 2;
    }
    static const int ports[] = { 443, 443, 443, 80, 22, 53, 2049, 8080, 3306, 6379 };
    fputs("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
          "action log-status\n", f);
    uint64_t target = (uint64_t)(mb * 1e6), records = 0;
    uint32_t t = 1764150000;
    while ((uint64_t)ftell(f) < target) {
        uint32_t eni = zipf(420);
        uint64_t r = rnd();
        t += (uint32_t)(r % 3 == 0);
        fprintf(f, "2 123456789012 eni-%017" PRIx64 " ", (uint64_t)0x0a1b2c3d4e5f60000ull + eni);
        if (r % 100 == 7 || r % 997 == 3) {
            fprintf(f, "- - - - - - - %u %u - %s\n", t, t + 60, r % 997 == 3 ? "SKIPDATA" : "NODATA");
            records++;
            continue;
        }
        int v6 = r % 10 == 1, proto = r % 20 == 2 ? 17 : r % 50 == 3 ? 1 : 6;
        uint32_t src = zipf(hosts), dst = zipf(hosts);
        int sport = proto == 1 ? 0 : 1024 + (int)(rnd() % 64000);
        int dport = proto == 1 ? 0 : ports[zipf(10)];
        uint64_t packets = 1 + (uint64_t)(pow(10.0, unit() * 4.0));
        uint64_t bytes = packets * (40 + rnd() % 1460);
        addr(f, src, v6);
        fputc(' ', f);
        addr(f, dst, v6);
        fprintf(f, " %d %d %d %" PRIu64 " %" PRIu64 " %u %u %s OK\n", sport, dport, proto, packets, bytes, t, t + 60,
                r % 20 == 5 ? "REJECT" : "ACCEPT");
        records++;
    }
    long size = ftell(f);
    if (fclose(f) != 0)
        return 2;
    printf("gen_flows: %" PRIu64 " records, %ld bytes, %s\n", records, size, argv[2]);
    return 0;
}

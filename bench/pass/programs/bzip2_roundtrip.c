/* bzip2_roundtrip.c - compresses a file with libbz2 (900k blocks), decompresses it and checks it.
 *
 * Prints the sizes and an FNV-1a hash of the compressed stream, so instrumented builds of libbz2 can
 * be checked against the plain one byte for byte. Built against libbz2 from Debian's source package,
 * with the same flags as the library. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bzlib.h"
#include "read_file.h"

static uint64_t fnv1a(const unsigned char *p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s INPUT\n", argv[0]);
    return 2;
  }
  size_t size;
  unsigned char *input = readFile(argv[1], &size);
  /* bzip2's documented bound: 1% larger plus 600 bytes. */
  unsigned packedSize = (unsigned)(size + size / 100 + 600);
  char *packed = malloc(packedSize);
  if (BZ2_bzBuffToBuffCompress(packed, &packedSize, (char *)input, (unsigned)size, 9, 0, 30) !=
      BZ_OK) {
    fprintf(stderr, "BZ2_bzBuffToBuffCompress failed\n");
    return 1;
  }
  unsigned unpackedSize = (unsigned)size;
  char *unpacked = malloc(size ? size : 1);
  if (BZ2_bzBuffToBuffDecompress(unpacked, &unpackedSize, packed, packedSize, 0, 0) != BZ_OK ||
      unpackedSize != size || memcmp(unpacked, input, size) != 0) {
    fprintf(stderr, "round trip failed\n");
    return 1;
  }
  printf("bzip2: in=%zu packed=%u fnv=%016llx\n", size, packedSize,
         (unsigned long long)fnv1a((unsigned char *)packed, packedSize));
  free(input), free(packed), free(unpacked);
  return 0;
}

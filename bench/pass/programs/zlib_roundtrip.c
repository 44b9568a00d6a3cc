/* zlib_roundtrip.c - compresses a file with zlib at level 6, decompresses it and checks the result.
 *
 * Prints the sizes and CRC-32s of the input and of the compressed stream, so instrumented builds of
 * zlib can be checked against the plain one byte for byte. Built against zlib from Debian's source
 * package, with the same flags as the library. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zlib.h"
#include "read_file.h"

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s INPUT\n", argv[0]);
    return 2;
  }
  size_t size;
  unsigned char *input = readFile(argv[1], &size);
  uLongf packedSize = compressBound(size);
  unsigned char *packed = malloc(packedSize);
  if (compress2(packed, &packedSize, input, size, 6) != Z_OK) {
    fprintf(stderr, "compress2 failed\n");
    return 1;
  }
  uLongf unpackedSize = size;
  unsigned char *unpacked = malloc(size ? size : 1);
  if (uncompress(unpacked, &unpackedSize, packed, packedSize) != Z_OK || unpackedSize != size ||
      memcmp(unpacked, input, size) != 0) {
    fprintf(stderr, "round trip failed\n");
    return 1;
  }
  printf("zlib: in=%zu crc=%08lx packed=%lu crc=%08lx\n", size, crc32(0, input, size), packedSize,
         crc32(0, packed, packedSize));
  free(input), free(packed), free(unpacked);
  return 0;
}

/* read_file.h - reads a whole input file for the round-trip drivers; exits with status 2 on error. */
#ifndef SAFEPOINT_BENCH_READ_FILE_H
#define SAFEPOINT_BENCH_READ_FILE_H

#include <stdio.h>
#include <stdlib.h>

static unsigned char *readFile(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f || fseek(f, 0, SEEK_END) != 0) {
    perror(path);
    exit(2);
  }
  long n = ftell(f);
  rewind(f);
  unsigned char *data = malloc(n ? n : 1);
  if (fread(data, 1, n, f) != (size_t)n) {
    perror(path);
    exit(2);
  }
  fclose(f);
  *size = n;
  return data;
}

#endif

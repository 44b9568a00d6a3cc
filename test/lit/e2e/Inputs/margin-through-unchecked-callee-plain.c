/* Compiled without the pass: no entry check, no stack probes. A 12 KiB frame whose lowest byte is
 * written first (and only; the index is the caller's, so the compiler keeps the whole array). */
void plain_big_frame(int i) {
  volatile char buf[12 * 1024];
  buf[i] = 1;
}

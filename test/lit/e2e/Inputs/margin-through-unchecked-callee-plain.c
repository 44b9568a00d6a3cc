/* Compiled without the pass: no entry check, no stack probes. A frame of FRAME_KIB KiB (12 unless
 * the test says) whose lowest byte is written first (and only; the index is the caller's, so the
 * compiler keeps the whole array). */
#ifndef FRAME_KIB
#define FRAME_KIB 12
#endif
void plain_big_frame(int i) {
  volatile char buf[FRAME_KIB * 1024];
  buf[i] = 1;
}

/* Compiled without the pass: the profiling hooks of -finstrument-functions-after-inlining. The
 * entry hook has a 12 KiB frame with no probes and writes its lowest byte first, as a profiler's
 * record buffer may. */
static volatile int slot;
void __cyg_profile_func_enter(void *fn, void *site) {
  volatile char record[12 * 1024];
  record[slot] = 1;
  (void)fn;
  (void)site;
}
void __cyg_profile_func_exit(void *fn, void *site) {
  (void)fn;
  (void)site;
}

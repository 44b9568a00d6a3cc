// Hand-written polls the pass knows nothing of: a page-mode read without a site record, and a
// site record (loop, thread-page) that points at a nop. The site-table checker must reject both.
void unrecorded(long *page) { __asm__ volatile("testl %%eax, (%0)" : : "r"(page)); }

void bogus_record(void) {
  __asm__ volatile("1: nop\n"
                   ".pushsection sp_sites,\"a\",@progbits\n"
                   ".balign 4\n"
                   ".long 1b - .\n"
                   ".long 2f - .\n"
                   ".long 0, 0\n"
                   ".short 0\n"
                   ".byte 1, 1, 1, 0, 0, 0\n"
                   ".popsection\n"
                   ".pushsection .rodata.str1.1,\"aMS\",@progbits,1\n"
                   "2: .asciz \"bogus_record\"\n"
                   ".popsection");
}

int main(void) { return 0; }

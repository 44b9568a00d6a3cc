// The -mllvm -sp-* options reach the pass through clang (the plugin is also loaded with -fplugin=,
// so clang knows them when it parses -mllvm). Each changes the code as documented; bad values and
// unsupported targets are clear errors.
// RUN: %clang-sp -O2 -S %s -o - -Rpass-missed=safepoint 2>%t.default | FileCheck %s --check-prefix=DEFAULT
// RUN: FileCheck %s --check-prefix=DEFAULT-REMARK < %t.default
// With the limit below 64 and chunked loop polls off, the loop polls on every back-edge.
// RUN: %clang-sp -O2 -S %s -o - -mllvm -sp-max-elided-trips=10 -mllvm -sp-strip-mining=0 \
// RUN:   -mllvm -sp-poll-every=1 | FileCheck %s --check-prefix=TRIPS
// RUN: %clang-sp -O2 -S %s -o - -mllvm -sp-epilogue-polls=1 | FileCheck %s --check-prefix=EPI
// RUN: %clang-sp -O2 -S %s -o - -mllvm -sp-entry-checks=0 -mllvm -sp-epilogue-polls=1 \
// RUN:   | FileCheck %s --check-prefix=NOENTRY
// The hidden -sp-entry-stack-margin=1 brings back the stack-guard compare as the entry poll.
// RUN: %clang-sp -O2 -S %s -o - -mllvm -sp-entry-stack-margin=1 | FileCheck %s --check-prefix=MARGIN
//
// RUN: not %clang-sp -O2 -S %s -o /dev/null -mllvm -sp-poll=bogus 2>&1 | FileCheck %s --check-prefix=BADMODE
// RUN: not %clang-sp -O2 -S %s -o /dev/null -mllvm -sp-max-elided-trips=lots 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BADTRIPS
// RUN: not %clang-sp -O2 -S %s -o /dev/null -mllvm -sp-entry-checks=maybe 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BADBOOL
// RUN: not %clang-sp --target=aarch64-linux-gnu -O2 -S %s -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=AARCH64
// RUN: not %clang-sp --target=x86_64-apple-macos -O2 -S %s -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MACHO
// RUN: not %clang-sp -m32 -O2 -S %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=M32
// RUN: not %clang-sp -mx32 -O2 -S %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=X32

// BADMODE: for the --sp-poll option: Cannot find option named 'bogus'!
// BADTRIPS: for the --sp-max-elided-trips option: 'lots' value invalid for uint argument!
// BADBOOL: for the --sp-entry-checks option: 'maybe' is invalid value for boolean argument! Try 0 or 1
// AARCH64: error: safepoint: target 'aarch64-unknown-linux-gnu' is not supported; safepoint polls are emitted for x86-64 ELF targets only
// MACHO: error: safepoint: target 'x86_64-apple-macosx{{.*}}' is not supported
// M32: error: safepoint: target 'i386-{{.*}}' is not supported
// X32: error: safepoint: target 'x86_64-{{.*}}gnux32' is not supported

void use(int);
volatile int sink;

// 64 iterations of bounded work: elided by default (limit 1000), polled with a limit of 10. (The
// call after the loop makes the function call-making, so it gets an entry check.)
void sixty_four(void) {
#pragma clang loop unroll(disable)
  for (int i = 0; i < 64; ++i)
    sink = i;
  use(0);
}

// DEFAULT-REMARK: remark: no loop poll: loop runs at most 64 iterations (limit 1000)
// DEFAULT-LABEL: sixty_four:
// DEFAULT:         testl %eax, %fs:__sp_thread_poll_page@TPOFF
// DEFAULT:         .byte 3
// DEFAULT-NEXT:    .byte 1
// DEFAULT:       # =>This Inner Loop Header
// DEFAULT-NEXT:    movl %{{[a-z0-9]+}}, sink(%rip)
// DEFAULT-NOT:     #APP
// DEFAULT:         jne .LBB0_
// DEFAULT-NOT:     testl %eax
// DEFAULT:         jmp use@PLT
// TRIPS-LABEL: sixty_four:
// TRIPS:       # =>This Inner Loop Header
// TRIPS:         movl %{{[a-z0-9]+}}, sink(%rip)
// TRIPS:         testl %eax, %fs:__sp_thread_poll_page@TPOFF
// TRIPS:         .byte 1
// TRIPS-NEXT:    .byte 1
// TRIPS:         jne .LBB0_
// EPI-LABEL: sixty_four:
// EPI:         testl %eax, %fs:__sp_thread_poll_page@TPOFF
// EPI:         .byte 3
// EPI-NEXT:    .byte 1
// EPI:         testl %eax, %fs:__sp_thread_poll_page@TPOFF
// EPI:         .byte 2
// EPI-NEXT:    .byte 1
// EPI:         jmp use@PLT
// NOENTRY-LABEL: sixty_four:
// NOENTRY-NOT:     #APP
// NOENTRY:       # =>This Inner Loop Header
// NOENTRY:         testl %eax, %fs:__sp_thread_poll_page@TPOFF
// NOENTRY:         .byte 2
// NOENTRY-NEXT:    .byte 1
// NOENTRY:         retq
// MARGIN-LABEL: sixty_four:
// MARGIN-NOT:     __sp_thread_poll_page
// MARGIN:         .byte 3
// MARGIN-NEXT:    .byte 5
// MARGIN:         cmpq %fs:__sp_stack_guard@TPOFF, %rsp
// MARGIN-NEXT:    jb .LBB0_
// MARGIN:         callq __sp_morestack@PLT

// [[clang::musttail]] calls: the epilogue poll goes before the call (a musttail call must be
// followed by its return), and the call is still a tail call in the machine code, a jmp, at -O0
// and -O2, in every mode. A recursive musttail loop thus polls once per step without growing the
// stack. (step is defined elsewhere.)
// RUN: %clang-sp -mllvm -sp-epilogue-polls=1 -O2 -S %s -o - | FileCheck %s --check-prefixes=CHECK,PAGE
// RUN: %clang-sp -mllvm -sp-epilogue-polls=1 -O0 -S %s -o - | FileCheck %s --check-prefixes=CHECK,PAGE
// RUN: %clang-sp -mllvm -sp-epilogue-polls=1 -O2 -S %s -o - -mllvm -sp-poll=flag | FileCheck %s --check-prefixes=CHECK,FLAG
// RUN: %clang-sp -mllvm -sp-epilogue-polls=1 -O0 -S %s -o - -mllvm -sp-poll=call | FileCheck %s --check-prefixes=CHECK,CALL
// RUN: %clang-sp -mllvm -sp-epilogue-polls=1 -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=IR
// By default (no epilogue polls) the self-recursion polls at its entry: countdown is on a
// call-graph cycle. It calls only itself, so in thread-page mode that poll is the page load, with
// no stack-guard compare (opt/entry-page-poll.ll).
// RUN: %clang-sp -O0 -S %s -o - | FileCheck %s --check-prefix=DEFAULT

long step(long n, long acc);

long run(long n, long acc) {
  if (n == 0)
    return acc;
  [[clang::musttail]] return step(n - 1, acc + n);
}

// IR-LABEL: define dso_local i64 @run(
// IR:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
// IR-NEXT:    ret i64 %1
// IR:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
// IR-NEXT:    %{{.*}} = musttail call i64 @step(
// IR-NEXT:    ret i64

// The poll (kind 2, epilogue) comes before the jump, with no call in between.
// CHECK-LABEL: run:
// PAGE:         testl %eax, {{%fs:__sp_thread_poll_page@TPOFF|\(%r[a-z0-9]+\)}}
// FLAG:         cmpb $0, %fs:__sp_poll_flag@TPOFF
// CALL:         callq __sp_poll@PLT
// CHECK-NOT:    callq step
// CHECK:        jmp step@PLT # TAILCALL
// CHECK:      .Lfunc_end0:

// Self-recursion through musttail: at -O0 the epilogue poll before the jump is the loop's poll; at
// -O2 the recursion becomes a loop, which polls on its back-edge. The stack never grows.
long countdown(long n, long acc) {
  if (n <= 0)
    return acc;
  [[clang::musttail]] return countdown(n - 1, acc * 3 + n);
}

// CHECK-LABEL: countdown:
// PAGE:         testl %eax, {{%fs:__sp_thread_poll_page@TPOFF|\(%r[a-z0-9]+\)}}
// FLAG:         cmpb $0, %fs:__sp_poll_flag@TPOFF
// CALL:         callq __sp_poll@PLT
// CHECK-NOT:    callq countdown
// CHECK:      .Lfunc_end1:
// DEFAULT-LABEL: countdown:
// DEFAULT:         testl %eax, {{\(%r[a-z0-9]+\)}}
// DEFAULT-NOT:     __sp_stack_guard
// DEFAULT-NOT:     callq countdown
// DEFAULT:         jmp countdown # TAILCALL
// DEFAULT:       .Lfunc_end1:

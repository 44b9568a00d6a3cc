// A computed-goto interpreter (`goto *p`) and a loop built from plain gotos with two entries: both are
// cycles LoopInfo cannot see as natural loops (the dispatch is irreducible), and each dispatch that
// jumps back polls. Checked at -O0 and -O2 through the remarks and the assembly. At -O0 each handler
// has its own dispatch, and each polls (with the location of its goto). At -O2 the handlers share
// one dispatch block, which polls once in the IR (at its start, rule P1'', opt/dispatch-loop.ll);
// the backend then duplicates that block into the handlers again, poll included, so the assembly
// has a poll before every handler's indirect jump, whose target load stays folded into it.
// The interpreter's dispatch is a loop whose iterations are bounded work: in flag and call mode it
// polls once per 1024 dispatches by default (a counter, opt/loop-poll-chunks.ll); -sp-poll-every=1
// keeps one poll per back-edge here, where the cycles themselves are the subject.
// RUN: %clang-sp -O0 -S %s -o - -Rpass=safepoint -mllvm -sp-poll-every=1 2>%t.O0.remarks \
// RUN:   | FileCheck %s --check-prefix=ASM
// RUN: FileCheck %s --check-prefix=REMARK < %t.O0.remarks
// RUN: grep -c 'loop back-edge' %t.O0.remarks | FileCheck %s --check-prefix=O0COUNT
// RUN: %clang-sp -O2 -S %s -o - -Rpass=safepoint -mllvm -sp-poll-every=1 2>%t.O2.remarks | FileCheck %s --check-prefixes=ASM,ASM-O2
// RUN: grep -c 'loop back-edge' %t.O2.remarks | FileCheck %s --check-prefix=O2COUNT
// RUN: %clang-sp -O2 -S %s -o - -mllvm -sp-poll=flag -mllvm -sp-poll-every=1 | FileCheck %s --check-prefix=FLAG
// O0COUNT: {{^}}4{{$}}
// O2COUNT: {{^}}3{{$}}

long interp(const unsigned char *code) {
  static void *const ops[] = {&&op_inc, &&op_dbl, &&op_halt};
  long acc = 0;
  goto *ops[*code];
op_inc:
  acc += 1;
  // REMARK-DAG: computed-goto.c:[[@LINE+1]]:{{[0-9]+}}: remark: safepoint poll at loop back-edge (thread-page)
  goto *ops[*++code];
op_dbl:
  acc *= 2;
  // REMARK-DAG: computed-goto.c:[[@LINE+1]]:{{[0-9]+}}: remark: safepoint poll at loop back-edge (thread-page)
  goto *ops[*++code];
op_halt:
  return acc;
}

// interp makes no calls and is visible outside the module: its entry polls too, with the same load.
// ASM-LABEL: interp:
// ASM:         testl %eax, {{%fs:__sp_thread_poll_page@TPOFF|\(%r[a-z0-9]+\)}}
// ASM:         testl %eax, {{%fs:__sp_thread_poll_page@TPOFF|\(%r[a-z0-9]+\)}}
// ASM-O2-NEXT: .Ltmp{{[0-9]+}}:
// ASM-O2:      #NO_APP
// ASM-O2-NEXT: incq
// ASM-O2-NEXT: movzbl
// ASM:         jmpq *
// ASM-O2:      testl %eax, %fs:__sp_thread_poll_page@TPOFF
// ASM-O2-NEXT: .Ltmp{{[0-9]+}}:
// ASM-O2:      #NO_APP
// ASM-O2-NEXT: incq
// ASM-O2-NEXT: movzbl
// ASM-O2-NEXT: jmpq *
// ASM:       .Lfunc_end0:
// FLAG-LABEL: interp:
// FLAG:         cmpb $0, %fs:__sp_poll_flag@TPOFF
// FLAG:         jmpq *
// FLAG:       .Lfunc_end0:

void use(int);

// Two entries, a and b, chosen by the caller: an irreducible cycle. Both jumps back poll.
void two_entries(int start_in_b, int n) {
  int i = 0;
  if (start_in_b)
    goto b;
a:
  use(i++);
  if (i >= n)
    return;
  // REMARK-DAG: computed-goto.c:[[@LINE+1]]:3: remark: safepoint poll at loop back-edge (thread-page)
  goto b;
b:
  use(i += 2);
  if (i >= n)
    return;
  // REMARK-DAG: computed-goto.c:[[@LINE+1]]:3: remark: safepoint poll at loop back-edge (thread-page)
  goto a;
}

; Loaded into opt (as into clang), the plugin puts the pass at the optimizer's last extension point
; of every default pipeline: after coroutine splitting and the vectorizers, with the -sp-* options
; as parameters; at -O0 too (after coro-split, so split coroutines are instrumented).
; RUN: %opt-sp -passes="default<O0>" -print-pipeline-passes -disable-output %s \
; RUN:   | FileCheck %s --check-prefix=O0
; RUN: %opt-sp -passes="default<O2>" -print-pipeline-passes -disable-output %s \
; RUN:   | FileCheck %s --check-prefix=O2
; RUN: %opt-sp -passes='default<O3>' -sp-poll=flag -sp-max-elided-trips=9 -print-pipeline-passes \
; RUN:   -disable-output %s | FileCheck %s --check-prefix=O3
; The pass really runs there.
; RUN: %opt-sp -passes='default<O2>' -S %s | FileCheck %s --check-prefix=RUNS

; O0: coro-cond(coro-early,cgscc(coro-split),coro-cleanup,globaldce),safepoint<poll=thread-page;max-elided-trips=1000;strip-mining;strip-mining-max-body=0;poll-every=1024;counter-max-body=0;no-epilogue-polls;entry-checks>
; O2: coro-cleanup
; O2: loop-vectorize
; O2: slp-vectorizer
; O2: safepoint<poll=thread-page;max-elided-trips=1000;strip-mining;strip-mining-max-body=0;poll-every=1024;counter-max-body=0;no-epilogue-polls;entry-checks>
; O3: slp-vectorizer
; O3: safepoint<poll=flag;max-elided-trips=9;strip-mining;strip-mining-max-body=0;poll-every=1024;counter-max-body=0;no-epilogue-polls;entry-checks>

target triple = "x86_64-unknown-linux-gnu"

declare void @use(i64)

define void @count(i64 %n) {
; RUNS-LABEL: define void @count(
; RUNS:         call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
; RUNS:         call void @use(
; RUNS:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; RUNS:       !"safepoint.instrumented"
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  call void @use(i64 %i)
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret void
}

; A module is instrumented once: the pass sets the module flag safepoint.instrumented and leaves a
; module that has it unchanged, whether it runs twice in one pipeline, again on its own output, or
; with other options the second time.
; RUN: %opt-sp -passes='safepoint<epilogue-polls>' -S %s -o %t.once.ll
; RUN: %opt-sp -passes='safepoint<epilogue-polls>,safepoint<epilogue-polls>' -S %s -o %t.twice.ll
; RUN: diff %t.once.ll %t.twice.ll
; Reading the output back (no pass) is the reference for a second run on it.
; RUN: %opt-sp -passes=verify -S %t.once.ll -o %t.reread.ll
; RUN: %opt-sp -passes='safepoint<poll=flag;max-elided-trips=0;epilogue-polls>' -S %t.once.ll -o %t.again.ll
; RUN: diff %t.reread.ll %t.again.ll
; RUN: FileCheck %s < %t.once.ll
; A module that already carries the flag (say, from another tool) is not instrumented at all.
; RUN: sed -e 's/^;FLAGGED: //' %s | %opt-sp -passes='safepoint<epilogue-polls>' -S | FileCheck %s --check-prefix=FLAGGED

target triple = "x86_64-unknown-linux-gnu"

declare void @use(i64)

define void @count(i64 %n) {
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

; One entry check, one loop poll, one epilogue poll; one constructor and one flag.
; CHECK-COUNT-3: call void asm sideeffect "8201:
; CHECK-NOT:     call void asm sideeffect "8201:
; CHECK:         !llvm.module.flags = !{[[F:![0-9]+]]}
; CHECK:         [[F]] = !{i32 7, !"safepoint.instrumented", i32 1}

;FLAGGED: !llvm.module.flags = !{!0}
;FLAGGED: !0 = !{i32 7, !"safepoint.instrumented", i32 1}
; FLAGGED-NOT: 8201:
; FLAGGED-NOT: sp.register_sites

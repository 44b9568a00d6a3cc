; Strip-mine or poll on every back-edge (plugin/LoopPollChunks.cpp, stripMiningPays): in thread-page
; mode a poll is one load with no branch, so a counted loop whose body has more than
; strip-mining-max-body instructions keeps a poll on every back-edge, which costs less code than a
; chunk's start and end and one instruction per iteration. The default limit is 0: no scalar loop is
; strip-mined in thread-page mode. A vectorized body is strip-mined at any length, and so is every
; loop in the global-page mode (its page, armed for all threads at once, makes every thread that is
; not stopped fault at each poll) and in the flag and call modes, where a poll is a branch or a call. With a limit of 20 (the
; default before), a body of 20 is strip-mined and one of 21 is not.
; Entry checks are off: the functions are exported, and entry checks are another test's subject.
; RUN: %opt-sp -passes='safepoint<no-entry-checks>' -pass-remarks-analysis=safepoint -S %s 2>%t.remarks | FileCheck %s --check-prefixes=CHECK,PAGE,PAGE0
; RUN: FileCheck %s --check-prefix=REMARK < %t.remarks
; RUN: %opt-sp -passes='safepoint<no-entry-checks;poll=global-page>' -S %s | FileCheck %s --check-prefixes=CHECK,STRIP,STRIP20
; RUN: %opt-sp -passes='safepoint<no-entry-checks;poll=flag>' -S %s | FileCheck %s --check-prefixes=CHECK,STRIP,STRIP20
; RUN: %opt-sp -passes='safepoint<no-entry-checks;poll=call>' -S %s | FileCheck %s --check-prefixes=CHECK,STRIP,STRIP20
; RUN: %opt-sp -passes='safepoint<no-entry-checks;strip-mining-max-body=20>' -pass-remarks-analysis=safepoint -S %s 2>%t.remarks20 | FileCheck %s --check-prefixes=CHECK,PAGE,STRIP20
; RUN: FileCheck %s --check-prefix=REMARK20 < %t.remarks20
; Through clang's -mllvm option too.
; RUN: %opt-sp -sp-strip-mining-max-body=21 -passes='safepoint<no-entry-checks>' -S %s | FileCheck %s --check-prefixes=CHECK,STRIP,STRIP20

target triple = "x86_64-unknown-linux-gnu"

@sink = global i64 0

; 21 instructions a trip: over both limits.
; REMARK: remark: <unknown>:0:0: loop polls on every back-edge: its body of 21 instructions is longer than strip-mining pays for (limit 0)
; REMARK20: remark: <unknown>:0:0: loop polls on every back-edge: its body of 21 instructions is longer than strip-mining pays for (limit 20)
define i64 @long_body(i64 %n, i64 %seed) {
; CHECK-LABEL: define i64 @long_body(
; PAGE-NOT:      sp.chunk
; PAGE:        loop:
; PAGE:          call void asm sideeffect "8201:
; PAGE-NEXT:     br i1 %done, label %exit, label %loop
; STRIP:       loop.sp.start:
; STRIP:         %sp.chunk.end = add i64
; STRIP:         %sp.chunk.at_end = icmp eq i64 %i.next, %sp.chunk.end
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %x = phi i64 [ %seed, %entry ], [ %x9, %loop ]
  %x1 = mul i64 %x, 6364136223846793005
  %x2 = add i64 %x1, 1442695040888963407
  %x3 = lshr i64 %x2, 17
  %x4 = xor i64 %x2, %x3
  %x5 = mul i64 %x4, -49064778989728563
  %x6 = lshr i64 %x5, 29
  %x7 = xor i64 %x5, %x6
  %x8 = add i64 %x7, %i
  %y1 = shl i64 %x8, 7
  %y2 = xor i64 %y1, %x8
  %y3 = mul i64 %y2, 31
  %y4 = lshr i64 %y3, 11
  %y5 = xor i64 %y3, %y4
  %y6 = add i64 %y5, 977
  %y7 = mul i64 %y6, 5
  %y8 = lshr i64 %y7, 3
  %x9 = xor i64 %y7, %y8
  store volatile i64 %x9, ptr @sink
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret i64 %x9
}

; 20 instructions: over the default limit, at the limit of 20.
; REMARK: remark: <unknown>:0:0: loop polls on every back-edge: its body of 20 instructions is longer than strip-mining pays for (limit 0)
; REMARK20: remark: <unknown>:0:0: loop polls once per 1000 iterations: strip-mined by its induction variable
define i64 @at_limit(i64 %n, i64 %seed) {
; CHECK-LABEL: define i64 @at_limit(
; PAGE0-NOT:     sp.chunk
; PAGE0:       loop:
; PAGE0:         call void asm sideeffect "8201:
; PAGE0-NEXT:    br i1 %done, label %exit, label %loop
; STRIP20:     loop.sp.start:
; STRIP20:       %sp.chunk.at_end = icmp eq i64 %i.next, %sp.chunk.end
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %x = phi i64 [ %seed, %entry ], [ %x9, %loop ]
  %x1 = mul i64 %x, 6364136223846793005
  %x2 = add i64 %x1, 1442695040888963407
  %x3 = lshr i64 %x2, 17
  %x4 = xor i64 %x2, %x3
  %x5 = mul i64 %x4, -49064778989728563
  %x6 = lshr i64 %x5, 29
  %x7 = xor i64 %x5, %x6
  %x8 = add i64 %x7, %i
  %y1 = shl i64 %x8, 7
  %y2 = xor i64 %y1, %x8
  %y3 = mul i64 %y2, 31
  %y4 = lshr i64 %y3, 11
  %y5 = xor i64 %y3, %y4
  %y6 = add i64 %y5, 977
  %y7 = mul i64 %y6, 5
  %x9 = lshr i64 %y7, 3
  store volatile i64 %x9, ptr @sink
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret i64 %x9
}

; A vector body of 22 instructions: strip-mined in every mode, at any limit.
; REMARK20: remark: <unknown>:0:0: loop polls once per 1000 iterations: strip-mined by its induction variable
; REMARK: remark: <unknown>:0:0: loop polls once per 1000 iterations: strip-mined by its induction variable
define void @long_vector_body(ptr %a, i64 %n) {
; CHECK-LABEL: define void @long_vector_body(
; CHECK:       loop.sp.start:
; CHECK:         %sp.chunk.at_end = icmp eq i64 %i.next, %sp.chunk.end
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %p = getelementptr <4 x i32>, ptr %a, i64 %i
  %v = load <4 x i32>, ptr %p
  %v1 = mul <4 x i32> %v, <i32 3, i32 3, i32 3, i32 3>
  %v2 = add <4 x i32> %v1, <i32 7, i32 7, i32 7, i32 7>
  %v3 = lshr <4 x i32> %v2, <i32 3, i32 3, i32 3, i32 3>
  %v4 = xor <4 x i32> %v2, %v3
  %v5 = mul <4 x i32> %v4, %v
  %v6 = add <4 x i32> %v5, %v1
  %v7 = lshr <4 x i32> %v6, <i32 5, i32 5, i32 5, i32 5>
  %v8 = xor <4 x i32> %v6, %v7
  %v9 = mul <4 x i32> %v8, %v2
  %w1 = add <4 x i32> %v9, %v3
  %w2 = lshr <4 x i32> %w1, <i32 1, i32 1, i32 1, i32 1>
  %w3 = xor <4 x i32> %w1, %w2
  %w4 = mul <4 x i32> %w3, %v4
  %w5 = add <4 x i32> %w4, %v5
  %w6 = xor <4 x i32> %w5, %v6
  store <4 x i32> %w6, ptr %p
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret void
}

; A return block shared by tail calls (clang -O2 merges returns and leaves their duplication to
; CodeGenPrepare) is duplicated into each tail-calling predecessor before the epilogue polls go in,
; so each tail call keeps its return right after it and the poll goes before the call.
; RUN: %opt-sp -passes='safepoint<epilogue-polls>' -S %s | FileCheck %s
; RUN: %opt-sp -passes='safepoint<epilogue-polls>' %s | llc -O2 -o - | FileCheck %s --check-prefix=ASM
; RUN: %opt-sp -passes='safepoint<poll=flag;epilogue-polls>' %s | llc -O2 -o - | FileCheck %s --check-prefix=ASM
; RUN: %opt-sp -passes='safepoint<poll=call;epilogue-polls>' %s | llc -O2 -o - | FileCheck %s --check-prefix=ASM
; RUN: %opt-sp -passes='safepoint<poll=global-page;epilogue-polls>' %s | llc -O2 -o - | FileCheck %s --check-prefix=ASM
; Without epilogue polls nothing is duplicated: CodeGenPrepare does it.
; RUN: %opt-sp -passes='safepoint<no-epilogue-polls>' -S %s | FileCheck %s --check-prefix=NOEPI

target triple = "x86_64-unknown-linux-gnu"

declare i64 @next(i64)
declare ptr @nextp(ptr)
declare void @work(i64)
declare void @use(ptr)
declare void @llvm.lifetime.start.p0(i64, ptr)
declare void @llvm.lifetime.end.p0(i64, ptr)

; CHECK-LABEL: define i64 @merged(
; CHECK:       call:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    %r = tail call i64 @next(i64 %x)
; CHECK-NEXT:    ret i64 %r
; CHECK:       done:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    ret i64 %x
; NOEPI-LABEL: define i64 @merged(
; NOEPI:         %v = phi i64 [ %r, %call ], [ %x, %entry{{.*}} ]
; ASM-LABEL: merged:
; ASM:         jmp next@PLT # TAILCALL
define i64 @merged(i64 %x) {
entry:
  %c = icmp eq i64 %x, 0
  br i1 %c, label %done, label %call
call:
  %r = tail call i64 @next(i64 %x)
  br label %done
done:
  %v = phi i64 [ %r, %call ], [ %x, %entry ]
  ret i64 %v
}

; Void returns: any call whose value is unused, right before the branch, is in tail position.
; CHECK-LABEL: define void @merged_void(
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    tail call void @work(i64 %x)
; CHECK-NEXT:    ret void
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    %unused = tail call i64 @next(i64 %x)
; CHECK-NEXT:    ret void
; ASM-LABEL: merged_void:
; ASM-DAG:     jmp work@PLT # TAILCALL
; ASM-DAG:     jmp next@PLT # TAILCALL
define void @merged_void(i64 %x) {
entry:
  switch i64 %x, label %done [ i64 1, label %a
                               i64 2, label %b ]
a:
  tail call void @work(i64 %x)
  br label %done
b:
  %unused = tail call i64 @next(i64 %x)
  br label %done
done:
  ret void
}

; Code-free instructions between the phi and the return (lifetime ends, casts) come along, and do not
; keep the poll from going before the call.
; CHECK-LABEL: define ptr @lifetime_and_cast(
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    %r = tail call ptr @nextp(ptr %p)
; CHECK-NEXT:    call void @llvm.lifetime.end.p0(i64 8, ptr %slot)
; CHECK-NEXT:    ret ptr %r
; ASM-LABEL: lifetime_and_cast:
; ASM:         jmp nextp@PLT # TAILCALL
define ptr @lifetime_and_cast(ptr %p) {
entry:
  %slot = alloca i64
  call void @llvm.lifetime.start.p0(i64 8, ptr %slot)
  %c = icmp eq ptr %p, null
  br i1 %c, label %done, label %call
call:
  %r = tail call ptr @nextp(ptr %p)
  br label %done
done:
  %v = phi ptr [ %r, %call ], [ null, %entry ]
  call void @llvm.lifetime.end.p0(i64 8, ptr %slot)
  ret ptr %v
}

; Not in tail position, so nothing to keep: the call is not marked tail, or the return does not pass
; its value on, or the return block does real work. The shared return keeps its single poll.
; CHECK-LABEL: define i64 @not_tail(
; CHECK:       done:
; CHECK-NEXT:    %v = phi i64 [ %r, %call ], [ %x, %entry{{.*}} ]
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    ret i64 %v
define i64 @not_tail(i64 %x) {
entry:
  %c = icmp eq i64 %x, 0
  br i1 %c, label %done, label %call
call:
  %r = call i64 @next(i64 %x)
  br label %done
done:
  %v = phi i64 [ %r, %call ], [ %x, %entry ]
  ret i64 %v
}

; CHECK-LABEL: define i64 @other_value(
; CHECK:       done:
; CHECK-NEXT:    %v = phi i64 [ 7, %call ], [ %x, %entry{{.*}} ]
define i64 @other_value(i64 %x) {
entry:
  %c = icmp eq i64 %x, 0
  br i1 %c, label %done, label %call
call:
  %r = tail call i64 @next(i64 %x)
  br label %done
done:
  %v = phi i64 [ 7, %call ], [ %x, %entry ]
  ret i64 %v
}

; CHECK-LABEL: define i64 @work_in_return_block(
; CHECK:       done:
; CHECK-NEXT:    %v = phi i64 [ %r, %call ], [ %x, %entry{{.*}} ]
; CHECK-NEXT:    call void @work(i64 0)
define i64 @work_in_return_block(i64 %x) {
entry:
  %c = icmp eq i64 %x, 0
  br i1 %c, label %done, label %call
call:
  %r = tail call i64 @next(i64 %x)
  br label %done
done:
  %v = phi i64 [ %r, %call ], [ %x, %entry ]
  call void @work(i64 0)
  ret i64 %v
}

; Entry checks go only where a function can be entered again before it returns: on a cycle of the
; call graph (LazyCallGraph: a strongly connected component of direct calls, or a self-call), or
; where code the pass does not see may call it (external linkage, address taken). A function that
; makes calls elsewhere gets none (missed remark NoCallCycle, blind-spot record no-call-cycle): its
; callees and loops bound it. An indirect call or a call to an external function (qsort) does not
; make its caller need a check: code we do not see re-enters this module only through a function that
; is visible outside it or whose address is taken, and that one checks.
; RUN: %opt-sp -passes=safepoint -pass-remarks-output=%t.yaml -S %s | FileCheck %s
; RUN: FileCheck %s --check-prefix=YAML < %t.yaml
; With epilogue polls on, a call-free function that unseen code may call polls before it returns
; instead of at its entry.
; RUN: %opt-sp -passes='safepoint<epilogue-polls>' -S %s | FileCheck %s --check-prefix=EPI

target triple = "x86_64-unknown-linux-gnu"

declare void @work()
declare void @qsort(ptr, i64, i64, ptr)

@hook = global ptr @address_taken

; YAML:      Name: NoCallCycle
; YAML-NEXT: Function: acyclic
; YAML-NEXT: Args:
; YAML-NEXT:   - String: 'no entry check: '
; YAML-NEXT:   - Function: acyclic
; YAML-NEXT:   - String: ' is on no call-graph cycle and only this module''s code calls it'
; CHECK-LABEL: define internal void @acyclic(
; CHECK-NOT:     8201:
; CHECK:         call void @work()
define internal void @acyclic() {
  call void @work()
  call void @work()
  ret void
}

; CHECK-LABEL: define internal void @self_recursive(
; CHECK-NEXT:    %sp.page = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; CHECK-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
define internal void @self_recursive(i32 %n) {
  %done = icmp eq i32 %n, 0
  br i1 %done, label %exit, label %recur
recur:
  %m = sub i32 %n, 1
  call void @self_recursive(i32 %m)
  call void @work()
  br label %exit
exit:
  ret void
}

; ping and pong call each other: one SCC of two functions. ping checks; pong is on the cycle too (no
; NoCallCycle remark), but its first call is to ping, which polls on every call, so rule E6 leaves it
; without an entry poll.
; CHECK-LABEL: define internal void @ping(
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 3, 1,
; CHECK-LABEL: define internal void @pong(
; CHECK-NOT:     8201:
; CHECK:         call void @ping(
; YAML:      Name: PollingFirstCall
; YAML-NEXT: Function: pong
define internal void @ping(i32 %n) {
  %done = icmp eq i32 %n, 0
  br i1 %done, label %exit, label %recur
recur:
  %m = sub i32 %n, 1
  call void @pong(i32 %m)
  br label %exit
exit:
  ret void
}
define internal void @pong(i32 %n) {
  call void @ping(i32 %n)
  call void @work()
  ret void
}

; Calling into a cycle is not being on it.
; YAML:      Name: NoCallCycle
; YAML-NEXT: Function: enters_cycle
; CHECK-LABEL: define internal void @enters_cycle(
; CHECK-NOT:     8201:
; CHECK:         call void @ping(
define internal void @enters_cycle(i32 %n) {
  call void @ping(i32 %n)
  call void @self_recursive(i32 %n)
  ret void
}

; Visible outside the module: another module may call it recursively.
; CHECK-LABEL: define void @exported(
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 3, 1,
define void @exported() {
  call void @acyclic()
  call void @enters_cycle(i32 3)
  call void @indirect(ptr @address_taken)
  call void @calls_qsort(ptr null)
  ret void
}

; Its address is stored: whoever holds it may call it from anywhere, recursively too.
; CHECK-LABEL: define internal void @address_taken(
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 3, 1,
define internal void @address_taken() {
  call void @work()
  ret void
}

; An indirect call reaches an address-taken function, which checks itself, or unseen code.
; YAML:      Name: NoCallCycle
; YAML-NEXT: Function: indirect
; CHECK-LABEL: define internal void @indirect(
; CHECK-NOT:     8201:
; CHECK:         call void %f()
define internal void @indirect(ptr %f) {
  call void %f()
  ret void
}

; qsort calls back into this module, through the comparator only. The comparator makes no calls: it
; polls at its entry, or, with epilogue polls on, before it returns.
; YAML:      Name: NoCallCycle
; YAML-NEXT: Function: calls_qsort
; CHECK-LABEL: define internal void @calls_qsort(
; CHECK-NOT:     8201:
; CHECK:         call void @qsort(
define internal void @calls_qsort(ptr %base) {
  call void @qsort(ptr %base, i64 100, i64 4, ptr @compare)
  ret void
}
; CHECK-LABEL: define internal i32 @compare(
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 3, 1,
; CHECK-NOT:     8201:
; CHECK:         ret i32
; EPI-LABEL: define internal i32 @compare(
; EPI-NOT:     8201:
; EPI:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; EPI-NEXT:    ret i32
define internal i32 @compare(ptr %a, ptr %b) {
  %x = load i32, ptr %a
  %y = load i32, ptr %b
  %d = sub i32 %x, %y
  ret i32 %d
}


; Site records go to the COMDAT group of their function (section flag G, the group name, comdat), so
; that a linker dropping a duplicate copy of the function drops its records with it. Functions outside
; a group, or in a nodeduplicate one (never dropped), write to the plain sp_sites section.
; RUN: %opt-sp -passes='safepoint<poll=thread-page;epilogue-polls>' -S %s | FileCheck %s
; RUN: %opt-sp -passes='safepoint<poll=flag;epilogue-polls>' -S %s | FileCheck %s --check-prefix=MARKER
; The group name is inline asm text, where '$' starts an operand, so it is written '$$'; the object
; then has the records in the group of that name.
; RUN: %opt-sp -passes='safepoint<epilogue-polls>' %s | llc -filetype=obj -o %t.o
; RUN: llvm-readelf --section-groups %t.o | FileCheck %s --check-prefix=GROUPS

target triple = "x86_64-unknown-linux-gnu"

$inline_fn = comdat any
$keep_all = comdat nodeduplicate
$"spin$it" = comdat any

declare void @use(i64)

; CHECK-LABEL: define linkonce_odr void @inline_fn(
; CHECK:         call void asm sideeffect "8201:\0A\09testl %eax, $0\0A8202:\0A\09.pushsection sp_sites,\22aG\22,@progbits,\22inline_fn\22,comdat\0A{{.*}}.byte 3, 1,
; CHECK:         call void asm sideeffect "8201:\0A\09testl %eax, $0\0A8202:\0A\09.pushsection sp_sites,\22aG\22,@progbits,\22inline_fn\22,comdat\0A{{.*}}.byte 1, 1,
; CHECK:         call void asm sideeffect "8201:\0A\09testl %eax, $0\0A8202:\0A\09.pushsection sp_sites,\22aG\22,@progbits,\22inline_fn\22,comdat\0A{{.*}}.byte 2, 1,
; CHECK-NEXT:    ret void
; MARKER-LABEL: define linkonce_odr void @inline_fn(
; MARKER:         call void asm sideeffect "8201:\0A\09.pushsection sp_sites,\22aG\22,@progbits,\22inline_fn\22,comdat\0A{{.*}}.byte 3, 5,
define linkonce_odr void @inline_fn(i64 %n) comdat {
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

; CHECK-LABEL: define void @plain(
; CHECK:         call void asm sideeffect "8201:\0A\09testl %eax, $0\0A8202:\0A\09.pushsection sp_sites,\22a\22,@progbits\0A
define void @plain() {
  call void @use(i64 0)
  ret void
}

; CHECK-LABEL: define void @keep_all(
; CHECK:         call void asm sideeffect "8201:\0A\09testl %eax, $0\0A8202:\0A\09.pushsection sp_sites,\22a\22,@progbits\0A
define void @keep_all() comdat {
  call void @use(i64 1)
  ret void
}

; CHECK-LABEL: define linkonce_odr void @"spin$it"(
; CHECK:         call void asm sideeffect "8201:\0A\09testl %eax, $0\0A8202:\0A\09.pushsection sp_sites,\22aG\22,@progbits,\22spin$$it\22,comdat\0A
define linkonce_odr void @"spin$it"() comdat {
  call void @use(i64 2)
  ret void
}

; GROUPS:      COMDAT group section [{{ *[0-9]+}}] `.group' [inline_fn] contains
; GROUPS-NEXT:    [Index]    Name
; GROUPS-NEXT:    [{{ *[0-9]+}}]   .text.inline_fn
; GROUPS:         [{{ *[0-9]+}}]   sp_sites
; GROUPS:      COMDAT group section [{{ *[0-9]+}}] `.group' [spin$it] contains
; GROUPS-NEXT:    [Index]    Name
; GROUPS-NEXT:    [{{ *[0-9]+}}]   .text.spin$it
; GROUPS:         [{{ *[0-9]+}}]   sp_sites

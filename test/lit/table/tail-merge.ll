; Two epilogues that end alike (the same tail call after a poll; different source lines, so the
; polls' records differ): the backend tail-merges identical code, and it merged the flag checks, and
; in call mode the calls to __sp_poll, of the two polls, leaving one site marking a jmp to the other
; site's check. The cold calls and the call-mode poll are nomerge, so each site keeps its own check
; and the table lists exactly the polls, in every mode.
; RUN: rm -rf %t && mkdir %t
; RUN: clang -O2 -c %inputs/tail-merge-callees.c -o %t/callees.o
; RUN: %opt-sp -passes='safepoint<poll=flag;epilogue-polls>' %s -o %t/flag.bc
; RUN: llc -O2 -relocation-model=pic -filetype=obj %t/flag.bc -o %t/flag.o
; RUN: %spcc %t/flag.o %t/callees.o -Wl,--emit-relocs -o %t/flag
; RUN: %python %inputs/check-site-table.py %sp-inspect %t/flag %t/flag.o | FileCheck %s --check-prefix=FLAG
; RUN: %opt-sp -passes='safepoint<poll=call;epilogue-polls>' %s -o %t/call.bc
; RUN: llc -O2 -relocation-model=pic -filetype=obj %t/call.bc -o %t/call.o
; RUN: %spcc %t/call.o %t/callees.o -Wl,--emit-relocs -o %t/call
; RUN: %python %inputs/check-site-table.py %sp-inspect %t/call %t/call.o | FileCheck %s --check-prefix=CALL
; RUN: %opt-sp -passes='safepoint<poll=thread-page;epilogue-polls>' %s -o %t/page.bc
; RUN: llc -O2 -relocation-model=pic -filetype=obj %t/page.bc -o %t/page.o
; RUN: %spcc %t/page.o %t/callees.o -Wl,--emit-relocs -o %t/page
; RUN: %python %inputs/check-site-table.py %sp-inspect %t/page %t/page.o | FileCheck %s --check-prefix=PAGE
; RUN: %t/flag && %t/call && %t/page

; The two entry polls (f's and main's) are stack-guard compares in flag and call mode, page loads in
; thread-page mode.
; FLAG: ok: 5 sites, 5 polls (flag 3, stack-guard 2)
; CALL: ok: 5 sites, 5 polls (call 3, stack-guard 2)
; PAGE: ok: 5 sites, 5 polls (thread-page 5)

target triple = "x86_64-unknown-linux-gnu"

declare void @use(i32)
declare i32 @g(i32)

define i32 @f(i32 %x) !dbg !5 {
entry:
  %c = icmp sgt i32 %x, 10, !dbg !8
  br i1 %c, label %a, label %b, !dbg !8
a:
  call void @use(i32 %x), !dbg !9
  %r1 = tail call i32 @g(i32 %x), !dbg !9
  ret i32 %r1, !dbg !9
b:
  call void @use(i32 %x), !dbg !10
  %r2 = tail call i32 @g(i32 %x), !dbg !10
  ret i32 %r2, !dbg !10
}

define i32 @main() {
  %r = call i32 @f(i32 3)
  ret i32 0
}

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!3}
!0 = distinct !DICompileUnit(language: DW_LANG_C99, file: !1, isOptimized: true, runtimeVersion: 0, emissionKind: LineTablesOnly)
!1 = !DIFile(filename: "tail-merge.c", directory: "/")
!3 = !{i32 2, !"Debug Info Version", i32 3}
!5 = distinct !DISubprogram(name: "f", scope: !1, file: !1, line: 1, type: !6, scopeLine: 1, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!6 = !DISubroutineType(types: !7)
!7 = !{}
!8 = !DILocation(line: 2, column: 1, scope: !5)
!9 = !DILocation(line: 3, column: 1, scope: !5)
!10 = !DILocation(line: 4, column: 1, scope: !5)

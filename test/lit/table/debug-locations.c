// With -g each site record carries its source file, line and column (the entry check: the function's
// opening line, column 0), and sp-inspect prints them with the demangled function, the kind and the
// mode, sorted by address. Without -g the records have no file and line 0. Both functions call only
// this module's code, so their entry polls are thread-page polls (opt/entry-page-poll.ll).
// RUN: %spcc -mllvm -sp-epilogue-polls=1 -g -O1 %s -o %t
// RUN: %sp-inspect %t | FileCheck %s
// RUN: %spcc -mllvm -sp-epilogue-polls=1 -O1 %s -o %t.nodebug
// RUN: %sp-inspect %t.nodebug | FileCheck %s --check-prefix=NODEBUG

__attribute__((noinline)) static void use(long x) { __asm__ volatile("" : : "r"(x)); }

__attribute__((noinline)) void count(long n) {
  for (long i = 0; i < n; ++i)
    use(i);
}

int main(int argc, char **argv) {
  (void)argv;
  count(argc * 10000L);
  return 0;
}

// main first calls count, which polls at entry, so main has no entry poll of its own (rule E6).
// CHECK:      : 4 safepoint sites
// CHECK-NEXT:   0x{{[0-9a-f]+}}  entry    thread-page count  {{.*}}debug-locations.c:12:0
// CHECK-NEXT:   0x{{[0-9a-f]+}}  loop     thread-page count  {{.*}}debug-locations.c:13:3
// CHECK-NEXT:   0x{{[0-9a-f]+}}  epilogue thread-page count  {{.*}}debug-locations.c:15:1
// CHECK-NEXT:   0x{{[0-9a-f]+}}  epilogue thread-page main  {{.*}}debug-locations.c:20:3
// CHECK-NEXT:   entry: 1
// CHECK-NEXT:   epilogue: 2
// CHECK-NEXT:   loop: 1

// NODEBUG:      : 4 safepoint sites
// NODEBUG-NEXT:   0x{{[0-9a-f]+}}  entry    thread-page count{{$}}

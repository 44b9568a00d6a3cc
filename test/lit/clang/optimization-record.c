// -fsave-optimization-record keeps the remarks as YAML with named values, for tools: Kind and Mode
// for each poll, MaxTripCount and Limit for an elided bounded loop, Callee for a loop elided because
// it calls a polling function.
// RUN: rm -f %t.yaml
// RUN: %clang-sp -O2 -c %s -o %t.o -fsave-optimization-record -foptimization-record-file=%t.yaml
// RUN: FileCheck %s < %t.yaml

void use(int);

__attribute__((noinline)) static void step(int i) { use(i); }

void loops(int n) {
#pragma clang loop unroll(disable)
  for (int i = 0; i < 64; ++i)
    use(i);
  for (int i = 0; i < n; ++i)
    step(i);
  for (int i = 0; i < n; ++i)
    use(i);
}

// (Long DebugLoc lines wrap, so they are not checked line by line.)
// CHECK:      Name:            BoundedLoop
// CHECK-NEXT: DebugLoc:        { File: '{{.*}}optimization-record.c', Line: 14,
// CHECK:      Function:        loops
// CHECK-NEXT: Args:
// CHECK-NEXT:   - String:          'no loop poll: loop runs at most '
// CHECK-NEXT:   - MaxTripCount:    '64'
// CHECK-NEXT:   - String:          ' iterations (limit '
// CHECK-NEXT:   - Limit:           '1000'
// CHECK-NEXT:   - String:          ')'
// CHECK:      Name:            PollingCallInLoop
// CHECK-NEXT: DebugLoc:        { File: '{{.*}}optimization-record.c', Line: 16,
// CHECK:      Function:        loops
// CHECK-NEXT: Args:
// CHECK-NEXT:   - String:          'no loop poll: every iteration calls '
// CHECK-NEXT:   - Callee:          step
// CHECK:        - String:          ', which polls at entry'
// CHECK:      Name:            Poll
// CHECK-NEXT: DebugLoc:        { File: '{{.*}}optimization-record.c', Line: 12,
// CHECK:        - Kind:            function entry
// CHECK:        - Mode:            stack-guard
// CHECK:      Name:            Poll
// CHECK-NEXT: DebugLoc:        { File: '{{.*}}optimization-record.c', Line: 18,
// CHECK:      Function:        loops
// CHECK-NEXT: Args:
// CHECK-NEXT:   - String:          'safepoint poll at '
// CHECK-NEXT:   - Kind:            loop back-edge
// CHECK-NEXT:   - String:          ' ('
// CHECK-NEXT:   - Mode:            thread-page
// CHECK-NEXT:   - String:          ')'

// -fsave-optimization-record keeps the remarks as YAML with named values, for tools: Kind and Mode
// for each poll, MaxTripCount and Limit for an elided bounded loop, Callee for a loop elided because
// it calls a polling function.
// RUN: rm -f %t.yaml
// RUN: %clang-sp -O2 -c %s -o %t.o -fsave-optimization-record -foptimization-record-file=%t.yaml
// RUN: FileCheck %s --check-prefix=BOUNDED < %t.yaml
// RUN: FileCheck %s --check-prefix=CALLEE < %t.yaml
// RUN: FileCheck %s --check-prefix=POLL < %t.yaml

void use(int);
volatile int sink;

__attribute__((noinline)) void step(int i);

void loops(int n) {
#pragma clang loop unroll(disable)
  for (int i = 0; i < 64; ++i)
    sink = i;
  for (int i = 0; i < n; ++i)
    step(i);
  for (int i = 0; i < n; ++i)
    use(i);
}

void step(int i) { use(i); }

// (Long DebugLoc lines wrap, so they are not checked line by line.)
// BOUNDED:      Name:            BoundedLoop
// BOUNDED-NEXT: DebugLoc:        { File: '{{.*}}optimization-record.c', Line: 17,
// BOUNDED:      Function:        loops
// BOUNDED-NEXT: Args:
// BOUNDED-NEXT:   - String:          'no loop poll: loop runs at most '
// BOUNDED-NEXT:   - MaxTripCount:    '64'
// BOUNDED-NEXT:   - String:          ' iterations (limit '
// BOUNDED-NEXT:   - Limit:           '1000'
// BOUNDED-NEXT:   - String:          ')'
// CALLEE:      Name:            PollingCallInLoop
// CALLEE-NEXT: DebugLoc:        { File: '{{.*}}optimization-record.c', Line: 19,
// CALLEE:      Function:        loops
// CALLEE-NEXT: Args:
// CALLEE-NEXT:   - String:          'no loop poll: every iteration calls '
// CALLEE-NEXT:   - Callee:          step
// CALLEE:        - String:          ', which polls at entry'
// POLL:      Name:            Poll{{$}}
// POLL-NEXT: DebugLoc:        { File: '{{.*}}optimization-record.c', Line: 15,
// POLL:        - Kind:            function entry
// POLL-NEXT:   - String:          ' ('
// POLL-NEXT:   - Mode:            thread-page
// POLL:      Name:            Poll{{$}}
// POLL-NEXT: DebugLoc:        { File: '{{.*}}optimization-record.c', Line: 21,
// POLL:      Function:        loops
// POLL-NEXT: Args:
// POLL-NEXT:   - String:          'safepoint poll at '
// POLL-NEXT:   - Kind:            loop back-edge
// POLL-NEXT:   - String:          ' ('
// POLL-NEXT:   - Mode:            thread-page
// POLL-NEXT:   - String:          ')'

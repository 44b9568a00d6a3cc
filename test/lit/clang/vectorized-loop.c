// The pass runs after the vectorizer, so it sees the vector loop (here 8 floats an iteration: width
// 4, interleaved twice), and the poll does not stop the vectorizer. The vector loop is strip-mined:
// its latch compares the index with the end of the current chunk of at most 1000 vector iterations
// instead of the limit, so an iteration runs exactly the instructions of the unpolled loop; the
// chunk's end checks the limit and polls, and one block computes the end of every chunk. The scalar remainder loop is not elided: it
// also runs the whole loop when n is below one vector step; in the page modes (the default) it polls
// on every back-edge, as scalar loops do there (opt/strip-mining-max-body.ll).
// RUN: %clang-sp -O2 -S -emit-llvm %s -o - -Rpass='safepoint|loop-vectorize' \
// RUN:   -Rpass-analysis=safepoint 2>%t.remarks | FileCheck %s
// RUN: FileCheck %s --check-prefix=REMARK < %t.remarks

void add(float *restrict a, const float *restrict b, long n) {
  for (long i = 0; i < n; ++i)
    a[i] += b[i];
}

// REMARK: vectorized-loop.c:13:3: remark: vectorized loop (vectorization width: 4, interleaved count: 2) [-Rpass=loop-vectorize]
// REMARK: vectorized-loop.c:13:3: remark: loop polls on every back-edge: its body of {{[0-9]+}} instructions is longer than strip-mining pays for (limit 0)
// REMARK: vectorized-loop.c:13:3: remark: loop polls once per 1000 iterations: strip-mined by its induction variable
// REMARK: remark: safepoint poll at loop back-edge (thread-page) [-Rpass=safepoint]

// CHECK-LABEL: define dso_local void @add(
// Every chunk's end, computed in one block: the first vector index of the chunk plus the distance to
// the limit, at most 999 vector steps, rounded down to whole steps.
// CHECK:         [[LIMIT:%[0-9]+]] = and i64 %{{[0-9]+}}, 9223372036854775800
// CHECK:         [[START:%[0-9]+]] = phi i64 [ 0, %{{[0-9]+}} ], [ [[NEXT:%[0-9]+]], %{{[0-9]+}} ]
// CHECK-NEXT:    [[FIRST:%[0-9]+]] = add i64 [[START]], 8
// CHECK-NEXT:    [[DIST:%[0-9]+]] = sub i64 [[LIMIT]], [[FIRST]]
// CHECK-NEXT:    [[SPAN:%[0-9]+]] = call i64 @llvm.umin.i64(i64 [[DIST]], i64 7992)
// CHECK-NEXT:    [[STEPS:%[0-9]+]] = and i64 [[SPAN]], -8
// CHECK-NEXT:    [[END:%[0-9]+]] = add i64 [[FIRST]], [[STEPS]]
// CHECK-NEXT:    br label %[[BODY:[0-9]+]]
// CHECK-NOT:     call void asm sideeffect "8201:
// CHECK:         load <4 x float>
// CHECK-NOT:     call void asm sideeffect "8201:
// CHECK:         store <4 x float>
// CHECK-NEXT:    store <4 x float>
// CHECK-NEXT:    [[NEXT]] = add nuw i64 %{{[0-9]+}}, 8
// CHECK-NEXT:    icmp eq i64 [[NEXT]], [[END]]
// CHECK-NEXT:    br i1 %{{[0-9]+}}, label %{{[0-9]+}}, label %[[BODY]]{{.*}}, !llvm.loop
// CHECK-EMPTY:
// CHECK-NEXT:  {{[0-9]+}}:
// CHECK-NEXT:    icmp eq i64 [[NEXT]], [[LIMIT]]
// CHECK-NEXT:    br i1
// CHECK-EMPTY:
// CHECK-NEXT:  {{[0-9]+}}:
// CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
// CHECK-NEXT:    br label

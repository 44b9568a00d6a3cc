// The pass runs after the vectorizer, so it sees the vector loop (here 8 floats an iteration: width
// 4, interleaved twice), and the poll does not stop the vectorizer. The vector loop is strip-mined:
// its latch compares the index with the end of the current chunk of at most 1000 vector iterations
// instead of the limit, so an iteration runs exactly the instructions of the unpolled loop; the
// chunk's end checks the limit and polls. The scalar remainder loop is strip-mined the same way,
// not elided: it also runs the whole loop when n is below one vector step.
// RUN: %clang-sp -O2 -S -emit-llvm %s -o - -Rpass='safepoint|loop-vectorize' \
// RUN:   -Rpass-analysis=safepoint 2>%t.remarks | FileCheck %s
// RUN: FileCheck %s --check-prefix=REMARK < %t.remarks

void add(float *restrict a, const float *restrict b, long n) {
  for (long i = 0; i < n; ++i)
    a[i] += b[i];
}

// REMARK: vectorized-loop.c:12:3: remark: vectorized loop (vectorization width: 4, interleaved count: 2) [-Rpass=loop-vectorize]
// REMARK: vectorized-loop.c:12:3: remark: loop polls once per 1000 iterations: strip-mined by its induction variable
// REMARK: vectorized-loop.c:12:3: remark: loop polls once per 1000 iterations: strip-mined by its induction variable
// REMARK: remark: safepoint poll at loop back-edge (thread-page) [-Rpass=safepoint]

// CHECK-LABEL: define dso_local void @add(
// CHECK:         [[END:%[0-9]+]] = phi i64 [ %{{[0-9]+}}, %{{[0-9]+}} ], [ [[END]], %{{[0-9]+}} ]
// CHECK-NOT:     call void asm sideeffect "8201:
// CHECK:         load <4 x float>
// CHECK-NOT:     call void asm sideeffect "8201:
// CHECK:         store <4 x float>
// CHECK-NEXT:    store <4 x float>
// CHECK-NEXT:    [[NEXT:%[0-9]+]] = add nuw i64 %{{[0-9]+}}, 8
// CHECK-NEXT:    icmp eq i64 [[NEXT]], [[END]]
// CHECK-NEXT:    br i1 %{{[0-9]+}}, label %{{[0-9]+}}, label %{{[0-9]+}}{{.*}}, !llvm.loop
// CHECK-EMPTY:
// CHECK-NEXT:  {{[0-9]+}}:
// CHECK-NEXT:    icmp eq i64 [[NEXT]], %{{[0-9]+}}
// CHECK-NEXT:    br i1
// CHECK-EMPTY:
// CHECK-NEXT:  {{[0-9]+}}:
// CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
// CHECK-NEXT:    br label

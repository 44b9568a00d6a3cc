// The pass runs after the vectorizer, so a vectorized loop pays one poll per vector iteration (here 8
// floats: width 4, interleaved twice), at the end of the vector body, and the poll does not stop the
// vectorizer. The scalar loop polls too: it also runs the whole loop when n is below one vector
// step, so ScalarEvolution cannot bound its trip count.
// RUN: %clang-sp -O2 -S -emit-llvm %s -o - -Rpass='safepoint|loop-vectorize' 2>%t.remarks \
// RUN:   | FileCheck %s
// RUN: FileCheck %s --check-prefix=REMARK < %t.remarks

void add(float *restrict a, const float *restrict b, long n) {
  for (long i = 0; i < n; ++i)
    a[i] += b[i];
}

// REMARK: vectorized-loop.c:10:3: remark: vectorized loop (vectorization width: 4, interleaved count: 2) [-Rpass=loop-vectorize]
// REMARK: remark: safepoint poll at loop back-edge (thread-page) [-Rpass=safepoint]

// CHECK-LABEL: define dso_local void @add(
// CHECK:         load <4 x float>
// CHECK-NOT:     call void asm sideeffect "8201:
// CHECK:         store <4 x float>
// CHECK-NEXT:    store <4 x float>
// CHECK-NEXT:    add nuw i64
// CHECK-NEXT:    icmp eq i64
// CHECK-NEXT:    call align 8 ptr @llvm.threadlocal.address.p0(ptr align 8 @__sp_poll_page_ptr)
// CHECK-NEXT:    load volatile ptr
// CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 1, 1,
// CHECK-NEXT:    br i1 %{{[0-9]+}}, label %{{[0-9]+}}, label %{{[0-9]+}}, {{.*}}!llvm.loop

// C++ exceptions: a loop whose body may throw (invoke, landingpad) polls on its back-edge, a retry
// loop closed through a catch handler polls on the way back, and a function that only rethrows
// (resume) gets no epilogue poll on that path. At -O0 and -O2, in a page mode and in flag mode,
// whose split before the invoke must keep the landing pad well formed.
// RUN: %clang-sp -x c++ -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=IR
// RUN: %clang-sp -x c++ -O0 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=IR
// RUN: %clang-sp -x c++ -O2 -S %s -o - -mllvm -sp-poll=flag | FileCheck %s --check-prefix=ASM
// RUN: %clang-sp -x c++ -O0 -S %s -o - -mllvm -sp-poll=flag | FileCheck %s --check-prefix=ASM
// RUN: %clang-sp -x c++ -O2 -S %s -o /dev/null -Rpass=safepoint 2>&1 | FileCheck %s --check-prefix=REMARK

void may_throw(long);

struct Guard {
  ~Guard();
};

long sum(long n) {
  long s = 0;
  for (long i = 0; i < n; ++i) {
    Guard g;
    may_throw(i);
    s += i;
  }
  return s;
  // REMARK-DAG: exceptions.cpp:[[@LINE-6]]:{{[0-9]+}}: remark: safepoint poll at loop back-edge (thread-page)
}

int retry(long attempts) {
  for (long i = 0;; ++i) {
    try {
      may_throw(i);
      return 0;
    } catch (...) {
      if (i >= attempts)
        throw;
    }
    // REMARK-DAG: exceptions.cpp:[[@LINE-8]]:3: remark: safepoint poll at loop back-edge (thread-page)
  }
}

// IR-LABEL: define {{.*}}i64 @_Z3suml(
// IR-SAME:    personality ptr @__gxx_personality_v0
// IR-DAG:     invoke void @_Z9may_throwl(
// IR-DAG:     landingpad { ptr, i32 }
// IR-DAG:     call void asm sideeffect "8201:{{.*}}.byte 1, 1,
// IR-DAG:     resume { ptr, i32 }
// IR-LABEL: define {{.*}}i32 @_Z5retryl(
// IR-DAG:     invoke void @_Z9may_throwl(
// IR-DAG:     catch ptr null
// IR-DAG:     call void asm sideeffect "8201:{{.*}}.byte 1, 1,
// IR-DAG:     invoke void @__cxa_rethrow()
// IR:       {{^}}}

// ASM-LABEL: _Z3suml:
// ASM:         callq _Z9may_throwl@PLT
// ASM:         __sp_poll_flag@TPOFF
// ASM:         callq __sp_poll_slow@PLT
// ASM:         callq _Unwind_Resume@PLT
// ASM:       .Lfunc_end0:
// ASM:       GCC_except_table0:
// ASM-LABEL: _Z5retryl:
// ASM:         callq _Z9may_throwl@PLT
// ASM-DAG:     callq __cxa_begin_catch@PLT
// ASM-DAG:     __sp_poll_flag@TPOFF
// ASM-DAG:     callq __cxa_rethrow@PLT
// ASM:       .Lfunc_end1:

// The clang plugin registers [[safepoint::nosplit]], [[safepoint::nowritebarrier]],
// [[safepoint::nowritebarrierrec]] and [[safepoint::yeswritebarrierrec]] (C23 and C++11 spellings)
// and __attribute__((safepoint_NAME)); misuse is diagnosed with clang's own diagnostics. Each becomes
// the annotation safepoint.NAME, exactly what safepoint.h's SP_* macros give without the plugin.
// ROBUSTNESS-FLAGS: -DGOOD_ONLY
// RUN: clang -fplugin=%plugin -fsyntax-only -Xclang -verify %s
// RUN: clang -fplugin=%plugin -fsyntax-only -Xclang -verify -x c++ %s
// RUN: clang -fplugin=%plugin -S -emit-llvm -DGOOD_ONLY %s -o - | FileCheck %s
// Without the plugin the attributes are unknown (a warning), and safepoint.h falls back to annotate.
// RUN: clang -fsyntax-only -DGOOD_ONLY %s 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: warning: unknown attribute 'safepoint_nosplit' ignored

[[safepoint::nosplit]] void a(void) {}
[[safepoint::nowritebarrier]] void b(void) {}
[[safepoint::nowritebarrierrec]] void c(void) {}
[[safepoint::yeswritebarrierrec]] void d(void) {}
__attribute__((safepoint_nosplit)) void e(void) {}
__attribute__((safepoint_nowritebarrier)) void f(void) {}
__attribute__((safepoint_nowritebarrierrec)) void g(void) {}
__attribute__((safepoint_yeswritebarrierrec)) void h(void) {}
#ifndef GOOD_ONLY
#if !__has_attribute(safepoint_nosplit) || !__has_attribute(safepoint_yeswritebarrierrec)
#error "the plugin's attributes are not visible to __has_attribute"
#endif
int on_a_variable [[safepoint::nosplit]];                 // expected-error {{'nosplit' attribute only applies to functions}}
__attribute__((safepoint_nowritebarrier)) int variable2;  // expected-error {{'safepoint_nowritebarrier' attribute only applies to functions}}
__attribute__((safepoint_nosplit(1))) void with_argument(void); // expected-error {{'safepoint_nosplit' attribute takes no arguments}}
[[safepoint::nowritebarrierrec(1)]] void with_argument2(void);  // expected-error {{'nowritebarrierrec' attribute takes no arguments}}
[[safepoint::nosplit()]] void with_empty_arguments(void);       // expected-error {{'nosplit' attribute takes no arguments}}
[[ safepoint :: yeswritebarrierrec
   (x) ]] void with_argument_on_the_next_line(void);            // expected-error@-1 {{'yeswritebarrierrec' attribute takes no arguments}}
#define NOSPLIT_WITH_ARGUMENT [[safepoint::nosplit(2)]]
NOSPLIT_WITH_ARGUMENT void from_a_macro(void);                  // expected-error {{'nosplit' attribute takes no arguments}}
[[safepoint::nosplit, safepoint::nowritebarrier]] void two_in_one(void) {}
#endif

// CHECK-DAG: c"safepoint.nosplit\00"
// CHECK-DAG: @llvm.global.annotations = {{.*}} @a, {{.*}} @b, {{.*}} @c, {{.*}} @d, {{.*}} @e, {{.*}} @f, {{.*}} @g, {{.*}} @h,
// CHECK-DAG: c"safepoint.nowritebarrier\00"
// CHECK-DAG: c"safepoint.nowritebarrierrec\00"
// CHECK-DAG: c"safepoint.yeswritebarrierrec\00"

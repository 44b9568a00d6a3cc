; The pass parameters round-trip through -print-pipeline-passes (defaults filled in), and each
; malformed parameter is refused with a message naming it and what is accepted.
; RUN: %opt-sp -passes=safepoint -print-pipeline-passes -disable-output %s \
; RUN:   | FileCheck %s --check-prefix=DEFAULT
; RUN: %opt-sp -passes='safepoint<poll=flag;max-elided-trips=7;no-strip-mining;strip-mining-max-body=5;poll-every=64;counter-max-body=9;no-epilogue-polls;no-entry-checks>' \
; RUN:   -print-pipeline-passes -disable-output %s | FileCheck %s --check-prefix=ALL
; RUN: %opt-sp -passes='safepoint<poll=call;no-entry-checks;entry-checks;;epilogue-polls>' \
; RUN:   -print-pipeline-passes -disable-output %s | FileCheck %s --check-prefix=LAST
; -mllvm-style options set the defaults that parameters then override.
; RUN: %opt-sp -sp-poll=global-page -sp-max-elided-trips=5 -sp-epilogue-polls=0 \
; RUN:   -passes='safepoint<max-elided-trips=6>' -print-pipeline-passes -disable-output %s \
; RUN:   | FileCheck %s --check-prefix=CL
;
; RUN: not %opt-sp -passes='safepoint<poll=bogus>' -disable-output %s 2>&1 \
; RUN:   | FileCheck %s --check-prefix=MODE
; RUN: not %opt-sp -passes='safepoint<poll>' -disable-output %s 2>&1 \
; RUN:   | FileCheck %s --check-prefix=NOMODE
; RUN: not %opt-sp -passes='safepoint<max-elided-trips=-1>' -disable-output %s 2>&1 \
; RUN:   | FileCheck %s --check-prefix=TRIPS
; RUN: not %opt-sp -passes='safepoint<max-elided-trips=99999999999>' -disable-output %s 2>&1 \
; RUN:   | FileCheck %s --check-prefix=BIG
; RUN: not %opt-sp -passes='safepoint<strip-mining-max-body=x>' -disable-output %s 2>&1 \
; RUN:   | FileCheck %s --check-prefix=BODY
; RUN: not %opt-sp -passes='safepoint<counter-max-body=-3>' -disable-output %s 2>&1 \
; RUN:   | FileCheck %s --check-prefix=COUNTER
; RUN: not %opt-sp -passes='safepoint<poll-every=0>' -disable-output %s 2>&1 \
; RUN:   | FileCheck %s --check-prefix=EVERY
; RUN: not %opt-sp -passes='safepoint<epilogue-polls=1>' -disable-output %s 2>&1 \
; RUN:   | FileCheck %s --check-prefix=UNKNOWN
; RUN: not %opt-sp -sp-poll=bogus -passes=safepoint -disable-output %s 2>&1 \
; RUN:   | FileCheck %s --check-prefix=CLMODE

; DEFAULT: safepoint<poll=thread-page;max-elided-trips=1000;strip-mining;strip-mining-max-body=0;poll-every=1024;counter-max-body=0;no-epilogue-polls;entry-checks>
; ALL: safepoint<poll=flag;max-elided-trips=7;no-strip-mining;strip-mining-max-body=5;poll-every=64;counter-max-body=9;no-epilogue-polls;no-entry-checks>
; LAST: safepoint<poll=call;max-elided-trips=1000;strip-mining;strip-mining-max-body=0;poll-every=1024;counter-max-body=0;epilogue-polls;entry-checks>
; CL: safepoint<poll=global-page;max-elided-trips=6;strip-mining;strip-mining-max-body=0;poll-every=1024;counter-max-body=0;no-epilogue-polls;entry-checks>
; MODE: safepoint pass parameters: unknown poll mode 'bogus' (expected thread-page, global-page, flag or call)
; NOMODE: safepoint pass parameters: unknown poll mode '' (expected thread-page, global-page, flag or call)
; TRIPS: safepoint pass parameters: max-elided-trips wants a non-negative integer, not '-1'
; BIG: safepoint pass parameters: max-elided-trips wants a non-negative integer, not '99999999999'
; UNKNOWN: safepoint pass parameters: unknown parameter 'epilogue-polls=1' (expected poll=MODE, max-elided-trips=N, [no-]strip-mining, strip-mining-max-body=N, poll-every=N, counter-max-body=N, [no-]epilogue-polls, [no-]entry-checks)
; COUNTER: safepoint pass parameters: counter-max-body wants a non-negative integer, not '-3'
; BODY: safepoint pass parameters: strip-mining-max-body wants a non-negative integer, not 'x'
; EVERY: safepoint pass parameters: poll-every wants a positive integer, not '0'
; CLMODE: for the --sp-poll option: Cannot find option named 'bogus'!

target triple = "x86_64-unknown-linux-gnu"

define void @f() {
  ret void
}

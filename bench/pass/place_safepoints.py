"""place_safepoints.py - LLVM's own safepoint placement (opt's place-safepoints pass) as a peer of
the Safepoint pass in run.py, with the same poll instruction sequence as the pass's flag mode.

LLVM 19's PlaceSafepoints (llvm/lib/Transforms/Scalar/PlaceSafepoints.cpp) works only on functions
whose GC strategy uses statepoints (`gc "statepoint-example"` or `gc "coreclr"`), and calls a
function named `gc.safepoint_poll`, which the module must define, at each poll site, then inlines
it. It places a poll at every function entry and on every loop back edge, except loops that contain
a call (calls are trusted to poll) and counted loops whose trip count fits in 32 bits. It does not
rewrite calls into statepoints (that is RewriteStatepointsForGC, which is not run here: no GC
roots are tracked, only the polls' placement is compared).

The pipeline, per translation unit, with the same clang flags as every other variant:
  clang-19 -O2 -S -emit-llvm x.c -o x.ll        the optimized module (polls go in late, as ours)
  add_gc_and_poll(x.ll)                          gc "statepoint-example" on every definition, and
                                                 the poll below
  opt-19 -passes=place-safepoints,globaldce      polls placed and inlined; the poll function dropped
  clang-19 -O2 -Xclang -disable-llvm-passes -c   code generation only, no second optimization

The poll is the flag mode's: a volatile load of the thread's __sp_poll_flag byte (initial-exec TLS)
and an unlikely branch to a `preserve_most` call of __sp_poll_slow, not merged with other calls. So
the binary also runs under the Safepoint runtime, which then stops it at these polls (without site
records: sp-inspect and the runtime's site statistics do not see them). As the pass does, the flag is
a weak definition (zero when the runtime is not linked; dso_local, as the pass makes it in
position-independent executables, so the load is one %fs-relative instruction) and __sp_poll_slow a
weak reference.
"""

import re

GC_STRATEGY = "statepoint-example"

POLL_FUNCTION = """
$__sp_poll_flag = comdat any
@__sp_poll_flag = weak dso_local thread_local(initialexec) global i8 0, comdat, align 1
declare extern_weak preserve_mostcc void @__sp_poll_slow() nounwind

define internal void @gc.safepoint_poll() {
entry:
  %flag = load volatile i8, ptr @__sp_poll_flag, align 1
  %stop = icmp ne i8 %flag, 0
  br i1 %stop, label %slow, label %done, !prof !{!"branch_weights", i32 1, i32 2000}
slow:
  call preserve_mostcc void @__sp_poll_slow() nomerge
  br label %done
done:
  ret void
}
"""

_DEFINE = re.compile(r"^define .*\{$", re.M)


def _with_gc(match):
    # The gc clause comes after the attributes, section, comdat and alignment of a definition and
    # before its prefix, prologue, personality and metadata attachments.
    line = match.group(0)
    cut = len(line) - 2  # " {"
    for tail in (" prefix ", " prologue ", " personality ", " !"):
        at = line.find(tail, line.find(")"))
        if 0 <= at < cut:
            cut = at
    return line[:cut] + f' gc "{GC_STRATEGY}"' + line[cut:]


def add_gc_and_poll(ir_text):
    """The module's text with every function definition under the statepoint GC strategy and the
    gc.safepoint_poll definition appended."""
    if "@__sp_poll_flag" in ir_text or "@gc.safepoint_poll" in ir_text:
        raise ValueError("module already refers to the poll flag or defines a poll function")
    return _DEFINE.sub(_with_gc, ir_text) + POLL_FUNCTION

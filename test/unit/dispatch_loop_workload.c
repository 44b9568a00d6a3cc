/* dispatch_loop_workload.c - interpreter dispatch loops (plugin/DispatchLoops.h), compiled once per
 * poll mode: `for (;;) switch` with `break`, `while (1) switch` with `continue` and a call out of one
 * case, `for (;;) switch` with both, and computed goto. Each runs the same bytecode: the sum of the Collatz step counts of 1..n.
 * dispatch_loop_test.cpp checks their results against plain code under preemption and that a long
 * run of each is preempted. */
#include <stdint.h>

#define SP_CAT2(a, b) a##b
#define SP_CAT(a, b) SP_CAT2(a, b)
#define SP_NAME(name) SP_CAT(SP_HOG_PREFIX, name)

uint64_t SP_NAME(_switch_break)(int64_t n);
uint64_t SP_NAME(_switch_continue)(int64_t n);
uint64_t SP_NAME(_break_and_continue)(int64_t n);
uint64_t SP_NAME(_computed_goto)(int64_t n);
/* Defined in the test, not instrumented: a call out of the interpreter loop. */
void sp_dispatch_note(int64_t value);

enum op { PUSH, LOAD, STORE, ADD, SUB, MUL, DIV2, ISODD, JZ, JNZ, JMP, LT, NOTE, HALT };

struct insn {
  uint8_t op;
  int32_t arg;
};

/* vars: 0 total, 1 i, 2 x, 3 limit. for (i = 1; i < limit; i++) for (x = i; x != 1; total++)
 * x = x & 1 ? 3x + 1 : x / 2; every 64th i is passed to sp_dispatch_note. */
static const struct insn program[] = {
    /*  0 */ {PUSH, 1}, {STORE, 1},
    /*  2 outer */ {LOAD, 1}, {LOAD, 3}, {LT, 0}, {JZ, 37},
    /*  6 */ {LOAD, 1}, {STORE, 2},
    /*  8 inner */ {LOAD, 2}, {PUSH, 1}, {SUB, 0}, {JZ, 30},
    /* 12 */ {LOAD, 0}, {PUSH, 1}, {ADD, 0}, {STORE, 0},
    /* 16 */ {LOAD, 2}, {ISODD, 0}, {JNZ, 23},
    /* 19 even */ {LOAD, 2}, {DIV2, 0}, {STORE, 2}, {JMP, 8},
    /* 23 odd */ {LOAD, 2}, {PUSH, 3}, {MUL, 0}, {PUSH, 1}, {ADD, 0}, {STORE, 2}, {JMP, 8},
    /* 30 next */ {LOAD, 1}, {NOTE, 0}, {PUSH, 1}, {ADD, 0}, {STORE, 1}, {JMP, 2}, {HALT, 0},
    /* 37 */ {HALT, 0},
};

uint64_t SP_NAME(_switch_break)(int64_t n) {
  int64_t vars[4] = {0, 0, 0, n}, stack[16];
  int sp = 0;
  const struct insn *pc = program;
  for (;;) {
    const struct insn *i = pc++;
    switch (i->op) {
    case PUSH: stack[sp++] = i->arg; break;
    case LOAD: stack[sp++] = vars[i->arg]; break;
    case STORE: vars[i->arg] = stack[--sp]; break;
    case ADD: sp--, stack[sp - 1] += stack[sp]; break;
    case SUB: sp--, stack[sp - 1] -= stack[sp]; break;
    case MUL: sp--, stack[sp - 1] *= stack[sp]; break;
    case DIV2: stack[sp - 1] >>= 1; break;
    case ISODD: stack[sp - 1] &= 1; break;
    case JZ: if (stack[--sp] == 0) pc = program + i->arg; break;
    case JNZ: if (stack[--sp] != 0) pc = program + i->arg; break;
    case JMP: pc = program + i->arg; break;
    case LT: sp--, stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
    case NOTE: break;
    default: return (uint64_t)vars[0];
    }
  }
}

uint64_t SP_NAME(_switch_continue)(int64_t n) {
  int64_t vars[4] = {0, 0, 0, n}, stack[16];
  int sp = 0;
  const struct insn *pc = program;
  while (1) {
    const struct insn *i = pc++;
    switch (i->op) {
    case PUSH: stack[sp++] = i->arg; continue;
    case LOAD: stack[sp++] = vars[i->arg]; continue;
    case STORE: vars[i->arg] = stack[--sp]; continue;
    case ADD: sp--, stack[sp - 1] += stack[sp]; continue;
    case SUB: sp--, stack[sp - 1] -= stack[sp]; continue;
    case MUL: sp--, stack[sp - 1] *= stack[sp]; continue;
    case DIV2: stack[sp - 1] >>= 1; continue;
    case ISODD: stack[sp - 1] &= 1; continue;
    case JZ: if (stack[--sp] == 0) pc = program + i->arg; continue;
    case JNZ: if (stack[--sp] != 0) pc = program + i->arg; continue;
    case JMP: pc = program + i->arg; continue;
    case LT: sp--, stack[sp - 1] = stack[sp - 1] < stack[sp]; continue;
    case NOTE:
      if ((stack[sp - 1] & 63) == 0)
        sp_dispatch_note(stack[sp - 1]);
      continue;
    case HALT: return (uint64_t)vars[0];
    }
    return 0; /* an unknown opcode */
  }
}

uint64_t SP_NAME(_break_and_continue)(int64_t n) {
  int64_t vars[4] = {0, 0, 0, n}, stack[16];
  int sp = 0;
  const struct insn *pc = program;
  for (;;) {
    const struct insn *i = pc++;
    switch (i->op) {
    case PUSH: stack[sp++] = i->arg; continue;
    case LOAD: stack[sp++] = vars[i->arg]; continue;
    case STORE: vars[i->arg] = stack[--sp]; break;
    case ADD: sp--, stack[sp - 1] += stack[sp]; break;
    case SUB: sp--, stack[sp - 1] -= stack[sp]; continue;
    case MUL: sp--, stack[sp - 1] *= stack[sp]; break;
    case DIV2: stack[sp - 1] >>= 1; continue;
    case ISODD: stack[sp - 1] &= 1; break;
    case JZ: if (stack[--sp] == 0) pc = program + i->arg; continue;
    case JNZ: if (stack[--sp] != 0) pc = program + i->arg; break;
    case JMP: pc = program + i->arg; continue;
    case LT: sp--, stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
    case NOTE: continue;
    default: return (uint64_t)vars[0];
    }
  }
}

uint64_t SP_NAME(_computed_goto)(int64_t n) {
  static void *const ops[] = {&&op_push, &&op_load, &&op_store, &&op_add, &&op_sub,
                              &&op_mul,  &&op_div2, &&op_isodd, &&op_jz,  &&op_jnz,
                              &&op_jmp,  &&op_lt,   &&op_note,  &&op_halt};
  int64_t vars[4] = {0, 0, 0, n}, stack[16];
  int sp = 0;
  const struct insn *pc = program, *i;
#define DISPATCH() i = pc++; goto *ops[i->op]
  DISPATCH();
op_push: stack[sp++] = i->arg; DISPATCH();
op_load: stack[sp++] = vars[i->arg]; DISPATCH();
op_store: vars[i->arg] = stack[--sp]; DISPATCH();
op_add: sp--, stack[sp - 1] += stack[sp]; DISPATCH();
op_sub: sp--, stack[sp - 1] -= stack[sp]; DISPATCH();
op_mul: sp--, stack[sp - 1] *= stack[sp]; DISPATCH();
op_div2: stack[sp - 1] >>= 1; DISPATCH();
op_isodd: stack[sp - 1] &= 1; DISPATCH();
op_jz: if (stack[--sp] == 0) pc = program + i->arg; DISPATCH();
op_jnz: if (stack[--sp] != 0) pc = program + i->arg; DISPATCH();
op_jmp: pc = program + i->arg; DISPATCH();
op_lt: sp--, stack[sp - 1] = stack[sp - 1] < stack[sp]; DISPATCH();
op_note: DISPATCH();
op_halt: return (uint64_t)vars[0];
#undef DISPATCH
}

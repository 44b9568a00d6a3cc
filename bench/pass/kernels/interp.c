/* interp.c - a branchy interpreter loop: switch dispatch over a tiny stack bytecode.
 *
 * Every opcode's case jumps back to the dispatch, so the loop has many back-edges and polls at
 * each of them; this is the shape of Lua's or CPython's main loop. The program it runs sums the
 * Collatz step counts of 1..N, with N from argv. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum op { PUSH, LOAD, STORE, ADD, SUB, MUL, DIV2, ISODD, JZ, JNZ, JMP, DUP, DROP, LT, HALT };

struct insn {
  uint8_t op;
  int32_t arg;
};

static int64_t run(const struct insn *code, int64_t *vars) {
  int64_t stack[64];
  int sp = 0;
  const struct insn *pc = code;
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
    case JZ: if (stack[--sp] == 0) pc = code + i->arg; break;
    case JNZ: if (stack[--sp] != 0) pc = code + i->arg; break;
    case JMP: pc = code + i->arg; break;
    case DUP: stack[sp] = stack[sp - 1], sp++; break;
    case DROP: sp--; break;
    case LT: sp--, stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
    case HALT: return vars[0];
    default: abort();
    }
  }
}

int main(int argc, char **argv) {
  int64_t vars[4] = {0, 0, 0, argc > 1 ? atoll(argv[1]) : 100000};
  /* vars: 0 total steps, 1 i, 2 x, 3 limit.
   * total = 0; for (i = 1; i < limit; i++) for (x = i; x != 1; total++) x = x & 1 ? 3x + 1 : x / 2; */
  static const struct insn program[] = {
      /*  0 */ {PUSH, 1}, {STORE, 1},
      /*  2 outer */ {LOAD, 1}, {LOAD, 3}, {LT, 0}, {JZ, 35},
      /*  6 */ {LOAD, 1}, {STORE, 2},
      /*  8 inner */ {LOAD, 2}, {PUSH, 1}, {SUB, 0}, {JZ, 30},
      /* 12 */ {LOAD, 0}, {PUSH, 1}, {ADD, 0}, {STORE, 0},
      /* 16 */ {LOAD, 2}, {ISODD, 0}, {JNZ, 23},
      /* 19 even */ {LOAD, 2}, {DIV2, 0}, {STORE, 2}, {JMP, 8},
      /* 23 odd */ {LOAD, 2}, {PUSH, 3}, {MUL, 0}, {PUSH, 1}, {ADD, 0}, {STORE, 2}, {JMP, 8},
      /* 30 next */ {LOAD, 1}, {PUSH, 1}, {ADD, 0}, {STORE, 1}, {JMP, 2},
      /* 35 */ {HALT, 0},
  };
  int64_t total = run(program, vars);
  printf("interp: limit=%lld steps=%lld\n", (long long)vars[3], (long long)total);
  return 0;
}

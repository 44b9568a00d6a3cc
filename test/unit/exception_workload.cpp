// exception_workload.cpp - C++ exception handling compiled with the Safepoint pass, once per poll
// mode (CMakeLists.txt builds this file four times, naming the functions after the mode). Spin loops
// poll on their back-edges inside catch blocks and in a destructor that runs during unwinding, so a
// green thread running this is preempted, and may move to another OS thread, while the C++
// runtime's per-thread exception state describes its exceptions.
#include <exception>

#define SP_CAT2(a, b) a##b
#define SP_CAT(a, b) SP_CAT2(a, b)

extern "C" unsigned long SP_CAT(SP_HOG_PREFIX, _exception_rounds)(int id, unsigned long rounds,
                                                                  unsigned long spin);

namespace {

volatile unsigned long spin_sink;

// Polls on its back-edge; noinline keeps the loop where the test puts it (in a catch block, in a
// destructor) rather than hoisted or merged.
__attribute__((noinline)) void Spin(unsigned long n) {
  unsigned long x = spin_sink;
  for (unsigned long i = 0; i < n; i++)
    x = x * 6364136223846793005ul + 1442695040888963407ul;
  spin_sink = x;
}

// Each green thread throws its own type (Tagged<id % 3>) and value (its id and the round), so an
// exception that is not its own either is not caught by its handlers or carries the wrong values.
template <int K>
struct Tagged {
  int id;
  unsigned long round;
};
struct Inner {
  int id;
};

// Runs while an exception unwinds through its scope: spins (preemptible) and records what
// std::uncaught_exceptions() says before and after.
struct UnwindWitness {
  unsigned long spin;
  int *before, *after;
  ~UnwindWitness() {
    *before = std::uncaught_exceptions();
    Spin(spin);
    *after = std::uncaught_exceptions();
  }
};

template <int K>
unsigned long Rounds(int id, unsigned long rounds, unsigned long spin) {
  using Mine = Tagged<K>;
  unsigned long wrong = 0;
  auto mine = [&](const Mine &e, unsigned long r) { return e.id == id && e.round == r; };
  for (unsigned long r = 0; r < rounds; r++) {
    // 1. Preempted in a catch block, then `throw;` rethrows the exception being handled.
    try {
      try {
        throw Mine{id, r};
      } catch (const Mine &) {
        Spin(spin);
        throw;
      }
    } catch (const Mine &e) {
      wrong += !mine(e, r);
    } catch (...) {
      wrong++;
    }

    // 2. Nested handlers: the inner one's exception is on top of the outer one's, the outer's is
    //    back on top once the inner catch block is left; preempted at every level.
    try {
      try {
        throw Mine{id, r};
      } catch (const Mine &) {
        Spin(spin);
        try {
          throw Inner{id};
        } catch (const Inner &in) {
          Spin(spin);
          wrong += in.id != id;
          try {
            throw;
          } catch (const Inner &again) {
            wrong += again.id != id;
          }
        }
        Spin(spin);
        throw;
      }
    } catch (const Mine &e) {
      wrong += !mine(e, r);
    } catch (...) {
      wrong++;
    }

    // 3. std::current_exception taken in a catch block, rethrown after a preemption outside it.
    std::exception_ptr saved;
    try {
      throw Mine{id, r};
    } catch (...) {
      Spin(spin);
      saved = std::current_exception();
    }
    Spin(spin);
    try {
      std::rethrow_exception(saved);
    } catch (const Mine &e) {
      wrong += !mine(e, r);
    } catch (...) {
      wrong++;
    }

    // 4. A destructor preempted while this green thread's exception is in flight: one uncaught
    //    exception before and after, and none once it is caught.
    int before = -1, after = -1;
    try {
      UnwindWitness w{spin, &before, &after};
      throw Mine{id, r};
    } catch (const Mine &e) {
      wrong += !mine(e, r);
    }
    wrong += before != 1 || after != 1;
    Spin(spin);
    wrong += std::uncaught_exceptions() != 0 || std::current_exception() != nullptr;
  }
  return wrong;
}

}  // namespace

// Returns how many checks saw an exception state that was not this green thread's own.
extern "C" unsigned long SP_CAT(SP_HOG_PREFIX, _exception_rounds)(int id, unsigned long rounds,
                                                                  unsigned long spin) {
  switch (id % 3) {
  case 0:
    return Rounds<0>(id, rounds, spin);
  case 1:
    return Rounds<1>(id, rounds, spin);
  default:
    return Rounds<2>(id, rounds, spin);
  }
}

// exception_state_test.cpp - the C++ runtime's per-thread exception state (caught exceptions,
// uncaught count) follows each green thread across preemptions in every poll mode and across
// voluntary switches.
#include <atomic>
#include <exception>

#include "runtime_test_util.h"

extern "C" {
#define SP_DECLARE_EXCEPTIONS(mode, Name)                                                \
  unsigned long sp_exceptions_##mode##_exception_rounds(int id, unsigned long rounds,     \
                                                         unsigned long spin);
SP_FOR_EACH_POLL_MODE(SP_DECLARE_EXCEPTIONS)
}

using sp_test::Go;
using sp_test::ProcsTest;
using sp_test::RunGreen;

namespace {

// Each green thread works until the runtime has preempted this many times (RepeatUntilPreempted).
constexpr uint64_t kPreemptions = 32;

struct Mode {
  const char *name;
  unsigned long (*rounds)(int, unsigned long, unsigned long);
};
#define SP_MODE(mode, Name) {#Name, sp_exceptions_##mode##_exception_rounds},
const Mode kModes[] = {SP_FOR_EACH_POLL_MODE(SP_MODE)};

class ExceptionsPreempted : public sp_test::VariantsAndProcsTest<kModes> {
 protected:
  const Mode &mode() const { return variant(); }
};

// Eight green threads throw and catch their own exceptions and are preempted every 100 µs inside
// catch blocks, nested ones, and a destructor running during unwinding (exception_workload.cpp).
// Without the state following them, `throw;` rethrows another green thread's exception or calls
// std::terminate ("terminate called without an active exception").
TEST_P(ExceptionsPreempted, EachGreenThreadHandlesItsOwnExceptions) {
  unsigned long wrong = sp_test::MistakesWhilePreempted(
      procs(), 8, kPreemptions, 3, [&](int id) { return mode().rounds(id, 50, 20000); });
  EXPECT_EQ(wrong, 0u) << "checks that saw another green thread's exceptions";
}

SP_INSTANTIATE_VARIANTS_AND_PROCS(ExceptionsPreempted, kModes, 1, 2, 4);

class Exceptions : public ProcsTest {};

struct Thrown {
  int id;
};

// Voluntary switches inside catch blocks: the green threads take turns, each in the middle of
// handling its own exception, so each switch changes whose exception is being handled.
TEST_P(Exceptions, YieldInsideCatchKeepsEachGreenThreadsException) {
  std::atomic<int> wrong{0};
  RunGreen(procs(), [&] {
    sp_waitgroup wg = SP_WAITGROUP_INIT;
    sp_wg_add(&wg, 8);
    for (int id = 0; id < 8; id++) {
      Go([&, id] {
        for (int i = 0; i < 100; i++) {
          try {
            try {
              throw Thrown{id};
            } catch (const Thrown &) {
              sp_yield();
              if (std::uncaught_exceptions() != 0)
                wrong++;
              throw;
            }
          } catch (const Thrown &t) {
            wrong += t.id != id;
          } catch (...) {
            wrong++;
          }
        }
        sp_wg_done(&wg);
      });
    }
    sp_wg_wait(&wg);
  });
  EXPECT_EQ(wrong.load(), 0);
}

// A green thread that blocks while its exception is in flight (a destructor that waits during
// unwinding) keeps its uncaught count; the green threads that run meanwhile have none.
TEST_P(Exceptions, UncaughtCountIsPerGreenThread) {
  std::atomic<int> wrong{0};
  RunGreen(procs(), [&] {
    sp_waitgroup wg = SP_WAITGROUP_INIT;
    sp_wg_add(&wg, 8);
    for (int id = 0; id < 8; id++) {
      Go([&, id] {
        struct YieldingDestructor {
          std::atomic<int> *wrong;
          ~YieldingDestructor() {
            for (int i = 0; i < 10; i++) {
              sp_yield();
              if (std::uncaught_exceptions() != 1)
                (*wrong)++;
            }
          }
        };
        for (int i = 0; i < 20; i++) {
          if (id % 2 == 0) {
            try {
              YieldingDestructor d{&wrong};
              throw Thrown{id};
            } catch (const Thrown &t) {
              wrong += t.id != id;
            }
          } else {
            sp_yield();
            if (std::uncaught_exceptions() != 0 || std::current_exception() != nullptr)
              wrong++;
          }
        }
        sp_wg_done(&wg);
      });
    }
    sp_wg_wait(&wg);
  });
  EXPECT_EQ(wrong.load(), 0);
}

// A green thread spawned inside a catch block, and one spawned by a destructor during unwinding,
// start with no exception of their own, as a new thread does; the creator waits for them there.
TEST_P(Exceptions, NewGreenThreadStartsWithoutExceptions) {
  int handled_in_child = -1, uncaught_in_child = -1, uncaught_in_other_child = -1;
  RunGreen(procs(), [&] {
    try {
      throw Thrown{1};
    } catch (const Thrown &) {
      sp_waitgroup wg = SP_WAITGROUP_INIT;
      sp_wg_add(&wg, 1);
      Go([&] {
        handled_in_child = std::current_exception() != nullptr;
        uncaught_in_child = std::uncaught_exceptions();
        sp_wg_done(&wg);
      });
      sp_wg_wait(&wg);
    }
    struct SpawningDestructor {
      int *uncaught;
      ~SpawningDestructor() {
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        sp_wg_add(&wg, 1);
        Go([&] {
          *uncaught = std::uncaught_exceptions();
          sp_wg_done(&wg);
        });
        sp_wg_wait(&wg);
      }
    };
    try {
      SpawningDestructor d{&uncaught_in_other_child};
      throw Thrown{2};
    } catch (const Thrown &) {
    }
  });
  EXPECT_EQ(handled_in_child, 0);
  EXPECT_EQ(uncaught_in_child, 0);
  EXPECT_EQ(uncaught_in_other_child, 0);
}

SP_INSTANTIATE_PROCS(Exceptions);

}  // namespace

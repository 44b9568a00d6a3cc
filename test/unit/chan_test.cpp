// chan_test.cpp - channels (unbuffered, buffered, close, try-variants) and sp_select.
#include <atomic>
#include <set>
#include <vector>

#include "runtime_test_util.h"

using sp_test::Go;
using sp_test::RunGreen;

namespace {

class Chan : public sp_test::ProcsTest {};

TEST_P(Chan, UnbufferedPingPongDeliversEveryValueInOrder) {
  std::vector<int> got;
  RunGreen(procs(), [&] {
    sp_chan *ping = sp_chan_make(sizeof(int), 0), *pong = sp_chan_make(sizeof(int), 0);
    Go([&] {
      int v;
      while (sp_chan_recv(ping, &v)) {
        v *= 2;
        sp_chan_send(pong, &v);
      }
      sp_chan_close(pong);
    });
    for (int i = 0; i < 1000; i++) {
      int v = i;
      sp_chan_send(ping, &v);
      sp_chan_recv(pong, &v);
      got.push_back(v);
    }
    sp_chan_close(ping);
    int v = -1;
    EXPECT_EQ(sp_chan_recv(pong, &v), 0);
    EXPECT_EQ(v, 0) << "a receive from a closed channel zeroes the element";
    sp_chan_free(ping);
    sp_chan_free(pong);
  });
  ASSERT_EQ(got.size(), 1000u);
  for (int i = 0; i < 1000; i++)
    EXPECT_EQ(got[i], 2 * i);
}

TEST_P(Chan, BufferedChannelIsFifoAndReportsLenAndCap) {
  RunGreen(procs(), [] {
    sp_chan *c = sp_chan_make(sizeof(long), 4);
    EXPECT_EQ(sp_chan_cap(c), 4u);
    for (long i = 0; i < 4; i++)
      sp_chan_send(c, &i);
    EXPECT_EQ(sp_chan_len(c), 4u);
    long extra = 99;
    EXPECT_EQ(sp_chan_try_send(c, &extra), 0) << "full buffer";
    sp_waitgroup wg = SP_WAITGROUP_INIT;
    sp_wg_add(&wg, 1);
    Go([c, &wg] {
      long v = 4;
      sp_chan_send(c, &v);  // blocks until a slot frees
      sp_wg_done(&wg);
    });
    for (long i = 0; i < 5; i++) {
      long v;
      ASSERT_EQ(sp_chan_recv(c, &v), 1);
      EXPECT_EQ(v, i);
    }
    sp_wg_wait(&wg);
    sp_chan_free(c);
  });
}

TEST_P(Chan, ManyProducersManyConsumersLoseNothing) {
  const int kProducers = 8, kPer = 2000;
  std::atomic<long> sum{0};
  RunGreen(procs(), [&] {
    sp_chan *c = sp_chan_make(sizeof(int), 16);
    sp_waitgroup producers = SP_WAITGROUP_INIT, consumers = SP_WAITGROUP_INIT;
    sp_wg_add(&producers, kProducers);
    sp_wg_add(&consumers, 4);
    for (int k = 0; k < 4; k++)
      Go([&] {
        int v;
        while (sp_chan_recv(c, &v))
          sum += v;
        sp_wg_done(&consumers);
      });
    for (int p = 0; p < kProducers; p++)
      Go([&] {
        for (int i = 1; i <= kPer; i++)
          sp_chan_send(c, &i);
        sp_wg_done(&producers);
      });
    sp_wg_wait(&producers);
    sp_chan_close(c);
    sp_wg_wait(&consumers);
    sp_chan_free(c);
  });
  EXPECT_EQ(sum.load(), long(kProducers) * kPer * (kPer + 1) / 2);
}

TEST_P(Chan, TryVariantsNeverBlock) {
  RunGreen(procs(), [] {
    sp_chan *c = sp_chan_make(sizeof(int), 0);
    int v = 1;
    EXPECT_EQ(sp_chan_try_send(c, &v), 0) << "no receiver waiting";
    EXPECT_EQ(sp_chan_try_recv(c, &v), 0) << "no sender waiting";
    sp_chan_close(c);
    EXPECT_EQ(sp_chan_try_recv(c, &v), -1) << "closed and drained";
    sp_chan_free(c);
  });
}

TEST_P(Chan, CloseWakesEveryBlockedReceiver) {
  std::atomic<int> woke{0};
  RunGreen(procs(), [&] {
    sp_chan *c = sp_chan_make(sizeof(int), 0);
    sp_waitgroup wg = SP_WAITGROUP_INIT;
    sp_wg_add(&wg, 10);
    for (int i = 0; i < 10; i++)
      Go([&] {
        int v;
        if (sp_chan_recv(c, &v) == 0)
          woke++;
        sp_wg_done(&wg);
      });
    sp_sleep_ns(1000000);
    sp_chan_close(c);
    sp_wg_wait(&wg);
    sp_chan_free(c);
  });
  EXPECT_EQ(woke.load(), 10);
}

TEST_P(Chan, SelectPicksTheReadyCase) {
  RunGreen(procs(), [] {
    sp_chan *a = sp_chan_make(sizeof(int), 1), *b = sp_chan_make(sizeof(int), 1);
    int v = 7, got = 0;
    sp_chan_send(b, &v);
    sp_select_case cases[] = {{a, SP_SELECT_RECV, &got, 0}, {b, SP_SELECT_RECV, &got, 0}};
    EXPECT_EQ(sp_select(cases, 2, SP_SELECT_FOREVER), 1);
    EXPECT_EQ(got, 7);
    EXPECT_EQ(cases[1].ok, 1);
    sp_chan_free(a);
    sp_chan_free(b);
  });
}

TEST_P(Chan, SelectChoosesUniformlyAmongReadyCases) {
  std::set<int> chosen;
  RunGreen(procs(), [&] {
    sp_chan *a = sp_chan_make(sizeof(int), 1), *b = sp_chan_make(sizeof(int), 1);
    for (int i = 0; i < 200; i++) {
      int v = i, got;
      sp_chan_try_send(a, &v);
      sp_chan_try_send(b, &v);
      sp_select_case cases[] = {{a, SP_SELECT_RECV, &got, 0}, {b, SP_SELECT_RECV, &got, 0}};
      chosen.insert(sp_select(cases, 2, 0));
    }
    sp_chan_free(a);
    sp_chan_free(b);
  });
  EXPECT_EQ(chosen, (std::set<int>{0, 1}));
}

TEST_P(Chan, SelectDefaultWhenNothingIsReady) {
  RunGreen(procs(), [] {
    sp_chan *a = sp_chan_make(sizeof(int), 0);
    int got;
    sp_select_case cases[] = {{a, SP_SELECT_RECV, &got, 0}, {nullptr, SP_SELECT_SEND, &got, 0}};
    EXPECT_EQ(sp_select(cases, 2, 0), SP_SELECT_DEFAULT);
    sp_chan_free(a);
  });
}

TEST_P(Chan, SelectTimesOut) {
  RunGreen(procs(), [] {
    sp_chan *a = sp_chan_make(sizeof(int), 0);
    int got;
    sp_select_case cases[] = {{a, SP_SELECT_RECV, &got, 0}};
    int64_t t0 = sp_now_ns();
    EXPECT_EQ(sp_select(cases, 1, 3000000), SP_SELECT_TIMEOUT);
    EXPECT_GE(sp_now_ns() - t0, 3000000);
    sp_chan_free(a);
  });
}

TEST_P(Chan, SelectBlocksUntilASenderOrReceiverArrives) {
  RunGreen(procs(), [] {
    sp_chan *in = sp_chan_make(sizeof(int), 0), *out = sp_chan_make(sizeof(int), 0);
    Go([in] {
      sp_sleep_ns(1000000);
      int v = 5;
      sp_chan_send(in, &v);
    });
    int got = 0, send = 9;
    sp_select_case cases[] = {{in, SP_SELECT_RECV, &got, 0}, {out, SP_SELECT_SEND, &send, 0}};
    EXPECT_EQ(sp_select(cases, 2, 1000000000), 0);
    EXPECT_EQ(got, 5);
    // Now the send case: a receiver arrives later.
    Go([out] {
      sp_sleep_ns(1000000);
      int v;
      sp_chan_recv(out, &v);
      EXPECT_EQ(v, 9);
    });
    sp_select_case send_only[] = {{in, SP_SELECT_RECV, &got, 0}, {out, SP_SELECT_SEND, &send, 0}};
    EXPECT_EQ(sp_select(send_only, 2, SP_SELECT_FOREVER), 1);
    sp_sleep_ns(2000000);
    sp_chan_free(in);
    sp_chan_free(out);
  });
}

TEST_P(Chan, SelectSeesClosedChannel) {
  RunGreen(procs(), [] {
    sp_chan *a = sp_chan_make(sizeof(int), 0);
    Go([a] {
      sp_sleep_ns(500000);
      sp_chan_close(a);
    });
    int got = 3;
    sp_select_case cases[] = {{a, SP_SELECT_RECV, &got, 1}};
    EXPECT_EQ(sp_select(cases, 1, SP_SELECT_FOREVER), 0);
    EXPECT_EQ(cases[0].ok, 0);
    EXPECT_EQ(got, 0);
    sp_chan_free(a);
  });
}

TEST_P(Chan, ManySelectorsRacingOverTwoChannelsEachGetOneValue) {
  std::atomic<int> received{0};
  RunGreen(procs(), [&] {
    sp_chan *a = sp_chan_make(sizeof(int), 0), *b = sp_chan_make(sizeof(int), 0);
    sp_waitgroup wg = SP_WAITGROUP_INIT;
    sp_wg_add(&wg, 100);
    for (int i = 0; i < 100; i++)
      Go([&] {
        int got;
        sp_select_case cases[] = {{a, SP_SELECT_RECV, &got, 0}, {b, SP_SELECT_RECV, &got, 0}};
        if (sp_select(cases, 2, SP_SELECT_FOREVER) >= 0)
          received++;
        sp_wg_done(&wg);
      });
    for (int i = 0; i < 100; i++) {
      int v = i;
      sp_chan_send(i % 2 ? a : b, &v);
    }
    sp_wg_wait(&wg);
    sp_chan_free(a);
    sp_chan_free(b);
  });
  EXPECT_EQ(received.load(), 100);
}

// Select timeouts racing with senders: a value is either received by exactly one select or still
// in the channel, never lost or received twice (time.c and select.c settle that race through
// select_done).
TEST_P(Chan, SelectTimeoutsRacingWithSendersLoseNothing) {
  const int kValues = 2000;
  long received_sum = 0, left_sum = 0;
  RunGreen(procs(), [&] {
    sp_chan *c = sp_chan_make(sizeof(int), 4);
    sp_waitgroup wg = SP_WAITGROUP_INIT;
    sp_wg_add(&wg, 1);
    Go([&] {
      for (int i = 1; i <= kValues; i++) {
        sp_chan_send(c, &i);
        if (i % 7 == 0)
          sp_sleep_ns(20000);
      }
      sp_wg_done(&wg);
    });
    int got = 0;
    int timeouts = 0;
    for (int n = 0; n < kValues;) {
      sp_select_case cases[] = {{c, SP_SELECT_RECV, &got, 0}};
      int r = sp_select(cases, 1, 10000);
      if (r == 0) {
        received_sum += got;
        n++;
      } else {
        timeouts++;
      }
    }
    sp_wg_wait(&wg);
    int v;
    while (sp_chan_try_recv(c, &v) == 1)
      left_sum += v;
    sp_chan_free(c);
    RecordProperty("timeouts", timeouts);
  });
  EXPECT_EQ(received_sum + left_sum, long(kValues) * (kValues + 1) / 2);
}

class ChanDeathTest : public sp_test::ProcsDeathTest {};

TEST_P(ChanDeathTest, SendOnClosedChannelIsFatal) {
  int p = procs();
  EXPECT_DEATH(RunGreen(p,
                        [] {
                          sp_chan *c = sp_chan_make(sizeof(int), 1);
                          sp_chan_close(c);
                          int v = 1;
                          sp_chan_send(c, &v);
                        }),
               "fatal error: send on closed channel");
}

TEST_P(ChanDeathTest, CloseOfClosedChannelIsFatal) {
  int p = procs();
  EXPECT_DEATH(RunGreen(p,
                        [] {
                          sp_chan *c = sp_chan_make(sizeof(int), 1);
                          sp_chan_close(c);
                          sp_chan_close(c);
                        }),
               "fatal error: close of closed channel");
}

TEST_P(ChanDeathTest, BlockedSenderOnClosedChannelIsFatal) {
  int p = procs();
  EXPECT_DEATH(RunGreen(p,
                        [] {
                          sp_chan *c = sp_chan_make(sizeof(int), 0);
                          Go([c] {
                            sp_sleep_ns(1000000);
                            sp_chan_close(c);
                          });
                          int v = 1;
                          sp_chan_send(c, &v);
                        }),
               "fatal error: send on closed channel");
}

TEST_P(ChanDeathTest, SelectWithNoCasesForeverIsADeadlock) {
  int p = procs();
  EXPECT_DEATH(RunGreen(p, [] { sp_select(nullptr, 0, SP_SELECT_FOREVER); }),
               "fatal error: all goroutines are asleep - deadlock!");
}

SP_INSTANTIATE_PROCS(Chan);
SP_INSTANTIATE_PROCS(ChanDeathTest);

}  // namespace

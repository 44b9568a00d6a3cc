// Package bench has the Go side of the runtime benchmarks: the same workloads as
// bench/runtime/runtime_bench.cpp, so the two runtimes can be compared side by side.
//
//	GOMAXPROCS=1 go test -bench . -benchtime 2000000x
package bench

import (
	"runtime"
	"sync/atomic"
	"testing"
)

// Two goroutines taking turns: one Gosched is one switch to the other.
func BenchmarkYield(b *testing.B) {
	var stop int32
	done := make(chan struct{})
	go func() {
		for atomic.LoadInt32(&stop) == 0 {
			runtime.Gosched()
		}
		close(done)
	}()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		runtime.Gosched()
	}
	b.StopTimer()
	atomic.StoreInt32(&stop, 1)
	<-done
}

// Start a goroutine that sends one value back.
func BenchmarkSpawnAndReport(b *testing.B) {
	c := make(chan int)
	for i := 0; i < b.N; i++ {
		go func() { c <- 1 }()
		<-c
	}
}

// One round trip over two unbuffered channels.
func BenchmarkChanPingPong(b *testing.B) {
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v
		}
	}()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ping <- i
		<-pong
	}
	b.StopTimer()
	close(ping)
}

// A ping-pong round trip where the echoing side waits in a two-case select.
func BenchmarkSelectPingPong(b *testing.B) {
	ping, pong, quit := make(chan int), make(chan int), make(chan int)
	go func() {
		for {
			select {
			case v := <-ping:
				pong <- v
			case <-quit:
				return
			}
		}
	}()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ping <- i
		<-pong
	}
	b.StopTimer()
	close(quit)
}

// A non-blocking select over two channels, one of which is ready.
func BenchmarkSelectReady(b *testing.B) {
	a, c := make(chan int, 1), make(chan int, 1)
	v := 0
	for i := 0; i < b.N; i++ {
		select {
		case a <- v:
		default:
		}
		select {
		case v = <-a:
		case v = <-c:
		default:
		}
	}
}

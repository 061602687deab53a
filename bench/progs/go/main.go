// gobench - a static Go program (CGO_ENABLED=0) for bench/static: what a
// tracer that stays attached costs a Go server.  Standard library only.
//
//	gobench http ADDR        serve "ok\n" on ADDR (127.0.0.1:PORT); print
//	                         "ready pid=P" once listening; until SIGTERM
//	gobench threads N        N rounds of 32 goroutines, each on an OS thread
//	                         of its own that ends with it (LockOSThread
//	                         without Unlock): "threads/s R"
//	gobench spin SECONDS     4*GOMAXPROCS goroutines in tight loops, kept
//	                         fair only by asynchronous preemption (SIGURG
//	                         from the runtime): "loops/s R"
//	gobench exec N PROGRAM [ARG]...
//	                         N times os/exec of PROGRAM ARG... (clone with
//	                         CLONE_VFORK|CLONE_VM, then execve), waiting for
//	                         each: "execs/s R"
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: gobench http ADDR | threads N | spin SECONDS | exec N PROGRAM [ARG]...")
	os.Exit(2)
}

func count(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > 1000000 {
		usage()
	}
	return n
}

func serve(addr string) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gobench:", err)
		os.Exit(1)
	}
	body := []byte("ok\n")
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(body)
	})
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-sig
		os.Exit(0)
	}()
	fmt.Printf("ready pid=%d\n", os.Getpid())
	http.Serve(l, nil)
}

func threads(rounds int) {
	start := time.Now()
	for i := 0; i < rounds; i++ {
		var wg sync.WaitGroup
		for j := 0; j < 32; j++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Never unlocked: the thread exits with the goroutine,
				// so the next one needs a new thread (clone).
				runtime.LockOSThread()
				syscall.Getpid()
			}()
		}
		wg.Wait()
	}
	s := time.Since(start).Seconds()
	fmt.Printf("threads/s %.0f\n", float64(rounds*32)/s)
}

var sink uint64

func spin(secs int) {
	var loops uint64
	var stop int32
	var wg sync.WaitGroup
	n := 4 * runtime.GOMAXPROCS(0)
	start := time.Now()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var k uint64
			for atomic.LoadInt32(&stop) == 0 {
				// A tight loop without calls: only a signal
				// preempts it.
				for j := 0; j < 1000000; j++ {
					k += uint64(j) ^ k>>3
				}
				atomic.AddUint64(&loops, 1)
			}
			atomic.AddUint64(&sink, k)
		}()
	}
	time.Sleep(time.Duration(secs) * time.Second)
	atomic.StoreInt32(&stop, 1)
	wg.Wait()
	s := time.Since(start).Seconds()
	fmt.Printf("loops/s %.1f\n", float64(atomic.LoadUint64(&loops))/s)
}

func execs(n int, prog string, args []string) {
	start := time.Now()
	for i := 0; i < n; i++ {
		if err := exec.Command(prog, args...).Run(); err != nil {
			fmt.Fprintln(os.Stderr, "gobench:", prog+":", err)
			os.Exit(1)
		}
	}
	s := time.Since(start).Seconds()
	fmt.Printf("execs/s %.0f\n", float64(n)/s)
}

func main() {
	if len(os.Args) < 3 {
		usage()
	}
	switch os.Args[1] {
	case "http":
		serve(os.Args[2])
	case "threads":
		threads(count(os.Args[2]))
	case "spin":
		spin(count(os.Args[2]))
	case "exec":
		if len(os.Args) < 4 {
			usage()
		}
		execs(count(os.Args[2]), os.Args[3], os.Args[4:])
	default:
		usage()
	}
}

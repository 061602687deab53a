// gohold - a Go program for memlock's tests, the way cloud-native servers
// are written: goroutines, a heap it holds, child processes it starts.
// Built twice by the Makefile: CGO_ENABLED=0 (static, like Vault, etcd,
// Consul) and with cgo (cgo.go links libc dynamically).
//
//	gohold [-marker FILE] [-child PROGRAM] [-exit] [-role NAME] MIB
//
// -marker FILE   created first thing in main(): proof that main ran
// -child PROGRAM started as "PROGRAM -role child -exit=false MIB"; it
//                prints its own ready line
// -exit          print the ready line and exit 0 instead of waiting
//
// Prints "ready role=NAME pid=P vmlck=BYTES" once it holds MIB MiB with
// 16 goroutines running, then waits for SIGTERM (exit 0) or 120 s.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

func vmlck() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if strings.HasPrefix(s.Text(), "VmLck:") {
			v := strings.Fields(s.Text())
			if len(v) >= 2 {
				n, _ := strconv.ParseUint(v[1], 10, 64)
				return n * 1024
			}
		}
	}
	return 0
}

var held [][]byte

func main() {
	marker := flag.String("marker", "", "created first thing")
	child := flag.String("child", "", "a program to start")
	exit := flag.Bool("exit", false, "exit after the ready line")
	role := flag.String("role", "main", "name in the ready line")
	flag.Parse()
	if *marker != "" {
		if f, err := os.Create(*marker); err == nil {
			f.Close()
		}
	}
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: gohold [-marker FILE] [-child PROGRAM] [-exit] MIB")
		os.Exit(2)
	}
	mib, err := strconv.Atoi(flag.Arg(0))
	if err != nil || mib < 0 || mib > 4096 {
		fmt.Fprintln(os.Stderr, "gohold: bad size")
		os.Exit(2)
	}
	// The heap it holds, touched page by page, in 1 MiB pieces as a
	// server's caches would be.
	for i := 0; i < mib; i++ {
		b := make([]byte, 1<<20)
		for j := 0; j < len(b); j += 4096 {
			b[j] = byte(i)
		}
		held = append(held, b)
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			<-start
			t := time.NewTicker(10 * time.Millisecond)
			defer t.Stop()
			for k := 0; ; k++ {
				<-t.C
				_ = fmt.Sprint(n * k)
				if k == 3 {
					return
				}
			}
		}(i)
	}
	close(start)
	wg.Wait()
	var cmd *exec.Cmd
	if *child != "" {
		cmd = exec.Command(*child, "-role", "child", flag.Arg(0))
		cmd.Stdout = os.Stdout
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			fmt.Fprintln(os.Stderr, "gohold: child:", err)
			os.Exit(1)
		}
	}
	fmt.Printf("ready role=%s pid=%d vmlck=%d\n", *role, os.Getpid(), vmlck())
	if *exit {
		os.Exit(0)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM)
	select {
	case <-sig:
	case <-time.After(120 * time.Second):
	}
	if cmd != nil {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}
	os.Exit(0)
}

//go:build cgo

// With cgo the program links libc dynamically (it has a PT_INTERP), as
// Go programs that import net or os/user with cgo on do.
package main

// #include <unistd.h>
import "C"

var _ = C.getpid

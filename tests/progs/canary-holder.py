#!/usr/bin/python3
"""canary-holder.py - the pressure tests' secret holder, in Python.

    canary-holder.py [--pages N] FILE

Draws a fresh random secret and keeps it, repeated over N pages (default
64), in a Python object, the way a Python service holds a key.  Writes
"parent PID NEEDLE" to FILE (complete once it exists), then sleeps until
killed.  It locks nothing itself: the tests run it under memlock run,
and plainly as the control.
"""
import os
import secrets
import signal
import sys


def main():
    args = sys.argv[1:]
    pages = 64
    if len(args) >= 2 and args[0] == "--pages":
        pages = int(args[1])
        args = args[2:]
    if len(args) != 1 or pages < 1:
        sys.exit("usage: canary-holder.py [--pages N] FILE")
    path = args[0]

    needle = "P" + secrets.token_hex(32)
    held = needle * (pages * 4096 // len(needle) + 1)

    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("parent %d %s\n" % (os.getpid(), needle))
    os.rename(tmp, path)
    while held:
        signal.pause()


main()

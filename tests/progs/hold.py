"""hold.py MIB THREADS - python3 holding MIB MiB in a bytearray and THREADS
idle threads, for memlock run's tests.  Prints "ready PID", then sleeps
until killed."""
import os
import sys
import threading

heap = bytearray(b"\x5a" * (int(sys.argv[1]) << 20))
stop = threading.Event()
for _ in range(int(sys.argv[2])):
    threading.Thread(target=stop.wait, daemon=True).start()
print("ready", os.getpid(), flush=True)
stop.wait(120)

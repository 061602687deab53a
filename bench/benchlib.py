"""benchlib - what the Python benchmarks share: the commands that run a
program unlocked, locked the naive way, or through memlock; the machine's
description; writing results (Markdown), data and gnuplot plots (PNG).

Run through bench/run (make bench), which stages an install and sets
MEMLOCK, BENCH_PROGS, BENCH_OUT and BENCH_UID.
"""
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MEMLOCK = os.environ.get("MEMLOCK", "")
PROGS = os.environ.get("BENCH_PROGS", "")
OUT = os.environ.get("BENCH_OUT", os.path.join(TOP, "docs", "bench"))
UID = os.environ.get("BENCH_UID", "1000")

if not MEMLOCK or not PROGS:
    sys.exit("run the benchmarks through bench/run (make bench)")

# The unprivileged user every mode runs as.
USER = ["setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups"]
# The naive way needs CAP_IPC_LOCK (RLIMIT_MEMLOCK is 8 MiB here): the
# same user, given the capability as an ambient one.
USER_CAP = USER + ["--inh-caps", "+ipc_lock", "--ambient-caps", "+ipc_lock"]


def memlock_run_works():
    """memlock run exists and locks here (it is built in parallel)."""
    try:
        r = subprocess.run(USER + [MEMLOCK, "run", "--", "/bin/true"],
                           stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0


REAL_MEMLOCK = memlock_run_works()


def locked(prog_args, prefault=False):
    """The command that runs a program (a list: path first) locked by
    memlock: `memlock run [--prefault] -- PROGRAM ARGS`.  Until memlock
    run exists, a stand-in: the program locks itself with the flags
    memlock's shim uses (MCL_CURRENT|MCL_FUTURE, plus MCL_ONFAULT unless
    --prefault), with CAP_IPC_LOCK as memlock gives it."""
    if REAL_MEMLOCK:
        return USER + [MEMLOCK, "run"] + (["--prefault"] if prefault else []) + \
            ["--"] + prog_args
    return USER_CAP + [prog_args[0], "--lock",
                       "prefault" if prefault else "onfault"] + prog_args[1:]


def naive(prog_args):
    """The program locks itself with mlockall(MCL_CURRENT|MCL_FUTURE)."""
    return USER_CAP + [prog_args[0], "--lock", "prefault"] + prog_args[1:]


def plain(prog_args):
    return USER + prog_args


def prog(name):
    return os.path.join(PROGS, name)


def shown(cmd):
    """A command as a reader would type it: paths relative to the tree."""
    out = []
    for a in cmd:
        if a.startswith(TOP + "/"):
            a = os.path.relpath(a, TOP)
        out.append(shlex.quote(a))
    return " ".join(out)


def status_kb(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def rollup_kb(pid):
    """smaps_rollup fields, in kB."""
    d = {}
    with open("/proc/%d/smaps_rollup" % pid) as f:
        for line in f:
            p = line.split()
            if len(p) == 3 and p[0].endswith(":") and p[2] == "kB":
                d[p[0][:-1]] = int(p[1])
    return d


def mem_available_kb():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1])
    return 0


def median(xs):
    return statistics.median(xs)


def machine():
    """A line or two saying where the figures come from."""
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) // (1024 * 1024)
    try:
        thp = open("/sys/kernel/mm/transparent_hugepage/enabled").read().strip()
    except OSError:
        thp = "?"
    try:
        commit = subprocess.run(["git", "-C", TOP, "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = "?"
    load = os.getloadavg()[0]
    return ("Linux %s, %d CPUs (%s), %d GiB RAM, transparent huge pages `%s`; "
            "load average %.1f at the start; commit %s; %s." % (
                platform.release(), os.cpu_count(), cpu, mem, thp, load,
                commit, time.strftime("%Y-%m-%d")))


def how_locked():
    if REAL_MEMLOCK:
        return ("memlock modes run through `memlock run` as uid %s (the staged "
                "memlock-exec with `cap_ipc_lock=p`)." % UID)
    return ("**Stand-in**: `memlock run` is not built in this tree yet, so the "
            "memlock modes are the program locking itself with the flags "
            "memlock's shim uses (MCL_CURRENT|MCL_FUTURE|MCL_ONFAULT; "
            "`--prefault`: without MCL_ONFAULT), as uid %s with an ambient "
            "CAP_IPC_LOCK (`setpriv --inh-caps +ipc_lock --ambient-caps "
            "+ipc_lock`).  `make bench` measures the real `memlock run` as "
            "soon as it exists." % UID)


def write(name, text):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name)
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)
    print("bench: wrote %s" % os.path.relpath(path, TOP), file=sys.stderr)


def plot(name, script, data, size="900,560"):
    """Write NAME.dat and render NAME.png with gnuplot (the script gets
    the data file as DATA and writes to the PNG)."""
    dat = os.path.join(OUT, name + ".dat")
    png = os.path.join(OUT, name + ".png")
    with open(dat, "w") as f:
        f.write(data)
    head = ("set terminal pngcairo size %s font 'DejaVu Sans,11'\n"
            "set termoption noenhanced\nset output '%s'\nDATA = '%s'\n" % (size, png, dat))
    r = subprocess.run(["gnuplot"], input=head + script, text=True,
                       capture_output=True)
    if r.returncode != 0:
        print("bench: gnuplot failed for %s:\n%s" % (name, r.stderr),
              file=sys.stderr)
        return False
    print("bench: wrote %s" % os.path.relpath(png, TOP), file=sys.stderr)
    return True


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)

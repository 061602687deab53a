#!/usr/bin/env python3
"""oci.py - write the OCI runtime config (config.json) that a container
engine would hand runc, from the flags its user would type.

  oci.py --runtime docker [--user 1000] [--cap-add IPC_LOCK] ...  -- ARGS...
  oci.py --runtime kubernetes --manifest FILE [--container NAME] [--app -- APP ARG...]

What each engine puts in the config, and where it comes from:

docker      moby oci/oci.go SetCapabilities() (20.10 to 24): uid 0 gets the
            list in bounding, effective and permitted; a non-root user gets
            it in bounding ONLY ("to match what execve does"), nothing in
            inheritable or ambient.  --moby 25: moby >= 25 (commit
            3aef732e61 "Do not drop effective&permitted set"; now
            daemon/oci_linux.go WithCapabilities -> containerd's
            oci.WithCapabilities) gives every user the list in bounding,
            effective and permitted.  Default list: moby oci/caps/defaults.go.
            docker.bats holds the 20.10 model against Debian's real dockerd.
            /.dockerenv in the root, cgroup docker/<64 hex> (cgroupfs driver).
podman      containers/common default_capabilities (podman 4.x); for uid 0
            the list in bounding, effective, permitted; for a non-root user
            bounding gets the list and the --cap-add caps go to effective,
            permitted, inheritable AND ambient (podman >= 2.2).
            /run/.containerenv, env container=podman, cgroup
            libpod_parent/libpod-<64 hex>.  podman.bats checks these sets
            against what the real podman on this machine produces.
unknown     no runtime memlock knows: Docker's capabilities, no marker,
            cgroup nomad/<alloc uuid>.<task> (Nomad's cgroupfs layout).
kubernetes  containerd CRI: oci.WithAddedCapabilities() puts caps in
            bounding, effective and permitted whatever the user; no
            ambient (kubernetes#56374).  allowPrivilegeEscalation: false
            sets noNewPrivileges.  runAsNonRoot refuses uid 0 (the kubelet
            does).  hostUsers: false gives a user namespace.  Env
            KUBERNETES_SERVICE_HOST, the service account mount, cgroup
            kubepods/burstable/pod<uid>/<64 hex>.

Not reproduced, because none of it changes whether mlock works: seccomp
(the default profiles of Docker, podman and containerd all allow mlock,
mlock2, mlockall, munlock, munlockall), AppArmor/SELinux labels, networks.

cgroupsPath is relative: runc puts it under the cgroup runc itself runs
in, so the tests stay inside whatever cgroup they were started in, and
the container still sees a path ending in docker/<id>, kubepods/... .
"""
import argparse
import json
import os
import secrets
import sys
import uuid

ALLCAPS = [
    "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL",
    "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE",
    "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
    "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
    "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME",
    "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL",
    "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
    "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
]

# moby oci/caps/defaults.go; containerd oci/spec.go defaultUnixCaps: the same.
DOCKER_CAPS = [
    "CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW",
    "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE",
    "SYS_CHROOT", "KILL", "AUDIT_WRITE",
]
# containers/common pkg/config default_capabilities (podman 4.x).
PODMAN_CAPS = [
    "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "NET_BIND_SERVICE",
    "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
]

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def die(msg):
    print(f"oci.py: {msg}", file=sys.stderr)
    sys.exit(2)


def capname(c):
    c = c.upper()
    c = c[4:] if c.startswith("CAP_") else c
    if c != "ALL" and c not in ALLCAPS:
        die(f"unknown capability {c}")
    return c


def tweak(base, add, drop):
    """moby TweakCapabilities / containerd WithCapabilities order: drop
    first (ALL empties the list), then add."""
    caps = [] if "ALL" in drop else [c for c in base if c not in drop]
    for c in (ALLCAPS if "ALL" in add else add):
        if c not in caps:
            caps.append(c)
    return caps


def full(names):
    return ["CAP_" + n for n in names]


def parse_ulimit(s):
    name, _, val = s.partition("=")
    if name != "memlock" or not val:
        die(f"--ulimit {s}: only memlock=SOFT[:HARD] is modelled")
    soft, _, hard = val.partition(":")
    hard = hard or soft

    def num(v):
        v = int(v)
        return 2**64 - 1 if v < 0 else v
    return {"type": "RLIMIT_MEMLOCK", "soft": num(soft), "hard": num(hard)}


def k8s_container(path, name):
    """The first (or the named) container of a Pod, Deployment, DaemonSet,
    StatefulSet or Job manifest, with its pod-level securityContext."""
    import yaml
    with open(path) as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    for d in docs:
        kind = d.get("kind")
        if kind == "Pod":
            pod = d["spec"]
        elif kind in ("Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job"):
            pod = d["spec"]["template"]["spec"]
        else:
            continue
        for c in pod.get("containers", []):
            if name is None or c["name"] == name:
                return pod, c
    die(f"{path}: no container {name or ''} in a workload")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runtime", choices=["docker", "podman", "kubernetes", "unknown"],
                    required=True)
    ap.add_argument("--rootfs", required=True)
    ap.add_argument("--user", default=None, help="UID[:GID]")
    ap.add_argument("--cap-add", action="append", default=[])
    ap.add_argument("--cap-drop", action="append", default=[])
    ap.add_argument("--security-opt", action="append", default=[])
    ap.add_argument("--ulimit", action="append", default=[])
    ap.add_argument("--moby", default=None, choices=["25"],
                    help="docker: the container set-up of moby >= 25")
    ap.add_argument("--userns", action="store_true",
                    help="a user namespace: userns-remap, rootless, hostUsers: false")
    ap.add_argument("--env", "-e", action="append", default=[])
    ap.add_argument("--id", default=None, help="container id (64 hex)")
    ap.add_argument("--pod-uid", default=None)
    ap.add_argument("--manifest", default=None)
    ap.add_argument("--container", default=None)
    ap.add_argument("--app", action="store_true",
                    help="ARGS replace the manifest's application: what follows "
                    "memlock-exec in its command (or the whole command)")
    ap.add_argument("--command", action="store_true",
                    help="ARGS are the container's whole command, as if the "
                    "manifest said command: [ARGS]")
    ap.add_argument("--volumes", default=None,
                    help="a directory standing for the node: hostPath and emptyDir "
                    "volumes become bind mounts of DIR/NAME")
    ap.add_argument("--entrypoint", default="memlock-exec",
                    help="the image's ENTRYPOINT (used when a manifest has no command)")
    ap.add_argument("args", nargs="*")
    o = ap.parse_args()

    cid = o.id or secrets.token_hex(32)
    add = [capname(c) for c in o.cap_add]
    drop = [capname(c) for c in o.cap_drop]
    nnp = False
    for s in o.security_opt:
        if s in ("no-new-privileges", "no-new-privileges:true", "no-new-privileges=true"):
            nnp = True
        else:
            die(f"--security-opt {s}: not modelled")
    rlimits = [parse_ulimit(u) for u in o.ulimit]
    uid, gid = 0, 0
    if o.user is not None:
        u, _, g = o.user.partition(":")
        uid = int(u)
        gid = int(g) if g else uid   # /etc/passwd in the test root: 1000:1000
    args = o.args
    env = ["PATH=" + DEFAULT_PATH]
    userns = o.userns
    readonly = False
    host_pid = False
    extra_mounts = []

    if o.manifest:
        if o.runtime != "kubernetes":
            die("--manifest needs --runtime kubernetes")
        pod, c = k8s_container(o.manifest, o.container)
        psc = pod.get("securityContext") or {}
        csc = c.get("securityContext") or {}
        uid = csc.get("runAsUser", psc.get("runAsUser", 0))
        gid = csc.get("runAsGroup", psc.get("runAsGroup", uid))
        if csc.get("runAsNonRoot", psc.get("runAsNonRoot")) and uid == 0:
            die("runAsNonRoot with uid 0: the kubelet refuses to start it")
        caps = csc.get("capabilities") or {}
        # --cap-drop on the command line takes a capability out of the
        # manifest's add list too (a variant of the manifest).
        add = [c for c in add + [capname(x) for x in caps.get("add", [])] if c not in drop]
        drop += [capname(x) for x in caps.get("drop", [])]
        # allowPrivilegeEscalation defaults to true (unless privileged /
        # CAP_SYS_ADMIN, which force it true anyway).
        nnp = csc.get("allowPrivilegeEscalation", True) is False
        readonly = bool(csc.get("readOnlyRootFilesystem", False))
        if pod.get("hostUsers") is False:
            userns = True
        argv = list(c.get("command") or [o.entrypoint]) + list(c.get("args") or [])
        if o.command:
            argv = args
        elif o.app:
            # The application itself is replaced; its wrapper (memlock-exec,
            # a shell) and the securityContext are what is tested.
            if os.path.basename(argv[0]) == "memlock-exec":
                argv = [argv[0]] + args
            elif (len(argv) >= 3 and os.path.basename(argv[0]) == "sh" and
                  argv[1] == "-c" and "memlock-exec" in argv[2]):
                pre = argv[2].split("memlock-exec", 1)[0]
                argv = [argv[0], "-c", pre + "memlock-exec " + " ".join(args)]
            else:
                argv = args
            args = argv
        elif args:
            die("a manifest gives the command: ARGS need --app or --command")
        else:
            args = argv
        for e in c.get("env", []) or []:
            if "value" in e:
                env.append(f"{e['name']}={e['value']}")
        host_pid = bool(pod.get("hostPID"))
        for m in c.get("volumeMounts", []) or []:
            if o.volumes is None:
                die("the manifest mounts volumes: give --volumes DIR")
            src = os.path.join(o.volumes, m["name"])
            os.makedirs(src, exist_ok=True)
            extra_mounts.append({"destination": m["mountPath"], "type": "bind", "source": src,
                                 "options": ["rbind", "ro" if m.get("readOnly") else "rw"]})

    if not args:
        die("no process arguments")

    if o.runtime == "docker":
        caps = tweak(DOCKER_CAPS, add, drop)
        if uid == 0 or o.moby:
            capset = {"bounding": caps, "effective": caps, "permitted": caps}
        else:
            capset = {"bounding": caps}
        env.append("HOSTNAME=" + cid[:12])
        cgroup = f"docker/{cid}"
    elif o.runtime == "unknown":
        # A runtime memlock does not know (Nomad, ECS, a CI runner): no
        # marker file, no container variable, a cgroup path naming none
        # of docker, libpod, kubepods; capabilities as Docker gives them.
        caps = tweak(DOCKER_CAPS, add, drop)
        capset = {"bounding": caps, "effective": caps, "permitted": caps} if uid == 0 \
            else {"bounding": caps}
        cgroup = f"nomad/{cid[:8]}-{cid[8:12]}-{cid[12:16]}-{cid[16:20]}-{cid[20:32]}.app"
    elif o.runtime == "podman":
        caps = tweak(PODMAN_CAPS, add, drop)
        if uid == 0:
            capset = {"bounding": caps, "effective": caps, "permitted": caps}
        else:
            user_caps = [c for c in (ALLCAPS if "ALL" in add else add) if c in caps]
            capset = {"bounding": caps, "effective": user_caps, "permitted": user_caps,
                      "inheritable": user_caps, "ambient": user_caps}
        env += ["container=podman", "HOSTNAME=" + cid[:12]]
        cgroup = f"libpod_parent/libpod-{cid}"
    else:
        caps = tweak(DOCKER_CAPS, add, drop)
        capset = {"bounding": caps, "effective": caps, "permitted": caps}
        pod_uid = o.pod_uid or str(uuid.uuid4())
        env += ["HOSTNAME=" + (o.container or "app"),
                "KUBERNETES_SERVICE_HOST=10.96.0.1", "KUBERNETES_SERVICE_PORT=443",
                "KUBERNETES_PORT=tcp://10.96.0.1:443"]
        cgroup = f"kubepods/burstable/pod{pod_uid}/{cid}"
    env += o.env

    for k in ("bounding", "effective", "permitted", "inheritable", "ambient"):
        capset[k] = full(capset.get(k, []))

    mounts = [
        {"destination": "/proc", "type": "proc", "source": "proc",
         "options": ["nosuid", "noexec", "nodev"]},
        {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
         "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
        {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
         "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]
         + ([] if userns else ["gid=5"])},
        {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
         "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
        {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
         "options": ["nosuid", "noexec", "nodev"]},
        {"destination": "/sys", "type": "sysfs", "source": "sysfs",
         "options": ["nosuid", "noexec", "nodev", "ro"]},
        {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
         "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]},
    ]
    namespaces = [{"type": t} for t in ("pid", "network", "ipc", "uts", "mount")
                  if not (t == "pid" and host_pid)]
    linux = {
        "cgroupsPath": cgroup,
        "namespaces": namespaces,
        "maskedPaths": ["/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
                        "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                        "/proc/sched_debug", "/proc/scsi", "/sys/firmware"],
        "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                          "/proc/sysrq-trigger"],
    }
    if userns:
        # Docker's userns-remap (dockremap), rootless podman and
        # hostUsers: false all map the container's root to a high host uid.
        namespaces.append({"type": "user"})
        linux["uidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]
        linux["gidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]
        # sysfs cannot be mounted from a user namespace without its own
        # network namespace owner; bind it read-only instead, as rootless
        # engines do.
        mounts[5] = {"destination": "/sys", "type": "bind", "source": "/sys",
                     "options": ["rbind", "nosuid", "noexec", "nodev", "ro"]}
        del mounts[6]

    mounts += extra_mounts
    config = {
        "ociVersion": "1.0.2",
        "process": {
            "terminal": False,
            "user": {"uid": uid, "gid": gid},
            "args": args,
            "env": env,
            "cwd": "/",
            "capabilities": capset,
            "rlimits": rlimits,
            "noNewPrivileges": nnp,
        },
        "root": {"path": o.rootfs, "readonly": readonly},
        "hostname": cid[:12],
        "mounts": mounts,
        "linux": linux,
    }
    if uid != 0 and o.runtime == "docker":
        config["process"]["user"]["additionalGids"] = [gid]
    json.dump(config, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()

# tests/integration/compose/differential/snap.py - one side's record of a case (side.sh's
# WORKDIR) in one shape, so that minirun's and docker-compose + dockerd's can be diffed.
#
#   python3 snap.py WORKDIR PROJECTDIR [IGNORE...] > NORMALIZED
#
# Prints the steps' exit codes, then for each snapshot: the project's containers by name
# (compose v1's PROJECT_SERVICE_N read as the specification's PROJECT-SERVICE-N), each with
# its image, env, command, entrypoint, user, working dir, hostname, ports, mounts, labels
# (the com.docker.compose ones that say what the container is, and the user's), resources,
# restart policy, init, read-only root, capabilities, ulimits, security options, stop signal
# and timeout, shm size, the cpu, memory, OOM and blkio knobs, DNS and extra hosts, network
# mode, health check, networks with their aliases, state,
# exit code, whether it is the container of the previous snapshot (`kept`), and its output;
# then the networks and volumes made, with their compose labels.
# Normalized away: IDs (a hostname that is the container's short ID reads <id>, an alias
# that is, is dropped), the project directory's path (reads .), the labels that must
# differ (config-hash, version, project.working_dir/config_files/environment_file),
# "0.0.0.0" as a host IP (both mean any address), a capability's CAP_ prefix, docker's
# default PATH in Config.Env (minirun records it there, dockerd gives it to the process
# alone).
# A tmpfs reads "tmpfs::TARGET:rw" whether it came as --tmpfs (HostConfig.Tmpfs) or as a
# mount (compose's long syntax: v1 makes a Mounts entry, minirun a --tmpfs): the same mount.
# IGNORE: dotted paths (`web-1.env`, `*.hostname`, `volumes`) the case records as a
# deliberate difference, removed from both sides before the diff; PATH=VALUE removes only
# that value from the list at PATH (`*-web-1.env=NAME`).
import fnmatch
import json
import os
import re
import sys

W, PROJ = sys.argv[1], sys.argv[2]
IGNORE = sys.argv[3:]
HEX = re.compile(r"^[0-9a-f]{12}$")
# minirun's front end writes docker's default PATH into Config.Env when the image has none;
# dockerd adds the same one to the process alone: the process sees the same environment
DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
KEEP_COMPOSE = ("project", "service", "container-number", "oneoff", "network", "volume")


PROJECT = open(os.path.join(W, "project")).read().strip()


def name(n):
    n = n.lstrip("/")
    m = re.match(r"^%s_(.+)_(\d+)$" % re.escape(PROJECT), n)
    return "%s-%s-%s" % (PROJECT, m.group(1), m.group(2)) if m else n


def labels(d):
    out = {}
    for k, v in (d or {}).items():
        if k.startswith("com.docker.compose."):
            if k[len("com.docker.compose."):] not in KEEP_COMPOSE:
                continue
        out[k] = v
    return out


def path(s):
    return s.replace(PROJ, ".") if isinstance(s, str) else s


def ports(hc):
    out = []
    for k, bs in (hc.get("PortBindings") or {}).items():
        for b in bs or [{}]:
            ip = b.get("HostIp") or ""
            ip = "" if ip == "0.0.0.0" else ip
            out.append("%s:%s->%s" % (ip, b.get("HostPort") or "", k))
    return sorted(out)


def mounts(c):
    out = []
    for m in c.get("Mounts") or []:
        src = m.get("Name") if m.get("Type") == "volume" else path(m.get("Source"))
        if m.get("Type") == "volume" and HEX.match((src or "")[:12]) and len(src) == 64:
            src = "<anonymous>"
        out.append("%s:%s:%s:%s" % (m.get("Type"), src, m.get("Destination"),
                                    "rw" if m.get("RW") else "ro"))
    for t in ((c["HostConfig"].get("Tmpfs")) or {}):
        out.append("tmpfs::%s:rw" % t)
    return sorted(out)


def caps(v):
    # dockerd 20.10 keeps a capability as written (NET_ADMIN), docker 23 and minirun with
    # its CAP_ prefix: the same capability
    return sorted(c[4:] if c.upper().startswith("CAP_") else c for c in v or [])


def mode(m):
    # a project network's name (what compose passes) reads "<project network>": the
    # networks field says which; none, host and container: modes as they are
    if m in (None, "", "default", "bridge", "none", "host") or m.startswith("container:"):
        return m or "default"
    return "<project network>"


def health(cfg):
    h = cfg.get("Healthcheck")
    if not h:
        return None
    return {k: h.get(k) for k in ("Test", "Interval", "Timeout", "Retries", "StartPeriod")
            if h.get(k) not in (None, 0)}


def swappiness(v):
    # unset: dockerd 20.10 records null, minirun -1 (docker's flag default): both "the
    # kernel's"
    return -1 if v is None else v


def blkio(hc):
    out = ["weight=%s" % (hc.get("BlkioWeight") or 0)]
    for k in ("BlkioDeviceReadBps", "BlkioDeviceWriteBps", "BlkioDeviceReadIOps",
              "BlkioDeviceWriteIOps"):
        out += ["%s=%s:%s" % (k, d.get("Path"), d.get("Rate")) for d in hc.get(k) or []]
    return out


def container(c, prev):
    cfg, hc = c["Config"], c["HostConfig"]
    n = name(c["Name"])
    hostname = cfg.get("Hostname")
    if hostname and HEX.match(hostname) and c["Id"].startswith(hostname):
        hostname = "<id>"
    nets = {}
    for k, v in ((c.get("NetworkSettings") or {}).get("Networks") or {}).items():
        al = [a for a in (v.get("Aliases") or []) if not HEX.match(a) and a != n]
        nets[k] = sorted(set(al))
    rp = hc.get("RestartPolicy") or {}
    logf = os.path.join(W, "%s", "logs", c["Name"].lstrip("/"))
    return n, {
        "image": cfg.get("Image"),
        "env": sorted(e for e in cfg.get("Env") or [] if e != DEFAULT_PATH),
        "cmd": cfg.get("Cmd"),
        "entrypoint": cfg.get("Entrypoint"),
        "user": cfg.get("User") or "",
        "workdir": cfg.get("WorkingDir") or "",
        "hostname": hostname,
        "tty": bool(cfg.get("Tty")),
        "stdin_open": bool(cfg.get("OpenStdin")),
        "exposed": sorted((cfg.get("ExposedPorts") or {}).keys()),
        "ports": ports(hc),
        "mounts": mounts(c),
        "read_only": bool(hc.get("ReadonlyRootfs")),
        "init": bool(hc.get("Init")),
        "restart": "%s:%s" % (rp.get("Name") or "no", rp.get("MaximumRetryCount") or 0),
        "memory": hc.get("Memory") or 0,
        "memory_reservation": hc.get("MemoryReservation") or 0,
        "nano_cpus": hc.get("NanoCpus") or 0,
        "pids_limit": hc.get("PidsLimit") or 0,
        "shm_size": hc.get("ShmSize") or 0,
        "cpu_shares": hc.get("CpuShares") or 0,
        "cpu_period": hc.get("CpuPeriod") or 0,
        "cpu_quota": hc.get("CpuQuota") or 0,
        "cpuset_cpus": hc.get("CpusetCpus") or "",
        "cpu_count": hc.get("CpuCount") or 0,
        "cpu_percent": hc.get("CpuPercent") or 0,
        "memory_swap": hc.get("MemorySwap") or 0,
        "memory_swappiness": swappiness(hc.get("MemorySwappiness")),
        "oom_kill_disable": bool(hc.get("OomKillDisable")),
        "oom_score_adj": hc.get("OomScoreAdj") or 0,
        "blkio": blkio(hc),
        "dns": [hc.get("Dns") or [], hc.get("DnsSearch") or [], hc.get("DnsOptions") or []],
        "extra_hosts": sorted(hc.get("ExtraHosts") or []),
        "cap_add": caps(hc.get("CapAdd")),
        "cap_drop": caps(hc.get("CapDrop")),
        "security_opt": sorted(hc.get("SecurityOpt") or []),
        "ulimits": sorted("%s=%s:%s" % (u.get("Name"), u.get("Soft"), u.get("Hard"))
                          for u in hc.get("Ulimits") or []),
        "stop_signal": cfg.get("StopSignal") or "",
        "stop_timeout": cfg.get("StopTimeout"),
        "network_mode": mode(hc.get("NetworkMode")),
        "labels": labels(cfg.get("Labels")),
        "health": health(cfg),
        "networks": nets,
        "state": c["State"]["Status"],
        "exit_code": c["State"]["ExitCode"],
        "kept": c["Id"] in prev,
        "_log": logf,
    }


def load(f):
    try:
        with open(f) as fh:
            return json.load(fh) or []
    except (OSError, ValueError):
        return ["unreadable: " + f]


def drop(doc, pat, value=None, at=""):
    if not isinstance(doc, dict):
        return
    for k in list(doc):
        p = at + k
        if not fnmatch.fnmatchcase(p, pat):
            drop(doc[k], pat, value, p + ".")
        elif value is None:
            del doc[k]
        elif isinstance(doc[k], list):
            doc[k] = [v for v in doc[k] if v != value]


out = {"steps": []}
prev = set()
for line in open(os.path.join(W, "steps")):
    line = line.rstrip("\n")
    if line.startswith("exit: ") or line.startswith("step "):
        out["steps"].append(line)
        continue
    if not line.startswith("snap "):
        continue
    s = line[5:]
    snap = {"containers": {}, "networks": {}, "volumes": {}}
    ids = set()
    for c in load(os.path.join(W, s, "containers.json")):
        n, d = container(c, prev)
        f = d.pop("_log") % s
        try:
            d["output"] = open(f, errors="replace").read().splitlines()
        except OSError:
            d["output"] = None
        snap["containers"][n] = d
        ids.add(c["Id"])
    prev = ids
    for n in load(os.path.join(W, s, "networks.json")):
        snap["networks"][n["Name"]] = {"driver": n.get("Driver"),
                                       "internal": bool(n.get("Internal")),
                                       "labels": labels(n.get("Labels"))}
    for v in load(os.path.join(W, s, "volumes.json")):
        snap["volumes"][v["Name"]] = {"driver": v.get("Driver"),
                                      "labels": labels(v.get("Labels"))}
    out[s] = snap
for pat in IGNORE:
    pat, eq, value = pat.partition("=")
    for s in out:
        if s != "steps":
            drop(out[s], pat, value if eq else None)
json.dump(out, sys.stdout, indent=1, sort_keys=True)
print()

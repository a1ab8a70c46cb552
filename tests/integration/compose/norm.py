# tests/integration/compose/norm.py - one shape for two `config` outputs, so that they can
# be compared: minirun compose's (JSON, docker compose v2's shape) and Debian's
# docker-compose 1.29's (YAML, its own shape).
#
#   python3 norm.py json|yaml < CONFIG > NORMALIZED.json
#
# Kept per service: image, environment, command and entrypoint (as lists: v1 keeps a
# string as written, the specification's model is the shell-split list), ports as
# "ip:published:target/proto" (v1 mixes short strings and maps, published an int), volumes
# as "type:source:target:ro|rw", depends_on as name -> condition, healthcheck.test (v1
# keeps a string as written, the specification's is ["CMD-SHELL", s]), labels, profiles.
import json
import shlex
import sys

import yaml


def cmd(v):
    if v is None:
        return None
    return shlex.split(v) if isinstance(v, str) else [str(x) for x in v]


def port(p):
    if isinstance(p, dict):
        return "%s:%s:%s/%s" % (p.get("host_ip", ""), p.get("published", ""),
                                p["target"], p.get("protocol", "tcp"))
    s = str(p)
    proto = "tcp"
    if "/" in s:
        s, proto = s.split("/")
    parts = s.split(":")
    target = parts[-1]
    published = parts[-2] if len(parts) > 1 else ""
    ip = ":".join(parts[:-2]) if len(parts) > 2 else ""
    return "%s:%s:%s/%s" % (ip, published, target, proto)


def volume(v):
    if isinstance(v, dict):
        return "%s:%s:%s:%s" % (v["type"], v.get("source", ""), v["target"],
                                "ro" if v.get("read_only") else "rw")
    parts = v.split(":")
    if len(parts) == 1:
        return "volume::%s:rw" % parts[0]
    kind = "bind" if parts[0][:1] in "/.~" else "volume"
    mode = "ro" if len(parts) > 2 and "ro" in parts[2].split(",") else "rw"
    return "%s:%s:%s:%s" % (kind, parts[0], parts[1], mode)


def env(e):
    if isinstance(e, list):
        e = dict(x.split("=", 1) if "=" in x else (x, None) for x in e)
    return {k: (None if v is None else str(v)) for k, v in (e or {}).items()}


def health(h):
    t = (h or {}).get("test")
    if isinstance(t, str):
        t = ["CMD-SHELL", t]
    return t


def deps(d):
    if isinstance(d, list):
        return {x: "service_started" for x in d}
    return {k: (v or {}).get("condition", "service_started") for k, v in (d or {}).items()}


def service(s):
    return {
        "image": s.get("image"),
        "environment": env(s.get("environment")),
        "command": cmd(s.get("command")),
        "entrypoint": cmd(s.get("entrypoint")),
        "ports": sorted(port(p) for p in s.get("ports", [])),
        "volumes": sorted(volume(v) for v in s.get("volumes", [])),
        "depends_on": deps(s.get("depends_on")),
        "healthcheck": health(s.get("healthcheck")),
        "labels": env(s.get("labels")),
        "profiles": sorted(s.get("profiles", [])),
    }


doc = json.load(sys.stdin) if sys.argv[1] == "json" else yaml.safe_load(sys.stdin)
out = {name: service(s) for name, s in (doc.get("services") or {}).items()}
json.dump(out, sys.stdout, indent=1, sort_keys=True)
print()

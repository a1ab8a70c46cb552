#!/usr/bin/python3
# tests/integration/containers/oldrecord/shape.py FILE - the shape of a JSON document: one
# line per key path, in the document's own order ("State.Health.Log[].Output"), each path
# once; values left out. Two records of the same shape print the same lines (oldrecord.t).
import json
import sys


def walk(v, path, out):
    if isinstance(v, dict):
        for k, x in v.items():
            p = f"{path}.{k}" if path else k
            if p not in out:
                out.append(p)
            walk(x, p, out)
    elif isinstance(v, list):
        for x in v:
            walk(x, path + "[]", out)


out = []
with open(sys.argv[1]) as f:
    walk(json.load(f), "", out)
print("\n".join(out))

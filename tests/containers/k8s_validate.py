#!/usr/bin/python3
"""k8s_validate.py FILE... - validate Kubernetes manifests offline against
the API schema, as the API server would, with no cluster.

The schema is the one Debian's python3-kubernetes was generated from (the
OpenAPI spec of its Kubernetes release): every object is walked against
its model class's openapi_types and attribute_map, so an unknown field
(a typo, or a field in the wrong place) or a value of the wrong type is an
error, which `kubectl apply` would also refuse; then the client's own
deserializer checks required fields.  A few API-server rules the schema
cannot express are checked too (names, selectors, capability names).

Prints one line per problem and exits 1 if there is any.
"""
import re
import sys

import yaml
from kubernetes import client

API = client.ApiClient()
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
CAP = re.compile(r"^[A-Z_]+$")


class Problems(list):
    def add(self, where, msg):
        self.append(f"{where}: {msg}")


def model(name):
    return getattr(client.models, name, None)


def walk(value, typ, where, out):
    """Check VALUE against the client's type string TYP."""
    if typ == "object":
        return
    if typ == "str" or typ == "datetime":
        if not isinstance(value, str):
            out.add(where, f"expected a string, got {type(value).__name__} {value!r}")
        return
    if typ == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            out.add(where, f"expected an integer, got {value!r}")
        return
    if typ == "float":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            out.add(where, f"expected a number, got {value!r}")
        return
    if typ == "bool":
        if not isinstance(value, bool):
            out.add(where, f"expected true or false, got {value!r}")
        return
    m = re.match(r"^list\[(.*)\]$", typ)
    if m:
        if not isinstance(value, list):
            out.add(where, f"expected a list, got {value!r}")
            return
        for i, v in enumerate(value):
            walk(v, m.group(1), f"{where}[{i}]", out)
        return
    m = re.match(r"^dict\(([^,]*), (.*)\)$", typ)
    if m:
        if not isinstance(value, dict):
            out.add(where, f"expected a map, got {value!r}")
            return
        for k, v in value.items():
            if not isinstance(k, str):
                out.add(where, f"key {k!r} is not a string")
            walk(v, m.group(2), f"{where}.{k}", out)
        return
    cls = model(typ)
    if cls is None:
        out.add(where, f"no schema for type {typ}")
        return
    if not isinstance(value, dict):
        out.add(where, f"expected an object ({typ}), got {value!r}")
        return
    by_json = {j: a for a, j in cls.attribute_map.items()}
    for k, v in value.items():
        if k not in by_json:
            out.add(where, f"unknown field \"{k}\" in {typ}")
            continue
        walk(v, cls.openapi_types[by_json[k]], f"{where}.{k}", out)


def kind_class(doc, where, out):
    api_version, kind = doc.get("apiVersion"), doc.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str):
        out.add(where, "apiVersion and kind are required")
        return None
    group, _, version = api_version.rpartition("/")
    cls_name = version.capitalize() + kind
    cls = model(cls_name)
    # The kind must be served by that group/version: its API class has a
    # create method for it.
    api = getattr(client, (group.split(".")[0].capitalize() if group else "Core")
                  + version.capitalize() + "Api", None)
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", kind).lower()
    if cls is None or api is None or not (
            hasattr(api, f"create_namespaced_{snake}") or hasattr(api, f"create_{snake}")):
        out.add(where, f"{api_version} has no kind {kind}")
        return None
    return cls_name


def pod_spec(doc):
    kind = doc.get("kind")
    spec = doc.get("spec") or {}
    if kind == "Pod":
        return spec
    if kind in ("Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job"):
        return (spec.get("template") or {}).get("spec") or {}
    return None


def semantics(doc, where, out):
    """API-server rules the OpenAPI schema does not carry."""
    meta = doc.get("metadata") or {}
    name = meta.get("name")
    if not name or not DNS_LABEL.match(str(name)):
        out.add(where, f"metadata.name {name!r} is not a DNS label")
    spec = doc.get("spec") or {}
    if doc.get("kind") in ("Deployment", "DaemonSet", "StatefulSet", "ReplicaSet"):
        sel = ((spec.get("selector") or {}).get("matchLabels")) or {}
        labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        if not sel:
            out.add(where, "spec.selector.matchLabels is required")
        for k, v in sel.items():
            if labels.get(k) != v:
                out.add(where, f"selector {k}={v} does not match the template's labels")
    pod = pod_spec(doc)
    if pod is None:
        return
    names = set()
    for c in pod.get("containers") or []:
        n = c.get("name")
        if not n or not DNS_LABEL.match(str(n)):
            out.add(where, f"container name {n!r} is not a DNS label")
        if n in names:
            out.add(where, f"container name {n!r} twice")
        names.add(n)
        caps = ((c.get("securityContext") or {}).get("capabilities")) or {}
        for c2 in (caps.get("add") or []) + (caps.get("drop") or []):
            # runtimes prefix CAP_ themselves: "CAP_IPC_LOCK" becomes
            # CAP_CAP_IPC_LOCK and is rejected or ignored
            if not CAP.match(str(c2)) or str(c2).startswith("CAP_"):
                out.add(where, f"capability {c2!r}: write it as IPC_LOCK, not CAP_IPC_LOCK")
    vols = {v.get("name") for v in pod.get("volumes") or []}
    for c in pod.get("containers") or []:
        for m in c.get("volumeMounts") or []:
            if m.get("name") not in vols:
                out.add(where, f"volumeMount {m.get('name')!r} names no volume")


def validate(path):
    out = Problems()
    try:
        docs = list(yaml.safe_load_all(open(path)))
    except (OSError, yaml.YAMLError) as e:
        out.add(path, f"not YAML: {e}")
        return out
    n = 0
    for i, doc in enumerate(docs):
        if doc is None:
            continue
        n += 1
        where = f"{path}[{i}]"
        if not isinstance(doc, dict):
            out.add(where, "not an object")
            continue
        cls_name = kind_class(doc, where, out)
        if cls_name is None:
            continue
        walk(doc, cls_name, where, out)
        before = len(out)
        semantics(doc, where, out)
        if len(out) == before:
            try:
                # required fields, enum-free: the client's own checks
                API._ApiClient__deserialize(doc, cls_name)
            except (ValueError, TypeError) as e:
                out.add(where, f"{cls_name}: {e}")
    if n == 0:
        out.add(path, "no object")
    return out


def main():
    if len(sys.argv) < 2:
        print("usage: k8s_validate.py FILE...", file=sys.stderr)
        return 2
    bad = 0
    for p in sys.argv[1:]:
        probs = validate(p)
        for line in probs:
            print(line)
        bad += len(probs)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

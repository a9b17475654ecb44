#!/usr/bin/env python3
"""Writes hostile OpenAPI documents (JSON) for measuring the generator.

  scripts/hostile-doc.py big OUT.json [MB]        many schemas, all named `A...`, and operations
  scripts/hostile-doc.py property OUT.json [N]    S0.next -> S1 -> ... -> S(N-1), each an object
  scripts/hostile-doc.py allof OUT.json [N]       Si: allOf [$ref S(i+1)]
  scripts/hostile-doc.py alias OUT.json [N]       Si: $ref S(i+1)
  scripts/hostile-doc.py array OUT.json [N]       Si: array of $ref S(i+1) (no type of its own)
  scripts/hostile-doc.py nested OUT.json [N]      N nested `[` in the document text

`big` is what issue 20 measured (a 50 MB document): every schema name starts
with the same letter, so a module split by initial letter puts all of them in
one file. Then:

  /usr/bin/time -v target/release/xtask generate --spec OUT.json --crate /tmp/x
"""

import json
import sys


def base():
    return {"openapi": "3.0.3", "info": {"title": "Hostile", "version": "1"}, "paths": {}, "components": {"schemas": {}}}


def big(mb):
    doc = base()
    schemas = doc["components"]["schemas"]
    paths = doc["paths"]
    target = mb * 1024 * 1024
    size = 0
    i = 0
    while size < target:
        name = f"Account{i:06d}"
        props = {
            f"field_{k}": {"type": "string", "description": f"Field {k} of {name}."}
            for k in range(12)
        }
        props["status"] = {"type": "string", "enum": ["active", "inactive", "pending"]}
        props["parent"] = {"$ref": f"#/components/schemas/Account{max(i - 1, 0):06d}"}
        schemas[name] = {"type": "object", "description": f"An account record number {i}.", "properties": props, "required": ["field_0"]}
        if i % 4 == 0:
            paths[f"/accounts{i}/{{id}}"] = {
                "get": {
                    "operationId": f"getAccount{i}",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}},
                }
            }
        size += 1295
        i += 1
    return doc


def chain(kind, n):
    doc = base()
    schemas = doc["components"]["schemas"]
    for i in range(n):
        nxt = f"#/components/schemas/S{i + 1}"
        last = i == n - 1
        if kind == "property":
            props = {"id": {"type": "string"}}
            if not last:
                props["next"] = {"$ref": nxt}
            schemas[f"S{i}"] = {"type": "object", "properties": props}
        elif kind == "array":
            schemas[f"S{i}"] = {"type": "object", "properties": {"id": {"type": "string"}}} if last else {"type": "array", "items": {"$ref": nxt}}
        elif kind == "allof":
            schemas[f"S{i}"] = {"type": "object", "properties": {"id": {"type": "string"}}} if last else {"allOf": [{"$ref": nxt}]}
        else:
            schemas[f"S{i}"] = {"type": "object", "properties": {"id": {"type": "string"}}} if last else {"$ref": nxt}
    doc["paths"]["/s"] = {"get": {"operationId": "getS", "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}}}}}
    return doc


def main():
    kind, out = sys.argv[1], sys.argv[2]
    arg = int(sys.argv[3]) if len(sys.argv) > 3 else None
    with open(out, "w") as f:
        if kind == "big":
            json.dump(big(arg or 50), f)
        elif kind == "nested":
            f.write('{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "x-deep": ' + "[" * (arg or 100000) + "]" * (arg or 100000) + "}")
        else:
            json.dump(chain(kind, arg or 5000), f)


if __name__ == "__main__":
    main()

"""--self-test of the botocore differential (see diff_botocore.py): each mutation changes one
thing in one case — our outcome, our repaired outcome or botocore's answer — of a kind the
comparison must catch, one per hole it closes. The run passes only if every mutation is
reported as a failure of its own case, nothing else fails, and the unused-category check
reports a category whose count is taken away.
"""

import decimal
import re

import checks
from gen import MODELED_ERRORS

BEYOND_PYTHON = (-62135596800, 253402300800)


def _timestamps(node, out):
    """Every (holder dict, key) of a createdAt in our rendered output."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "createdAt" and isinstance(v, str):
                out.append((node, k))
            else:
                _timestamps(v, out)
    elif isinstance(node, list):
        for v in node:
            _timestamps(v, out)
    return out


def tamper(bc, cases, outputs, repaired):
    """Applies the mutations; returns {mutation: case id}."""
    done = {}

    def mark(name, case):
        done[name] = case["id"]

    for case, o in zip(cases, outputs):
        if case["id"] in done.values():
            continue
        kind, result = case["kind"], o.get("result")
        if kind == "request":
            if result != "sent":
                continue
            # Requests: each compared field, and the signature itself.
            if "method" not in done:
                o["method"] = "PUT"
                mark("method", case)
            elif "path" not in done:
                o["path"] = "/other"
                mark("path", case)
            elif "host" not in done:
                o["host"] = "example.com:1"
                mark("host", case)
            elif "signed-set" not in done:
                o["authorization"] = o["authorization"].replace("x-amz-target;", "")
                mark("signed-set", case)
            elif "signature" not in done:
                sig = o["authorization"][-1]
                o["authorization"] = o["authorization"][:-1] + ("0" if sig != "0" else "1")
                mark("signature", case)
            elif "body" not in done:
                o["body_hex"] = o["body_hex"].replace("7b22", "7b2220", 1)  # {" -> {"<space>
                mark("body", case)
            continue
        status, body = case["status"], case["body"]
        if case["id"].endswith("malformed_truncated_json.http") and "malformed-botocore" not in done:
            # botocore's actual answer is consulted: one with content is a difference.
            bc.parse_overrides[body] = {"deployments": [{"version": 1}]}
            mark("malformed-botocore", case)
        elif status >= 500 and o.get("code") is None and (not body.strip() or body.strip().startswith(b"<html>")):
            if "generic-5xx-code" not in done:
                o["code"] = "InternalFailure"
                mark("generic-5xx-code", case)
            elif "generic-5xx-message" not in done:
                o["message"] = (o["message"] or "") + "x"
                mark("generic-5xx-message", case)
        elif status < 300 and result == "error" and case["id"] in repaired:
            if "named-byte" not in done:
                # A rejection is explained only by the value its error names.
                o["chain"] = re.sub(r"at byte \d+$", "at byte 0", o["chain"])
                mark("named-byte", case)
            elif "repaired-output" not in done and repaired[case["id"]].get("result") == "ok":
                # Confinement: the rest of the response must still be equal.
                repaired[case["id"]]["request_id"] = "other"
                mark("repaired-output", case)
        elif status < 300 and result == "ok":
            stamps = _timestamps(o["output"], [])
            beyond = [(h, k) for h, k in stamps if not BEYOND_PYTHON[0] <= decimal.Decimal(h[k]) < BEYOND_PYTHON[1]]
            deps = o["output"].get("deployments")
            if beyond and "beyond-python" not in done:
                holder, key = beyond[0]
                holder[key] = str(decimal.Decimal(holder[key]) + 1)
                mark("beyond-python", case)
            elif stamps and "ts+1ns" not in done:
                holder, key = stamps[0]
                holder[key] = str(decimal.Decimal(holder[key]) + checks.NS)
                mark("ts+1ns", case)
            elif deps and "drop-item" not in done:
                deps.pop()
                mark("drop-item", case)
            elif deps and "version" in deps[0] and "version" not in done:
                deps[0]["version"] += 1
                mark("version", case)
            elif "request-id" not in done:
                o["request_id"] = "other"
                mark("request-id", case)
        elif result == "error" and o.get("variant") in MODELED_ERRORS:
            if o["members"] and "members" not in done:
                o["members"][sorted(o["members"])[0]] += "x"
                mark("members", case)
            elif "variant" not in done:
                o["variant"] = "Unhandled"
                mark("variant", case)
    return done


WANTED = {
    "method", "path", "host", "signed-set", "signature", "body", "malformed-botocore",
    "generic-5xx-code", "generic-5xx-message", "named-byte", "repaired-output",
    "beyond-python", "ts+1ns", "drop-item", "version", "request-id", "members", "variant",
}


def verdict(mutations, failures, counts, unused_categories):
    """Exit status of --self-test, with one line per finding."""
    caught = {case["id"] for case, _, _ in failures}
    missed = sorted(m for m, case_id in mutations.items() if case_id not in caught)
    extra = sorted(caught - set(mutations.values()))
    absent = sorted(WANTED - set(mutations))
    for name, case_id in sorted(mutations.items()):
        why = next((w for c, w, _ in failures if c["id"] == case_id), "NOT CAUGHT")
        print("self-test %-20s %-40s %s" % (name, case_id, why[:150]))
    # The unused-category check: take one used category's count away.
    used = sorted(c for c, n in counts.items() if n > 0)
    probe = dict(counts, **{used[0]: 0}) if used else {}
    unused_ok = bool(used) and used[0] in unused_categories(probe)
    print("self-test: %d mutations, %d caught, missed %s, not applied %s, unexpected failures %s, unused-category check %s" % (len(mutations), len(mutations) - len(missed), missed, absent, extra, "ok" if unused_ok else "BROKEN"))
    return 1 if missed or extra or absent or not unused_ok else 0

#!/usr/bin/env python3
"""Differential test: the generated `lightsail` crate against botocore (pinned in .ci/run).

Cases
  * every recorded response in tests/recorded/get_container_service_deployments/*.http;
  * --random (default 600) responses generated with a fixed --seed from botocore's own
    Lightsail model (gen.py): random counts, unicode/escaped strings, missing members, nulls,
    unknown fields, unknown enum values, duplicate keys, timestamps in integer/fraction/
    exponent forms, boundary integers; about a third are error responses; a few carry
    deliberately out-of-contract values (the categories in checks.py);
  * --requests (default 200) request inputs (serviceName) plus one with no serviceName.

Both sides
  * botocore: its json parser over each response (plus _add_modeled_error_fields for
    errors), and a real botocore client (same credentials, same fixed clock, same endpoint)
    for each request, captured before sending.
  * ours: tests/src/bin/parse_response.rs, which serves every case from one loopback
    server to one real lightsail::Client (retries disabled) and prints canonical JSON.

Every case is compared with botocore's actual outcome, whichever side rejects:
  * success responses: output member by member at botocore's precision, and exactly
    against the wire text (timestamps to the nanosecond, in or out of Python's range);
    a rejection by us is explained only by the out-of-contract value our error names (its
    byte offset lies in that value's span, its message fits the category), and then the
    body with the out-of-contract values replaced ("repaired") must give equal results on
    both sides, and botocore's results for the two bodies must differ only there;
  * errors: code, message, variant, status and modeled members; every difference must fall
    in a category for that exact field;
  * requests: method, path, host, X-Amz-Target, Content-Type, body (as JSON), credential
    scope and the set of signed headers against the botocore client's request; and the
    signature against botocore's SigV4Auth over the request exactly as we sent it
    (independent of the aws-sigv4 crate our client uses).
Each explained difference is a (category, field) pair; checks.EXPLAINED lists the field
each category excuses. The summary prints equal / explained-per-category / unexplained
counts; any unexplained case, or a category that no case uses, fails the run (exit 1).

--self-test tampers with one thing in some cases (ours or botocore's answer), one per hole
the comparison must close, and exits 0 only if every tampering is reported and nothing else.
"""

import argparse
import collections
import datetime
import json
import os
import random
import subprocess
import sys
import time

import botocore.auth
import botocore.awsrequest
import botocore.config
import botocore.credentials
import botocore.parsers
import botocore.session

import checks
import gen
import selftest
import wire
from checks import Diff

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RECORDED = os.path.join(ROOT, "tests", "recorded", "get_container_service_deployments")
OPERATION = "GetContainerServiceDeployments"
REGION = "us-east-1"

# Credentials and clock of both clients (ours gets them on its first input line). Not the
# values of the Rust tests, so a client that ignored them would sign differently.
SIGNING = {
    "access_key": "AKIDDIFFERENTIAL",
    "secret_key": "differential/secret+key/EXAMPLE",
    "session_token": "differential-session-token//+==",
    "epoch_secs": 1749283750,  # 2025-06-07T08:09:10Z
}
FIXED_NOW = datetime.datetime(2025, 6, 7, 8, 9, 10)
# botocore's signers read the clock through this function only.
botocore.auth.get_current_datetime = lambda remove_tzinfo=True: FIXED_NOW


class _Body:
    def __init__(self, data):
        self.data = data

    def stream(self, **_):
        yield self.data


class Botocore:
    def __init__(self):
        self.session = botocore.session.get_session()
        self.service = self.session.get_service_model("lightsail")
        self.op = self.service.operation_model(OPERATION)
        self.output_shape = self.op.output_shape
        self.error_shapes = {s.name: s for s in self.op.error_shapes}
        self.parser = botocore.parsers.create_parser("json")
        self.credentials = botocore.credentials.Credentials(SIGNING["access_key"], SIGNING["secret_key"], SIGNING["session_token"])
        self.client = self.endpoint = None
        self.captured = []
        self.parse_overrides = {}  # body -> result (--self-test only)

    def parse(self, status, headers, body):
        """What a botocore client returns for this response (the dict it raises from, for
        errors), without ResponseMetadata."""
        if body in self.parse_overrides:
            return self.parse_overrides[body]
        hdrs = botocore.awsrequest.HeadersDict()
        for name, value in headers:
            hdrs[name] = value
        response = {"status_code": status, "headers": hdrs, "body": body}
        parsed = self.parser.parse(response, self.output_shape)
        if status >= 301:
            # botocore.endpoint.Endpoint._add_modeled_error_fields
            code = parsed.get("Error", {}).get("Code")
            shape = self.service.shape_for_error_code(code) if code is not None else None
            if shape is not None:
                parsed.update(self.parser.parse(response, shape))
        parsed.pop("ResponseMetadata", None)
        return parsed

    def try_parse(self, status, headers, body):
        """(result, None) or (None, "Exception: text"): botocore has no typed parse errors."""
        try:
            return self.parse(status, headers, body), None
        except Exception as e:
            return None, "%s: %s" % (type(e).__name__, e)

    def parse_error_shape(self, name, status, headers, body):
        hdrs = botocore.awsrequest.HeadersDict()
        for n, v in headers:
            hdrs[n] = v
        response = {"status_code": status, "headers": hdrs, "body": body}
        return self.parser.parse(response, self.service.shape_for_error_code(name))

    def client_request(self, endpoint, params):
        """The request a real botocore client sends for `params` to `endpoint` (captured
        before sending and answered with `{}`); raises ParamValidationError."""
        endpoint = endpoint or self.endpoint or "http://127.0.0.1:9"
        if self.client is None or endpoint != self.endpoint:
            session = botocore.session.get_session()
            session.set_credentials(SIGNING["access_key"], SIGNING["secret_key"], SIGNING["session_token"])
            config = botocore.config.Config(retries={"total_max_attempts": 1})
            self.client = session.create_client("lightsail", region_name=REGION, endpoint_url=endpoint, config=config)
            self.client.meta.events.register("before-send.lightsail", self._capture)
            self.endpoint = endpoint
        self.captured = []
        self.client.get_container_service_deployments(**params)
        return self.captured[-1]

    def _capture(self, request, **_):
        self.captured.append(request)
        return botocore.awsrequest.AWSResponse(request.url, 200, {"x-amzn-RequestId": "captured"}, _Body(b"{}"))

    def resign(self, ours, signed):
        """botocore's SigV4Auth over our request: our method, URL and body, and our values of
        the headers we signed (botocore sets host, X-Amz-Date and the token itself, from the
        URL, the fixed clock and the credentials)."""
        names = [n for n, _ in ours["headers"]]
        if len(names) != len(set(names)):
            raise Diff("a header sent twice: %s" % names)
        own = {"host", "x-amz-date", "x-amz-security-token"}
        headers = {n: v for n, v in ours["headers"] if n in signed and n not in own}
        request = botocore.awsrequest.AWSRequest(method=ours["method"], url=ours["endpoint"] + ours["path"], data=bytes.fromhex(ours["body_hex"]), headers=headers)
        botocore.auth.SigV4Auth(self.credentials, self.service.signing_name, REGION).add_auth(request)
        sent = dict(ours["headers"])
        for name in ("x-amz-date", "x-amz-security-token"):
            if sent.get(name) != request.headers.get(name):
                raise Diff("%s: ours %r, botocore %r" % (name, sent.get(name), request.headers.get(name)))
        return request.headers["Authorization"]


def build_ours(args):
    """The parse_response binary (built unless --bin names one)."""
    if args.bin:
        return args.bin
    cmd = ["cargo", "build", "-q", "-p", "lightsail-tests", "--bin", "parse_response"]
    if args.release:
        cmd.append("--release")
    subprocess.run(cmd, cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release" if args.release else "debug", "parse_response")




def run_ours(binary, cases):
    """Our outcome of every case, in order (one parse_response process for all)."""
    lines = [json.dumps({"signing": SIGNING})]
    for case in cases:
        if case["kind"] == "response":
            lines.append(json.dumps({"id": case["id"], "status": case["status"], "headers": case["headers"], "body_hex": case["body"].hex()}))
        else:
            lines.append(json.dumps({"id": case["id"], "request": case["params"]}))
    run = subprocess.run([binary], input=("\n".join(lines) + "\n").encode(), capture_output=True, check=False)
    if run.returncode != 0:
        sys.stderr.write(run.stderr.decode("utf-8", "replace"))
        raise SystemExit("parse_response failed with status %d" % run.returncode)
    outputs = [json.loads(l) for l in run.stdout.decode("utf-8").split("\n") if l.strip()]
    if len(outputs) != len(cases) or any(o["id"] != c["id"] for o, c in zip(outputs, cases)):
        raise SystemExit("parse_response printed %d lines for %d cases, or out of order" % (len(outputs), len(cases)))
    return outputs


def rejected_findings(bc, case):
    """The out-of-contract values of a success case that our client must reject."""
    if case["kind"] != "response" or case["status"] >= 300:
        return []
    try:
        tree = wire.read(case["body"])
    except ValueError:
        return []
    if tree.kind != "object":
        return []
    findings = []
    wire.out_of_contract(bc.output_shape, tree, "$", findings)
    return findings if any(f.category in wire.REJECTED for f in findings) else []


def check_case(bc, case, ours, repaired):
    if case["kind"] == "request":
        return checks.check_request(bc, case["params"], ours)
    status, headers, body = case["status"], case["headers"], case["body"]
    if status >= 300:
        return checks.check_error(bc, status, headers, body, ours)
    seen = checks.check_success(bc, status, headers, body, ours, repaired)
    # The generator's own record of what it injected must agree with the outcome.
    injected = (case.get("tags") or set()) & wire.REJECTED
    if injected and ours["result"] == "ok":
        raise Diff("the generator injected %s, ours accepted the response" % sorted(injected))
    return seen


def unused_categories(counts):
    return sorted(set(checks.EXPLAINED) - {c for c, n in counts.items() if n > 0})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=20161128)
    ap.add_argument("--random", type=int, default=600, help="random responses (default 600)")
    ap.add_argument("--requests", type=int, default=200, help="random request inputs (default 200)")
    ap.add_argument("--bin", help="a built parse_response (default: cargo build it)")
    ap.add_argument("--release", action="store_true", help="build parse_response in release mode")
    ap.add_argument("--show", type=int, default=20, help="failures to print in full")
    ap.add_argument("--self-test", action="store_true", help="tamper with some cases and check that every tampering is reported (exit 0 if so)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every explained case")
    args = ap.parse_args()

    started = time.time()
    bc = Botocore()
    rng = random.Random(args.seed)
    cases = []
    for name in sorted(os.listdir(RECORDED)):
        if name.endswith(".http"):
            status, headers, body = gen.load_recorded(os.path.join(RECORDED, name))
            cases.append({"id": "recorded/" + name, "kind": "response", "status": status, "headers": headers, "body": body})
    n_recorded = len(cases)
    for i in range(args.random):
        status, headers, body, tags = gen.random_error(rng, bc) if rng.random() < 0.33 else gen.random_success(rng, bc)
        cases.append({"id": "random/%d" % i, "kind": "response", "status": status, "headers": headers, "body": body, "tags": tags})
    n_random = len(cases) - n_recorded
    for i in range(args.requests):
        cases.append({"id": "request/%d" % i, "kind": "request", "params": {"serviceName": gen.random_service_name(rng)}})
    cases.append({"id": "request/missing", "kind": "request", "params": {}})
    n_requests = args.requests + 1

    binary = build_ours(args)
    outputs = run_ours(binary, cases)
    # Second run: the success cases we must reject, with their out-of-contract values replaced.
    repairs = []
    for case in cases:
        findings = rejected_findings(bc, case)
        if findings:
            repairs.append(dict(case, id=case["id"] + "#repaired", body=wire.repair(case["body"], findings)))
    repaired = {o["id"][: -len("#repaired")]: o for o in run_ours(binary, repairs)} if repairs else {}

    mutations = selftest.tamper(bc, cases, outputs, repaired) if args.self_test else {}

    counts = collections.Counter()
    equal = explained = 0
    failures = []
    for case, ours in zip(cases, outputs):
        try:
            seen = check_case(bc, case, ours, repaired.get(case["id"]))
            unknown = {c for c, _ in seen} - set(checks.EXPLAINED)
            if unknown:
                raise Diff("unlisted categories %s" % sorted(unknown))
        except Diff as d:
            failures.append((case, str(d), ours))
            continue
        except Exception as e:  # a crash of the comparison itself is a failure too
            failures.append((case, "%s: %s" % (type(e).__name__, e), ours))
            continue
        if seen:
            explained += 1
            for c in {c for c, _ in seen}:
                counts[c] += 1
            if args.verbose:
                print("explained %s: %s" % (case["id"], ", ".join("%s at %s" % p for p in sorted(seen))))
        else:
            equal += 1

    shown = failures if not args.self_test else [f for f in failures if f[0]["id"] not in mutations.values()]
    for case, why, ours in shown[: args.show]:
        print("FAIL %s: %s" % (case["id"], why))
        if case["kind"] == "response":
            print("  status %d headers %r" % (case["status"], case["headers"]))
            print("  body %r" % case["body"][:600])
        else:
            print("  input %r" % case["params"])
        print("  ours %s" % json.dumps(ours, ensure_ascii=False)[:600])
    print("cases: %d recorded responses, %d random responses (seed %d), %d requests; %d repaired bodies re-run" % (n_recorded, n_random, args.seed, n_requests, len(repairs)))
    print("equal: %d" % equal)
    print("explained: %d cases" % explained)
    for c in sorted(checks.EXPLAINED):
        field, why = checks.EXPLAINED[c]
        print("  %-28s %4d  excuses: %s" % (c, counts[c], field))
        if args.verbose:
            print("  %-28s       why: %s" % ("", why))
    print("unexplained: %d" % len(failures))
    unused = unused_categories(counts)
    if unused:
        print("categories no case uses (remove them or make them reachable): %s" % unused)
    print("time: %.1fs" % (time.time() - started))
    if args.self_test:
        return selftest.verdict(mutations, failures, counts, unused_categories)
    return 1 if failures or unused else 0


if __name__ == "__main__":
    sys.exit(main())

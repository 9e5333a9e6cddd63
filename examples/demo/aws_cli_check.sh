#!/usr/bin/env bash
# Checks the AWS CLI and the project's SDK against the same loopback demo endpoint:
# `aws lightsail get-container-service-deployments --service-name demo` must return exactly the
# deployments the server served; the `get_deployments` example (the generated SDK) must print
# the same deployments, field by field; and an unknown service must give the
# NotFoundException message through both.
#
# Usage: [BIN_DIR=dir] examples/demo/aws_cli_check.sh   (from anywhere; builds the examples
# with cargo unless BIN_DIR holds them)
# Exits 0 when the check passes, 1 on failure, 77 when `aws` or python3 is missing (a skip,
# reported as such by `cargo xtask test`); under CI (CI=true) a missing tool is a failure.
set -euo pipefail

skip() {
    if [ -n "${CI:-}" ] && [ "${CI:-}" != "false" ] && [ "${CI:-}" != "0" ]; then
        echo "aws_cli_check: FAILED: $1 (CI must run this check; .ci/run installs awscli)" >&2
        exit 1
    fi
    echo "aws_cli_check: SKIPPED: $1" >&2
    exit 77
}
command -v aws >/dev/null 2>&1 || skip "the aws CLI is not installed (pip install awscli)"
command -v python3 >/dev/null 2>&1 || skip "python3 is needed to compare the JSON"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
# BIN_DIR: where `demo_server` and `get_deployments` are already built (`cargo xtask test`
# passes the test build's, so they are not compiled a second time with other features).
if [ -n "${BIN_DIR:-}" ]; then
    bins="$BIN_DIR"
else
    cargo build --quiet -p lightsail-examples --bin demo_server --bin get_deployments
    bins="${CARGO_TARGET_DIR:-$root/target}"
    case "$bins" in /*) ;; *) bins="$root/$bins" ;; esac
    bins="$bins/debug"
fi
server_bin="$bins/demo_server"
sdk_bin="$bins/get_deployments"

tmp="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

"$server_bin" --timeout-secs 120 >"$tmp/server.out" 2>"$tmp/server.log" &
server_pid=$!
url=""
for _ in $(seq 1 100); do
    url="$(sed -n 's/^listening on //p' "$tmp/server.out")"
    [ -n "$url" ] && break
    sleep 0.1
done
if [ -z "$url" ]; then
    echo "aws_cli_check: FAILED: demo_server did not start" >&2
    cat "$tmp/server.log" >&2
    exit 1
fi
echo "aws_cli_check: demo endpoint $url ($(aws --version 2>&1))"

# Dummy credentials only; no profile, no config files, no instance metadata.
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
export AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=/dev/null
export AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_PAGER=""
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_LIGHTSAIL

aws_call() {
    timeout 60 aws lightsail get-container-service-deployments --service-name "$1" \
        --endpoint-url "$url" --region us-east-1 --output json --cli-read-timeout 10 --cli-connect-timeout 10
}

if ! aws_call demo >"$tmp/cli.json" 2>"$tmp/cli.err"; then
    echo "aws_cli_check: FAILED: the CLI call for service demo failed:" >&2
    cat "$tmp/cli.err" "$tmp/server.log" >&2
    exit 1
fi
"$server_bin" --print-body demo >"$tmp/served.json"

python3 - "$tmp/cli.json" "$tmp/served.json" <<'PY'
import datetime, json, sys

cli = json.load(open(sys.argv[1]))
served = json.load(open(sys.argv[2]))

def epoch(value):
    """createdAt as epoch seconds: the CLI prints a number (v1) or an ISO 8601 string (v2)."""
    if isinstance(value, (int, float)):
        return float(value)
    text = value.replace("Z", "+00:00")
    return datetime.datetime.fromisoformat(text).timestamp()

def normalized(deployments):
    out = []
    for d in deployments:
        d = dict(d)
        d["createdAt"] = round(epoch(d["createdAt"]), 3)
        out.append(d)
    return out

got = normalized(cli.get("deployments", []))
want = normalized(served["deployments"])
if got != want:
    print("aws_cli_check: FAILED: the CLI's deployments differ from the served ones", file=sys.stderr)
    print("CLI:    " + json.dumps(got, sort_keys=True), file=sys.stderr)
    print("served: " + json.dumps(want, sort_keys=True), file=sys.stderr)
    sys.exit(1)
print("aws_cli_check: ok: %d deployments (versions %s) match" % (len(got), [d["version"] for d in got]))
PY

# The SDK: the get_deployments example (the generated crate) against the same endpoint.
if ! timeout 60 "$sdk_bin" --service-name demo --endpoint-url "$url" --region us-east-1 --json \
        >"$tmp/sdk.json" 2>"$tmp/sdk.err"; then
    echo "aws_cli_check: FAILED: get_deployments for service demo failed:" >&2
    cat "$tmp/sdk.err" "$tmp/server.log" >&2
    exit 1
fi
python3 - "$tmp/cli.json" "$tmp/sdk.json" <<'PY'
import datetime, decimal, json, sys

cli = json.load(open(sys.argv[1]), parse_float=decimal.Decimal)
sdk = json.load(open(sys.argv[2]), parse_float=decimal.Decimal)

# Fields the CLI prints that the example deliberately does not (its --json view leaves out
# container environment variables, which may hold secrets). Any other missing field fails.
NOT_PRINTED = {"deployments[].containers{}.environment"}

def epoch(value):
    """A timestamp as exact epoch seconds: the CLI prints a number (v1) or ISO 8601 (v2),
    the example ISO 8601 with milliseconds."""
    if isinstance(value, (int, decimal.Decimal)):
        return decimal.Decimal(value)
    dt = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    delta = dt - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    return decimal.Decimal(delta.days * 86400 + delta.seconds) + decimal.Decimal(delta.microseconds) / 1000000

problems, compared, skipped = [], [0], []

def walk(c, s, path, shape):
    if shape in NOT_PRINTED:
        skipped.append(path)
        return
    if path.endswith(".createdAt"):
        compared[0] += 1
        if epoch(c) != epoch(s):
            problems.append("%s: CLI %s, SDK %s" % (path, c, s))
        return
    if isinstance(c, dict) and isinstance(s, dict):
        for k in sorted(set(c) | set(s)):
            keyed = shape.endswith(("containers", "ports", "environment"))
            sub = shape + ("{}" if keyed else "." + k)
            if k not in c or k not in s:
                if sub in NOT_PRINTED and k not in s:
                    skipped.append("%s.%s" % (path, k))
                    continue
                problems.append("%s.%s: only in the %s output" % (path, k, "CLI" if k in c else "SDK"))
                continue
            walk(c[k], s[k], "%s.%s" % (path, k), sub)
    elif isinstance(c, list) and isinstance(s, list):
        if len(c) != len(s):
            problems.append("%s: %d items in the CLI output, %d in the SDK's" % (path, len(c), len(s)))
        for i, (x, y) in enumerate(zip(c, s)):
            walk(x, y, "%s[%d]" % (path, i), shape + "[]")
    else:
        compared[0] += 1
        if c != s:
            problems.append("%s: CLI %r, SDK %r" % (path, c, s))

walk(cli.get("deployments"), sdk.get("deployments"), "deployments", "deployments")
if problems:
    print("aws_cli_check: FAILED: get_deployments and the CLI differ:", file=sys.stderr)
    for p in problems:
        print("  " + p, file=sys.stderr)
    sys.exit(1)
print("aws_cli_check: ok: get_deployments (the SDK) prints the CLI's deployments: %d fields equal, %d not printed by the example (%s)" % (compared[0], len(skipped), ", ".join(sorted(NOT_PRINTED))))
PY

set +e
aws_call no-such-service >"$tmp/missing.out" 2>"$tmp/missing.err"
status=$?
"$sdk_bin" --service-name no-such-service --endpoint-url "$url" --region us-east-1 --json \
    >"$tmp/sdk_missing.out" 2>"$tmp/sdk_missing.err"
sdk_status=$?
set -e
expected='The container service "no-such-service" does not exist.'
if [ "$status" -eq 0 ] || ! grep -q "NotFoundException" "$tmp/missing.err" || ! grep -qF "$expected" "$tmp/missing.err"; then
    echo "aws_cli_check: FAILED: an unknown service should give NotFoundException: $expected (exit $status)" >&2
    cat "$tmp/missing.out" "$tmp/missing.err" >&2
    exit 1
fi
echo "aws_cli_check: ok: unknown service -> $(grep -F NotFoundException "$tmp/missing.err" | head -n 1)"
if [ "$sdk_status" -eq 0 ] || ! grep -q "NotFoundException" "$tmp/sdk_missing.err" || ! grep -qF "$expected" "$tmp/sdk_missing.err"; then
    echo "aws_cli_check: FAILED: get_deployments should report NotFoundException: $expected (exit $sdk_status)" >&2
    cat "$tmp/sdk_missing.out" "$tmp/sdk_missing.err" >&2
    exit 1
fi
echo "aws_cli_check: ok: get_deployments for an unknown service -> $(head -n 1 "$tmp/sdk_missing.err")"
echo "aws_cli_check: PASSED"

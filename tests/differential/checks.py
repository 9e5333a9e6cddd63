"""The comparisons of the botocore differential (see diff_botocore.py): one check per kind
of case, each returning the explained differences it found as (category, field) pairs or
raising Diff for an unexplained one.

A category excuses one exact field, named in its `field` text; every check verifies that
the difference is confined to that field (everything else is still compared).
"""

import datetime
import decimal
import http.client
import json
import re
import urllib.parse

import botocore.exceptions

import wire
from gen import MODELED_ERRORS

UTC = datetime.timezone.utc
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)
NS = decimal.Decimal("0.000000001")
decimal.getcontext().prec = 200

# Every explained difference category: (the exact field it excuses, why). A case whose only
# differences fall in these categories passes; anything else fails; a category no case
# uses fails the run.
EXPLAINED = {
    "null-in-collection": (
        "a null item of a list or null value of a map (the path of the collection)",
        "botocore treats every list and map as sparse and keeps null items / null map values; "
        "the generated types are dense (Vec<T>, HashMap<String, T>) and drop them",
    ),
    "int-out-of-contract": (
        "the one integer value our ResponseError names by byte offset",
        "a fraction (1.5) or a value outside i32: botocore passes any JSON number through; we reject",
    ),
    "timestamp-string": (
        "the one timestamp value our ResponseError names by byte offset",
        "a string where awsJson1_1 puts an epoch-seconds number: botocore accepts ISO-8601 / "
        "numeric strings via dateutil; we reject",
    ),
    "timestamp-beyond-python": (
        "the timestamp values outside years 1..9999 (compared with the exact wire value instead)",
        "Python's datetime cannot hold them, so botocore raises; aws_smithy_types::DateTime holds "
        "them and we return them",
    ),
    "type-mismatch": (
        "the one value of the wrong JSON type our error names by byte offset (for a modeled "
        "error: its variant and members, which become Unhandled)",
        "botocore does not check types and passes the value through (or crashes); we reject",
    ),
    "lone-surrogate": (
        "the one string with a lone \\uD800-\\uDFFF escape our ResponseError names by byte offset; "
        "in an error body (any string, even an unmodeled member): the code and message, as our "
        "error reader then treats the body as not JSON (no code, an excerpt as the message)",
        "Python strings can hold half a surrogate pair, Rust strings cannot (not Unicode scalar "
        "values); we reject",
    ),
    "malformed-json-body": (
        "the whole body, which is not JSON (success: botocore's output must be empty; error "
        "with a modeled code: the variant, Unhandled since no member can be read, and our "
        "error names the byte where the JSON breaks)",
        "botocore's _parse_body_as_json turns a body that is not JSON into {'message': body}, "
        "and the output shape has no `message`, so it returns an empty success; we reject",
    ),
    "error-code-header": (
        "the error code (ours: the sanitized X-Amzn-Errortype header)",
        "X-Amzn-Errortype gives the code (awsJson1_1 spec, checked first by us); botocore's json "
        "parser only reads __type and otherwise uses the HTTP status",
    ),
    "error-code-member": (
        "the error code (ours: the sanitized `code` member; no usable __type)",
        "we fall back to the `code` member as the error code; botocore uses the HTTP status",
    ),
    "error-no-code": (
        "the error code (ours: none; botocore's: the HTTP status or '')",
        "no code anywhere (or one empty after sanitizing, e.g. `ns#`)",
    ),
    "error-generic-5xx": (
        "the code and message of a 5xx with an empty or <html> body (ours: no code and "
        "'unrecognized error response: <excerpt>'; botocore's: the status and its reason phrase)",
        "botocore replaces such a body by the status line; we keep an excerpt of the body",
    ),
    "error-message-null": (
        "the message (ours: `Message` / `errorMessage` when `message` is null)",
        "botocore's body.get('message', ...) gives None; we skip nulls and take the next field",
    ),
    "error-message-other-field": (
        "the message (ours: `errorMessage`, the only message member present)",
        "we read errorMessage (as other AWS SDKs do); botocore reads only message and Message",
    ),
    "error-unparsed-body-message": (
        "the message of an error body with no message member (ours: 'unrecognized error "
        "response: <excerpt>' when there is no code either, none when a header gave the code "
        "and the body is not JSON; botocore's: the raw body or '')",
        "our error says what came back, and never passes a whole body off as a message",
    ),
    "error-message-not-string": (
        "the message when the `message` member is not a string (ours: none; botocore's: the value)",
        "botocore passes the JSON value through; a message is a string, so we ignore it",
    ),
    "duplicate-key-null": (
        "the map entry whose key is given twice, the last time as null",
        "json.loads keeps the last value (null, dropped as in null-in-collection); our dense maps "
        "skip a null value instead of removing the key, so the earlier value stays (structure "
        "members are not excused: there the last null wins on both sides)",
    ),
    "request-spelling": (
        "the request body bytes (both decode to the input, checked)",
        "botocore's json.dumps writes ': ' and escapes non-ASCII as \\uXXXX; we write compact UTF-8",
    ),
    "request-signed-extra": (
        "the SignedHeaders of Authorization: ours are botocore's plus exactly %s",
        "botocore adds amz-sdk-invocation-id, amz-sdk-request and Content-Length after signing and "
        "sends no x-amz-user-agent; aws-sdk-rust signs them all (SigV4 allows any set with host)",
    ),
}

# The headers we sign that botocore does not (request-signed-extra).
EXTRA_SIGNED = {"amz-sdk-invocation-id", "amz-sdk-request", "content-length", "x-amz-user-agent"}
EXPLAINED["request-signed-extra"] = (
    EXPLAINED["request-signed-extra"][0] % ", ".join(sorted(EXTRA_SIGNED)),
    EXPLAINED["request-signed-extra"][1],
)


class Diff(Exception):
    pass


# ---------------------------------------------------------------------------------------
# Timestamps


def dt_exact(dt):
    delta = dt - EPOCH
    return decimal.Decimal(delta.days * 86400 + delta.seconds) + decimal.Decimal(delta.microseconds) / 1000000


def at_botocore_precision(exact):
    """What botocore makes of a wire value equal to `exact`: fromtimestamp(float(text))."""
    return dt_exact(datetime.datetime.fromtimestamp(float(exact), UTC))


# ---------------------------------------------------------------------------------------
# Structural comparison (paths as in wire.py: $.deployments[0].version, $.m["key"])


def compare(shape, ours, theirs, path, leaf, exempt, seen):
    """Compares our dense value with botocore's (or the wire's) value, which may hold nulls
    in collections: those are recorded in `seen` with the collection's path and skipped.
    Paths use the wire's indices. Values at a path in `exempt` are not compared."""
    if path in exempt:
        return
    t = shape.type_name
    if t == "structure":
        if not isinstance(ours, dict) or not isinstance(theirs, dict):
            raise Diff("%s: %r vs %r" % (path, ours, theirs))
        # Unknown members of the wire are skipped (botocore's output has none).
        theirs = {k: v for k, v in theirs.items() if v is not None and k in shape.members}
        for k in sorted(set(ours) | set(theirs)):
            p = wire.member_path(path, k)
            if k not in shape.members:
                raise Diff("%s: not in the model" % p)
            if p in exempt:
                continue
            if (k in ours) != (k in theirs):
                raise Diff("%s: ours %r, theirs %r" % (p, ours.get(k, "<absent>"), theirs.get(k, "<absent>")))
            compare(shape.members[k], ours[k], theirs[k], p, leaf, exempt, seen)
    elif t == "list":
        if not isinstance(ours, list) or not isinstance(theirs, list):
            raise Diff("%s: %r vs %r" % (path, ours, theirs))
        kept = [(i, v) for i, v in enumerate(theirs) if v is not None]
        if len(kept) != len(theirs):
            seen.add(("null-in-collection", path))
        if len(ours) != len(kept):
            raise Diff("%s: %d items vs %d non-null items" % (path, len(ours), len(kept)))
        for a, (i, b) in zip(ours, kept):
            compare(shape.member, a, b, wire.item_path(path, i), leaf, exempt, seen)
    elif t == "map":
        if not isinstance(ours, dict) or not isinstance(theirs, dict):
            raise Diff("%s: %r vs %r" % (path, ours, theirs))
        kept = {k: v for k, v in theirs.items() if v is not None}
        if len(kept) != len(theirs):
            seen.add(("null-in-collection", path))
        # Exempt entries are compared on neither side.
        ours = {k: v for k, v in ours.items() if wire.key_path(path, k) not in exempt}
        kept = {k: v for k, v in kept.items() if wire.key_path(path, k) not in exempt}
        if set(ours) != set(kept):
            raise Diff("%s: keys %r vs %r" % (path, sorted(ours), sorted(kept)))
        for k in ours:
            compare(shape.value, ours[k], kept[k], wire.key_path(path, k), leaf, exempt, seen)
    else:
        leaf(shape, ours, theirs, path)


def botocore_leaf(shape, ours, theirs, path):
    if shape.type_name == "timestamp":
        if not isinstance(theirs, datetime.datetime):
            raise Diff("%s: botocore timestamp %r" % (path, theirs))
        want = at_botocore_precision(decimal.Decimal(ours))
        if dt_exact(theirs) != want:
            raise Diff("%s: ours %s (%s at botocore precision), botocore %s" % (path, ours, want, dt_exact(theirs)))
    elif shape.type_name == "integer":
        if isinstance(theirs, bool) or not isinstance(theirs, (int, float)) or ours != theirs:
            raise Diff("%s: ours %r, botocore %r" % (path, ours, theirs))
    elif ours != theirs or type(theirs) is not str:
        raise Diff("%s: ours %r, botocore %r" % (path, ours, theirs))


def exact_leaf(shape, ours, wire_value, path):
    """Ours against the wire text itself (Decimal numbers): timestamps exact to the
    nanosecond (more than 9 fractional digits are floored, a documented precision limit of
    aws_smithy_types::DateTime), whatever their range."""
    if shape.type_name == "timestamp":
        if not isinstance(wire_value, decimal.Decimal):
            raise Diff("%s: wire timestamp %r" % (path, wire_value))
        floored = wire_value.quantize(NS, rounding=decimal.ROUND_FLOOR)
        if decimal.Decimal(ours) != floored:
            raise Diff("%s: ours %s, wire %s (floored to ns: %s)" % (path, ours, wire_value, floored))
    elif ours != wire_value:
        raise Diff("%s: ours %r, wire %r" % (path, ours, wire_value))


def raw_equal_outside(shape, a, b, path, exempt):
    """botocore's parse of a body and of its repaired copy are equal outside `exempt`."""
    if path in exempt or a is b is None:
        return
    t = shape.type_name
    if t == "structure" and isinstance(a, dict) and isinstance(b, dict):
        for k in set(a) | set(b):
            if k in shape.members:
                raw_equal_outside(shape.members[k], a.get(k), b.get(k), wire.member_path(path, k), exempt)
            elif a.get(k) != b.get(k):
                raise Diff("%s: botocore changed outside the repaired values" % wire.member_path(path, k))
    elif t == "list" and isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            raw_equal_outside(shape.member, x, y, wire.item_path(path, i), exempt)
    elif t == "map" and isinstance(a, dict) and isinstance(b, dict) and set(a) == set(b):
        for k in a:
            raw_equal_outside(shape.value, a[k], b[k], wire.key_path(path, k), exempt)
    elif a != b:
        raise Diff("%s: botocore gives %r for the body and %r for its repaired copy" % (path, a, b))


def lone_surrogate_spans(node):
    """The byte spans of every string or key of the JSON that holds half a surrogate pair."""
    lone = lambda n: n.kind == "string" and any(0xD800 <= ord(c) <= 0xDFFF for c in n.value)
    spans = [(node.start, node.end)] if lone(node) else []
    if node.kind == "object":
        for _, key, v in node.value:
            spans += ([(key.start, key.end)] if lone(key) else []) + lone_surrogate_spans(v)
    elif node.kind == "array":
        for v in node.value:
            spans += lone_surrogate_spans(v)
    return spans


def sanitize(code):
    if not isinstance(code, str):
        return None
    code = code.split(":", 1)[0]
    code = code.rsplit("#", 1)[-1]
    return code or None


def excerpt(body):
    """Our message for an error body that is not JSON (runtime/src/client/seams.rs)."""
    text = body.decode("utf-8", "replace")
    words = " ".join(text.split())
    if len(words) > 200:
        words = words[:200] + "..."
    return "unrecognized error response: " + words


# ---------------------------------------------------------------------------------------
# Success responses


def compare_output(bc, headers, ours, theirs, tree, exempt, seen):
    """Our parsed output against botocore's (outside `exempt`) and against the wire (outside
    `exempt` too, and outside the keys given twice with a null last: duplicate-key-null)."""
    dups = []
    wire.duplicate_nulls(bc.output_shape, tree, "$", dups)
    seen |= {("duplicate-key-null", p) for p in dups}
    request_id = dict((k.lower(), v) for k, v in headers).get("x-amzn-requestid")
    if ours["request_id"] != request_id:
        raise Diff("request id: ours %r, header %r" % (ours["request_id"], request_id))
    compare(bc.output_shape, ours["output"], theirs, "$", botocore_leaf, set(exempt) | set(dups), seen)
    # Against the wire, only the duplicate keys are left out (never `exempt`: the timestamps
    # botocore cannot hold are compared here, exactly).
    compare(bc.output_shape, ours["output"], tree.plain(), "$", exact_leaf, set(dups), set())


def check_success(bc, status, headers, body, ours, repaired_ours):
    """`repaired_ours`: our outcome for wire.repair(body, findings) (None if not run)."""
    seen = set()
    try:
        tree = wire.read(body)
    except ValueError:
        tree = None
    theirs, their_error = bc.try_parse(status, headers, body)
    if tree is None or tree.kind != "object":
        if ours["result"] == "ok":
            raise Diff("ours accepts a body that is not a JSON object")
        if ours["kind"] != "ResponseError":
            raise Diff("ours: %s for a %d response" % (ours["kind"], status))
        if their_error is not None:
            return seen  # both reject
        if tree is None and theirs == {}:
            return {("malformed-json-body", "$")}
        raise Diff("ours rejects (%s), botocore returns %r" % (ours["chain"], theirs))

    findings = []
    wire.out_of_contract(bc.output_shape, tree, "$", findings)
    rejected = [f for f in findings if f.category in wire.REJECTED]
    python_only = [f for f in findings if f.category not in wire.REJECTED]
    if rejected:
        if ours["result"] == "ok":
            raise Diff("ours accepts a response out of contract: %s" % [(f.category, f.path) for f in rejected])
        if ours["kind"] != "ResponseError":
            raise Diff("ours: %s for a %d response" % (ours["kind"], status))
        named = wire.named_finding(rejected, ours["chain"])
        if named is None:
            raise Diff("ours rejects (%s), naming none of the out-of-contract values %s" % (ours["chain"], [(f.category, f.path, f.start) for f in rejected]))
        seen.add((named.category, named.path))
        # Confined to the out-of-contract values: with them replaced, both sides agree on all.
        fixed = wire.repair(body, findings)
        fixed_theirs, fixed_error = bc.try_parse(status, headers, fixed)
        if fixed_error is not None:
            raise Diff("botocore raises %s on the repaired body %r" % (fixed_error, fixed))
        if their_error is None:
            raw_equal_outside(bc.output_shape, theirs, fixed_theirs, "$", {f.path for f in findings})
        if repaired_ours is None or repaired_ours["result"] != "ok":
            raise Diff("ours on the repaired body: %s" % (repaired_ours or {}).get("chain"))
        compare_output(bc, headers, repaired_ours, fixed_theirs, wire.read(fixed), set(), seen)
        return seen

    if ours["result"] != "ok":
        raise Diff("ours rejects (%s) a response with nothing out of contract" % ours.get("chain"))
    exempt = set()
    if their_error is not None:
        if not python_only:
            raise Diff("botocore raises %s, ours accepts" % their_error)
        theirs, fixed_error = bc.try_parse(status, headers, wire.repair(body, python_only))
        if fixed_error is not None:
            raise Diff("botocore raises %s, and %s without the timestamps beyond its range" % (their_error, fixed_error))
        exempt = {f.path for f in python_only}
        seen |= {(f.category, f.path) for f in python_only}
    # (botocore accepting such a timestamp means it was overwritten by a duplicate key: then
    # it is compared like the rest, and exactly against the wire.)
    compare_output(bc, headers, ours, theirs, tree, exempt, seen)
    return seen


# ---------------------------------------------------------------------------------------
# Error responses


def check_error(bc, status, headers, body, ours):
    seen = set()
    if ours["result"] != "error" or ours["kind"] != "ServiceError":
        raise Diff("ours: %s for a %d response" % (ours.get("kind", ours["result"]), status))
    if ours["status"] != status:
        raise Diff("status: ours %r, sent %d" % (ours["status"], status))
    theirs = bc.parse(status, headers, body)
    their_code = theirs["Error"]["Code"]
    their_message = theirs["Error"]["Message"]
    header_code = dict((k.lower(), v) for k, v in headers).get("x-amzn-errortype")
    try:
        tree = wire.read(body)
    except ValueError:
        tree = None
    fields = tree.plain() if tree is not None and tree.kind == "object" else {}
    code, message = ours["code"], ours["message"]

    generic = status >= 500 and (not body.strip() or body.strip().startswith(b"<html>"))
    if generic:
        # Both fields exactly as each side defines them: ours takes the code from the header
        # if any (and then no message: the body is not JSON), else none and an excerpt.
        want_code = sanitize(header_code)
        want = None if not body.strip() or want_code is not None else excerpt(body)
        if code != want_code or message != want:
            raise Diff("generic 5xx: ours code %r message %r, want %r and %r" % (code, message, want_code, want))
        if their_code != str(status) or their_message != http.client.responses.get(status, ""):
            raise Diff("generic 5xx: botocore code %r message %r" % (their_code, their_message))
        # An empty body with a modeled code is that error with no members (an empty body
        # reads as {}); an HTML one cannot be read, so Unhandled.
        modeled = want_code in MODELED_ERRORS and not body.strip()
        want_variant, want_members = (want_code, {}) if modeled else ("Unhandled", None)
        if ours["variant"] != want_variant or ours["members"] != want_members:
            raise Diff("generic 5xx: ours variant %r members %r, want %r %r" % (ours["variant"], ours["members"], want_variant, want_members))
        return {("error-generic-5xx", "code+message")}

    spans = lone_surrogate_spans(tree) if tree is not None else []
    if spans:
        # Our reader of the error body stops at the lone surrogate: the code comes from the
        # header or nowhere, the message is an excerpt (no code) or none, the variant is
        # Unhandled; for a modeled code, our error names the byte of that string.
        want_code = sanitize(header_code)
        want_message = excerpt(body) if want_code is None else None
        named = wire.named_byte(ours.get("chain", ""))
        in_span = named is not None and any(a <= named[1] < b for a, b in spans)
        if code == want_code and message == want_message and (want_code not in MODELED_ERRORS or in_span):
            if ours["variant"] != "Unhandled" or ours["members"] is not None:
                raise Diff("lone surrogate: ours variant %r members %r" % (ours["variant"], ours["members"]))
            return {("lone-surrogate", "code+message+variant")}

    # Code
    if code != their_code:
        if header_code is not None and code == sanitize(header_code):
            seen.add(("error-code-header", "code"))
        elif sanitize(fields.get("__type")) is None and code is not None and code == sanitize(fields.get("code")):
            seen.add(("error-code-member", "code"))
        elif code is None and their_code in (str(status), "") and sanitize(fields.get("__type")) is None:
            seen.add(("error-no-code", "code"))
        else:
            raise Diff("code: ours %r, botocore %r" % (code, their_code))

    # Variant: the modeled one, or Unhandled when the value our error names breaks its shape.
    want_variant = code if code in MODELED_ERRORS else "Unhandled"
    excused_message = False
    if ours["variant"] != want_variant:
        findings = []
        if ours["variant"] == "Unhandled" and tree is not None and tree.kind == "object":
            wire.out_of_contract(bc.error_shapes[code], tree, "$", findings)
        named = wire.named_finding(findings, ours.get("chain", ""))
        if named is None and tree is None and ours["variant"] == "Unhandled" and code in MODELED_ERRORS:
            # Not JSON: our error must name the byte where the body stops being JSON.
            try:
                wire.read(body)
            except ValueError as e:
                if wire.named_byte(ours.get("chain", "")) is not None and wire.named_byte(ours["chain"])[1] == wire.named_byte(str(e))[1]:
                    named = wire.Finding("malformed-json-body", "variant", 0, len(body), None)
        if named is None:
            raise Diff("variant: ours %r, want %r (%s)" % (ours["variant"], want_variant, ours.get("chain")))
        seen.add((named.category, named.path))
        # A lone surrogate anywhere stops our reader of the whole error body (the message
        # included); a wrong type only costs the member that has it.
        excused_message = named.path in ("$.message", "$.Message") or named.category == "lone-surrogate"

    # Message
    if message != their_message and not (message is None and their_message == "") and not excused_message:
        if "message" in fields and fields["message"] is None and message is not None and message in (fields.get("Message"), fields.get("errorMessage")):
            seen.add(("error-message-null", "message"))
        elif "message" not in fields and "Message" not in fields and message is not None and message == fields.get("errorMessage"):
            seen.add(("error-message-other-field", "message"))
        elif ((code is None and message == excerpt(body)) or (code is not None and message is None and tree is None)) and (
            their_message in (body.decode("utf-8", "replace"), "") or (their_message is None and "message" in fields and fields["message"] is None)
        ):
            seen.add(("error-unparsed-body-message", "message"))
        elif fields.get("message") is not None and not isinstance(fields["message"], str) and message is None and their_message == fields["message"]:
            seen.add(("error-message-not-string", "message"))
        else:
            raise Diff("message: ours %r, botocore %r" % (message, their_message))

    # Modeled members, parsed by botocore with the shape of our code
    if ours["variant"] in MODELED_ERRORS:
        modeled = bc.parse_error_shape(ours["variant"], status, headers, body)
        modeled = {k: v for k, v in modeled.items() if v is not None}
        if ours["members"] != modeled:
            raise Diff("members: ours %r, botocore %r" % (ours["members"], modeled))
    elif ours["members"] is not None:
        raise Diff("members on an Unhandled error: %r" % ours["members"])
    return seen


# ---------------------------------------------------------------------------------------
# Requests

_AUTH = re.compile(r"AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$")


def authorization_parts(value, who):
    m = _AUTH.match(value or "")
    if not m:
        raise Diff("%s Authorization %r is not SigV4" % (who, value))
    return m.group(1), m.group(2).split(";"), m.group(3)


def check_request(bc, params, ours):
    seen = set()
    try:
        request = bc.client_request(ours.get("endpoint"), params)
    except botocore.exceptions.ParamValidationError as e:
        if ours["result"] == "rejected" and ours["kind"] == "ConstructionFailure":
            return seen
        raise Diff("botocore rejects (%s), ours %s" % (e, ours["result"]))
    if ours["result"] != "sent":
        raise Diff("ours rejects: %s" % ours.get("display"))
    url = urllib.parse.urlsplit(request.url)
    their_path = url.path + ("?" + url.query if url.query else "")
    their_headers = {k.lower(): (v.decode() if isinstance(v, bytes) else v) for k, v in request.headers.items()}
    for what, mine, theirs in [
        ("method", ours["method"], request.method),
        ("path", ours["path"], their_path),
        ("host", ours["host"], url.netloc),
        ("X-Amz-Target", ours["target"], their_headers.get("x-amz-target")),
        ("Content-Type", ours["content_type"], their_headers.get("content-type")),
    ]:
        if mine != theirs:
            raise Diff("%s: ours %r, botocore %r" % (what, mine, theirs))

    our_body = bytes.fromhex(ours["body_hex"])
    their_body = request.body if isinstance(request.body, bytes) else (request.body or "").encode()
    our_json = json.loads(our_body.decode("utf-8"))
    if our_json != json.loads(their_body) or our_json != params:
        raise Diff("body: ours %r, botocore %r" % (our_body, their_body))
    if our_body != their_body:
        seen.add(("request-spelling", "body"))

    # The same credential scope and the set of signed headers.
    our_scope, our_signed, _ = authorization_parts(ours["authorization"], "our")
    their_scope, their_signed, _ = authorization_parts(their_headers.get("authorization"), "botocore's")
    if our_scope != their_scope:
        raise Diff("credential scope: ours %r, botocore %r" % (our_scope, their_scope))
    extra = set(our_signed) - set(their_signed)
    if not set(their_signed) <= set(our_signed) or extra not in (set(), EXTRA_SIGNED):
        raise Diff("signed headers: ours %s, botocore %s" % (our_signed, their_signed))
    if extra:
        seen.add(("request-signed-extra", "SignedHeaders"))

    # Independent signature: botocore's SigV4Auth over the request exactly as we sent it.
    theirs = bc.resign(ours, our_signed)
    if theirs != ours["authorization"]:
        raise Diff("signature: ours %r, botocore's signer over our request %r" % (ours["authorization"], theirs))
    return seen

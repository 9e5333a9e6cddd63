"""Random inputs of the botocore differential (see diff_botocore.py): responses generated
with a fixed seed from botocore's own Lightsail model, request inputs, and the loader of
the recorded responses (format: tests/recorded/README.md).

Every generator records in `tags` the out-of-contract values it injected on purpose; the
differential checks that our client rejects every such response.
"""

MODELED_ERRORS = [
    "AccessDeniedException",
    "InvalidInputException",
    "NotFoundException",
    "RegionSetupInProgressException",
    "ServiceException",
    "UnauthenticatedException",
]

ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_./:=+"
UNICODE = "éüßñçøåΩπλжщ中文日本語한국어العربيةעברית\u00a0\u2028\u2029\ufeff\uffff"
EMOJI = ["🚀", "😀", "👍🏽", "🏳️‍🌈", "🇩🇪", "𝄞", "\U0010ffff", "\U0001f9d1\u200d\U0001f4bb"]


def json_escape_char(rng, c):
    """One character as JSON string text, in a randomly chosen valid spelling."""
    cp = ord(c)
    simple = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
    if c in simple:
        return simple[c] if rng.random() < 0.7 else "\\u%04x" % cp
    if cp < 0x20:
        return "\\u%04X" % cp if rng.random() < 0.5 else "\\u%04x" % cp
    if c == "/" and rng.random() < 0.5:
        return "\\/"
    r = rng.random()
    if cp > 0xFFFF and r < 0.4:
        v = cp - 0x10000
        return "\\u%04x\\u%04X" % (0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF))
    if cp > 0x7F and r < 0.3 and cp <= 0xFFFF:
        return "\\u%04x" % cp
    return c


def random_text(rng, max_len=12):
    kind = rng.random()
    if kind < 0.1:
        return ""
    n = rng.randint(1, max_len)
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.55:
            out.append(rng.choice(ASCII))
        elif r < 0.65:
            out.append(rng.choice('"\\/'))
        elif r < 0.75:
            out.append(chr(rng.choice([0, 1, 7, 8, 9, 10, 12, 13, 27, 31, 127])))
        elif r < 0.88:
            out.append(rng.choice(UNICODE))
        else:
            out.append(rng.choice(EMOJI))
    return "".join(out)


def string_json(rng, s):
    return '"' + "".join(json_escape_char(rng, c) for c in s) + '"'


INT_EDGES = ["0", "-0", "1", "-1", "7", "80", "65535", "2147483647", "-2147483648", "1.0", "1e2", "1E+1", "100e-2", "-5.000", "2.147483647e9"]
INT_BAD = ["2147483648", "-2147483649", "1.5", "9223372036854775808", "1e10", "0.1"]


def int_json(rng, tags):
    r = rng.random()
    if r < 0.03:
        tags.add("int-out-of-contract")
        return rng.choice(INT_BAD)
    if r < 0.35:
        return rng.choice(INT_EDGES)
    return str(rng.randint(-1000, 100000))


def timestamp_json(rng, tags):
    r = rng.random()
    if r < 0.02:
        tags.add("timestamp-string")
        return rng.choice(['"2024-01-02T03:04:05Z"', '"1700000000"', '"2024-01-02T03:04:05.123456789Z"'])
    if r < 0.03:
        tags.add("timestamp-beyond-python")
        return rng.choice(["253402300800", "-62135596801", "1e12", "-9999999999999"])
    secs = rng.choice([0, 1, -1, 86399, 1652235091, 1700000000, 1704164645, 2147483647, 4102444800, 253402300799, -62135596800, rng.randint(-10**9, 4 * 10**9)])
    form = rng.random()
    if form < 0.3:
        return str(secs)
    digits = rng.randint(1, 12)  # >9 fractional digits: floored to nanoseconds by us
    frac = "".join(rng.choice("0123456789") for _ in range(digits))
    if secs < 0 and secs <= -62135596800:
        frac = "0" * digits  # stay inside Python's datetime range
    text = "%d.%s" % (secs, frac)
    if form < 0.6:
        return text
    # exponent form: d.ddddE<n>, E/e, +/-
    sign = "-" if text.startswith("-") else ""
    mantissa = text.lstrip("-").replace(".", "")
    intlen = len(str(abs(secs)))
    stripped = mantissa.lstrip("0") or "0"
    lead = len(mantissa) - len(stripped)
    exp = intlen - 1 - lead
    body = stripped[0] + ("." + stripped[1:] if len(stripped) > 1 else "")
    e = rng.choice(["E", "e"])
    es = str(exp) if exp < 0 or rng.random() < 0.5 else "+" + str(exp)
    if rng.random() < 0.3:
        # shift: more digits before the point and a smaller exponent
        return "%s%se%d" % (sign, stripped, exp - (len(stripped) - 1))
    return "%s%s%s%s" % (sign, body, e, es)


def unknown_value(rng, depth=0):
    r = rng.random()
    if depth > 3 or r < 0.3:
        return rng.choice(["null", "true", "false", "0", "-1.5e-3", "1E400", string_json(rng, random_text(rng))])
    if r < 0.65:
        return "[" + ",".join(unknown_value(rng, depth + 1) for _ in range(rng.randint(0, 3))) + "]"
    return "{" + ",".join("%s:%s" % (string_json(rng, random_text(rng, 6)), unknown_value(rng, depth + 1)) for _ in range(rng.randint(0, 3))) + "}"


def ws(rng):
    return rng.choice(["", "", "", " ", "\n", "\t", " \r\n "])


def gen(rng, shape, tags, depth=0):
    """JSON text of a random value of `shape`."""
    t = shape.type_name
    if t == "structure":
        members = list(shape.members.items())
        rng.shuffle(members)
        parts = []
        for name, member in members:
            r = rng.random()
            if r < 0.2:
                continue
            if r < 0.3:
                parts.append('"%s":null' % name)
                continue
            parts.append('"%s":%s%s' % (name, ws(rng), gen(rng, member, tags, depth + 1)))
            r = rng.random()
            if r < 0.03:  # duplicate key: the last one wins on both sides
                parts.append('"%s":%s' % (name, gen(rng, member, tags, depth + 1)))
            elif r < 0.04:  # ... unless it is null (duplicate-key-null)
                parts.append('"%s":null' % name)
        if rng.random() < 0.25:
            parts.insert(rng.randint(0, len(parts)), "%s:%s" % (string_json(rng, "x" + random_text(rng, 6)), unknown_value(rng)))
        return "{" + ws(rng) + ("," + ws(rng)).join(parts) + ws(rng) + "}"
    if t == "list":
        n = rng.choice([0, 1, 1, 2, 3, 5]) if depth < 2 else rng.choice([0, 1, 2, 4])
        items = []
        for _ in range(n):
            if rng.random() < 0.05:
                tags.add("null-in-collection")
                items.append("null")
            else:
                items.append(gen(rng, shape.member, tags, depth + 1))
        return "[" + ",".join(items) + "]"
    if t == "map":
        n = rng.choice([0, 1, 2, 3])
        items = []
        for _ in range(n):
            key = string_json(rng, random_text(rng, 8))
            if rng.random() < 0.05:
                tags.add("null-in-collection")
                items.append("%s:null" % key)
            else:
                items.append("%s:%s" % (key, gen(rng, shape.value, tags, depth + 1)))
                if rng.random() < 0.02:  # the same key again, null (duplicate-key-null)
                    items.append("%s:null" % key)
        return "{" + ",".join(items) + "}"
    if t == "string":
        if shape.enum:
            r = rng.random()
            if r < 0.7:
                return '"%s"' % rng.choice(shape.enum)
            return string_json(rng, rng.choice(["PENDING", "active", "Http", "SCTP", "", "NEW_STATE_2030", random_text(rng, 8)]))
        r = rng.random()
        if r < 0.005:
            tags.add("type-mismatch")
            return rng.choice(["5", "true", "{}", "[]"])
        if r < 0.01:
            # An escape of half a surrogate pair: valid JSON text, not a Unicode string.
            tags.add("lone-surrogate")
            half = rng.choice(["\\ud800", "\\uDBFF", "\\udc00", "\\uDFFF", "\\uDC00\\uD800"])
            return '"%s%s%s"' % (rng.choice(["", "a", "é"]), half, rng.choice(["", "b", "\\n"]))
        return string_json(rng, random_text(rng))
    if t == "integer":
        if rng.random() < 0.005:
            tags.add("type-mismatch")
            return rng.choice(['"7"', "true", "[]"])
        return int_json(rng, tags)
    if t == "timestamp":
        return timestamp_json(rng, tags)
    raise AssertionError("shape type %s not generated" % t)


def random_success(rng, bc):
    tags = set()
    body = gen(rng, bc.output_shape, tags)
    if rng.random() < 0.05:
        body = rng.choice(["", "{}", '{"deployments":null}', '{"deployments":[]}', " \n{ } \n"])
        tags = set()
    headers = [("x-amzn-RequestId", "rid-%08x" % rng.getrandbits(32))]
    r = rng.random()
    if r < 0.8:
        headers.append(("Content-Type", "application/x-amz-json-1.1"))
    elif r < 0.9:
        headers.append(("Content-Type", "application/json; charset=utf-8"))
    rng.shuffle(headers)
    return 200, headers, body.encode("utf-8"), tags


def random_error(rng, bc):
    tags = set()
    status = rng.choice([400, 400, 401, 403, 404, 409, 428, 500, 503])
    code = rng.choice(MODELED_ERRORS + ["ThrottlingException", "ValidationException", "SomethingNew"])
    spelled = rng.choice([code, "com.amazonaws.lightsail#" + code, code + ":http://internal.amazon.com/coral/", "aws.lightsail.v2#" + code + ":x"])
    where = rng.random()
    headers = [("x-amzn-RequestId", "rid-%08x" % rng.getrandbits(32)), ("Content-Type", "application/x-amz-json-1.1")]
    members = []
    if where < 0.3:
        headers.append(("X-Amzn-Errortype", spelled))
        if rng.random() < 0.3:
            members.append('"__type":"%s"' % rng.choice(MODELED_ERRORS))
    elif where < 0.9:
        members.append('"__type":%s' % string_json(rng, spelled))
    # else: code only from the `code` member, or nowhere
    shape = bc.error_shapes[MODELED_ERRORS[0]]
    for name in ["code", "docs", "message", "tip"]:
        r = rng.random()
        if r < 0.25:
            continue
        if r < 0.32:
            members.append('"%s":null' % name)
            continue
        if name == "code" and where >= 0.9 and rng.random() < 0.5:
            members.append('"code":"%s"' % code)
            continue
        members.append('"%s":%s' % (name, gen(rng, shape.members[name], tags, 1)))
    if rng.random() < 0.1:
        members.append('"Message":%s' % string_json(rng, random_text(rng)))
    if rng.random() < 0.05:
        members.append('"errorMessage":%s' % string_json(rng, random_text(rng)))
    if rng.random() < 0.2:
        members.append("%s:%s" % (string_json(rng, "extra" + random_text(rng, 4)), unknown_value(rng)))
    rng.shuffle(members)
    body = "{" + ",".join(members) + "}"
    if rng.random() < 0.04:
        body = rng.choice(["", "<html><body>502 Bad Gateway</body></html>", "Service Unavailable"])
        if rng.random() < 0.5:  # what a proxy in front of the service sends
            status = rng.choice([500, 502, 503, 504])
    return status, headers, body.encode("utf-8"), tags


# ---------------------------------------------------------------------------------------
# Recorded responses (format: tests/recorded/README.md)


def load_recorded(path):
    data = open(path, "rb").read()
    pos = 0

    def line():
        nonlocal pos
        end = data.find(b"\n", pos)
        end = len(data) if end < 0 else end
        text = data[pos:end]
        pos = min(end + 1, len(data))
        return text[:-1] if text.endswith(b"\r") else text

    status_line = line()
    while status_line.startswith(b"#"):
        status_line = line()
    status = int(status_line.split(b" ")[1])
    headers = []
    while True:
        h = line().decode("utf-8")
        if not h:
            break
        name, value = h.split(":", 1)
        headers.append((name.strip(), value.strip()))
    return status, headers, data[pos:]


# ---------------------------------------------------------------------------------------
# Normalization and comparison
def random_service_name(rng):
    r = rng.random()
    if r < 0.5:  # valid per the model's pattern
        n = rng.randint(1, 63)
        alnum = "abcdefghijklmnopqrstuvwxyz0123456789"
        if n <= 2:
            return "".join(rng.choice(alnum) for _ in range(n))
        return rng.choice(alnum) + "".join(rng.choice(alnum + "-") for _ in range(n - 2)) + rng.choice(alnum)
    s = random_text(rng, 20)  # any string: both serializers must escape it the same way
    return s if s else "x"


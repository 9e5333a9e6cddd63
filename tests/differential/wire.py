"""The wire side of the botocore differential (see diff_botocore.py): a JSON reader that
keeps the byte span of every value, the awsJson1_1 contract check that says which values
our client must reject (and where they are), and the repair that replaces them.

Byte spans matter because our parser's errors name the byte it rejected ("... at byte
N"): a rejection is explained only by an out-of-contract value whose span holds N.
"""

import collections
import decimal
import json
import re

# A finding: an out-of-contract value of the response, by category (a key of
# diff_botocore.EXPLAINED), path ($.deployments[0].version) and byte span [start, end).
Finding = collections.namedtuple("Finding", "category path start end shape")

# Categories our client rejects; the others (timestamp-beyond-python) it accepts.
REJECTED = {"int-out-of-contract", "timestamp-string", "type-mismatch", "lone-surrogate"}


class Node:
    """A JSON value with its byte span. kind: object (value: list of (key, key_node, node),
    every duplicate kept), array (list of nodes), string, number (Decimal), true, false, null."""

    __slots__ = ("kind", "value", "start", "end")

    def __init__(self, kind, value, start, end):
        self.kind, self.value, self.start, self.end = kind, value, start, end

    def plain(self):
        """As json.loads(parse_float=Decimal, parse_int=Decimal) gives it: the last of
        duplicate keys wins."""
        if self.kind == "object":
            return {k: v.plain() for k, _, v in self.value}
        if self.kind == "array":
            return [v.plain() for v in self.value]
        return self.value


_NUMBER = re.compile(rb"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_WS = b" \t\r\n"


class Reader:
    """Strict JSON (RFC 8259) over bytes; raises ValueError("... at byte N")."""

    def __init__(self, data):
        self.data = data
        self.pos = 0

    def fail(self, what):
        raise ValueError("%s at byte %d" % (what, self.pos))

    def skip_ws(self):
        while self.pos < len(self.data) and self.data[self.pos] in _WS:
            self.pos += 1

    def document(self):
        self.skip_ws()
        node = self.value(0)
        self.skip_ws()
        if self.pos != len(self.data):
            self.fail("trailing data")
        return node

    def value(self, depth):
        if depth > 200:
            self.fail("nesting too deep")
        self.skip_ws()
        if self.pos >= len(self.data):
            self.fail("unexpected end")
        start = self.pos
        c = self.data[self.pos : self.pos + 1]
        if c == b"{":
            self.pos += 1
            members = []
            self.skip_ws()
            if self.data[self.pos : self.pos + 1] == b"}":
                self.pos += 1
                return Node("object", members, start, self.pos)
            while True:
                self.skip_ws()
                key = self.value(depth + 1)
                if key.kind != "string":
                    self.fail("object key is not a string")
                self.skip_ws()
                if self.data[self.pos : self.pos + 1] != b":":
                    self.fail("expected ':'")
                self.pos += 1
                members.append((key.value, key, self.value(depth + 1)))
                self.skip_ws()
                c = self.data[self.pos : self.pos + 1]
                self.pos += 1
                if c == b"}":
                    return Node("object", members, start, self.pos)
                if c != b",":
                    self.fail("expected ',' or '}'")
        if c == b"[":
            self.pos += 1
            items = []
            self.skip_ws()
            if self.data[self.pos : self.pos + 1] == b"]":
                self.pos += 1
                return Node("array", items, start, self.pos)
            while True:
                items.append(self.value(depth + 1))
                self.skip_ws()
                c = self.data[self.pos : self.pos + 1]
                self.pos += 1
                if c == b"]":
                    return Node("array", items, start, self.pos)
                if c != b",":
                    self.fail("expected ',' or ']'")
        if c == b'"':
            end = self.pos + 1
            while True:
                if end >= len(self.data):
                    self.fail("unterminated string")
                b = self.data[end]
                if b == 0x5C:
                    end += 2
                    continue
                if b == 0x22:
                    break
                if b < 0x20:
                    self.fail("control character in string")
                end += 1
            self.pos = end + 1
            # json.loads reads the escapes (lone surrogates included, as Python can hold them).
            text = json.loads(self.data[start : self.pos].decode("utf-8"))
            return Node("string", text, start, self.pos)
        for word, kind, val in ((b"true", "true", True), (b"false", "false", False), (b"null", "null", None)):
            if self.data.startswith(word, self.pos):
                self.pos += len(word)
                return Node(kind, val, start, self.pos)
        m = _NUMBER.match(self.data, self.pos)
        if not m or m.end() == self.pos:
            self.fail("unexpected character")
        self.pos = m.end()
        return Node("number", decimal.Decimal(m.group().decode()), start, self.pos)


def read(body):
    """The body as a Node; an all-whitespace body reads as `{}` (as both clients do)."""
    if not body.strip():
        return Node("object", [], 0, 0)
    return Reader(body).document()


def member_path(path, key):
    return "%s.%s" % (path, key)


def item_path(path, index):
    return "%s[%d]" % (path, index)


def key_path(path, key):
    return "%s[%s]" % (path, json.dumps(key))


def out_of_contract(shape, node, path, found):
    """Appends a Finding for every value of `node` (read along botocore's `shape`) that the
    awsJson1_1 contract (and so our parser) rejects or that Python cannot represent. Every
    occurrence of a duplicated key counts: our parser reads each one."""
    if node.kind == "null":
        return
    t = shape.type_name

    def add(category):
        found.append(Finding(category, path, node.start, node.end, shape))

    if t == "structure":
        if node.kind != "object":
            return add("type-mismatch")
        for k, _, v in node.value:
            if k in shape.members:
                out_of_contract(shape.members[k], v, member_path(path, k), found)
    elif t == "list":
        if node.kind != "array":
            return add("type-mismatch")
        for i, v in enumerate(node.value):
            out_of_contract(shape.member, v, item_path(path, i), found)
    elif t == "map":
        if node.kind != "object":
            return add("type-mismatch")
        for k, key_node, v in node.value:
            if any(0xD800 <= ord(c) <= 0xDFFF for c in k):
                # A key: the shape is None and the path is the map's (repair renames the key).
                found.append(Finding("lone-surrogate", path, key_node.start, key_node.end, None))
            out_of_contract(shape.value, v, key_path(path, k), found)
    elif t == "string":
        if node.kind != "string":
            add("type-mismatch")
        elif any(0xD800 <= ord(c) <= 0xDFFF for c in node.value):
            add("lone-surrogate")
    elif t == "integer":
        if node.kind != "number":
            add("type-mismatch")
        elif node.value != node.value.to_integral_value() or not -(2**31) <= node.value < 2**31:
            add("int-out-of-contract")
    elif t == "timestamp":
        if node.kind == "string":
            add("timestamp-string")
        elif node.kind != "number":
            add("type-mismatch")
        elif not (-62135596800 <= node.value < 253402300800):
            add("timestamp-beyond-python")


def duplicate_nulls(shape, node, path, found):
    """Appends the path of every map entry whose key is given more than once with null as the
    last value and a non-null value before it (see duplicate-key-null). Structure members
    are not: there our parser also lets the last null win."""
    t = shape.type_name
    if t in ("structure", "map") and node.kind == "object":
        last = {}
        for k, _, v in node.value:
            last.setdefault(k, []).append(v)
        for k, values in last.items():
            sub_shape = shape.members.get(k) if t == "structure" else shape.value
            if sub_shape is None:
                continue
            p = member_path(path, k) if t == "structure" else key_path(path, k)
            if t == "map" and len(values) > 1 and values[-1].kind == "null" and any(v.kind != "null" for v in values):
                found.append(p)
            duplicate_nulls(sub_shape, values[-1], p, found)
    elif t == "list" and node.kind == "array":
        for i, v in enumerate(node.value):
            duplicate_nulls(shape.member, v, item_path(path, i), found)


# What our parser says when it rejects a value of each category (the rest of its message
# names the byte). A rejection whose message does not fit its value's category is unexplained.
REJECTION_TEXT = {
    "int-out-of-contract": ("number out of range for i32", "expected i32, found fraction"),
    "timestamp-string": ("expected epoch-seconds timestamp (a number), found string",),
    "type-mismatch": ("expected ",),
    "lone-surrogate": ("lone high surrogate", "lone low surrogate"),
}

_AT_BYTE = re.compile(r"(.*) at byte (\d+)$")


def named_byte(error_text):
    """(message, N) of the last "...: <message> at byte N" in our error chain, or None."""
    last = error_text.rsplit(": ", 1)[-1] if ": " in error_text else error_text
    m = _AT_BYTE.search(last)
    return (m.group(1), int(m.group(2))) if m else None


def named_finding(findings, error_text):
    """The finding our error names: its span holds the byte the error names and its category
    fits the error's text; None when there is none."""
    named = named_byte(error_text)
    if named is None:
        return None
    message, at = named
    fits = {c for c, texts in REJECTION_TEXT.items() if any(message.startswith(t) for t in texts)}
    if len(fits) > 1:  # "expected ..." is a type mismatch only if no narrower text fits
        fits.discard("type-mismatch")
    for f in findings:
        if f.category in fits and f.start <= at < f.end:
            return f
    return None


def placeholder(shape):
    """A valid value of `shape` (what a repaired body holds instead of a finding)."""
    return {"structure": b"{}", "list": b"[]", "map": b"{}", "string": b'"x"', "integer": b"0", "timestamp": b"0"}[shape.type_name]


def repair(body, findings):
    """The body with every finding's value replaced by a placeholder of its shape (a map
    key by a fresh key). Spans never overlap: findings are leaves or mismatched containers
    whose contents are not walked."""
    out = body
    for i, f in enumerate(sorted(findings, key=lambda f: -f.start)):
        if f.shape is None:
            new = b'"repaired-key-%d"' % i
        else:
            new = placeholder(f.shape)
        out = out[: f.start] + new + out[f.end :]
    return out

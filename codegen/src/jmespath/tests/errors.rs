//! What the compiler rejects, and that every rejection names the expression and why.

use super::{fake, root};
use crate::jmespath::{compile, compile_matcher, Kind, Matcher, Member, Shapes};

#[test]
fn unsupported_expressions_are_errors_with_reasons() {
    let shapes = fake();
    let cases: &[(&str, &str, &str)] = &[
        (
            "DescribeTableOutput",
            "Table.Nope",
            "`TableDescription` has no member `Nope`",
        ),
        (
            "DescribeTableOutput",
            "Table.TableName.Length",
            "`Length` of a string is always null",
        ),
        (
            "DescribeTableOutput",
            "Table.Replicas.RegionName",
            "project it with `[*].RegionName`",
        ),
        (
            "DescribeTableOutput",
            "Table.TableName[0]",
            "`[0]` of an optional string is always null",
        ),
        (
            "DescribeTableOutput",
            "Table.TableName[*]",
            "which is not a list",
        ),
        (
            "DescribeTableOutput",
            "Table.Replicas[1:2]",
            "slices (`[a:b]`) are not supported",
        ),
        ("DescribeTableOutput", "Table.*", "object wildcards"),
        ("DescribeTableOutput", "[Table.TableName]", "multi-select"),
        (
            "DescribeTableOutput",
            "sort_by(Table.Replicas, &RegionName)",
            "function `sort_by` is not supported",
        ),
        (
            "DescribeTableOutput",
            "length(Table)",
            "`length` of an optional structure is not supported",
        ),
        (
            "DescribeTableOutput",
            "length(Table.Replicas, Table.TableName)",
            "`length` takes 1 argument(s), not 2",
        ),
        (
            "DescribeTableOutput",
            "Table.TableName > 'a'",
            "JMESPath orders only numbers",
        ),
        (
            "DescribeTableOutput",
            "Table.TableName == `3`",
            "comparing an optional string with `3` is always false",
        ),
        (
            "DescribeTableOutput",
            "Table.Replicas == 'x'",
            "comparing a list with `\"x\"` is always false",
        ),
        (
            "DescribeTableOutput",
            "Table.ItemCount > Table.SizeBytes",
            "ordering comparisons between two paths",
        ),
        (
            "DescribeTableOutput",
            "'a' == 'b'",
            "a comparison of two literals",
        ),
        (
            "DescribeTableOutput",
            "`true`",
            "only supported as an operand",
        ),
        (
            "DescribeTableOutput",
            "max_by(Table.Replicas, RegionName)",
            "must be `&expression`",
        ),
        (
            "DescribeTableOutput",
            "max_by(Table.Replicas, &Tags)",
            "the key of `max_by` is a list",
        ),
        (
            "DescribeTableOutput",
            "Table.CreationDateTime.x",
            "only structures have members",
        ),
        (
            "DescribeTableOutput",
            "keys(Table)",
            "`keys` of an optional structure (only maps are supported)",
        ),
        ("NestedOutput", "Matrix", "is a list of lists"),
        (
            "DescribeTableOutput",
            "Table.Replicas[*].Tags",
            "the path gives a list of lists",
        ),
        (
            "DescribeTableOutput",
            "Table.Replicas[*].Tags[*].x",
            "`x` of a string is always null",
        ),
        (
            "DescribeTableOutput",
            "Table.TableName = 'x'",
            "`=` is not an operator",
        ),
        (
            "DescribeTableOutput",
            "length(Table.Replicas) > `-1`",
            "a length compared with a negative number",
        ),
        (
            "DescribeTableOutput",
            "!Table.TableName",
            "`TableName` of a boolean expression is always null",
        ),
    ];
    for (shape, expr, reason) in cases {
        let err = compile(&shapes, &root(shape, "output"), expr).unwrap_err();
        assert_eq!(err.expression, *expr);
        assert!(err.reason.contains(reason), "{expr}: got `{}`", err.reason);
    }
}

#[test]
fn matcher_errors() {
    let shapes = fake();
    let root = root("DescribeTableOutput", "output");
    let check = |path: &str, comparator: &str, expected: &str, reason: &str| {
        let matcher = Matcher::from_model(comparator, expected).unwrap();
        let err = compile_matcher(&shapes, &root, path, &matcher).unwrap_err();
        assert!(err.reason.contains(reason), "{path}: got `{}`", err.reason);
    };
    check(
        "Table.Replicas[].RegionName",
        "stringEquals",
        "x",
        "use `allStringEquals` or `anyStringEquals`",
    );
    check(
        "Table.TableName",
        "allStringEquals",
        "x",
        "`allStringEquals` needs a list but the path gives an optional string",
    );
    check(
        "Table.Replicas",
        "anyStringEquals",
        "x",
        "the list's elements are structures, not strings",
    );
    check(
        "Table.ItemCount",
        "booleanEquals",
        "true",
        "comparing an optional integer with `true` is always false",
    );
    assert_eq!(
        Matcher::from_model("booleanEquals", "yes"),
        Err("booleanEquals expects `true` or `false`, not `yes`".into())
    );
    assert_eq!(
        Matcher::from_model("numberEquals", "1"),
        Err("unknown waiter comparator `numberEquals`".into())
    );
}

#[test]
fn accessors_that_are_not_identifiers_are_errors_not_panics() {
    struct Bad;
    impl Shapes for Bad {
        type Shape = &'static str;
        fn kind(&self, shape: &&'static str) -> Kind<&'static str> {
            if *shape == "S" {
                Kind::Structure
            } else {
                Kind::String
            }
        }
        fn member(&self, _: &&'static str, _: &str) -> Option<Member<&'static str>> {
            Some(Member {
                accessor: "not an ident".into(),
                target: "String",
                optional: true,
            })
        }
    }
    let err = compile(&Bad, &root("S", "output"), "a").unwrap_err();
    assert!(err.reason.contains("is not a Rust identifier"), "{err}");
}

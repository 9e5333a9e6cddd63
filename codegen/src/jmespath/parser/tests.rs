//! Parser tests: every expression the surveyed models use (insta snapshot of the AST),
//! the wider grammar, and syntax errors.

use std::fmt::Write as _;

use super::parse;

/// Every path expression in the surveyed models, with where it comes from.
const SURVEYED: &[(&str, &str)] = &[
    (
        "acm waiter",
        "Certificate.DomainValidationOptions[].ValidationStatus",
    ),
    ("acm waiter", "Certificate.Status"),
    ("dynamodb waiter", "Table.TableStatus"),
    ("ecr waiter", "imageScanStatus.status"),
    ("ecr waiter", "status"),
    (
        "dynamodb operationContextParams",
        "TableCreationParameters.TableName",
    ),
    (
        "dynamodb operationContextParams",
        "TransactItems[*].Get.TableName",
    ),
    ("dynamodb operationContextParams", "keys(RequestItems)"),
    ("paginated (all)", "NextToken"),
    ("paginated (dynamodb)", "LastEvaluatedKey"),
];

#[test]
fn parses_every_surveyed_expression() {
    let mut out = String::new();
    for (source, expr) in SURVEYED {
        let ast = parse(expr).unwrap_or_else(|e| panic!("{source}: {e}"));
        writeln!(out, "{expr}\n  {ast}").unwrap();
    }
    insta::assert_snapshot!("parse_surveyed", out);
}

#[test]
fn parses_the_wider_grammar() {
    let cases = [
        ("a.b.c", "(. (. a b) c)"),
        ("\"with space\".b", "(. with space b)"),
        ("a[0].b", "(. (. a [0]) b)"),
        ("a[-1]", "(. a [-1])"),
        ("a[*].b[*].c", "(project a (project b c))"),
        ("a[].b[].c", "(project (flatten (project (flatten a) b)) c)"),
        ("a[?b == 'x'].c", "(project a (if (== b `\"x\"`) c))"),
        (
            "a[?b == 'x' && !c || d > `3`]",
            "(project a (if (|| (&& (== b `\"x\"`) (! c)) (> d `3`)) @))",
        ),
        (
            "length(a[?b]) > `0`",
            "(> (length (project a (if b @))) `0`)",
        ),
        (
            "contains(a[].b, 'x')",
            "(contains (project (flatten a) b) `\"x\"`)",
        ),
        (
            "max_by(deployments, &version).state",
            "(. (max_by deployments &version) state)",
        ),
        ("a[*].b | [0]", "(| (project a b) [0])"),
        ("a[1:3]", "(project (. a [1:3:]) @)"),
        ("*.b", "(project (values @) b)"),
        ("a.*.b", "(project (values a) b)"),
        ("[a, b]", "[a b]"),
        ("{x: a, y: b}", "{x: a y: b}"),
        ("@", "@"),
        ("(a || b).c", "(. (|| a b) c)"),
        ("`null` == a", "(== `null` a)"),
    ];
    for (expr, expected) in cases {
        assert_eq!(
            parse(expr).map(|a| a.to_string()),
            Ok(expected.to_string()),
            "{expr}"
        );
    }
}

#[test]
fn syntax_errors_name_the_expression_and_offset() {
    let cases = [
        ("", "unexpected end of expression at offset 0"),
        (
            "a.",
            "expected a name after `.`, found end of expression at offset 2",
        ),
        (
            "a[?b == 'x'",
            "expected `]`, found end of expression at offset 11",
        ),
        ("a b", "unexpected identifier `b` at offset 2"),
        (
            "a[0",
            "unexpected end of expression in an index or slice at offset 3",
        ),
        ("a[::0]", "slice step cannot be 0"),
        ("\"f\"(a)", "only a plain name can be called as a function"),
        ("length(a", "expected `,`, found end of expression"),
        ("a[*]b", "unexpected identifier `b` at offset 4"),
        ("{a b}", "expected `:`"),
    ];
    for (expr, reason) in cases {
        let err = parse(expr).unwrap_err();
        assert_eq!(err.expression, expr);
        assert!(err.reason.contains(reason), "{expr}: got `{}`", err.reason);
        assert!(err
            .to_string()
            .starts_with(&format!("JMESPath expression `{expr}`: ")));
    }
}

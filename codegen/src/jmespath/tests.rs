//! Parser and compiler tests: every expression the surveyed models use, the wider subset,
//! and the errors for what is not supported. Compiled code is checked as prettyplease
//! output in insta snapshots (`snapshots/`).

use std::collections::HashMap;
use std::fmt::Write as _;

use proc_macro2::TokenStream;
use quote::quote;

use super::*;

mod errors;

/// A tiny model: shapes named like the AWS ones the surveyed paths walk.
/// A member: wire name, accessor, target shape, optional.
type FakeMember = (&'static str, &'static str, &'static str, bool);

struct Fake(HashMap<&'static str, (Kind<&'static str>, Vec<FakeMember>)>);

impl Shapes for Fake {
    type Shape = &'static str;

    fn kind(&self, shape: &&'static str) -> Kind<&'static str> {
        self.0[shape].0.clone()
    }

    fn member(&self, structure: &&'static str, wire_name: &str) -> Option<Member<&'static str>> {
        let (_, members) = self.0.get(structure)?;
        members.iter().find(|(wire, ..)| *wire == wire_name).map(
            |(_, accessor, target, optional)| Member {
                accessor: accessor.to_string(),
                target: *target,
                optional: *optional,
            },
        )
    }
}

fn fake() -> Fake {
    use Kind::*;
    let s = |kind: Kind<&'static str>| (kind, Vec::new());
    let st = |members: Vec<FakeMember>| (Structure, members);
    Fake(HashMap::from([
        ("String", s(String)),
        ("Integer", s(Integer)),
        ("Double", s(Float)),
        ("Boolean", s(Boolean)),
        ("Timestamp", s(Other("timestamp"))),
        ("Status", s(Enum)),
        ("StringList", s(List("String"))),
        ("IntegerList", s(List("Integer"))),
        ("StatusList", s(List("Status"))),
        ("Nested", s(List("StringList"))),
        // DynamoDB
        (
            "DescribeTableOutput",
            st(vec![("Table", "table", "TableDescription", true)]),
        ),
        (
            "TableDescription",
            st(vec![
                ("TableStatus", "table_status", "Status", true),
                ("TableName", "table_name", "String", true),
                ("ItemCount", "item_count", "Integer", true),
                ("SizeBytes", "size_bytes", "Double", true),
                ("Replicas", "replicas", "ReplicaList", false),
                ("CreationDateTime", "creation_date_time", "Timestamp", true),
            ]),
        ),
        ("ReplicaList", s(List("Replica"))),
        (
            "Replica",
            st(vec![
                ("RegionName", "region_name", "String", true),
                ("ReplicaStatus", "replica_status", "Status", true),
                ("Tags", "tags", "StringList", false),
            ]),
        ),
        // operationContextParams inputs
        (
            "CreateTableInput",
            st(vec![(
                "TableCreationParameters",
                "table_creation_parameters",
                "TableCreationParameters",
                true,
            )]),
        ),
        (
            "TableCreationParameters",
            st(vec![("TableName", "table_name", "String", false)]),
        ),
        (
            "TransactGetItemsInput",
            st(vec![(
                "TransactItems",
                "transact_items",
                "TransactList",
                false,
            )]),
        ),
        ("TransactList", s(List("TransactGetItem"))),
        ("TransactGetItem", st(vec![("Get", "get", "Get", true)])),
        (
            "Get",
            st(vec![("TableName", "table_name", "String", false)]),
        ),
        (
            "BatchGetItemInput",
            st(vec![(
                "RequestItems",
                "request_items",
                "RequestItemsMap",
                true,
            )]),
        ),
        (
            "RequestItemsMap",
            s(Map {
                key: "String",
                value: "KeysAndAttributes",
            }),
        ),
        (
            "KeysAndAttributes",
            st(vec![("ConsistentRead", "consistent_read", "Boolean", true)]),
        ),
        // ACM
        (
            "DescribeCertificateOutput",
            st(vec![(
                "Certificate",
                "certificate",
                "CertificateDetail",
                true,
            )]),
        ),
        (
            "CertificateDetail",
            st(vec![
                ("Status", "status", "Status", true),
                (
                    "DomainValidationOptions",
                    "domain_validation_options",
                    "DomainValidationList",
                    false,
                ),
                ("InUse", "in_use", "Boolean", true),
                ("Name", "name", "String", false),
            ]),
        ),
        ("DomainValidationList", s(List("DomainValidation"))),
        (
            "DomainValidation",
            st(vec![
                ("DomainName", "domain_name", "String", false),
                ("ValidationStatus", "validation_status", "Status", true),
                ("ValidationEmails", "validation_emails", "StringList", false),
            ]),
        ),
        // ECR
        (
            "DescribeImageScanFindingsOutput",
            st(vec![
                (
                    "imageScanStatus",
                    "image_scan_status",
                    "ImageScanStatus",
                    true,
                ),
                ("status", "status", "Status", true),
            ]),
        ),
        (
            "ImageScanStatus",
            st(vec![("status", "status", "Status", true)]),
        ),
        // Lightsail
        (
            "GetContainerServiceDeploymentsOutput",
            st(vec![(
                "deployments",
                "deployments",
                "DeploymentList",
                false,
            )]),
        ),
        ("DeploymentList", s(List("Deployment"))),
        (
            "Deployment",
            st(vec![
                ("state", "state", "Status", true),
                ("version", "version", "Integer", true),
                ("createdAt", "created_at", "Timestamp", true),
                ("type", "r#type", "String", true),
            ]),
        ),
        (
            "NestedOutput",
            st(vec![("Matrix", "matrix", "Nested", false)]),
        ),
    ]))
}

fn root(shape: &'static str, var: &str) -> Root<&'static str> {
    Root::Value {
        var: var.into(),
        shape,
    }
}

/// The expression as prettyplease prints it inside a function body.
fn pretty(tokens: TokenStream) -> String {
    let file: syn::File =
        syn::parse2(quote!(fn f() { let _ = #tokens; })).expect("compiled code must parse");
    let text = prettyplease::unparse(&file);
    let body: Vec<&str> = text.lines().skip(1).collect();
    let body = body[..body.len() - 1].join("\n");
    let body = body.trim().strip_prefix("let _ = ").unwrap_or(&body);
    body.strip_suffix(';')
        .unwrap_or(body)
        .lines()
        .map(|l| l.strip_prefix("    ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn compiles_every_surveyed_path() {
    let shapes = fake();
    let cases: &[(&str, &str, &str)] = &[
        (
            "DescribeCertificateOutput",
            "output",
            "Certificate.DomainValidationOptions[].ValidationStatus",
        ),
        ("DescribeCertificateOutput", "output", "Certificate.Status"),
        ("DescribeTableOutput", "output", "Table.TableStatus"),
        (
            "DescribeImageScanFindingsOutput",
            "output",
            "imageScanStatus.status",
        ),
        ("DescribeImageScanFindingsOutput", "output", "status"),
        (
            "CreateTableInput",
            "input",
            "TableCreationParameters.TableName",
        ),
        (
            "TransactGetItemsInput",
            "input",
            "TransactItems[*].Get.TableName",
        ),
        ("BatchGetItemInput", "input", "keys(RequestItems)"),
    ];
    let mut out = String::new();
    for (shape, var, expr) in cases {
        let compiled = compile(&shapes, &root(shape, var), expr).unwrap_or_else(|e| panic!("{e}"));
        writeln!(
            out,
            "{expr}  [{:?}]\n{}\n",
            compiled.ty,
            pretty(compiled.tokens)
        )
        .unwrap();
    }
    insta::assert_snapshot!("compile_surveyed", out);
}

#[test]
fn compiles_the_surveyed_waiter_acceptors() {
    let shapes = fake();
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "DescribeCertificateOutput",
            "Certificate.DomainValidationOptions[].ValidationStatus",
            "allStringEquals",
            "SUCCESS",
        ),
        (
            "DescribeCertificateOutput",
            "Certificate.DomainValidationOptions[].ValidationStatus",
            "anyStringEquals",
            "PENDING_VALIDATION",
        ),
        (
            "DescribeCertificateOutput",
            "Certificate.Status",
            "stringEquals",
            "FAILED",
        ),
        (
            "DescribeTableOutput",
            "Table.TableStatus",
            "stringEquals",
            "ACTIVE",
        ),
        (
            "DescribeImageScanFindingsOutput",
            "imageScanStatus.status",
            "stringEquals",
            "COMPLETE",
        ),
        (
            "DescribeImageScanFindingsOutput",
            "status",
            "stringEquals",
            "FAILED",
        ),
        // The proposed Lightsail deployment waiter (newest deployment first), and the
        // order-independent alternative.
        (
            "GetContainerServiceDeploymentsOutput",
            "deployments[0].state",
            "stringEquals",
            "ACTIVE",
        ),
        (
            "GetContainerServiceDeploymentsOutput",
            "max_by(deployments, &version).state",
            "stringEquals",
            "FAILED",
        ),
        // Beyond the survey.
        (
            "DescribeCertificateOutput",
            "Certificate.InUse",
            "booleanEquals",
            "true",
        ),
        (
            "DescribeCertificateOutput",
            "Certificate.InUse",
            "booleanEquals",
            "false",
        ),
        (
            "DescribeTableOutput",
            "length(Table.Replicas) > `0`",
            "booleanEquals",
            "true",
        ),
        (
            "DescribeTableOutput",
            "Table.Replicas[].ReplicaStatus",
            "allStringEquals",
            "ACTIVE",
        ),
        (
            "DescribeTableOutput",
            "Table.Replicas[?RegionName == 'eu-west-1'].ReplicaStatus",
            "anyStringEquals",
            "ACTIVE",
        ),
        (
            "DescribeTableOutput",
            "contains(Table.Replicas[].RegionName, 'us-east-1')",
            "booleanEquals",
            "true",
        ),
        (
            "DescribeTableOutput",
            "Table.Replicas[?ReplicaStatus == 'ACTIVE'] | [0].RegionName",
            "stringEquals",
            "us-east-1",
        ),
    ];
    let mut out = String::new();
    for (shape, path, comparator, expected) in cases {
        let matcher = Matcher::from_model(comparator, expected).unwrap();
        let tokens = compile_matcher(&shapes, &root(shape, "output"), path, &matcher)
            .unwrap_or_else(|e| panic!("{e}"));
        writeln!(
            out,
            "{path}  {comparator} {expected:?}\n{}\n",
            pretty(tokens)
        )
        .unwrap();
    }
    insta::assert_snapshot!("compile_matchers", out);
}

#[test]
fn compiles_the_wider_subset() {
    let shapes = fake();
    let cases: &[(&str, &str)] = &[
        ("DescribeTableOutput", "Table.TableName == 'orders'"),
        ("DescribeTableOutput", "Table.TableName != 'orders'"),
        ("DescribeTableOutput", "Table.ItemCount >= `10`"),
        ("DescribeTableOutput", "Table.ItemCount != `10`"),
        ("DescribeTableOutput", "Table.ItemCount < `-1`"),
        ("DescribeTableOutput", "Table.SizeBytes > `1.5`"),
        ("DescribeTableOutput", "Table.ItemCount > `1.5`"),
        ("DescribeTableOutput", "Table.TableName == `null`"),
        ("DescribeTableOutput", "Table.TableStatus == Table.TableName"),
        ("DescribeTableOutput", "Table.TableStatus == 'ACTIVE' && !(Table.TableName) || Table.ItemCount == `0`"),
        ("DescribeTableOutput", "!(Table.TableName || Table.ItemCount)"),
        ("DescribeTableOutput", "!(Table.TableName == 'x') && !(Table.ItemCount < `1`)"),
        ("DescribeTableOutput", "!(Table.SizeBytes < `1`) && !starts_with(Table.TableName, 'x')"),
        ("DescribeTableOutput", "!(Table.Replicas[?RegionName])"),
        ("DescribeTableOutput", "Table.Replicas[-1].RegionName"),
        ("DescribeTableOutput", "Table.Replicas[2].RegionName"),
        ("DescribeTableOutput", "Table.Replicas[-3]"),
        ("DescribeTableOutput", "Table.Replicas[].RegionName | [0]"),
        ("DescribeTableOutput", "Table.Replicas[].RegionName | [-1]"),
        ("DescribeTableOutput", "Table.Replicas[].Tags[]"),
        ("DescribeTableOutput", "Table.Replicas[*].Tags | []"),
        ("DescribeTableOutput", "Table.Replicas[?Tags]"),
        ("DescribeTableOutput", "Table.Replicas[?contains(Tags, 'prod')].RegionName"),
        ("DescribeTableOutput", "length(Table.Replicas[?ReplicaStatus == 'ACTIVE'])"),
        ("DescribeTableOutput", "length(Table.TableName)"),
        ("DescribeTableOutput", "starts_with(Table.TableName, 'prod-')"),
        ("DescribeTableOutput", "ends_with(Table.TableStatus, 'ING')"),
        ("DescribeTableOutput", "min_by(Table.Replicas, &RegionName)"),
        ("DescribeCertificateOutput", "Certificate.Name"),
        ("DescribeCertificateOutput", "length(Certificate.Name) > `3`"),
        ("DescribeCertificateOutput", "Certificate.DomainValidationOptions[].ValidationEmails[]"),
        ("DescribeCertificateOutput", "Certificate.DomainValidationOptions[?DomainName == 'example.com'] | [0].ValidationStatus"),
        ("BatchGetItemInput", "values(RequestItems)[].ConsistentRead"),
        ("GetContainerServiceDeploymentsOutput", "min_by(deployments, &version).type"),
        ("GetContainerServiceDeploymentsOutput", "deployments[?version > `3`].version"),
    ];
    let mut out = String::new();
    for (shape, expr) in cases {
        let compiled =
            compile(&shapes, &root(shape, "output"), expr).unwrap_or_else(|e| panic!("{e}"));
        writeln!(
            out,
            "{expr}  [{:?}]\n{}\n",
            compiled.ty,
            pretty(compiled.tokens)
        )
        .unwrap();
    }
    insta::assert_snapshot!("compile_wider", out);
}

#[test]
fn input_output_paths() {
    let shapes = fake();
    let root = Root::InputOutput {
        input_var: "input".into(),
        input: "CreateTableInput",
        output_var: "output".into(),
        output: "DescribeTableOutput",
    };
    let tokens = compile_matcher(
        &shapes,
        &root,
        "input.TableCreationParameters.TableName == output.Table.TableName",
        &Matcher::BooleanEquals(true),
    )
    .unwrap();
    insta::assert_snapshot!(pretty(tokens), @r"
    input
        .table_creation_parameters()
        .map(|table_creation_parameters| table_creation_parameters.table_name())
        == output.table().and_then(|table| table.table_name())
    ");
    let err = compile(&shapes, &root, "Table.TableName").unwrap_err();
    assert!(
        err.reason.contains("starts with `input` or `output`"),
        "{err}"
    );
}

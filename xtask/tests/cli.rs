//! `cargo xtask codegen` as users run it: freshness of the committed crate, `--check` on
//! stale output, and a clear message with exit code 2 for each kind of bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf()
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run xtask")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn committed_generated_crate_is_fresh() {
    let out = xtask(&["codegen", "--check"]);
    assert!(
        out.status.success(),
        "generated/lightsail is stale; run `cargo xtask codegen`\n{}",
        stderr(&out)
    );
}

#[test]
fn check_fails_after_a_doc_string_changes_until_regenerated() {
    let dir = scratch("stale");
    let model = dir.join("model.json");
    let text = std::fs::read_to_string(root().join("model/lightsail.json")).expect("model");
    std::fs::write(&model, &text).expect("write model");
    let out_dir = dir.join("out");
    let args = [
        "codegen",
        "--model",
        path_str(&model),
        "--out",
        path_str(&out_dir),
    ];
    assert!(xtask(&args).status.success());
    let mut check = args.to_vec();
    check.push("--check");
    assert!(
        xtask(&check).status.success(),
        "fresh output must pass --check"
    );

    // Change one documentation string: --check must fail and name the file.
    let doc = "\"smithy.api#documentation\": \"";
    let at = text.find(doc).expect("a doc string") + doc.len();
    let edited = format!("{}Edited. {}", &text[..at], &text[at..]);
    std::fs::write(&model, edited).expect("edit model");
    let out = xtask(&check);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("is stale") && err.contains("changed: src/"),
        "{err}"
    );
    assert!(err.contains("run `cargo xtask codegen"), "{err}");

    assert!(xtask(&args).status.success());
    assert!(
        xtask(&check).status.success(),
        "regenerated output must pass --check"
    );
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

fn expect_bad_input(args: &[&str], needles: &[&str]) {
    let out = xtask(args);
    assert_eq!(
        out.status.code(),
        Some(2),
        "args {args:?}: {}",
        stderr(&out)
    );
    let err = stderr(&out);
    for needle in needles {
        assert!(
            err.contains(needle),
            "args {args:?}: `{needle}` not in:\n{err}"
        );
    }
}

#[test]
fn unreadable_model() {
    expect_bad_input(
        &["codegen", "--model", "/nonexistent/model.json", "--check"],
        &["error: cannot read model `/nonexistent/model.json`"],
    );
}

#[test]
fn invalid_json_reports_line_and_column() {
    let dir = scratch("json");
    let model = dir.join("bad.json");
    std::fs::write(&model, "{\n  \"smithy\": \"2.0\",\n  \"shapes\": {,}\n}\n").expect("write");
    expect_bad_input(
        &["codegen", "--model", path_str(&model), "--check"],
        &["invalid JSON at line 3, column 14"],
    );
}

#[test]
fn unknown_operation_suggests_the_nearest_names() {
    expect_bad_input(
        &[
            "codegen",
            "--operations",
            "GetContainerServiceDeployment",
            "--check",
        ],
        &[
            "unknown operation `GetContainerServiceDeployment`",
            "did you mean GetContainerServiceDeployments?",
        ],
    );
}

#[test]
fn unsupported_protocol_names_the_service() {
    let dir = scratch("protocol");
    let model = dir.join("rest.json");
    std::fs::write(
        &model,
        r#"{"smithy":"2.0","shapes":{"a.b#Svc":{"type":"service","version":"1","traits":{"aws.protocols#restJson1":{}}}}}"#,
    )
    .expect("write");
    expect_bad_input(
        &["codegen", "--model", path_str(&model), "--check"],
        &[
            "unsupported construct in `a.b#Svc`",
            "protocol aws.protocols#restJson1 is not supported",
        ],
    );
}

#[test]
fn missing_targets_are_all_reported_with_shape_and_member() {
    let dir = scratch("targets");
    let model = dir.join("missing.json");
    std::fs::write(
        &model,
        r#"{"smithy":"2.0","shapes":{
            "a.b#Svc":{"type":"service","version":"1","operations":[{"target":"a.b#Op"}],
                "traits":{"aws.protocols#awsJson1_0":{},"aws.auth#sigv4":{"name":"svc"}}},
            "a.b#Op":{"type":"operation","input":{"target":"a.b#In"}},
            "a.b#In":{"type":"structure","members":{
                "one":{"target":"a.b#Nope"},"two":{"target":"a.b#Gone"}}}}}"#,
    )
    .expect("write");
    expect_bad_input(
        &["codegen", "--model", path_str(&model), "--check"],
        &[
            "2 problems in the model",
            "`a.b#In$one` targets `a.b#Nope`, which is not defined in the model",
            "`a.b#In$two` targets `a.b#Gone`, which is not defined in the model",
        ],
    );
}

#[test]
fn mixins_are_rejected_by_name() {
    let dir = scratch("mixins");
    let model = dir.join("mixins.json");
    std::fs::write(
        &model,
        r#"{"smithy":"2.0","shapes":{
            "a.b#Svc":{"type":"service","version":"1","operations":[{"target":"a.b#Op"}],
                "traits":{"aws.protocols#awsJson1_0":{},"aws.auth#sigv4":{"name":"svc"}}},
            "a.b#Op":{"type":"operation","input":{"target":"a.b#In"}},
            "a.b#In":{"type":"structure","mixins":[{"target":"a.b#Base"}],"members":{}},
            "a.b#Base":{"type":"structure","members":{},"traits":{"smithy.api#mixin":{}}}}}"#,
    )
    .expect("write");
    expect_bad_input(
        &["codegen", "--model", path_str(&model), "--check"],
        &["unsupported construct in `a.b#In`: mixins are not resolved"],
    );
}

#[test]
fn bad_arguments() {
    expect_bad_input(
        &["codegen", "--frobnicate"],
        &["unknown argument `--frobnicate`"],
    );
    expect_bad_input(&["codegen", "--model"], &["`--model` needs a value"]);
    expect_bad_input(
        &["codegen", "--crate-name", "9lives", "--check"],
        &["invalid crate name `9lives`"],
    );
}

#[test]
fn crate_name_defaults_to_the_sdk_id_as_aws_sdk_rust_names_crates() {
    let dir = scratch("sdkid");
    let model = dir.join("model.json");
    let text = std::fs::read_to_string(root().join("model/lightsail.json")).expect("model");
    let renamed = text.replacen(
        "\"sdkId\": \"Lightsail\"",
        "\"sdkId\": \"Light Sail Two\"",
        1,
    );
    assert_ne!(renamed, text, "the model names its sdkId");
    std::fs::write(&model, renamed).expect("write model");
    let out_dir = dir.join("out");
    let out = xtask(&[
        "codegen",
        "--model",
        path_str(&model),
        "--out",
        path_str(&out_dir),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let manifest = std::fs::read_to_string(out_dir.join("Cargo.toml")).expect("manifest");
    assert!(
        manifest.contains("\nname = \"lightsailtwo\"\n"),
        "{manifest}"
    );
}

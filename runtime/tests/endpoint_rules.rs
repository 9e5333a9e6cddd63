//! Tests of `awsjson_runtime::endpoint`: the official Lightsail endpoint test suite, the
//! function library, partition lookup (and the table against botocore's partitions.json),
//! and hand-written rule sets for what the Lightsail rules do not exercise.

use std::collections::HashMap;
use std::io::Write;

use aws_smithy_types::{Document, Number};
use awsjson_runtime::endpoint::functions::{
    get_attr, is_valid_host_label, is_virtual_hostable_s3_bucket, parse_arn, parse_url, substring,
    uri_encode, Url,
};
use awsjson_runtime::endpoint::partitions::{self, partition, PARTITIONS};
use awsjson_runtime::endpoint::region_pattern::RegionPattern;
use awsjson_runtime::endpoint::{
    BuiltIns, Endpoint, EndpointError, EndpointErrorKind, ParamValue, Params, RuleSet,
};
use serde_json::Value;

const SERVICE_SHAPE: &str = "com.amazonaws.lightsail#Lightsail_20161128";

fn to_document(v: &Value) -> Document {
    match v {
        Value::Null => Document::Null,
        Value::Bool(b) => Document::Bool(*b),
        Value::Number(n) => Document::Number(match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Number::PosInt(u),
            (None, Some(i)) => Number::NegInt(i),
            _ => Number::Float(n.as_f64().expect("finite")),
        }),
        Value::String(s) => Document::String(s.clone()),
        Value::Array(a) => Document::Array(a.iter().map(to_document).collect()),
        Value::Object(o) => {
            Document::Object(o.iter().map(|(k, v)| (k.clone(), to_document(v))).collect())
        }
    }
}

fn params_from_json(params: Option<&Value>) -> Params {
    let mut out = Params::default();
    for (name, value) in params.and_then(Value::as_object).into_iter().flatten() {
        let value = match value {
            Value::String(s) => ParamValue::String(s.clone()),
            Value::Bool(b) => ParamValue::Bool(*b),
            Value::Array(items) => ParamValue::StringArray(
                items
                    .iter()
                    .map(|i| i.as_str().expect("string array").to_owned())
                    .collect(),
            ),
            other => panic!("unsupported test parameter {name}: {other}"),
        };
        out.set(name.clone(), value);
    }
    out
}

/// Built-ins equivalent to a test case's params, when every param is one of the four.
fn builtins_from_json(params: Option<&Value>) -> Option<BuiltIns> {
    let mut b = BuiltIns::default();
    for (name, value) in params.and_then(Value::as_object).into_iter().flatten() {
        match name.as_str() {
            "Region" => b.region = Some(value.as_str()?.to_owned()),
            "UseFIPS" => b.use_fips = value.as_bool()?,
            "UseDualStack" => b.use_dual_stack = value.as_bool()?,
            "Endpoint" => b.endpoint = Some(value.as_str()?.to_owned()),
            _ => return None,
        }
    }
    Some(b)
}

fn check_expectation(doc: &str, expect: &Value, got: &Result<Endpoint, EndpointError>) {
    if let Some(message) = expect.get("error").and_then(Value::as_str) {
        match got {
            Err(e) => {
                assert_eq!(e.kind(), EndpointErrorKind::Rule, "{doc}");
                assert_eq!(e.to_string(), message, "{doc}");
            }
            Ok(ep) => panic!("{doc}: expected error {message:?}, got {ep:?}"),
        }
        return;
    }
    let want = expect.get("endpoint").expect("endpoint or error");
    let ep = match got {
        Ok(ep) => ep,
        Err(e) => panic!("{doc}: expected an endpoint, got error {e}"),
    };
    assert_eq!(Some(ep.url.as_str()), want["url"].as_str(), "{doc}");
    let want_headers: HashMap<String, Vec<String>> = want
        .get("headers")
        .map(|h| serde_json::from_value(h.clone()).expect("headers"))
        .unwrap_or_default();
    let got_headers: HashMap<String, Vec<String>> = ep.headers.clone().into_iter().collect();
    assert_eq!(got_headers, want_headers, "{doc}");
    let want_props: HashMap<String, Document> = want
        .get("properties")
        .and_then(Value::as_object)
        .map(|o| o.iter().map(|(k, v)| (k.clone(), to_document(v))).collect())
        .unwrap_or_default();
    assert_eq!(ep.properties, want_props, "{doc}");
}

/// The path in `var`, the data a test needs (`what`). Missing data fails the test under CI
/// (`CI` set and not `false`/`0`: `.ci/run` exports `CI=true`); elsewhere the test is
/// skipped with a SKIPPED line written straight to stderr, which libtest does not capture
/// (it captures `eprintln!`), so the skip shows in every `cargo test` run.
fn data_path(var: &str, test: &str, what: &str) -> Option<String> {
    if let Ok(path) = std::env::var(var) {
        return Some(path);
    }
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    assert!(!ci, "{test}: {var} is not set; CI must point it at {what}");
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {var} is not set (point it at {what})"
    );
    None
}

#[test]
fn official_lightsail_endpoint_tests() {
    let Some(path) = data_path(
        "LIGHTSAIL_OFFICIAL_MODEL",
        "official_lightsail_endpoint_tests",
        "the official Lightsail Smithy JSON model, to run its 34 endpoint tests",
    ) else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    let model: Value = serde_json::from_str(&text).expect("model JSON");
    let traits = &model["shapes"][SERVICE_SHAPE]["traits"];
    let rule_set_json = traits["smithy.rules#endpointRuleSet"].to_string();
    // Both entry points: from JSON text (what generated crates use) and from a document.
    let rules = RuleSet::from_json(&rule_set_json).expect("official rule set loads");
    let from_doc = RuleSet::from_document(&to_document(&traits["smithy.rules#endpointRuleSet"]))
        .expect("official rule set loads from a document");
    assert_eq!(rules, from_doc);

    let cases = traits["smithy.rules#endpointTests"]["testCases"]
        .as_array()
        .expect("testCases");
    let mut ran = 0;
    let mut via_builtins = 0;
    for case in cases {
        let doc = case["documentation"].as_str().unwrap_or("(undocumented)");
        let params = case.get("params");
        let got = rules.resolve(&params_from_json(params));
        check_expectation(doc, &case["expect"], &got);
        // The same case through the SDK built-ins must give the same answer.
        if let Some(b) = builtins_from_json(params) {
            assert_eq!(rules.resolve(&rules.params_from_builtins(&b)), got, "{doc}");
            via_builtins += 1;
        }
        ran += 1;
    }
    eprintln!("official Lightsail endpoint tests: {ran} ran, {via_builtins} also via built-ins");
    assert_eq!(ran, 34, "the model has 34 endpoint test cases");
    assert_eq!(via_builtins, 34);
}

#[test]
fn official_rules_us_east_1_via_builtins() {
    let Some(path) = data_path(
        "LIGHTSAIL_OFFICIAL_MODEL",
        "official_rules_us_east_1_via_builtins",
        "the official Lightsail Smithy JSON model",
    ) else {
        return;
    };
    let model: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("model")).expect("json");
    let rules = RuleSet::from_json(
        &model["shapes"][SERVICE_SHAPE]["traits"]["smithy.rules#endpointRuleSet"].to_string(),
    )
    .expect("loads");
    let b = BuiltIns {
        region: Some("us-east-1".into()),
        ..BuiltIns::default()
    };
    let params = rules.params_from_builtins(&b);
    assert_eq!(
        params.get("Region"),
        Some(&ParamValue::String("us-east-1".into()))
    );
    assert_eq!(params.get("UseFIPS"), Some(&ParamValue::Bool(false)));
    assert_eq!(params.get("Endpoint"), None);
    let ep = rules.resolve(&params).expect("resolves");
    assert_eq!(ep.url, "https://lightsail.us-east-1.amazonaws.com");
    assert!(ep.headers.is_empty() && ep.properties.is_empty());

    let fips_custom = BuiltIns {
        use_fips: true,
        endpoint: Some("https://example.com".into()),
        ..b
    };
    let err = rules
        .resolve(&rules.params_from_builtins(&fips_custom))
        .expect_err("FIPS + custom endpoint is an error");
    assert_eq!(
        err.to_string(),
        "Invalid Configuration: FIPS and custom endpoint are not supported"
    );
    // Defaults apply to required booleans left unset.
    let only_region = Params::builder().string("Region", "eu-west-3").build();
    assert_eq!(
        rules.resolve(&only_region).expect("resolves").url,
        "https://lightsail.eu-west-3.amazonaws.com"
    );
}

// ---------------------------------------------------------------- partitions

#[test]
fn partition_matching() {
    let name = |r: &str| partition(r).map(|p| p.id);
    assert_eq!(name("us-east-1"), Some("aws"));
    assert_eq!(name("cn-north-1"), Some("aws-cn"));
    assert_eq!(name("us-gov-west-1"), Some("aws-us-gov"));
    assert_eq!(name("us-iso-east-1"), Some("aws-iso"));
    assert_eq!(name("us-isob-east-1"), Some("aws-iso-b"));
    // Exact names that no regex matches.
    assert_eq!(name("aws-global"), Some("aws"));
    assert_eq!(name("aws-cn-global"), Some("aws-cn"));
    // Not listed, but matching a region regex.
    assert_eq!(name("us-gov-south-9"), Some("aws-us-gov"));
    assert_eq!(name("cn-south-7"), Some("aws-cn"));
    assert_eq!(name("eu-isoe-north-3"), Some("aws-iso-e"));
    assert_eq!(name("ap-future-12"), Some("aws"));
    // Unknown: falls back to aws.
    assert_eq!(name("xx-foo-1"), Some("aws"));
    assert_eq!(name(""), Some("aws"));
    let cn = partition("cn-north-1").expect("aws-cn").outputs;
    assert_eq!(cn.dns_suffix, "amazonaws.com.cn");
    assert_eq!(cn.dual_stack_dns_suffix, "api.amazonwebservices.com.cn");
    assert!(cn.supports_fips && cn.supports_dual_stack);
    assert!(partitions::all_region_regexes_compile());
}

#[test]
fn partition_table_matches_partitions_json() {
    let Some(path) = data_path(
        "PARTITIONS_JSON",
        "partition_table_matches_partitions_json",
        "botocore's partitions.json, to check the embedded table",
    ) else {
        return;
    };
    let data: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read partitions.json"))
            .expect("partitions.json");
    let parts = data["partitions"].as_array().expect("partitions");
    let hint = "run `python3 runtime/scripts/gen_partitions.py <partitions.json>`";
    assert_eq!(
        parts.len(),
        PARTITIONS.len(),
        "partition count differs; {hint}"
    );
    for (p, t) in parts.iter().zip(PARTITIONS) {
        let id = p["id"].as_str().expect("id");
        assert_eq!(id, t.id, "partition order differs; {hint}");
        assert_eq!(
            p["regionRegex"].as_str(),
            Some(t.region_regex),
            "{id}; {hint}"
        );
        let o = &p["outputs"];
        let to = &t.outputs;
        assert_eq!(o["name"].as_str(), Some(to.name), "{id}; {hint}");
        assert_eq!(o["dnsSuffix"].as_str(), Some(to.dns_suffix), "{id}; {hint}");
        assert_eq!(
            o["dualStackDnsSuffix"].as_str(),
            Some(to.dual_stack_dns_suffix),
            "{id}; {hint}"
        );
        assert_eq!(
            o["supportsFIPS"].as_bool(),
            Some(to.supports_fips),
            "{id}; {hint}"
        );
        assert_eq!(
            o["supportsDualStack"].as_bool(),
            Some(to.supports_dual_stack),
            "{id}; {hint}"
        );
        assert_eq!(
            o["implicitGlobalRegion"].as_str(),
            Some(to.implicit_global_region),
            "{id}; {hint}"
        );
        let regions = p["regions"].as_object().expect("regions");
        let names: Vec<&str> = regions.keys().map(String::as_str).collect();
        let mut table: Vec<&str> = t.regions.to_vec();
        let mut json = names.clone();
        table.sort_unstable();
        json.sort_unstable();
        assert_eq!(json, table, "{id} regions differ; {hint}");
        for (region, facts) in regions {
            let overrides: Vec<&String> = facts
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, _)| k)
                .filter(|k| *k != "description")
                .collect();
            assert!(
                overrides.is_empty(),
                "{region} overrides {overrides:?}: the table cannot express that"
            );
        }
    }
    assert!(partitions::all_region_regexes_compile());
}

proptest::proptest! {
    /// The region-regex matcher against `regex-lite` on every pattern of the table: strings
    /// near region names (letters, digits, `-`, `_`, a non-ASCII letter) and mutated known
    /// regions.
    #[test]
    fn region_patterns_agree_with_regex_lite(
        random in "[a-z0-9_\\-é]{0,16}",
        known in proptest::sample::select(
            PARTITIONS.iter().flat_map(|p| p.regions.iter().copied()).collect::<Vec<_>>()
        ),
        cut in 0usize..20,
        suffix in "[a-z0-9_\\-]{0,3}",
    ) {
        let mutated = format!("{}{suffix}", known.get(..cut.min(known.len())).unwrap_or(known));
        for p in PARTITIONS {
            let ours = RegionPattern::parse(p.region_regex).expect("supported");
            let oracle = regex_lite::Regex::new(p.region_regex).expect("valid regex");
            for region in [random.as_str(), known, mutated.as_str()] {
                proptest::prop_assert_eq!(
                    ours.is_match(region),
                    oracle.is_match(region),
                    "{} on {:?}", p.region_regex, region
                );
            }
        }
    }
}

// ---------------------------------------------------------------- functions

fn url(scheme: &str, authority: &str, path: &str, normalized: &str, is_ip: bool) -> Option<Url> {
    Some(Url {
        scheme: scheme.into(),
        authority: authority.into(),
        path: path.into(),
        normalized_path: normalized.into(),
        is_ip,
    })
}

#[test]
fn parse_url_cases() {
    assert_eq!(
        parse_url("https://example.com"),
        url("https", "example.com", "", "/", false)
    );
    assert_eq!(
        parse_url("https://example.com/"),
        url("https", "example.com", "/", "/", false)
    );
    assert_eq!(
        parse_url("http://example.com:80/foo/bar"),
        url("http", "example.com:80", "/foo/bar", "/foo/bar/", false)
    );
    assert_eq!(
        parse_url("https://example.com:8443/a/"),
        url("https", "example.com:8443", "/a/", "/a/", false)
    );
    assert_eq!(
        parse_url("HTTPS://Example.com").map(|u| u.scheme),
        Some("https".into())
    );
    assert_eq!(
        parse_url("https://127.0.0.1"),
        url("https", "127.0.0.1", "", "/", true)
    );
    assert_eq!(
        parse_url("http://127.0.0.1:8080/p"),
        url("http", "127.0.0.1:8080", "/p", "/p/", true)
    );
    assert_eq!(
        parse_url("https://[fe80::1]"),
        url("https", "[fe80::1]", "", "/", true)
    );
    assert_eq!(
        parse_url("https://[2001:db8::7]:443/x"),
        url("https", "[2001:db8::7]:443", "/x", "/x/", true)
    );
    // Looks like an IP but is a host name.
    assert_eq!(
        parse_url("https://1.2.3.4.example.com").map(|u| u.is_ip),
        Some(false)
    );
    for bad in [
        "https://example.com:8443?foo=bar&faz=baz",
        "https://example.com/?x",
        "https://example.com/#frag",
        "ftp://example.com",
        "example.com",
        "https://",
        "https://:443",
        "https://example.com:",
        "https://example.com:99999",
        "https://example.com:8o",
        "https://user@example.com",
        "https://exa mple.com",
        "https://[fe80::zz]",
        "https://[fe80::1]x",
        "",
    ] {
        assert_eq!(parse_url(bad), None, "{bad:?}");
    }
}

#[test]
fn parse_arn_cases() {
    let arn =
        parse_arn("arn:aws:ec2:us-east-1:012345678910:vpc/vpc-0e9801d129EXAMPLE").expect("valid");
    assert_eq!(
        (
            arn.partition.as_str(),
            arn.service.as_str(),
            arn.region.as_str()
        ),
        ("aws", "ec2", "us-east-1")
    );
    assert_eq!(arn.account_id, "012345678910");
    assert_eq!(arn.resource_id, ["vpc", "vpc-0e9801d129EXAMPLE"]);
    let s3 = parse_arn("arn:aws:s3:::bucket_name").expect("valid");
    assert_eq!((s3.region.as_str(), s3.account_id.as_str()), ("", ""));
    assert_eq!(s3.resource_id, ["bucket_name"]);
    assert_eq!(
        parse_arn("arn:aws:s3:us-west-2:123:accesspoint:ap/x").map(|a| a.resource_id),
        Some(vec!["accesspoint".into(), "ap".into(), "x".into()])
    );
    for bad in [
        "11111111-2222-3333-4444-555555555555",
        "arn:aws:s3:us-east-1:123",
        "arn:aws:s3:us-east-1:123:",
        "arn::s3:::b",
        "arn:aws::::b",
        "ARN:aws:s3:::b",
        "",
    ] {
        assert_eq!(parse_arn(bad), None, "{bad:?}");
    }
}

#[test]
fn substring_cases() {
    assert_eq!(substring("abcdefg", 0, 4, false), Some("abcd"));
    assert_eq!(substring("abcdefg", 2, 5, false), Some("cde"));
    assert_eq!(substring("abcdefg", 0, 4, true), Some("defg"));
    assert_eq!(substring("abcdefg", 1, 3, true), Some("ef"));
    assert_eq!(substring("abcdefg", 0, 7, true), Some("abcdefg"));
    assert_eq!(substring("abc", 0, 4, false), None, "too short");
    assert_eq!(substring("abc", 2, 2, false), None, "empty range");
    assert_eq!(substring("abc", 3, 1, true), None, "reversed range");
    assert_eq!(substring("aé€bcd", 0, 2, false), None, "non-ASCII");
}

#[test]
fn uri_encode_cases() {
    assert_eq!(uri_encode("abcXYZ019-_.~"), "abcXYZ019-_.~");
    assert_eq!(uri_encode("a b/c:d"), "a%20b%2Fc%3Ad");
    assert_eq!(
        uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
        "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
    );
    assert_eq!(uri_encode("é"), "%C3%A9");
    assert_eq!(uri_encode(""), "");
}

#[test]
fn host_label_cases() {
    assert!(is_valid_host_label("abc", false));
    assert!(is_valid_host_label("a-b-1", false));
    assert!(is_valid_host_label("0abc", false));
    assert!(is_valid_host_label(&"a".repeat(63), false));
    assert!(!is_valid_host_label(&"a".repeat(64), false));
    assert!(!is_valid_host_label("", false));
    assert!(!is_valid_host_label("-abc", false));
    assert!(!is_valid_host_label("a_b", false));
    assert!(
        !is_valid_host_label("a.b", false),
        "dots need allowSubDomains"
    );
    assert!(is_valid_host_label("a.b.c", true));
    assert!(!is_valid_host_label("a..b", true));
    assert!(!is_valid_host_label("a.b.", true));
    assert!(!is_valid_host_label("a.-b", true));

    assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
    assert!(!is_virtual_hostable_s3_bucket("My-Bucket", false));
    assert!(!is_virtual_hostable_s3_bucket("ab", false));
    assert!(!is_virtual_hostable_s3_bucket("bucket-", false));
    assert!(!is_virtual_hostable_s3_bucket("my.bucket", false));
    assert!(is_virtual_hostable_s3_bucket("my.bucket", true));
    assert!(!is_virtual_hostable_s3_bucket("192.168.1.1", true));
}

#[test]
fn get_attr_paths() {
    let doc = to_document(&serde_json::json!({
        "a": {"b": ["x", "y"], "c": true},
        "list": [{"k": "v"}]
    }));
    let s = |d: Option<&Document>| d.and_then(Document::as_string).map(str::to_owned);
    assert_eq!(s(get_attr(&doc, "a.b[1]")), Some("y".into()));
    assert_eq!(s(get_attr(&doc, "a.b[0]")), Some("x".into()));
    assert_eq!(get_attr(&doc, "a.c"), Some(&Document::Bool(true)));
    assert_eq!(s(get_attr(&doc, "list[0].k")), Some("v".into()));
    assert_eq!(get_attr(&doc, "a.b[2]"), None, "index out of range");
    assert_eq!(get_attr(&doc, "a.missing"), None);
    assert_eq!(get_attr(&doc, "a.c.d"), None, "not an object");
    assert_eq!(get_attr(&doc, "a[0]"), None, "not an array");
    assert_eq!(get_attr(&doc, "a..b"), None, "malformed");
    let arr = to_document(&serde_json::json!(["p", "q"]));
    assert_eq!(s(get_attr(&arr, "[1]")), Some("q".into()));
}

// ---------------------------------------------------------------- hand-written rule sets

/// A small rule set exercising assign, getAttr, templates, headers, properties, stringArray
/// parameters, every function, tree exhaustion and error templates.
const HAND_RULES: &str = r#"{
  "version": "1.0",
  "parameters": {
    "Region": {"type": "string", "builtIn": "AWS::Region", "documentation": "region"},
    "UseFIPS": {"type": "boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false},
    "Endpoint": {"type": "string", "builtIn": "SDK::Endpoint"},
    "Bucket": {"type": "string"},
    "Arn": {"type": "string"},
    "Keys": {"type": "stringArray", "required": true, "default": ["k0", "k1"]},
    "Mode": {"type": "string", "required": true, "default": "normal"}
  },
  "rules": [
    {
      "type": "tree",
      "conditions": [
        {"fn": "isSet", "argv": [{"ref": "Endpoint"}]},
        {"fn": "parseURL", "argv": [{"ref": "Endpoint"}], "assign": "url"}
      ],
      "rules": [
        {
          "type": "endpoint",
          "conditions": [{"fn": "getAttr", "argv": [{"ref": "url"}, "isIp"]}],
          "endpoint": {"url": "{url#scheme}://{url#authority}{url#normalizedPath}ip"}
        },
        {
          "type": "endpoint",
          "conditions": [],
          "endpoint": {
            "url": {"ref": "Endpoint"},
            "headers": {"x-path": ["{url#path}", "literal {{braces}}"]}
          }
        }
      ]
    },
    {
      "type": "tree",
      "conditions": [
        {"fn": "isSet", "argv": [{"ref": "Arn"}]},
        {"fn": "aws.parseArn", "argv": [{"ref": "Arn"}], "assign": "arn"},
        {"fn": "getAttr", "argv": [{"ref": "arn"}, "resourceId[1]"], "assign": "name"}
      ],
      "rules": [
        {
          "type": "error",
          "conditions": [{"fn": "not", "argv": [{"fn": "isValidHostLabel", "argv": [{"ref": "name"}, false]}]}],
          "error": "bad resource name `{name}` in {arn#service}"
        },
        {
          "type": "endpoint",
          "conditions": [
            {"fn": "aws.partition", "argv": [{"fn": "getAttr", "argv": [{"ref": "arn"}, "region"]}], "assign": "p"}
          ],
          "endpoint": {
            "url": "https://{name}.{arn#region}.{p#dnsSuffix}",
            "properties": {
              "authSchemes": [{"name": "sigv4", "signingRegion": "{arn#region}", "disableDoubleEncoding": true}],
              "partition": "{p#name}",
              "ref": {"ref": "not-a-reference"}
            }
          }
        }
      ]
    },
    {
      "type": "tree",
      "conditions": [{"fn": "isSet", "argv": [{"ref": "Bucket"}]}],
      "rules": [
        {
          "type": "endpoint",
          "conditions": [
            {"fn": "aws.isVirtualHostableS3Bucket", "argv": [{"ref": "Bucket"}, false]},
            {"fn": "substring", "argv": [{"ref": "Bucket"}, 0, 3, true], "assign": "tail"},
            {"fn": "getAttr", "argv": [{"ref": "Keys"}, "[1]"], "assign": "key"},
            {"fn": "stringEquals", "argv": [{"ref": "Mode"}, "normal"]}
          ],
          "endpoint": {"url": "https://{Bucket}.s3.example.com/{key}/{tail}"}
        },
        {
          "type": "endpoint",
          "conditions": [{"fn": "uriEncode", "argv": [{"ref": "Bucket"}], "assign": "enc"},
                         {"fn": "stringEquals", "argv": ["{Mode}", "path"]}],
          "endpoint": {"url": "https://s3.example.com/{enc}"}
        }
      ]
    },
    {
      "type": "endpoint",
      "conditions": [
        {"fn": "isSet", "argv": [{"ref": "Region"}]},
        {"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}
      ],
      "endpoint": {"url": "https://fips.{Region}.example.com"}
    },
    {
      "type": "endpoint",
      "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
      "endpoint": {"url": "https://{Region}.example.com"}
    },
    {"type": "error", "conditions": [], "error": "no region, {Mode} mode"}
  ]
}"#;

fn hand() -> RuleSet {
    RuleSet::from_json(HAND_RULES).expect("hand-written rule set loads")
}

fn resolve(params: Params) -> Result<Endpoint, EndpointError> {
    hand().resolve(&params)
}

#[test]
fn hand_rules_regions_and_builtins() {
    let rules = hand();
    assert_eq!(rules.version(), "1.0");
    assert_eq!(
        rules.parameter_names().collect::<Vec<_>>(),
        ["Arn", "Bucket", "Endpoint", "Keys", "Mode", "Region", "UseFIPS"]
    );
    let b = BuiltIns {
        region: Some("us-west-2".into()),
        use_fips: true,
        use_dual_stack: true, // no parameter declares AWS::UseDualStack: ignored
        endpoint: None,
        ..BuiltIns::default()
    };
    let params = rules.params_from_builtins(&b);
    assert_eq!(params.iter().count(), 2);
    assert_eq!(
        rules.resolve(&params).expect("ok").url,
        "https://fips.us-west-2.example.com"
    );
    let plain = Params::builder().string("Region", "us-west-2").build();
    assert_eq!(
        resolve(plain).expect("ok").url,
        "https://us-west-2.example.com"
    );
    let err = resolve(Params::default()).expect_err("error rule");
    assert_eq!(err.kind(), EndpointErrorKind::Rule);
    assert_eq!(err.to_string(), "no region, normal mode");
}

#[test]
fn hand_rules_parse_url_and_headers() {
    let ep = resolve(
        Params::builder()
            .string("Endpoint", "http://10.0.0.1:8080/base")
            .build(),
    )
    .expect("ok");
    assert_eq!(ep.url, "http://10.0.0.1:8080/base/ip");
    let ep = resolve(
        Params::builder()
            .string("Endpoint", "https://example.com/p")
            .build(),
    )
    .expect("ok");
    assert_eq!(ep.url, "https://example.com/p");
    assert_eq!(
        ep.headers.get("x-path"),
        Some(&vec!["/p".to_owned(), "literal {braces}".to_owned()])
    );
    // parseURL rejecting the endpoint makes the tree's own condition false, so evaluation
    // moves on to later rules rather than failing inside the tree.
    let err = resolve(Params::builder().string("Endpoint", "https://x/?q").build())
        .expect_err("falls through to the error rule");
    assert_eq!(err.to_string(), "no region, normal mode");
}

#[test]
fn hand_rules_arn_partition_and_properties() {
    let ep = resolve(
        Params::builder()
            .string(
                "Arn",
                "arn:aws-cn:s3:cn-north-1:123456789012:accesspoint/my-ap",
            )
            .build(),
    )
    .expect("ok");
    assert_eq!(ep.url, "https://my-ap.cn-north-1.amazonaws.com.cn");
    let props = serde_json::json!({
        "authSchemes": [{"name": "sigv4", "signingRegion": "cn-north-1", "disableDoubleEncoding": true}],
        "partition": "aws-cn",
        "ref": {"ref": "not-a-reference"}
    });
    let want: HashMap<String, Document> = props
        .as_object()
        .expect("object")
        .iter()
        .map(|(k, v)| (k.clone(), to_document(v)))
        .collect();
    assert_eq!(ep.properties, want);

    let err = resolve(
        Params::builder()
            .string("Arn", "arn:aws:s3:us-east-1:1:ap/bad_name")
            .build(),
    )
    .expect_err("error rule");
    assert_eq!(err.to_string(), "bad resource name `bad_name` in s3");

    // ARN without a second resource part: the tree's getAttr condition is unset -> skip tree.
    let err = resolve(
        Params::builder()
            .string("Arn", "arn:aws:s3:::bucket")
            .build(),
    )
    .expect_err("falls through");
    assert_eq!(err.to_string(), "no region, normal mode");
}

#[test]
fn hand_rules_bucket_string_array_and_tree_exhaustion() {
    let ep = resolve(Params::builder().string("Bucket", "my-bucket").build()).expect("ok");
    assert_eq!(ep.url, "https://my-bucket.s3.example.com/k1/ket");
    let ep = resolve(
        Params::builder()
            .string("Bucket", "my-bucket")
            .string_array("Keys", ["a", "b", "c"])
            .build(),
    )
    .expect("ok");
    assert_eq!(ep.url, "https://my-bucket.s3.example.com/b/ket");
    let ep = resolve(
        Params::builder()
            .string("Bucket", "My Bucket/1")
            .string("Mode", "path")
            .build(),
    )
    .expect("ok");
    assert_eq!(ep.url, "https://s3.example.com/My%20Bucket%2F1");
    // The bucket tree matched, but neither sub-rule does: rule exhaustion is an error (the
    // spec makes tree rules terminal), not a fall-through to the region rules.
    let err = resolve(
        Params::builder()
            .string("Bucket", "Not Hostable")
            .string("Region", "us-east-1")
            .build(),
    )
    .expect_err("exhausted");
    assert_eq!(err.kind(), EndpointErrorKind::Evaluation);
    assert!(err.to_string().contains("exhausted"), "{err}");
}

#[test]
fn params_are_checked() {
    let err = resolve(Params::builder().boolean("Region", true).build()).expect_err("type");
    assert_eq!(err.kind(), EndpointErrorKind::InvalidParams);
    assert!(
        err.to_string().contains("`Region` must be a string"),
        "{err}"
    );
    let err = resolve(Params::builder().string("Regoin", "us-east-1").build()).expect_err("name");
    assert!(
        err.to_string().contains("`Regoin` is not a parameter"),
        "{err}"
    );

    let rules = RuleSet::from_json(
        r#"{"version": "1.0",
            "parameters": {"Id": {"type": "string", "required": true}},
            "rules": [{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{Id}.example.com"}}]}"#,
    )
    .expect("loads");
    let err = rules.resolve(&Params::default()).expect_err("missing");
    assert_eq!(err.kind(), EndpointErrorKind::InvalidParams);
    assert_eq!(
        err.to_string(),
        "invalid endpoint parameters: missing required parameter `Id`"
    );
    let ep = rules
        .resolve(&Params::builder().string("Id", "abc").build())
        .expect("ok");
    assert_eq!(ep.url, "https://abc.example.com");
}

#[test]
fn runtime_type_mismatch_is_an_error_not_a_panic() {
    let rules = RuleSet::from_json(
        r#"{"version": "1.0",
            "parameters": {"Flag": {"type": "boolean", "required": true, "default": true}},
            "rules": [{"type": "endpoint",
                       "conditions": [{"fn": "stringEquals", "argv": [{"ref": "Flag"}, "x"]}],
                       "endpoint": {"url": "https://example.com"}},
                      {"type": "error", "conditions": [], "error": {"ref": "Flag"}}]}"#,
    )
    .expect("loads");
    let err = rules.resolve(&Params::default()).expect_err("mismatch");
    assert_eq!(err.kind(), EndpointErrorKind::Evaluation);
    assert!(
        err.to_string()
            .contains("argument 0 of `stringEquals` must be a string"),
        "{err}"
    );
}

#[test]
fn invalid_rule_sets_name_the_place() {
    let cases = [
        (
            r#"{"version": "1.0", "parameters": {}, "rules": [
                {"type": "tree", "conditions": [], "rules": [
                  {"type": "error", "conditions": [{"fn": "frobnicate", "argv": []}], "error": "x"}]}]}"#,
            "rules[0].rules[0].conditions[0]: unknown function \"frobnicate\"",
        ),
        (
            r#"{"version": "1.0", "parameters": {}, "rules": [
                {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{Nope}.com"}}]}"#,
            "rules[0].endpoint.url: `Nope` is neither a parameter",
        ),
        (
            r#"{"version": "1.0", "parameters": {"A": {"type": "string"}}, "rules": [
                {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "A"}, true]}],
                 "endpoint": {"url": "https://x"}}]}"#,
            "rules[0].conditions[0]: `isSet` takes 1 argument(s), got 2",
        ),
        (
            r#"{"version": "1.0", "parameters": {"A": {"type": "string"}}, "rules": [
                {"type": "endpoint", "conditions": [{"fn": "getAttr", "argv": [{"ref": "A"}, "a..b"]}],
                 "endpoint": {"url": "https://x"}}]}"#,
            "rules[0].conditions[0].argv[1]: getAttr needs a path",
        ),
        (
            r#"{"version": "1.0", "parameters": {}, "rules": [
                {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{x"}}]}"#,
            "rules[0].endpoint.url: unclosed `{`",
        ),
        (
            r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "magic", "conditions": []}]}"#,
            "rules[0]: unknown rule type \"magic\"",
        ),
        (
            r#"{"version": "1.0", "parameters": {"A": {"type": "integer"}}, "rules": []}"#,
            "parameters.A: unknown type \"integer\"",
        ),
        (
            r#"{"version": "1.0", "parameters": {"A": {"type": "boolean", "default": "yes"}}, "rules": []}"#,
            "parameters.A: `default` must be of type boolean",
        ),
        (
            r#"{"version": "1.0", "parameters": {}, "rules": [
                {"type": "endpoint", "conditions": [], "endpoint": {"url": {"neither": 1}}}]}"#,
            "rules[0].endpoint.url: expected `ref` or `fn`",
        ),
        (
            r#"{"version": "1.0", "parameters": {"A": {"type": "string"}}, "rules": [
                {"type": "tree", "conditions": [{"fn": "isSet", "argv": [{"ref": "A"}], "assign": "v"}],
                 "rules": [{"type": "error", "conditions": [], "error": "{v}"}]},
                {"type": "error", "conditions": [], "error": "{v}"}]}"#,
            "rules[1].error: `v` is neither a parameter",
        ),
        (
            r#"{"version": "1.0", "parameters": {"A": {"type": "string"}}, "rules": [
                {"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "A"}], "assign": "A"}],
                 "error": "x"}]}"#,
            "rules[0].conditions[0]: `assign` would shadow `A`",
        ),
        (
            r#"{"version": "2.0", "parameters": {}, "rules": []}"#,
            "unsupported rule set version",
        ),
        (
            r#"{"version": "1.0", "parameters": {}, "rules": []}"#,
            "at least one rule",
        ),
        (
            r#"{"version": "1.0", "parameters": {}"#,
            "invalid endpoint rule set: json",
        ),
        (r#"[1, 2]"#, "rule set: expected an object"),
    ];
    for (json, want) in cases {
        let err = RuleSet::from_json(json).expect_err(want);
        assert_eq!(err.kind(), EndpointErrorKind::InvalidRuleSet, "{err}");
        assert!(
            err.to_string().contains(want),
            "{err}\n  does not contain: {want}"
        );
    }
}

mod no_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn functions_take_any_string(s in "\\PC{0,40}", a in 0usize..50, b in 0usize..50, r: bool) {
            let _ = parse_url(&s);
            let _ = parse_arn(&s);
            let _ = substring(&s, a, b, r);
            let _ = uri_encode(&s);
            let _ = is_valid_host_label(&s, r);
            let _ = is_virtual_hostable_s3_bucket(&s, r);
            let _ = partition(&s);
            let _ = get_attr(&Document::Null, &s);
        }

        #[test]
        fn urls_with_http_prefix(rest in "[a-z0-9:/\\[\\]%.@?#-]{0,30}") {
            let _ = parse_url(&format!("https://{rest}"));
        }

        #[test]
        fn from_json_takes_any_text(s in "\\PC{0,80}") {
            let _ = RuleSet::from_json(&s);
        }

        #[test]
        fn hand_rules_take_any_params(region in "\\PC{0,20}", endpoint in "\\PC{0,30}",
                                      arn in "arn:[a-z:/_-]{0,30}", bucket in "\\PC{0,20}") {
            let rules = hand();
            for params in [
                Params::builder().string("Region", region.clone()).build(),
                Params::builder().string("Endpoint", endpoint.clone()).build(),
                Params::builder().string("Arn", arn.clone()).build(),
                Params::builder().string("Bucket", bucket.clone()).string("Mode", region.clone()).build(),
            ] {
                let _ = rules.resolve(&params);
            }
        }
    }
}

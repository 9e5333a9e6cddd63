//! DynamoDB (awsJson1_0) against moto: table lifecycle with the model's waiters, exact
//! round trips of every attribute type, query order, a paginated scan, and a failed
//! condition as `ConditionalCheckFailedException` with the item that caused it.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use awsjson_test_support::moto::Moto;
use dynamodb::client::Waiters as _;
use dynamodb::operation::put_item::PutItemError;
use dynamodb::primitives::Blob;
use dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType,
    ReturnValuesOnConditionCheckFailure, ScalarAttributeType, TableStatus,
};
use dynamodb::Client;

type Item = HashMap<String, AttributeValue>;

const TABLE: &str = "moto-interop";

/// Longer than moto ever takes (tables are `ACTIVE` at once there); the waiter's first poll
/// is immediate, so a passing run does not sleep.
const MAX_WAIT: Duration = Duration::from_secs(120);

fn s(value: &str) -> AttributeValue {
    AttributeValue::S(value.to_owned())
}

fn n(value: &str) -> AttributeValue {
    AttributeValue::N(value.to_owned())
}

fn key(pk: &str, sk: u32) -> Item {
    HashMap::from([
        ("pk".to_owned(), s(pk)),
        ("sk".to_owned(), n(&sk.to_string())),
    ])
}

/// An item with every attribute type, nested, and the strings and bytes most likely to be
/// mangled on the way: JSON escapes, control characters, U+2028, non-BMP characters (moto
/// answers with `\ud83d\ude00`-style surrogate escapes, AWS with raw UTF-8; both must parse),
/// every byte value, empty strings, maps and lists.
fn rich_item(pk: &str, sk: u32) -> Item {
    let every_byte: Vec<u8> = (0..=255).collect();
    // Numbers in DynamoDB's canonical form: AWS normalizes numbers it stores (`1.50` comes
    // back as `1.5`), moto 5.2.1 returns the string it was sent; canonical input makes an
    // exact comparison valid for both.
    let numbers = [
        "0",
        "-2.5",
        "1000",
        "12345678901234567890123456789012345678",
    ];
    let nested = AttributeValue::M(HashMap::from([
        (
            "list".to_owned(),
            AttributeValue::L(vec![
                s("ü"),
                n("-3.25"),
                AttributeValue::Null(true),
                AttributeValue::Bool(false),
                AttributeValue::B(Blob::new(vec![0, 0xff])),
                AttributeValue::L(vec![AttributeValue::L(vec![s("deep")])]),
                AttributeValue::M(HashMap::from([("k ✓".to_owned(), n("7"))])),
            ]),
        ),
        ("empty map".to_owned(), AttributeValue::M(HashMap::new())),
        ("empty list".to_owned(), AttributeValue::L(Vec::new())),
        (
            "ss".to_owned(),
            AttributeValue::Ss(vec!["b".into(), "a".into()]),
        ),
    ]));
    let mut item = key(pk, sk);
    item.extend([
        (
            "text".to_owned(),
            s(
                "quote \" backslash \\ slash / tab \t newline \n nul \u{0} bell \u{7} \
               ls \u{2028} é 日本語 😀 \u{10FFFF}",
            ),
        ),
        ("empty".to_owned(), s("")),
        ("bytes".to_owned(), AttributeValue::B(Blob::new(every_byte))),
        ("bool".to_owned(), AttributeValue::Bool(true)),
        ("null".to_owned(), AttributeValue::Null(true)),
        (
            "strings".to_owned(),
            AttributeValue::Ss(vec!["z".into(), "ä".into(), "😀".into(), " ".into()]),
        ),
        (
            "numbers".to_owned(),
            AttributeValue::Ns(numbers.iter().map(|n| (*n).to_owned()).collect()),
        ),
        (
            "binaries".to_owned(),
            AttributeValue::Bs(vec![
                Blob::new(vec![0xff, 0]),
                Blob::new(vec![0]),
                Blob::new(b"\r\n".to_vec()),
            ]),
        ),
        ("nested".to_owned(), nested),
        ("unicode key é ✓ 😀".to_owned(), n("1")),
    ]);
    item
}

/// The value with set members sorted, recursively: sets have no order in DynamoDB (AWS
/// documents none), everything else must come back exactly as sent.
fn canonical(value: &AttributeValue) -> AttributeValue {
    match value {
        AttributeValue::Ss(v) => AttributeValue::Ss(sorted(v.clone())),
        AttributeValue::Ns(v) => AttributeValue::Ns(sorted(v.clone())),
        AttributeValue::Bs(v) => {
            let mut v = v.clone();
            v.sort_by(|a, b| a.as_ref().cmp(b.as_ref()));
            AttributeValue::Bs(v)
        }
        AttributeValue::M(m) => AttributeValue::M(canonical_item(m)),
        AttributeValue::L(l) => AttributeValue::L(l.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

fn canonical_item(item: &Item) -> Item {
    item.iter()
        .map(|(k, v)| (k.clone(), canonical(v)))
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// The sort key of an item, as a number.
fn sort_key(item: &Item) -> u32 {
    match item.get("sk") {
        Some(AttributeValue::N(sk)) => sk.parse().expect("numeric sort key"),
        other => panic!("no numeric sort key: {other:?}"),
    }
}

async fn create_table(client: &Client) {
    let created = client
        .create_table()
        .table_name(TABLE)
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type(KeyType::Hash)
                .build()
                .expect("key schema"),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("sk")
                .key_type(KeyType::Range)
                .build()
                .expect("key schema"),
        )
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .expect("attribute definition"),
        )
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("sk")
                .attribute_type(ScalarAttributeType::N)
                .build()
                .expect("attribute definition"),
        )
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await
        .expect("CreateTable");
    let description = created.table_description().expect("TableDescription");
    assert_eq!(description.table_name(), Some(TABLE));

    let final_poll = client
        .wait_until_table_exists()
        .table_name(TABLE)
        .wait(MAX_WAIT)
        .await
        .expect("TableExists waiter");
    let table = final_poll
        .as_result()
        .expect("the final poll succeeded")
        .table()
        .expect("Table");
    assert_eq!(table.table_status(), Some(&TableStatus::Active));
    assert_eq!(table.table_name(), Some(TABLE));
}

/// Puts, gets (consistent read) and queries a rich item; everything must come back as sent.
async fn rich_items_round_trip(client: &Client) {
    let items: Vec<Item> = (1..=3).map(|sk| rich_item("rich ✓", sk)).collect();
    // Written out of sort-key order: the query must return them in order anyway.
    for item in items.iter().rev() {
        client
            .put_item()
            .table_name(TABLE)
            .set_item(Some(item.clone()))
            .send()
            .await
            .expect("PutItem");
    }
    let got = client
        .get_item()
        .table_name(TABLE)
        .set_key(Some(key("rich ✓", 2)))
        .consistent_read(true)
        .send()
        .await
        .expect("GetItem");
    let got = got.item().expect("the item exists");
    assert_eq!(canonical_item(got), canonical_item(&items[1]));
    if let (Some(AttributeValue::B(sent)), Some(AttributeValue::B(back))) =
        (items[1].get("bytes"), got.get("bytes"))
    {
        assert_eq!(back.as_ref(), sent.as_ref(), "every byte value");
    } else {
        panic!("binary attribute lost: {:?}", got.get("bytes"));
    }

    // Sort keys 2..=3, descending: AWS documents query results ordered by sort key,
    // reversed by ScanIndexForward=false.
    let queried = client
        .query()
        .table_name(TABLE)
        .key_condition_expression("pk = :pk AND sk >= :from")
        .expression_attribute_values(":pk", s("rich ✓"))
        .expression_attribute_values(":from", n("2"))
        .scan_index_forward(false)
        .send()
        .await
        .expect("Query");
    assert_eq!(queried.count(), 2);
    let queried = queried.items();
    assert_eq!(
        queried.iter().map(sort_key).collect::<Vec<_>>(),
        [3, 2],
        "query order"
    );
    assert_eq!(canonical_item(&queried[0]), canonical_item(&items[2]));
}

/// A second put of an existing key under `attribute_not_exists` fails with the typed error,
/// which carries the stored item (`ReturnValuesOnConditionCheckFailure=ALL_OLD`); the
/// stored item is unchanged.
async fn failed_condition_is_typed(client: &Client) {
    let stored = rich_item("conditional", 1);
    client
        .put_item()
        .table_name(TABLE)
        .set_item(Some(stored.clone()))
        .condition_expression("attribute_not_exists(pk)")
        .send()
        .await
        .expect("first conditional put");
    let mut replacement = key("conditional", 1);
    replacement.insert("text".to_owned(), s("replaced"));
    let err = client
        .put_item()
        .table_name(TABLE)
        .set_item(Some(replacement))
        .condition_expression("attribute_not_exists(pk)")
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .send()
        .await
        .expect_err("the condition fails");
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(400), "{err}");
    let err = err.into_service_error();
    let PutItemError::ConditionalCheckFailedException(failed) = &err else {
        panic!("expected ConditionalCheckFailedException, got {err:?}");
    };
    assert_eq!(err.meta().code(), Some("ConditionalCheckFailedException"));
    assert!(err.meta().request_id().is_some_and(|id| !id.is_empty()));
    assert_eq!(
        failed.item().map(canonical_item),
        Some(canonical_item(&stored)),
        "ALL_OLD returns the item that failed the condition"
    );
    let after = client
        .get_item()
        .table_name(TABLE)
        .set_key(Some(key("conditional", 1)))
        .consistent_read(true)
        .send()
        .await
        .expect("GetItem");
    assert_eq!(
        after.item().map(canonical_item),
        Some(canonical_item(&stored))
    );
}

/// A scan with a page size of 2 over items in several partitions: more than one page, no
/// page larger than the limit, every item exactly once, as pages and as items.
async fn paginated_scan_sees_every_item_once(client: &Client) {
    client
        .delete_table()
        .table_name(TABLE)
        .send()
        .await
        .expect("DeleteTable");
    client
        .wait_until_table_not_exists()
        .table_name(TABLE)
        .wait(MAX_WAIT)
        .await
        .expect("TableNotExists waiter");
    create_table(client).await;
    let expected: HashSet<(String, u32)> = (0..11).map(|i| (format!("p{}", i % 4), i)).collect();
    for (pk, sk) in &expected {
        let mut item = key(pk, *sk);
        item.insert("payload".to_owned(), s(&"x".repeat(*sk as usize)));
        client
            .put_item()
            .table_name(TABLE)
            .set_item(Some(item))
            .send()
            .await
            .expect("PutItem");
    }

    let pages = client
        .scan()
        .table_name(TABLE)
        .into_paginator()
        .page_size(2)
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("every page");
    assert!(
        pages.len() >= 6,
        "11 items by 2 take 6 pages: {}",
        pages.len()
    );
    let mut seen = Vec::new();
    for page in &pages {
        assert!(
            page.items().len() <= 2,
            "page larger than the limit: {page:?}"
        );
        seen.extend(page.items().iter().map(identity));
    }
    assert_every_item_once(&seen, &expected);
    // Only the last page lacks a LastEvaluatedKey: that is what stopped the paginator.
    let last = pages.last().expect("a page");
    assert!(last.last_evaluated_key().is_none());
    assert!(pages[..pages.len() - 1]
        .iter()
        .all(|p| p.last_evaluated_key().is_some()));

    let items = client
        .scan()
        .table_name(TABLE)
        .into_paginator()
        .page_size(3)
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("every item");
    let seen: Vec<(String, u32)> = items.iter().map(identity).collect();
    assert_every_item_once(&seen, &expected);
}

fn identity(item: &Item) -> (String, u32) {
    match item.get("pk") {
        Some(AttributeValue::S(pk)) => (pk.clone(), sort_key(item)),
        other => panic!("no string partition key: {other:?}"),
    }
}

fn assert_every_item_once(seen: &[(String, u32)], expected: &HashSet<(String, u32)>) {
    let unique: HashSet<(String, u32)> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "an item was seen twice: {seen:?}");
    assert_eq!(&unique, expected);
}

#[tokio::test]
async fn dynamodb_against_moto() {
    let Some(moto) = Moto::start("moto_interop::dynamodb") else {
        return;
    };
    let client = moto_client!(dynamodb, moto);
    create_table(&client).await;
    rich_items_round_trip(&client).await;
    failed_condition_is_typed(&client).await;
    paginated_scan_sees_every_item_once(&client).await;
}

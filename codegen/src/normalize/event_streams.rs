//! Event streams (`@streaming` unions, e.g. CloudWatch Logs `StartLiveTail`, Kinesis
//! `SubscribeToShard`) need the `vnd.amazon.eventstream` framing, which this generator does
//! not implement. Such operations are left out of `--operations all` with a note (returned
//! to the caller and listed in the crate docs); naming one explicitly is an error.

use std::collections::BTreeMap;

use crate::error::Error;
use crate::ir::SkippedOperation;
use crate::model::{Model, RawMember};

/// Why `op_id` cannot be generated, when its input or output has a member targeting a
/// `@streaming` union; `None` for an ordinary operation.
pub fn event_stream_reason(model: &Model, op_id: &str) -> Result<Option<String>, Error> {
    let op = match model.shape(op_id) {
        Some(op) => op?,
        None => return Ok(None),
    };
    for (which, io) in [("input", &op.input), ("output", &op.output)] {
        let Some(io) = io else { continue };
        let Some(structure) = model.shape(&io.target) else {
            continue;
        };
        let structure = structure?;
        for (wire, value) in &structure.members {
            let member = RawMember::parse(&io.target, wire, value)?;
            let Some(target) = model.shape(&member.target) else {
                continue;
            };
            let target = target?;
            if target.kind == "union" && target.traits.contains_key("smithy.api#streaming") {
                return Ok(Some(format!(
                    "its {which} member `{wire}` targets the `@streaming` union `{}` \
                     (an event stream), which this generator does not support",
                    member.target
                )));
            }
        }
    }
    Ok(None)
}

/// Removes the event-stream operations from `chosen` (by name -> shape id). With
/// `explicit`, the caller named them: that is an error naming each and why.
pub fn set_aside(
    model: &Model,
    chosen: &mut BTreeMap<String, String>,
    explicit: bool,
) -> Result<Vec<SkippedOperation>, Error> {
    let mut skipped = Vec::new();
    let mut errors = Vec::new();
    for (name, op_id) in chosen.iter() {
        if let Some(reason) = event_stream_reason(model, op_id)? {
            if explicit {
                errors.push(Error::Unsupported {
                    shape: op_id.clone(),
                    reason: format!("operation `{name}` cannot be generated: {reason}"),
                });
            } else {
                skipped.push(SkippedOperation {
                    name: name.clone(),
                    id: op_id.clone(),
                    reason,
                });
            }
        }
    }
    Error::collect(errors)?;
    for s in &skipped {
        chosen.remove(&s.name);
    }
    Ok(skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        Model::from_json(
            r##"{"smithy":"2.0","shapes":{
              "a#Tail":{"type":"operation","input":{"target":"a#TailIn"},"output":{"target":"a#TailOut"}},
              "a#TailIn":{"type":"structure","members":{}},
              "a#TailOut":{"type":"structure","members":{"stream":{"target":"a#Events"}}},
              "a#Events":{"type":"union","members":{"e":{"target":"smithy.api#String"}},"traits":{"smithy.api#streaming":{}}},
              "a#Plain":{"type":"operation"}
            }}"##,
        )
        .expect("model")
    }

    #[test]
    fn event_stream_operations_are_set_aside_or_rejected() {
        let model = model();
        let mut chosen = BTreeMap::from([
            ("Tail".to_string(), "a#Tail".to_string()),
            ("Plain".to_string(), "a#Plain".to_string()),
        ]);
        let skipped = set_aside(&model, &mut chosen.clone(), false).expect("all");
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].name, "Tail");
        assert!(
            skipped[0].reason.contains("`a#Events`"),
            "{}",
            skipped[0].reason
        );
        let err = set_aside(&model, &mut chosen, true).expect_err("named");
        let text = err.to_string();
        assert!(
            text.contains("a#Tail") && text.contains("event stream"),
            "{text}"
        );
    }
}

//! The Smithy JSON AST, as read from disk. Only shapes and traits are kept; the model is
//! not interpreted here (see `normalize` and `ir`).

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::Error;

/// A Smithy JSON AST document (`{"smithy": "2.0", "shapes": {...}}`).
#[derive(Debug, Clone, Deserialize)]
pub struct Model {
    /// The IDL version, `1.0` or `2.0`.
    pub smithy: String,
    /// Shapes by absolute shape id, in file order.
    #[serde(default)]
    pub shapes: Map<String, Value>,
}

/// A reference to another shape (`{"target": "ns#Name"}`).
#[derive(Debug, Clone, Deserialize)]
pub struct ShapeRef {
    /// The absolute shape id of the target.
    pub target: String,
}

/// A member of an aggregate shape.
#[derive(Debug, Clone, Deserialize)]
pub struct RawMember {
    /// The absolute shape id of the member's target.
    pub target: String,
    /// Traits applied to the member.
    #[serde(default)]
    pub traits: Map<String, Value>,
}

/// One shape of the AST, with the fields of every shape type flattened together.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawShape {
    /// The shape type (`structure`, `string`, `operation`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// Members of structures, unions, enums and intEnums, in file order.
    #[serde(default)]
    pub members: Map<String, Value>,
    /// The member of a list or set.
    pub member: Option<RawMember>,
    /// The key of a map.
    pub key: Option<RawMember>,
    /// The value of a map.
    pub value: Option<RawMember>,
    /// Operation input.
    pub input: Option<ShapeRef>,
    /// Operation output.
    pub output: Option<ShapeRef>,
    /// Operation or service errors.
    #[serde(default)]
    pub errors: Vec<ShapeRef>,
    /// Operations bound to a service or resource.
    #[serde(default)]
    pub operations: Vec<ShapeRef>,
    /// Resources bound to a service or resource.
    #[serde(default)]
    pub resources: Vec<ShapeRef>,
    /// Resource lifecycle operations.
    pub create: Option<ShapeRef>,
    /// Resource lifecycle operations.
    pub put: Option<ShapeRef>,
    /// Resource lifecycle operations.
    pub read: Option<ShapeRef>,
    /// Resource lifecycle operations.
    pub update: Option<ShapeRef>,
    /// Resource lifecycle operations.
    pub delete: Option<ShapeRef>,
    /// Resource lifecycle operations.
    pub list: Option<ShapeRef>,
    /// Collection operations of a resource.
    #[serde(default)]
    pub collection_operations: Vec<ShapeRef>,
    /// Mixins applied to the shape.
    #[serde(default)]
    pub mixins: Vec<ShapeRef>,
    /// The service version.
    pub version: Option<String>,
    /// Shape traits.
    #[serde(default)]
    pub traits: Map<String, Value>,
}

impl RawMember {
    /// Parses a member from its JSON value.
    pub fn parse(shape_id: &str, member: &str, value: &Value) -> Result<RawMember, Error> {
        RawMember::deserialize(value).map_err(|e| Error::InvalidShape {
            shape: format!("{shape_id}${member}"),
            reason: e.to_string(),
        })
    }
}

impl Model {
    /// Parses a model from JSON text; syntax errors carry line and column.
    pub fn from_json(text: &str) -> Result<Model, Error> {
        let model: Model = serde_json::from_str(text).map_err(|e| Error::Json {
            line: e.line(),
            column: e.column(),
            reason: e.to_string(),
        })?;
        if !model.smithy.starts_with("1.") && !model.smithy.starts_with("2.") {
            return Err(Error::Unsupported {
                shape: "(model)".into(),
                reason: format!("Smithy IDL version `{}`", model.smithy),
            });
        }
        Ok(model)
    }

    /// The raw shape with the given id, parsed.
    pub fn shape(&self, id: &str) -> Option<Result<RawShape, Error>> {
        self.shapes.get(id).map(|value| {
            RawShape::deserialize(value).map_err(|e| Error::InvalidShape {
                shape: id.to_string(),
                reason: e.to_string(),
            })
        })
    }
}

/// The part of a shape id after `#` (and before `$`).
pub fn shape_name(id: &str) -> &str {
    let name = id.rsplit_once('#').map_or(id, |(_, name)| name);
    name.split_once('$').map_or(name, |(name, _)| name)
}

//! The IR seen through `jmespath::Shapes`, so paginator token paths and waiter acceptor
//! paths compile to the generated accessors (whose names the naming pass decided).

use std::fmt;

use crate::ir::{Service, ShapeKind, Type};
use crate::jmespath::{Kind, Member, Shapes};

/// A member type as the path compiler sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct PathShape(pub Type);

impl PathShape {
    /// A named structure.
    pub fn named(id: &str) -> Self {
        PathShape(Type::Named(id.to_string()))
    }
}

impl fmt::Display for PathShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Type::Named(id) => f.write_str(id),
            Type::List { member, .. } => write!(f, "list of {}", PathShape((**member).clone())),
            Type::Map { value, .. } => write!(f, "map of {}", PathShape((**value).clone())),
            other => write!(f, "{other:?}"),
        }
    }
}

/// The service's shapes, for the path compiler.
pub struct IrShapes<'a>(pub &'a Service);

impl Shapes for IrShapes<'_> {
    type Shape = PathShape;

    fn kind(&self, shape: &PathShape) -> Kind<PathShape> {
        match &shape.0 {
            Type::String => Kind::String,
            Type::Boolean => Kind::Boolean,
            Type::Byte | Type::Short | Type::Integer | Type::Long => Kind::Integer,
            Type::Float | Type::Double => Kind::Float,
            Type::List {
                member,
                sparse: false,
            } => Kind::List(PathShape((**member).clone())),
            Type::List { sparse: true, .. } => Kind::Other("sparse list"),
            Type::Map {
                key,
                value,
                sparse: false,
            } => Kind::Map {
                key: PathShape((**key).clone()),
                value: PathShape((**value).clone()),
            },
            Type::Map { sparse: true, .. } => Kind::Other("sparse map"),
            Type::Named(id) => match self.0.shapes.get(id).map(|s| &s.kind) {
                Some(ShapeKind::Structure(_)) => Kind::Structure,
                Some(ShapeKind::Enum(_)) => Kind::Enum,
                Some(ShapeKind::IntEnum(_)) => Kind::Other("intEnum"),
                Some(ShapeKind::Union(_)) => Kind::Other("union"),
                None => Kind::Other("unknown shape"),
            },
            Type::BigInteger | Type::BigDecimal => Kind::Other("big number"),
            Type::Timestamp(_) => Kind::Other("timestamp"),
            Type::Blob => Kind::Other("blob"),
            Type::Document => Kind::Other("document"),
            Type::Unit => Kind::Other("unit"),
        }
    }

    fn member(&self, structure: &PathShape, wire_name: &str) -> Option<Member<PathShape>> {
        let Type::Named(id) = &structure.0 else {
            return None;
        };
        let ShapeKind::Structure(s) = &self.0.shapes.get(id)?.kind else {
            return None;
        };
        let m = s.members.iter().find(|m| m.wire_name == wire_name)?;
        Some(Member {
            accessor: m.field.clone(),
            target: PathShape(m.target.clone()),
            // Lists come back as `&[T]` (empty when unset), as aws-sdk-rust does.
            optional: m.optional && !matches!(m.target, Type::List { .. }),
        })
    }
}

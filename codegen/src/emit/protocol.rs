//! AWS JSON (de)serializers: plain functions over the runtime's pull parser and writer,
//! one per structure or union that needs them, one set per operation.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::common::{field, ident, Types};
use super::operation::io_structure;
use crate::error::Error;
use crate::ir::{
    Member, Operation, Shape, ShapeKind, Structure, TimestampFormat, Type, VariantNames,
};

fn timestamp_format(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::EpochSeconds => {
            quote! { awsjson_runtime::json::TimestampFormat::EpochSeconds }
        }
        TimestampFormat::DateTime => quote! { awsjson_runtime::json::TimestampFormat::DateTime },
        TimestampFormat::HttpDate => quote! { awsjson_runtime::json::TimestampFormat::HttpDate },
    }
}

impl Types<'_> {
    fn shape_fn_path(&self, id: &str, de: bool) -> TokenStream {
        let serde = &self.service.shapes[id].serde;
        let module = ident(&serde.module);
        let f = ident(if de { &serde.de_fn } else { &serde.ser_fn });
        quote! { super::#module::#f }
    }

    /// An expression reading one value of `ty` from `d`: `Option<T>` (null is `None`).
    fn de_value(&self, ty: &Type, depth: usize) -> TokenStream {
        match ty {
            Type::String => quote! { d.string()?.map(std::borrow::Cow::into_owned) },
            Type::Boolean => quote! { d.boolean()? },
            Type::Byte => quote! { d.i8()? },
            Type::Short => quote! { d.i16()? },
            Type::Integer => quote! { d.i32()? },
            Type::Long => quote! { d.i64()? },
            Type::Float => quote! { d.f32()? },
            Type::Double => quote! { d.f64()? },
            Type::Timestamp(format) => {
                let format = timestamp_format(*format);
                quote! { d.timestamp(#format)? }
            }
            Type::Blob => quote! { d.blob()? },
            Type::Document => quote! { Some(d.document()?) },
            Type::BigInteger => quote! { d.big_integer()? },
            Type::BigDecimal => quote! { d.big_decimal()? },
            // Only union variants target Unit, and they are read without a value.
            Type::Unit => quote! { { d.skip_value()?; None } },
            Type::Named(id) => match &self.service.shapes[id].kind {
                ShapeKind::Enum(_) => {
                    let path = self.named_path(id);
                    quote! { d.string()?.map(|value| #path::from(value.as_ref())) }
                }
                ShapeKind::IntEnum(_) => {
                    let path = self.named_path(id);
                    quote! { d.i32()?.map(#path::from) }
                }
                _ => {
                    let f = self.shape_fn_path(id, true);
                    quote! { #f(d)? }
                }
            },
            Type::List { member, sparse } => {
                let items = format_ident!("items{}", depth);
                let value = self.de_value(member, depth + 1);
                let push = if *sparse {
                    quote! { #items.push(#value); }
                } else {
                    // Dense lists drop nulls, as the AWS SDKs do.
                    quote! {
                        if let Some(item) = #value {
                            #items.push(item);
                        }
                    }
                };
                quote! {
                    if d.begin_array()? {
                        let mut #items = Vec::new();
                        while d.has_next_element()? {
                            #push
                        }
                        Some(#items)
                    } else {
                        None
                    }
                }
            }
            Type::Map { key, value, sparse } => {
                let map = format_ident!("map{}", depth);
                let key_expr = match key.as_ref() {
                    Type::Named(id) => {
                        let path = self.named_path(id);
                        quote! { #path::from(key.as_ref()) }
                    }
                    _ => quote! { key.into_owned() },
                };
                let value = self.de_value(value, depth + 1);
                let insert = if *sparse {
                    quote! { #map.insert(#key_expr, #value); }
                } else {
                    quote! {
                        if let Some(value) = #value {
                            #map.insert(#key_expr, value);
                        }
                    }
                };
                quote! {
                    if d.begin_object()? {
                        let mut #map = std::collections::HashMap::new();
                        while let Some(key) = d.next_key()? {
                            #insert
                        }
                        Some(#map)
                    } else {
                        None
                    }
                }
            }
        }
    }

    /// Statements writing the value `v` (a reference) of `ty` to `s`.
    fn ser_value(&self, ty: &Type, v: &TokenStream, depth: usize) -> TokenStream {
        match ty {
            Type::String => quote! { s.string(#v); },
            Type::Boolean => quote! { s.boolean(*#v); },
            Type::Byte | Type::Short | Type::Integer => quote! { s.i64(i64::from(*#v)); },
            Type::Long => quote! { s.i64(*#v); },
            Type::Float => quote! { s.f64(f64::from(*#v)); },
            Type::Double => quote! { s.f64(*#v); },
            Type::Timestamp(format) => {
                let format = timestamp_format(*format);
                quote! { s.timestamp(#v, #format); }
            }
            Type::Blob => quote! { s.blob(#v); },
            Type::Document => quote! { s.document(#v); },
            Type::BigInteger | Type::BigDecimal => quote! { s.big_number(#v.as_ref()); },
            // Only union variants target Unit, and they are written without a value.
            Type::Unit => quote! { s.null(); },
            Type::Named(id) => match &self.service.shapes[id].kind {
                ShapeKind::Enum(_) => quote! { s.string(#v.as_str()); },
                ShapeKind::IntEnum(_) => quote! { s.i64(i64::from(#v.value())); },
                _ => {
                    let f = self.shape_fn_path(id, false);
                    quote! { #f(s, #v); }
                }
            },
            Type::List { member, sparse } => {
                let item = format_ident!("item{}", depth);
                let item_ref = quote! { #item };
                let write = self.ser_value(member, &item_ref, depth + 1);
                let body = if *sparse {
                    quote! {
                        match #item {
                            Some(#item) => { #write }
                            None => s.null(),
                        }
                    }
                } else {
                    write
                };
                quote! {
                    s.begin_array();
                    for #item in #v {
                        #body
                    }
                    s.end_array();
                }
            }
            Type::Map { key, value, sparse } => {
                let k = format_ident!("key{}", depth);
                let val = format_ident!("value{}", depth);
                let key_write = match key.as_ref() {
                    Type::Named(_) => quote! { s.key(#k.as_str()); },
                    _ => quote! { s.key(#k); },
                };
                let val_ref = quote! { #val };
                let write = self.ser_value(value, &val_ref, depth + 1);
                let body = if *sparse {
                    quote! {
                        match #val {
                            Some(#val) => { #write }
                            None => s.null(),
                        }
                    }
                } else {
                    write
                };
                quote! {
                    s.begin_object();
                    for (#k, #val) in #v {
                        #key_write
                        #body
                    }
                    s.end_object();
                }
            }
        }
    }

    /// Statements writing the members of a structure held in `value`.
    fn ser_members(&self, members: &[Member]) -> TokenStream {
        let writes = members.iter().map(|m| {
            let f = field(m);
            let key = &m.wire_name;
            let v = quote! { v };
            let write = self.ser_value(&m.target, &v, 0);
            if m.optional {
                quote! {
                    if let Some(v) = &value.#f {
                        s.key(#key);
                        #write
                    }
                }
            } else {
                quote! {
                    {
                        let v = &value.#f;
                        s.key(#key);
                        #write
                    }
                }
            }
        });
        quote! {
            s.begin_object();
            #(#writes)*
            s.end_object();
        }
    }

    /// The body of a structure deserializer, ending in `Ok(Some(<struct literal>))`.
    fn de_structure_body(
        &self,
        path: &TokenStream,
        shape: &Shape,
        s: &Structure,
    ) -> Result<TokenStream, Error> {
        let locals: Vec<Ident> = s.members.iter().map(|m| ident(&m.local)).collect();
        let arms = s.members.iter().zip(&locals).map(|(m, local)| {
            let key = &m.wire_name;
            let value = self.de_value(&m.target, 0);
            quote! { #key => #local = #value, }
        });
        let mut inits = Vec::new();
        for (m, local) in s.members.iter().zip(&locals) {
            let f = field(m);
            let value = self.corrected(shape, m, local)?;
            inits.push(if local == &f && *local == value.to_string() {
                quote! { #f, }
            } else {
                quote! { #f: #value, }
            });
        }
        let extra = match s.role {
            crate::ir::Role::Output => quote! { _request_id: None, },
            crate::ir::Role::Error => quote! { meta: Default::default(), },
            _ => TokenStream::new(),
        };
        let declare = if locals.is_empty() {
            TokenStream::new()
        } else {
            quote! { #( let mut #locals = None; )* }
        };
        let matcher = if locals.is_empty() {
            quote! { d.skip_value()?; let _ = key; }
        } else {
            quote! {
                match key.as_ref() {
                    #(#arms)*
                    _ => d.skip_value()?,
                }
            }
        };
        Ok(quote! {
            if !d.begin_object()? {
                return Ok(None);
            }
            #declare
            while let Some(key) = d.next_key()? {
                #matcher
            }
            let value = #path {
                #(#inits)*
                #extra
            };
            Ok(Some(value))
        })
    }

    /// The field value from a parsed local: boxed as needed, and for members that are
    /// not `Option`, the model's default or the zero value when the member is missing
    /// (the same client-side error correction aws-sdk-rust applies).
    fn corrected(&self, shape: &Shape, m: &Member, local: &Ident) -> Result<TokenStream, Error> {
        let boxed = |t: TokenStream| {
            if m.boxed {
                quote! { #t.map(Box::new) }
            } else {
                t
            }
        };
        if m.optional {
            return Ok(boxed(quote! { #local }));
        }
        if let Some(default) = &m.default {
            let member_id = format!("{}${}", shape.id, m.wire_name);
            let lit = super::common::default_literal(self, &member_id, &m.target, default)?;
            return Ok(super::common::unwrap_or_literal(
                &boxed(quote! { #local }),
                &m.target,
                m.boxed,
                lit,
            ));
        }
        let zero = match &m.target {
            Type::String
            | Type::List { .. }
            | Type::Map { .. }
            | Type::Boolean
            | Type::Byte
            | Type::Short
            | Type::Integer
            | Type::Long
            | Type::Float
            | Type::Double => {
                return Ok(boxed(quote! { #local })
                    .into_iter()
                    .chain(quote! { .unwrap_or_default() })
                    .collect());
            }
            Type::Timestamp(_) => quote! { crate::primitives::DateTime::from_secs(0) },
            Type::Blob => quote! { crate::primitives::Blob::new(Vec::new()) },
            Type::Document => quote! { crate::primitives::Document::Null },
            Type::Named(id) if self.is_enum(&m.target) => {
                let path = self.named_path(id);
                match &self.service.shapes[id].kind {
                    ShapeKind::IntEnum(_) => quote! { #path::from(0) },
                    _ => quote! { #path::from("") },
                }
            }
            _ => {
                let message = format!(
                    "missing required member `{}` of `{}`",
                    m.wire_name, shape.name
                );
                let value = boxed(quote! { #local });
                return Ok(quote! {
                    #value.ok_or_else(|| awsjson_runtime::json::DeserializeError::custom(#message))?
                });
            }
        };
        let zero = if m.boxed {
            quote! { Box::new(#zero) }
        } else {
            zero
        };
        let value = boxed(quote! { #local });
        Ok(quote! { #value.unwrap_or_else(|| #zero) })
    }

    /// `protocol_serde/shape_<name>.rs` for a structure or union.
    ///
    /// `ser` and `de` are the `#[cfg]` of each function (empty without per-operation
    /// features), or `None` when the function is not needed.
    pub fn shape_serde(
        &self,
        shape: &Shape,
        ser: Option<TokenStream>,
        de: Option<TokenStream>,
    ) -> Result<TokenStream, Error> {
        let full_path = self.named_path(&shape.id);
        let name = ident(&shape.rust_name);
        let path = quote! { #name };
        let de_name = ident(&shape.serde.de_fn);
        let ser_name = ident(&shape.serde.ser_fn);
        let mut out = TokenStream::new();
        match &shape.kind {
            ShapeKind::Structure(s) => {
                if let Some(cfg) = &de {
                    let body = self.de_structure_body(&path, shape, s)?;
                    out.extend(quote! {
                        #cfg
                        pub(crate) fn #de_name(
                            d: &mut JsonDeserializer<'_>,
                        ) -> Result<Option<#path>, DeserializeError> {
                            #body
                        }
                    });
                }
                if let Some(cfg) = &ser {
                    let body = self.ser_members(&s.members);
                    // A structure without members is written as `{}`: its value is not read.
                    let value_param = if s.members.is_empty() {
                        quote! { _value: &#path }
                    } else {
                        quote! { value: &#path }
                    };
                    out.extend(quote! {
                        #cfg
                        pub(crate) fn #ser_name(s: &mut JsonSerializer, #value_param) {
                            #body
                        }
                    });
                }
            }
            ShapeKind::Union(members) => {
                let variants: Vec<&VariantNames> = members
                    .iter()
                    .map(|m| m.variant_names(&shape.id))
                    .collect::<Result<_, _>>()?;
                if let Some(cfg) = &de {
                    out.extend(cfg.clone());
                    out.extend(self.de_union(&path, &de_name, members, &variants));
                }
                if let Some(cfg) = &ser {
                    out.extend(cfg.clone());
                    out.extend(self.ser_union(&path, &ser_name, members, &variants));
                }
            }
            ShapeKind::Enum(_) | ShapeKind::IntEnum(_) => {
                return Err(Error::Internal {
                    shape: shape.id.clone(),
                    reason: "a serializer module for an enum (enums are written inline)".into(),
                })
            }
        }
        let mut imports = Vec::new();
        if let Some(cfg) = &de {
            imports.push(
                quote! { #cfg use awsjson_runtime::json::{DeserializeError, JsonDeserializer}; },
            );
        }
        if let Some(cfg) = &ser {
            imports.push(quote! { #cfg use awsjson_runtime::json::JsonSerializer; });
        }
        let doc = format!(
            " AWS JSON (de)serialization of [`{}`]({}).",
            shape.rust_name,
            full_path.to_string().replace(' ', "")
        );
        Ok(quote! {
            #![doc = #doc]

            #(#imports)*
            use #full_path;

            #out
        })
    }

    fn de_union(
        &self,
        path: &TokenStream,
        name: &Ident,
        members: &[Member],
        variants: &[&VariantNames],
    ) -> TokenStream {
        let arms = members.iter().zip(variants).map(|(m, v)| {
            let key = &m.wire_name;
            let variant = ident(&v.variant);
            if m.target == Type::Unit {
                return quote! {
                    #key => {
                        d.skip_value()?;
                        variant = Some(#path::#variant);
                    }
                };
            }
            let value = self.de_value(&m.target, 0);
            let wrap = if m.boxed {
                quote! { Box::new(value) }
            } else {
                quote! { value }
            };
            quote! {
                #key => {
                    if let Some(value) = #value {
                        variant = Some(#path::#variant(#wrap));
                    }
                }
            }
        });
        quote! {
            pub(crate) fn #name(
                d: &mut JsonDeserializer<'_>,
            ) -> Result<Option<#path>, DeserializeError> {
                if !d.begin_object()? {
                    return Ok(None);
                }
                let mut variant = None;
                while let Some(key) = d.next_key()? {
                    match key.as_ref() {
                        #(#arms)*
                        // Servers may tag union values with their type; it is not a member.
                        "__type" => d.skip_value()?,
                        _ => {
                            d.skip_value()?;
                            variant = Some(#path::Unknown);
                        }
                    }
                }
                Ok(variant)
            }
        }
    }

    fn ser_union(
        &self,
        path: &TokenStream,
        name: &Ident,
        members: &[Member],
        variants: &[&VariantNames],
    ) -> TokenStream {
        let arms = members.iter().zip(variants).map(|(m, v)| {
            let key = &m.wire_name;
            let variant = ident(&v.variant);
            if m.target == Type::Unit {
                return quote! {
                    #path::#variant => {
                        s.key(#key);
                        s.begin_object();
                        s.end_object();
                    }
                };
            }
            let v = quote! { v };
            let write = self.ser_value(&m.target, &v, 0);
            quote! {
                #path::#variant(v) => {
                    s.key(#key);
                    #write
                }
            }
        });
        quote! {
            pub(crate) fn #name(s: &mut JsonSerializer, value: &#path) {
                s.begin_object();
                match value {
                    #(#arms)*
                    // An unknown variant has no value to send; it is written as `{}`.
                    #path::Unknown => {}
                }
                s.end_object();
            }
        }
    }

    /// `protocol_serde/<operation>.rs`: the input serializer, the output parser and the
    /// error dispatcher of one operation.
    pub fn operation_serde(&self, op: &Operation) -> Result<TokenStream, Error> {
        let module = ident(&op.module);
        let input = self.shape(&op.input)?;
        let output = self.shape(&op.output)?;
        let (input_s, output_s) = (io_structure(input)?, io_structure(output)?);
        let input_name = ident(&input.rust_name);
        let output_name = ident(&output.rust_name);
        let error_name = ident(&op.error_name);
        let ser_input = ident(&op.ser_input);
        let de_output = ident(&op.de_output);
        let de_payload = ident(&op.de_output_payload);
        let de_error = ident(&op.de_error);
        let ser_body = self.ser_members(&input_s.members);
        let value_param = if input_s.members.is_empty() {
            quote! { _value: &#input_name }
        } else {
            quote! { value: &#input_name }
        };
        let output_path = quote! { #output_name };
        let payload_body = self.de_structure_body(&output_path, output, output_s)?;
        let mut arms = Vec::new();
        for id in &op.errors {
            let shape = self.shape(id)?;
            let code = &shape.name;
            let variant = ident(&shape.rust_name);
            let f = self.shape_fn_path(id, true);
            arms.push(quote! {
                (#code, |response, meta| parse_modeled_error(response, meta, #f, #error_name::#variant)),
            });
            // awsQueryCompatible: the code of `x-amzn-query-error` (as aws-sdk-rust matches).
            let query_code = match &shape.kind {
                ShapeKind::Structure(s) => s.error.as_ref().and_then(|e| e.query_code.as_ref()),
                _ => None,
            };
            if let Some(query_code) =
                query_code.filter(|c| self.service.aws_query_compatible && **c != shape.name)
            {
                arms.push(quote! {
                    (#query_code, |response, meta| parse_modeled_error(response, meta, #f, #error_name::#variant)),
                });
            }
        }
        let parse_import = if op.errors.is_empty() {
            TokenStream::new()
        } else {
            quote! { use awsjson_runtime::generated_support::parse_modeled_error; }
        };
        let doc = format!(
            " AWS JSON requests and responses of the `{}` operation.",
            op.name
        );
        Ok(quote! {
            #![doc = #doc]

            use awsjson_runtime::error::ErrorMetadata;
            use awsjson_runtime::generated_support::dispatch_error;
            #parse_import
            use awsjson_runtime::json::{parse_top_level, DeserializeError, JsonDeserializer, JsonSerializer};
            use awsjson_runtime::response::HttpResponse;

            use crate::operation::#module::{#error_name, #input_name, #output_name};

            /// The request body.
            pub(crate) fn #ser_input(#value_param) -> Vec<u8> {
                let mut out = JsonSerializer::new();
                let s = &mut out;
                #ser_body
                out.finish()
            }

            /// Parses a successful response. Public for `crate::__private` (tools only).
            pub fn #de_output(response: &HttpResponse) -> Result<#output_name, DeserializeError> {
                let mut output = parse_top_level(response.body(), #de_payload)?;
                output._request_id = response.request_id().map(str::to_string);
                Ok(output)
            }

            fn #de_payload(d: &mut JsonDeserializer<'_>) -> Result<Option<#output_name>, DeserializeError> {
                #payload_body
            }

            /// Turns an error response into the operation's error enum, by error code.
            pub(crate) fn #de_error(response: &HttpResponse, meta: ErrorMetadata) -> #error_name {
                dispatch_error(response, meta, &[
                    #(#arms)*
                ])
            }
        })
    }
}

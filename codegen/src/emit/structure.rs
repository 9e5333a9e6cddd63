//! Structures: the struct with accessors, and its builder (aws-sdk-rust conventions).

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{
    default_literal, deprecated_attr, field, ident, model_doc_attrs, serde_derive_attr,
    serde_field_attrs, Types,
};
use crate::error::Error;
use crate::ir::{Member, Role, Shape, Structure, Type};

/// How a member is read through its accessor.
enum Access {
    /// `Option<&str>`, `&[T]`, `Option<T>` for Copy, `Option<&T>` otherwise.
    Optional,
    /// `&str`, `&[T]`, `T` for Copy, `&T` otherwise.
    Plain,
}

/// The struct, its accessors and its builder.
pub fn structure(types: &Types<'_>, shape: &Shape, s: &Structure) -> Result<TokenStream, Error> {
    let name = ident(&shape.rust_name);
    let builder = ident(&s.builder);
    let docs = model_doc_attrs(shape.docs.as_deref());
    let sensitive = s.members.iter().any(|m| m.sensitive);

    let fields = s.members.iter().map(|m| {
        let f = field(m);
        let ty = types.field_type(m);
        let docs = model_doc_attrs(m.docs.as_deref());
        let serde = serde_field_attrs(m);
        quote! { #docs #serde pub #f: #ty, }
    });
    // Not model members: serde skips them (a deserialized value has none).
    let skip = quote! { #[cfg_attr(feature = "serde", serde(skip))] };
    let extra_field = match s.role {
        Role::Output => quote! { #skip pub(crate) _request_id: Option<String>, },
        Role::Error => quote! { #skip pub(crate) meta: awsjson_runtime::error::ErrorMetadata, },
        _ => TokenStream::new(),
    };
    let serde_derive = serde_derive_attr();
    let serde_doc = serde_doc(s.role);
    let accessors = s.members.iter().map(|m| accessor(types, m));
    let derive_debug = if sensitive {
        quote! {}
    } else {
        quote! { Debug, }
    };
    let debug_impl = if sensitive {
        debug_impl(&name, &s.members, s.role, false)
    } else {
        TokenStream::new()
    };
    let builder_doc = format!("Returns a builder for [`{}`].", shape.rust_name);

    let request_id = if s.role == Role::Output {
        quote! {
            impl awsjson_runtime::error::RequestId for #name {
                fn request_id(&self) -> Option<&str> {
                    self._request_id.as_deref()
                }
            }
        }
    } else {
        TokenStream::new()
    };
    let builder_tokens = builder_type(types, shape, s, &name, &builder, sensitive)?;
    Ok(quote! {
        #docs
        #serde_doc
        #[non_exhaustive]
        #[derive(Clone, #derive_debug PartialEq)]
        #serde_derive
        pub struct #name {
            #(#fields)*
            #extra_field
        }

        impl #name {
            #(#accessors)*

            #[doc = #builder_doc]
            pub fn builder() -> #builder {
                #builder::default()
            }
        }

        #debug_impl
        #request_id
        #builder_tokens
    })
}

/// For outputs and errors, a rustdoc note on what the `serde` feature leaves out.
fn serde_doc(role: Role) -> TokenStream {
    let text = match role {
        Role::Output => {
            " With the `serde` feature, the request id is not serialized (it is not a member)."
        }
        Role::Error => {
            " With the `serde` feature, the error metadata (`meta()`) is not serialized (it is \
             not a member)."
        }
        _ => return TokenStream::new(),
    };
    quote! { #[doc = ""] #[doc = #text] }
}

fn accessor(types: &Types<'_>, m: &Member) -> TokenStream {
    let f = field(m);
    let docs = model_doc_attrs(m.docs.as_deref());
    let deprecated = deprecated_attr(m.deprecated.as_ref());
    let access = if m.optional {
        Access::Optional
    } else {
        Access::Plain
    };
    let inner = types.rust_type(&m.target);
    let (ret, body) = match (&m.target, access, m.boxed) {
        (Type::String, Access::Optional, _) => {
            (quote! { Option<&str> }, quote! { self.#f.as_deref() })
        }
        (Type::String, Access::Plain, _) => (quote! { &str }, quote! { &self.#f }),
        (Type::List { member, sparse }, access, _) => {
            let elem = types.rust_type(member);
            let elem = if *sparse {
                quote! { Option<#elem> }
            } else {
                elem
            };
            let body = match access {
                Access::Optional => quote! { self.#f.as_deref().unwrap_or_default() },
                Access::Plain => quote! { &self.#f },
            };
            (quote! { &[#elem] }, body)
        }
        (t, Access::Optional, false) if t.is_copy() => {
            (quote! { Option<#inner> }, quote! { self.#f })
        }
        (t, Access::Plain, false) if t.is_copy() => (inner, quote! { self.#f }),
        (_, Access::Optional, true) => (quote! { Option<&#inner> }, quote! { self.#f.as_deref() }),
        (_, Access::Optional, false) => (quote! { Option<&#inner> }, quote! { self.#f.as_ref() }),
        (_, Access::Plain, _) => (quote! { &#inner }, quote! { &self.#f }),
    };
    let lint = self_convention_allow(m);
    quote! {
        #docs
        #deprecated
        #lint
        pub fn #f(&self) -> #ret {
            #body
        }
    }
}

/// Member names such as `toPort` or `fromPort` make accessor and builder names that
/// clippy's naming convention misreads as conversions; the names come from the model
/// and must match aws-sdk-rust, so the lint is silenced on those methods only.
pub fn self_convention_allow(m: &Member) -> TokenStream {
    let name = m.bare_field();
    let conversion = ["to_", "from_", "into_", "as_", "is_"]
        .iter()
        .any(|p| name.starts_with(p));
    if conversion {
        quote! { #[allow(clippy::wrong_self_convention)] }
    } else {
        TokenStream::new()
    }
}

fn builder_type(
    types: &Types<'_>,
    shape: &Shape,
    s: &Structure,
    name: &proc_macro2::Ident,
    builder: &proc_macro2::Ident,
    sensitive: bool,
) -> Result<TokenStream, Error> {
    let doc = format!("A builder for [`{}`].", shape.rust_name);
    let fields = s.members.iter().map(|m| {
        let f = field(m);
        let ty = builder_field_type(types, m);
        quote! { pub(crate) #f: #ty, }
    });
    let extra_field = match s.role {
        Role::Output => quote! { _request_id: Option<String>, },
        Role::Error => quote! { meta: Option<awsjson_runtime::error::ErrorMetadata>, },
        _ => TokenStream::new(),
    };
    let setters = s.members.iter().map(|m| setters(types, m));
    let extra_setters = match s.role {
        Role::Output => quote! {
            /// Sets the request id the service assigned to the response.
            pub fn _request_id(mut self, request_id: impl Into<String>) -> Self {
                self._request_id = Some(request_id.into());
                self
            }

            /// Sets or clears the request id.
            pub fn _set_request_id(mut self, request_id: Option<String>) -> Self {
                self._request_id = request_id;
                self
            }
        },
        Role::Error => quote! {
            /// Sets the error metadata (code, message, request id).
            pub fn meta(mut self, meta: awsjson_runtime::error::ErrorMetadata) -> Self {
                self.meta = Some(meta);
                self
            }

            /// Sets or clears the error metadata (by `&mut self`, as aws-sdk-rust's).
            pub fn set_meta(&mut self, meta: Option<awsjson_runtime::error::ErrorMetadata>) -> &mut Self {
                self.meta = meta;
                self
            }
        },
        _ => TokenStream::new(),
    };
    let fallible = s.fallible_build();
    let mut checks = Vec::new();
    let mut inits = Vec::new();
    for m in &s.members {
        let f = field(m);
        if m.optional {
            inits.push(quote! { #f: self.#f, });
            continue;
        }
        let member_id = format!("{}${}", shape.id, m.wire_name);
        inits.push(match &m.default {
            Some(default) => {
                let lit = default_literal(types, &member_id, &m.target, default)?;
                let value = super::common::unwrap_or_literal(&quote! { self.#f }, &m.target, m.boxed, lit);
                quote! { #f: #value, }
            }
            None if m.required_no_default() => {
                let name = m.bare_field();
                let details = shape.rust_name.clone();
                quote! {
                    #f: self.#f.ok_or_else(|| awsjson_runtime::error::BuildError::missing_field(#name, #details))?,
                }
            }
            // Not optional means required or defaulted (normalize decides so).
            None => {
                return Err(Error::Internal {
                    shape: member_id,
                    reason: "a plain member that is neither required nor defaulted".into(),
                })
            }
        });
    }
    if s.role == Role::Input {
        for m in &s.members {
            checks.push(input_check(&shape.rust_name, m));
        }
    }
    let extra_init = match s.role {
        Role::Output => quote! { _request_id: self._request_id, },
        Role::Error => quote! { meta: self.meta.unwrap_or_default(), },
        _ => TokenStream::new(),
    };
    let build_doc = if fallible {
        format!(
            "Builds [`{}`], checking that required members are set{}.",
            shape.rust_name,
            if s.role == Role::Input {
                " and within the model's length and range constraints"
            } else {
                ""
            }
        )
    } else {
        format!("Builds [`{}`].", shape.rust_name)
    };
    let build = if fallible {
        quote! {
            #[doc = #build_doc]
            pub fn build(self) -> Result<#name, awsjson_runtime::error::BuildError> {
                #(#checks)*
                Ok(#name {
                    #(#inits)*
                    #extra_init
                })
            }
        }
    } else {
        quote! {
            #[doc = #build_doc]
            pub fn build(self) -> #name {
                #name {
                    #(#inits)*
                    #extra_init
                }
            }
        }
    };
    let derive_debug = if sensitive {
        quote! {}
    } else {
        quote! { Debug, }
    };
    let debug_impl = if sensitive {
        debug_impl(builder, &s.members, s.role, true)
    } else {
        TokenStream::new()
    };
    Ok(quote! {
        #[doc = #doc]
        #[non_exhaustive]
        #[derive(Clone, #derive_debug Default, PartialEq)]
        pub struct #builder {
            #(#fields)*
            #extra_field
        }

        impl #builder {
            #(#setters)*
            #extra_setters
            #build
        }

        #debug_impl
    })
}

/// The builder's field type: always optional, boxed like the struct field.
pub fn builder_field_type(types: &Types<'_>, m: &Member) -> TokenStream {
    let inner = types.rust_type(&m.target);
    if m.boxed {
        quote! { Option<Box<#inner>> }
    } else {
        quote! { Option<#inner> }
    }
}

/// The parameter type and conversion of a setter for a single value of `ty`.
pub fn setter_param(types: &Types<'_>, ty: &Type) -> (TokenStream, TokenStream) {
    match ty {
        Type::String => (quote! { impl Into<String> }, quote! { input.into() }),
        _ => (types.rust_type(ty), quote! { input }),
    }
}

/// The main setter of a member, shared by a shape's builder and the operation's fluent
/// builder: one item appended for lists, a key and a value inserted for maps, the value
/// itself otherwise.
pub struct SetterSignature {
    /// Its doc attributes.
    pub doc: TokenStream,
    /// The parameter list (`input: impl Into<String>` or `k: K, v: V`).
    pub params: TokenStream,
    /// The arguments that forward the parameters (`input` or `k, v`).
    pub args: TokenStream,
    /// The statement that stores the parameters in the builder field.
    pub store: TokenStream,
}

/// The [`SetterSignature`] of a member.
pub fn setter_signature(types: &Types<'_>, m: &Member) -> SetterSignature {
    let f = field(m);
    let optional_of = |ty: &Type| {
        let inner = types.rust_type(ty);
        quote! { Option<#inner> }
    };
    let collection_doc = |what: String| {
        quote! {
            #[doc = #what]
            #[doc = ""]
            #[doc = " To override the contents of this collection use the `set_` method."]
        }
    };
    match &m.target {
        Type::List { member, sparse } => {
            let (param, conv) = if *sparse {
                (optional_of(member), quote! { input })
            } else {
                setter_param(types, member)
            };
            SetterSignature {
                doc: collection_doc(format!(" Appends an item to `{}`.", m.bare_field())),
                params: quote! { input: #param },
                args: quote! { input },
                store: quote! { self.#f.get_or_insert_with(Vec::new).push(#conv); },
            }
        }
        Type::Map { key, value, sparse } => {
            let (kparam, kconv) = match key.as_ref() {
                Type::String => (quote! { impl Into<String> }, quote! { k.into() }),
                other => (types.rust_type(other), quote! { k }),
            };
            // String values take `impl Into<String>`, as aws-sdk-rust's map setters do.
            let (vparam, vconv) = match value.as_ref() {
                _ if *sparse => (optional_of(value), quote! { v }),
                Type::String => (quote! { impl Into<String> }, quote! { v.into() }),
                other => (types.rust_type(other), quote! { v }),
            };
            SetterSignature {
                doc: collection_doc(format!(
                    " Inserts a key-value pair into `{}`.",
                    m.bare_field()
                )),
                params: quote! { k: #kparam, v: #vparam },
                args: quote! { k, v },
                store: quote! {
                    self.#f.get_or_insert_with(std::collections::HashMap::new).insert(#kconv, #vconv);
                },
            }
        }
        other => {
            let (param, conv) = setter_param(types, other);
            let conv = if m.boxed {
                quote! { Box::new(#conv) }
            } else {
                conv
            };
            SetterSignature {
                doc: model_doc_attrs(m.docs.as_deref()),
                params: quote! { input: #param },
                args: quote! { input },
                store: quote! { self.#f = Some(#conv); },
            }
        }
    }
}

fn setters(types: &Types<'_>, m: &Member) -> TokenStream {
    let f = field(m);
    let set = ident(&m.setter);
    let get = ident(&m.getter);
    let ty = builder_field_type(types, m);
    let deprecated = deprecated_attr(m.deprecated.as_ref());
    let lint = self_convention_allow(m);
    let required = if m.required {
        quote! { #[doc = ""] #[doc = " This member is required."] }
    } else {
        TokenStream::new()
    };
    let sig = setter_signature(types, m);
    let (params, store) = (&sig.params, &sig.store);
    let single_doc = &sig.doc;
    let single = quote! {
        #single_doc
        #required
        #deprecated
        #lint
        pub fn #f(mut self, #params) -> Self {
            #store
            self
        }
    };
    let set_doc = format!(" Sets or clears `{}`.", m.bare_field());
    let get_doc = format!(" Returns `{}` as set so far.", m.bare_field());
    quote! {
        #single

        #[doc = #set_doc]
        #deprecated
        pub fn #set(mut self, input: #ty) -> Self {
            self.#f = input;
            self
        }

        #[doc = #get_doc]
        #deprecated
        pub fn #get(&self) -> &#ty {
            &self.#f
        }
    }
}

/// Client-side validation of an input member: presence and the model's constraints,
/// so bad input fails before any network call.
fn input_check(owner: &str, m: &Member) -> TokenStream {
    let f = field(m);
    let name = m.bare_field();
    let mut constraint = Vec::new();
    let bound = |b: Option<f64>, to: fn(f64) -> TokenStream| match b {
        Some(b) => {
            let b = to(b);
            quote! { Some(#b) }
        }
        None => quote! { None },
    };
    if let Some(len) = &m.length {
        let measure = match &m.target {
            Type::String => Some(quote! { value.chars().count() }),
            Type::List { .. } | Type::Map { .. } => Some(quote! { value.len() }),
            Type::Blob => Some(quote! { value.as_ref().len() }),
            _ => None,
        };
        // A minimum of 0 holds for every length.
        let min = len.min.filter(|&b| b > 0.0);
        if let (Some(measure), true) = (measure, min.is_some() || len.max.is_some()) {
            let as_usize = |b: f64| {
                let b = b as usize;
                quote! { #b }
            };
            let (min, max) = (bound(min, as_usize), bound(len.max, as_usize));
            constraint.push(quote! {
                awsjson_runtime::generated_support::check_length(#name, #measure, #min, #max)?;
            });
        }
    }
    if let Some(range) = &m.range {
        let bounded = range.min.is_some() || range.max.is_some();
        if m.target.is_copy() && m.target != Type::Boolean && bounded {
            let as_f64 = |b: f64| quote! { #b };
            let (min, max) = (bound(range.min, as_f64), bound(range.max, as_f64));
            constraint.push(quote! {
                awsjson_runtime::generated_support::check_range(#name, *value, #min, #max)?;
            });
        }
    }
    let details = owner;
    let missing =
        quote! { return Err(awsjson_runtime::error::BuildError::missing_field(#name, #details)); };
    match (constraint.is_empty(), m.required) {
        (true, false) => TokenStream::new(),
        (true, true) => quote! {
            if self.#f.is_none() {
                #missing
            }
        },
        (false, false) => quote! {
            if let Some(value) = self.#f.as_ref() {
                #(#constraint)*
            }
        },
        (false, true) => quote! {
            match self.#f.as_ref() {
                Some(value) => {
                    #(#constraint)*
                }
                None => {
                    #missing
                }
            }
        },
    }
}

/// A `Debug` impl that redacts sensitive members.
fn debug_impl(
    name: &proc_macro2::Ident,
    members: &[Member],
    role: Role,
    builder: bool,
) -> TokenStream {
    let label = name.to_string();
    let fields = members.iter().map(|m| {
        let f = field(m);
        let key = m.bare_field();
        if m.sensitive {
            quote! { .field(#key, &"*** Sensitive Data Redacted ***") }
        } else {
            quote! { .field(#key, &self.#f) }
        }
    });
    let extra = match (role, builder) {
        (Role::Output, _) => quote! { .field("_request_id", &self._request_id) },
        (Role::Error, _) => quote! { .field("meta", &self.meta) },
        _ => TokenStream::new(),
    };
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label)
                    #(#fields)*
                    #extra
                    .finish()
            }
        }
    }
}

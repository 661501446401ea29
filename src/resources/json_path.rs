//! Deserializing from a `serde_json::Value` while keeping the JSON path of the first error.
//!
//! Why not `serde_path_to_error`: it wraps every visitor type of every resource in a generic
//! adapter, which multiplied the wasm module (about 110 KB of the browser/edge download for the
//! resource parsers). Here the path lives in one shared stack that the map and sequence accessors
//! push to and pop from, so each resource type is compiled once, against one deserializer.
//! A segment is pushed before a key or element is read and popped only after it was read
//! successfully; on an error the stack is therefore exactly the path to the bad field.

use std::cell::RefCell;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, Error as _, IntoDeserializer, MapAccess,
    SeqAccess, VariantAccess, Visitor,
};
use serde_json::{Map, Value};

/// The deserializer's error: a message. Floats in messages are described, not printed, so that
/// core's float formatting (about 14 KB of wasm) is not linked in for an error text: Open
/// Payments has no floating-point fields, a float anywhere is simply the wrong type.
#[derive(Debug)]
pub(crate) struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }

    fn invalid_type(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        Self(format!(
            "invalid type: {}, expected {exp}",
            describe(&unexp)
        ))
    }

    fn invalid_value(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        Self(format!(
            "invalid value: {}, expected {exp}",
            describe(&unexp)
        ))
    }
}

/// What was found, in JSON words. serde's own `Display` of [`de::Unexpected`] is not used: it
/// prints floats, which links core's float formatting (about 14 KB of wasm) for an error text.
fn describe(unexp: &de::Unexpected<'_>) -> String {
    use de::Unexpected as U;
    match unexp {
        U::Bool(b) => format!("boolean `{b}`"),
        U::Unsigned(n) => format!("integer `{n}`"),
        U::Signed(n) => format!("integer `{n}`"),
        U::Float(_) => "a number with a fraction".to_owned(),
        U::Char(c) => format!(
            "character {}",
            crate::error::quoted(c.encode_utf8(&mut [0; 4]))
        ),
        U::Str(s) => format!("string {}", crate::error::quoted(s)),
        U::Bytes(_) => "bytes".to_owned(),
        U::Unit | U::Option => "null".to_owned(),
        U::NewtypeStruct | U::Seq => "array".to_owned(),
        U::Map => "object".to_owned(),
        U::Enum | U::UnitVariant | U::NewtypeVariant | U::TupleVariant | U::StructVariant => {
            "enum variant".to_owned()
        }
        U::Other(other) => (*other).to_owned(),
    }
}

/// One step of a JSON path.
enum Segment {
    Key(String),
    Index(usize),
}

/// The path stack shared by the deserializers of one document.
#[derive(Default)]
pub(crate) struct Path(RefCell<Vec<Segment>>);

impl Path {
    fn push(&self, segment: Segment) {
        self.0.borrow_mut().push(segment);
    }

    fn pop(&self) {
        self.0.borrow_mut().pop();
    }

    /// `incomingAmount.value`, `result[1].receivedAmount`; `.` for the document itself.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        for segment in self.0.borrow().iter() {
            match segment {
                Segment::Key(key) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                Segment::Index(i) => {
                    out.push('[');
                    crate::error::push_decimal(&mut out, *i);
                    out.push(']');
                }
            }
        }
        if out.is_empty() {
            out.push('.');
        }
        out
    }
}

/// A deserializer over one JSON value that records where it is in [`Path`].
pub(crate) struct ValueDeserializer<'a> {
    value: &'a Value,
    path: &'a Path,
}

impl<'a> ValueDeserializer<'a> {
    pub(crate) fn new(value: &'a Value, path: &'a Path) -> Self {
        Self { value, path }
    }
}

impl<'de> Deserializer<'de> for ValueDeserializer<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => {
                let mut seq = Seq {
                    items: items.iter(),
                    index: 0,
                    path: self.path,
                };
                let value = visitor.visit_seq(&mut seq)?;
                let rest = seq.items.len();
                if rest == 0 {
                    Ok(value)
                } else {
                    Err(Error::invalid_length(
                        items.len(),
                        &"fewer elements in array",
                    ))
                }
            }
            Value::Object(map) => visitor.visit_map(Entries::new(map, self.path)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            Value::Object(map) if map.len() == 1 => match map.iter().next() {
                Some((variant, value)) => visitor.visit_enum(Variant {
                    variant,
                    value,
                    path: self.path,
                }),
                None => Err(Error::custom(
                    "invalid value: empty object, expected an enum",
                )),
            },
            _ => Err(Error::invalid_type(unexpected(self.value), &"an enum")),
        }
    }

    /// Open Payments objects are JSON objects: serde's derive would also read a struct from an
    /// array of its fields in order (`["https://…", "Alice", "USD", 2, …]`), which no schema
    /// allows (the schema walker, `schema.rs`, refuses it the same way).
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Value::Array(_) => Err(Error::invalid_type(de::Unexpected::Seq, &visitor)),
            _ => self.deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

fn unexpected(value: &Value) -> de::Unexpected<'_> {
    match value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(_) => de::Unexpected::Other("number"),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

struct Seq<'a> {
    items: std::slice::Iter<'a, Value>,
    index: usize,
    path: &'a Path,
}

impl<'de> SeqAccess<'de> for Seq<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(value) = self.items.next() else {
            return Ok(None);
        };
        self.path.push(Segment::Index(self.index));
        let element = seed.deserialize(ValueDeserializer::new(value, self.path))?;
        self.path.pop();
        self.index += 1;
        Ok(Some(element))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Entries<'a> {
    entries: serde_json::map::Iter<'a>,
    pending: Option<&'a Value>,
    path: &'a Path,
}

impl<'a> Entries<'a> {
    fn new(map: &'a Map<String, Value>, path: &'a Path) -> Self {
        Self {
            entries: map.iter(),
            pending: None,
            path,
        }
    }
}

impl<'de> MapAccess<'de> for Entries<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        // Pushed before the key is read, so an unknown key's error names it.
        self.path.push(Segment::Key(key.clone()));
        self.pending = Some(value);
        seed.deserialize(BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self
            .pending
            .take()
            .ok_or_else(|| Error::custom("a map value was read before its key"))?;
        let out = seed.deserialize(ValueDeserializer::new(value, self.path))?;
        self.path.pop();
        Ok(out)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

struct Variant<'a> {
    variant: &'a str,
    value: &'a Value,
    path: &'a Path,
}

impl<'de> EnumAccess<'de> for Variant<'de> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self), Error> {
        self.path.push(Segment::Key(self.variant.to_owned()));
        let tag = seed.deserialize(BorrowedStrDeserializer::new(self.variant))?;
        Ok((tag, self))
    }
}

impl<'de> VariantAccess<'de> for Variant<'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.value {
            Value::Null => {
                self.path.pop();
                Ok(())
            }
            other => Err(Error::invalid_type(unexpected(other), &"a unit variant")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        let out = seed.deserialize(ValueDeserializer::new(self.value, self.path))?;
        self.path.pop();
        Ok(out)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        let out = ValueDeserializer::new(self.value, self.path).deserialize_any(visitor)?;
        self.path.pop();
        Ok(out)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let out = ValueDeserializer::new(self.value, self.path).deserialize_any(visitor)?;
        self.path.pop();
        Ok(out)
    }
}

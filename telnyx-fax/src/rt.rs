//! Support code the generated models refer to (`crate::__rt`), written once
//! here so that each generated type is a few lines for rustc to check instead
//! of a full set of impls per type. Not part of the public API, except
//! [`Const`] and [`Tag`], re-exported at the crate root.
//!
//! * `string_enum!`: a string enum with a catch-all `Unknown(String)`
//!   variant; the generated code names its variants and values, the macro
//!   writes the conversions and the serde impls (which delegate to the
//!   generic `StringEnum` helpers below, checked once for all enums).
//! * [`Const`]: a string the spec allows only one value for (a webhook's
//!   `event_type`, a `record_type`): one generic type for all of them,
//!   instantiated with a zero-sized [`Tag`] per value, instead of a full
//!   enum each.
//! * `object_serde!`: a model's `Serialize` and `Deserialize` (one map pass,
//!   unknown properties kept), with the field shapes of `field`, the
//!   borrowed `Key` and the `Unknown` sinks it calls.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

/// What `string_enum!` implements for a generated string enum; the
/// conversions and serde impls it writes call the generic functions below.
pub trait StringEnum: Sized {
    /// The known value for `value`, if any.
    fn known(value: &str) -> Option<Self>;
    /// The catch-all for a value this version does not know.
    fn unknown(value: String) -> Self;
}

/// `T::from(&str)`: the known value, or `Unknown` with a copy of the text.
pub fn enum_from_str<T: StringEnum>(value: &str) -> T {
    T::known(value).unwrap_or_else(|| T::unknown(value.to_owned()))
}

/// `T::from(String)`: the known value, or `Unknown` keeping the string.
pub fn enum_from_string<T: StringEnum>(value: String) -> T {
    match T::known(&value) {
        Some(known) => known,
        None => T::unknown(value),
    }
}

/// Deserializes a string enum from a string, borrowing it where the format
/// allows (no allocation for a known value).
pub fn enum_deserialize<'de, T: StringEnum, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    struct StrVisitor<T>(PhantomData<fn() -> T>);
    impl<T: StringEnum> Visitor<'_> for StrVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
            Ok(enum_from_str(value))
        }
        fn visit_string<E: de::Error>(self, value: String) -> Result<T, E> {
            Ok(enum_from_string(value))
        }
    }
    deserializer.deserialize_str(StrVisitor(PhantomData))
}

/// A string enum with a catch-all: the generated code gives the attributes
/// (docs, derives), the variants with their docs and wire values; this adds
/// `#[non_exhaustive]`, the `Unknown(String)` variant, `VALUES`, `as_str`,
/// `is_unknown`, `From<&str>`, `From<String>`, `FromStr`, `Display`,
/// `Serialize` and `Deserialize`.
#[allow(unused_macros)] // a document without string enums does not use it
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )*
        }
    ) => {
        $(#[$meta])*
        ///
        /// Values unknown to this version are kept in [`Self::Unknown`], so a new
        /// server value never breaks deserialization.
        ///
        /// `#[non_exhaustive]`: a value added to the spec later becomes a new
        /// variant without breaking code that matches on this enum.
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version of the crate does not know.
            Unknown(::std::string::String),
        }
        impl $name {
            /// Every value this version knows, in spec order.
            pub const VALUES: &'static [&'static str] = &[$($wire),*];
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }
            /// Whether this is a value this version does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }
        impl $crate::__rt::StringEnum for $name {
            fn known(value: &str) -> ::std::option::Option<Self> {
                match value {
                    $( $wire => ::std::option::Option::Some(Self::$variant), )*
                    _ => ::std::option::Option::None,
                }
            }
            fn unknown(value: ::std::string::String) -> Self {
                Self::Unknown(value)
            }
        }
        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                $crate::__rt::enum_from_str(value)
            }
        }
        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                $crate::__rt::enum_from_string(value)
            }
        }
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok($crate::__rt::enum_from_str(value))
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::__rt::enum_deserialize(deserializer)
            }
        }
    };
}
#[allow(unused_imports)] // a document without string enums does not use it
pub(crate) use string_enum;

/// The one value a [`Const`] stands for. Generated code implements it for a
/// zero-sized tag type per value, and names the value after it with an
/// associated constant of the `Const` (`ItemRecordType::Item`).
pub trait Tag: 'static {
    /// The value on the wire.
    const VALUE: &'static str;
}

/// A string the spec allows only one value for (`Tag::VALUE`), such as a
/// webhook's `event_type` or a `record_type`.
///
/// A different value sent by a newer server is kept, not rejected
/// ([`Const::is_unknown`]), so it never breaks deserialization.
/// [`Const::default()`] (and the associated constant the generated alias
/// names after the value, e.g. `ItemRecordType::Item`) is the known value.
pub struct Const<T: Tag> {
    /// `None` for the known value; the text of any other value.
    unknown: Option<Box<str>>,
    tag: PhantomData<fn() -> T>,
}

impl<T: Tag> Const<T> {
    /// The known value.
    pub const KNOWN: Self = Const { unknown: None, tag: PhantomData };
    /// Every value this version knows (the one value).
    pub const VALUES: &'static [&'static str] = &[T::VALUE];

    /// The value as sent on the wire.
    pub fn as_str(&self) -> &str {
        self.unknown.as_deref().unwrap_or(T::VALUE)
    }

    /// Whether this is a value this version does not know.
    pub fn is_unknown(&self) -> bool {
        self.unknown.is_some()
    }
}

impl<T: Tag> Default for Const<T> {
    fn default() -> Self {
        Self::KNOWN
    }
}

impl<T: Tag> Clone for Const<T> {
    fn clone(&self) -> Self {
        Const { unknown: self.unknown.clone(), tag: PhantomData }
    }
}

impl<T: Tag> fmt::Debug for Const<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.unknown {
            None => fmt::Debug::fmt(T::VALUE, f),
            Some(value) => f.debug_tuple("Unknown").field(value).finish(),
        }
    }
}

impl<T: Tag> fmt::Display for Const<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<T: Tag> PartialEq for Const<T> {
    fn eq(&self, other: &Self) -> bool {
        self.unknown == other.unknown
    }
}

impl<T: Tag> Eq for Const<T> {}

impl<T: Tag> Hash for Const<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.unknown.hash(state);
    }
}

/// The known value first, then unknown values by text (the order of a
/// string enum's variants: known before `Unknown`).
impl<T: Tag> Ord for Const<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        match (&self.unknown, &other.unknown) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(a), Some(b)) => a.cmp(b),
        }
    }
}

impl<T: Tag> PartialOrd for Const<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: Tag> From<&str> for Const<T> {
    fn from(value: &str) -> Self {
        let unknown = (value != T::VALUE).then(|| Box::from(value));
        Const { unknown, tag: PhantomData }
    }
}

impl<T: Tag> From<String> for Const<T> {
    fn from(value: String) -> Self {
        let unknown = (value != T::VALUE).then(|| value.into_boxed_str());
        Const { unknown, tag: PhantomData }
    }
}

impl<T: Tag> std::str::FromStr for Const<T> {
    type Err = std::convert::Infallible;
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Ok(Self::from(value))
    }
}

impl<T: Tag> StringEnum for Const<T> {
    fn known(value: &str) -> Option<Self> {
        (value == T::VALUE).then_some(Self::KNOWN)
    }
    fn unknown(value: String) -> Self {
        Const { unknown: Some(value.into_boxed_str()), tag: PhantomData }
    }
}

impl<T: Tag> Serialize for Const<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de, T: Tag> Deserialize<'de> for Const<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        enum_deserialize(deserializer)
    }
}

/// A model's `Serialize` and `Deserialize`: the generated code lists each
/// field's wire name, Rust name and shape (`required`, `nullable`,
/// `optional`, `double`: see `field`), the file fields that never travel
/// in JSON (`skip { .. }`) and, if the model keeps unknown properties, the
/// field that holds them (`rest extra`); this writes one
/// `serialize_map` pass and one `visit_map` loop. Written once here rather
/// than derived per struct: serde's derive of a struct with a
/// `#[serde(flatten)]` map expands to a few hundred lines per struct (a
/// field visitor for every JSON type, a buffered second pass), most of what
/// rustc checked in a big generated crate.
#[allow(unused_macros)] // a document without objects does not use it
macro_rules! object_serde {
    (
        $name:ident {
            $( $wire:literal => $field:ident : $shape:ident, )*
        }
        $( skip { $( $skip:ident ),* $(,)? } )?
        rest $extra:ident
    ) => {
        $crate::__rt::object_serde!(@impl $name [$( $wire $field $shape )*] [$($($skip)*)?] [$extra] _);
    };
    (
        $name:ident {
            $( $wire:literal => $field:ident : $shape:ident, )*
        }
        $( skip { $( $skip:ident ),* $(,)? } )?
    ) => {
        $crate::__rt::object_serde!(@impl $name [$( $wire $field $shape )*] [$($($skip)*)?] [] $crate::__rt::IgnoreUnknown);
    };
    // A field's value once the map is read: a missing required field is
    // serde's `missing field` error, the other shapes cannot fail.
    (@read required $field:ident $wire:literal) => {
        let ::std::option::Option::Some($field) = $field else {
            return ::std::result::Result::Err(<A::Error as ::serde::de::Error>::missing_field($wire));
        };
    };
    (@read $shape:ident $field:ident $wire:literal) => {
        let $field = $crate::__rt::field::$shape::read($field);
    };
    (@impl $name:ident [$( $wire:literal $field:ident $shape:ident )*] [$( $skip:ident )*] [$( $extra:ident )?] $rest:ty) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                #[allow(unused_mut)]
                let mut map = serializer.serialize_map(::std::option::Option::None)?;
                // One call per field, no branch here: the first error is kept and the rest skipped.
                // (Not written to by a type whose only fields are files, skipped.)
                #[allow(unused_mut)]
                let mut state = ::std::result::Result::Ok(());
                $( $crate::__rt::field::$shape::write(&mut map, &mut state, $wire, &self.$field); )*
                $( $crate::__rt::write_rest(&mut map, &mut state, &self.$extra); )?
                state?;
                map.end()
            }
        }
        impl $crate::__rt::Object for $name {
            const EXPECTING: &'static str = concat!("a `", stringify!($name), "` object");
            #[allow(clippy::match_single_binding)]
            fn from_map<'de, A: ::serde::de::MapAccess<'de>>(mut map: A) -> ::std::result::Result<Self, A::Error> {
                $( let mut $field = ::std::option::Option::None; )*
                // The map's type is inferred from the struct's field.
                let mut rest: $rest = ::std::default::Default::default();
                while let ::std::option::Option::Some(key) = map.next_key::<$crate::__rt::Key<'de>>()? {
                    match key.as_str() {
                        $( $wire => $crate::__rt::next_value(&mut $field, &mut map), )*
                        _ => $crate::__rt::Unknown::keep(&mut rest, key, &mut map),
                    }?;
                }
                $( $crate::__rt::object_serde!(@read $shape $field $wire); )*
                ::std::result::Result::Ok($name {
                    $( $field, )*
                    $( $skip: ::std::default::Default::default(), )*
                    $( $extra: rest, )?
                })
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::__rt::deserialize_object(deserializer)
            }
        }
    };
}
#[allow(unused_imports)] // a document without objects does not use it
pub(crate) use object_serde;

/// The shapes of a model field for `object_serde!`: how it is written
/// (`write`) and what an absent, `null` or present key reads as (`read`,
/// from the value read for the key, if any; a missing `required` field is
/// the macro's own `missing field` error).
pub mod field {
    use serde::ser::SerializeMap;
    use serde::Serialize;

    /// Required, not nullable (`T`): always written; missing is an error.
    pub mod required {
        use super::*;
        /// Writes the entry.
        pub fn write<M: SerializeMap, T: Serialize>(map: &mut M, state: &mut Result<(), M::Error>, wire: &'static str, value: &T) {
            if state.is_ok() {
                *state = map.serialize_entry(wire, value);
            }
        }
    }

    /// Required and nullable (`Option<T>`): always written, `None` as
    /// `null`; absent or `null` reads as `None`.
    pub mod nullable {
        /// Writes the entry (`null` for `None`): a required field's write.
        pub use super::required::write;
        /// `None` for absent or `null`: an optional field's read.
        pub use super::optional::read;
    }

    /// Optional (`Option<T>`): written only when `Some`; absent or `null`
    /// reads as `None`.
    pub mod optional {
        use super::*;
        /// Writes the entry when `Some`.
        pub fn write<M: SerializeMap, T: Serialize>(map: &mut M, state: &mut Result<(), M::Error>, wire: &'static str, value: &Option<T>) {
            if let (Ok(()), Some(value)) = (&state, value) {
                *state = map.serialize_entry(wire, value);
            }
        }
        /// `None` for absent or `null`.
        pub fn read<T>(slot: Option<Option<T>>) -> Option<T> {
            slot.flatten()
        }
    }

    /// Optional and nullable in a request type (`Option<Option<T>>`): absent
    /// is `None` (not written), `null` is `Some(None)`, a value `Some(Some(v))`.
    pub mod double {
        /// Writes the entry when `Some` (`Some(None)` as `null`): an optional field's write.
        pub use super::optional::write;
        /// A present key is `Some` (`Some(None)` for `null`).
        pub fn read<T>(slot: Option<Option<T>>) -> Option<Option<T>> {
            slot
        }
    }
}

/// What `object_serde!` implements for a model: its name for error
/// messages and how it is read from a map. Its `Deserialize` calls
/// [`deserialize_object`], so the serde visitor is written once, here.
pub trait Object: Sized {
    /// What a decode error says was expected ("an `Item` object").
    const EXPECTING: &'static str;
    /// Reads the model from a map's entries.
    fn from_map<'de, A: de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// A model's `Deserialize`: a map, read by [`Object::from_map`].
pub fn deserialize_object<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    struct ObjectVisitor<T>(PhantomData<fn() -> T>);
    impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(T::EXPECTING)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::from_map(map)
        }
    }
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

/// Reads the value of a declared field's key into its slot.
pub fn next_value<'de, T: Deserialize<'de>, A: de::MapAccess<'de>>(slot: &mut Option<T>, map: &mut A) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Writes the unknown properties a model kept, after its declared fields
/// (nothing once an entry failed).
pub fn write_rest<'a, M: serde::ser::SerializeMap, V: Serialize + 'a>(map: &mut M, state: &mut Result<(), M::Error>, rest: impl IntoIterator<Item = (&'a String, &'a V)>) {
    for (key, value) in rest {
        if state.is_err() {
            return;
        }
        *state = map.serialize_entry(key, value);
    }
}

/// Where `object_serde!` puts a key the model does not declare: the
/// model's unknown-fields map, or nowhere (`IgnoreUnknown`).
pub trait Unknown: Default {
    /// Reads the key's value and keeps (or skips) it.
    fn keep<'de, A: de::MapAccess<'de>>(&mut self, key: Key<'de>, map: &mut A) -> Result<(), A::Error>;
}

impl Unknown for serde_json::Map<String, serde_json::Value> {
    fn keep<'de, A: de::MapAccess<'de>>(&mut self, key: Key<'de>, map: &mut A) -> Result<(), A::Error> {
        let value = map.next_value()?;
        self.insert(key.into_string(), value);
        Ok(())
    }
}

impl<T: de::DeserializeOwned> Unknown for std::collections::BTreeMap<String, T> {
    fn keep<'de, A: de::MapAccess<'de>>(&mut self, key: Key<'de>, map: &mut A) -> Result<(), A::Error> {
        let value = map.next_value()?;
        self.insert(key.into_string(), value);
        Ok(())
    }
}

/// The unknown-fields "map" of a model that keeps none: the values are
/// read and dropped.
#[derive(Default)]
pub struct IgnoreUnknown;

impl Unknown for IgnoreUnknown {
    fn keep<'de, A: de::MapAccess<'de>>(&mut self, _key: Key<'de>, map: &mut A) -> Result<(), A::Error> {
        map.next_value::<de::IgnoredAny>().map(drop)
    }
}

/// An object key as the generated `Deserialize` impls read it: borrowed from
/// the input where the format allows, so matching a declared field name
/// allocates nothing; only a key kept in the unknown-fields map is owned.
pub enum Key<'de> {
    /// A key borrowed from the input.
    Borrowed(&'de str),
    /// A key the format could not lend (escaped, or from a `Value`).
    Owned(String),
}

impl Key<'_> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(key) => key,
            Key::Owned(key) => key,
        }
    }

    /// The key as an owned string (for the unknown-fields map).
    pub fn into_string(self) -> String {
        match self {
            Key::Borrowed(key) => key.to_owned(),
            Key::Owned(key) => key,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(value))
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(value.to_owned()))
            }
            fn visit_string<E: de::Error>(self, value: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(value))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}


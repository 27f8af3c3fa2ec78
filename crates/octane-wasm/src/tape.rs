//! Results handed to JavaScript as one flat tape, built into objects by a
//! small decoder on the JavaScript side (`js/tape.js`).
//!
//! Building a result field by field from Rust crosses the boundary several
//! times per field (a key string decoded, a value made, a property set),
//! which cost more than computing the result: a 97-character query parsed
//! in about 15 µs and took 60 µs to hand over. Here the result is written
//! in Rust into two buffers, and one call hands them over:
//!
//! - the tape, a list of `f64`: each value a tag, then its operands;
//! - the text, every string of the result in UTF-8, which JavaScript
//!   decodes once and slices (offsets into it are in UTF-16 units,
//!   counted here as it is written; Node decodes UTF-8 about six times
//!   faster than UTF-16).
//!
//! Member names are `&'static str`s: each gets a number the first time it
//! is written, and the decoder keeps the name under that number, so later
//! results name it by number and JavaScript reuses one string for it.
//!
//! The values are those of `serde_wasm_bindgen`'s JSON-compatible setting:
//! plain objects and arrays, `null` for `None` and `()`, externally tagged
//! enums, and integers beyond 2^53 refused rather than rounded.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

use serde::Serialize;
use serde::ser::{self, Impossible};
use wasm_bindgen::prelude::*;

/// `null`.
const NULL: f64 = 0.0;
/// `false`.
const FALSE: f64 = 1.0;
/// `true`.
const TRUE: f64 = 2.0;
/// A number: one operand, the number.
const NUMBER: f64 = 3.0;
/// A string: two operands, its start and end in the text (UTF-16 units).
const STRING: f64 = 4.0;
/// An array: one operand, its length, then that many values.
pub(crate) const ARRAY: f64 = 5.0;
/// An object: one operand, its number of members, then each member's
/// name (a string, or a known name) and value.
const OBJECT: f64 = 6.0;
/// A member name met before: one operand, its number.
pub(crate) const NAME: f64 = 7.0;
/// `{ start, end }`, a span (most objects of a tree are spans): two
/// operands, the two numbers. An object of exactly those two members, both
/// numbers, in that order, is written so.
const SPAN: f64 = 8.0;

// Query trees, tokens and OData trees (`crate::tree`) have tags of their
// own: the decoder builds each kind of node as an object literal, which
// JavaScript engines make about ten times faster than an object filled
// member by member.
/// A statement: its expression, then its span (two numbers).
pub(crate) const QUERY: f64 = 9.0;
/// `and`: the number of operands, each operand, the span.
pub(crate) const AND: f64 = 10.0;
/// `or`: as `AND`.
pub(crate) const OR: f64 = 11.0;
/// `not`: the operand, the span.
pub(crate) const NOT: f64 = 12.0;
/// `error` (a part of a partial tree the parser could not read): as `AND`.
pub(crate) const BROKEN: f64 = 13.0;
/// `phrase`: the field's name (two text offsets) and span, the operator's
/// kind (a value) and span, the form of the operand (0 `value`, 1
/// `values`, 2 `low` and `high`) and its values (for 1, their number
/// first), the span.
pub(crate) const PHRASE: f64 = 14.0;
/// A number value: its text (two text offsets), the span.
pub(crate) const NUMBER_VALUE: f64 = 15.0;
/// `true` or `false` (1 or 0), the span.
pub(crate) const BOOLEAN_VALUE: f64 = 16.0;
/// `null`: the span.
pub(crate) const NULL_VALUE: f64 = 17.0;
/// A string value: its text (two text offsets), its kind (a value), the
/// span.
pub(crate) const STRING_VALUE: f64 = 18.0;
/// `[current_user]`: the span.
pub(crate) const CURRENT_USER: f64 = 19.0;
/// `[current_release]`: the span.
pub(crate) const CURRENT_RELEASE: f64 = 20.0;
/// `{null}`: the span.
pub(crate) const NULL_REFERENCE: f64 = 21.0;
/// `{...}`: the filter (an expression), the span.
pub(crate) const CROSS_FILTER: f64 = 22.0;
/// A token of `tokenizeQuery`, `{ kind, span }`: the kind (a value), the
/// span.
pub(crate) const TOKEN: f64 = 23.0;
/// A node of an OData filter's tree (`ODataNode`, `{ kind, label, span,
/// children }`): the kind (a value), the label (two text offsets), the
/// span, the number of children and each child.
pub(crate) const ODATA_NODE: f64 = 24.0;

/// The largest integer a JavaScript number holds exactly.
const SAFE: u64 = (1 << 53) - 1;

#[wasm_bindgen(module = "/js/tape.js")]
extern "C" {
    /// Builds the value of the tape at `tape` (`tape_len` numbers) over
    /// the UTF-8 text at `text` (`text_len` bytes) in `memory`.
    #[wasm_bindgen(js_name = decodeTape, catch)]
    fn decode_tape(
        memory: JsValue,
        tape: u32,
        tape_len: u32,
        text: u32,
        text_len: u32,
    ) -> Result<JsValue, JsValue>;
}

/// Hashes a name's address: names are compared by address and length.
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

/// The member names the decoder knows.
#[derive(Default)]
struct Names {
    /// Each name's number, by its address and length.
    ids: HashMap<(usize, usize), u32, BuildHasherDefault<AddressHasher>>,
    /// By number: which member of a span the name is (see `span_member`).
    span_members: Vec<u8>,
}

/// Which member of a span `name` is: 1 `start`, 2 `end`, 0 neither.
fn span_member(name: &str) -> u8 {
    match name {
        "start" => 1,
        "end" => 2,
        _ => 0,
    }
}

thread_local! {
    /// The member names the decoder knows, by address and length.
    static KNOWN: RefCell<Names> = RefCell::default();
    /// The buffers, kept from one result to the next.
    static BUFFERS: RefCell<Tape> = RefCell::default();
}

/// Serializes `value` to a plain JavaScript value.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    to_js_with(|writer| value.serialize(writer))
}

/// The plain JavaScript value `write` writes with the methods of
/// [`Writer`].
pub(crate) fn to_js_with(
    write: impl FnOnce(&mut Writer<'_>) -> Result<(), TapeError>,
) -> Result<JsValue, JsValue> {
    let mut tape = BUFFERS.with(|b| std::mem::take(&mut *b.borrow_mut()));
    let result = KNOWN.with(|known| {
        let known = &mut *known.borrow_mut();
        tape.write_with(known, write)
            .map_err(|e| JsValue::from(js_sys::Error::new(&e.0)))?;
        let decoded = decode(&tape);
        if decoded.is_ok() {
            tape.learned(known);
        } else {
            // The decoder may not have learned this result's names.
            tape.forget();
        }
        decoded
    });
    BUFFERS.with(|b| *b.borrow_mut() = tape);
    result
}

/// Hands the tape to the decoder.
fn decode(tape: &Tape) -> Result<JsValue, JsValue> {
    // Addresses and lengths fit in 32 bits on wasm32, the only target
    // that calls this.
    #[allow(clippy::cast_possible_truncation)]
    let address = |p: usize| p as u32;
    decode_tape(
        wasm_bindgen::memory(),
        address(tape.values.as_ptr() as usize),
        address(tape.values.len()),
        address(tape.text.as_ptr() as usize),
        address(tape.text.len()),
    )
}

/// A result being written.
#[derive(Default)]
struct Tape {
    /// Tags and operands. The first number is where the list of names new
    /// to the decoder starts, after the value: their count, then each
    /// one's number, start and end in the text.
    values: Vec<f64>,
    /// Every string, in UTF-8.
    text: Vec<u8>,
    /// The text's length in UTF-16 units.
    units: usize,
    /// Names first written by this result, with their numbers (few: the
    /// cache in front of them finds a name again).
    fresh: Vec<(&'static str, u32)>,
    /// Names looked up lately, by a hash of their address: most members
    /// of a result are found here without a lookup in the tables.
    cache: Vec<CacheSlot>,
}

/// A name's address and length, and its number.
type CacheSlot = (usize, usize, u32);

/// Slots of the cache of names.
const CACHE_SLOTS: usize = 256;

/// Why a value could not be written.
#[derive(Debug)]
pub(crate) struct TapeError(String);

impl fmt::Display for TapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TapeError {}

impl ser::Error for TapeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        TapeError(msg.to_string())
    }
}

/// `n` as a tape number.
fn count(n: usize) -> Result<f64, TapeError> {
    u32::try_from(n)
        .map(f64::from)
        .map_err(|_| TapeError("a result too large for JavaScript".to_owned()))
}

/// The key of a name: its address and length.
fn key(name: &'static str) -> (usize, usize) {
    (name.as_ptr() as usize, name.len())
}

impl Tape {
    /// Writes `value` in place of what the buffers held, numbering its new
    /// names after those in `known`.
    #[cfg(test)]
    fn write<T: Serialize + ?Sized>(&mut self, known: &Names, value: &T) -> Result<(), TapeError> {
        self.write_with(known, |writer| value.serialize(writer))
    }

    /// Writes what `write` writes in place of what the buffers held,
    /// numbering its new names after those in `known`.
    fn write_with(
        &mut self,
        known: &Names,
        write: impl FnOnce(&mut Writer<'_>) -> Result<(), TapeError>,
    ) -> Result<(), TapeError> {
        let written = self.write_value(known, write);
        if written.is_err() {
            // The cache may hold names of this result, which the decoder
            // will not learn.
            self.forget();
        }
        written
    }

    fn write_value(
        &mut self,
        known: &Names,
        write: impl FnOnce(&mut Writer<'_>) -> Result<(), TapeError>,
    ) -> Result<(), TapeError> {
        self.values.clear();
        self.text.clear();
        self.units = 0;
        self.fresh.clear();
        self.values.push(0.0);
        write(&mut Writer { out: self, known })?;
        self.values[0] = count(self.values.len())?;
        self.values.push(count(self.fresh.len())?);
        for i in 0..self.fresh.len() {
            let (name, id) = self.fresh[i];
            let (start, end) = self.push_text(name)?;
            self.values.extend([f64::from(id), start, end]);
        }
        Ok(())
    }

    /// Empties the cache of names.
    fn forget(&mut self) {
        self.cache.clear();
    }

    /// Adds the names this result taught the decoder to `known`.
    fn learned(&self, known: &mut Names) {
        // Fresh names are numbered in order from the known ones.
        for &(name, id) in &self.fresh {
            known.ids.insert(key(name), id);
            known.span_members.push(span_member(name));
        }
    }

    /// Appends `text` to the text; returns its start and end.
    fn push_text(&mut self, text: &str) -> Result<(f64, f64), TapeError> {
        let start = count(self.units)?;
        self.text.extend_from_slice(text.as_bytes());
        self.units += if text.is_ascii() {
            text.len()
        } else {
            text.chars().map(char::len_utf16).sum()
        };
        Ok((start, count(self.units)?))
    }
}

/// The serializer: writes one value to a tape. Besides serde's methods,
/// it writes tags and operands directly (`crate::tree`).
pub(crate) struct Writer<'a> {
    out: &'a mut Tape,
    /// The names the decoder already knows.
    known: &'a Names,
}

impl Writer<'_> {
    /// Writes a tag or a numeric operand.
    pub(crate) fn push(&mut self, tag: f64) {
        self.out.values.push(tag);
    }

    /// Writes a span's two numbers (as operands, not as a value).
    pub(crate) fn span(&mut self, span: octane_query::Span) {
        self.out
            .values
            .extend([f64::from(span.start), f64::from(span.end)]);
    }

    /// Writes a string's two offsets (as operands, not as a value).
    pub(crate) fn text(&mut self, text: &str) -> Result<(), TapeError> {
        let (start, end) = self.out.push_text(text)?;
        self.out.values.extend([start, end]);
        Ok(())
    }

    /// Writes `len`, a number of operands or members.
    pub(crate) fn len(&mut self, len: usize) -> Result<(), TapeError> {
        let len = count(len)?;
        self.out.values.push(len);
        Ok(())
    }

    /// Opens an object of `len` members: each is then written as a
    /// [`name`](Self::name) and a value.
    pub(crate) fn object(&mut self, len: usize) -> Result<(), TapeError> {
        self.push(OBJECT);
        self.len(len)
    }

    /// Opens an array of `len` values, each then written in turn.
    pub(crate) fn array(&mut self, len: usize) -> Result<(), TapeError> {
        self.push(ARRAY);
        self.len(len)
    }

    /// Writes `null`.
    pub(crate) fn null(&mut self) {
        self.push(NULL);
    }

    fn string(&mut self, text: &str) -> Result<(), TapeError> {
        self.push(STRING);
        self.text(text)
    }

    /// A `&'static str`, by its number: a member's name, or a string
    /// value from a fixed set.
    pub(crate) fn name(&mut self, name: &'static str) -> Result<(), TapeError> {
        let at = key(name);
        let slot = (at.0 >> 3 ^ at.0 >> 11) % CACHE_SLOTS;
        if let Some(&(address, len, id)) = self.out.cache.get(slot)
            && (address, len) == at
        {
            self.out.values.extend([NAME, f64::from(id)]);
            return Ok(());
        }
        let known = (self.known.ids.get(&at).copied()).or_else(|| {
            let fresh = self.out.fresh.iter();
            fresh.rev().find(|&&(n, _)| key(n) == at).map(|&(_, id)| id)
        });
        let id = if let Some(id) = known {
            id
        } else {
            let id = u32::try_from(self.known.span_members.len() + self.out.fresh.len())
                .map_err(|_| TapeError("too many member names".to_owned()))?;
            self.out.fresh.push((name, id));
            id
        };
        if self.out.cache.is_empty() {
            self.out.cache.resize(CACHE_SLOTS, (0, 0, 0));
        }
        self.out.cache[slot] = (at.0, at.1, id);
        self.out.values.extend([NAME, f64::from(id)]);
        Ok(())
    }

    /// An integer wider than 32 bits, of magnitude `magnitude`, refused
    /// where a JavaScript number cannot hold it exactly.
    fn integer<M, N>(&mut self, magnitude: M, n: N) -> Result<(), TapeError>
    where
        M: TryInto<u64>,
        N: fmt::Display + Copy + TryInto<i64>,
    {
        let exact = magnitude.try_into().is_ok_and(|m| m <= SAFE);
        match n.try_into() {
            // Exact: |n| <= 2^53 - 1.
            #[allow(clippy::cast_precision_loss)]
            Ok(small) if exact => {
                self.out.values.extend([NUMBER, small as f64]);
                Ok(())
            }
            _ => Err(TapeError(format!(
                "{n} is beyond the integers a JavaScript number holds exactly"
            ))),
        }
    }
}

impl Writer<'_> {
    /// Whether the name numbered `id` is the given member of a span (see
    /// `span_member`).
    fn is_span_member(&self, id: f64, member: u8) -> bool {
        // Numbers of names are small integers.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let id = id as usize;
        let known = &self.known.span_members;
        match known.get(id) {
            Some(&m) => m == member,
            None => (self.out.fresh.get(id - known.len()))
                .is_some_and(|&(name, _)| span_member(name) == member),
        }
    }

    /// Opens `{ variant: ... }`.
    fn variant(&mut self, variant: &'static str) -> Result<(), TapeError> {
        self.out.values.extend([OBJECT, 1.0]);
        self.name(variant)
    }
}

/// An array or object being written.
pub(crate) struct Compound<'a, 'w> {
    writer: &'a mut Writer<'w>,
    /// Where its length goes.
    at: usize,
    len: usize,
}

impl<'a, 'w> Compound<'a, 'w> {
    /// Opens an array or object; its length is written by `close`.
    fn open(writer: &'a mut Writer<'w>, tag: f64) -> Self {
        writer.push(tag);
        let at = writer.out.values.len();
        writer.push(0.0);
        Compound { writer, at, len: 0 }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TapeError> {
        self.len += 1;
        value.serialize(&mut *self.writer)
    }

    fn member<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), TapeError> {
        self.len += 1;
        self.writer.name(name)?;
        value.serialize(&mut *self.writer)
    }

    fn close(self) -> Result<(), TapeError> {
        let values = &self.writer.out.values;
        if values[self.at - 1] == OBJECT
            && let [NAME, start_name, NUMBER, start, NAME, end_name, NUMBER, end] =
                values[self.at + 1..]
            && self.writer.is_span_member(start_name, 1)
            && self.writer.is_span_member(end_name, 2)
        {
            let values = &mut self.writer.out.values;
            values.truncate(self.at - 1);
            values.extend([SPAN, start, end]);
            return Ok(());
        }
        self.writer.out.values[self.at] = count(self.len)?;
        Ok(())
    }
}

impl<'a, 'w> ser::Serializer for &'a mut Writer<'w> {
    type Ok = ();
    type Error = TapeError;
    type SerializeSeq = Compound<'a, 'w>;
    type SerializeTuple = Compound<'a, 'w>;
    type SerializeTupleStruct = Compound<'a, 'w>;
    type SerializeTupleVariant = Compound<'a, 'w>;
    type SerializeMap = Compound<'a, 'w>;
    type SerializeStruct = Compound<'a, 'w>;
    type SerializeStructVariant = Compound<'a, 'w>;

    fn serialize_bool(self, v: bool) -> Result<(), TapeError> {
        self.push(if v { TRUE } else { FALSE });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<(), TapeError> {
        self.out.values.extend([NUMBER, f64::from(v)]);
        Ok(())
    }

    fn serialize_i16(self, v: i16) -> Result<(), TapeError> {
        self.out.values.extend([NUMBER, f64::from(v)]);
        Ok(())
    }

    fn serialize_i32(self, v: i32) -> Result<(), TapeError> {
        self.out.values.extend([NUMBER, f64::from(v)]);
        Ok(())
    }

    fn serialize_i64(self, v: i64) -> Result<(), TapeError> {
        self.integer(v.unsigned_abs(), v)
    }

    fn serialize_i128(self, v: i128) -> Result<(), TapeError> {
        self.integer(v.unsigned_abs(), v)
    }

    fn serialize_u8(self, v: u8) -> Result<(), TapeError> {
        self.out.values.extend([NUMBER, f64::from(v)]);
        Ok(())
    }

    fn serialize_u16(self, v: u16) -> Result<(), TapeError> {
        self.out.values.extend([NUMBER, f64::from(v)]);
        Ok(())
    }

    fn serialize_u32(self, v: u32) -> Result<(), TapeError> {
        self.out.values.extend([NUMBER, f64::from(v)]);
        Ok(())
    }

    fn serialize_u64(self, v: u64) -> Result<(), TapeError> {
        self.integer(v, v)
    }

    fn serialize_u128(self, v: u128) -> Result<(), TapeError> {
        self.integer(v, v)
    }

    fn serialize_f32(self, v: f32) -> Result<(), TapeError> {
        self.serialize_f64(v.into())
    }

    fn serialize_f64(self, v: f64) -> Result<(), TapeError> {
        self.out.values.extend([NUMBER, v]);
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), TapeError> {
        self.string(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), TapeError> {
        self.string(v)
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), TapeError> {
        let mut array = Compound::open(self, ARRAY);
        for byte in v {
            array.element(byte)?;
        }
        array.close()
    }

    fn serialize_none(self) -> Result<(), TapeError> {
        self.push(NULL);
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), TapeError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), TapeError> {
        self.push(NULL);
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), TapeError> {
        self.push(NULL);
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), TapeError> {
        self.name(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), TapeError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), TapeError> {
        self.variant(variant)?;
        value.serialize(self)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a, 'w>, TapeError> {
        Ok(Compound::open(self, ARRAY))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Compound<'a, 'w>, TapeError> {
        Ok(Compound::open(self, ARRAY))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'w>, TapeError> {
        Ok(Compound::open(self, ARRAY))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'w>, TapeError> {
        self.variant(variant)?;
        Ok(Compound::open(self, ARRAY))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a, 'w>, TapeError> {
        Ok(Compound::open(self, OBJECT))
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'w>, TapeError> {
        Ok(Compound::open(self, OBJECT))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'w>, TapeError> {
        self.variant(variant)?;
        Ok(Compound::open(self, OBJECT))
    }
}

/// The serde traits of arrays: each element is written in turn.
macro_rules! arrays {
    ($($kind:ident::$method:ident),*) => {$(
        impl ser::$kind for Compound<'_, '_> {
            type Ok = ();
            type Error = TapeError;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TapeError> {
                self.element(value)
            }

            fn end(self) -> Result<(), TapeError> {
                self.close()
            }
        }
    )*};
}

arrays!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = TapeError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), TapeError> {
        self.len += 1;
        key.serialize(KeyWriter(&mut *self.writer))
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TapeError> {
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Result<(), TapeError> {
        self.close()
    }
}

/// The serde traits of structs: each member is written in turn.
macro_rules! structs {
    ($($kind:ident),*) => {$(
        impl ser::$kind for Compound<'_, '_> {
            type Ok = ();
            type Error = TapeError;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                name: &'static str,
                value: &T,
            ) -> Result<(), TapeError> {
                self.member(name, value)
            }

            fn end(self) -> Result<(), TapeError> {
                self.close()
            }
        }
    )*};
}

structs!(SerializeStruct, SerializeStructVariant);

/// Writes a map's key, which must be a string (as in JSON).
struct KeyWriter<'a, 'w>(&'a mut Writer<'w>);

/// The error for a key that is not a string.
fn not_a_string_key() -> TapeError {
    TapeError("a map key must be a string".to_owned())
}

/// Methods of `KeyWriter` for the values that cannot be keys.
macro_rules! refuse {
    ($($method:ident: $type:ty),*) => {$(
        fn $method(self, _v: $type) -> Result<(), TapeError> {
            Err(not_a_string_key())
        }
    )*};
}

impl ser::Serializer for KeyWriter<'_, '_> {
    type Ok = ();
    type Error = TapeError;
    type SerializeSeq = Impossible<(), TapeError>;
    type SerializeTuple = Impossible<(), TapeError>;
    type SerializeTupleStruct = Impossible<(), TapeError>;
    type SerializeTupleVariant = Impossible<(), TapeError>;
    type SerializeMap = Impossible<(), TapeError>;
    type SerializeStruct = Impossible<(), TapeError>;
    type SerializeStructVariant = Impossible<(), TapeError>;

    fn serialize_str(self, v: &str) -> Result<(), TapeError> {
        self.0.string(v)
    }

    fn serialize_char(self, v: char) -> Result<(), TapeError> {
        self.0.string(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), TapeError> {
        self.0.name(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), TapeError> {
        value.serialize(self)
    }

    refuse!(
        serialize_bool: bool,
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
        serialize_f32: f32,
        serialize_f64: f64,
        serialize_bytes: &[u8]
    );

    fn serialize_none(self) -> Result<(), TapeError> {
        Err(not_a_string_key())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), TapeError> {
        Err(not_a_string_key())
    }

    fn serialize_unit(self) -> Result<(), TapeError> {
        Err(not_a_string_key())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), TapeError> {
        Err(not_a_string_key())
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), TapeError> {
        Err(not_a_string_key())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, TapeError> {
        Err(not_a_string_key())
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, TapeError> {
        Err(not_a_string_key())
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, TapeError> {
        Err(not_a_string_key())
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, TapeError> {
        Err(not_a_string_key())
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, TapeError> {
        Err(not_a_string_key())
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, TapeError> {
        Err(not_a_string_key())
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, TapeError> {
        Err(not_a_string_key())
    }
}

/// What `write` writes, as the decoder receives it: the value's numbers,
/// the text in UTF-16 units, and the names by number.
#[cfg(test)]
pub(crate) fn written(
    write: impl FnOnce(&mut Writer<'_>) -> Result<(), TapeError>,
) -> (Vec<f64>, Vec<u16>, Vec<String>) {
    // Test data: small non-negative integers.
    #![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let mut tape = Tape::default();
    tape.write_with(&Names::default(), write)
        .expect("the value is written");
    let mut names = Vec::new();
    let units = tape.read_names(&mut names);
    let end = tape.values[0] as usize;
    (tape.values[1..end].to_vec(), units, names)
}

#[cfg(test)]
impl Tape {
    /// Reads the names new to the decoder into `names`, by number, as the
    /// decoder does; returns the text in UTF-16 units.
    fn read_names(&self, names: &mut Vec<String>) -> Vec<u16> {
        // Test data: small non-negative integers.
        #![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let units: Vec<u16> = std::str::from_utf8(&self.text)
            .expect("the text is UTF-8")
            .encode_utf16()
            .collect();
        let end = self.values[0] as usize;
        for name in self.values[end + 1..].chunks(3) {
            let id = name[0] as usize;
            names.resize(names.len().max(id + 1), String::new());
            names[id] = String::from_utf16(&units[name[1] as usize..name[2] as usize]).unwrap();
        }
        units
    }
}

#[cfg(test)]
mod tests {
    // The tests read operands they wrote: small non-negative integers.
    #![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]

    use super::*;
    use serde_json::{Map, Value, json};

    /// Reads a tape back as the JavaScript decoder does, learning its new
    /// names into `names`.
    fn read(tape: &Tape, names: &mut Vec<String>) -> Value {
        let units = tape.read_names(names);
        let slice = |start: f64, end: f64| {
            String::from_utf16(&units[start as usize..end as usize]).unwrap()
        };
        let mut at = 1;
        let value = value(&tape.values, &slice, names, &mut at);
        assert_eq!(
            at, tape.values[0] as usize,
            "the value ends where the names start"
        );
        value
    }

    fn value(
        tape: &[f64],
        slice: &dyn Fn(f64, f64) -> String,
        names: &[String],
        at: &mut usize,
    ) -> Value {
        let tag = tape[*at];
        *at += 1;
        let mut operand = || {
            *at += 1;
            tape[*at - 1]
        };
        match tag {
            t if t == NULL => Value::Null,
            t if t == FALSE => Value::Bool(false),
            t if t == TRUE => Value::Bool(true),
            t if t == NUMBER => json!(operand()),
            t if t == STRING => {
                let (start, end) = (operand(), operand());
                Value::String(slice(start, end))
            }
            t if t == NAME => Value::String(names[operand() as usize].clone()),
            t if t == SPAN => json!({"start": operand(), "end": operand()}),
            t if t == ARRAY => {
                let len = operand() as usize;
                Value::Array((0..len).map(|_| value(tape, slice, names, at)).collect())
            }
            t if t == OBJECT => {
                let len = operand() as usize;
                let mut object = Map::new();
                for _ in 0..len {
                    let Value::String(name) = value(tape, slice, names, at) else {
                        panic!("a member name that is not a string");
                    };
                    object.insert(name, value(tape, slice, names, at));
                }
                Value::Object(object)
            }
            other => panic!("unknown tag {other}"),
        }
    }

    #[derive(Serialize)]
    enum Shape {
        Unit,
        Newtype(u8),
        Tuple(i32, bool),
        Struct { side: f64 },
    }

    #[derive(Serialize)]
    struct Sample {
        text: &'static str,
        count: u32,
        negative: i64,
        maybe: Option<char>,
        shapes: Vec<Shape>,
        map: std::collections::BTreeMap<String, Option<u8>>,
        pair: (u16, String),
    }

    fn sample() -> Sample {
        Sample {
            text: "\u{feff}é😀 plain",
            count: 7,
            negative: -(1 << 53) + 1,
            maybe: Some('ß'),
            shapes: vec![
                Shape::Unit,
                Shape::Newtype(3),
                Shape::Tuple(-2, true),
                Shape::Struct { side: 1.5 },
            ],
            map: [("__proto__".to_owned(), None), ("b".to_owned(), Some(1))]
                .into_iter()
                .collect(),
            pair: (9, String::new()),
        }
    }

    fn expected() -> Value {
        json!({
            "text": "\u{feff}é😀 plain",
            "count": 7.0,
            "negative": -9_007_199_254_740_991.0,
            "maybe": "ß",
            "shapes": ["Unit", {"Newtype": 3.0}, {"Tuple": [-2.0, true]}, {"Struct": {"side": 1.5}}],
            "map": {"__proto__": null, "b": 1.0},
            "pair": [9.0, ""],
        })
    }

    #[test]
    fn values_read_back_as_json_compatible_data() {
        let mut known = Names::default();
        let mut tape = Tape::default();
        let mut names = Vec::new();
        tape.write(&known, &sample()).unwrap();
        assert_eq!(read(&tape, &mut names), expected());
        tape.learned(&mut known);
        // The second time every name is known: none is sent again, and the
        // value reads the same through the decoder's table.
        tape.write(&known, &sample()).unwrap();
        let at = tape.values[0] as usize;
        assert_eq!(tape.values[at] as usize, 0, "no new names");
        assert_eq!(read(&tape, &mut names), expected());
        assert!(names.iter().any(|n| n == "Newtype") && names.iter().any(|n| n == "side"));
    }

    #[test]
    fn a_failed_write_teaches_no_names() {
        #[derive(Serialize)]
        struct Big {
            fine: u8,
            big: u64,
        }
        let known = Names::default();
        let mut tape = Tape::default();
        let error = tape
            .write(
                &known,
                &Big {
                    fine: 1,
                    big: 1 << 53,
                },
            )
            .unwrap_err();
        assert!(error.to_string().contains("9007199254740992"), "{error}");
        assert!(known.ids.is_empty());
        // The largest exact integer passes.
        tape.write(
            &known,
            &Big {
                fine: 1,
                big: (1 << 53) - 1,
            },
        )
        .unwrap();
        assert_eq!(
            read(&tape, &mut Vec::new()),
            json!({"fine": 1.0, "big": 9_007_199_254_740_991.0})
        );
    }

    #[test]
    fn spans_are_written_short_and_read_back_the_same() {
        #[derive(Serialize)]
        struct Span {
            start: u32,
            end: u32,
        }
        #[derive(Serialize)]
        struct Reversed {
            end: u32,
            start: u32,
        }
        #[derive(Serialize)]
        struct Words {
            start: &'static str,
            end: &'static str,
        }
        #[derive(Serialize)]
        struct Other {
            start: u32,
            stop: u32,
        }
        #[derive(Serialize)]
        struct Nested {
            start: Span,
            end: Option<u8>,
        }
        #[derive(Serialize)]
        enum Which {
            #[serde(rename = "start")]
            Start,
            #[serde(rename = "end")]
            End,
        }
        #[derive(Serialize)]
        struct All {
            tuple: (Which, u32, Which, u32),
            span: Span,
            reversed: Reversed,
            words: Words,
            other: Other,
            nested: Nested,
            map: std::collections::BTreeMap<&'static str, u32>,
        }
        let all = All {
            tuple: (Which::Start, 11, Which::End, 12),
            span: Span { start: 1, end: 2 },
            reversed: Reversed { end: 3, start: 4 },
            words: Words {
                start: "a",
                end: "b",
            },
            other: Other { start: 5, stop: 6 },
            nested: Nested {
                start: Span { start: 7, end: 8 },
                end: None,
            },
            map: [("start", 9), ("end", 10)].into_iter().collect(),
        };
        let expected = json!({
            "tuple": ["start", 11.0, "end", 12.0],
            "span": {"start": 1.0, "end": 2.0},
            "reversed": {"end": 3.0, "start": 4.0},
            "words": {"start": "a", "end": "b"},
            "other": {"start": 5.0, "stop": 6.0},
            "nested": {"start": {"start": 7.0, "end": 8.0}, "end": null},
            "map": {"end": 10.0, "start": 9.0},
        });
        let mut known = Names::default();
        let mut names = Vec::new();
        let mut tape = Tape::default();
        for _ in 0..2 {
            tape.write(&known, &all).unwrap();
            assert_eq!(read(&tape, &mut names), expected);
            tape.learned(&mut known);
            // The two true spans are the only ones written short.
            let at = tape.values[0] as usize;
            let spans = (tape.values[1..at].windows(3))
                .filter(|w| w == &[SPAN, 1.0, 2.0] || w == &[SPAN, 7.0, 8.0])
                .count();
            assert_eq!(spans, 2, "{:?}", tape.values);
        }
        // A span is three numbers.
        tape.write(&known, &Span { start: 0, end: 9 }).unwrap();
        assert_eq!(tape.values[..4], [4.0, SPAN, 0.0, 9.0]);
    }

    #[test]
    fn map_keys_must_be_strings() {
        let map: std::collections::BTreeMap<u8, u8> = [(1, 2)].into_iter().collect();
        let error = Tape::default().write(&Names::default(), &map).unwrap_err();
        assert_eq!(error.to_string(), "a map key must be a string");
    }
}

//! Minimal JSON support: a borrowing parser, serde-like typed accessors and a compact writer.
//!
//! The plugin may not depend on serde, yet the host expects the reference plugin's behaviour:
//! strict RFC 8259 input, serde_json-style error texts (they end up in `serialization error: ...`
//! messages), and compact output whose object keys are sorted alphabetically (what serde_json's
//! `Value` produces without `preserve_order`). Strings without escapes are borrowed from the
//! request so the hot `echo` path does not copy them.

use std::borrow::Cow;
use std::fmt;

/// serde_json's default nesting limit; deeper input is rejected instead of risking stack overflow.
const MAX_DEPTH: usize = 128;

/// A parsed JSON value borrowing from the input where possible.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Value<'a>>),
    /// Members in input order; duplicates are kept so typed access can reject them like serde.
    Object(Vec<(Cow<'a, str>, Value<'a>)>),
}

/// A JSON number, classified the way serde_json does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    PosInt(u64),
    NegInt(i64),
    Float(f64),
}

/// A parse or data error; `Display` follows serde_json's wording. Boxed (as in serde_json) so
/// that the `Result`s moved around on the success path stay small.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Box<ErrorDetail>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct ErrorDetail {
    message: Cow<'static, str>,
    /// 1-based line and serde_json-style column; only syntax errors carry a position.
    position: Option<(usize, usize)>,
}

impl Error {
    fn new(message: Cow<'static, str>, position: Option<(usize, usize)>) -> Self {
        Error(Box::new(ErrorDetail { message, position }))
    }

    fn data(message: String) -> Self {
        Error::new(Cow::Owned(message), None)
    }

    /// `consumed` is the number of input bytes read when the error was detected (serde_json
    /// reports the column of the last byte read, or the line length at end of input).
    fn syntax(input: &[u8], consumed: usize, message: &'static str) -> Self {
        let consumed = consumed.min(input.len());
        let before = &input[..consumed];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        Error::new(Cow::Borrowed(message), Some((line, consumed - line_start)))
    }

    fn invalid_type(found: &Value<'_>, expected: &str) -> Self {
        Error::data(format!(
            "invalid type: {}, expected {expected}",
            found.unexpected()
        ))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)?;
        if let Some((line, column)) = self.0.position {
            write!(f, " at line {line} column {column}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Parses one complete JSON document (surrounding whitespace allowed, nothing else).
pub fn parse(input: &[u8]) -> Result<Value<'_>, Error> {
    // Validating UTF-8 once up front lets the parser slice `&str`s without further checks.
    let src = std::str::from_utf8(input)
        .map_err(|e| Error::syntax(input, e.valid_up_to() + 1, "invalid unicode code point"))?;
    let mut parser = Parser {
        src,
        bytes: input,
        pos: 0,
        depth: 0,
    };
    let value = parser.value()?;
    parser.skip_whitespace();
    if parser.pos < input.len() {
        return Err(parser.error_here("trailing characters"));
    }
    Ok(value)
}

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Error about the byte at `pos` (counts it as consumed, like serde_json).
    fn error_here(&self, message: &'static str) -> Error {
        Error::syntax(self.bytes, self.pos + 1, message)
    }

    fn error_eof(&self, message: &'static str) -> Error {
        Error::syntax(self.bytes, self.bytes.len(), message)
    }

    fn value(&mut self) -> Result<Value<'a>, Error> {
        self.skip_whitespace();
        match self.peek() {
            None => Err(self.error_eof("EOF while parsing a value")),
            Some(b'n') => self.literal(b"null", Value::Null),
            Some(b't') => self.literal(b"true", Value::Bool(true)),
            Some(b'f') => self.literal(b"false", Value::Bool(false)),
            Some(b'"') => {
                self.pos += 1;
                self.string().map(Value::String)
            }
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            Some(b'[') => self.array(),
            Some(b'{') => self.object(),
            Some(_) => Err(self.error_here("expected value")),
        }
    }

    fn literal(&mut self, word: &[u8], value: Value<'a>) -> Result<Value<'a>, Error> {
        for &expected in word {
            match self.peek() {
                None => return Err(self.error_eof("EOF while parsing a value")),
                Some(b) if b == expected => self.pos += 1,
                Some(_) => return Err(self.error_here("expected ident")),
            }
        }
        Ok(value)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// At least one digit is mandatory after `-`, `.` and the exponent marker.
    fn require_digits(&mut self) -> Result<(), Error> {
        match self.peek() {
            None => Err(self.error_eof("EOF while parsing a value")),
            Some(b'0'..=b'9') => {
                self.digits();
                Ok(())
            }
            Some(_) => Err(self.error_here("invalid number")),
        }
    }

    fn number(&mut self) -> Result<Number, Error> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        if self.peek() == Some(b'0') {
            self.pos += 1;
            if matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error_here("invalid number")); // no leading zeros
            }
        } else {
            self.require_digits()?;
        }
        let mut is_float = false;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.require_digits()?;
            is_float = true;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            self.require_digits()?;
            is_float = true;
        }
        let text = &self.src[start..self.pos];
        if !is_float {
            // Integers that overflow 64 bits fall back to f64, as serde_json does; `-0` is a float.
            let integer = if negative {
                text.parse::<i64>()
                    .ok()
                    .filter(|&n| n != 0)
                    .map(Number::NegInt)
            } else {
                text.parse::<u64>().ok().map(Number::PosInt)
            };
            if let Some(n) = integer {
                return Ok(n);
            }
        }
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Number::Float(f)),
            _ => Err(Error::syntax(self.bytes, self.pos, "number out of range")),
        }
    }

    /// Called just after the opening quote.
    fn string(&mut self) -> Result<Cow<'a, str>, Error> {
        let start = self.pos;
        self.pos += plain_run_len(&self.bytes[self.pos..]);
        // The run stops at a special byte or the end. Special bytes are ASCII, so every slice
        // boundary below is a char boundary.
        match self.peek() {
            None => Err(self.error_eof("EOF while parsing a string")),
            Some(b'"') => {
                let s = &self.src[start..self.pos];
                self.pos += 1;
                Ok(Cow::Borrowed(s))
            }
            Some(b'\\') => {
                let mut owned = String::with_capacity(self.pos - start + 16);
                owned.push_str(&self.src[start..self.pos]);
                self.string_with_escapes(owned).map(Cow::Owned)
            }
            Some(_) => Err(self.control_character()),
        }
    }

    fn control_character(&self) -> Error {
        self.error_here("control character (\\u0000-\\u001F) found while parsing a string")
    }

    fn string_with_escapes(&mut self, mut out: String) -> Result<String, Error> {
        loop {
            match self.peek() {
                None => return Err(self.error_eof("EOF while parsing a string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let Some(escape) = self.peek() else {
                        return Err(self.error_eof("EOF while parsing a string"));
                    };
                    self.pos += 1;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return Err(Error::syntax(self.bytes, self.pos, "invalid escape")),
                    }
                }
                Some(0x00..=0x1f) => return Err(self.control_character()),
                Some(_) => {
                    let run_start = self.pos;
                    self.pos += plain_run_len(&self.bytes[self.pos..]);
                    out.push_str(&self.src[run_start..self.pos]);
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let mut value = 0;
        for _ in 0..4 {
            let Some(b) = self.peek() else {
                return Err(self.error_eof("EOF while parsing a string"));
            };
            let digit = (b as char)
                .to_digit(16)
                .ok_or_else(|| self.error_here("invalid escape"))?;
            value = value * 16 + digit;
            self.pos += 1;
        }
        Ok(value)
    }

    /// Called after `\u`; combines UTF-16 surrogate pairs.
    fn unicode_escape(&mut self) -> Result<char, Error> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                    return Err(self.error_here("lone leading surrogate in hex escape"));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(Error::syntax(
                        self.bytes,
                        self.pos,
                        "lone leading surrogate in hex escape",
                    ));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => {
                return Err(Error::syntax(
                    self.bytes,
                    self.pos,
                    "lone trailing surrogate in hex escape",
                ));
            }
            other => other,
        };
        char::from_u32(code)
            .ok_or_else(|| Error::syntax(self.bytes, self.pos, "invalid unicode code point"))
    }

    fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_here("recursion limit exceeded"));
        }
        self.pos += 1; // the opening bracket
        Ok(())
    }

    fn array(&mut self) -> Result<Value<'a>, Error> {
        self.enter()?;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                items.push(self.value()?);
                self.skip_whitespace();
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        self.skip_whitespace();
                        if self.peek() == Some(b']') {
                            return Err(self.error_here("trailing comma"));
                        }
                    }
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    Some(_) => return Err(self.error_here("expected `,` or `]`")),
                    None => return Err(self.error_eof("EOF while parsing a list")),
                }
            }
        }
        self.depth -= 1;
        Ok(Value::Array(items))
    }

    fn object(&mut self) -> Result<Value<'a>, Error> {
        self.enter()?;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                match self.peek() {
                    Some(b'"') => self.pos += 1,
                    Some(_) => return Err(self.error_here("key must be a string")),
                    None => return Err(self.error_eof("EOF while parsing an object")),
                }
                let key = self.string()?;
                self.skip_whitespace();
                match self.peek() {
                    Some(b':') => self.pos += 1,
                    Some(_) => return Err(self.error_here("expected `:`")),
                    None => return Err(self.error_eof("EOF while parsing an object")),
                }
                let value = self.value()?;
                members.push((key, value));
                self.skip_whitespace();
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        self.skip_whitespace();
                        if self.peek() == Some(b'}') {
                            return Err(self.error_here("trailing comma"));
                        }
                    }
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    Some(_) => return Err(self.error_here("expected `,` or `}`")),
                    None => return Err(self.error_eof("EOF while parsing an object")),
                }
            }
        }
        self.depth -= 1;
        Ok(Value::Object(members))
    }
}

/// Bytes that end a run of literal string content: the quote, the backslash and control bytes.
/// The same set must be escaped on output. Non-short-circuit `|` keeps it branch-free so that
/// `plain_run_len` vectorises.
fn is_special(b: u8) -> bool {
    (b == b'"') | (b == b'\\') | (b < 0x20)
}

/// Length of the leading run of `bytes` free of special bytes. Strings are the bulk of typical
/// requests and responses, so whole 16-byte chunks are tested with a branch-free fold the
/// compiler can vectorise, rather than branching on every byte.
fn plain_run_len(bytes: &[u8]) -> usize {
    const CHUNK: usize = 16;
    let mut len = 0;
    for chunk in bytes.chunks_exact(CHUNK) {
        if chunk.iter().fold(false, |any, &b| any | is_special(b)) {
            break;
        }
        len += CHUNK;
    }
    len + bytes[len..]
        .iter()
        .position(|&b| is_special(b))
        .unwrap_or(bytes.len() - len)
}

// ---------------------------------------------------------------------------------------------
// Typed access, modelled on what `#[derive(Deserialize)]` structs report.

impl<'a> Value<'a> {
    /// serde's `Unexpected` rendering, used in "invalid type" messages.
    fn unexpected(&self) -> String {
        match self {
            Value::Null => "null".to_owned(),
            Value::Bool(b) => format!("boolean `{b}`"),
            Value::Number(Number::PosInt(n)) => format!("integer `{n}`"),
            Value::Number(Number::NegInt(n)) => format!("integer `{n}`"),
            Value::Number(Number::Float(f)) => format!("floating point `{f:?}`"),
            Value::String(s) => format!("string {s:?}"),
            Value::Array(_) => "sequence".to_owned(),
            Value::Object(_) => "map".to_owned(),
        }
    }

    /// Views the value as the fields of the request struct named `struct_name`.
    pub fn as_struct(&self, struct_name: &str) -> Result<Fields<'_, 'a>, Error> {
        match self {
            Value::Object(members) => Ok(Fields { members }),
            other => Err(Error::invalid_type(other, &format!("struct {struct_name}"))),
        }
    }

    pub fn as_str(&self) -> Result<&str, Error> {
        match self {
            Value::String(s) => Ok(s),
            other => Err(Error::invalid_type(other, "a string")),
        }
    }

    pub fn as_bool(&self) -> Result<bool, Error> {
        match self {
            Value::Bool(b) => Ok(*b),
            other => Err(Error::invalid_type(other, "a boolean")),
        }
    }

    pub fn as_u64(&self) -> Result<u64, Error> {
        self.as_unsigned("u64", u64::MAX)
    }

    pub fn as_usize(&self) -> Result<usize, Error> {
        // Lossless on every supported (64-bit) target; the bound keeps 32-bit builds honest too.
        self.as_unsigned("usize", usize::MAX as u64)
            .map(|n| n as usize)
    }

    fn as_unsigned(&self, type_name: &str, max: u64) -> Result<u64, Error> {
        match self {
            Value::Number(Number::PosInt(n)) if *n <= max => Ok(*n),
            Value::Number(Number::PosInt(_) | Number::NegInt(_)) => Err(Error::data(format!(
                "invalid value: {}, expected {type_name}",
                self.unexpected()
            ))),
            other => Err(Error::invalid_type(other, type_name)),
        }
    }
}

/// The members of a JSON object being read as a struct. Unknown members are ignored.
#[derive(Debug, Clone, Copy)]
pub struct Fields<'v, 'a> {
    members: &'v [(Cow<'a, str>, Value<'a>)],
}

impl<'v, 'a> Fields<'v, 'a> {
    /// The member `name`, if present; a repeated member is an error, as with serde structs.
    pub fn optional(&self, name: &str) -> Result<Option<&'v Value<'a>>, Error> {
        let mut found = None;
        for (key, value) in self.members {
            if key == name {
                if found.is_some() {
                    return Err(Error::data(format!("duplicate field `{name}`")));
                }
                found = Some(value);
            }
        }
        Ok(found)
    }

    pub fn required(&self, name: &str) -> Result<&'v Value<'a>, Error> {
        self.optional(name)?
            .ok_or_else(|| Error::data(format!("missing field `{name}`")))
    }
}

// ---------------------------------------------------------------------------------------------
// Output. Everything is appended to a caller-owned buffer so a whole response envelope is built
// in a single allocation.

/// Appends the decimal form of `n` without going through `core::fmt`.
pub fn write_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[start..]);
}

pub fn write_i64(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    write_u64(out, n.unsigned_abs());
}

/// Appends `s` as a JSON string, escaping like serde_json (quote, backslash, control characters;
/// `/` and non-ASCII are left alone).
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut rest = s.as_bytes();
    out.reserve(rest.len() + 2);
    out.push(b'"');
    loop {
        let plain = plain_run_len(rest);
        out.extend_from_slice(&rest[..plain]);
        let Some(&b) = rest.get(plain) else {
            break;
        };
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ]),
        }
        rest = &rest[plain + 1..];
    }
    out.push(b'"');
}

/// Writes one JSON object. Keys must be given in ascending order: that is the observable key
/// order of the reference plugin (serde_json `Value` maps are sorted), checked in debug builds.
#[must_use = "call finish() to close the object"]
pub struct ObjectWriter<'o> {
    out: &'o mut Vec<u8>,
    empty: bool,
    last_key: &'static str,
}

impl<'o> ObjectWriter<'o> {
    pub fn new(out: &'o mut Vec<u8>) -> Self {
        out.push(b'{');
        ObjectWriter {
            out,
            empty: true,
            last_key: "",
        }
    }

    fn key(&mut self, key: &'static str) -> &mut Vec<u8> {
        debug_assert!(
            self.empty || self.last_key < key,
            "keys out of order: {} then {key}",
            self.last_key
        );
        debug_assert!(
            !key.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20),
            "key needs escaping"
        );
        if !self.empty {
            self.out.push(b',');
        }
        self.empty = false;
        self.last_key = key;
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\":");
        self.out
    }

    pub fn u64(&mut self, key: &'static str, value: u64) -> &mut Self {
        write_u64(self.key(key), value);
        self
    }

    pub fn i64(&mut self, key: &'static str, value: i64) -> &mut Self {
        write_i64(self.key(key), value);
        self
    }

    pub fn str(&mut self, key: &'static str, value: &str) -> &mut Self {
        write_str(self.key(key), value);
        self
    }

    /// For values too large to stage in a `&str` first; `write` must emit exactly one JSON value.
    pub fn raw(&mut self, key: &'static str, write: impl FnOnce(&mut Vec<u8>)) -> &mut Self {
        write(self.key(key));
        self
    }

    pub fn finish(self) {
        self.out.push(b'}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(input: &str) -> String {
        parse(input.as_bytes()).unwrap_err().to_string()
    }

    #[test]
    fn parses_scalars_and_containers() {
        let v =
            parse(br#" {"a": [1, -2, 3.5, true, null], "b": "x\ty\u00e9\ud83d\ude00"} "#).unwrap();
        let fields = v.as_struct("T").unwrap();
        assert_eq!(
            fields.required("a").unwrap(),
            &Value::Array(vec![
                Value::Number(Number::PosInt(1)),
                Value::Number(Number::NegInt(-2)),
                Value::Number(Number::Float(3.5)),
                Value::Bool(true),
                Value::Null,
            ])
        );
        assert_eq!(
            fields.required("b").unwrap().as_str().unwrap(),
            "x\ty\u{e9}\u{1f600}"
        );
    }

    #[test]
    fn borrows_unescaped_strings() {
        let v = parse(br#""plain""#).unwrap();
        assert!(matches!(v, Value::String(Cow::Borrowed("plain"))));
    }

    #[test]
    fn large_integers_become_floats() {
        assert_eq!(
            parse(b"18446744073709551616").unwrap(),
            Value::Number(Number::Float(18446744073709551616.0))
        );
        assert_eq!(parse(b"-0").unwrap(), Value::Number(Number::Float(-0.0)));
    }

    #[test]
    fn reports_serde_like_syntax_errors() {
        assert_eq!(err(""), "EOF while parsing a value at line 1 column 0");
        assert_eq!(err(r#"{"a":}"#), "expected value at line 1 column 6");
        assert_eq!(err("{\n\"a\": 1,}"), "trailing comma at line 2 column 8");
        assert_eq!(err("[1] x"), "trailing characters at line 1 column 5");
        assert_eq!(err("01"), "invalid number at line 1 column 2");
        assert_eq!(err(r#"{"a" 1}"#), "expected `:` at line 1 column 6");
        assert_eq!(
            err("\"a\u{1}\""),
            "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 3"
        );
        assert_eq!(
            err(r#""\ud800""#),
            "lone leading surrogate in hex escape at line 1 column 8"
        );
        assert!(parse(&[b'"', 0xff, b'"'])
            .unwrap_err()
            .to_string()
            .starts_with("invalid unicode code point"));
        assert_eq!(
            err(&"[".repeat(200)),
            "recursion limit exceeded at line 1 column 129"
        );
    }

    #[test]
    fn reports_serde_like_data_errors() {
        let v = parse(br#"{"n": -1, "s": 5, "d": 1, "d": 2}"#).unwrap();
        let f = v.as_struct("T").unwrap();
        assert_eq!(
            f.required("n").unwrap().as_u64().unwrap_err().to_string(),
            "invalid value: integer `-1`, expected u64"
        );
        assert_eq!(
            f.required("s").unwrap().as_str().unwrap_err().to_string(),
            "invalid type: integer `5`, expected a string"
        );
        assert_eq!(
            f.required("m").unwrap_err().to_string(),
            "missing field `m`"
        );
        assert_eq!(
            f.optional("d").unwrap_err().to_string(),
            "duplicate field `d`"
        );
        assert_eq!(
            parse(br#""x""#)
                .unwrap()
                .as_struct("EchoRequest")
                .unwrap_err()
                .to_string(),
            "invalid type: string \"x\", expected struct EchoRequest"
        );
    }

    #[test]
    fn writes_compact_escaped_output() {
        let mut out = Vec::new();
        let mut obj = ObjectWriter::new(&mut out);
        obj.i64("a", -7)
            .str("b", "q\"\\\n\u{1}/é")
            .u64("c", u64::MAX);
        obj.finish();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"a":-7,"b":"q\"\\\n\u0001/é","c":18446744073709551615}"#
        );
    }
}

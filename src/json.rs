//! A small JSON reader and writer, just enough for Cognito's messages, tokens, stored sessions
//! and message catalogues.
//!
//! Why not serde_json: the widget's transfer size. serde's derive code per message type plus
//! serde_json's parser and float formatting cost about a tenth of the wasm; this module is a
//! few hundred bytes after compression. The wire types stay those of `protocol/` (names,
//! challenge and error enums, password policy); only the encoding is done here. Numbers are
//! kept as their text and read as integers on demand, so no float parsing code is linked.

use std::fmt::Write as _;

/// A parsed JSON value. Objects keep their members in order (duplicates: first wins on lookup).
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A number, as written.
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// Parses a complete JSON text; `None` when it is not valid JSON.
    pub fn parse(text: &str) -> Option<Json> {
        let mut parser = Parser {
            bytes: text.as_bytes(),
            at: 0,
        };
        let value = parser.value(0)?;
        parser.skip_space();
        (parser.at == parser.bytes.len()).then_some(value)
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string value, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The string member `key` of an object.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key)?.as_str()
    }

    /// The integer value, if this is an integral number.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Json::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// The string members of an object, as `(key, value)` pairs (other members skipped).
    pub fn string_members(&self) -> Vec<(String, String)> {
        match self {
            Json::Object(members) => members
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Nesting deeper than this is refused (no message of ours nests more than three levels).
const MAX_DEPTH: u32 = 32;

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while matches!(self.bytes.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        let found = self.bytes.get(self.at) == Some(&byte);
        if found {
            self.at += 1;
        }
        found
    }

    fn literal(&mut self, word: &str, value: Json) -> Option<Json> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word.as_bytes()).then(|| {
            self.at = end;
            value
        })
    }

    fn value(&mut self, depth: u32) -> Option<Json> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_space();
        match *self.bytes.get(self.at)? {
            b'{' => {
                self.at += 1;
                let mut members = Vec::new();
                if !self.eat(b'}') {
                    loop {
                        self.skip_space();
                        let key = self.string()?;
                        if !self.eat(b':') {
                            return None;
                        }
                        members.push((key, self.value(depth + 1)?));
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Some(Json::Object(members))
            }
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value(depth + 1)?);
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Some(Json::Array(items))
            }
            b'"' => self.string().map(Json::String),
            b't' => self.literal("true", Json::Bool(true)),
            b'f' => self.literal("false", Json::Bool(false)),
            b'n' => self.literal("null", Json::Null),
            b'-' | b'0'..=b'9' => {
                let start = self.at;
                while matches!(
                    self.bytes.get(self.at),
                    Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                ) {
                    self.at += 1;
                }
                let number = std::str::from_utf8(&self.bytes[start..self.at]).ok()?;
                let digits = number.trim_start_matches('-');
                let valid =
                    digits.starts_with(|c: char| c.is_ascii_digit()) && !number.ends_with(['-', '+', '.', 'e', 'E']);
                valid.then(|| Json::Number(number.to_owned()))
            }
            _ => None,
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = std::str::from_utf8(self.bytes.get(self.at..self.at + 4)?).ok()?;
        self.at += 4;
        u32::from_str_radix(digits, 16).ok()
    }

    fn string(&mut self) -> Option<String> {
        if self.bytes.get(self.at) != Some(&b'"') {
            return None;
        }
        self.at += 1;
        let mut out = Vec::new();
        loop {
            let byte = *self.bytes.get(self.at)?;
            self.at += 1;
            match byte {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let escape = *self.bytes.get(self.at)?;
                    self.at += 1;
                    let c = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let first = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&first) {
                                if self.bytes.get(self.at..self.at + 2)? != b"\\u" {
                                    return None;
                                }
                                self.at += 2;
                                let second = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&second) {
                                    return None;
                                }
                                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                            } else {
                                first
                            };
                            char::from_u32(code)?
                        }
                        _ => return None,
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1f => return None,
                _ => out.push(byte),
            }
        }
    }
}

/// Appends `text` as a JSON string literal.
pub fn quote(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Builds a JSON object member by member.
#[derive(Default)]
pub struct ObjectWriter {
    out: String,
}

impl ObjectWriter {
    pub fn new() -> Self {
        Self::default()
    }

    fn key(&mut self, key: &str) {
        self.out.push(if self.out.is_empty() { '{' } else { ',' });
        quote(&mut self.out, key);
        self.out.push(':');
    }

    /// A string member.
    pub fn string(mut self, key: &str, value: &str) -> Self {
        self.key(key);
        quote(&mut self.out, value);
        self
    }

    /// A string member, when there is a value.
    pub fn opt_string(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(value) => self.string(key, value),
            None => self,
        }
    }

    /// A member whose value is already JSON (a number, a nested object or array).
    pub fn raw(mut self, key: &str, json: &str) -> Self {
        self.key(key);
        self.out.push_str(json);
        self
    }

    /// The finished object.
    pub fn finish(mut self) -> String {
        if self.out.is_empty() {
            self.out.push('{');
        }
        self.out.push('}');
        self.out
    }
}

/// An object of string members.
pub fn string_object<'a>(members: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    members
        .into_iter()
        .fold(ObjectWriter::new(), |object, (k, v)| object.string(k, v))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_serde_json_writes() {
        let value = serde_json::json!({
            "a": "x\"y\\z\n\u{e9}\u{1F600}",
            "n": 3600, "neg": -1.5e3, "t": true, "f": false, "z": null,
            "list": ["p", {"q": []}], "empty": {}
        });
        let parsed = Json::parse(&value.to_string()).unwrap();
        assert_eq!(parsed.str("a"), Some("x\"y\\z\n\u{e9}\u{1F600}"));
        assert_eq!(parsed.get("n").and_then(Json::as_i64), Some(3600));
        assert_eq!(parsed.get("neg"), Some(&Json::Number("-1500.0".into())));
        assert_eq!(parsed.get("t"), Some(&Json::Bool(true)));
        assert_eq!(parsed.get("z"), Some(&Json::Null));
        assert_eq!(parsed.get("empty"), Some(&Json::Object(vec![])));
        assert!(matches!(parsed.get("list"), Some(Json::Array(items)) if items.len() == 2));
    }

    #[test]
    fn reads_unicode_escapes_and_surrogate_pairs() {
        let parsed = Json::parse(r#"{"s":"\u00e9\ud83d\ude00\/"}"#).unwrap();
        assert_eq!(parsed.str("s"), Some("\u{e9}\u{1F600}/"));
        assert_eq!(Json::parse(r#""\ud83d""#), None);
    }

    #[test]
    fn refuses_what_is_not_json() {
        for text in [
            "",
            "{",
            "{\"a\"}",
            "{\"a\":1,}",
            "[1,]",
            "tru",
            "\"open",
            "01x",
            "-",
            "1.",
            "{} x",
            "\"a\u{1}\"",
            "<html>",
        ] {
            assert_eq!(Json::parse(text), None, "{text:?}");
        }
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert_eq!(Json::parse(&deep), None);
    }

    #[test]
    fn writes_what_serde_json_reads() {
        let text = ObjectWriter::new()
            .string("Name", "a\"b\\c\n\u{1}é")
            .opt_string("Skipped", None)
            .raw("Nested", &string_object([("K", "V")]))
            .raw("N", "42")
            .finish();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            value,
            serde_json::json!({ "Name": "a\"b\\c\n\u{1}é", "Nested": { "K": "V" }, "N": 42 })
        );
        assert_eq!(ObjectWriter::new().finish(), "{}");
    }

    #[test]
    fn string_members_skip_other_values() {
        let parsed = Json::parse(r#"{"a":"1","b":2,"c":"3"}"#).unwrap();
        assert_eq!(
            parsed.string_members(),
            vec![("a".to_owned(), "1".to_owned()), ("c".to_owned(), "3".to_owned())]
        );
    }
}

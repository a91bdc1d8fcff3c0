//! The tokens of a `$filter` expression: names, literals (`'…'` with
//! `''`, `guid'…'`, `datetime'…'`, `datetimeoffset'…'`, integers, `true`,
//! `false`, `null`), parentheses and commas, each with its position.

use crate::s4::value::{Value, parse_iso};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token {
    Word(String),
    Lit(Value),
    Open,
    Close,
    Comma,
}

pub(super) struct Lexer<'a> {
    text: &'a str,
    pos: usize,
}

pub(super) fn invalid(pos: usize, what: &str) -> String {
    format!("Invalid token detected at position {}: {what}", pos + 1)
}

impl<'a> Lexer<'a> {
    pub(super) fn tokens(text: &'a str) -> Result<Vec<(usize, Token)>, String> {
        let mut lexer = Lexer { text, pos: 0 };
        let mut out = Vec::new();
        while let Some(t) = lexer.next()? {
            out.push(t);
        }
        Ok(out)
    }

    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn quoted(&mut self) -> Result<String, String> {
        // self.pos is at the opening quote.
        let start = self.pos;
        let mut out = String::new();
        let mut chars = self.rest().char_indices().skip(1).peekable();
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if chars.peek().map(|(_, c)| *c) == Some('\'') {
                    out.push('\'');
                    chars.next();
                    continue;
                }
                self.pos += i + 1;
                return Ok(out);
            }
            out.push(c);
        }
        Err(invalid(start, "string literal without closing quote"))
    }

    fn next(&mut self) -> Result<Option<(usize, Token)>, String> {
        let skipped = self.rest().len() - self.rest().trim_start().len();
        self.pos += skipped;
        let start = self.pos;
        let Some(c) = self.rest().chars().next() else {
            return Ok(None);
        };
        let token = match c {
            '(' => {
                self.pos += 1;
                Token::Open
            }
            ')' => {
                self.pos += 1;
                Token::Close
            }
            ',' => {
                self.pos += 1;
                Token::Comma
            }
            '\'' => Token::Lit(Value::Text(self.quoted()?)),
            c if c.is_ascii_digit() || c == '-' => {
                let len = self
                    .rest()
                    .char_indices()
                    .skip(1)
                    .find(|(_, c)| !c.is_ascii_alphanumeric() && *c != '.')
                    .map(|(i, _)| i)
                    .unwrap_or(self.rest().len());
                let text = &self.rest()[..len];
                self.pos += len;
                let digits = text.strip_suffix(['L', 'l']).unwrap_or(text);
                let n: i64 = digits
                    .parse()
                    .map_err(|_| invalid(start, &format!("unsupported number {text}")))?;
                Token::Lit(Value::Int(n))
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let len = self
                    .rest()
                    .char_indices()
                    .find(|(_, c)| !c.is_ascii_alphanumeric() && *c != '_')
                    .map(|(i, _)| i)
                    .unwrap_or(self.rest().len());
                let word = self.rest()[..len].to_owned();
                self.pos += len;
                if self.rest().starts_with('\'') {
                    let body = self.quoted()?;
                    Token::Lit(typed_literal(&word, &body).ok_or_else(|| {
                        invalid(
                            start,
                            &format!("invalid or unsupported literal {word}'{body}'"),
                        )
                    })?)
                } else {
                    match word.as_str() {
                        "true" => Token::Lit(Value::Bool(true)),
                        "false" => Token::Lit(Value::Bool(false)),
                        "null" => Token::Lit(Value::Null),
                        _ => Token::Word(word),
                    }
                }
            }
            other => return Err(invalid(start, &format!("unexpected character '{other}'"))),
        };
        Ok(Some((start, token)))
    }
}

fn typed_literal(prefix: &str, body: &str) -> Option<Value> {
    match prefix {
        "guid" => uuid::Uuid::try_parse(body).ok().map(Value::Guid),
        "datetime" => parse_iso(body).map(Value::DateTime),
        "datetimeoffset" => chrono::DateTime::parse_from_rfc3339(body)
            .ok()
            .map(|t| Value::DateTimeOffset(t.with_timezone(&chrono::Utc))),
        _ => None,
    }
}

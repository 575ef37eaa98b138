//! Tokens of the STIX patterning language.

use super::{op_text, Op, PResult};
use crate::stix::error::PatternProblem;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Open(char),
    Close(char),
    Comma,
    Colon,
    Dot,
    Star,
    Op(Op),
    Word(String),
    Str(String),
    Num(String),
    Typed(String),
    End,
}

impl Tok {
    pub(super) fn text(&self) -> String {
        match self {
            Tok::Open(c) | Tok::Close(c) => c.to_string(),
            Tok::Comma => ",".into(),
            Tok::Colon => ":".into(),
            Tok::Dot => ".".into(),
            Tok::Star => "*".into(),
            Tok::Op(op) => op_text(*op).into(),
            Tok::Word(w) | Tok::Num(w) | Tok::Typed(w) => w.clone(),
            Tok::Str(s) => format!("'{s}'"),
            Tok::End => String::new(),
        }
    }
}

/// Splits a pattern into tokens, each with its 1-based character position.
pub(super) fn lex(src: &str) -> PResult<Vec<(usize, Tok)>> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let pos = i + 1;
        let next = chars.get(i + 1).copied();
        match c {
            _ if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '[' | '(' => out.push((pos, Tok::Open(c))),
            ']' | ')' => out.push((pos, Tok::Close(c))),
            ',' => out.push((pos, Tok::Comma)),
            ':' => out.push((pos, Tok::Colon)),
            '.' => out.push((pos, Tok::Dot)),
            '*' => out.push((pos, Tok::Star)),
            '=' => out.push((pos, Tok::Op(Op::Eq))),
            '!' | '<' | '>' => {
                let op = match (c, next) {
                    ('!', Some('=')) => Op::Ne,
                    ('<', Some('=')) => Op::Le,
                    ('>', Some('=')) => Op::Ge,
                    ('<', _) => Op::Lt,
                    ('>', _) => Op::Gt,
                    _ => return Err((pos, PatternProblem::UnexpectedChar(c))),
                };
                if next == Some('=') {
                    i += 1;
                }
                out.push((pos, Tok::Op(op)));
            }
            '\'' => {
                let (s, end) = string(&chars, i)?;
                out.push((pos, Tok::Str(s)));
                i = end;
                continue;
            }
            _ if c.is_ascii_digit() || ((c == '-' || c == '+') && next.is_some_and(|n| n.is_ascii_digit())) => {
                let start = i;
                i += 1;
                while chars.get(i).is_some_and(|d| d.is_ascii_digit() || *d == '.') {
                    i += 1;
                }
                let text: String = chars.get(start..i).unwrap_or_default().iter().collect();
                out.push((pos, Tok::Num(text)));
                continue;
            }
            _ if c.is_ascii_alphabetic() || c == '_' => {
                let start = i;
                while chars.get(i).is_some_and(|d| d.is_ascii_alphanumeric() || *d == '_' || *d == '-') {
                    i += 1;
                }
                let word: String = chars.get(start..i).unwrap_or_default().iter().collect();
                if matches!(word.as_str(), "t" | "h" | "b") && chars.get(i) == Some(&'\'') {
                    let (s, end) = string(&chars, i)?;
                    out.push((pos, Tok::Typed(format!("{word}'{s}'"))));
                    i = end;
                } else {
                    out.push((pos, Tok::Word(word)));
                }
                continue;
            }
            _ => return Err((pos, PatternProblem::UnexpectedChar(c))),
        }
        i += 1;
    }
    // Problems at the end are shown on the last character.
    out.push((chars.len().max(1), Tok::End));
    Ok(out)
}

/// Reads the string opened by the quote at `open`; returns its text and the
/// index after the closing quote.
fn string(chars: &[char], open: usize) -> PResult<(String, usize)> {
    let mut s = String::new();
    let mut i = open + 1;
    loop {
        match chars.get(i) {
            None => return Err((open + 1, PatternProblem::UnclosedQuote)),
            Some('\'') => return Ok((s, i + 1)),
            Some('\\') => match chars.get(i + 1) {
                Some(&e @ ('\'' | '\\')) => {
                    s.push(e);
                    i += 2;
                }
                Some(&e) => return Err((i + 1, PatternProblem::BadEscape(e))),
                None => return Err((open + 1, PatternProblem::UnclosedQuote)),
            },
            Some(&c) => {
                s.push(c);
                i += 1;
            }
        }
    }
}

//! A reader for the STIX 2.1 patterning language (section 9): checks the
//! whole grammar and returns every comparison, so that the simple ones can
//! become watch-list items. Never panics; nesting is bounded.

mod lex;

use self::lex::{lex, Tok};
use super::error::PatternProblem;

/// Deepest nesting of `[` / `(` accepted.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Literal {
    Str(String),
    /// Numbers, booleans, `t'…'`, `h'…'`, `b'…'`: kept as written.
    Other(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    In,
    Like,
    Matches,
    IsSubset,
    IsSuperset,
}

/// `object_type:path op value`, e.g. `file:hashes.'SHA-256' = '…'`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Comparison {
    pub object_type: String,
    /// Property names, list indexes written `[0]` or `[*]`.
    pub path: Vec<String>,
    pub negated: bool,
    pub op: Op,
    /// One value, or the members of an `IN (…)` set.
    pub values: Vec<Literal>,
}

const OPERATORS: &str = "= / != / < / > / <= / >= / IN / LIKE / MATCHES / ISSUBSET / ISSUPERSET";

fn op_text(op: Op) -> &'static str {
    match op {
        Op::Eq => "=",
        Op::Ne => "!=",
        Op::Lt => "<",
        Op::Gt => ">",
        Op::Le => "<=",
        Op::Ge => ">=",
        Op::In => "IN",
        Op::Like => "LIKE",
        Op::Matches => "MATCHES",
        Op::IsSubset => "ISSUBSET",
        Op::IsSuperset => "ISSUPERSET",
    }
}

impl Comparison {
    /// The comparison without its value, for messages: `file:name =`.
    pub(crate) fn describe(&self) -> String {
        let not = if self.negated { "NOT " } else { "" };
        format!("{}:{} {not}{}", self.object_type, self.path.join("."), op_text(self.op))
    }
}

type PResult<T> = Result<T, (usize, PatternProblem)>;

struct Parser {
    toks: Vec<(usize, Tok)>,
    at: usize,
    depth: usize,
    out: Vec<Comparison>,
}

/// Reads a whole pattern; on error gives the 1-based character position.
pub(crate) fn parse(src: &str) -> Result<Vec<Comparison>, (usize, PatternProblem)> {
    if src.trim().is_empty() {
        return Err((1, PatternProblem::Empty));
    }
    let mut p = Parser { toks: lex(src)?, at: 0, depth: 0, out: Vec::new() };
    p.observation_or()?;
    p.expect_end()?;
    Ok(p.out)
}

impl Parser {
    fn peek(&self) -> &Tok {
        self.toks.get(self.at).map_or(&Tok::End, |(_, t)| t)
    }

    fn pos(&self) -> usize {
        self.toks.get(self.at).map_or(1, |(p, _)| *p)
    }

    fn bump(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.at < self.toks.len() {
            self.at += 1;
        }
        t
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Word(x) if x == w)
    }

    fn fail<T>(&self, expected: &'static str) -> PResult<T> {
        Err((self.pos(), PatternProblem::Expected { expected, found: self.peek().text() }))
    }

    fn expect_end(&self) -> PResult<()> {
        match self.peek() {
            Tok::End => Ok(()),
            _ => self.fail("AND / OR / FOLLOWEDBY"),
        }
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err((self.pos(), PatternProblem::TooDeep { max: MAX_DEPTH }));
        }
        Ok(())
    }

    /// Consumes the closing bracket of the one opened at `open_at`.
    fn close(&mut self, open: char, open_at: usize) -> PResult<()> {
        let want = if open == '[' { ']' } else { ')' };
        match self.peek() {
            Tok::Close(c) if *c == want => {
                self.bump();
                self.depth = self.depth.saturating_sub(1);
                Ok(())
            }
            Tok::End => Err((self.pos(), PatternProblem::Unclosed { open, open_at })),
            _ if want == ']' => self.fail("AND / OR / ]"),
            _ => self.fail("AND / OR / )"),
        }
    }

    fn observation_or(&mut self) -> PResult<()> {
        self.observation_and()?;
        while self.is_word("OR") {
            self.bump();
            self.observation_and()?;
        }
        Ok(())
    }

    fn observation_and(&mut self) -> PResult<()> {
        self.observation_seq()?;
        while self.is_word("AND") {
            self.bump();
            self.observation_seq()?;
        }
        Ok(())
    }

    fn observation_seq(&mut self) -> PResult<()> {
        self.observation_qualified()?;
        while self.is_word("FOLLOWEDBY") {
            self.bump();
            self.observation_qualified()?;
        }
        Ok(())
    }

    fn observation_qualified(&mut self) -> PResult<()> {
        self.observation_atom()?;
        loop {
            if self.is_word("WITHIN") {
                self.bump();
                self.number("<number>")?;
                self.word("SECONDS")?;
            } else if self.is_word("REPEATS") {
                self.bump();
                self.number("<number>")?;
                self.word("TIMES")?;
            } else if self.is_word("START") {
                self.bump();
                self.timestamp()?;
                self.word("STOP")?;
                self.timestamp()?;
            } else {
                return Ok(());
            }
        }
    }

    fn number(&mut self, what: &'static str) -> PResult<()> {
        match self.peek() {
            Tok::Num(_) => {
                self.bump();
                Ok(())
            }
            _ => self.fail(what),
        }
    }

    fn timestamp(&mut self) -> PResult<()> {
        match self.peek() {
            Tok::Typed(t) if t.starts_with('t') => {
                self.bump();
                Ok(())
            }
            _ => self.fail("t'…'"),
        }
    }

    fn word(&mut self, w: &'static str) -> PResult<()> {
        if self.is_word(w) {
            self.bump();
            Ok(())
        } else {
            self.fail(w)
        }
    }

    fn observation_atom(&mut self) -> PResult<()> {
        let open_at = self.pos();
        match self.peek() {
            Tok::Open('[') => {
                self.bump();
                self.enter()?;
                self.comparison_or()?;
                self.close('[', open_at)
            }
            Tok::Open('(') => {
                self.bump();
                self.enter()?;
                self.observation_or()?;
                self.close('(', open_at)
            }
            _ => self.fail("["),
        }
    }

    fn comparison_or(&mut self) -> PResult<()> {
        self.comparison_and()?;
        while self.is_word("OR") {
            self.bump();
            self.comparison_and()?;
        }
        Ok(())
    }

    fn comparison_and(&mut self) -> PResult<()> {
        self.comparison_atom()?;
        while self.is_word("AND") {
            self.bump();
            self.comparison_atom()?;
        }
        Ok(())
    }

    fn comparison_atom(&mut self) -> PResult<()> {
        if matches!(self.peek(), Tok::Open('(')) {
            let open_at = self.pos();
            self.bump();
            self.enter()?;
            self.comparison_or()?;
            return self.close('(', open_at);
        }
        let (object_type, path) = self.object_path()?;
        let negated = self.is_word("NOT");
        if negated {
            self.bump();
        }
        let op = match self.peek() {
            Tok::Op(op) => *op,
            Tok::Word(w) => match w.as_str() {
                "IN" => Op::In,
                "LIKE" => Op::Like,
                "MATCHES" => Op::Matches,
                "ISSUBSET" => Op::IsSubset,
                "ISSUPERSET" => Op::IsSuperset,
                _ => return self.fail(OPERATORS),
            },
            _ => return self.fail(OPERATORS),
        };
        self.bump();
        let values = if op == Op::In { self.set()? } else { vec![self.literal()?] };
        self.out.push(Comparison { object_type, path, negated, op, values });
        Ok(())
    }

    fn object_path(&mut self) -> PResult<(String, Vec<String>)> {
        let object_type = match self.peek() {
            Tok::Word(w) => w.clone(),
            _ => return self.fail("<type>:<property>"),
        };
        self.bump();
        if self.bump() != Tok::Colon {
            self.at = self.at.saturating_sub(1);
            return self.fail(":");
        }
        let mut path = vec![self.component()?];
        loop {
            match self.peek() {
                Tok::Dot => {
                    self.bump();
                    path.push(self.component()?);
                }
                Tok::Open('[') => {
                    self.bump();
                    let index = match self.bump() {
                        Tok::Num(n) => n,
                        Tok::Star => "*".into(),
                        _ => {
                            self.at = self.at.saturating_sub(1);
                            return self.fail("<index> / *");
                        }
                    };
                    if self.bump() != Tok::Close(']') {
                        self.at = self.at.saturating_sub(1);
                        return self.fail("]");
                    }
                    path.push(format!("[{index}]"));
                }
                _ => return Ok((object_type, path)),
            }
        }
    }

    fn component(&mut self) -> PResult<String> {
        match self.peek() {
            Tok::Word(w) | Tok::Str(w) => {
                let w = w.clone();
                self.bump();
                Ok(w)
            }
            _ => self.fail("<property>"),
        }
    }

    fn literal(&mut self) -> PResult<Literal> {
        let lit = match self.peek() {
            Tok::Str(s) => Literal::Str(s.clone()),
            Tok::Num(n) | Tok::Typed(n) => Literal::Other(n.clone()),
            Tok::Word(w) if w == "true" || w == "false" => Literal::Other(w.clone()),
            _ => return self.fail("<value>"),
        };
        self.bump();
        Ok(lit)
    }

    fn set(&mut self) -> PResult<Vec<Literal>> {
        let open_at = self.pos();
        if self.peek() != &Tok::Open('(') {
            return self.fail("(");
        }
        self.bump();
        let mut values = vec![self.literal()?];
        while self.peek() == &Tok::Comma {
            self.bump();
            values.push(self.literal()?);
        }
        match self.peek() {
            Tok::Close(')') => {
                self.bump();
                Ok(values)
            }
            Tok::End => Err((self.pos(), PatternProblem::Unclosed { open: '(', open_at })),
            _ => self.fail(", / )"),
        }
    }
}

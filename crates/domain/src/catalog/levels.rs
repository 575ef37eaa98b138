//! A set of information-system security levels (cấp độ 1–5), as one byte.

use std::fmt;

use crate::Msg;

/// The security levels a catalogue node applies to: any subset of 1–5.
///
/// Written as runs of levels: `1-5`, `3-5`, `1,3`, `5`; read also as `3,4,5`, `3+` (3 and above),
/// `3 - 5`, `3–5` (en dash), `1-2; 4`. Serialised as an ascending array of levels (`[3, 4, 5]`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "Vec<u8>", into = "Vec<u8>")]
pub struct LevelSet(u8);

/// The lowest and highest security level.
pub const MIN_LEVEL: u8 = 1;
pub const MAX_LEVEL: u8 = 5;

/// Why a text or a list is not a level set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LevelSetError {
    /// Nothing written.
    Empty,
    /// A level below 1 or above 5.
    OutOfRange { value: String },
    /// A range written high to low ("5-3").
    Reversed { value: String },
    /// Something that is neither a level, a range nor "N+".
    Syntax { value: String },
}

impl LevelSetError {
    pub fn msg(&self) -> Msg {
        let v = |s: &str| crate::error::shorten(s, 40);
        match self {
            LevelSetError::Empty => {
                Msg::new("chưa ghi cấp độ nào (ví dụ 1-5, 3,4,5 hoặc 3+)", "no level given (e.g. 1-5, 3,4,5 or 3+)")
            }
            LevelSetError::OutOfRange { value } => Msg::new(
                format!("«{}» nằm ngoài các cấp độ 1–5", v(value)),
                format!("«{}» is outside the levels 1–5", v(value)),
            ),
            LevelSetError::Reversed { value } => Msg::new(
                format!("khoảng «{}» phải ghi từ cấp thấp đến cấp cao (ví dụ 3-5)", v(value)),
                format!("the range «{}» must go from the lower to the higher level (e.g. 3-5)", v(value)),
            ),
            LevelSetError::Syntax { value } => Msg::new(
                format!("«{}» không phải cấp độ; ghi ví dụ 1-5, 3,4,5 hoặc 3+", v(value)),
                format!("«{}» is not a level; write e.g. 1-5, 3,4,5 or 3+", v(value)),
            ),
        }
    }
}

impl fmt::Display for LevelSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.msg().en)
    }
}

impl std::error::Error for LevelSetError {}

fn level(text: &str) -> Result<u8, LevelSetError> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LevelSetError::Syntax { value: text.trim().to_string() });
    }
    match t.parse::<u8>() {
        Ok(n) if (MIN_LEVEL..=MAX_LEVEL).contains(&n) => Ok(n),
        _ => Err(LevelSetError::OutOfRange { value: t.to_string() }),
    }
}

impl LevelSet {
    pub const EMPTY: LevelSet = LevelSet(0);
    /// Levels 1–5.
    pub const ALL: LevelSet = LevelSet(0b1_1111);

    /// One level; `None` outside 1–5.
    pub fn single(level: u8) -> Option<LevelSet> {
        (MIN_LEVEL..=MAX_LEVEL).contains(&level).then(|| LevelSet(1 << (level - 1)))
    }

    /// Levels `from..=to`; `None` if either is outside 1–5 or `from > to`.
    pub fn range(from: u8, to: u8) -> Option<LevelSet> {
        let ok = (MIN_LEVEL..=MAX_LEVEL).contains(&from) && (MIN_LEVEL..=MAX_LEVEL).contains(&to) && from <= to;
        ok.then(|| (from..=to).fold(LevelSet::EMPTY, |s, l| s.with(l)))
    }

    /// Levels `from` to 5 ("3+").
    pub fn at_least(from: u8) -> Option<LevelSet> {
        LevelSet::range(from, MAX_LEVEL)
    }

    /// From a list of levels; refuses any outside 1–5.
    pub fn from_levels(levels: impl IntoIterator<Item = u8>) -> Result<LevelSet, LevelSetError> {
        levels.into_iter().try_fold(LevelSet::EMPTY, |s, l| {
            LevelSet::single(l).map(|one| s.union(one)).ok_or(LevelSetError::OutOfRange { value: l.to_string() })
        })
    }

    /// Reads `1-5`, `3,4,5`, `3+`, `2`, `1-2; 4`, `3 – 5`. Empty text is [`LevelSetError::Empty`].
    pub fn parse(text: &str) -> Result<LevelSet, LevelSetError> {
        let normal: String = text.chars().map(|c| if matches!(c, '–' | '—' | '‒' | '−') { '-' } else { c }).collect();
        let mut set = LevelSet::EMPTY;
        let mut any = false;
        for part in normal.split([',', ';']) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            // "3 4 5" is read as three levels; "3 - 5" as a range.
            let words: Vec<&str> =
                if part.contains('-') || part.contains('+') { vec![part] } else { part.split_whitespace().collect() };
            for word in words {
                any = true;
                set = set.union(LevelSet::parse_part(word)?);
            }
        }
        if !any {
            return Err(LevelSetError::Empty);
        }
        Ok(set)
    }

    fn parse_part(part: &str) -> Result<LevelSet, LevelSetError> {
        if let Some(from) = part.strip_suffix('+') {
            let from = level(from).map_err(|e| match e {
                LevelSetError::OutOfRange { .. } => e,
                _ => LevelSetError::Syntax { value: part.to_string() },
            })?;
            return Ok(LevelSet::at_least(from).unwrap_or_default());
        }
        if let Some((a, b)) = part.split_once('-') {
            let syntax = |e| match e {
                LevelSetError::Syntax { .. } => LevelSetError::Syntax { value: part.to_string() },
                other => other,
            };
            let (a, b) = (level(a).map_err(syntax)?, level(b).map_err(syntax)?);
            return LevelSet::range(a, b).ok_or(LevelSetError::Reversed { value: part.to_string() });
        }
        level(part).map(|l| LevelSet::single(l).unwrap_or_default())
    }

    pub fn contains(self, level: u8) -> bool {
        LevelSet::single(level).is_some_and(|one| self.0 & one.0 != 0)
    }

    /// This set with `level` added (unchanged if `level` is outside 1–5).
    pub fn with(self, level: u8) -> LevelSet {
        self.union(LevelSet::single(level).unwrap_or_default())
    }

    pub fn union(self, other: LevelSet) -> LevelSet {
        LevelSet(self.0 | other.0)
    }

    pub fn intersection(self, other: LevelSet) -> LevelSet {
        LevelSet(self.0 & other.0)
    }

    pub fn is_subset_of(self, other: LevelSet) -> bool {
        self.0 & !other.0 == 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The levels, ascending.
    pub fn iter(self) -> impl Iterator<Item = u8> {
        (MIN_LEVEL..=MAX_LEVEL).filter(move |l| self.contains(*l))
    }

    /// The lowest level in the set.
    pub fn min(self) -> Option<u8> {
        self.iter().next()
    }

    /// Bit `n - 1` stands for level `n`.
    pub fn bits(self) -> u8 {
        self.0
    }

    /// From bits as returned by [`LevelSet::bits`]; `None` if a bit above level 5 is set.
    pub fn from_bits(bits: u8) -> Option<LevelSet> {
        (bits & !LevelSet::ALL.0 == 0).then_some(LevelSet(bits))
    }

    /// "Cấp 3-5" / "Levels 3-5"; "Cấp 2" / "Level 2".
    pub fn label(self) -> Msg {
        if self.is_empty() {
            return Msg::new("Không cấp độ nào", "No level");
        }
        let en = if self.len() == 1 { "Level" } else { "Levels" };
        Msg::new(format!("Cấp {self}"), format!("{en} {self}"))
    }
}

/// Runs of consecutive levels joined by commas: `1-5`, `3-5`, `1,3-4`, `2`; empty set: empty text.
impl fmt::Display for LevelSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut runs: Vec<(u8, u8)> = Vec::new();
        for l in self.iter() {
            match runs.last_mut() {
                Some((_, hi)) if *hi + 1 == l => *hi = l,
                _ => runs.push((l, l)),
            }
        }
        let parts: Vec<String> =
            runs.iter().map(|(lo, hi)| if lo == hi { lo.to_string() } else { format!("{lo}-{hi}") }).collect();
        f.write_str(&parts.join(","))
    }
}

impl fmt::Debug for LevelSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LevelSet({self})")
    }
}

impl std::str::FromStr for LevelSet {
    type Err = LevelSetError;
    fn from_str(s: &str) -> Result<LevelSet, LevelSetError> {
        LevelSet::parse(s)
    }
}

impl TryFrom<Vec<u8>> for LevelSet {
    type Error = LevelSetError;
    fn try_from(levels: Vec<u8>) -> Result<LevelSet, LevelSetError> {
        LevelSet::from_levels(levels)
    }
}

impl From<LevelSet> for Vec<u8> {
    fn from(set: LevelSet) -> Vec<u8> {
        set.iter().collect()
    }
}

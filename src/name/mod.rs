//! Real names (姓名): the checks a registration form can make before the name is compared with the
//! register.
//!
//! Guiding rule (as everywhere in this crate): rejecting a real person's name is worse than
//! accepting a typo. Only the register can say whether a name is right; this check catches what
//! can never be right and what would fail the comparison invisibly.
//!
//! # Sources
//! - **`gb-t-15834-2011`**: GB/T 15834-2011《标点符号用法》, the 间隔号: `·` separates the parts
//!   of transliterated and minority names, as in 古丽米热·艾比布力.
//! - **`mps-hukou-registration`**: 公安部《户口登记规范》: "少数民族姓名中的间隔符用'·'表示", the
//!   separator as household registers write it (U+00B7 MIDDLE DOT).
//! - **`gb-18030-2022`**: GB 18030-2022《信息技术 中文编码字符集》 (mandatory, in force
//!   2023-08-01): the character set of Chinese information systems, name registers included; most
//!   of its Han characters are outside U+4E00–9FA5. It sets no length for name fields.
//! - **`mps-2001-60`**: 公安部 公治〔2001〕60号 (2001-06-14): household registration does not limit
//!   the number of characters in a name. The "2 to 6 characters" limit often quoted comes from a
//!   2007 draft that was never enacted; single-character names exist for some minorities. So there
//!   is no minimum and no surname list, and the maximum ([`NameOptions::max_chars`], default 50,
//!   never below 25 so that long transliterated names fit) is this library's choice, which a
//!   platform may raise.
//! - **`unicode-17`**: Unicode 17.0: the blocks of CJK Unified Ideographs (`han.rs`).
//! - **`hanzi-2013`**: 《通用规范汉字表》 (国务院, 国发〔2013〕23号, 2013-06-05): it lists 〇 U+3007.
//!
//! # What is checked, in order
//! 1. **Size.** An input longer than [`NameOptions::max_chars`] × 16 bytes is `name_too_long`
//!    before it is looked at (a character is at most 4 UTF-8 bytes; the extra factor leaves room for
//!    surrounding whitespace).
//! 2. **Trim.** Unicode whitespace, U+200B and U+FEFF are removed from both ends
//!    (`name_whitespace_trimmed`, a warning). Nothing left is `name_empty`.
//! 3. **Script.** [`NameOptions::script`] forces one; otherwise a name with any Han character is
//!    Han, one with Latin letters only is Latin. A detected Han name that also has Latin letters is
//!    `name_mixed_script` (no name on a Chinese document mixes them). When the script is forced,
//!    characters of the other script are `name_invalid_character` at their position instead.
//! 4. **Characters.** Each problem is reported at its 1-based character position in the original
//!    input (before trimming), all at once:
//!    - bidi controls (U+061C, U+200E, U+200F, U+202A–202E, U+2066–2069): `name_bidi_control`;
//!    - invisible characters (format characters such as U+200B–200D, U+2060–2064, U+FEFF, U+00AD,
//!      U+180E, non-whitespace control characters, variation selectors): `name_invisible_character`;
//!    - Private Use Area characters (U+E000–F8FF, planes 15–16): `name_private_use`, except U+E863,
//!      which GB 18030-2000 systems produce for 䶮 U+4DAE: it is mapped (`name_private_use_mapped`,
//!      a warning);
//!    - anything else outside the script's set (digits, emoji, punctuation, other scripts):
//!      `name_invalid_character`.
//! 5. **Separators.** See the two paths below. A misplaced one is `name_separator_misplaced` at its
//!    position.
//! 6. **Length**, in Unicode scalar values of the normalised name (not UTF-16 units, so an
//!    Extension B character counts once): more than [`NameOptions::max_chars`] (default 50, never
//!    below 25) is `name_too_long` with `max`.
//!
//! # Han path (mainland documents)
//! - Allowed: the blocks of CJK Unified Ideographs of Unicode 17.0 — U+4E00–9FFF (URO),
//!   U+3400–4DBF (Ext A), U+20000–2A6DF (Ext B), U+2A700–2EE5F (Ext C–F, I), U+30000–3347F
//!   (Ext G, H, J) —, the 12 unified compatibility ideographs, and the separator U+00B7 between
//!   parts.
//! - Look-alike dots (U+30FB ・, U+FF65 ･, U+2022 •, U+2027 ‧, U+2219 ∙, U+22C5 ⋅, U+0387 ·,
//!   U+FF0E ．, U+002E ., U+16EB ᛫, U+2E31 ⸱, U+10101 𐄁, U+A78F ꞏ, U+2024 ․, U+FE52 ﹒, U+318D ㆍ)
//!   become U+00B7 (`name_separator_normalized`, a warning).
//! - A separator first, last, or right after another is misplaced.
//! - Spaces are not allowed inside a Han name (`name_invalid_character`): the register has none,
//!   and whether a space meant a separator is a guess this check does not make.
//! - 〇 U+3007 (the Han zero of 通用规范汉字表) is allowed, with the warning `name_han_zero`: it
//!   looks like the letter O and the digit 0, which a name never holds.
//!
//! # Latin path (Hong Kong, Macau, Taiwan and foreign documents)
//! - Letters: ASCII, Latin-1 Supplement, Latin Extended-A and -B, Latin Extended Additional, with
//!   combining diacritics after a letter (details in `latin.rs`); full-width letters are folded
//!   to ASCII (`name_fullwidth_folded`).
//! - Spaces: a run of spaces becomes one, and other space characters (no-break space, tab…) become
//!   U+0020 (`name_spaces_collapsed`); the ideographic space U+3000 is folded like a full-width
//!   character (`name_fullwidth_folded`).
//! - Punctuation, kept as typed (full-width forms folded): hyphen `-`, apostrophes `'` `’` `ʼ` `ʻ`,
//!   comma `,` (between surname and given names: `CHAN, Tai Man`), full stop `.`, and the
//!   separator `·` (Catalan `l·l`, and transliterated minority names; look-alike dots other than
//!   `.` and `．` become `·` as in a Han name).
//! - **The full stop stays a full stop** in a Latin name: it is an initial's or an abbreviation's
//!   dot (`J. R. R. Tolkien`, `Martin Luther King Jr.`), not a separator. `．` is folded to `.`.
//! - Placement (spaces between marks are ignored): no mark may start the name except an apostrophe
//!   (`'Iolani`); none may end it except a full stop or an apostrophe (`Jr.`, `Igor'`); two marks
//!   in a row are misplaced, unless the first is a full stop (`J.-P. Sartre`, `King Jr., Martin`)
//!   or either is an apostrophe, and the same mark twice is always misplaced (`--`, `''`, `..`).
//!   The issue's `separator` param is the mark.
//! - A Latin name needs at least one letter.
//!
//! What cannot be checked: whether the name is the person's, or is written as on the document.

pub(crate) mod controls;
mod han;
pub(crate) use han::is_han;
mod latin;

use crate::id::Checked;
use crate::issue::{Code, Issue, ParamValue};

/// The default maximum length, in Unicode scalar values.
pub const DEFAULT_MAX_CHARS: usize = 50;

/// The lowest maximum length allowed: this library's floor, not a standard's (GB 18030 sets no
/// field length, and household registration sets no limit): 25 characters leave room for long
/// transliterated names, which a lower limit would reject.
pub const MIN_MAX_CHARS: usize = 25;

/// Bytes of input per allowed character looked at before rejecting an oversized input unread.
const MAX_INPUT_BYTES_PER_CHAR: usize = 16;

/// The script of a name. The snake_case names are API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NameScript {
    /// Chinese characters, as on mainland documents.
    Han,
    /// Latin letters, as on Hong Kong, Macau, Taiwan and foreign documents.
    Latin,
}

impl NameScript {
    /// Every script, in a stable order.
    pub const ALL: [NameScript; 2] = [NameScript::Han, NameScript::Latin];

    /// The script's snake_case name (`han`, `latin`).
    pub const fn as_str(self) -> &'static str {
        match self {
            NameScript::Han => "han",
            NameScript::Latin => "latin",
        }
    }

    /// The script named `name` (see [`NameScript::as_str`]), if any.
    pub fn parse(name: &str) -> Option<NameScript> {
        NameScript::ALL.iter().copied().find(|s| s.as_str() == name)
    }
}

/// Options of a name check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameOptions {
    /// `None` = detect from the characters (Han if it has any Han character, Latin if only Latin
    /// letters).
    pub script: Option<NameScript>,
    /// Maximum length in Unicode scalar values after normalisation; default 50. Never below 25
    /// (this library's floor, see [`MIN_MAX_CHARS`]): a lower value, set directly or through
    /// [`NameOptions::with_max_chars`], is read as 25.
    pub max_chars: usize,
}

impl NameOptions {
    /// Script detected, maximum 50 characters.
    pub fn new() -> NameOptions {
        NameOptions {
            script: None,
            max_chars: DEFAULT_MAX_CHARS,
        }
    }

    /// Sets the maximum length, clamped up to [`MIN_MAX_CHARS`].
    #[must_use]
    pub fn with_max_chars(mut self, n: usize) -> NameOptions {
        self.max_chars = n.max(MIN_MAX_CHARS);
        self
    }

    /// Forces the script instead of detecting it.
    #[must_use]
    pub fn with_script(mut self, script: NameScript) -> NameOptions {
        self.script = Some(script);
        self
    }

    fn effective_max_chars(&self) -> usize {
        self.max_chars.max(MIN_MAX_CHARS)
    }
}

impl Default for NameOptions {
    fn default() -> Self {
        NameOptions::new()
    }
}

/// What a valid name yields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameValue {
    /// The name after normalisation: trimmed, separators U+00B7, full-width Latin folded, spaces
    /// collapsed, U+E863 mapped to 䶮.
    pub normalized: String,
    /// The script the name was checked as.
    pub script: NameScript,
    /// Length of `normalized` in Unicode scalar values.
    pub chars: usize,
}

/// Checks one name. `Err` holds every independent issue found (at least one).
pub fn check_name(input: &str, options: &NameOptions) -> Result<Checked<NameValue>, Vec<Issue>> {
    let max = options.effective_max_chars();
    if input.len() > max.saturating_mul(MAX_INPUT_BYTES_PER_CHAR) {
        return Err(vec![too_long(max)]);
    }
    let leading = input
        .chars()
        .take_while(|&c| controls::is_trimmable(c))
        .count();
    let trimmed = input.trim_matches(controls::is_trimmable);
    if trimmed.is_empty() {
        return Err(vec![Issue::new(Code::NameEmpty)]);
    }
    let items: Vec<Item> = trimmed
        .chars()
        .enumerate()
        .map(|(i, c)| Item::new(leading + i + 1, c))
        .collect();

    let first_letter = items.iter().find(|i| i.kind == Kind::Letter);
    let has_han = items.iter().any(|i| i.kind == Kind::Han);
    let (script, mixed_at) = match options.script {
        Some(script) => (script, None),
        None if has_han => (NameScript::Han, first_letter.map(|i| i.position)),
        None if first_letter.is_some() => (NameScript::Latin, None),
        // Neither script's letters: the mainland rules apply, and every character fails them.
        None => (NameScript::Han, None),
    };

    let mut out = Output {
        normalized: String::with_capacity(trimmed.len()),
        issues: Vec::new(),
        warnings: Warnings {
            trimmed: trimmed.len() != input.len(),
            ..Warnings::default()
        },
    };
    match script {
        NameScript::Han => han_path(&items, mixed_at.is_some(), &mut out),
        NameScript::Latin => latin_path(&items, &mut out),
    }
    if let Some(position) = mixed_at {
        out.issues
            .push(Issue::new(Code::NameMixedScript).with("position", int(position)));
    }
    // Character issues in input order (stable: same-position issues keep their order).
    crate::small_sort::sort_by_key(&mut out.issues, |issue| {
        issue.int_param("position").unwrap_or(i64::MAX)
    });
    let chars = out.normalized.chars().count();
    if chars > max {
        out.issues.push(too_long(max));
    }
    if out.issues.is_empty() {
        Ok(Checked {
            value: NameValue {
                normalized: out.normalized,
                script,
                chars,
            },
            warnings: out.warnings.issues(),
        })
    } else {
        Err(out.issues)
    }
}

/// Whether `input` passes [`check_name`].
pub fn is_valid_name(input: &str, options: &NameOptions) -> bool {
    check_name(input, options).is_ok()
}

fn too_long(max: usize) -> Issue {
    Issue::new(Code::NameTooLong).with("max", int(max))
}

fn int(n: usize) -> ParamValue {
    ParamValue::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// What a character is, independent of the script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Han,
    /// U+00B7 or a look-alike dot other than the full stops.
    Separator,
    /// `.` or `．`.
    FullStop,
    Letter,
    CombiningMark,
    Space,
    Hyphen,
    Apostrophe,
    Comma,
    Invisible,
    BidiControl,
    PrivateUse,
    Invalid,
}

/// One character of the trimmed input.
#[derive(Clone, Copy, Debug)]
struct Item {
    /// 1-based position in the original input.
    position: usize,
    original: char,
    kind: Kind,
    /// The character after folding (full-width to ASCII, U+E863 to 䶮, look-alike dots to U+00B7,
    /// space characters to U+0020); the full stop is decided per script.
    folded: char,
}

impl Item {
    fn new(position: usize, c: char) -> Item {
        let (kind, folded) = classify(c);
        Item {
            position,
            original: c,
            kind,
            folded,
        }
    }

    fn was_fullwidth(&self) -> bool {
        matches!(self.original, '\u{FF01}'..='\u{FF5E}' | '\u{3000}')
    }
}

fn classify(c: char) -> (Kind, char) {
    if let Some(han) = han::mapped_private_use(c) {
        return (Kind::Han, han);
    }
    let kind = if controls::is_private_use(c) {
        Kind::PrivateUse
    } else if controls::is_bidi_control(c) {
        Kind::BidiControl
    } else if controls::is_invisible(c) {
        Kind::Invisible
    } else if han::is_han(c) || c == han::HAN_ZERO {
        Kind::Han
    } else if latin::is_letter(c) {
        Kind::Letter
    } else if let Some(ascii) = latin::fold_fullwidth_letter(c) {
        return (Kind::Letter, ascii);
    } else if latin::is_combining_mark(c) {
        Kind::CombiningMark
    } else if latin::is_apostrophe(c) {
        Kind::Apostrophe
    } else {
        return match c {
            '.' | '\u{FF0E}' => (Kind::FullStop, '.'),
            c if c == han::SEPARATOR || han::is_lookalike_dot(c) => {
                (Kind::Separator, han::SEPARATOR)
            }
            '-' | '\u{FF0D}' => (Kind::Hyphen, '-'),
            '\u{FF07}' => (Kind::Apostrophe, '\''),
            ',' | '\u{FF0C}' => (Kind::Comma, ','),
            c if c.is_whitespace() => (Kind::Space, ' '),
            c => (Kind::Invalid, c),
        };
    };
    (kind, c)
}

#[derive(Default)]
struct Warnings {
    trimmed: bool,
    separator: bool,
    private_use: bool,
    fullwidth: bool,
    spaces: bool,
    han_zero: bool,
}

impl Warnings {
    /// In a stable order.
    fn issues(&self) -> Vec<Issue> {
        [
            (self.trimmed, Code::NameWhitespaceTrimmed),
            (self.separator, Code::NameSeparatorNormalized),
            (self.private_use, Code::NamePrivateUseMapped),
            (self.fullwidth, Code::NameFullwidthFolded),
            (self.spaces, Code::NameSpacesCollapsed),
            (self.han_zero, Code::NameHanZero),
        ]
        .into_iter()
        .filter(|(happened, _)| *happened)
        .map(|(_, code)| Issue::new(code))
        .collect()
    }
}

struct Output {
    normalized: String,
    issues: Vec<Issue>,
    warnings: Warnings,
}

impl Output {
    fn issue(&mut self, code: Code, position: usize) {
        self.issues
            .push(Issue::new(code).with("position", int(position)));
    }

    fn misplaced(&mut self, position: usize, separator: char) {
        self.issues.push(
            Issue::new(Code::NameSeparatorMisplaced)
                .with("position", int(position))
                .with("separator", ParamValue::Char(separator)),
        );
    }

    /// Reports a character that is wrong in any script, keeping it in the output so that the
    /// length stays right. Returns whether `item` was one.
    fn reject_unusable(&mut self, item: &Item) -> bool {
        let code = match item.kind {
            Kind::Invisible => Code::NameInvisibleCharacter,
            Kind::BidiControl => Code::NameBidiControl,
            Kind::PrivateUse => Code::NamePrivateUse,
            Kind::Invalid => Code::NameInvalidCharacter,
            _ => return false,
        };
        self.issue(code, item.position);
        self.normalized.push(item.original);
        true
    }
}

/// The Han path. With `mixed`, Latin letters and Latin punctuation are left to the one
/// `name_mixed_script` issue instead of being reported one by one.
fn han_path(items: &[Item], mixed: bool, out: &mut Output) {
    // The last separator seen, if nothing but separators came after it, and whether it was
    // already reported.
    let mut open_separator: Option<(usize, bool)> = None;
    let mut anything_before = false;
    for item in items {
        match item.kind {
            Kind::Separator | Kind::FullStop => {
                out.normalized.push(han::SEPARATOR);
                if item.original != han::SEPARATOR {
                    out.warnings.separator = true;
                }
                let misplaced = !anything_before || open_separator.is_some();
                if misplaced {
                    out.misplaced(item.position, han::SEPARATOR);
                }
                open_separator = Some((item.position, misplaced));
            }
            Kind::Han => {
                out.normalized.push(item.folded);
                if item.folded != item.original {
                    out.warnings.private_use = true;
                }
                out.warnings.han_zero |= item.original == han::HAN_ZERO;
                open_separator = None;
            }
            _ => {
                if !out.reject_unusable(item) {
                    // Latin letters, marks, spaces and Latin punctuation.
                    out.normalized.push(item.original);
                    if !mixed {
                        out.issue(Code::NameInvalidCharacter, item.position);
                    }
                }
                open_separator = None;
            }
        }
        anything_before = true;
    }
    if let Some((position, false)) = open_separator {
        out.misplaced(position, han::SEPARATOR);
    }
}

/// The Latin path.
fn latin_path(items: &[Item], out: &mut Output) {
    // The last mark (punctuation) if nothing but spaces came after it: (kind, folded char,
    // position, already reported). `None` with `started` false means the start of the name.
    let mut open_mark: Option<(Kind, char, usize, bool)> = None;
    let mut started = false;
    let mut letters = 0usize;
    // Combining marks on the current letter, or `None` when the last character is not a letter
    // or one of its marks.
    let mut marks_on_letter: Option<usize> = None;
    let mut last_was_space = false;
    for item in items {
        let is_space = item.kind == Kind::Space;
        match item.kind {
            Kind::Letter => {
                out.normalized.push(item.folded);
                out.warnings.fullwidth |= item.was_fullwidth();
                letters += 1;
                marks_on_letter = Some(0);
                open_mark = None;
                started = true;
            }
            Kind::CombiningMark => match marks_on_letter {
                Some(n) if n < latin::MAX_MARKS_PER_LETTER => {
                    out.normalized.push(item.original);
                    marks_on_letter = Some(n + 1);
                }
                _ => {
                    out.normalized.push(item.original);
                    out.issue(Code::NameInvalidCharacter, item.position);
                }
            },
            Kind::Space => {
                if last_was_space {
                    out.warnings.spaces = true;
                } else {
                    out.normalized.push(' ');
                }
                if item.was_fullwidth() {
                    out.warnings.fullwidth = true;
                } else if item.original != ' ' {
                    out.warnings.spaces = true;
                }
                marks_on_letter = None;
            }
            Kind::Separator | Kind::FullStop | Kind::Hyphen | Kind::Apostrophe | Kind::Comma => {
                let mark = if item.kind == Kind::Apostrophe && !item.was_fullwidth() {
                    item.original
                } else {
                    item.folded
                };
                out.normalized.push(mark);
                if item.kind == Kind::Separator && item.original != han::SEPARATOR {
                    out.warnings.separator = true;
                }
                out.warnings.fullwidth |= item.was_fullwidth();
                let misplaced = match open_mark {
                    Some((previous, _, _, _)) => marks_clash(previous, item.kind),
                    None => !started && item.kind != Kind::Apostrophe,
                };
                if misplaced {
                    out.misplaced(item.position, mark);
                }
                open_mark = Some((item.kind, mark, item.position, misplaced));
                marks_on_letter = None;
                started = true;
            }
            Kind::Han => {
                // Only with the script forced to Latin (a detected Latin name has no Han).
                out.normalized.push(item.folded);
                out.issue(Code::NameInvalidCharacter, item.position);
                marks_on_letter = None;
                open_mark = None;
                started = true;
            }
            Kind::Invisible | Kind::BidiControl | Kind::PrivateUse | Kind::Invalid => {
                out.reject_unusable(item);
                marks_on_letter = None;
                open_mark = None;
                started = true;
            }
        }
        last_was_space = is_space;
    }
    if let Some((kind, mark, position, false)) = open_mark {
        if !matches!(kind, Kind::FullStop | Kind::Apostrophe) {
            out.misplaced(position, mark);
        }
    }
    if letters == 0 && out.issues.is_empty() {
        // Only apostrophes (everything else would have been reported).
        if let Some(first) = items.first() {
            out.issue(Code::NameInvalidCharacter, first.position);
        }
    }
}

/// Whether mark `next` may not follow mark `previous` (with only spaces between).
fn marks_clash(previous: Kind, next: Kind) -> bool {
    if previous == next {
        return true;
    }
    if previous == Kind::FullStop && next != Kind::Separator {
        return false;
    }
    !(previous == Kind::Apostrophe || next == Kind::Apostrophe)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(input: &str) -> Vec<&'static str> {
        match check_name(input, &NameOptions::new()) {
            Ok(_) => Vec::new(),
            Err(issues) => issues.iter().map(|i| i.code.as_str()).collect(),
        }
    }

    #[test]
    fn basics() {
        assert!(codes("王").is_empty());
        assert!(codes("古丽米热·艾比布力").is_empty());
        assert_eq!(codes("张三1"), ["name_invalid_character"]);
    }
}

//! Name check: every code, the names that must never be rejected, positions and warnings, plus
//! properties (no input panics; generated Han names always pass).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use shiming::name::{is_valid_name, DEFAULT_MAX_CHARS, MIN_MAX_CHARS};
use shiming::{check_name, Code, Issue, Locale, NameOptions, NameScript, NameValue, ParamValue};

fn options() -> NameOptions {
    NameOptions::new()
}

fn ok(input: &str) -> (NameValue, Vec<Code>) {
    ok_with(input, &options())
}

fn ok_with(input: &str, options: &NameOptions) -> (NameValue, Vec<Code>) {
    match check_name(input, options) {
        Ok(checked) => {
            assert!(is_valid_name(input, options));
            (
                checked.value,
                checked.warnings.iter().map(|w| w.code).collect(),
            )
        }
        Err(issues) => panic!("{input:?} rejected: {issues:?}"),
    }
}

fn err(input: &str) -> Vec<Issue> {
    err_with(input, &options())
}

fn err_with(input: &str, options: &NameOptions) -> Vec<Issue> {
    assert!(!is_valid_name(input, options), "{input:?} accepted");
    check_name(input, options).unwrap_err()
}

/// (code, position) of each issue.
fn summary(issues: &[Issue]) -> Vec<(Code, Option<i64>)> {
    issues
        .iter()
        .map(|i| (i.code, i.int_param("position")))
        .collect()
}

// ---------------------------------------------------------------- never rejected

#[test]
fn names_that_must_never_be_rejected() {
    for name in [
        "䶮",
        "刘䶮",
        "古丽米热·艾比布力",
        "王",
        "晓",
        "欧阳娜娜",
        "𠀀",
        "张𠀀",
        "𪚥",
        "李𪚥",
        "王﨑",        // U+FA11, a unified compatibility ideograph
        "陈\u{2EBF0}", // Extension I
        "林\u{30000}", // Extension G
        "王\u{323B0}", // Extension J (Unicode 17.0)
        "李\u{33479}", // the last character of Extension J
        "阿卜杜热西提·阿卜杜热合曼·买买提",
        "Chan Tai Man",
        "CHAN, Tai Man",
        "O'Brien",
        "O\u{2019}Brien",
        "Jean-Luc Picard",
        "José Álvarez",
        "J. R. R. Tolkien",
        "Martin Luther King Jr.",
        "KING JR., MARTIN LUTHER",
        "J.-P. Sartre",
        "Nguyễn Thị Minh Khai",
        "Ștefan Țiriac",
        "Łukasz Żółć",
        "Igor'",
        "'Iolani",
        "Gemma Col·lell",
        "Jose\u{0301}",
        "Nguye\u{0302}\u{0303}n",
        "Al",
        "X",
    ] {
        let (value, _) = ok(name);
        assert_eq!(value.normalized, name, "{name}");
        assert_eq!(value.chars, name.chars().count());
    }
}

#[test]
fn scripts_are_detected() {
    assert_eq!(ok("王").0.script, NameScript::Han);
    assert_eq!(ok("古丽米热·艾比布力").0.script, NameScript::Han);
    assert_eq!(ok("Chan Tai Man").0.script, NameScript::Latin);
    assert_eq!(ok("José").0.script, NameScript::Latin);
}

#[test]
fn extension_b_counts_as_one_character() {
    let (value, _) = ok("𠀀𪚥");
    assert_eq!(value.chars, 2);
    // 25 Extension B characters (50 UTF-16 units) fit the minimum field.
    let name: String = "𠀀".repeat(MIN_MAX_CHARS);
    let opts = NameOptions::new().with_max_chars(MIN_MAX_CHARS);
    assert_eq!(ok_with(&name, &opts).0.chars, MIN_MAX_CHARS);
}

// ---------------------------------------------------------------- options

#[test]
fn options_defaults_and_clamping() {
    assert_eq!(NameOptions::default(), NameOptions::new());
    assert_eq!(NameOptions::new().max_chars, DEFAULT_MAX_CHARS);
    assert_eq!(NameOptions::new().script, None);
    assert_eq!(NameOptions::new().with_max_chars(2).max_chars, 25);
    assert_eq!(NameOptions::new().with_max_chars(80).max_chars, 80);
    assert_eq!(
        NameOptions::new().with_script(NameScript::Latin).script,
        Some(NameScript::Latin)
    );
    // A maximum set below 25 directly is still read as 25.
    let direct = NameOptions {
        script: None,
        max_chars: 2,
    };
    let name: String = "王".repeat(25);
    ok_with(&name, &direct);
    let long: String = "王".repeat(26);
    let issues = err_with(&long, &direct);
    assert_eq!(issues[0].int_param("max"), Some(25));
}

#[test]
fn script_names() {
    for script in NameScript::ALL {
        assert_eq!(NameScript::parse(script.as_str()), Some(script));
    }
    assert_eq!(NameScript::Han.as_str(), "han");
    assert_eq!(NameScript::Latin.as_str(), "latin");
    assert_eq!(NameScript::parse("Han"), None);
}

// ---------------------------------------------------------------- errors, one test per code

#[test]
fn name_empty() {
    for input in ["", " ", "\u{3000}\t\n", "\u{200B}\u{FEFF} "] {
        assert_eq!(summary(&err(input)), [(Code::NameEmpty, None)], "{input:?}");
    }
}

#[test]
fn name_too_long() {
    let name: String = "王".repeat(50);
    ok(&name);
    let name: String = "王".repeat(51);
    let issues = err(&name);
    assert_eq!(summary(&issues), [(Code::NameTooLong, None)]);
    assert_eq!(issues[0].int_param("max"), Some(50));
    // Configurable upwards.
    ok_with(&name, &NameOptions::new().with_max_chars(60));
    // Counted after normalisation: collapsed spaces do not count.
    let latin = format!("{}     B", "A".repeat(48));
    assert_eq!(ok(&latin).0.chars, 50);
    // Reported with the other issues.
    let name = format!("{}1", "王".repeat(50));
    assert_eq!(
        summary(&err(&name)),
        [
            (Code::NameInvalidCharacter, Some(51)),
            (Code::NameTooLong, None)
        ]
    );
}

#[test]
fn oversized_input_is_rejected_unread() {
    let huge = "王".repeat(100_000);
    let issues = err(&huge);
    assert_eq!(summary(&issues), [(Code::NameTooLong, None)]);
    let huge = "\u{1F600}".repeat(100_000);
    assert_eq!(summary(&err(&huge)), [(Code::NameTooLong, None)]);
    // Whitespace padding within the bound is trimmed, not counted.
    let padded = format!("{}王{}", " ".repeat(300), " ".repeat(300));
    assert_eq!(ok(&padded).0.normalized, "王");
}

#[test]
fn name_invalid_character() {
    assert_eq!(
        summary(&err("张三1")),
        [(Code::NameInvalidCharacter, Some(3))]
    );
    assert_eq!(
        summary(&err("张😀三")),
        [(Code::NameInvalidCharacter, Some(2))]
    );
    // A space inside a Han name.
    assert_eq!(
        summary(&err("张 三")),
        [(Code::NameInvalidCharacter, Some(2))]
    );
    // Digits and punctuation in a Latin name.
    assert_eq!(
        summary(&err("Chan Tai Man 2")),
        [(Code::NameInvalidCharacter, Some(14))]
    );
    assert_eq!(
        summary(&err("Chan!")),
        [(Code::NameInvalidCharacter, Some(5))]
    );
    // Other scripts, ×, and characters outside the Han set.
    assert_eq!(
        summary(&err("Ivan Иванов")),
        [
            (Code::NameInvalidCharacter, Some(6)),
            (Code::NameInvalidCharacter, Some(7)),
            (Code::NameInvalidCharacter, Some(8)),
            (Code::NameInvalidCharacter, Some(9)),
            (Code::NameInvalidCharacter, Some(10)),
            (Code::NameInvalidCharacter, Some(11)),
        ]
    );
    assert_eq!(
        summary(&err("A×B")),
        [(Code::NameInvalidCharacter, Some(2))]
    );
    // The Han zero 〇 is accepted (with a warning); the letter O and the digit 0 are not.
    assert_eq!(summary(&err("王O")), [(Code::NameMixedScript, Some(2))]);
    assert_eq!(
        summary(&err("王0")),
        [(Code::NameInvalidCharacter, Some(2))]
    );
    // A canonical-duplicate compatibility ideograph (U+F900) is not a name character.
    assert_eq!(
        summary(&err("王\u{F900}")),
        [(Code::NameInvalidCharacter, Some(2))]
    );
    // Only digits: no script, every character reported.
    assert_eq!(
        summary(&err("12")),
        [
            (Code::NameInvalidCharacter, Some(1)),
            (Code::NameInvalidCharacter, Some(2))
        ]
    );
    // A combining mark with no letter under it, or too many on one letter.
    assert_eq!(
        summary(&err("Jos \u{0301}")),
        [(Code::NameInvalidCharacter, Some(5))]
    );
    assert_eq!(
        summary(&err("a\u{0301}\u{0302}\u{0303}\u{0304}")),
        [(Code::NameInvalidCharacter, Some(5))]
    );
    assert_eq!(
        summary(&err("张\u{0301}")),
        [(Code::NameInvalidCharacter, Some(2))]
    );
    // Only apostrophes: no letter.
    assert_eq!(
        summary(&err_with(
            "'",
            &NameOptions::new().with_script(NameScript::Latin)
        )),
        [(Code::NameInvalidCharacter, Some(1))]
    );
}

#[test]
fn positions_count_from_the_original_input() {
    // Two leading spaces are trimmed, but the position is in the original input.
    assert_eq!(
        summary(&err("  张三1 ")),
        [(Code::NameInvalidCharacter, Some(5))]
    );
    // Positions count characters, not bytes or UTF-16 units.
    assert_eq!(
        summary(&err("𠀀𠀀1")),
        [(Code::NameInvalidCharacter, Some(3))]
    );
    assert_eq!(
        err("𠀀𠀀1")[0].message(Locale::En),
        "Character 3 of the name cannot be used in a name"
    );
}

#[test]
fn name_invisible_character() {
    for (input, position) in [
        ("张\u{200B}三", 2),
        ("张\u{200C}三", 2),
        ("张\u{200D}三", 2),
        ("张\u{2060}三", 2),
        ("张\u{FEFF}三", 2),
        ("张\u{00AD}三", 2),
        ("张\u{180E}三", 2),
        ("张\u{0000}三", 2),
        ("张三\u{E0101}", 3),
        ("张\u{FE0F}三", 2),
        ("Chan\u{200B}Tai", 5),
        ("\u{2062}张三", 1),
    ] {
        assert_eq!(
            summary(&err(input)),
            [(Code::NameInvisibleCharacter, Some(position))],
            "{input:?}"
        );
    }
}

#[test]
fn name_bidi_control() {
    for c in [
        '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}',
        '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
    ] {
        let input = format!("张{c}三");
        assert_eq!(
            summary(&err(&input)),
            [(Code::NameBidiControl, Some(2))],
            "{:X}",
            u32::from(c)
        );
        // Not trimmed at the ends either.
        let input = format!("{c}Chan");
        assert_eq!(summary(&err(&input)), [(Code::NameBidiControl, Some(1))]);
    }
}

#[test]
fn name_private_use() {
    for c in [
        '\u{E000}',
        '\u{E864}',
        '\u{F8FF}',
        '\u{F0000}',
        '\u{10FFFD}',
    ] {
        let input = format!("刘{c}");
        assert_eq!(
            summary(&err(&input)),
            [(Code::NamePrivateUse, Some(2))],
            "{:X}",
            u32::from(c)
        );
    }
}

#[test]
fn name_private_use_mapped() {
    let (value, warnings) = ok("刘\u{E863}");
    assert_eq!(value.normalized, "刘䶮");
    assert_eq!(value.script, NameScript::Han);
    assert_eq!(warnings, [Code::NamePrivateUseMapped]);
}

#[test]
fn name_separator_misplaced() {
    assert_eq!(
        summary(&err("·古丽米热")),
        [(Code::NameSeparatorMisplaced, Some(1))]
    );
    assert_eq!(
        summary(&err("古丽米热·")),
        [(Code::NameSeparatorMisplaced, Some(5))]
    );
    assert_eq!(
        summary(&err("古丽米热··艾比布力")),
        [(Code::NameSeparatorMisplaced, Some(6))]
    );
    // A look-alike is normalised and then checked like the separator.
    assert_eq!(
        summary(&err("古丽米热.・艾比布力")),
        [(Code::NameSeparatorMisplaced, Some(6))]
    );
    // Alone: first and last, reported once.
    assert_eq!(
        summary(&err("·")),
        [(Code::NameSeparatorMisplaced, Some(1))]
    );
    // Every misplaced one.
    assert_eq!(
        summary(&err("·张··三·")),
        [
            (Code::NameSeparatorMisplaced, Some(1)),
            (Code::NameSeparatorMisplaced, Some(4)),
            (Code::NameSeparatorMisplaced, Some(6)),
        ]
    );
    let issues = err("张三·");
    assert_eq!(issues[0].param("separator"), Some(&ParamValue::Char('·')));
}

#[test]
fn latin_punctuation_placement() {
    for (input, position, mark) in [
        ("-Chan", 1, '-'),
        ("Chan-", 5, '-'),
        ("Jean--Luc", 6, '-'),
        ("Jean- -Luc", 7, '-'),
        (", Chan", 1, ','),
        ("Chan,", 5, ','),
        ("CHAN,, Tai Man", 6, ','),
        ("CHAN-, Tai", 6, ','),
        (".Chan", 1, '.'),
        ("J.. Tolkien", 3, '.'),
        ("O''Brien", 3, '\''),
        ("Col··lell", 5, '·'),
        ("Col·", 4, '·'),
    ] {
        let issues = err(input);
        assert_eq!(
            summary(&issues),
            [(Code::NameSeparatorMisplaced, Some(position))],
            "{input:?}"
        );
        assert_eq!(issues[0].param("separator"), Some(&ParamValue::Char(mark)));
    }
}

#[test]
fn name_mixed_script() {
    let issues = err("张San");
    assert_eq!(summary(&issues), [(Code::NameMixedScript, Some(2))]);
    // Full-width letters are Latin too.
    assert_eq!(
        summary(&err("张Ｓａｎ")),
        [(Code::NameMixedScript, Some(2))]
    );
    // Spaces and Latin punctuation are part of the mixed-script issue, not reported one by one;
    // characters wrong in both scripts still are.
    assert_eq!(
        summary(&err("San-张 1")),
        [
            (Code::NameMixedScript, Some(1)),
            (Code::NameInvalidCharacter, Some(7))
        ]
    );
}

#[test]
fn forced_script() {
    let han = NameOptions::new().with_script(NameScript::Han);
    let latin = NameOptions::new().with_script(NameScript::Latin);
    assert_eq!(ok_with("王", &han).0.script, NameScript::Han);
    assert_eq!(ok_with("Chan", &latin).0.script, NameScript::Latin);
    // The other script's characters are invalid, each at its position (no mixed-script issue).
    assert_eq!(
        summary(&err_with("张San", &han)),
        [
            (Code::NameInvalidCharacter, Some(2)),
            (Code::NameInvalidCharacter, Some(3)),
            (Code::NameInvalidCharacter, Some(4)),
        ]
    );
    assert_eq!(
        summary(&err_with("Chan 大文", &latin)),
        [
            (Code::NameInvalidCharacter, Some(6)),
            (Code::NameInvalidCharacter, Some(7)),
        ]
    );
    assert_eq!(
        summary(&err_with("Al", &han)),
        [
            (Code::NameInvalidCharacter, Some(1)),
            (Code::NameInvalidCharacter, Some(2)),
        ]
    );
    // U+E863 is a Han character once mapped: not a Latin one.
    assert_eq!(
        summary(&err_with("\u{E863}", &latin)),
        [(Code::NameInvalidCharacter, Some(1))]
    );
}

#[test]
fn every_independent_issue_is_reported() {
    let issues = err("\u{202E}张\u{200B}1\u{E000}·");
    assert_eq!(
        summary(&issues),
        [
            (Code::NameBidiControl, Some(1)),
            (Code::NameInvisibleCharacter, Some(3)),
            (Code::NameInvalidCharacter, Some(4)),
            (Code::NamePrivateUse, Some(5)),
            (Code::NameSeparatorMisplaced, Some(6)),
        ]
    );
    // Messages render with the position and never with the input.
    for issue in &issues {
        for locale in Locale::ALL {
            let message = issue.message(locale);
            assert!(!message.contains('张'), "{message}");
        }
    }
}

// ---------------------------------------------------------------- warnings

#[test]
fn name_whitespace_trimmed() {
    let (value, warnings) = ok(" \u{3000}王\u{200B}\t");
    assert_eq!(value.normalized, "王");
    assert_eq!(warnings, [Code::NameWhitespaceTrimmed]);
    assert!(ok("王").1.is_empty());
}

#[test]
fn name_separator_normalized() {
    for dot in [
        '\u{30FB}',
        '\u{FF65}',
        '\u{2022}',
        '\u{2027}',
        '\u{2219}',
        '\u{22C5}',
        '\u{0387}',
        '\u{FF0E}',
        '.',
        '\u{16EB}',
        '\u{2E31}',
        '\u{10101}',
        '\u{A78F}',
        '\u{2024}',
        '\u{FE52}',
        '\u{318D}',
    ] {
        let input = format!("古丽米热{dot}艾比布力");
        let (value, warnings) = ok(&input);
        assert_eq!(
            value.normalized,
            "古丽米热·艾比布力",
            "{:X}",
            u32::from(dot)
        );
        assert_eq!(warnings, [Code::NameSeparatorNormalized]);
    }
    // In a Latin name the full stop stays; other look-alikes become U+00B7.
    assert_eq!(ok("J. Tolkien").0.normalized, "J. Tolkien");
    assert!(ok("J. Tolkien").1.is_empty());
    let (value, warnings) = ok("Col・lell");
    assert_eq!(value.normalized, "Col·lell");
    assert_eq!(warnings, [Code::NameSeparatorNormalized]);
    for dot in ['\u{A78F}', '\u{2024}', '\u{FE52}', '\u{318D}'] {
        let (value, warnings) = ok(&format!("Col{dot}lell"));
        assert_eq!(value.normalized, "Col·lell", "{:X}", u32::from(dot));
        assert_eq!(warnings, [Code::NameSeparatorNormalized]);
    }
    // Already U+00B7: no warning.
    assert!(ok("古丽米热·艾比布力").1.is_empty());
}

#[test]
fn name_fullwidth_folded() {
    let (value, warnings) = ok("ＣＨＡＮ，\u{3000}Ｔａｉ　Ｍａｎ");
    assert_eq!(value.normalized, "CHAN, Tai Man");
    assert_eq!(value.script, NameScript::Latin);
    assert_eq!(warnings, [Code::NameFullwidthFolded]);
    let (value, warnings) = ok("Ｏ＇Ｂｒｉｅｎ－Ｓｍｉｔｈ");
    assert_eq!(value.normalized, "O'Brien-Smith");
    assert_eq!(warnings, [Code::NameFullwidthFolded]);
    // The full-width full stop is folded to a full stop in a Latin name.
    let (value, warnings) = ok("J． Tolkien");
    assert_eq!(value.normalized, "J. Tolkien");
    assert_eq!(warnings, [Code::NameFullwidthFolded]);
}

#[test]
fn name_spaces_collapsed() {
    let (value, warnings) = ok("Chan   Tai  Man");
    assert_eq!(value.normalized, "Chan Tai Man");
    assert_eq!(value.chars, 12);
    assert_eq!(warnings, [Code::NameSpacesCollapsed]);
    // Other space characters become U+0020.
    let (value, warnings) = ok("Chan\u{00A0}Tai\tMan");
    assert_eq!(value.normalized, "Chan Tai Man");
    assert_eq!(warnings, [Code::NameSpacesCollapsed]);
}

#[test]
fn warnings_come_in_a_stable_order() {
    let (value, warnings) = ok(" 古丽米热・\u{E863} ");
    assert_eq!(value.normalized, "古丽米热·䶮");
    assert_eq!(
        warnings,
        [
            Code::NameWhitespaceTrimmed,
            Code::NameSeparatorNormalized,
            Code::NamePrivateUseMapped
        ]
    );
    let (_, warnings) = ok(" Ｃｈａｎ  Tai ");
    assert_eq!(
        warnings,
        [
            Code::NameWhitespaceTrimmed,
            Code::NameFullwidthFolded,
            Code::NameSpacesCollapsed
        ]
    );
}

#[test]
fn every_name_code_is_covered() {
    // The codes the tests above produce; this fails when a name code is added without a test.
    let name_codes: Vec<Code> = Code::ALL
        .iter()
        .copied()
        .filter(|c| c.as_str().starts_with("name_"))
        // A cross-field rule of the registration form, tested in tests/registration.rs.
        .filter(|c| *c != Code::NameScriptMismatch)
        .collect();
    assert_eq!(
        name_codes,
        [
            Code::NameEmpty,
            Code::NameTooLong,
            Code::NameInvalidCharacter,
            Code::NameInvisibleCharacter,
            Code::NameBidiControl,
            Code::NamePrivateUse,
            Code::NameSeparatorMisplaced,
            Code::NameMixedScript,
            Code::NameWhitespaceTrimmed,
            Code::NameSeparatorNormalized,
            Code::NamePrivateUseMapped,
            Code::NameFullwidthFolded,
            Code::NameSpacesCollapsed,
            Code::NameHanZero,
        ]
    );
}

#[test]
fn name_han_zero() {
    // 〇 U+3007 is in 通用规范汉字表 (2013): a real name may hold it.
    for name in ["王〇", "〇", "李〇明", "阿〇·买买提"] {
        let (value, warnings) = ok(name);
        assert_eq!(value.normalized, name);
        assert_eq!(value.script, NameScript::Han);
        assert_eq!(warnings, [Code::NameHanZero], "{name}");
    }
    let (_, warnings) = ok(" 王〇・明");
    assert_eq!(
        warnings,
        [
            Code::NameWhitespaceTrimmed,
            Code::NameSeparatorNormalized,
            Code::NameHanZero
        ]
    );
    let issue = Issue::new(Code::NameHanZero);
    assert_eq!(
        issue.message(Locale::ZhCn),
        "姓名中含有汉字“〇”（零），请确认不是字母 O 或数字 0"
    );
    // Not in a name forced to Latin letters.
    assert_eq!(
        summary(&err_with(
            "O〇",
            &NameOptions::new().with_script(NameScript::Latin)
        )),
        [(Code::NameInvalidCharacter, Some(2))]
    );
}

/// The blocks of CJK Unified Ideographs in **Unicode 17.0.0**, written out from
/// <https://www.unicode.org/Public/17.0.0/ucd/Blocks.txt> (Extension J:
/// <https://www.unicode.org/charts/PDF/U323B0.pdf>, block U+323B0–3347F, assigned U+323B0–33479).
/// When the crate moves to a newer Unicode version, this list moves with it.
const UNICODE_17_HAN_BLOCKS: [(&str, u32, u32); 11] = [
    ("CJK Unified Ideographs Extension A", 0x3400, 0x4DBF),
    ("CJK Unified Ideographs", 0x4E00, 0x9FFF),
    ("CJK Unified Ideographs Extension B", 0x20000, 0x2A6DF),
    ("CJK Unified Ideographs Extension C", 0x2A700, 0x2B73F),
    ("CJK Unified Ideographs Extension D", 0x2B740, 0x2B81F),
    ("CJK Unified Ideographs Extension E", 0x2B820, 0x2CEAF),
    ("CJK Unified Ideographs Extension F", 0x2CEB0, 0x2EBEF),
    ("CJK Unified Ideographs Extension I", 0x2EBF0, 0x2EE5F),
    ("CJK Unified Ideographs Extension G", 0x30000, 0x3134F),
    ("CJK Unified Ideographs Extension H", 0x31350, 0x323AF),
    ("CJK Unified Ideographs Extension J", 0x323B0, 0x3347F),
];

#[test]
fn han_blocks_follow_unicode_17() {
    let in_a_block = |u: u32| {
        UNICODE_17_HAN_BLOCKS
            .iter()
            .any(|&(_, first, last)| (first..=last).contains(&u))
    };
    let accepted = |u: u32| {
        let c = char::from_u32(u).unwrap();
        is_valid_name(&format!("王{c}"), &options())
    };
    for (block, first, last) in UNICODE_17_HAN_BLOCKS {
        for u in [first, first + 1, last - 1, last] {
            assert!(accepted(u), "{block}: U+{u:X} is refused");
        }
        // Just outside the block: refused, unless it starts or ends the next block.
        for u in [first - 1, last + 1] {
            if !in_a_block(u) {
                assert!(!accepted(u), "{block}: U+{u:X}, outside it, is accepted");
            }
        }
    }
    // Between Extensions B and C, and after Extension J.
    for u in [0x2A6E0, 0x2A6FF, 0x2EE60, 0x33480, 0x3FFFD] {
        assert!(!accepted(u), "U+{u:X}");
    }
}

// ---------------------------------------------------------------- properties

/// A character from the allowed Han set, weighted towards the common blocks.
fn han_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => 0x4E00u32..=0x9FFF,
        2 => 0x3400u32..=0x4DBF,
        1 => 0x20000u32..=0x2A6DF,
        1 => 0x2A700u32..=0x2EE5F,
        1 => 0x30000u32..=0x3347F,
        1 => proptest::sample::select(vec![
            0xFA0Eu32, 0xFA0F, 0xFA11, 0xFA13, 0xFA14, 0xFA1F, 0xFA21, 0xFA23, 0xFA24, 0xFA27,
            0xFA28, 0xFA29, 0xE863,
        ]),
    ]
    .prop_map(|u| char::from_u32(u).unwrap())
}

prop_compose! {
    /// 1–10 Han characters, with at most one separator (or look-alike dot) strictly inside.
    fn han_name()(
        chars in proptest::collection::vec(han_char(), 1..=10),
        split in any::<prop::sample::Index>(),
        dot in proptest::sample::select(vec!['·', '・', '.', '•', '．', '‧']),
        with_dot in any::<bool>(),
    ) -> String {
        let mut name: String = chars.iter().collect();
        if with_dot && chars.len() >= 2 {
            let at = 1 + split.index(chars.len() - 1);
            let mut with: String = chars[..at].iter().collect();
            with.push(dot);
            with.extend(&chars[at..]);
            name = with;
        }
        name
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_unicode_never_panics_and_paths_agree(input in "\\PC{0,60}") {
        let full = check_name(&input, &options());
        prop_assert_eq!(is_valid_name(&input, &options()), full.is_ok());
        if let Err(issues) = &full {
            prop_assert!(!issues.is_empty());
        }
        for script in NameScript::ALL {
            let forced = options().with_script(script);
            prop_assert_eq!(is_valid_name(&input, &forced), check_name(&input, &forced).is_ok());
        }
    }

    #[test]
    fn any_chars_never_panic(chars in proptest::collection::vec(any::<char>(), 0..80)) {
        let input: String = chars.into_iter().collect();
        for opts in [options(), options().with_script(NameScript::Latin), options().with_max_chars(0)] {
            let full = check_name(&input, &opts);
            prop_assert_eq!(is_valid_name(&input, &opts), full.is_ok());
            if let Ok(checked) = full {
                prop_assert_eq!(checked.value.chars, checked.value.normalized.chars().count());
                prop_assert!(checked.value.chars <= opts.max_chars.max(MIN_MAX_CHARS));
            }
        }
    }

    #[test]
    fn generated_han_names_pass(name in han_name()) {
        let checked = check_name(&name, &options());
        prop_assert!(checked.is_ok(), "{:?}: {:?}", name, checked.err());
        let checked = checked.unwrap();
        prop_assert_eq!(checked.value.script, NameScript::Han);
        prop_assert_eq!(checked.value.chars, name.chars().count());
        let normalized = &checked.value.normalized;
        prop_assert!(!normalized.contains(['.', '\u{E863}']), "{:?}", normalized);
        prop_assert!(is_valid_name(&name, &options().with_script(NameScript::Han)));
    }

    #[test]
    fn positions_point_at_the_offending_character(
        name in han_name(),
        at in any::<prop::sample::Index>(),
        bad in proptest::sample::select(vec!['1', '😀', '\u{200B}', '\u{202E}', '\u{E000}', 'é']),
    ) {
        let mut chars: Vec<char> = name.chars().collect();
        let at = at.index(chars.len() + 1);
        chars.insert(at, bad);
        let input: String = chars.iter().collect();
        // U+200B at an end is trimmed instead.
        if bad == '\u{200B}' && (at == 0 || at == chars.len() - 1) {
            prop_assert!(is_valid_name(&input, &options()));
            return Ok(());
        }
        let issues = check_name(&input, &options()).unwrap_err();
        let expected = i64::try_from(at + 1).unwrap();
        prop_assert!(
            issues.iter().any(|i| i.int_param("position") == Some(expected)),
            "{:?}: {:?}", input, issues
        );
    }
}

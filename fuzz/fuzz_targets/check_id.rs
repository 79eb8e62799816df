//! Fuzz target for the ID parser (and the phone and name parsers on the same input): no input may panic (a panic in wasm traps the module),
//! the batch must count lines exactly, and the fast paths (the batch, is_valid_id, the quick resident path) must
//! agree with the full check.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shiming::{
    check_id, check_id_batch, check_name, check_phone, is_valid_id, BatchChecker, BatchReport,
    Date, IdKind, IdOptions, KindSet, NameOptions, NameScript, PhoneOptions,
};

/// Lines as the batch defines them: split on '\n' (a '\r' before it belongs to the separator), and
/// a final trailing newline does not add a line. Empty input has no lines.
fn line_count(bytes: &[u8]) -> usize {
    let newlines = bytes.iter().filter(|&&b| b == b'\n').count();
    match bytes.last() {
        None => 0,
        Some(b'\n') => newlines,
        Some(_) => newlines + 1,
    }
}

fuzz_target!(|bytes: &[u8]| {
    let Some(as_of) = Date::new(2026, 11, 28) else {
        return;
    };
    // The allowed kinds come from the input's first and last bytes (0 = the default), so the
    // fast paths' "no other kind can fit" shortcuts are fuzzed under every kind set.
    let bits = (u32::from(bytes.first().copied().unwrap_or(0)) << 8
        | u32::from(bytes.last().copied().unwrap_or(0)))
        & ((1 << IdKind::ALL.len()) - 1);
    let options = if bits == 0 {
        IdOptions::new(as_of)
    } else {
        let kinds: KindSet = IdKind::ALL
            .iter()
            .copied()
            .filter(|k| bits & (1 << *k as u32) != 0)
            .collect();
        IdOptions::new(as_of).with_kinds(kinds)
    };

    // (a) the batch never panics and counts every line.
    let report = check_id_batch(bytes, &options);
    let lines = line_count(bytes);
    assert_eq!(report.total as usize, lines, "batch total != line count");
    assert_eq!(report.status.len(), lines, "status length != line count");
    assert_eq!(
        report.valid + report.invalid,
        report.total,
        "valid + invalid != total"
    );
    let valid_in_status = report.status.iter().filter(|&&s| s == 0).count();
    assert_eq!(
        valid_in_status, report.valid as usize,
        "status zeros != valid"
    );

    // (b) the full check never panics, and the fast path agrees with it.
    let s = String::from_utf8_lossy(bytes);
    // The phone parser shares the input (it must not panic either, and a valid result is E.164).
    if let Ok(phone) = check_phone(&s, &PhoneOptions::default()) {
        assert!(phone.value.e164.starts_with('+'), "e164 without +");
    }
    // So does the name parser, in each script mode; a valid name is within its length bound.
    for options in [
        NameOptions::new(),
        NameOptions::new().with_script(NameScript::Han),
        NameOptions::new().with_script(NameScript::Latin),
    ] {
        if let Ok(name) = check_name(&s, &options) {
            assert!(name.value.chars <= options.max_chars, "name longer than max_chars");
        }
    }
    let checked = check_id(&s, &options);
    assert_eq!(
        is_valid_id(&s, &options),
        checked.is_ok(),
        "is_valid_id != check_id(..).is_ok()"
    );

    // (b2) the quick path for resident IDs gives check_id's value, field for field, no warning.
    if let Some(quick) = shiming::id::check_resident_quick(bytes, &options) {
        let Ok(full) = &checked else {
            panic!("check_resident_quick accepts what check_id refuses");
        };
        assert!(full.warnings.is_empty(), "quick path on a number check_id warns about");
        let v = &full.value;
        assert_eq!(v.kind, IdKind::CnResident, "quick path kind");
        assert_eq!(v.normalized.as_bytes(), bytes, "quick path normalised form");
        assert_eq!(v.birth_date, Some(quick.birth_date), "quick path birth date");
        assert_eq!(v.gender, Some(quick.gender), "quick path gender");
        let region = v.region.as_ref().map(|r| r.code.parse::<u32>().ok());
        assert_eq!(region, Some(Some(quick.region)), "quick path region");
        assert!(v.upgraded.is_none() && v.nationality.is_none(), "quick path extras");
    }

    // (c) a single line: the batch agrees with the full check.
    if !bytes.is_empty()
        && !bytes.contains(&b'\n')
        && !bytes.contains(&b'\r')
        && std::str::from_utf8(bytes).is_ok()
    {
        let first_issue = checked.as_ref().err().and_then(|issues| issues.first()).map(|i| i.code);
        let status_code = report.status.first().and_then(|&s| BatchReport::code_of_status(s));
        assert_eq!(status_code, first_issue, "batch status[0] != check_id's first issue");
    }

    // (d) fed in pieces (cut points taken from the input itself), the batch gives the same report.
    let step = usize::from(bytes.first().copied().unwrap_or(1)).max(1);
    let mut checker = BatchChecker::new(&options);
    let mut buffer = Vec::new();
    for piece in bytes.chunks(step) {
        buffer.extend_from_slice(piece);
        let consumed = checker.feed(&buffer);
        buffer.drain(..consumed);
    }
    assert_eq!(checker.finish(&buffer), report, "pieces != one piece");
});

//! Fuzz target for the whole-form check on arbitrary JSON (and, for bytes that are not JSON, on a
//! form cut out of them): no input may panic (a panic in wasm traps the module), every issue sits
//! at a field's path, and checking one field at a time reports exactly the whole check's issues.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use shiming::registration::{check_registration, not_an_object, Field, FieldSet, FormField};
use shiming::{
    AgeRule, Date, Holder, IdKind, Issue, KindSet, Locale, PathSegment, RegistrationForm,
    RegistrationOptions,
};

fn field(value: Option<&Value>) -> Field<'_> {
    match value {
        None | Some(Value::Null) => Field::Missing,
        Some(Value::String(text)) => Field::Text(text),
        Some(_) => Field::WrongType,
    }
}

fn issues_of(form: &RegistrationForm<'_>, options: &RegistrationOptions) -> Vec<Issue> {
    match check_registration(form, options) {
        Ok(checked) => {
            assert!(
                checked.warnings.iter().all(|w| !w.path.is_empty()),
                "warning without a path"
            );
            // No account without an age: a whole-form ok for a person has its age band.
            if options.fields == FieldSet::all() {
                let derived = checked.value.derived.as_ref().expect("ok without derived values");
                let person = derived.kind.holder() != Holder::Organisation;
                assert_eq!(person, derived.age_band.is_some(), "a person without an age band");
                assert!(checked.value.identity_key.is_some(), "ok without an identity key");
            }
            Vec::new()
        }
        Err(rejected) => {
            assert!(!rejected.issues.is_empty(), "rejected without issues");
            rejected.issues
        }
    }
}

fn check(form: &RegistrationForm<'_>, options: &RegistrationOptions) {
    let whole = issues_of(form, options);
    for issue in &whole {
        match issue.path.first() {
            Some(PathSegment::Key(key)) => {
                assert!(FormField::parse(key).is_some(), "unknown path {key}")
            }
            _ => panic!("an issue without a field path"),
        }
        for locale in Locale::ALL {
            assert!(!issue.message(locale).is_empty());
        }
    }
    // Field by field, the same issues.
    let mut union = Vec::new();
    for f in FormField::ALL {
        let mut one = options.clone();
        one.fields = FieldSet::empty().with(f);
        let part = issues_of(form, &one);
        assert!(part
            .iter()
            .all(|i| i.path.first() == Some(&PathSegment::Key(f.as_str()))));
        union.extend(part);
    }
    let key = |i: &Issue| format!("{i:?}");
    let mut whole = whole;
    whole.sort_by_key(key);
    union.sort_by_key(key);
    assert_eq!(whole, union, "per-field checks != whole check");
}

fuzz_target!(|bytes: &[u8]| {
    let Some(as_of) = Date::new(2026, 11, 28) else {
        return;
    };
    let mut options = RegistrationOptions::new(as_of);
    // Every personal kind (documents without a birth date: the declared one decides), or
    // organisations too, or the defaults.
    match bytes.first().map(|b| b & 6) {
        Some(2) => options.kinds = KindSet::personal(),
        Some(4) => options.kinds = KindSet::all(),
        Some(6) => options.kinds = KindSet::empty().with(IdKind::Uscc),
        _ => {}
    }
    if bytes.last().is_some_and(|b| b & 1 == 1) {
        options.age_rule = AgeRule::OnBirthday;
        options.password.min_classes = 4;
        options.username.required = true;
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => {
            let mut form = RegistrationForm::default();
            for f in FormField::ALL {
                form.set(f, field(map.get(f.as_str())));
            }
            check(&form, &options);
        }
        Ok(_) => assert!(!not_an_object().issues.is_empty()),
        Err(_) => {
            // Not JSON: seven fields separated by 0x01; a field starting 0x02 is of a wrong type.
            let text = String::from_utf8_lossy(bytes);
            let mut form = RegistrationForm::default();
            for (f, part) in FormField::ALL.into_iter().zip(text.split('\u{1}')) {
                form.set(
                    f,
                    if part.starts_with('\u{2}') {
                        Field::WrongType
                    } else {
                        Field::Text(part)
                    },
                );
            }
            check(&form, &options);
        }
    }
});

//! The whole registration form: every field's problems at once, paths, cross-field rules, derived
//! values, per-field checks, and properties (no input panics; a per-field check reports exactly
//! that field's share of the whole check).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use shiming::age::{age_on, AgeRule};
use shiming::registration::{check_registration, Field, FieldSet, FormField};
use shiming::{
    generate_test_id, Code, Date, Gender, IdKind, Issue, KindSet, Locale, ParamValue, PathSegment,
    RegistrationForm, RegistrationOptions, TestIdSpec,
};

const ID: &str = "11010519491231002X"; // female, born 1949-12-31
const PHONE: &str = "13812345678";

fn as_of() -> Date {
    Date::new(2026, 11, 28).unwrap()
}

fn options() -> RegistrationOptions {
    RegistrationOptions::new(as_of())
}

fn form<'a>(name: &'a str, id: &'a str, phone: &'a str) -> RegistrationForm<'a> {
    RegistrationForm {
        name: Field::Text(name),
        id_number: Field::Text(id),
        phone: Field::Text(phone),
        ..RegistrationForm::default()
    }
}

/// `(path key, code)` of each issue.
fn summary(issues: &[Issue]) -> Vec<(&'static str, &'static str)> {
    issues
        .iter()
        .map(|i| match i.path.first() {
            Some(PathSegment::Key(k)) => (*k, i.code.as_str()),
            _ => ("", i.code.as_str()),
        })
        .collect()
}

fn issues_of(
    form: &RegistrationForm<'_>,
    options: &RegistrationOptions,
) -> Vec<(&'static str, &'static str)> {
    match check_registration(form, options) {
        Ok(checked) => panic!("accepted: {checked:?}"),
        Err(rejected) => summary(&rejected.issues),
    }
}

fn test_id(kind: IdKind, birth: Date, seed: u64) -> String {
    generate_test_id(&TestIdSpec {
        kind,
        birth_date: Some(birth),
        gender: Some(Gender::Male),
        region: None,
        seed,
    })
    .unwrap()
}

#[test]
fn a_valid_form_with_derived_values() {
    let mut f = form(" 张三", ID, "+86 138 1234 5678");
    f.password = Field::Text("correct horse 7");
    f.username = Field::Text("zhangsan");
    let checked = check_registration(&f, &options()).unwrap();
    let value = checked.value;
    assert_eq!(value.name.as_deref(), Some("张三"));
    assert_eq!(value.id_kind, Some(IdKind::CnResident));
    assert_eq!(value.id.unwrap().normalized, ID);
    assert_eq!(value.phone.unwrap().e164, "+8613812345678");
    assert_eq!(value.username.as_deref(), Some("zhangsan"));
    let derived = value.derived.unwrap();
    assert_eq!(derived.birth_date, Date::new(1949, 12, 31));
    assert_eq!(derived.gender, Some(Gender::Female));
    assert_eq!(derived.age, Some(76));
    assert_eq!(derived.is_minor, Some(false));
    assert_eq!(derived.region.unwrap().code, "110105");
    // Warnings keep their field's path.
    assert_eq!(
        summary(&checked.warnings),
        [
            ("name", "name_whitespace_trimmed"),
            ("phone", "phone_separators_removed")
        ]
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut f = form("张\u{200B}三", "110105194912310021", "1381234567");
    f.password = Field::Text("short");
    f.username = Field::Text("a b");
    let issues = issues_of(&f, &options());
    assert_eq!(
        issues,
        [
            ("idNumber", "id_checksum_mismatch"),
            ("name", "name_invisible_character"),
            ("phone", "phone_invalid_length"),
            ("password", "password_too_short"),
            ("password", "password_too_few_classes"),
            ("username", "username_invalid_character"),
        ]
    );
}

#[test]
fn absent_and_wrong_typed_fields() {
    let empty = RegistrationForm::default();
    assert_eq!(
        issues_of(&empty, &options()),
        [
            ("idNumber", "id_empty"),
            ("name", "name_empty"),
            ("phone", "phone_empty")
        ]
    );
    let wrong = RegistrationForm {
        name: Field::WrongType,
        id_kind: Field::WrongType,
        id_number: Field::WrongType,
        phone: Field::WrongType,
        password: Field::WrongType,
        username: Field::WrongType,
        birth_date: Field::WrongType,
    };
    let issues = check_registration(&wrong, &options()).unwrap_err().issues;
    assert_eq!(issues.len(), 7);
    for (issue, field) in issues.iter().zip(FormField::ALL) {
        assert_eq!(issue.code, Code::FormFieldInvalidType);
        assert_eq!(issue.path, [PathSegment::Key(field.as_str())]);
        assert_eq!(issue.param("expected"), Some(&ParamValue::Str("string")));
    }
    // A present but empty password is checked; an absent one is not, unless required.
    let mut f = form("张三", ID, PHONE);
    f.password = Field::Text("");
    assert_eq!(issues_of(&f, &options()), [("password", "password_empty")]);
    f.password = Field::Missing;
    assert!(check_registration(&f, &options()).is_ok());
    let mut strict = options();
    strict.password.required = true;
    strict.username.required = true;
    assert_eq!(
        issues_of(&f, &strict),
        [
            ("password", "password_empty"),
            ("username", "username_empty")
        ]
    );
}

#[test]
fn name_script_must_fit_the_document() {
    // A Latin name with a mainland resident ID.
    let issues = check_registration(&form("Zhang San", ID, PHONE), &options())
        .unwrap_err()
        .issues;
    assert_eq!(summary(&issues), [("name", "name_script_mismatch")]);
    assert_eq!(
        issues[0].param("kind"),
        Some(&ParamValue::Str("cn_resident"))
    );
    assert_eq!(
        issues[0].message(Locale::ZhCn),
        "居民身份证号码对应的姓名应使用汉字"
    );
    assert_eq!(
        issues[0].message(Locale::En),
        "With a mainland resident ID number, the name must be written in Chinese characters"
    );
    // A residence permit of a Hong Kong, Macau or Taiwan resident takes Latin or Han names.
    let permit = test_id(
        IdKind::HkMacaoTaiwanResidencePermit,
        Date::new(1990, 3, 7).unwrap(),
        7,
    );
    let checked = check_registration(
        &form("CHAN, Tai Man", &permit, "+852 5123 4567"),
        &options(),
    )
    .unwrap();
    assert_eq!(
        checked.value.id_kind,
        Some(IdKind::HkMacaoTaiwanResidencePermit)
    );
    assert!(check_registration(&form("陈大文", &permit, PHONE), &options()).is_ok());
    // With an invalid number but a declared kind, the declared kind decides.
    let mut f = form("Zhang San", "123", PHONE);
    f.id_kind = Field::Text("cn_resident");
    assert_eq!(
        issues_of(&f, &options()),
        [
            ("idNumber", "id_invalid_length"),
            ("name", "name_script_mismatch")
        ]
    );
    // With neither, the name is checked on its own.
    assert_eq!(
        issues_of(&form("Zhang San", "123", PHONE), &options()),
        [("idNumber", "id_invalid_length")]
    );
}

#[test]
fn declared_kind() {
    let mut f = form("张三", ID, PHONE);
    f.id_kind = Field::Text("cn_resident");
    assert!(check_registration(&f, &options()).is_ok());
    f.id_kind = Field::Text("");
    assert!(check_registration(&f, &options()).is_ok());
    f.id_kind = Field::Text("passport?");
    assert_eq!(issues_of(&f, &options()), [("idKind", "id_kind_invalid")]);
    // The number is of another kind than declared.
    f.id_kind = Field::Text("hk_macao_taiwan_residence_permit");
    assert_eq!(
        issues_of(&f, &options()),
        [("idNumber", "id_kind_not_allowed")]
    );
    // The platform does not accept the declared kind: reported at idKind; the number is
    // still checked as that kind.
    let mut mainland_only = options();
    mainland_only.kinds = KindSet::empty().with(IdKind::CnResident);
    let permit = test_id(
        IdKind::HkMacaoTaiwanResidencePermit,
        Date::new(1990, 3, 7).unwrap(),
        3,
    );
    let mut f = form("陈大文", &permit, PHONE);
    f.id_kind = Field::Text("hk_macao_taiwan_residence_permit");
    let issues = check_registration(&f, &mainland_only).unwrap_err().issues;
    assert_eq!(summary(&issues), [("idKind", "id_kind_not_allowed")]);
    assert_eq!(
        issues[0].param("allowed"),
        Some(&ParamValue::List(vec!["cn_resident"]))
    );
    // Undeclared: the detected kind must be allowed.
    f.id_kind = Field::Missing;
    assert_eq!(
        issues_of(&f, &mainland_only),
        [("idNumber", "id_kind_not_allowed")]
    );
}

#[test]
fn organisation_names_skip_personal_name_rules() {
    let mut f = form("ABC（中国）有限公司", "91350100M000100Y43", PHONE);
    f.id_kind = Field::Text("uscc");
    // Organisations' codes are accepted only when asked for.
    assert_eq!(
        issues_of(&f, &options()),
        [("idKind", "id_kind_not_allowed")]
    );
    let mut organisations = options();
    organisations.kinds = KindSet::all();
    // The organisation's name is not a personal name: no script rule (a mixed name is fine).
    let checked = check_registration(&f, &organisations).unwrap();
    assert_eq!(checked.value.name.as_deref(), Some("ABC（中国）有限公司"));
    assert_eq!(checked.value.name_script, None);
    assert_eq!(checked.value.id_kind, Some(IdKind::Uscc));
    assert_eq!(checked.value.derived.unwrap().age, None);
    f.name = Field::Text("某某\u{202E}公司");
    let issues = check_registration(&f, &organisations).unwrap_err().issues;
    assert!(summary(&issues).contains(&("name", "name_bidi_control")));
}

#[test]
fn password_and_username_must_not_hold_personal_data() {
    let mut f = form("张三", ID, PHONE);
    for (password, data) in [
        ("Pw13812345678", "phone"),
        ("zs#345678", "phone"),
        ("abc31002x!", "id_number"),
        ("mima1949-12-31", "id_number"),
    ] {
        f.password = Field::Text(password);
        let issues = check_registration(&f, &options()).unwrap_err().issues;
        assert_eq!(
            summary(&issues),
            [("password", "password_contains_personal_data")],
            "{password}"
        );
        assert_eq!(issues[0].param("data"), Some(&ParamValue::Str(data)));
        for locale in Locale::ALL {
            let message = issues[0].message(locale);
            assert!(
                !message.contains(password) && !message.contains(PHONE) && !message.contains(ID)
            );
        }
    }
    f.password = Field::Text("Pw13812345678");
    f.username = Field::Text("zs_1949_12_31");
    assert_eq!(
        issues_of(&f, &options()),
        [
            ("password", "password_contains_personal_data"),
            ("username", "username_contains_personal_data")
        ]
    );
    // Data from a field that failed its own check is not used.
    let mut f = form("张三", ID, "1381234567");
    f.password = Field::Text("Pw1381234567");
    assert_eq!(
        issues_of(&f, &options()),
        [("phone", "phone_invalid_length")]
    );
}

#[test]
fn minors_and_the_age_rule() {
    // Born 2008-11-28: 18 on 2026-11-29 by the default rule, on 2026-11-28 on the birthday.
    let id = test_id(IdKind::CnResident, Date::new(2008, 11, 28).unwrap(), 1);
    let f = form("张三", &id, PHONE);
    let derived = check_registration(&f, &options())
        .unwrap()
        .value
        .derived
        .unwrap();
    assert_eq!((derived.age, derived.is_minor), (Some(17), Some(true)));
    let mut on_birthday = options();
    on_birthday.age_rule = AgeRule::OnBirthday;
    let derived = check_registration(&f, &on_birthday)
        .unwrap()
        .value
        .derived
        .unwrap();
    assert_eq!((derived.age, derived.is_minor), (Some(18), Some(false)));
}

#[test]
fn per_field_checks() {
    let mut f = form("Zhang San", "110105194912310021", "");
    f.password = Field::Text("x");
    let only = |fields: &[FormField]| {
        let mut o = options();
        o.fields = fields.iter().copied().collect::<FieldSet>();
        o
    };
    assert_eq!(
        issues_of(&f, &only(&[FormField::IdNumber])),
        [("idNumber", "id_checksum_mismatch")]
    );
    assert_eq!(
        issues_of(&f, &only(&[FormField::Phone])),
        [("phone", "phone_empty")]
    );
    // A field that passes: ok, with only that field's value.
    let checked = check_registration(&f, &only(&[FormField::Name])).unwrap();
    assert_eq!(checked.value.name.as_deref(), Some("Zhang San"));
    assert!(
        checked.value.id.is_none()
            && checked.value.phone.is_none()
            && checked.value.derived.is_none()
    );
    // Cross-field rules use the other fields even when only one is reported.
    let mut f = form("张三", ID, PHONE);
    f.password = Field::Text("Pw13812345678");
    assert_eq!(
        issues_of(&f, &only(&[FormField::Password])),
        [("password", "password_contains_personal_data")]
    );
}

#[test]
fn messages_render_in_both_locales() {
    let mut f = form("", "", "");
    f.password = Field::Text("");
    let issues = check_registration(&f, &options()).unwrap_err().issues;
    let zh: Vec<String> = issues.iter().map(|i| i.message(Locale::ZhCn)).collect();
    assert_eq!(
        zh,
        [
            "请输入证件号码",
            "请输入姓名",
            "请输入手机号码",
            "请输入密码"
        ]
    );
    let not_object = shiming::registration::not_an_object();
    assert_eq!(
        not_object.issues[0].message(Locale::En),
        "The form data is not valid"
    );
    assert!(not_object.issues[0].path.is_empty());
}

/// Any text of up to 40 characters from a mix that hits every path.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(ID.to_string()),
        Just(PHONE.to_string()),
        Just("张三".to_string()),
        Just("Zhang San".to_string()),
        Just("uscc".to_string()),
        Just("hk_macao_taiwan_residence_permit".to_string()),
        "[0-9Xx +\\-]{0,20}",
        "[a-zA-Z0-9张三·\u{200B}\u{202E} ]{0,30}",
        any::<String>(),
    ]
}

fn field(s: Option<String>, wrong: bool) -> Field<'static> {
    match (s, wrong) {
        (_, true) => Field::WrongType,
        (None, false) => Field::Missing,
        // Leaked: proptest cases are few and short.
        (Some(s), false) => Field::Text(Box::leak(s.into_boxed_str())),
    }
}

prop_compose! {
    fn any_form()(
        values in proptest::collection::vec(proptest::option::of(text()), 6),
        wrong in proptest::collection::vec(proptest::bool::weighted(0.1), 6),
    ) -> RegistrationForm<'static> {
        let mut f = RegistrationForm::default();
        for ((field_name, value), wrong) in FormField::ALL.into_iter().zip(values).zip(wrong) {
            f.set(field_name, field(value, wrong));
        }
        f
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, .. ProptestConfig::default() })]

    /// Never panics; every issue has a field path; each field's issues are exactly what the
    /// per-field check of that field reports (so everything is reported at once).
    #[test]
    fn reports_every_field_at_once(f in any_form()) {
        let options = options();
        let whole = check_registration(&f, &options);
        let (issues, warnings) = match &whole {
            Ok(checked) => (Vec::new(), checked.warnings.clone()),
            Err(r) => (r.issues.clone(), r.warnings.clone()),
        };
        for issue in issues.iter().chain(&warnings) {
            let Some(PathSegment::Key(key)) = issue.path.first() else { panic!("no path: {issue:?}") };
            prop_assert!(FormField::parse(key).is_some());
            for locale in Locale::ALL {
                prop_assert!(!issue.message(locale).is_empty());
            }
        }
        let mut union = Vec::new();
        for field_name in FormField::ALL {
            let mut one = options.clone();
            one.fields = FieldSet::empty().with(field_name);
            let part = match check_registration(&f, &one) {
                Ok(_) => Vec::new(),
                Err(r) => r.issues,
            };
            prop_assert!(part.iter().all(|i| i.path.first() == Some(&PathSegment::Key(field_name.as_str()))));
            union.extend(part);
        }
        let mut sorted = issues.clone();
        let key = |i: &Issue| format!("{:?}", i);
        sorted.sort_by_key(key);
        union.sort_by_key(key);
        prop_assert_eq!(sorted, union);
        // Wrong-typed fields are always reported.
        for field_name in FormField::ALL {
            if f.get(field_name) == Field::WrongType {
                prop_assert!(issues.iter().any(|i| i.code == Code::FormFieldInvalidType
                    && i.path == [PathSegment::Key(field_name.as_str())]));
            }
        }
    }

    /// Age: monotonic in the as-of date, one year per year, and the two rules differ only on
    /// the birthday itself.
    #[test]
    fn age_properties(birth_days in 0i64..40_000, later in 0i64..40_000) {
        let base = Date::new(1930, 1, 1).unwrap().days_since_epoch();
        let birth = Date::from_days_since_epoch(base + birth_days).unwrap();
        let as_of = Date::from_days_since_epoch(base + birth_days + later).unwrap();
        let next = Date::from_days_since_epoch(base + birth_days + later + 1).unwrap();
        for rule in AgeRule::ALL {
            let age = age_on(birth, as_of, rule);
            let age_next = age_on(birth, next, rule);
            prop_assert!(age_next == age || age_next == age + 1);
            // Full years: never more than the days allow.
            prop_assert!(u64::from(age) * 365 <= later as u64);
            prop_assert!(later < 366 * i64::from(age + 1));
        }
        let strict = age_on(birth, as_of, AgeRule::DayAfterBirthday);
        let lenient = age_on(birth, as_of, AgeRule::OnBirthday);
        prop_assert!(lenient == strict || lenient == strict + 1);
        if lenient != strict {
            // Only on the anniversary (28 February for a 29 February birth in a common year).
            let anniversary_day = if birth.month() == 2 && birth.day() == 29 && Date::new(as_of.year(), 2, 29).is_none() { 28 } else { birth.day() };
            prop_assert_eq!((as_of.month(), as_of.day()), (birth.month(), anniversary_day));
        }
    }
}

//! Server-side re-validation with the same rules as the browser (the README's Rust example):
//!
//!     cargo run --example revalidate
use shiming::{check_registration, Date, Field, Locale, RegistrationForm, RegistrationOptions};

fn main() {
    let form = RegistrationForm {
        name: Field::Text("张三"),
        id_number: Field::Text("11010519491231002X"),
        phone: Field::Text("13812345678"),
        ..Default::default()
    };
    // "Today" from the server's clock (Asia/Shanghai), never the client's.
    let Some(today) = Date::new(2026, 11, 29) else {
        return;
    };
    match check_registration(&form, &RegistrationOptions::new(today)) {
        Ok(checked) => {
            let derived = checked.value.derived.as_ref();
            println!("valid; minor: {:?}", derived.and_then(|d| d.is_minor));
        }
        Err(rejected) => {
            for issue in &rejected.issues {
                println!("{}: {}", issue.code.as_str(), issue.message(Locale::ZhCn));
            }
        }
    }
}

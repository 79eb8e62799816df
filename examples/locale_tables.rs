//! Writes the npm package's locale tables: `<dir>/zh-Hant.js`, `zh-HK.js`, `zh-TW.js` (and their
//! `.d.ts`), each an ES module whose default export is the locale's every message as data
//! (`MessageTable::builtin`), which the package's `messages.js` renders for the wasm modules (they
//! do not compile Traditional Chinese in); and `<dir>/names.js`, the zh-CN and English names of
//! param values, with which `messages.js` fills a platform's own templates, and the labels of
//! document kinds and age bands (`kindLabel`, `bandLabel`). `scripts/build.mjs`
//! runs it:
//!
//!     cargo run --example locale_tables -- pkg/locales
//!
//! With `--fixtures <file>` it also writes, as JSON, every Traditional message rendered here with
//! sample params, which `tests/js/locales.test.mjs` renders through the package and compares.

use shiming::i18n::MessageTable;
use shiming::issue::{Code, Issue, ParamValue};
use shiming::Locale;

/// A JSON string literal (valid JS too).
fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn module(locale: Locale) -> String {
    let table = MessageTable::builtin(locale);
    let tag = locale.as_str();
    let mut out = format!(
        "// The {tag} messages of shiming, generated from the crate's locale files (src/i18n/) by\n\
         // examples/locale_tables.rs: do not edit. Install with loadLocale('{tag}').\n\
         export default {{\n  \"locale\": {},\n  \"listSeparator\": {},\n  \"messages\": {{\n",
        quote(tag),
        quote(table.list_separator().unwrap_or(""))
    );
    let templates: Vec<String> = table
        .templates()
        .map(|(key, template)| format!("    {}: {}", quote(&key), quote(template)))
        .collect();
    out.push_str(&templates.join(",\n"));
    out.push_str("\n  },\n  \"values\": {\n");
    let values: Vec<String> = table
        .value_names()
        .map(|(value, name)| format!("    {}: {}", quote(value), quote(name)))
        .collect();
    out.push_str(&values.join(",\n"));
    out.push_str("\n  },\n  \"labels\": {\n");
    let labels: Vec<String> = table
        .labels()
        .map(|(value, label)| format!("    {}: {}", quote(value), quote(label)))
        .collect();
    out.push_str(&labels.join(",\n"));
    out.push_str("\n  }\n};\n");
    out
}

/// `names.js`: the zh-CN and English names of param values and list separators.
fn names() -> String {
    let mut out = String::from(
        "// The zh-CN and English names of shiming's param values (kinds, regions), generated from the\n\
         // crate's locale files (src/i18n/) by examples/locale_tables.rs: do not edit.\n\
         export default {\n",
    );
    let locales: Vec<String> = [Locale::ZhCn, Locale::En]
        .into_iter()
        .map(|locale| {
            let table = MessageTable::builtin(locale);
            let values: Vec<String> = table
                .value_names()
                .map(|(value, name)| format!("{}: {}", quote(value), quote(name)))
                .collect();
            let labels: Vec<String> = table
                .labels()
                .map(|(value, label)| format!("{}: {}", quote(value), quote(label)))
                .collect();
            format!(
                "  {}: {{\n    \"listSeparator\": {},\n    \"values\": {{ {} }},\n    \"labels\": {{ {} }}\n  }}",
                quote(locale.as_str()),
                quote(table.list_separator().unwrap_or("")),
                values.join(", "),
                labels.join(", ")
            )
        })
        .collect();
    out.push_str(&locales.join(",\n"));
    out.push_str("\n};\n");
    out
}

/// A sample value of a param, by its name, as JSON (a JS value).
fn sample(name: &str) -> (ParamValue, String) {
    match name {
        "kind" => (ParamValue::Str("hk_id"), quote("hk_id")),
        "region" => (ParamValue::Str("tw"), quote("tw")),
        "allowed" | "alternatives" => (
            ParamValue::List(vec!["cn_resident", "tw_id", "hk_macao_home_return_permit"]),
            "[\"cn_resident\", \"tw_id\", \"hk_macao_home_return_permit\"]".to_string(),
        ),
        "expected" | "separator" => (ParamValue::Char('X'), quote("X")),
        name if name.ends_with("Fen") => (ParamValue::Int(-12345), "-12345".to_string()),
        _ => (ParamValue::Int(17), "17".to_string()),
    }
}

/// Every Traditional message rendered natively with sample params: `[{ locale, code, params,
/// message }]`, as JSON.
fn fixtures() -> String {
    let mut out = Vec::new();
    for locale in [Locale::ZhHant, Locale::ZhHk, Locale::ZhTw] {
        for (key, template) in MessageTable::builtin(locale).templates() {
            let (code_name, variant) = key.split_once('.').unwrap_or((key.as_str(), ""));
            let Some(code) = Code::parse(code_name) else {
                continue;
            };
            let mut issue = Issue::new(code);
            let mut params = Vec::new();
            // The param that selects the variant, then every param the template names.
            let selector = match variant {
                "digit_or_x" => Some(("expected", "digit_or_x")),
                "kind" => Some(("kind", "hk_id")),
                "phone" => Some(("data", "phone")),
                "birth_date" => Some(("data", "birth_date")),
                _ => None,
            };
            if let Some((name, value)) = selector {
                issue.params.push((name, ParamValue::Str(value)));
                params.push(format!("{}: {}", quote(name), quote(value)));
            }
            let mut rest = template;
            while let Some((_, after)) = rest.split_once('{') {
                let Some((name, tail)) = after.split_once('}') else {
                    break;
                };
                let name: &'static str = Box::leak(name.to_string().into_boxed_str());
                if issue.param(name).is_none() {
                    let (value, json) = sample(name);
                    issue.params.push((name, value));
                    params.push(format!("{}: {json}", quote(name)));
                }
                rest = tail;
            }
            out.push(format!(
                "{{\"locale\": {}, \"code\": {}, \"key\": {}, \"params\": {{{}}}, \"message\": {}}}",
                quote(locale.as_str()),
                quote(code_name),
                quote(&key),
                params.join(", "),
                quote(&issue.message(locale))
            ));
        }
    }
    format!("[\n{}\n]\n", out.join(",\n"))
}

fn write(path: &str, text: &str) {
    if let Err(e) = std::fs::write(path, text) {
        eprintln!("locale_tables: {path}: {e}");
        std::process::exit(1);
    }
}

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: locale_tables <out-dir>");
        std::process::exit(2);
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("locale_tables: {dir}: {e}");
        std::process::exit(1);
    }
    for locale in [Locale::ZhHant, Locale::ZhHk, Locale::ZhTw] {
        let tag = locale.as_str();
        write(&format!("{dir}/{tag}.js"), &module(locale));
        write(
            &format!("{dir}/{tag}.d.ts"),
            "// The locale's messages as data (examples/locale_tables.rs): do not edit.\n\
             declare const table: import('../shiming.js').LocaleTable;\n\
             export default table;\n",
        );
    }
    write(&format!("{dir}/names.js"), &names());
    write(
        &format!("{dir}/names.d.ts"),
        "// The zh-CN and English names of param values (examples/locale_tables.rs): do not edit.\n\
         declare const names: Record<string, { listSeparator: string; values: Record<string, string>; labels: Record<string, string> }>;\n\
         export default names;\n",
    );
    let rest: Vec<String> = std::env::args().skip(2).collect();
    match rest.as_slice() {
        [] => {}
        [flag, file] if flag == "--fixtures" => write(file, &fixtures()),
        _ => {
            eprintln!("usage: locale_tables <out-dir> [--fixtures <file>]");
            std::process::exit(2);
        }
    }
}

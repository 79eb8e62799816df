//! What the JS bindings share: issues and results as JS objects (`dto`), the options object and
//! JS errors (`options`), dates and times from JS arguments (`time`), and the TypeScript types that
//! every module's `.d.ts` declares. No rules live here, and no export: each wasm module is a
//! bindings crate of its own (`bindings/checks`, `policy`, `consent`, `sync`), so a page downloads
//! only what it uses.
//!
//! Caller mistakes (wrong argument types, malformed options) throw a `TypeError` or `RangeError`
//! whose message starts with `shiming:`; user input problems are returned as issues.
//!
//! wasm32 only: natively the crate is empty, and a native build compiles no wasm-bindgen.
#![cfg(target_arch = "wasm32")]

pub mod dto;

/// Every module's allocator (each links this crate once): talc instead of Rust's default dlmalloc.
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
pub mod messages;
pub mod options;
pub mod time;
pub mod wire;

use js_sys::Object;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** A document kind. */
export type IdKind =
  | 'cn_resident'
  | 'cn_resident_legacy'
  | 'hk_macao_taiwan_residence_permit'
  | 'foreign_permanent_resident'
  | 'hk_id'
  | 'mo_id'
  | 'tw_id'
  | 'hk_macao_home_return_permit'
  | 'tw_mtp'
  | 'cn_passport'
  | 'uscc';
/**
 * The message language; zh-CN is the default. Every BCP 47 tag is understood (`zh`, `zh-Hans`, `en-US`, `zh-MO`,
 * …) and an unknown one falls back (another zh tag: by its script, `Hant` → zh-Hant, else zh-CN; another language:
 * en). zh-Hant, zh-HK and zh-TW render once `loadLocale` has loaded their table (Node's entries load them at
 * import); until then they render as zh-CN.
 */
export type Locale = 'zh-CN' | 'en' | 'zh-Hant' | 'zh-HK' | 'zh-TW' | (string & {});
/** A locale's messages as data: the package's `locales/*.js` (generated from the crate's locale files). */
export interface LocaleTable {
  locale: string;
  /** Templates by message key: a code (`id_empty`) or a code and its variant (`id_checksum_mismatch.kind`). */
  messages: Record<string, string>;
  /** How param values (kinds, regions) read in a sentence. */
  values: Record<string, string>;
  /** Document kinds and age bands as labels (`kindLabel`, `bandLabel`). */
  labels: Record<string, string>;
  listSeparator: string;
}
/**
 * A platform's own wording of messages, by key: a code (`id_empty`) or a code and its variant
 * (`password_contains_personal_data.phone`). A template string names params as `{param}`; a function gets the issue
 * and the locale and returns the message (if it throws or returns no string, the built-in message is used).
 */
export type MessageOverrides = Record<
  string,
  string | ((issue: { code: string; params: Record<string, IssueParam> }, locale: string) => string)
>;
/** An age band (CAC 2024 minor mode; 14 from PIPL Art. 31). */
export type AgeBand = 'under_3' | '3_to_8' | '8_to_12' | '12_to_14' | '14_to_16' | '16_to_18' | 'adult';
/** Options of the ID checks. */
export interface IdOptions {
  /** "Today" as YYYY-MM-DD from a clock you trust (your server's). Default: today in Asia/Shanghai by this device's clock. */
  asOf?: string;
  /** Message language. Default 'zh-CN'. */
  locale?: Locale;
  /**
   * The kinds accepted. Default: the documents that are issued today and carry a check character and a birth date:
   * 'cn_resident', 'hk_macao_taiwan_residence_permit', 'foreign_permanent_resident' (or what `configure` set).
   */
  kinds?: IdKind[];
  /**
   * A unified social credit code whose check character fails but whose GB 11714 organisation code passes: accepted with
   * the warning `id_checksum_pilot_era` when true (some pilot-era codes do fail), else `id_checksum_mismatch`. Default false.
   */
  allowPilotEra?: boolean;
}
/** Every stable issue code. */
export type IssueCode =
  | 'id_empty' | 'id_too_long' | 'id_invalid_length' | 'id_invalid_character'
  | 'id_format_unrecognized' | 'id_org_code_checksum_mismatch' | 'id_lowercase_folded'
  | 'id_kind_ambiguous' | 'id_format_only' | 'id_checksum_pilot_era'
  | 'id_checksum_mismatch' | 'id_birth_date_invalid' | 'id_birth_date_in_future'
  | 'id_birth_date_too_old' | 'id_region_invalid' | 'id_region_abolished' | 'id_kind_not_allowed'
  | 'id_whitespace_trimmed' | 'id_fullwidth_folded' | 'id_lowercase_x_folded'
  | 'id_region_unknown' | 'id_legacy_format'
  | 'name_empty' | 'name_too_long' | 'name_invalid_character' | 'name_invisible_character'
  | 'name_bidi_control' | 'name_private_use' | 'name_separator_misplaced' | 'name_mixed_script'
  | 'name_whitespace_trimmed' | 'name_separator_normalized' | 'name_private_use_mapped'
  | 'name_fullwidth_folded' | 'name_spaces_collapsed'
  | 'phone_empty' | 'phone_too_long' | 'phone_invalid_character' | 'phone_invalid_length'
  | 'phone_invalid_prefix' | 'phone_country_code_unsupported' | 'phone_country_code_required'
  | 'phone_region_not_allowed' | 'phone_separators_removed' | 'phone_fullwidth_folded'
  | 'phone_segment_unknown' | 'phone_segment_unassigned' | 'phone_data_only'
  | 'form_invalid_type' | 'form_field_invalid_type' | 'id_kind_invalid' | 'name_script_mismatch'
  | 'password_empty' | 'password_too_short' | 'password_too_long' | 'password_too_few_classes'
  | 'password_invalid_character' | 'password_contains_personal_data'
  | 'username_empty' | 'username_too_short' | 'username_too_long' | 'username_invalid_character'
  | 'username_all_digits' | 'username_contains_personal_data'
  | 'untrusted_clock' | 'calendar_year_missing' | 'adult' | 'minor_allowed'
  | 'minor_payment_not_allowed' | 'minor_payment_over_single_limit' | 'minor_payment_over_monthly_limit'
  | 'minor_play_outside_window' | 'minor_play_time_used_up' | 'minor_daily_limit_reached'
  | 'minor_curfew' | 'minor_rest_reminder' | 'guest_mode_not_allowed'
  | 'guardian_not_adult' | 'guardian_same_as_minor' | 'guardian_relation_invalid' | 'guardian_age_unverified'
  | 'consent_invalid_json' | 'consent_field_missing' | 'consent_field_invalid'
  | 'consent_document_digest_mismatch' | 'consent_document_unknown' | 'consent_receipt_document_digest_mismatch'
  | 'consent_receipt_digest_mismatch' | 'consent_kind_mismatch' | 'consent_subject_looks_like_id'
  | 'consent_required_never_accepted' | 'consent_required_new_version' | 'consent_required_withdrawn'
  | 'consent_prechecked' | 'consent_untrusted_event' | 'consent_end_not_reached' | 'consent_reading_too_short'
  | 'consent_not_given'
  | 'sync_idempotency_key_invalid' | 'sync_idempotency_key_reused' | 'sync_request_in_progress' | 'sync_receipt_conflict'
  | 'sync_consent_missing' | 'sync_already_registered' | 'sync_registration_conflict' | 'sync_field_missing'
  | 'sync_field_invalid' | 'sync_body_invalid_json' | 'sync_body_too_large' | 'sync_content_type_unsupported'
  | 'sync_rate_limited' | 'sync_unavailable' | 'sync_server_error' | 'sync_not_found'
  | 'sync_method_not_allowed' | 'sync_unauthorized' | 'sync_consent_unavailable' | 'sync_expired'
  | 'sync_dependency_rejected' | 'sync_dependency_failed' | 'sync_unexpected_status'
  | 'birth_date_required' | 'birth_date_invalid' | 'birth_date_in_future' | 'birth_date_too_old' | 'birth_date_mismatch'
  | 'phone_segment_iot' | 'name_han_zero' | 'id_spaces_removed'
  | 'sync_forbidden' | 'sync_account_deleted' | 'sync_host_not_allowed' | 'sync_request_timeout'
  | 'consent_signature_missing' | 'consent_signature_key_unknown' | 'consent_signature_invalid' | 'consent_signature_unsupported' | 'sync_guardian_mismatch'
  | 'minor_payment_over_daily_limit' | 'minor_payment_blocked_by_guardian' | 'guardian_limit_too_loose'
  | 'guardian_limit_invalid' | 'guardian_limit_only_tighter'
  | 'sync_account_frozen' | 'sync_verification_failed' | 'sync_verification_unavailable'
  | 'phone_code_wrong' | 'phone_code_expired' | 'phone_code_attempts_exhausted' | 'phone_code_rate_limited'
  | 'phone_codes_disabled' | 'phone_not_confirmed';
/** A typed issue parameter: never the input itself. */
export type IssueParam = string | number | string[];
/** The page's defaults, set once with `configure({ kinds, locale })`; every call that leaves them out uses them. */
export interface ShimingDefaults {
  kinds?: IdKind[];
  locale?: Locale;
}
/** `configure`'s options: the defaults, and the platform's wording of messages (`null` removes it). */
export interface ShimingConfig extends ShimingDefaults {
  messages?: MessageOverrides | null;
}
/** What `generateTestId` makes; everything but the seed is optional. */
export interface TestIdSpec {
  seed: number;
  kind?: IdKind;
  /** YYYY-MM-DD; default: derived from the seed (1950–1999). */
  birthDate?: string;
  gender?: 'male' | 'female';
  /** A 6-digit GB/T 2260 code in use. */
  region?: string;
}
/** Options of `maskId`, `maskPhone`, `maskName`. */
export interface MaskOptions {
  /** Characters kept at the start (ID and phone 4, name 1). For ID and phone numbers at most this many: a mask always hides at least half of a number's characters and never fewer than four. */
  keepStart?: number;
  /** Characters kept at the end (ID and phone 4, name 1); for numbers at most this many, as `keepStart`. */
  keepEnd?: number;
  /** Default '*'. */
  maskChar?: string;
}
/** The script of a name. */
export type NameScript = 'han' | 'latin';
/** Options of `checkName`. */
export interface NameOptions {
  /** Message language. Default 'zh-CN'. */
  locale?: Locale;
  /** Force a script. Default: detected (Han if the name has Han characters). */
  script?: NameScript;
  /** Maximum length in Unicode scalar values; 25 to 1000, default 50. */
  maxChars?: number;
}
export interface NameValue {
  /** Trimmed, look-alike dots replaced by U+00B7, full-width Latin folded, spaces collapsed. */
  normalized: string;
  script: NameScript;
  /** Length in Unicode scalar values. */
  chars: number;
}
export type NameCheckResult =
  | { ok: true; value: NameValue; warnings: Issue[] }
  | { ok: false; issues: Issue[] };
/** A phone region. */
export type PhoneRegion = 'cn' | 'hk' | 'mo' | 'tw';
/** Options of `checkPhone`. */
export interface PhoneOptions {
  /** Message language. Default 'zh-CN'. */
  locale?: Locale;
  /** The regions accepted. Default: all. With exactly one, a number without a country code is read as that region's (e.g. ['hk']: '91234567'). */
  regions?: PhoneRegion[];
}
/** A mainland segment class; `unknown` when the table does not list the segment. */
export type PhoneSegmentClass =
  | 'china_mobile' | 'china_unicom' | 'china_telecom' | 'china_broadnet'
  | 'virtual' | 'data_only' | 'unassigned' | 'iot' | 'satellite' | 'unknown';
export interface PhoneValue {
  region: PhoneRegion;
  /** The national significant number (Taiwan without its trunk 0). */
  national: string;
  /** E.164, e.g. '+8613812345678'. */
  e164: string;
  /** Mainland numbers only. */
  segment?: { prefix: string; class: PhoneSegmentClass };
}
export type PhoneCheckResult =
  | { ok: true; value: PhoneValue; warnings: Issue[] }
  | { ok: false; issues: Issue[] };
/** A replacement segment table: prefixes of 3 to 5 digits starting with 1, longest match wins. */
export interface PhoneSegmentTable {
  version: string;
  source?: string;
  segments: Record<string, Exclude<PhoneSegmentClass, 'unknown'>>;
}
/** One problem or warning. `message` is rendered from `code` and `params` in the requested locale. */
export interface Issue {
  path: (string | number)[];
  code: IssueCode;
  params: Record<string, IssueParam>;
  message: string;
}
/** The division an ID was registered in (GB/T 2260). */
export interface Region { code: string; province?: string; city?: string; county?: string }
/** What a valid ID yields. */
export interface IdValue {
  kind: IdKind;
  normalized: string;
  birthDate?: string;
  gender?: 'male' | 'female';
  region?: Region;
  /** The 18-character form of a 15-digit legacy number. */
  upgraded?: string;
  /** Where the holder is a resident: mainland China, Hong Kong, Macau or Taiwan. */
  jurisdiction?: 'cn' | 'hk' | 'mo' | 'tw';
  /** A permanent residence ID's nationality: GB/T 2659 numeric (2023 card) or ISO alpha-3 (older card). */
  nationality?: string;
}
export type IdCheckResult =
  | { ok: true; value: IdValue; warnings: Issue[] }
  | { ok: false; issues: Issue[] };
export interface IdBatchResult {
  total: number;
  valid: number;
  invalid: number;
  /** Invalid lines per first-issue code. */
  byCode: Partial<Record<IssueCode, number>>;
  /** One byte per line: 0 = valid, else 1 + index into `codes`. */
  status: Uint8Array;
  codes: IssueCode[];
  /**
   * With `{ birthDates: true }`: one value per line, the birth date of a valid number as YYYYMMDD (e.g. 19491231),
   * or 0 (an invalid line, or a document that carries no birth date).
   */
  birthDates?: Uint32Array;
}
/** checkIdBatch's third argument. */
export interface IdBatchOptions {
  /** Also return each valid line's birth date (`birthDates`). Default false. */
  birthDates?: boolean;
}
"#;

/// A `TypeError` whose message starts with `shiming:`. Never inlined: errors are the cold path, and
/// an inlined `format!` at each of the many call sites cost the registration module 0.3 KB gzip.
#[inline(never)]
pub fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(&format!("shiming: {message}")).into()
}

/// `undefined` and `null` mean "no options". Options are taken as a plain `JsValue` because an
/// `Option<Object>` parameter costs an externref table slot per call, a noticeable share of
/// `isValidId`'s time. Whether it really is an object is checked when it is parsed.
pub fn optional_object(options: JsValue) -> Option<Object> {
    (!options.is_undefined() && !options.is_null()).then(|| Object::unchecked_from_js(options))
}

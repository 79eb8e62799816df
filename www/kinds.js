// The document kinds the demo names (the package's kind names), in the order its pages offer them. What each kind
// accepts, and which kinds are on by default, are the package's rules; these are only the demo's lists.

/** Every personal document issued today: the registration page's menu, and what the demo server accepts. */
export const DEMO_KINDS = Object.freeze([
  'cn_resident',
  'hk_macao_taiwan_residence_permit',
  'foreign_permanent_resident',
  'hk_id',
  'mo_id',
  'tw_id',
  'hk_macao_home_return_permit',
  'tw_mtp',
  'cn_passport',
]);

/**
 * Every personal document, the first-generation 15-digit number included: what the diagnostic pages read (the ID
 * check page, and the audit of accounts already stored). They are not registration gates.
 */
export const DIAGNOSTIC_KINDS = Object.freeze(['cn_resident', 'cn_resident_legacy', ...DEMO_KINDS.slice(1)]);

/** Every kind name the package knows, an organisation's credit code included. */
export const ALL_KINDS = Object.freeze([...DIAGNOSTIC_KINDS, 'uscc']);

/** Each kind's name in words, per locale: the package gives kind codes, not names. Every page shows these; the ID
 * check page and the audit page word a few of them their own way (over these). */
export const KIND_LABELS = {
  'zh-CN': {
    cn_resident: '居民身份证',
    cn_resident_legacy: '第一代居民身份证（15 位）',
    hk_macao_taiwan_residence_permit: '港澳台居民居住证',
    foreign_permanent_resident: '外国人永久居留身份证',
    hk_id: '香港身份证',
    mo_id: '澳门身份证',
    tw_id: '台湾身份证',
    hk_macao_home_return_permit: '港澳居民来往内地通行证',
    tw_mtp: '台湾居民来往大陆通行证',
    cn_passport: '中国护照',
    uscc: '统一社会信用代码',
  },
  en: {
    cn_resident: 'Resident ID card',
    cn_resident_legacy: 'First-generation resident ID (15 digits)',
    hk_macao_taiwan_residence_permit: 'Residence permit (HK, Macau, Taiwan residents)',
    foreign_permanent_resident: "Foreigner's permanent residence ID",
    hk_id: 'Hong Kong identity card',
    mo_id: 'Macau identity card',
    tw_id: 'Taiwan ID',
    hk_macao_home_return_permit: 'Mainland Travel Permit (HK, Macau)',
    tw_mtp: 'Mainland Travel Permit (Taiwan)',
    cn_passport: 'PRC passport',
    uscc: 'Unified social credit code',
  },
};

/** The age bands (the package's `ageBand`) in words, per locale, youngest first. */
export const BAND_LABELS = {
  'zh-CN': { under_3: '未满 3 周岁', '3_to_8': '3–8 周岁', '8_to_12': '8–12 周岁', '12_to_14': '12–14 周岁', '14_to_16': '14–16 周岁', '16_to_18': '16–18 周岁', adult: '成年人' },
  en: { under_3: 'Under 3', '3_to_8': '3 to 8', '8_to_12': '8 to 12', '12_to_14': '12 to 14', '14_to_16': '14 to 16', '16_to_18': '16 to 18', adult: 'Adult' },
};

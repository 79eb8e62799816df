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

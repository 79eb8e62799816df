// The document kinds the demo names (the package's kind names), in the order its pages offer them. What each kind
// accepts, which kinds are on by default, and their labels (labels.js) are the package's; these are only the demo's
// lists. Node (the tests, the demo backend) imports this file too: it imports nothing.

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

/** The age bands the package's `ageBand` answers, youngest first. */
export const AGE_BANDS = Object.freeze(['under_3', '3_to_8', '8_to_12', '12_to_14', '14_to_16', '16_to_18', 'adult']);

// An account's state in words (issue 16), for every page that shows it: the admin view and the account holder's own
// (guardian.html): the verification states, what each means, the providers, the verification codes of the server, and
// the reasons an account may be frozen (server/src/lifecycle.rs FREEZE_REASONS). One home for these words.

import { syncMessage } from './sync-messages.js';

/** The reasons an account may be frozen (server/src/lifecycle.rs FREEZE_REASONS), in that order. */
export const FREEZE_REASONS = ['verification_failed', 'suspected_impersonation', 'guardian_request', 'legal_order', 'security_risk', 'user_request', 'other'];

/** The words of the lifecycle: verification states, freeze reasons, providers, verification codes. */
export const WORDS = {
  'zh-CN': {
    states: { unverified: '未核验', pending: '核验中', verified: '已核验', failed: '核验未通过' },
    stateNotes: {
      unverified: '未经权威来源核验（号码格式正确不等于身份属实）',
      pending: '已提交核验，尚无结论，服务器会再次查询',
      verified: (provider, at) => `${provider} 确认姓名与证件号码一致${at ? `，${at}` : ''}`,
      failed: '核验来源表示姓名与证件号码不一致',
    },
    providers: { nppa: '国家新闻出版署网络游戏防沉迷实名认证系统' },
    verificationCodes: {
      verification_mismatch: '姓名与证件号码不一致',
      verification_phone_mismatch: '手机号码与身份不一致',
      verification_id_invalid: '核验来源认为证件号码无效',
      verification_timeout: '48 小时内未得到核验结论',
    },
    reasons: {
      verification_failed: '实名核验未通过',
      suspected_impersonation: '疑似冒用他人身份',
      guardian_request: '监护人要求',
      legal_order: '有权机关依法要求',
      security_risk: '账号存在安全风险',
      user_request: '账号本人要求',
      other: '其他原因',
    },
  },
  en: {
    states: { unverified: 'Unverified', pending: 'Pending', verified: 'Verified', failed: 'Verification failed' },
    stateNotes: {
      unverified: 'Not checked with an authoritative source (a well-formed number is not a verified identity)',
      pending: 'Sent for verification, no verdict yet; the server asks again',
      verified: (provider, at) => `${provider} confirmed the name and the number${at ? `, ${at}` : ''}`,
      failed: 'The source said the name and the number do not match',
    },
    providers: { nppa: 'the NPPA real-name system for online games' },
    verificationCodes: {
      verification_mismatch: 'the name and the number do not match',
      verification_phone_mismatch: 'the phone does not match the identity',
      verification_id_invalid: 'the source says the number is not valid',
      verification_timeout: 'no verdict within 48 hours',
    },
    reasons: {
      verification_failed: 'Real-name verification failed',
      suspected_impersonation: 'Suspected impersonation',
      guardian_request: "At the guardian's request",
      legal_order: 'Legal order of a competent authority',
      security_risk: 'Security risk to the account',
      user_request: "At the account holder's request",
      other: 'Other reason',
    },
  },
};

export const words = (locale) => WORDS[locale] ?? WORDS['zh-CN'];

/** A freeze reason in words (the code itself if unknown). */
export function reasonText(code, locale) {
  return words(locale).reasons[code] ?? code ?? '';
}

/** A verification state in words (the state itself if unknown). */
export function stateText(state, locale) {
  return words(locale).states[state] ?? state ?? '';
}

/** What an account's `verification` means, in words: the provider and the time when verified. */
export function stateNote(verification, locale, time) {
  const w = words(locale);
  const state = verification?.state ?? 'unverified';
  if (state !== 'verified') return w.stateNotes[state] ?? '';
  const provider = verification?.provider ? (w.providers[verification.provider] ?? verification.provider) : '?';
  const at = typeof verification?.at === 'number' ? time.format(new Date(verification.at)) : null;
  return w.stateNotes.verified(provider, at);
}

/** A code in words: the package's message (sync_*, consent_*), a verification code of the server, or null. */
export function codeText(code, locale, params = {}) {
  return syncMessage(code, params, locale) ?? words(locale).verificationCodes[code] ?? null;
}


// The messages of the protocol's codes (sync_*, consent_*), zh-CN and en, exactly as the module's own i18n has them
// (README "Issue codes"; src/i18n). The sync client reports codes only, and no export of the package renders a code
// on its own, so the page keeps this copy for server rejections it cannot reproduce with a local check.
// Params: sync_consent_missing names the document kind; sync_unexpected_status the status.

export const SYNC_MESSAGES = {
  "zh-CN": {
    "consent_invalid_json": "同意记录不是 JSON 对象",
    "consent_field_missing": "同意记录缺少字段",
    "consent_field_invalid": "同意记录的字段无效",
    "consent_document_digest_mismatch": "协议文本与其摘要不符",
    "consent_document_unknown": "找不到同意记录所指的协议版本",
    "consent_receipt_document_digest_mismatch": "同意记录中的协议摘要不符",
    "consent_receipt_digest_mismatch": "同意记录已被修改：摘要不符",
    "consent_kind_mismatch": "同意类型与协议不符",
    "consent_subject_looks_like_id": "用户标识不能是证件号码或手机号码",
    "consent_required_never_accepted": "请阅读并同意协议",
    "consent_required_new_version": "协议已更新，请重新阅读并同意",
    "consent_required_withdrawn": "您已撤回同意，继续使用需重新同意",
    "consent_prechecked": "同意选项不能预先勾选，请您自行勾选",
    "consent_untrusted_event": "同意须由您本人点击或按键完成",
    "consent_end_not_reached": "请阅读至协议末尾后再同意",
    "consent_reading_too_short": "请继续阅读 8 秒后再同意",
    "consent_not_given": "请勾选同意后继续",
    "sync_idempotency_key_invalid": "请求缺少有效的幂等键",
    "sync_idempotency_key_reused": "同一幂等键已用于另一份请求",
    "sync_request_in_progress": "同一请求仍在处理中，稍后自动重试",
    "sync_receipt_conflict": "同意记录编号已被另一份记录使用",
    "sync_consent_missing": "缺少对敏感个人信息（证件号码）单独处理的同意",
    "sync_already_registered": "该证件已注册过账号",
    "sync_registration_conflict": "注册编号已被另一份注册使用",
    "sync_field_missing": "请求缺少字段",
    "sync_field_invalid": "请求字段无效",
    "sync_body_invalid_json": "请求内容不是有效的 JSON",
    "sync_body_too_large": "请求内容过大",
    "sync_content_type_unsupported": "请求内容类型不受支持，应为 application/json",
    "sync_rate_limited": "请求过于频繁，稍后自动重试",
    "sync_unavailable": "服务暂不可用，稍后自动重试",
    "sync_server_error": "服务器出错，稍后自动重试",
    "sync_not_found": "找不到该记录",
    "sync_method_not_allowed": "不支持该请求方法",
    "sync_unauthorized": "需要管理员授权",
    "sync_consent_unavailable": "服务器暂时无法核验同意记录",
    "sync_expired": "提交未能及时送达，未被保存，请重新提交",
    "sync_dependency_rejected": "所依赖的同意记录被拒绝，注册未提交",
    "sync_dependency_failed": "所依赖的同意记录未能送达，注册未提交",
    "sync_unexpected_status": "服务器返回了意外的状态 302"
  },
  "en": {
    "consent_invalid_json": "The consent record is not a JSON object",
    "consent_field_missing": "A field of the consent record is missing",
    "consent_field_invalid": "A field of the consent record is invalid",
    "consent_document_digest_mismatch": "The document text does not match its digest",
    "consent_document_unknown": "The consent record names an unknown document version",
    "consent_receipt_document_digest_mismatch": "The consent record's document digest does not match",
    "consent_receipt_digest_mismatch": "The consent record was changed: its digest does not match",
    "consent_kind_mismatch": "The kind of consent does not fit the document",
    "consent_subject_looks_like_id": "A user reference cannot be an ID or mobile number",
    "consent_required_never_accepted": "Please read and accept the agreement",
    "consent_required_new_version": "The agreement has changed: please read and accept it again",
    "consent_required_withdrawn": "You withdrew your consent: accept again to continue",
    "consent_prechecked": "The box was ticked before you touched it: tick it yourself",
    "consent_untrusted_event": "Consent must come from your own click or key press",
    "consent_end_not_reached": "Read to the end of the document before you agree",
    "consent_reading_too_short": "Keep reading for 8 s more before you agree",
    "consent_not_given": "Tick the box to agree before you continue",
    "sync_idempotency_key_invalid": "The request has no valid Idempotency-Key",
    "sync_idempotency_key_reused": "This Idempotency-Key was already used for a different request",
    "sync_request_in_progress": "The same request is still being processed: retrying shortly",
    "sync_receipt_conflict": "This consent record id is already stored with other content",
    "sync_consent_missing": "Consent to the separate processing of your ID number is missing",
    "sync_already_registered": "An account is already registered with this document",
    "sync_registration_conflict": "This registration id is already used by a different registration",
    "sync_field_missing": "A field of the request is missing",
    "sync_field_invalid": "A field of the request is invalid",
    "sync_body_invalid_json": "The request body is not valid JSON",
    "sync_body_too_large": "The request body is too large",
    "sync_content_type_unsupported": "Unsupported content type: send application/json",
    "sync_rate_limited": "Too many requests: retrying later",
    "sync_unavailable": "The service is unavailable: retrying later",
    "sync_server_error": "Server error: retrying later",
    "sync_not_found": "No such record",
    "sync_method_not_allowed": "This request method is not allowed",
    "sync_unauthorized": "Administrator authorization is required",
    "sync_consent_unavailable": "The server cannot verify consent records at the moment",
    "sync_expired": "Not delivered in time and not stored: please submit again",
    "sync_dependency_rejected": "A consent it depends on was rejected: the registration was not submitted",
    "sync_dependency_failed": "A consent it depends on could not be delivered: the registration was not submitted",
    "sync_unexpected_status": "The server answered with an unexpected status 302"
  }
};

const DOCUMENT_NAMES = {
  'zh-CN': {
    service_agreement: '服务协议',
    privacy_policy: '隐私政策',
    sensitive_pi: '敏感个人信息（证件号码）单独处理',
    children_privacy_rules: '儿童个人信息保护规则',
    guardian_consent: '监护人同意',
  },
  en: {
    service_agreement: 'the service agreement',
    privacy_policy: 'the privacy policy',
    sensitive_pi: 'the separate processing of your ID number',
    children_privacy_rules: "the children's privacy rules",
    guardian_consent: "the guardian's consent",
  },
};

/** The message of a protocol code with its params, or null for a code this table does not know. */
export function syncMessage(code, params = {}, locale = 'zh-CN') {
  const lang = SYNC_MESSAGES[locale] ? locale : 'zh-CN';
  if (code === 'sync_consent_missing') {
    const kind = DOCUMENT_NAMES[lang][params?.kind];
    if (!kind) return lang === 'en' ? 'A consent record it cites is missing or withdrawn' : '所引用的同意记录不存在或已撤回';
    if (params.kind === 'sensitive_pi') return SYNC_MESSAGES[lang].sync_consent_missing;
    return lang === 'en' ? `Consent to ${kind} is missing` : `缺少对${kind}的同意`;
  }
  if (code === 'sync_unexpected_status') {
    const status = Number.isInteger(params?.status) ? params.status : '?';
    return lang === 'en' ? `The server answered with an unexpected status ${status}` : `服务器返回了意外的状态 ${status}`;
  }
  return SYNC_MESSAGES[lang][code] ?? null;
}

//! `issueMessage`, `resolveLocale`, `isMessageKey` and `setMessageHook` of the registration module
//! (written once for every module: `shiming_js_common::message_exports!`). Its `configure` is
//! `id.rs`'s, which has `kinds` too.

shiming_js_common::message_exports!(issue_message);

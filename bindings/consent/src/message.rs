//! `issueMessage`, `resolveLocale`, `isMessageKey`, `setMessageHook` and `configure({ locale? })` of
//! `shiming/consent`
//! (written once for every module: `shiming_js_common::message_exports!`). `issueMessage` here
//! renders the consent_* and sync_* codes too, whose messages are compiled into this module (see
//! src/i18n/mod.rs): a page renders a server's rejection or a sync status event with it.

#[cfg(feature = "message-exports")]
shiming_js_common::message_exports!(configure, issue_message);

//! Sending a phone's one-time code: a pluggable [`SmsSender`].
//!
//! - `none` (the default): no sender. The phone-code endpoints answer `404 phone_codes_disabled`,
//!   the policy answer has no `phoneCodes`, and registrations are stored without a confirmation.
//! - `file` (`--sms-sender file --sms-outbox PATH`): **development and tests only.** Each message is
//!   appended to `PATH` as one JSON line `{"to","code","text","at"}` (the file is created mode
//!   0600): a test reads its code there. The file holds phone numbers and live codes: never point it
//!   at a shared or logged location, never use it in production.
//!
//! A real gateway (an SMS provider's HTTP API) is one more implementation of the trait; its secrets
//! belong in the environment, never on the command line.
//!
//! Whatever the sender, the code is **never** logged, never in an answer and never in an error: a
//! failed send is reported with a static reason only.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

use serde_json::json;

/// A boxed future, as the trait returns it (object-safe without an extra crate).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One SMS of a one-time code.
pub struct SmsMessage<'a> {
    /// The number, E.164 (`+8613800138000`).
    pub to: &'a str,
    /// The code (6 digits), for senders whose provider fills a template itself.
    pub code: &'a str,
    /// The whole text, for senders that send text.
    pub text: &'a str,
}

/// Sends a one-time code. `Err` carries a static reason for the log (never the code or the number).
pub trait SmsSender: Send + Sync {
    /// The sender's name, for the start-up log (`file`).
    fn name(&self) -> &'static str;
    fn send<'a>(&'a self, message: SmsMessage<'a>) -> BoxFuture<'a, Result<(), &'static str>>;
}

/// The text of a code's SMS.
pub fn code_text(code: &str, minutes: u64) -> String {
    format!("【实名注册】验证码 {code}，{minutes} 分钟内有效。请勿告诉他人。")
}

/// The development sender: one JSON line per message, appended to a file created mode 0600.
pub struct FileSender {
    path: PathBuf,
    lock: tokio::sync::Mutex<()>,
}

impl FileSender {
    /// Creates (or opens) the outbox, mode 0600, and checks that it can be written.
    pub fn open(path: PathBuf) -> Result<FileSender, String> {
        open_outbox(&path).map_err(|e| {
            format!(
                "--sms-outbox {}: cannot open it for appending: {}",
                path.display(),
                e.kind()
            )
        })?;
        Ok(FileSender {
            path,
            lock: tokio::sync::Mutex::new(()),
        })
    }
}

fn open_outbox(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

impl SmsSender for FileSender {
    fn name(&self) -> &'static str {
        "file"
    }

    fn send<'a>(&'a self, message: SmsMessage<'a>) -> BoxFuture<'a, Result<(), &'static str>> {
        Box::pin(async move {
            let mut line = json!({
                "to": message.to,
                "code": message.code,
                "text": message.text,
                "at": crate::api::now_ms(),
            })
            .to_string();
            line.push('\n');
            // One append per message, one at a time: a reader never sees half a line.
            let _held = self.lock.lock().await;
            let path = self.path.clone();
            tokio::task::spawn_blocking(move || {
                use std::io::Write;
                let mut file = open_outbox(&path)?;
                file.write_all(line.as_bytes())?;
                file.sync_data()
            })
            .await
            .map_err(|_| "the outbox writer stopped")?
            .map_err(|_| "the outbox cannot be written")
        })
    }
}

/// The sender `--sms-sender` names: `None` for `none`.
pub fn from_args(
    sender: &str,
    outbox: Option<&std::path::Path>,
) -> Result<Option<Box<dyn SmsSender>>, String> {
    match sender {
        "none" => {
            if outbox.is_some() {
                return Err("--sms-outbox is only for --sms-sender file".into());
            }
            Ok(None)
        }
        "file" => {
            let Some(path) = outbox else {
                return Err("--sms-sender file needs --sms-outbox PATH (development and tests only)".into());
            };
            Ok(Some(Box::new(FileSender::open(path.to_path_buf())?)))
        }
        other => Err(format!(
            "--sms-sender {other:?}: the senders are none (the default) and file (development and tests only)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_file_sender_appends_one_line_per_message_to_a_private_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("outbox.jsonl");
        let sender = from_args("file", Some(&path))
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("a sender"));
        for code in ["123456", "654321"] {
            let text = code_text(code, 5);
            let sent = sender
                .send(SmsMessage {
                    to: "+8613800138000",
                    code,
                    text: &text,
                })
                .await;
            assert_eq!(sent, Ok(()));
        }
        let written = std::fs::read_to_string(&path).unwrap_or_default();
        let lines: Vec<serde_json::Value> = written
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_default())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1]["code"], "654321");
        assert_eq!(lines[1]["to"], "+8613800138000");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or(0);
            assert_eq!(mode, 0o600);
        }
    }

    #[test]
    fn a_file_sender_needs_its_outbox_and_none_takes_none() {
        assert!(from_args("file", None).is_err());
        assert!(from_args("none", Some(std::path::Path::new("/tmp/x"))).is_err());
        assert!(from_args("carrier-pigeon", None).is_err());
        assert!(matches!(from_args("none", None), Ok(None)));
    }
}

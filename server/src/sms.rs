//! Sending a phone's one-time code: a pluggable [`SmsSender`].
//!
//! - `none` (the default): no sender. The phone-code endpoints answer `404 phone_codes_disabled`,
//!   the policy answer has no `phoneCodes`, and registrations are stored without a confirmation.
//! - `file` (`--sms-sender file --sms-outbox PATH`): **development and tests only.** Each message is
//!   appended to `PATH` as one JSON line `{"to","code","text","at"}` (the file is created mode
//!   0600): a test reads its code there. The file holds phone numbers and live codes: never point it
//!   at a shared or logged location, never use it in production.
//!
//! - `http` (`--sms-sender http --sms-http-config FILE`): an SMS provider's HTTPS API, by a JSON
//!   mapping ([`HttpSender`], docs/verification.md "SMS gateway"): its secrets come from the
//!   environment (`${NAME}`), never the file or the command line. It gives numbers and codes to a
//!   third party: the server refuses it unless a current agreement text declares its `recipient`.
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
    /// Whom the numbers and codes are given to (a third party), if anyone.
    fn recipient(&self) -> Option<&str> {
        None
    }
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

/// An SMS provider's HTTPS API, configured by a JSON mapping:
///
/// ```json
/// { "recipient": "Example SMS Co.", "url": "https://sms.example.test/v1/send", "method": "POST",
///   "headers": { "Authorization": "Bearer ${EXAMPLE_SMS_TOKEN}" },
///   "body": { "mobile": "{{phone}}", "content": "{{text}}" },
///   "success": { "pointer": "/code", "values": ["OK"] }, "timeoutMs": 5000 }
/// ```
///
/// Placeholders (in string values of `body`): `{{phone}}` (11 digits), `{{e164}}`, `{{code}}`,
/// `{{text}}`. A 2xx whose `success.pointer` holds one of `success.values` is sent; anything else
/// is not (a static reason in the log, never the number or the code). No redirects are followed.
pub struct HttpSender {
    recipient: String,
    url: reqwest::Url,
    method: reqwest::Method,
    headers: Vec<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>,
    body: serde_json::Value,
    pointer: String,
    values: Vec<String>,
    client: reqwest::Client,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct HttpFile {
    #[serde(default)]
    #[allow(dead_code)]
    comment: Option<String>,
    recipient: String,
    url: String,
    #[serde(default = "post")]
    method: String,
    #[serde(default)]
    headers: std::collections::BTreeMap<String, String>,
    body: serde_json::Value,
    success: HttpSuccess,
    #[serde(default = "five_seconds")]
    timeout_ms: u64,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct HttpSuccess {
    pointer: String,
    values: Vec<serde_json::Value>,
}

fn post() -> String {
    "POST".into()
}

fn five_seconds() -> u64 {
    5000
}

const SMS_PLACEHOLDERS: [&str; 4] = ["{{phone}}", "{{e164}}", "{{code}}", "{{text}}"];

impl HttpSender {
    /// From the mapping's text, `${NAME}`s taken from `env`.
    pub fn from_json(
        text: &str,
        env: &impl Fn(&str) -> Option<String>,
    ) -> Result<HttpSender, String> {
        let what = "--sms-http-config";
        let file: HttpFile = serde_json::from_str(text).map_err(|e| format!("{what}: {e}"))?;
        if file.recipient.trim().is_empty() {
            return Err(format!(
                "{what}: recipient names the SMS provider (the privacy policy names it too)"
            ));
        }
        let url = crate::verify::parse_url(&file.url, &format!("{what}: url"), false)?;
        let method = match file.method.to_ascii_uppercase().as_str() {
            "POST" => reqwest::Method::POST,
            "PUT" => reqwest::Method::PUT,
            _ => {
                return Err(format!(
                    "{what}: method is POST or PUT (a number never goes into a URL)"
                ))
            }
        };
        let mut headers = Vec::new();
        for (name, value) in &file.headers {
            let value = crate::verify::http::expand_env(value, env)
                .map_err(|e| format!("{what}: headers.{name}: {e}"))?;
            let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("{what}: {name:?} is not a header name"))?;
            let value = reqwest::header::HeaderValue::from_str(&value)
                .map_err(|_| format!("{what}: headers.{name}: not a header value"))?;
            headers.push((name, value));
        }
        let mut used = Vec::new();
        crate::verify::http::collect_placeholders(&file.body, &SMS_PLACEHOLDERS, &mut used, what)?;
        if !used.iter().any(|p| *p == "{{phone}}" || *p == "{{e164}}") {
            return Err(format!(
                "{what}: body sends the number ({{{{phone}}}} or {{{{e164}}}})"
            ));
        }
        if !used.iter().any(|p| *p == "{{code}}" || *p == "{{text}}") {
            return Err(format!(
                "{what}: body sends the code or the text ({{{{code}}}} or {{{{text}}}})"
            ));
        }
        let values = file
            .success
            .values
            .iter()
            .map(|v| match v {
                serde_json::Value::String(s) => Ok(s.clone()),
                serde_json::Value::Number(n) => Ok(n.to_string()),
                serde_json::Value::Bool(b) => Ok(b.to_string()),
                _ => Err(format!(
                    "{what}: success.values are strings, numbers or booleans"
                )),
            })
            .collect::<Result<Vec<_>, _>>()?;
        if values.is_empty()
            || !(file.success.pointer.is_empty() || file.success.pointer.starts_with('/'))
        {
            return Err(format!(
                "{what}: success is a JSON pointer and the values that mean sent"
            ));
        }
        let timeout =
            crate::verify::timeout_from_ms(file.timeout_ms, &format!("{what}: timeoutMs"))?;
        Ok(HttpSender {
            recipient: file.recipient,
            url,
            method,
            headers,
            body: file.body,
            pointer: file.success.pointer,
            values,
            client: crate::verify::client(timeout)?,
        })
    }
}

/// The template with the message in place of the placeholders.
fn filled(template: &serde_json::Value, message: &SmsMessage<'_>) -> serde_json::Value {
    crate::verify::http::fill_template(
        template,
        &[
            (
                "{{phone}}",
                message.to.strip_prefix("+86").unwrap_or(message.to),
            ),
            ("{{e164}}", message.to),
            ("{{code}}", message.code),
            ("{{text}}", message.text),
        ],
    )
}

impl SmsSender for HttpSender {
    fn name(&self) -> &'static str {
        "http"
    }

    fn recipient(&self) -> Option<&str> {
        Some(&self.recipient)
    }

    fn send<'a>(&'a self, message: SmsMessage<'a>) -> BoxFuture<'a, Result<(), &'static str>> {
        Box::pin(async move {
            let mut request = self
                .client
                .request(self.method.clone(), self.url.clone())
                .json(&filled(&self.body, &message));
            for (name, value) in &self.headers {
                request = request.header(name.clone(), value.clone());
            }
            let answer = crate::verify::send("sms", request)
                .await
                .map_err(|_| "the SMS gateway did not answer")?;
            if !answer.status.is_success() {
                return Err("the SMS gateway refused the message");
            }
            let body: serde_json::Value = serde_json::from_slice(&answer.body)
                .map_err(|_| "the SMS gateway's answer is not JSON")?;
            let sent = body.pointer(&self.pointer).is_some_and(|v| {
                let text = match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                self.values.contains(&text)
            });
            if sent {
                Ok(())
            } else {
                Err("the SMS gateway did not confirm the message")
            }
        })
    }
}

/// The sender `--sms-sender` names: `None` for `none`.
pub fn from_args(
    sender: &str,
    outbox: Option<&std::path::Path>,
    http_config: Option<&std::path::Path>,
) -> Result<Option<Box<dyn SmsSender>>, String> {
    if http_config.is_some() && sender != "http" {
        return Err("--sms-http-config is only for --sms-sender http".into());
    }
    match sender {
        "none" => {
            if outbox.is_some() {
                return Err("--sms-outbox is only for --sms-sender file".into());
            }
            Ok(None)
        }
        "http" => {
            let Some(path) = http_config else {
                return Err("--sms-sender http needs --sms-http-config FILE (the gateway's mapping)".into());
            };
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("--sms-http-config {}: {e}", path.display()))?;
            let env = |name: &str| std::env::var(name).ok();
            Ok(Some(Box::new(HttpSender::from_json(&text, &env)?)))
        }
        "file" => {
            let Some(path) = outbox else {
                return Err("--sms-sender file needs --sms-outbox PATH (development and tests only)".into());
            };
            Ok(Some(Box::new(FileSender::open(path.to_path_buf())?)))
        }
        other => Err(format!(
            "--sms-sender {other:?}: the senders are none (the default), http (a gateway, --sms-http-config) and \
             file (development and tests only)"
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
        let sender = from_args("file", Some(&path), None)
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
        assert!(from_args("file", None, None).is_err());
        assert!(from_args("http", None, None).is_err());
        assert!(from_args("none", None, Some(std::path::Path::new("/tmp/x"))).is_err());
        assert!(from_args("none", Some(std::path::Path::new("/tmp/x")), None).is_err());
        assert!(from_args("carrier-pigeon", None, None).is_err());
        assert!(matches!(from_args("none", None, None), Ok(None)));
    }
}

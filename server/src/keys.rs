//! The server's secrets, and encryption at rest.
//!
//! A key set holds:
//! - **data keys** (AES-256-GCM), each with an id; the `current` one encrypts new values, every
//!   listed one still decrypts (rotation: `shiming-server keys rotate` adds a key and makes it
//!   current; old ciphertexts stay readable);
//! - the **index key** (HMAC-SHA256): the blind index over a document's identity key, so that
//!   uniqueness is a database constraint without the number being stored in the clear; and the
//!   keyed hashes of request bodies and registration contents (an unkeyed hash of a low-entropy ID
//!   number could be reversed by trying every number). It never rotates: a new one would need
//!   every blind index recomputed, which needs every number decrypted;
//! - the **token key** (HMAC-SHA256): account tokens are derived from it, so that a replay can give
//!   the same token back while only the token's hash is stored;
//! - **signing keys** (Ed25519, RFC 8032), each with an id: the `signing_current` one countersigns
//!   every consent receipt the server accepts, and `GET /policy` publishes the public half of every
//!   listed one, so that a receipt verifies anywhere, later, without the server (rotation:
//!   `shiming-server keys rotate-signing`; receipts signed by an older key still verify as long as
//!   its entry stays listed). A key file written before signing keys existed gets one on the next
//!   start.
//!
//! Where they come from: `SHIMING_KEYS` (the key file's JSON, for containers and secret stores),
//! else the key file (`--key-file`, default `<data-dir>/keys.json`, created mode 0600 on first
//! start). A deployment keeps the key file away from the database's disk: the default puts them
//! side by side, which protects a copied database file but not a copied data directory.
//!
//! A value is `v1 | id length | id | 12-byte random nonce | ciphertext and tag`, with the column's
//! name and the row's id as associated data, so that a ciphertext moved to another column or row
//! does not decrypt.

use std::fmt;
use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

const FORMAT_V1: u8 = 1;
const NONCE_BYTES: usize = 12;
const KEY_BYTES: usize = 32;

/// The key file (and `SHIMING_KEYS`) as JSON.
#[derive(Clone, Serialize, Deserialize)]
struct KeyFile {
    format: u32,
    index_key: String,
    token_key: String,
    current: String,
    data_keys: Vec<DataKeyEntry>,
    /// Ed25519 seeds (RFC 8032 private keys), base64.
    #[serde(default)]
    signing_keys: Vec<DataKeyEntry>,
    #[serde(default)]
    signing_current: String,
}

#[derive(Clone, Serialize, Deserialize)]
struct DataKeyEntry {
    id: String,
    key: String,
    /// When it was made (Unix ms), for the operator.
    created_at: u64,
}

/// A problem with the keys; the message never holds key material.
#[derive(Debug)]
pub struct KeyError(pub String);

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KeyError {}

fn err(message: impl Into<String>) -> KeyError {
    KeyError(message.into())
}

/// The loaded keys.
pub struct Keys {
    file: KeyFile,
    ciphers: Vec<(String, Aes256Gcm)>,
    current: usize,
    index_key: [u8; KEY_BYTES],
    token_key: [u8; KEY_BYTES],
    signers: Vec<(String, ed25519_dalek::SigningKey)>,
    signing_current: usize,
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keys")
            .field(
                "data_keys",
                &self.ciphers.iter().map(|(id, _)| id).collect::<Vec<_>>(),
            )
            .field("current", &self.current_id())
            .finish_non_exhaustive()
    }
}

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    // The OS's CSPRNG; without it nothing secret can be made, and the server must not start.
    #[allow(clippy::expect_used)]
    getrandom::getrandom(&mut out).expect("the operating system's random number generator failed");
    out
}

fn decode_key(text: &str, what: &str) -> Result<[u8; KEY_BYTES], KeyError> {
    let bytes = STANDARD
        .decode(text.trim())
        .map_err(|_| err(format!("{what}: not base64")))?;
    bytes
        .try_into()
        .map_err(|_| err(format!("{what}: a key is {KEY_BYTES} bytes")))
}

fn valid_key_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 32
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

fn new_entry(id: String) -> DataKeyEntry {
    DataKeyEntry {
        id,
        key: STANDARD.encode(random_bytes::<KEY_BYTES>()),
        created_at: now_ms(),
    }
}

impl Keys {
    /// A new key set: one data key, a new index key and token key.
    pub fn generate() -> Keys {
        let file = KeyFile {
            format: 1,
            index_key: STANDARD.encode(random_bytes::<KEY_BYTES>()),
            token_key: STANDARD.encode(random_bytes::<KEY_BYTES>()),
            current: "k1".into(),
            data_keys: vec![new_entry("k1".into())],
            signing_keys: vec![new_entry("s1".into())],
            signing_current: "s1".into(),
        };
        // Freshly generated material always parses.
        match Keys::from_file(file) {
            Ok(keys) => keys,
            Err(e) => unreachable_keys(&e),
        }
    }

    /// Parses the JSON of a key file.
    pub fn from_json(text: &str) -> Result<Keys, KeyError> {
        let file: KeyFile = serde_json::from_str(text)
            .map_err(|e| err(format!("the key file is not valid: {e}")))?;
        Keys::from_file(file)
    }

    fn from_file(file: KeyFile) -> Result<Keys, KeyError> {
        if file.signing_keys.is_empty() {
            return Err(err(
                "the key set has no signing key (a key file from before signing keys gets one when the server starts with it; SHIMING_KEYS needs one added: `shiming-server keys rotate-signing` on a copy)",
            ));
        }
        if file.format != 1 {
            return Err(err(format!("key file format {} is not known", file.format)));
        }
        let index_key = decode_key(&file.index_key, "index_key")?;
        let token_key = decode_key(&file.token_key, "token_key")?;
        let mut ciphers = Vec::new();
        for entry in &file.data_keys {
            if !valid_key_id(&entry.id) {
                return Err(err("a data key id is 1 to 32 of [A-Za-z0-9_-]"));
            }
            if ciphers.iter().any(|(id, _)| id == &entry.id) {
                return Err(err(format!("data key {} is listed twice", entry.id)));
            }
            let key = decode_key(&entry.key, &format!("data key {}", entry.id))?;
            let cipher = Aes256Gcm::new_from_slice(&key).map_err(|_| err("bad data key length"))?;
            ciphers.push((entry.id.clone(), cipher));
        }
        let current = ciphers
            .iter()
            .position(|(id, _)| id == &file.current)
            .ok_or_else(|| {
                err(format!(
                    "the current data key {} is not listed",
                    file.current
                ))
            })?;
        let mut signers = Vec::new();
        for entry in &file.signing_keys {
            if !valid_key_id(&entry.id) {
                return Err(err("a signing key id is 1 to 32 of [A-Za-z0-9_-]"));
            }
            if signers.iter().any(|(id, _)| id == &entry.id) {
                return Err(err(format!("signing key {} is listed twice", entry.id)));
            }
            let seed = decode_key(&entry.key, &format!("signing key {}", entry.id))?;
            signers.push((
                entry.id.clone(),
                ed25519_dalek::SigningKey::from_bytes(&seed),
            ));
        }
        let signing_current = signers
            .iter()
            .position(|(id, _)| id == &file.signing_current)
            .ok_or_else(|| {
                err(format!(
                    "the current signing key {} is not listed",
                    file.signing_current
                ))
            })?;
        Ok(Keys {
            file,
            ciphers,
            current,
            index_key,
            token_key,
            signers,
            signing_current,
        })
    }

    /// Adds an Ed25519 signing key and makes it the one new receipts are signed with. Returns its
    /// id. The old keys stay listed (and published), so that what they signed still verifies.
    pub fn rotate_signing(&mut self) -> Result<String, KeyError> {
        let mut file = self.file.clone();
        let mut n = file.signing_keys.len() + 1;
        while file.signing_keys.iter().any(|e| e.id == format!("s{n}")) {
            n += 1;
        }
        let id = format!("s{n}");
        file.signing_keys.push(new_entry(id.clone()));
        file.signing_current = id.clone();
        *self = Keys::from_file(file)?;
        Ok(id)
    }

    /// A key set of an older file, with its first signing key added (`s1`); `None` if it has one.
    fn with_first_signing_key(file: &KeyFile) -> Option<KeyFile> {
        if !file.signing_keys.is_empty() {
            return None;
        }
        let mut file = file.clone();
        file.signing_keys.push(new_entry("s1".into()));
        file.signing_current = "s1".into();
        Some(file)
    }

    /// Signs `message` with the current signing key: its id and the 64-byte signature.
    pub fn sign(&self, message: &[u8]) -> (&str, [u8; 64]) {
        use ed25519_dalek::Signer;
        match self.signers.get(self.signing_current) {
            Some((id, key)) => (id.as_str(), key.sign(message).to_bytes()),
            // from_file guarantees the current key is listed.
            None => ("", [0; 64]),
        }
    }

    /// The id of the key that signs now.
    pub fn signing_key_id(&self) -> &str {
        self.signers
            .get(self.signing_current)
            .map_or("", |(id, _)| id.as_str())
    }

    /// Every signing key's id and public key (32 bytes), the current one first.
    pub fn verifying_keys(&self) -> Vec<(String, [u8; 32])> {
        let mut keys: Vec<(String, [u8; 32])> = self
            .signers
            .iter()
            .map(|(id, key)| (id.clone(), key.verifying_key().to_bytes()))
            .collect();
        let current = self.signing_current.min(keys.len().saturating_sub(1));
        keys.rotate_left(current);
        keys
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.file).unwrap_or_default() + "\n"
    }

    /// Adds a data key and makes it the current one. Returns its id.
    pub fn rotate(&mut self) -> Result<String, KeyError> {
        let mut n = self.file.data_keys.len() + 1;
        while self.file.data_keys.iter().any(|e| e.id == format!("k{n}")) {
            n += 1;
        }
        let id = format!("k{n}");
        let mut file = self.file.clone();
        file.data_keys.push(new_entry(id.clone()));
        file.current = id.clone();
        *self = Keys::from_file(file)?;
        Ok(id)
    }

    pub fn current_id(&self) -> &str {
        self.ciphers
            .get(self.current)
            .map_or("", |(id, _)| id.as_str())
    }

    /// Loads `SHIMING_KEYS` if set, else `path`; creates `path` (mode 0600) with new keys when
    /// neither exists and `create` is true. Returns the keys and whether they were created.
    pub fn load_or_create(
        env_value: Option<&str>,
        path: &Path,
        create: bool,
    ) -> Result<(Keys, bool), KeyError> {
        if let Some(text) = env_value.filter(|t| !t.trim().is_empty()) {
            return Ok((Keys::from_json(text)?, false));
        }
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let file: KeyFile = serde_json::from_str(&text)
                    .map_err(|e| err(format!("the key file is not valid: {e}")))?;
                match Keys::with_first_signing_key(&file) {
                    // A key file from before signing keys: add one, and keep it.
                    Some(upgraded) => {
                        let keys = Keys::from_file(upgraded)?;
                        keys.save(path)?;
                        Ok((keys, false))
                    }
                    None => Ok((Keys::from_file(file)?, false)),
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
                let keys = Keys::generate();
                keys.save(path)?;
                Ok((keys, true))
            }
            Err(e) => Err(err(format!(
                "cannot read the key file {}: {e}",
                path.display()
            ))),
        }
    }

    /// Writes the key file atomically (a temporary file, fsynced, renamed), mode 0600.
    pub fn save(&self, path: &Path) -> Result<(), KeyError> {
        use std::io::Write;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| err(format!("cannot create {}: {e}", dir.display())))?;
        }
        let tmp = path.with_extension("json.tmp");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let write = || -> std::io::Result<()> {
            let mut file = options.open(&tmp)?;
            file.write_all(self.to_json().as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&tmp, path)?;
            if let Some(dir) = path.parent() {
                std::fs::File::open(dir)?.sync_all()?;
            }
            Ok(())
        };
        write().map_err(|e| err(format!("cannot write the key file {}: {e}", path.display())))
    }

    /// Encrypts `plain` for `column` of row `row` with the current data key.
    pub fn encrypt(&self, column: &str, row: &str, plain: &[u8]) -> Vec<u8> {
        let Some((id, cipher)) = self.ciphers.get(self.current) else {
            return Vec::new();
        };
        let nonce = random_bytes::<NONCE_BYTES>();
        let aad = associated_data(column, row);
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: &aad,
                },
            )
            .unwrap_or_default();
        let mut out = Vec::with_capacity(2 + id.len() + NONCE_BYTES + sealed.len());
        out.push(FORMAT_V1);
        out.push(u8::try_from(id.len()).unwrap_or(0));
        out.extend_from_slice(id.as_bytes());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Decrypts a value of `column` of row `row`; `None` when it does not decrypt (another
    /// column's or row's value, a missing key, tampering).
    pub fn decrypt(&self, column: &str, row: &str, value: &[u8]) -> Option<Vec<u8>> {
        let (&format, rest) = value.split_first()?;
        if format != FORMAT_V1 {
            return None;
        }
        let (&id_len, rest) = rest.split_first()?;
        let (id, rest) = rest.split_at_checked(usize::from(id_len))?;
        let (nonce, sealed) = rest.split_at_checked(NONCE_BYTES)?;
        let (_, cipher) = self.ciphers.iter().find(|(k, _)| k.as_bytes() == id)?;
        let aad = associated_data(column, row);
        cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: &aad,
                },
            )
            .ok()
    }

    /// The id of the data key a value was encrypted with.
    pub fn key_id_of(value: &[u8]) -> Option<&str> {
        let id_len = usize::from(*value.get(1)?);
        std::str::from_utf8(value.get(2..2 + id_len)?).ok()
    }

    /// HMAC-SHA256 under the index key, with a purpose label (domain separation).
    pub fn index_mac(&self, purpose: &str, data: &[u8]) -> Vec<u8> {
        mac(&self.index_key, purpose, data)
    }

    /// The account token of a registration: derived from its server id and a per-account salt.
    pub fn account_token(&self, server_id: &str, salt: &[u8]) -> String {
        let mut input = server_id.as_bytes().to_vec();
        input.push(0);
        input.extend_from_slice(salt);
        format!(
            "at_{}",
            URL_SAFE_NO_PAD.encode(mac(&self.token_key, "account-token", &input))
        )
    }

    /// A value that tells whether these keys are the ones a database was written with.
    pub fn check_value(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.index_mac("key-check", b"shiming"))
    }
}

fn unreachable_keys(e: &KeyError) -> Keys {
    // Generated keys are well-formed by construction; reaching this is a bug in this module.
    #[allow(clippy::panic)]
    {
        panic!("generated keys did not load: {e}")
    }
}

fn associated_data(column: &str, row: &str) -> Vec<u8> {
    let mut aad = b"shiming:v1:".to_vec();
    aad.extend_from_slice(column.as_bytes());
    aad.push(0);
    aad.extend_from_slice(row.as_bytes());
    aad
}

fn mac(key: &[u8], purpose: &str, data: &[u8]) -> Vec<u8> {
    let Ok(mut m) = <HmacSha256 as Mac>::new_from_slice(key) else {
        return Vec::new();
    };
    m.update(purpose.as_bytes());
    m.update(&[0]);
    m.update(data);
    m.finalize().into_bytes().to_vec()
}

/// SHA-256 (for hashing tokens before storing them: they are random, so no key is needed).
pub fn sha256(data: &[u8]) -> Vec<u8> {
    Sha256::digest(data).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ed25519 through the core's closure, as a platform's Rust backend would check a receipt.
    fn dalek_verify(public: &[u8; 32], message: &[u8], signature: &[u8; 64]) -> bool {
        ed25519_dalek::VerifyingKey::from_bytes(public).is_ok_and(|key| {
            key.verify_strict(message, &ed25519_dalek::Signature::from_bytes(signature))
                .is_ok()
        })
    }

    fn public_keys(keys: &Keys) -> Vec<shiming::consent::VerifyingKey> {
        keys.verifying_keys()
            .into_iter()
            .map(|(key_id, public_key)| shiming::consent::VerifyingKey { key_id, public_key })
            .collect()
    }

    #[test]
    fn countersigned_receipts_verify_and_any_change_or_other_key_fails() {
        use shiming::consent::{
            build_receipt, sync_receipt, Document, DocumentKind, ReadingEvidence, ReceiptInput,
            Viewport,
        };
        use shiming::Code;
        let doc = Document::new(
            "terms",
            "1",
            DocumentKind::ServiceAgreement,
            "协议",
            "zh-CN",
            "全文",
        );
        let input = ReceiptInput {
            receipt_id: "receipt-0001".into(),
            jurisdiction: "CN".into(),
            collection_method: "web_form".into(),
            subject: "reg:reg-0000000001".into(),
            guardian: None,
            reading: Some(ReadingEvidence {
                reached_end: true,
                visible_seconds: 5,
                viewport: Viewport {
                    width: 390,
                    height: 844,
                },
                locale: "zh-CN".into(),
            }),
            sequence: 1,
            idempotency_key: "idem-00000001".into(),
            client_time: 1_764_374_400,
        };
        let receipt = build_receipt(&doc, &input).unwrap();
        let mut keys = Keys::generate();
        // Never a signature without the server's time.
        assert!(receipt.countersigned("s1", |m| keys.sign(m).1).is_none());
        let synced = sync_receipt(&receipt, 1_764_374_460).unwrap();
        let signed = synced
            .countersigned(keys.signing_key_id(), |m| keys.sign(m).1)
            .unwrap();
        assert_eq!(
            signed.check_signature(&public_keys(&keys), dalek_verify),
            Ok(())
        );
        // It survives its JSON: verify_receipt reads the signature back.
        let read = shiming::consent::verify_receipt(&signed.to_json(), std::slice::from_ref(&doc))
            .unwrap();
        assert_eq!(read, signed);
        // Unsigned: missing.
        assert_eq!(
            synced
                .check_signature(&public_keys(&keys), dalek_verify)
                .unwrap_err()
                .code,
            Code::ConsentSignatureMissing
        );
        // Every field changed (the digest recomputed, as a forger would): invalid.
        let mut changed = Vec::new();
        let mut c = signed.clone();
        c.receipt_id.push('x');
        changed.push(c);
        let mut c = signed.clone();
        c.subject.push('x');
        changed.push(c);
        let mut c = signed.clone();
        c.sequence += 1;
        changed.push(c);
        let mut c = signed.clone();
        c.client_time += 1;
        changed.push(c);
        let mut c = signed.clone();
        c.server_time = Some(1);
        changed.push(c);
        let mut c = signed.clone();
        c.document.version.push('x');
        changed.push(c);
        let mut c = signed.clone();
        c.document.digest = "0".repeat(64);
        changed.push(c);
        let mut c = signed.clone();
        c.language = "en".into();
        changed.push(c);
        let mut c = signed.clone();
        c.jurisdiction = "HK".into();
        changed.push(c);
        let mut c = signed.clone();
        c.idempotency_key.push('x');
        changed.push(c);
        let mut c = signed.clone();
        c.guardian = Some("guardian-1".into());
        changed.push(c);
        let mut c = signed.clone();
        if let Some(r) = c.reading.as_mut() {
            r.visible_seconds += 1;
        }
        changed.push(c);
        let mut c = signed.clone();
        if let Some(r) = c.reading.as_mut() {
            r.reached_end = false;
        }
        changed.push(c);
        let mut c = signed.clone();
        if let Some(r) = c.reading.as_mut() {
            r.viewport.width += 1;
        }
        changed.push(c);
        for mut c in changed {
            c.digest = c.compute_digest();
            assert_eq!(
                c.check_signature(&public_keys(&keys), dalek_verify)
                    .unwrap_err()
                    .code,
                Code::ConsentSignatureInvalid,
                "{c:?}"
            );
        }
        // Signed by another server's key under the same id: invalid; an id not listed: unknown.
        let other = Keys::generate();
        let forged = synced.countersigned("s1", |m| other.sign(m).1).unwrap();
        assert_eq!(
            forged
                .check_signature(&public_keys(&keys), dalek_verify)
                .unwrap_err()
                .code,
            Code::ConsentSignatureInvalid
        );
        let unknown = synced.countersigned("s9", |m| keys.sign(m).1).unwrap();
        assert_eq!(
            unknown
                .check_signature(&public_keys(&keys), dalek_verify)
                .unwrap_err()
                .code,
            Code::ConsentSignatureKeyUnknown
        );
        // Rotation: new receipts are signed by s2, the old signature still verifies.
        assert_eq!(keys.rotate_signing().unwrap(), "s2");
        assert_eq!(
            signed.check_signature(&public_keys(&keys), dalek_verify),
            Ok(())
        );
        let newer = synced
            .countersigned(keys.signing_key_id(), |m| keys.sign(m).1)
            .unwrap();
        assert_eq!(newer.server_signature.as_ref().unwrap().key_id, "s2");
        assert_eq!(
            newer.check_signature(&public_keys(&keys), dalek_verify),
            Ok(())
        );
        // The key file keeps both.
        let reloaded = Keys::from_json(&keys.to_json()).unwrap();
        assert_eq!(reloaded.verifying_keys(), keys.verifying_keys());
    }

    #[test]
    fn round_trip_rotation_and_binding() {
        let mut keys = Keys::generate();
        let sealed = keys.encrypt("name", "r_1", "王小明".as_bytes());
        assert_eq!(Keys::key_id_of(&sealed), Some("k1"));
        assert!(!sealed.windows(3).any(|w| w == "王".as_bytes()));
        assert_eq!(
            keys.decrypt("name", "r_1", &sealed).as_deref(),
            Some("王小明".as_bytes())
        );
        // Another column or row: refused.
        assert_eq!(keys.decrypt("phone", "r_1", &sealed), None);
        assert_eq!(keys.decrypt("name", "r_2", &sealed), None);
        // Rotation: new writes use k2, k1 still decrypts.
        assert_eq!(keys.rotate().ok().as_deref(), Some("k2"));
        let newer = keys.encrypt("name", "r_1", b"x");
        assert_eq!(Keys::key_id_of(&newer), Some("k2"));
        assert_eq!(
            keys.decrypt("name", "r_1", &sealed).as_deref(),
            Some("王小明".as_bytes())
        );
        // Through JSON.
        let again = Keys::from_json(&keys.to_json()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            again.decrypt("name", "r_1", &newer).as_deref(),
            Some(&b"x"[..])
        );
        assert_eq!(again.check_value(), keys.check_value());
        // Tampering and truncation.
        let mut bad = sealed.clone();
        if let Some(last) = bad.last_mut() {
            *last ^= 1;
        }
        assert_eq!(keys.decrypt("name", "r_1", &bad), None);
        for n in 0..sealed.len() {
            assert_eq!(keys.decrypt("name", "r_1", &sealed[..n]), None);
        }
    }

    #[test]
    fn bad_key_files_are_refused_with_a_message() {
        assert!(Keys::from_json("{").is_err());
        let mut file: serde_json::Value =
            serde_json::from_str(&Keys::generate().to_json()).unwrap_or_default();
        file["current"] = "k9".into();
        let e = Keys::from_json(&file.to_string())
            .err()
            .map(|e| e.0)
            .unwrap_or_default();
        assert!(e.contains("k9"), "{e}");
    }

    #[test]
    fn account_tokens_are_stable_and_distinct() {
        let keys = Keys::generate();
        let a = keys.account_token("r_1", b"salt");
        assert_eq!(a, keys.account_token("r_1", b"salt"));
        assert_ne!(a, keys.account_token("r_1", b"salu"));
        assert_ne!(a, keys.account_token("r_2", b"salt"));
        assert!(a.starts_with("at_") && a.len() == 3 + 43, "{a}");
    }
}

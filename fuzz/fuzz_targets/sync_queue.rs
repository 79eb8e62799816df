//! Fuzz target for the sync client core: the bytes are (1) a stored queue to restore (what a
//! browser reads back from IndexedDB may be anything) and (2) a script of events driving a queue:
//! enqueues, polls, responses with any status, `Retry-After` and body, transport errors, time
//! jumps (also backwards) and page reloads. No input may panic; the queue never has more requests
//! in flight than allowed; a restore of what it saved always succeeds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shiming::sync::{OutgoingRequest, SyncConfig, SyncQueue};

fuzz_target!(|bytes: &[u8]| {
    let config = SyncConfig::default();
    let text = String::from_utf8_lossy(bytes);
    if let Ok(restored) = SyncQueue::from_json(&text, config.clone()) {
        let saved = restored.to_json();
        assert!(SyncQueue::from_json(&saved, config.clone()).is_ok(), "a saved queue must restore");
    }

    let mut queue = SyncQueue::new(config.clone());
    let mut now: u64 = 1_764_374_400_000;
    let mut ids: Vec<String> = Vec::new();
    let mut in_flight: Vec<OutgoingRequest> = Vec::new();
    for (index, op) in bytes.chunks(4).enumerate() {
        let rest = bytes.get((index + 1) * 4..).unwrap_or(&[]);
        let [a, b, c, d] = [0, 1, 2, 3].map(|i| op.get(i).copied().unwrap_or(0));
        let random = u32::from_le_bytes([a, b, c, d]);
        match a % 8 {
            0 => {
                let id = format!("c{:08x}", ids.len() * 7919 + usize::from(b));
                if queue.enqueue_consent(&id, r#"{"receipts":[]}"#, now, [random, 1, 2, 3]).is_ok() {
                    ids.push(id);
                }
            }
            1 => {
                let id = format!("r{:08x}", ids.len() * 104_729 + usize::from(b));
                let deps: Vec<&str> = ids.iter().rev().take(usize::from(c % 4)).map(String::as_str).collect();
                if queue.enqueue_registration(&id, r#"{"registrationId":"x"}"#, &deps, now, [random, 4, 5, 6]).is_ok() {
                    ids.push(id);
                }
            }
            2 => {
                let sent = queue.poll(now);
                in_flight.extend(sent);
                assert!(queue.in_flight() <= config.max_in_flight);
            }
            3 | 4 => {
                if let Some(request) = in_flight.pop() {
                    let status = [200u16, 201, 204, 400, 404, 408, 409, 422, 429, 500, 503, 302, 100, 0, 599, 999][usize::from(b % 16)];
                    let retry_after = match c % 4 {
                        0 => None,
                        1 => Some(format!("{}", d)),
                        2 => Some("Sun, 06 Nov 1994 08:49:37 GMT".to_string()),
                        _ => Some(String::from_utf8_lossy(op).into_owned()),
                    };
                    let body = match d % 3 {
                        0 => String::new(),
                        1 => r#"{"issues":[{"path":["form","idNumber"],"code":"id_checksum_mismatch","params":{}}]}"#.to_string(),
                        _ => String::from_utf8_lossy(rest).into_owned(),
                    };
                    queue.on_response(&request, now, status, retry_after.as_deref(), &body, random);
                }
            }
            5 => {
                if let Some(request) = in_flight.pop() {
                    queue.on_transport_error(&request, now, random);
                }
            }
            6 => {
                // Time passes, or the device clock jumps (backwards too).
                let jump = u64::from(random % 10_000_000);
                now = if b % 5 == 0 { now.saturating_sub(jump) } else { now.saturating_add(jump) };
                let _ = queue.next_wakeup();
            }
            _ => {
                // A page reload: in-flight requests are lost, the queue comes back from storage.
                let saved = queue.to_json();
                let Ok(restored) = SyncQueue::from_json(&saved, config.clone()) else {
                    panic!("a saved queue must restore");
                };
                queue = restored;
                in_flight.clear();
            }
        }
        let _ = queue.drain_events();
    }
});

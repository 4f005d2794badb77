//! A real SMTP server on a loopback port (`scripts/smtp_sink.py`, Debian's
//! python3-aiosmtpd) that writes each message it accepts as JSON: headers and the
//! decoded text and HTML parts.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A running sink; stopped when dropped.
pub struct SmtpSink {
    /// `smtp://127.0.0.1:PORT`, for `KINDRED_SMTP_URL`.
    pub url: String,
    folder: tempfile::TempDir,
    child: Child,
}

impl SmtpSink {
    /// Starts a sink that accepts everything.
    pub fn start() -> SmtpSink {
        SmtpSink::failing_first(0)
    }

    /// Starts a sink that answers the first `failures` messages with 451 (try later).
    pub fn failing_first(failures: u32) -> SmtpSink {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let folder = tempfile::tempdir().unwrap();
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/smtp_sink.py");
        let child = Command::new("/usr/bin/python3")
            .arg(script)
            .args(["--port", &port.to_string(), "--folder"])
            .arg(folder.path())
            .args(["--fail-first", &failures.to_string()])
            .spawn()
            .expect("python3 with aiosmtpd (make setup installs python3-aiosmtpd)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the SMTP sink did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        SmtpSink { url: format!("smtp://127.0.0.1:{port}"), folder, child }
    }

    /// Every message received so far, oldest first.
    pub fn messages(&self) -> Vec<Value> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.folder.path())
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A header of a received message (`""` when absent).
pub fn header<'a>(message: &'a Value, name: &str) -> &'a str {
    message["headers"][name].as_str().unwrap_or_default()
}

/// The first `http…` URL in a message's text part that contains `needle`.
pub fn link_with(message: &Value, needle: &str) -> String {
    let text = message["text"].as_str().unwrap_or_default();
    text.split_whitespace()
        .find(|w| w.starts_with("http") && w.contains(needle))
        .unwrap_or_else(|| panic!("no link with {needle} in: {text}"))
        .to_owned()
}

/// The `token` query value of a URL.
pub fn token_of(url: &str) -> String {
    url.split("token=").nth(1).unwrap_or_default().split('&').next().unwrap_or_default().to_owned()
}

//! `likekind serve` started by a test, its standard output read line by line on a thread
//! (and drained to the end, so the server never blocks on a full pipe).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Starts `likekind ARGS…`; the lines it prints arrive on the receiver.
pub fn spawn(args: &[&str]) -> (Child, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_likekind"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    (child, rx)
}

/// The address of its "listening on http://ADDR" line (waiting up to a minute).
pub fn address(lines: &mpsc::Receiver<String>) -> String {
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(60))
            .expect("the server printed its address");
        if let Some(rest) = line.split("listening on http://").nth(1) {
            return rest.split_whitespace().next().unwrap_or("").to_string();
        }
    }
}

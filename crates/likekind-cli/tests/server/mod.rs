//! `likekind serve` started by a test, its standard output read line by line on a thread
//! (and drained to the end, so the server never blocks on a full pipe), and stopped when
//! the test lets go of it, a failing one included.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running server: the process, the address it listens on, and the lines it printed
/// after its "listening" line.
pub struct Server {
    pub child: Child,
    pub addr: String,
    pub lines: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `likekind ARGS…` and waits (up to a minute) for its "listening on http://ADDR".
pub fn start(args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_likekind"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // Stopped by `Drop` if it never says where it listens.
    let mut server = Server {
        child,
        addr: String::new(),
        lines,
    };
    server.addr = loop {
        let line = server
            .lines
            .recv_timeout(Duration::from_secs(60))
            .expect("the server printed its address");
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest.split_whitespace().next().unwrap_or("").to_string();
        }
    };
    server
}

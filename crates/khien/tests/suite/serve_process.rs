//! `khien serve` in a process of the test's own, for what only the real binary shows: a SIGKILL
//! mid-stream, the process's peak memory. Killed when dropped.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct ServeProcess {
    child: Child,
    dir: PathBuf,
    port: u16,
    extra: Vec<String>,
    pub base: String,
}

impl ServeProcess {
    /// Starts `khien serve` on a free port with its data in `dir` (and `extra` arguments), and
    /// waits until it answers.
    pub async fn start(dir: &Path, extra: &[&str]) -> ServeProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let extra: Vec<String> = extra.iter().map(|a| a.to_string()).collect();
        let child = spawn(dir, port, &extra);
        let server =
            ServeProcess { child, dir: dir.to_path_buf(), port, extra, base: format!("http://127.0.0.1:{port}") };
        server.wait_ready().await;
        server
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills the process with SIGKILL, as a crash would.
    pub fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Starts it again on the same port and data, after `kill`.
    pub async fn restart(&mut self) {
        self.child = spawn(&self.dir, self.port, &self.extra);
        self.wait_ready().await;
    }

    async fn wait_ready(&self) {
        let started = Instant::now();
        while reqwest::get(format!("{}/healthz", self.base)).await.is_err() {
            assert!(started.elapsed() < Duration::from_secs(60), "khien serve did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn spawn(dir: &Path, port: u16, extra: &[String]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_khien"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--data-dir", dir.to_str().unwrap()])
        .args(extra)
        .env("KHIEN_ADMIN_PASSWORD", crate::common::ADMIN_PASSWORD)
        .env("KHIEN_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap()
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

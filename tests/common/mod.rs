//! Test helpers: copy a fixture site to a temp folder and run the real binary.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A site in a temp folder.
pub struct Site {
    pub dir: tempfile::TempDir,
}

/// What a run of the binary gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Site {
    /// Copy `tests/fixtures/<name>` into a fresh temp folder.
    pub fn fixture(name: &str) -> Site {
        let site = Site::empty();
        copy_tree(&fixtures().join(name), site.root());
        site
    }

    pub fn empty() -> Site {
        Site {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Run `follicle ARGS` in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_follicle"));
        cmd.args(args)
            .current_dir(self.root())
            .env_remove("FOLLICLE_INJECT_FAULT");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run follicle");
        let root = self.root().canonicalize().unwrap();
        let parent = root.parent().unwrap().display().to_string();
        let clean = |b: &[u8]| {
            let s = String::from_utf8_lossy(b)
                .replace(&root.display().to_string(), "[ROOT]")
                .replace(&self.root().display().to_string(), "[ROOT]");
            // A path that is exactly the parent of the site (e.g. `--output ..`).
            s.replace(&format!(" {parent} "), " [PARENT] ")
        };
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: clean(&out.stdout),
            stderr: clean(&out.stderr),
        }
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// Hash of every file under `rel` (path → content), for "nothing changed" checks.
    pub fn snapshot(&self, rel: &str) -> BTreeMap<String, Vec<u8>> {
        tree(&self.path(rel))
    }
}

/// Every file under `dir`, path relative to it → bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    // A file renamed or deleted while we walk (a staging folder swapped in by
    // a running `watch`) was not there: anything else is a failure.
    let gone = |e: &std::io::Error| e.kind() == std::io::ErrorKind::NotFound;
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = match e {
            Ok(e) => e,
            Err(err) if err.io_error().is_some_and(gone) => continue,
            Err(err) => panic!("{err}"),
        };
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            match std::fs::read(e.path()) {
                Ok(bytes) => out.insert(rel, bytes),
                Err(err) if gone(&err) => continue,
                Err(err) => panic!("{}: {err}", e.path().display()),
            };
        }
    }
    out
}

pub fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// A `follicle serve` or `follicle watch` process, killed when dropped.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A loopback port nobody listens on (now).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Send `request` as it is to 127.0.0.1:`port` and read the answer to its end:
/// (status code, or 0 when there is none; the whole answer as text).
pub fn http(port: u16, request: &[u8], read_timeout: Duration) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(read_timeout))?;
    s.write_all(request)?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf)?;
    let text = String::from_utf8_lossy(&buf).to_string();
    let code = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Ok((code, text))
}

/// Poll `cond` every 20 ms; fail the test after `limit`.
pub fn wait_for(mut cond: impl FnMut() -> bool, what: &str, limit: Duration) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A real PNG of `w` × `h` grey pixels, for fixtures that need an image file.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::GrayImage::from_pixel(w, h, image::Luma([128]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

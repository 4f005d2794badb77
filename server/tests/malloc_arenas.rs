//! The real server binary shares at most two malloc arenas between all its threads
//! (`server/src/main.rs`, `tune_malloc`): with glibc's default of one per thread, each
//! arena kept the holes of its own busiest moments and resident memory crept up under the
//! 30-minute soak (docs/RELIABILITY.md, "Memory under a long soak").
#![cfg(all(target_os = "linux", target_env = "gnu"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

/// glibc reserves each arena other than the main one (which is the `[heap]`) as a
/// 64 MiB-aligned mapping of 64 MiB: the part in use readable and writable, the rest
/// inaccessible right after it.
const ARENA_HEAP: u64 = 64 * 1024 * 1024;

fn get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    Some(answer)
}

/// The arenas glibc mapped for `pid` besides the main one.
fn mapped_arenas(pid: u32) -> usize {
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap();
    let regions: Vec<(u64, u64, String, bool)> = maps
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (start, end) = fields[0].split_once('-').unwrap();
            (
                u64::from_str_radix(start, 16).unwrap(),
                u64::from_str_radix(end, 16).unwrap(),
                fields[1].to_owned(),
                fields.len() > 5,
            )
        })
        .collect();
    regions
        .windows(2)
        .filter(|pair| {
            let ((start, end, perms, named), (next_start, next_end, next_perms, _)) =
                (&pair[0], &pair[1]);
            !named
                && perms.starts_with("rw")
                && start % ARENA_HEAP == 0
                && next_perms.starts_with("---")
                && next_start == end
                && next_end - start == ARENA_HEAP
        })
        .count()
}

/// Starts the real server (with `KINDRED_MALLOC_ARENAS` set to `arenas`, if given), serves
/// pages to eight clients at once, and counts the arenas it then has besides the main one.
fn arenas_after_eight_clients(arenas: Option<&str>) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_server"));
    server
        .env("DATABASE_URL", format!("sqlite://{}/kindred.db", dir.path().display()))
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", dir.path().join("site"))
        .env("KINDRED_LOG", "error")
        .env("KINDRED_MAIL_DIR", dir.path().join("mail"))
        .env("KINDRED_FILES_DIR", dir.path().join("files"))
        .env_remove("MALLOC_ARENA_MAX")
        .env_remove("KINDRED_MALLOC_ARENAS");
    if let Some(arenas) = arenas {
        server.env("KINDRED_MALLOC_ARENAS", arenas);
    }
    let mut server = server.spawn().unwrap();
    let began = Instant::now();
    while get(port, "/healthz").is_none_or(|answer| !answer.starts_with("HTTP/1.1 200")) {
        assert!(began.elapsed() < Duration::from_secs(60), "the server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }

    // Pages from eight clients at once, so the runtime's workers and several SQLite
    // connections' threads all allocate.
    let clients: Vec<_> = (0..8)
        .map(|_| {
            std::thread::spawn(move || {
                for path in ["/", "/communities", "/signin", "/search?q=river"].repeat(10) {
                    assert!(get(port, path).unwrap().starts_with("HTTP/1.1 200"), "{path}");
                }
            })
        })
        .collect();
    for client in clients {
        client.join().unwrap();
    }

    let arenas = mapped_arenas(server.id());
    server.kill().unwrap();
    server.wait().unwrap();
    arenas
}

#[test]
fn every_thread_of_the_server_shares_two_malloc_arenas() {
    let arenas = arenas_after_eight_clients(None);
    assert!(arenas <= 1, "{arenas} arenas besides the main one (at most one expected)");
}

/// `KINDRED_MALLOC_ARENAS=0` gives glibc's default back (an arena per busy thread), for an
/// operator who trades memory for less waiting on the allocator.
#[test]
fn kindred_malloc_arenas_0_gives_each_busy_thread_its_own_arena() {
    let arenas = arenas_after_eight_clients(Some("0"));
    assert!(
        arenas > 1,
        "{arenas} arenas besides the main one with glibc's default (more expected)"
    );
}

//! A probe of the client under faults and hostile responses, against plain
//! TCP servers on 127.0.0.1 in the same process (issue 20). Not a test: it
//! prints what it saw, for `scripts/fault-probe.sh` to run before and after
//! a change (peak memory is measured around it with `/usr/bin/time -v`).
//! It uses only API that every version of the crate has, so the same file
//! runs against older commits.
//!
//! ```sh
//! cargo run --release -p telnyx-fax --example fault_probe -- faults
//! cargo run --release -p telnyx-fax --example fault_probe -- redirect
//! cargo run --release -p telnyx-fax --example fault_probe -- error-body 100
//! cargo run --release -p telnyx-fax --example fault_probe -- success-body 1000
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use telnyx_fax::prelude::*;
use telnyx_fax::Request;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mb = |i: usize| args.get(i).and_then(|a| a.parse::<u64>().ok()).unwrap_or(100);
    match args.first().map(String::as_str) {
        Some("faults") => faults().await,
        Some("redirect") => redirect().await,
        Some("error-body") => big_body(500, mb(1), false).await,
        Some("success-body") => big_body(200, mb(1), false).await,
        Some("success-body-chunked") => big_body(200, mb(1), true).await,
        _ => {
            eprintln!("usage: fault_probe faults | redirect | error-body MB | success-body MB | success-body-chunked MB");
            std::process::exit(2);
        }
    }
}

/// Reads one HTTP/1.1 request (head and `Content-Length` body); `None` when
/// the peer closed first.
async fn read_request(socket: &mut TcpStream) -> Option<String> {
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return Some(String::from_utf8_lossy(&data[..end + 4 + length]).into_owned());
            }
        }
        let n = socket.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
}

#[derive(Clone, Copy, Debug)]
enum Fault {
    Stall,
    Drop,
    Status500,
    Status409,
    Status503RetryAfter0,
    Status429,
    Refused,
}

/// A server that counts the POSTs it reads and answers each with `fault`.
async fn fault_server(fault: Fault) -> (String, Arc<AtomicUsize>) {
    let posts = Arc::new(AtomicUsize::new(0));
    if let Fault::Refused = fault {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        return (format!("http://{addr}"), posts);
    }
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let counter = posts.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { break };
            let counter = counter.clone();
            tokio::spawn(async move {
                while let Some(request) = read_request(&mut socket).await {
                    if request.starts_with("POST") {
                        counter.fetch_add(1, Ordering::SeqCst);
                    }
                    let answer = match fault {
                        Fault::Stall => {
                            tokio::time::sleep(Duration::from_secs(30)).await;
                            return;
                        }
                        Fault::Drop | Fault::Refused => return,
                        Fault::Status500 => "HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n",
                        Fault::Status409 => "HTTP/1.1 409 Conflict\r\ncontent-length: 0\r\n\r\n",
                        Fault::Status503RetryAfter0 => {
                            "HTTP/1.1 503 Service Unavailable\r\nretry-after: 0\r\ncontent-length: 0\r\n\r\n"
                        }
                        Fault::Status429 => "HTTP/1.1 429 Too Many Requests\r\ncontent-length: 0\r\n\r\n",
                    };
                    if socket.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (format!("http://{addr}"), posts)
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .api_key("probe-secret-key")
        .default_header("x-api-key", "probe-secret-header")
        .base_url(base_url)
        .timeout(Duration::from_millis(300))
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .unwrap()
}

fn send_fax() -> SendFaxRequest {
    SendFaxRequest::new("234423", "+13125790015", "+13127367276").media_url("https://example.com/a.pdf")
}

async fn faults() {
    for fault in [
        Fault::Stall,
        Fault::Drop,
        Fault::Status500,
        Fault::Status409,
        Fault::Status503RetryAfter0,
        Fault::Status429,
        Fault::Refused,
    ] {
        let (url, posts) = fault_server(fault).await;
        let client = client(&url);
        let started = Instant::now();
        let err = client.faxes().create(send_fax()).await.unwrap_err();
        println!(
            "{fault:?}: POSTs received {} ({:?}, {:.1} s): {}",
            posts.load(Ordering::SeqCst),
            err.kind(),
            started.elapsed().as_secs_f64(),
            err.to_string().chars().take(100).collect::<String>()
        );
    }
}

async fn redirect() {
    // B: the other origin (another port), records what it is sent.
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let b = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let b_addr = b.local_addr().unwrap();
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = b.accept().await else { break };
            if let Some(request) = read_request(&mut socket).await {
                log.lock().unwrap().push(request);
            }
            let ok = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 13\r\n\r\n{\"data\":null}";
            let _ = socket.write_all(ok.as_bytes()).await;
        }
    });
    // A: answers every request with 307 to B.
    let a = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let a_addr = a.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = a.accept().await else { break };
            while read_request(&mut socket).await.is_some() {
                let answer = format!(
                    "HTTP/1.1 307 Temporary Redirect\r\nlocation: http://{b_addr}/faxes\r\ncontent-length: 0\r\n\r\n"
                );
                if socket.write_all(answer.as_bytes()).await.is_err() {
                    break;
                }
            }
        }
    });
    let client = client(&format!("http://{a_addr}"));
    let result = client.faxes().create(send_fax()).max_retries(0).await;
    println!("result: {}", match &result {
        Ok(_) => "Ok".to_string(),
        Err(e) => format!("{:?} {}", e.kind(), e),
    });
    let seen = seen.lock().unwrap();
    println!("the other origin received {} request(s)", seen.len());
    for request in seen.iter() {
        println!("---\n{request}");
    }
}

/// Serves a `status` response with an `mb` MB JSON body (with
/// `Content-Length`, or chunked without one) and reads it with the client.
async fn big_body(status: u16, mb: u64, chunked: bool) {
    let total = mb * 1_000_000;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { break };
            tokio::spawn(async move {
                if read_request(&mut socket).await.is_none() {
                    return;
                }
                // A JSON body: {"errors":[{"detail":"xxxx...x"}]}.
                let prefix = b"{\"errors\":[{\"detail\":\"";
                let suffix = b"\"}]}";
                let framing = if chunked {
                    "transfer-encoding: chunked".to_string()
                } else {
                    format!("content-length: {total}")
                };
                let head = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{framing}\r\n\r\n");
                let frame = |data: &[u8]| -> Vec<u8> {
                    if chunked {
                        [format!("{:x}\r\n", data.len()).as_bytes(), data, b"\r\n"].concat()
                    } else {
                        data.to_vec()
                    }
                };
                if socket.write_all(head.as_bytes()).await.is_err() || socket.write_all(&frame(prefix)).await.is_err() {
                    return;
                }
                let chunk = vec![b'x'; 64 * 1024];
                let mut left = total - prefix.len() as u64 - suffix.len() as u64;
                while left > 0 {
                    let n = left.min(chunk.len() as u64) as usize;
                    if socket.write_all(&frame(&chunk[..n])).await.is_err() {
                        return;
                    }
                    left -= n as u64;
                }
                let _ = socket.write_all(&frame(suffix)).await;
                if chunked {
                    let _ = socket.write_all(b"0\r\n\r\n").await;
                }
            });
        }
    });
    let client = Client::builder()
        .api_key("probe-secret-key")
        .base_url(format!("http://{addr}"))
        .timeout(Duration::from_secs(120))
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .unwrap();
    let started = Instant::now();
    let result: telnyx_fax::Result<serde_json::Value> =
        Request::new(&client, reqwest::Method::GET, "/big", "GetBig").max_retries(0).await;
    match result {
        Ok(value) => println!("ok: a {} MB body decoded ({:?})", mb, value.as_object().map(|o| o.len())),
        Err(e) => {
            let message = e.to_string();
            println!(
                "error {:?} after {:.1} s; message {} bytes; raw body kept {} bytes: {}",
                e.kind(),
                started.elapsed().as_secs_f64(),
                message.len(),
                e.raw_body().map_or(0, str::len),
                message.chars().take(160).collect::<String>()
            );
        }
    }
}

//! A recording HTTP server on 127.0.0.1 for the client's tests: it answers each request with the
//! next canned answer and keeps the request exactly as it arrived (raw request target included).

#![allow(dead_code)]

pub mod peers;

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The request target exactly as sent: path and query, bytes unchanged.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the request body is JSON")
    }
}

/// An answer to give.
#[derive(Debug, Clone)]
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering (a stalled server).
    pub delay: Option<Duration>,
    /// Send only this many body bytes, then close (a connection lost mid-body).
    pub cut_body_at: Option<usize>,
}

impl Canned {
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        Canned::raw(status, "application/json", body.to_string().as_bytes())
    }

    pub fn empty(status: u16) -> Self {
        Canned {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: None,
            cut_body_at: None,
        }
    }

    pub fn raw(status: u16, content_type: &str, body: &[u8]) -> Self {
        Canned {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.to_vec(),
            delay: None,
            cut_body_at: None,
        }
    }
}

pub struct TestServer {
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl TestServer {
    /// Starts a server answering with `answers` in turn (the last one repeats).
    pub async fn start(answers: Vec<Canned>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = requests.clone();
        tokio::spawn(async move {
            let mut served = 0usize;
            while let Ok((stream, _)) = listener.accept().await {
                let answer = answers[served.min(answers.len() - 1)].clone();
                served += 1;
                let recorded = recorded.clone();
                // Each connection on its own task, so a stalled answer does not hold up the next.
                tokio::spawn(async move { serve_one(stream, &answer, &recorded).await });
            }
        });
        TestServer { url, requests }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// The only request received.
    pub fn single(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request, got {requests:?}"
        );
        requests.into_iter().next().unwrap()
    }
}

/// Reads one request, records it, then answers: recorded before the client can see the answer.
async fn serve_one(
    mut stream: TcpStream,
    answer: &Canned,
    recorded: &Mutex<Vec<Recorded>>,
) -> Option<()> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let (request, head_len) = loop {
        let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut parsed = httparse::Request::new(&mut headers);
        if let Ok(httparse::Status::Complete(head_len)) = parsed.parse(&buffer) {
            let request = Recorded {
                method: parsed.method?.to_owned(),
                target: parsed.path?.to_owned(),
                headers: parsed
                    .headers
                    .iter()
                    .map(|h| {
                        (
                            h.name.to_owned(),
                            String::from_utf8_lossy(h.value).into_owned(),
                        )
                    })
                    .collect(),
                body: Vec::new(),
            };
            break (request, head_len);
        }
    };
    let length: usize = request
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_len + length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    let body = buffer[head_len..(head_len + length).min(buffer.len())].to_vec();
    recorded.lock().unwrap().push(Recorded { body, ..request });
    let mut response = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        answer.status,
        answer.body.len()
    );
    for (name, value) in &answer.headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str("\r\n");
    if let Some(delay) = answer.delay {
        tokio::time::sleep(delay).await;
    }
    let mut bytes = response.into_bytes();
    let body = &answer.body[..answer
        .cut_body_at
        .unwrap_or(answer.body.len())
        .min(answer.body.len())];
    bytes.extend_from_slice(body);
    stream.write_all(&bytes).await.ok()?;
    stream.shutdown().await.ok();
    Some(())
}

//! Run-time benchmarks of the generated client, run by `cargo xtask bench` (release build):
//!
//! - per-call overhead: `get_json_web_key_set` through the client against the same request written
//!   by hand with reqwest (same `reqwest::Client`, same 30 s timeout, same status check, same
//!   decode), 10,000 calls
//!   each, in alternating blocks so that drift on a busy machine hits both sides alike (the ratio
//!   reported is the median of the blocks' ratios);
//! - decoding a page of 1,000 identities: through the client, by hand with reqwest +
//!   `serde_json::from_slice`, and `serde_json::from_slice` alone on the same bytes.
//!
//! Both sides talk to one hyper server on 127.0.0.1 in this process (its own runtime and thread).
//! Results are printed as `key=value` lines, which the xtask reads.

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use ory_client::models::{Identity, JsonWebKeySet};
use ory_client::Client;
use serde_json::{json, Value};
use std::convert::Infallible;
use std::hint::black_box;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

const CALLS: usize = 10_000;
/// Calls per block; the two sides alternate blocks.
const BLOCK: usize = 100;
const WARM_UP: usize = 300;
const IDENTITIES: usize = 1_000;
const DECODE_ROUNDS: usize = 40;
const TOKEN: &str = "bench-token";

fn main() {
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("the server runtime starts");
    let listener = server
        .block_on(TcpListener::bind("127.0.0.1:0"))
        .expect("bind 127.0.0.1");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    let key_set = Bytes::from(key_set_json().to_string());
    let identities = Bytes::from(identities_json(IDENTITIES).to_string());
    server.spawn(serve(listener, key_set, identities.clone()));

    let client = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the client runtime starts");
    client.block_on(async {
        let http = reqwest::Client::new();
        let ory = Client::builder()
            .base_url(&base)
            .bearer_token(TOKEN)
            .http_client(http.clone())
            .build()
            .expect("the client builds");
        per_call(&ory, &http, &base).await;
        decode(&ory, &http, &base, &identities).await;
    });
}

async fn serve(listener: TcpListener, key_set: Bytes, identities: Bytes) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let (key_set, identities) = (key_set.clone(), identities.clone());
        tokio::spawn(async move {
            let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                let body = if request.uri().path().starts_with("/admin/identities") {
                    identities.clone()
                } else {
                    key_set.clone()
                };
                async move {
                    let response = hyper::Response::builder()
                        .header("content-type", "application/json")
                        .body(Full::new(body))
                        .expect("a response");
                    Ok::<_, Infallible>(response)
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn ours(ory: &Client) {
    let set = ory
        .jwk()
        .get_json_web_key_set("s1")
        .await
        .expect("the client call succeeds");
    black_box(set);
}

async fn by_hand(http: &reqwest::Client, base: &str) {
    let set: JsonWebKeySet = get_by_hand(http, &format!("{base}/admin/keys/s1")).await;
    black_box(set);
}

/// The request as one writes it by hand with reqwest: the client's default per-request timeout
/// (so both sides send the same request), the status checked, the body decoded.
async fn get_by_hand<T: serde::de::DeserializeOwned>(http: &reqwest::Client, url: &str) -> T {
    let response = http
        .get(url)
        .bearer_auth(TOKEN)
        .timeout(ory_client::DEFAULT_TIMEOUT)
        .send()
        .await
        .expect("the request succeeds");
    assert!(response.status().is_success());
    let body = response.bytes().await.expect("the body arrives");
    serde_json::from_slice(&body).expect("the body decodes")
}

async fn per_call(ory: &Client, http: &reqwest::Client, base: &str) {
    for _ in 0..WARM_UP {
        ours(ory).await;
        by_hand(http, base).await;
    }
    // Pairs of blocks, the side going first alternating; the median of the pairs' ratios is
    // robust to a machine whose speed drifts during the run.
    let (mut ours_total, mut hand_total) = (Duration::ZERO, Duration::ZERO);
    let mut ratios = Vec::new();
    for pair in 0..CALLS / BLOCK {
        let mut ours_block = Duration::ZERO;
        let mut hand_block = Duration::ZERO;
        for side in [pair % 2, 1 - pair % 2] {
            let start = Instant::now();
            for _ in 0..BLOCK {
                if side == 0 {
                    ours(ory).await;
                } else {
                    by_hand(http, base).await;
                }
            }
            if side == 0 {
                ours_block = start.elapsed();
            } else {
                hand_block = start.elapsed();
            }
        }
        ours_total += ours_block;
        hand_total += hand_block;
        ratios.push(ours_block.as_secs_f64() / hand_block.as_secs_f64());
    }
    ratios.sort_by(f64::total_cmp);
    let per_call_us = |total: Duration| total.as_secs_f64() * 1e6 / CALLS as f64;
    println!("calls={CALLS}");
    println!("call_ours_us={:.2}", per_call_us(ours_total));
    println!("call_hand_us={:.2}", per_call_us(hand_total));
    println!("call_ratio={:.3}", ratios[ratios.len() / 2]);
}

async fn decode(ory: &Client, http: &reqwest::Client, base: &str, identities: &Bytes) {
    let through_client = || async {
        let page = ory
            .identity()
            .list_identities()
            .await
            .expect("the client call succeeds");
        assert_eq!(page.len(), IDENTITIES);
        black_box(page);
    };
    let by_hand = || async {
        let page: Vec<Identity> = get_by_hand(http, &format!("{base}/admin/identities")).await;
        black_box(page);
    };
    let serde_alone = || {
        let page: Vec<Identity> = serde_json::from_slice(identities).expect("the page decodes");
        black_box(page);
    };
    let (mut client_times, mut hand_times, mut serde_times) = (vec![], vec![], vec![]);
    for round in 0..DECODE_ROUNDS + 3 {
        let start = Instant::now();
        through_client().await;
        let client_time = start.elapsed();
        let start = Instant::now();
        by_hand().await;
        let hand_time = start.elapsed();
        let start = Instant::now();
        serde_alone();
        let serde_time = start.elapsed();
        // The first rounds warm caches and connections.
        if round >= 3 {
            client_times.push(client_time);
            hand_times.push(hand_time);
            serde_times.push(serde_time);
        }
    }
    let (client, hand, serde) = (
        median(client_times),
        median(hand_times),
        median(serde_times),
    );
    println!("identities={IDENTITIES}");
    println!("identities_bytes={}", identities.len());
    println!("decode_client_ms={:.3}", client.as_secs_f64() * 1e3);
    println!("decode_hand_ms={:.3}", hand.as_secs_f64() * 1e3);
    println!("decode_serde_ms={:.3}", serde.as_secs_f64() * 1e3);
    println!(
        "decode_ratio_hand={:.3}",
        client.as_secs_f64() / hand.as_secs_f64()
    );
    println!(
        "decode_ratio_serde={:.3}",
        client.as_secs_f64() / serde.as_secs_f64()
    );
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

/// A key set as Hydra answers it: one RSA and one EC public key.
fn key_set_json() -> Value {
    json!({ "keys": [
        {
            "alg": "RS256", "kid": "2026-11-rsa", "kty": "RSA", "use": "sig", "e": "AQAB",
            "n": "vTqrxUyQPl_20aqf5kXHwDZrel-KovIp8s7ewJod2EXHl8tWlRB3_Rem34KwBfqlKQGp1nqah-51H4Jzruqe0cFP58hPEIt6WqrvnmJCXxnNuIB53iX_uUUXXHDHBeaPCSRoNJzNysjoJ30TIUsKBiirhBa7f235PXbKiHducLevV6PcKxJ5cY8zO286qJLBWSPm-OIevwqsIsSIH44Qtm9sioFikhkbLwoqwWORGAY0nl6XvVOlhADdLjBSqSAeT1FPuCDCnXwzCDR8N9IFB_IjdStFkC-rVt2K5BYfPd0c3yFp_vHR15eRd0zJ8XQ7woBC8Vnsac6Et1pKS59pX6256DPWu8UDdEOolKAPgcd_g2NpA76cAaF_jcT80j9KrEzw8Tv0nJBGesuCjPNjGs_KzdkWTUXt23Hn9QJsdc1MZuaW0iqXBepHYfYoqNelzVte117t4BwVp0kUM6we0IqyXClaZgOI8S-WDBw2_Ovdm8e5NmhYAblEVoygcX8Y46oH6bKiaCQfKCFDMcRgChme7AoE1yZZYsPbaG_3IjPrC4LBMHQw8rM9dWjJ8ImjicvZ1pAm0dx-KHCP3y5PVKrxBDf1zSOsBRkOSjB8TPODnJMz6-jd5hTtZxpZPwPoIdCanTZ3ZD6uRBpTmDwtpRGm63UQs1m5FWPwb0T2IF0"
        },
        {
            "alg": "ES256", "kid": "2026-11-ec", "kty": "EC", "use": "sig", "crv": "P-256",
            "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
            "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
        }
    ]})
}

/// A page of identities as Kratos lists them: traits, addresses, metadata, password credentials.
fn identities_json(count: usize) -> Value {
    let identities: Vec<Value> = (0..count)
        .map(|i| {
            let email = format!("user{i}@example.com");
            json!({
                "id": format!("3fa85f64-5717-4562-b3fc-{i:012x}"),
                "schema_id": "preset://email",
                "schema_url": "https://example.projects.oryapis.com/schemas/cHJlc2V0Oi8vZW1haWw",
                "state": "active",
                "state_changed_at": "2026-11-01T10:00:00Z",
                "traits": { "email": email, "name": { "first": "Ada", "last": format!("User {i}") } },
                "verifiable_addresses": [{
                    "id": format!("5fa85f64-5717-4562-b3fc-{i:012x}"),
                    "value": email, "verified": i % 2 == 0, "via": "email", "status": "completed",
                    "created_at": "2026-11-01T10:00:00Z", "updated_at": "2026-11-01T10:00:00Z"
                }],
                "recovery_addresses": [{
                    "id": format!("6fa85f64-5717-4562-b3fc-{i:012x}"),
                    "value": email, "via": "email",
                    "created_at": "2026-11-01T10:00:00Z", "updated_at": "2026-11-01T10:00:00Z"
                }],
                "metadata_public": { "plan": "pro", "seats": 5 },
                "credentials": { "password": {
                    "type": "password", "identifiers": [email], "version": 0,
                    "created_at": "2026-11-01T10:00:00Z", "updated_at": "2026-11-01T10:00:00Z"
                }},
                "created_at": "2026-11-01T10:00:00Z",
                "updated_at": "2026-11-02T10:00:00Z"
            })
        })
        .collect();
    Value::Array(identities)
}

//! An open-loop load generator: GETs one URL at a fixed rate for a bounded
//! time and reports latency percentiles. Latency is measured from the moment
//! each request was due, so a slow server cannot hide its queueing
//! ("coordinated omission"). Used by scripts/load.sh for "p99 at half the
//! peak rate", which wrk (closed loop) cannot measure. Loopback only.
//!
//! cargo run --release -p benefits-server --example fixed_rate -- URL RATE SECONDS [COOKIE]

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: fixed_rate URL RATE_PER_SECOND SECONDS [COOKIE]");
        std::process::exit(2);
    }
    let url = args[0].clone();
    let host = url.split("://").nth(1).and_then(|r| r.split('/').next()).unwrap_or("");
    if !(host.starts_with("127.") || host.starts_with("localhost") || host.starts_with("[::1]")) {
        eprintln!("fixed_rate: only loopback addresses are load-tested, not {host}");
        std::process::exit(2);
    }
    let rate: f64 = args[1].parse().expect("RATE must be a number");
    let seconds: f64 = args[2].parse().expect("SECONDS must be a number");
    let cookie = args.get(3).cloned();

    let client = reqwest::Client::builder().pool_max_idle_per_host(256).build().expect("http client");
    let total = (rate * seconds).round() as u64;
    let interval = Duration::from_secs_f64(1.0 / rate);
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(total as usize)));
    let errors = Arc::new(Mutex::new(0u64));
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(total as usize);
    for i in 0..total {
        let due = start + interval * i as u32;
        tokio::time::sleep_until(due.into()).await;
        let (client, url, cookie, latencies, errors) = (client.clone(), url.clone(), cookie.clone(), latencies.clone(), errors.clone());
        tasks.push(tokio::spawn(async move {
            let mut req = client.get(&url);
            if let Some(c) = cookie {
                req = req.header("Cookie", c);
            }
            let ok = match req.send().await {
                Ok(res) => res.status().is_success() && res.bytes().await.is_ok(),
                Err(_) => false,
            };
            let took = due.elapsed();
            if ok {
                latencies.lock().await.push(took);
            } else {
                *errors.lock().await += 1;
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let mut l = latencies.lock().await.clone();
    l.sort();
    let pct = |p: f64| l.get(((l.len() as f64 * p).ceil() as usize).saturating_sub(1)).copied().unwrap_or_default();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "fixed rate {rate:.0}/s for {seconds:.0} s: {} ok, {} errors, achieved {:.0} req/s, p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        l.len(),
        errors.lock().await,
        (l.len() as f64) / elapsed,
        ms(pct(0.50)),
        ms(pct(0.90)),
        ms(pct(0.99)),
        ms(l.last().copied().unwrap_or_default()),
    );
}

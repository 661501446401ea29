//! Native throughput of amount parsing and formatting (`cargo bench --bench amount_native`).
//! Prints one table row per operation: `name<TAB>ops/s`. Not a test: no assertions on time.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use open_payments_wasm::amount::Amount;

/// Runs `f` for about `budget`, returns operations per second (median of 5 rounds).
fn measure(budget: Duration, mut f: impl FnMut()) -> f64 {
    let mut rates = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let mut n = 0u64;
        while start.elapsed() < budget / 5 {
            for _ in 0..1000 {
                f();
            }
            n += 1000;
        }
        rates.push(n as f64 / start.elapsed().as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    rates[2]
}

fn main() {
    let budget = Duration::from_millis(1000);
    let inputs = ["12.34", "0.01", "184467440737095516.15", "999999.99"];
    let mut i = 0;
    let parse = measure(budget, || {
        i = (i + 1) % inputs.len();
        black_box(Amount::parse_decimal(black_box(inputs[i]), "USD", 2).unwrap());
    });
    let amount = Amount::new(18_446_744_073_709_551_615, "USD", 2).unwrap();
    let format = measure(budget, || {
        black_box(black_box(&amount).to_decimal_string());
    });
    let high = Amount::new(123_456_789, "XYZ", 40).unwrap();
    let format_high = measure(budget, || {
        black_box(black_box(&high).to_decimal_string());
    });
    let json = r#"{"value":"1234","assetCode":"USD","assetScale":2}"#;
    let wire = measure(budget, || {
        black_box(serde_json::from_str::<Amount>(black_box(json)).unwrap());
    });
    println!("native\tparse decimal (scale 2)\t{parse:.0}");
    println!("native\tformat decimal (scale 2)\t{format:.0}");
    println!("native\tformat decimal (scale 40, string path)\t{format_high:.0}");
    println!("native\tparse wire JSON\t{wire:.0}");
}

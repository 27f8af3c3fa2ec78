//! Parsing throughput at growing input sizes: `cargo bench -p octane-query`.
//!
//! Prints nanoseconds per input byte for each shape and size; parsing is
//! linear when the figure stays flat as the size grows tenfold.

use std::hint::black_box;
use std::time::{Duration, Instant};

use octane_query::{explain, parse};

/// Statement shapes, each built to about `bytes` bytes.
fn shapes(bytes: usize) -> Vec<(&'static str, String)> {
    let repeat = |unit: &str, sep: &str| {
        let n = (bytes / (unit.len() + sep.len())).max(1);
        vec![unit; n].join(sep)
    };
    let nested = {
        // Nesting stays within the default depth limit; width grows.
        let inner = "name EQ ^a*^;owner EQ {name EQ ^x^||id IN 1,2,3}";
        repeat(&format!("({inner}||!id BTW 1...9)"), ";")
    };
    vec![
        ("flat and", repeat("id EQ 1001", ";")),
        ("flat or", repeat("name EQ ^abc*^", "||")),
        ("mixed groups", nested),
        ("long IN list", format!("id IN {}", repeat("123456", ","))),
        (
            "long string",
            format!("name EQ ^{}^", "x\\^".repeat(bytes / 3)),
        ),
        ("errors", repeat("id == 1", ";")),
    ]
}

fn time(mut f: impl FnMut()) -> Duration {
    // Repeat until at least 200 ms have passed; report the mean.
    let started = Instant::now();
    let mut runs = 0u32;
    while started.elapsed() < Duration::from_millis(200) || runs < 3 {
        f();
        runs += 1;
    }
    started.elapsed() / runs
}

fn main() {
    println!(
        "{:<14} {:>10} {:>12} {:>10}",
        "shape", "bytes", "time", "ns/byte"
    );
    for size in [1_000, 10_000, 100_000, 1_000_000] {
        for (name, source) in shapes(size) {
            let elapsed = time(|| {
                black_box(parse(black_box(&source)));
            });
            let bytes = f64::from(u32::try_from(source.len()).unwrap_or(u32::MAX));
            let per_byte = elapsed.as_secs_f64() * 1e9 / bytes;
            println!(
                "{name:<14} {:>10} {:>12.3?} {per_byte:>10.1}",
                source.len(),
                elapsed
            );
        }
    }
    let source = shapes(100_000).swap_remove(2).1;
    let query = parse(&source).query.expect("valid");
    let elapsed = time(|| {
        black_box(query.to_string());
    });
    println!("print (mixed, {} bytes): {elapsed:.3?}", source.len());
    let elapsed = time(|| {
        black_box(explain(&query));
    });
    println!("explain (mixed, {} bytes): {elapsed:.3?}", source.len());
}

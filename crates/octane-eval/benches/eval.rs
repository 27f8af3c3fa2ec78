//! Evaluation speed on a large sample workspace: `cargo bench -p octane-eval`.
//!
//! Generates the sample at scale 25 (over 100,000 entities), loads it, and
//! runs every gallery flow, printing the time per query and per candidate
//! row.

use std::hint::black_box;
use std::time::{Duration, Instant};

use octane_eval::sample::{self, CURRENT_RELEASE, CURRENT_USER, SampleOptions};
use octane_eval::{Dataset, DatasetQueryOptions, EvalOptions};

fn time(mut f: impl FnMut()) -> Duration {
    let started = Instant::now();
    let mut runs = 0u32;
    while started.elapsed() < Duration::from_millis(300) || runs < 3 {
        f();
        runs += 1;
    }
    started.elapsed() / runs
}

fn main() {
    let started = Instant::now();
    let text = sample::generate_json(SampleOptions {
        seed: 2026,
        scale: 25,
    });
    let generated = started.elapsed();
    let started = Instant::now();
    let dataset = Dataset::from_text(text, octane_schema::Schema::builtin_shared())
        .map_err(|(e, _)| e)
        .expect("the sample loads");
    let loaded = started.elapsed();
    let entities: usize = dataset.collections().iter().map(|(_, n)| n).sum();
    println!("sample: {entities} entities, generated in {generated:.1?}, loaded in {loaded:.1?}");
    let options = DatasetQueryOptions {
        eval: EvalOptions {
            current_user: Some(CURRENT_USER.to_owned()),
            current_release: Some(CURRENT_RELEASE.to_owned()),
            ..EvalOptions::default()
        },
        ..DatasetQueryOptions::default()
    };
    println!(
        "{:<72} {:>8} {:>10} {:>10}",
        "flow", "matches", "time", "ns/row"
    );
    for example in octane_eval::examples() {
        let rows = dataset.rows_of(
            octane_schema::Schema::builtin()
                .entity(&example.entity)
                .map_or(example.entity.as_str(), |e| e.name.as_str()),
        );
        let mut matches = 0;
        let elapsed = time(|| {
            let response = dataset
                .query(&example.entity, black_box(&example.query), &options)
                .expect("valid");
            matches = response.total_count;
            black_box(response);
        });
        let per_row = elapsed.as_secs_f64() * 1e9
            / f64::from(u32::try_from(rows.len().max(1)).unwrap_or(u32::MAX));
        println!(
            "{:<72} {matches:>8} {elapsed:>10.2?} {per_row:>10.0}",
            example.title
        );
    }
}

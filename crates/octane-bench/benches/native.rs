//! octane-kit's native benchmarks: `cargo bench -p octane-bench` (and
//! `cargo xtask bench`, which puts the table into `target/bench/report.md`
//! and `report.json`).
//!
//! Each group runs at the sizes of `octane_bench::SIZES` (bytes of input:
//! 100 B, 10 KB, 100 KB, 1 MB): parse, format, validate and explain a
//! query statement; parse and translate an OData filter, and translate a
//! statement back; load a collection of defects and query it; render an
//! action's URL for a selection. `statement` times the 108-character
//! statement that the JavaScript benchmarks validate too.

use divan::{Bencher, black_box};
use octane_bench::{
    ACTION, DEFECTS_QUERY, SIZES, STATEMENT, context_json, defects_json, odata_filter, statement,
};
use octane_schema::Schema;

fn main() {
    divan::main();
}

/// The 108-character statement: parsed, and parsed and validated (the
/// goal is 2 µs for both).
mod statement {
    use super::{Bencher, STATEMENT, Schema, black_box};

    #[divan::bench]
    fn parse(bencher: Bencher) {
        bencher.bench_local(|| octane_query::parse(black_box(STATEMENT)));
    }

    #[divan::bench]
    fn parse_and_validate(bencher: Bencher) {
        let schema = Schema::builtin();
        bencher.bench_local(|| octane_schema::validate(black_box(STATEMENT), "defects", schema));
    }
}

/// The query language at growing sizes.
mod query {
    use super::{Bencher, SIZES, Schema, black_box, statement};

    #[divan::bench(args = SIZES)]
    fn parse(bencher: Bencher, bytes: usize) {
        let source = statement(bytes);
        bencher.bench_local(|| octane_query::parse(black_box(&source)));
    }

    #[divan::bench(args = SIZES)]
    fn format(bencher: Bencher, bytes: usize) {
        let query = octane_query::parse(&statement(bytes)).query.expect("valid");
        bencher.bench_local(|| black_box(&query).to_string());
    }

    #[divan::bench(args = SIZES)]
    fn validate(bencher: Bencher, bytes: usize) {
        let source = statement(bytes);
        let schema = Schema::builtin();
        let query = octane_query::parse(&source).query.expect("valid");
        let entity = schema.entity("defects").expect("known");
        bencher.bench_local(|| {
            octane_schema::validate_query(black_box(&query), &source, entity, schema)
        });
    }

    #[divan::bench(args = SIZES)]
    fn explain(bencher: Bencher, bytes: usize) {
        let query = octane_query::parse(&statement(bytes)).query.expect("valid");
        bencher.bench_local(|| octane_query::explain(black_box(&query)));
    }
}

/// OData: a `$filter` parsed, and translated both ways.
mod odata {
    use super::{Bencher, SIZES, black_box, odata_filter, statement};

    #[divan::bench(args = SIZES)]
    fn parse(bencher: Bencher, bytes: usize) {
        let request = format!("$filter={}", odata_filter(bytes));
        bencher.bench_local(|| octane_odata::parse_odata(black_box(&request)));
    }

    #[divan::bench(args = SIZES)]
    fn to_query(bencher: Bencher, bytes: usize) {
        let filter = odata_filter(bytes);
        let options = octane_odata::TranslateOptions {
            entity: Some("defects"),
            schema: None,
        };
        bencher.bench_local(|| octane_odata::odata_to_query(black_box(&filter), &options));
    }

    #[divan::bench(args = SIZES)]
    fn from_query(bencher: Bencher, bytes: usize) {
        let source = statement(bytes);
        bencher.bench_local(|| octane_odata::query_to_odata(black_box(&source)));
    }
}

/// Data: a collection of defects loaded, then queried.
mod dataset {
    use super::{Bencher, DEFECTS_QUERY, SIZES, black_box, defects_json};

    #[divan::bench(args = SIZES)]
    fn load(bencher: Bencher, bytes: usize) {
        let json = defects_json(bytes);
        bencher.bench_local(|| octane_eval::Dataset::from_json(black_box(&json)));
    }

    #[divan::bench(args = SIZES)]
    fn evaluate(bencher: Bencher, bytes: usize) {
        let dataset = octane_eval::Dataset::from_json(&defects_json(bytes)).expect("loads");
        let options = octane_eval::DatasetQueryOptions::default();
        bencher.bench_local(|| dataset.query("defects", black_box(DEFECTS_QUERY), &options));
    }
}

/// External actions: a URL rendered for a selection of that many bytes.
mod action {
    use super::{ACTION, Bencher, SIZES, black_box, context_json};

    #[divan::bench(args = SIZES)]
    fn render(bencher: Bencher, bytes: usize) {
        let context: octane_actions::Context =
            serde_json::from_str(&context_json(bytes)).expect("a context");
        let options = octane_actions::RenderOptions::default();
        bencher.bench_local(|| octane_actions::render(black_box(ACTION), &context, &options));
    }
}

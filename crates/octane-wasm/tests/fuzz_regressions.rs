//! Every input the fuzz targets (`fuzz/`, nightly) ever failed on is kept
//! under `fuzz/regressions/<target>/` and replayed here on the stable
//! toolchain, through the same properties the targets check.

#![cfg(not(target_arch = "wasm32"))]

#[path = "../../../fuzz/properties.rs"]
mod properties;

use std::path::Path;

/// A fuzz target's name and the property it checks.
type Target = (&'static str, fn(&[u8]));

#[test]
fn every_saved_fuzz_failure_now_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions");
    let targets: [Target; 5] = [
        ("query_round_trip", properties::query_round_trip),
        ("odata", properties::odata),
        ("actions", properties::actions),
        ("render_url", properties::render_url),
        ("dataset", properties::dataset),
    ];
    let mut replayed = 0;
    for (name, property) in targets {
        let Ok(entries) = std::fs::read_dir(root.join(name)) else {
            continue;
        };
        for entry in entries.flatten() {
            let data = std::fs::read(entry.path()).expect("a saved input");
            property(&data);
            replayed += 1;
        }
    }
    // The properties themselves, on inputs that exercise each.
    properties::query_round_trip(b"name EQ ^x*^;(id GT 5||!owner EQ {null})");
    properties::odata(b"$filter=a eq 1 and (b ne null or not c)");
    properties::actions(br#"[{"name":"a","url":"https://x.example/{entity_ids}"}]"#);
    properties::render_url("1001\u{1}../x\u{1}a&b=c#d\u{1}+ é".as_bytes());
    properties::dataset(br#"{"defects":{"data":[{"id":"1","type":"defect","name":"a"}]}}"#);
    println!("replayed {replayed} saved inputs");
}

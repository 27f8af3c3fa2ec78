//! A deterministic generator of a coherent sample workspace: users, teams,
//! releases with sprints, phases, features, stories, defects, tasks,
//! manual, Gherkin and automated tests, suites, runs with statuses and
//! environments, run history, comments, tags and list nodes, all in the
//! JSON shape the REST API returns.
//!
//! The same seed always gives the same workspace. The default size
//! (`scale: 1`) has about four thousand entities; `scale: 25` has over a
//! hundred thousand, for benchmarks.

use octane_query::temporal::Day;
use std::collections::BTreeMap;

use std::fmt::Write as _;

use serde_json::Value;

/// A value an [`object!`] field takes, written as JSON where it goes: no
/// tree is built for an entity, only its text.
trait Field {
    fn write(self, out: &mut String);
}

/// JSON text, as written.
struct Json(String);

impl Field for Json {
    fn write(self, out: &mut String) {
        out.push_str(&self.0);
    }
}

/// A JSON object being written: its text, without the closing brace.
struct Obj(String);

impl Obj {
    fn new() -> Obj {
        // Most entities fit, so few grow.
        let mut text = String::with_capacity(1024);
        text.push('{');
        Obj(text)
    }

    /// Adds the member `key`.
    fn set(&mut self, key: &str, value: impl Field) {
        // Keys are the generator's own names: nothing in them to escape.
        debug_assert!(!key.contains(['"', '\\']) && !key.contains(char::is_control));
        self.0.push_str(if self.0.len() > 1 { ",\"" } else { "\"" });
        self.0.push_str(key);
        self.0.push_str("\":");
        value.write(&mut self.0);
    }

    /// The object's text.
    fn into_json(self) -> Json {
        let mut text = self.0;
        text.push('}');
        Json(text)
    }
}

/// Writes `text` as a JSON string.
fn write_string(out: &mut String, text: &str) {
    out.push('"');
    // Runs without a character to escape are copied whole: escapes are
    // ASCII, so a run always ends on a character boundary.
    let bytes = text.as_bytes();
    let mut run = 0;
    loop {
        let at = crate::scan::special(bytes, run, true);
        out.push_str(&text[run..at]);
        let Some(&byte) = bytes.get(at) else { break };
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            _ => {
                let _ = write!(out, "\\u{byte:04x}");
            }
        }
        run = at + 1;
    }
    out.push('"');
}

impl Field for String {
    fn write(self, out: &mut String) {
        write_string(out, &self);
    }
}

impl Field for &String {
    fn write(self, out: &mut String) {
        write_string(out, self);
    }
}

impl Field for &str {
    fn write(self, out: &mut String) {
        write_string(out, self);
    }
}

impl Field for &&str {
    fn write(self, out: &mut String) {
        write_string(out, self);
    }
}

impl Field for bool {
    fn write(self, out: &mut String) {
        out.push_str(if self { "true" } else { "false" });
    }
}

macro_rules! number_fields {
    ($($t:ty),*) => {$(
        impl Field for $t {
            fn write(self, out: &mut String) {
                let _ = write!(out, "{self}");
            }
        }
    )*};
}
number_fields!(i32, u32, u64, usize, i64);

impl<T: Field> Field for Option<T> {
    fn write(self, out: &mut String) {
        match self {
            Some(value) => value.write(out),
            None => out.push_str("null"),
        }
    }
}

/// A JSON object from `{"key": value, ...}`, each value a [`Field`],
/// written in that order.
macro_rules! object {
    ({ $($key:literal : $value:expr),* $(,)? }) => {{
        let mut object = Obj::new();
        $( object.set($key, $value); )*
        object
    }};
}

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct SampleOptions {
    /// The random seed.
    pub seed: u64,
    /// Size multiplier: 1 gives about four thousand entities.
    pub scale: u32,
}

impl Default for SampleOptions {
    fn default() -> Self {
        Self {
            seed: 2026,
            scale: 1,
        }
    }
}

/// The largest `scale` accepted: about two hundred thousand entities.
pub const MAX_SCALE: u32 = 50;

impl SampleOptions {
    /// Options from what a caller gave, the defaults filling the rest;
    /// a `scale` outside `1..=MAX_SCALE` is refused with a message.
    pub fn checked(seed: Option<u64>, scale: Option<u32>) -> Result<SampleOptions, String> {
        let defaults = SampleOptions::default();
        let scale = scale.unwrap_or(defaults.scale);
        if !(1..=MAX_SCALE).contains(&scale) {
            return Err(format!(
                "`scale` must be a whole number from 1 to {MAX_SCALE}"
            ));
        }
        Ok(SampleOptions {
            seed: seed.unwrap_or(defaults.seed),
            scale,
        })
    }
}

/// The id of the user the sample's flows call `[current_user]`.
pub const CURRENT_USER: &str = "1001";
/// The id of the sample's default release, `[current_release]`.
pub const CURRENT_RELEASE: &str = "2002";
/// The moment the sample is generated "at".
pub const NOW: &str = "2026-11-20T12:00:00Z";

/// A small, fast, seeded generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        // The modulo bias is irrelevant at these sizes.
        #[allow(clippy::cast_possible_truncation)]
        let value = (self.next() % n.max(1) as u64) as usize;
        value
    }

    /// A number in `0..n`, as a day or minute count.
    fn span(&mut self, n: usize) -> i64 {
        i64::try_from(self.below(n)).unwrap_or(0)
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn word(&mut self, words: &[&'static str]) -> &'static str {
        words[self.below(words.len())]
    }

    /// Up to `max` distinct items.
    fn some<T: Clone>(&mut self, items: &[T], max: usize) -> Vec<T> {
        let count = self.below(max + 1).min(items.len());
        let mut picked: Vec<usize> = Vec::new();
        while picked.len() < count {
            let i = self.below(items.len());
            if !picked.contains(&i) {
                picked.push(i);
            }
        }
        picked.sort_unstable();
        picked.into_iter().map(|i| items[i].clone()).collect()
    }
}

/// `{"type": t, "id": &id}`
fn reference(entity: &str, id: &str) -> Json {
    // As `object!` writes it, in one allocation of the right size.
    let mut text = String::with_capacity(24 + entity.len() + id.len());
    text.push_str("{\"type\":");
    write_string(&mut text, entity);
    text.push_str(",\"id\":");
    write_string(&mut text, id);
    text.push('}');
    Json(text)
}

/// `{"total_count": n, "data": [...]}`
fn references(items: &[(String, String)]) -> Json {
    let mut text = String::with_capacity(32 + 48 * items.len());
    text.push_str("{\"total_count\":");
    push_padded(&mut text, i64::try_from(items.len()).unwrap_or(i64::MAX), 0);
    text.push_str(",\"data\":[");
    for (i, (entity, id)) in items.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        reference(entity, id).write(&mut text);
    }
    text.push_str("]}");
    Json(text)
}

/// An ISO-8601 date-time `days_ago` days before [`NOW`]'s date, at noon
/// plus `minutes` (which may cross midnight either way).
fn date_time(days_ago: i64, minutes: i64) -> String {
    let total = (today().0 - days_ago) * 1440 + 12 * 60 + minutes;
    let mut text = String::with_capacity(20);
    write_day(&mut text, Day(total.div_euclid(1440)));
    let minute_of_day = total.rem_euclid(1440);
    text.push('T');
    push_padded(&mut text, minute_of_day / 60, 2);
    text.push(':');
    push_padded(&mut text, minute_of_day % 60, 2);
    text.push_str(":00Z");
    text
}

fn date(days_ago: i64) -> String {
    let mut text = String::with_capacity(10);
    write_day(&mut text, Day(today().0 - days_ago));
    text
}

/// Writes `day` as `YYYY-MM-DD`.
fn write_day(out: &mut String, day: Day) {
    let (y, m, d) = day.to_civil();
    push_padded(out, y, 4);
    out.push('-');
    push_padded(out, m, 2);
    out.push('-');
    push_padded(out, d, 2);
}

/// Writes `n` in decimal, zero-padded to `width` digits, as `{n:0width$}`
/// does (a minus sign counts in the width), without the formatting
/// machinery: the generator writes hundreds of thousands of them.
fn push_padded(out: &mut String, n: i64, width: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n.unsigned_abs();
    loop {
        at -= 1;
        // A digit: `rest % 10` is below 10.
        digits[at] = b'0' + u8::try_from(rest % 10).unwrap_or(0);
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let len = digits.len() - at + usize::from(n < 0);
    if n < 0 {
        out.push('-');
    }
    for _ in len..width {
        out.push('0');
    }
    // ASCII digits.
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

/// [`NOW`]'s day.
fn today() -> Day {
    Day::from_civil(2026, 11, 20)
}

/// Collects entities into collections, written as JSON as they come: no
/// tree of the whole workspace is ever built.
struct Builder {
    rng: Rng,
    /// By collection name: its items' JSON, comma-separated, and their
    /// count.
    collections: BTreeMap<String, (String, usize)>,
    next_work_item: u64,
    next_test: u64,
    next_run: u64,
    next_other: u64,
}

impl Builder {
    fn add(&mut self, collection: &str, entity: Obj) {
        self.add_text(collection, &entity.into_json().0);
    }

    fn add_text(&mut self, collection: &str, entity: &str) {
        if !self.collections.contains_key(collection) {
            self.collections
                .insert(collection.to_owned(), (String::with_capacity(1 << 16), 0));
        }
        if let Some((items, count)) = self.collections.get_mut(collection) {
            if *count > 0 {
                items.push(',');
            }
            items.push_str(entity);
            *count += 1;
        }
    }

    fn id(counter: &mut u64) -> String {
        *counter += 1;
        let mut id = String::with_capacity(8);
        push_padded(&mut id, i64::try_from(*counter).unwrap_or(i64::MAX), 0);
        id
    }
}

/// Ids of one kind of generated entity.
type Ids = Vec<String>;

/// Generates the sample workspace as `{collection: {"data": [...],
/// "total_count": N, "exceeds_total_count": false}}`, parsed.
pub fn generate(options: SampleOptions) -> Value {
    serde_json::from_str(&generate_json(options)).unwrap_or(Value::Null)
}

/// Generates the sample workspace (see [`generate`]) as JSON text, the
/// form [`crate::Dataset::from_text`] loads without a copy.
pub fn generate_json(options: SampleOptions) -> String {
    let scale = options.scale.max(1) as usize;
    let mut b = Builder {
        rng: Rng(options.seed),
        collections: BTreeMap::new(),
        next_work_item: 100_000,
        next_test: 200_000,
        next_run: 300_000,
        next_other: 900_000,
    };
    list_nodes(&mut b);
    let metaphases = metaphases(&mut b);
    let phases = phases(&mut b, &metaphases);
    let users = users(&mut b, 40 * scale);
    let teams = teams(&mut b, &users, 4 * scale);
    let (releases, sprints) = releases(&mut b);
    let areas = named(
        &mut b,
        "product_areas",
        "product_area",
        5001,
        &[
            "Checkout", "Catalog", "Search", "Accounts", "Payments", "Shipping",
        ],
    );
    let tags = named(
        &mut b,
        "user_tags",
        "user_tag",
        6001,
        &["regression", "smoke", "security", "ui", "api", "flaky"],
    );
    let environments = environments(&mut b);
    let world = World {
        users,
        teams,
        releases,
        sprints,
        areas,
        tags,
        environments,
        phases,
    };
    let features = work_items(&mut b, &world, "features", "feature", 30 * scale, &[]);
    let stories = work_items(&mut b, &world, "stories", "story", 300 * scale, &features);
    let tests = tests(&mut b, &world, scale, &features, &stories);
    let runs = runs(&mut b, &world, &tests);
    let defects = defects(&mut b, &world, 400 * scale, &features, &runs);
    tasks(&mut b, &world, &stories);
    comments(&mut b, &world, 400 * scale, &tests, &defects);
    previous_runs(&mut b, &tests, scale);
    let size = b
        .collections
        .values()
        .map(|(items, _)| items.len() + 96)
        .sum();
    let mut out = String::with_capacity(size);
    out.push('{');
    for (i, (name, (items, count))) in b.collections.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(&mut out, &name);
        out.push_str(":{\"data\":[");
        out.push_str(&items);
        out.push_str("],\"total_count\":");
        out.push_str(&count.to_string());
        out.push_str(",\"exceeds_total_count\":false}");
    }
    out.push('}');
    out
}

/// Ids the generators share.
struct World {
    users: Ids,
    teams: Ids,
    releases: Ids,
    /// (sprint id, release id)
    sprints: Vec<(String, String)>,
    areas: Ids,
    tags: Ids,
    environments: Ids,
    /// (logical name, id)
    phases: Vec<(String, String)>,
}

impl World {
    /// The current user owns a fifth of everything; the others share the
    /// rest.
    fn owner(&self, rng: &mut Rng) -> String {
        if rng.chance(20) {
            CURRENT_USER.to_owned()
        } else {
            rng.pick(&self.users).clone()
        }
    }

    fn phase(&self, logical: &str) -> Json {
        let id = self
            .phases
            .iter()
            .find(|(l, _)| l == logical)
            .map_or("0", |(_, id)| id.as_str());
        reference("phase", id)
    }

    fn refs(entity: &str, ids: &[String]) -> Json {
        let items: Vec<(String, String)> = ids
            .iter()
            .map(|id| (entity.to_owned(), id.clone()))
            .collect();
        references(&items)
    }
}

fn list_nodes(b: &mut Builder) {
    // The same lists as the built-in schema knows.
    let json: Value = serde_json::from_str(octane_schema::LIST_NODES_JSON).unwrap_or(Value::Null);
    if let Some(items) = json.get("data").and_then(Value::as_array) {
        for item in items {
            b.add_text("list_nodes", &item.to_string());
        }
    }
}

fn list_node(list: &str, value: &str) -> Json {
    let mut id = String::with_capacity(12 + list.len() + value.len());
    id.push_str("list_node.");
    id.push_str(list);
    id.push('.');
    id.push_str(value);
    reference("list_node", &id)
}

fn metaphases(b: &mut Builder) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, (name, logical)) in [("New", "new"), ("Open", "open"), ("Done", "done")]
        .iter()
        .enumerate()
    {
        let id = (1 + i).to_string();
        let logical_name = format!("metaphase.work_item.{logical}");
        let entity = object!({"type": "metaphase", "id": &id, "name": name, "logical_name": &logical_name, "entity": "work_item"});
        b.add("metaphases", entity);
        out.push((logical_name, id));
    }
    out
}

fn phases(b: &mut Builder, metaphases: &[(String, String)]) -> Vec<(String, String)> {
    let table: [(&str, &[(&str, &str)]); 4] = [
        (
            "story",
            &[
                ("new", "new"),
                ("in_progress", "open"),
                ("in_testing", "open"),
                ("done", "done"),
            ],
        ),
        (
            "feature",
            &[("new", "new"), ("in_progress", "open"), ("done", "done")],
        ),
        (
            "defect",
            &[
                ("new", "new"),
                ("opened", "open"),
                ("fixed", "open"),
                ("closed", "done"),
            ],
        ),
        (
            "task",
            &[
                ("new", "new"),
                ("in_progress", "open"),
                ("completed", "done"),
            ],
        ),
    ];
    let mut out = Vec::new();
    let mut id = 8000;
    for (entity, list) in table {
        for (index, (phase, meta)) in list.iter().enumerate() {
            id += 1;
            let logical_name = format!("phase.{entity}.{phase}");
            let metaphase = metaphases
                .iter()
                .find(|(l, _)| l.ends_with(meta))
                .map_or("0", |(_, id)| id.as_str());
            let name = phase.replace('_', " ");
            let entity = object!({
                "type": "phase", "id": id.to_string(), "name": capitalize(&name),
                "logical_name": &logical_name, "entity": entity, "index": index,
                "metaphase": reference("metaphase", metaphase),
            });
            b.add("phases", entity);
            out.push((logical_name, id.to_string()));
        }
    }
    out
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

const FIRST: [&str; 12] = [
    "Ada", "Boris", "Chen", "Dalia", "Emeka", "Fatima", "Gustav", "Hana", "Ivan", "Júlia", "Kenji",
    "Lior",
];
const LAST: [&str; 10] = [
    "Novak", "Okafor", "Pereira", "Quinn", "Rossi", "Sato", "Tanaka", "Ueda", "Varga", "Weiß",
];

fn users(b: &mut Builder, count: usize) -> Ids {
    let mut ids = Vec::new();
    for i in 0..count {
        let id = (1001 + i).to_string();
        let first = FIRST[i % FIRST.len()];
        let last = LAST[(i / FIRST.len() + i) % LAST.len()];
        let login = format!(
            "{}.{}{}@example.com",
            first.to_lowercase(),
            last.to_lowercase(),
            i
        );
        let entity = object!({
            "type": "workspace_user", "id": &id, "name": &login, "email": login,
            "first_name": first, "last_name": last, "full_name": format!("{first} {last}"),
            "activity_level": 0,
        });
        b.add("workspace_users", entity);
        ids.push(id);
    }
    ids
}

fn teams(b: &mut Builder, users: &[String], count: usize) -> Ids {
    let mut ids = Vec::new();
    for i in 0..count {
        let id = (4001 + i).to_string();
        let members = b.rng.some(users, 8);
        let lead = b.rng.pick(users).clone();
        let entity = object!({
            "type": "team", "id": &id, "name": format!("Team {}", i + 1),
            "team_lead": reference("workspace_user", &lead),
            "members": references(&members.iter().map(|m| ("workspace_user".to_owned(), m.clone())).collect::<Vec<_>>()),
            "estimated_velocity": 20 + b.rng.below(30),
        });
        b.add("teams", entity);
        ids.push(id);
    }
    ids
}

fn releases(b: &mut Builder) -> (Ids, Vec<(String, String)>) {
    let mut releases = Vec::new();
    let mut sprints = Vec::new();
    let mut sprint_id = 3000;
    for r in 0..3_i64 {
        let id = (2001 + r).to_string();
        // Release 1 ended, Release 2 is current, Release 3 is planned.
        let start = 200 - r * 90;
        let mut sprint_refs = Vec::new();
        for s in 0..4_i64 {
            sprint_id += 1;
            let sid = sprint_id.to_string();
            let sprint_start = start - s * 21;
            let entity = object!({
                "type": "sprint", "id": &sid, "name": format!("Sprint {}", s + 1),
                "release": reference("release", &id),
                "start_date": date(sprint_start), "end_date": date(sprint_start - 20),
            });
            b.add("sprints", entity);
            sprint_refs.push(("sprint".to_owned(), sid.clone()));
            sprints.push((sid, id.clone()));
        }
        let entity = object!({
            "type": "release", "id": &id, "name": format!("Release {}", r + 1),
            "start_date": date(start), "end_date": date(start - 89),
            "is_default": id == CURRENT_RELEASE,
            "release_type": list_node("release_type", "scrum"),
            "sprints": references(&sprint_refs),
            "num_of_sprints": 4,
        });
        b.add("releases", entity);
        releases.push(id);
    }
    (releases, sprints)
}

fn named(b: &mut Builder, collection: &str, entity: &str, first: usize, names: &[&str]) -> Ids {
    let mut ids = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let id = (first + i).to_string();
        let entity = object!({"type": entity, "id": &id, "name": name});
        b.add(collection, entity);
        ids.push(id);
    }
    ids
}

fn environments(b: &mut Builder) -> Ids {
    let categories = [
        ("Browser", ["Chrome", "Firefox", "Safari"]),
        ("OS", ["Linux", "Windows", "macOS"]),
        ("Database", ["PostgreSQL", "Oracle", "SQL Server"]),
    ];
    let mut items = Vec::new();
    let mut id = 7000;
    for (category, values) in categories {
        id += 1;
        let category_id = id.to_string();
        let entity =
            object!({"type": "taxonomy_category_node", "id": &category_id, "name": category});
        b.add("taxonomy_category_nodes", entity);
        for value in values {
            id += 1;
            let entity = object!({
                "type": "taxonomy_item_node", "id": id.to_string(), "name": value,
                "category": reference("taxonomy_category_node", &category_id),
            });
            b.add("taxonomy_item_nodes", entity);
            items.push(id.to_string());
        }
    }
    items
}

/// Features (no parents) or stories (under features).
fn work_items(
    b: &mut Builder,
    world: &World,
    collection: &str,
    entity: &str,
    count: usize,
    parents: &[String],
) -> Ids {
    let phases: &[&str] = if entity == "feature" {
        &["new", "in_progress", "done"]
    } else {
        &["new", "in_progress", "in_testing", "done"]
    };
    let mut ids = Vec::new();
    for i in 0..count {
        let id = Builder::id(&mut b.next_work_item);
        let (sprint, release) = b.rng.pick(&world.sprints).clone();
        let phase = *b.rng.pick(phases);
        let mut item = object!({
            "type": entity, "subtype": entity, "id": &id,
            "name": format!("{} {} {}", capitalize(entity), i + 1, b.rng.word(&["login", "cart", "search", "export", "profile", "checkout"])),
            "owner": reference("workspace_user", &world.owner(&mut b.rng)),
            "author": reference("workspace_user", b.rng.pick(&world.users).as_str()),
            "phase": world.phase(&format!("phase.{entity}.{phase}")),
            "release": reference("release", &release),
            "sprint": reference("sprint", &sprint),
            "team": reference("team", b.rng.pick(&world.teams).as_str()),
            "story_points": 1 + b.rng.below(8),
            "product_areas": World::refs("product_area", &b.rng.some(&world.areas, 2)),
            "user_tags": World::refs("user_tag", &b.rng.some(&world.tags, 2)),
            "creation_time": date_time(200 - b.rng.span(190), b.rng.span(600)),
            "blocked": b.rng.chance(5),
        });
        if let Some(parent) = (!parents.is_empty()).then(|| b.rng.pick(parents).clone()) {
            item.set("parent", reference("feature", &parent));
        }
        if entity == "feature" {
            item.set(
                "feature_type",
                list_node(
                    "feature_type",
                    b.rng.word(&["business", "architectural", "technical"]),
                ),
            );
        }
        b.add(collection, item);
        ids.push(id);
    }
    ids
}

/// (test id, entity type, product area ids)
type TestIds = Vec<(String, &'static str, Ids)>;

fn tests(
    b: &mut Builder,
    world: &World,
    scale: usize,
    features: &[String],
    stories: &[String],
) -> TestIds {
    let kinds: [(&str, &str, usize); 4] = [
        ("manual_tests", "test_manual", 200),
        ("gherkin_tests", "gherkin_test", 80),
        ("automated_tests", "test_automated", 300),
        ("test_suites", "test_suite", 20),
    ];
    let mut out = Vec::new();
    for (collection, entity, count) in kinds {
        for i in 0..count * scale {
            let id = Builder::id(&mut b.next_test);
            let areas = b.rng.some(&world.areas, 2);
            let mut covered: Vec<(String, String)> = Vec::new();
            if b.rng.chance(40) {
                covered.push(("feature".to_owned(), b.rng.pick(features).clone()));
            }
            if b.rng.chance(60) {
                covered.push(("story".to_owned(), b.rng.pick(stories).clone()));
            }
            let mut test = object!({
                "type": entity, "subtype": entity, "id": &id,
                "name": format!("{} {}", capitalize(&entity.replace('_', " ")), i + 1),
                "owner": reference("workspace_user", &world.owner(&mut b.rng)),
                "designer": reference("workspace_user", b.rng.pick(&world.users).as_str()),
                "product_areas": World::refs("product_area", &areas),
                "user_tags": World::refs("user_tag", &b.rng.some(&world.tags, 2)),
                "covered_content": references(&covered),
                "test_status": list_node("test_status", b.rng.word(&["new", "under_development", "ready", "deprecated"])),
                "test_type": references(&[("list_node".to_owned(), format!("list_node.test_type.{}", b.rng.word(&["acceptance", "regression", "end_to_end", "sanity"])))]),
                "estimated_duration": 5 + b.rng.below(60),
                "creation_time": date_time(300 - b.rng.span(290), 0),
            });
            match entity {
                "test_manual" | "gherkin_test" => {
                    test.set(
                        "automation_status",
                        list_node(
                            "automation_status",
                            b.rng
                                .word(&["not_automated", "ready_for_automation", "automated"]),
                        ),
                    );
                }
                "test_automated" => {
                    test.set(
                        "package",
                        format!("com.example.{}", b.rng.word(&["cart", "search", "account"])),
                    );
                    test.set("class_name", format!("Test{}", i + 1));
                    test.set(
                        "testing_tool_type",
                        list_node(
                            "testing_tool_type",
                            b.rng.word(&["selenium", "junit", "cucumber"]),
                        ),
                    );
                }
                _ => {}
            }
            b.add(collection, test);
            out.push((id, entity, areas));
        }
    }
    out
}

/// (run id, native status)
type RunIds = Vec<(String, &'static str)>;

fn runs(b: &mut Builder, world: &World, tests: &TestIds) -> RunIds {
    let statuses = [
        "passed",
        "passed",
        "passed",
        "failed",
        "failed",
        "skipped",
        "blocked",
        "planned",
        "not_completed",
    ];
    let mut out = Vec::new();
    for (test, entity, areas) in tests {
        let (collection, run_entity) = match *entity {
            "test_automated" => ("automated_runs", "run_automated"),
            "test_suite" => ("suite_run", "run_suite"),
            _ => ("manual_runs", "run_manual"),
        };
        for _ in 0..b.rng.below(5) {
            let id = Builder::id(&mut b.next_run);
            let status = *b.rng.pick(&statuses);
            let release = b.rng.pick(&world.releases).clone();
            let started = (status != "planned").then(|| date_time(b.rng.span(90), b.rng.span(600)));
            let entity = object!({
                "type": run_entity, "subtype": run_entity, "id": &id,
                "name": format!("Run of {test}"),
                "test": reference(entity, test),
                "native_status": list_node("run_native_status", status),
                "status": list_node("run_status", status),
                "release": reference("release", &release),
                "run_by": reference("workspace_user", &world.owner(&mut b.rng)),
                "started": started,
                "duration": b.rng.below(3600),
                "taxonomies": World::refs("taxonomy_item_node", &b.rng.some(&world.environments, 2)),
                "product_areas": World::refs("product_area", areas),
            });
            b.add(collection, entity);
            out.push((id, status));
        }
    }
    out
}

fn defects(
    b: &mut Builder,
    world: &World,
    count: usize,
    features: &[String],
    runs: &RunIds,
) -> Ids {
    let mut ids = Vec::new();
    for i in 0..count {
        let id = Builder::id(&mut b.next_work_item);
        let phase = b.rng.word(&["new", "opened", "opened", "fixed", "closed"]);
        let (sprint, release) = b.rng.pick(&world.sprints).clone();
        let linked: Vec<(String, String)> = if b.rng.chance(35) {
            b.rng
                .some(runs, 2)
                .into_iter()
                .map(|(run, _)| ("run".to_owned(), run))
                .collect()
        } else {
            Vec::new()
        };
        let created = 180 - b.rng.span(175);
        let mut defect = object!({
            "type": "defect", "subtype": "defect", "id": &id,
            "name": format!("Defect {}: {}", i + 1, b.rng.word(&["crash on save", "wrong total", "slow search", "typo in label", "timeout", "blank page"])),
            "owner": reference("workspace_user", &world.owner(&mut b.rng)),
            "detected_by": reference("workspace_user", b.rng.pick(&world.users).as_str()),
            "author": reference("workspace_user", b.rng.pick(&world.users).as_str()),
            "phase": world.phase(&format!("phase.defect.{phase}")),
            "severity": list_node("severity", b.rng.word(&["low", "medium", "medium", "high", "very_high", "urgent"])),
            "priority": list_node("priority", b.rng.word(&["low", "medium", "high", "urgent"])),
            "detected_in_release": b.rng.chance(85).then(|| reference("release", &release)),
            "release": reference("release", &release),
            "sprint": reference("sprint", &sprint),
            "team": reference("team", b.rng.pick(&world.teams).as_str()),
            "product_areas": World::refs("product_area", &b.rng.some(&world.areas, 2)),
            "user_tags": World::refs("user_tag", &b.rng.some(&world.tags, 1)),
            "test_runs": references(&linked),
            "story_points": b.rng.below(5),
            "blocked": b.rng.chance(8),
            "creation_time": date_time(created, b.rng.span(600)),
            "closed_on": (phase == "closed").then(|| date_time(created - 4, 0)),
        });
        if b.rng.chance(30) {
            defect.set(
                "parent",
                reference("feature", b.rng.pick(features).as_str()),
            );
        }
        b.add("defects", defect);
        ids.push(id);
    }
    ids
}

fn tasks(b: &mut Builder, world: &World, stories: &[String]) {
    for story in stories {
        for _ in 0..b.rng.below(4) {
            let id = Builder::id(&mut b.next_other);
            let phase = b
                .rng
                .word(&["new", "in_progress", "completed", "completed"]);
            let estimated = 1 + b.rng.below(16);
            let kind = if b.rng.chance(35) {
                "testing"
            } else {
                "development"
            };
            let entity = object!({
                "type": "task", "id": &id, "name": format!("Task of {story}"),
                "story": reference("story", story),
                "owner": reference("workspace_user", &world.owner(&mut b.rng)),
                "phase": world.phase(&format!("phase.task.{phase}")),
                "task_type": list_node("task_type", kind),
                "estimated_hours": estimated,
                "remaining_hours": if phase == "completed" { 0 } else { estimated / 2 },
            });
            b.add("tasks", entity);
        }
    }
}

fn comments(b: &mut Builder, world: &World, count: usize, tests: &TestIds, defects: &[String]) {
    for i in 0..count {
        let id = Builder::id(&mut b.next_other);
        let mut comment = object!({
            "type": "comment", "id": &id,
            "text": format!("<p>{}</p>", b.rng.word(&["Looks good.", "Cannot reproduce.", "Fixed in the next build.", "Please add steps.", "Blocked by the database upgrade."])),
            "author": reference("workspace_user", &world.owner(&mut b.rng)),
            "creation_time": date_time(b.rng.span(120), i64::try_from(i % 600).unwrap_or(0)),
        });
        if b.rng.chance(60) {
            let (test, entity, _) = b.rng.pick(tests);
            comment.set("owner_test", reference(entity, test));
        } else {
            comment.set(
                "owner_work_item",
                reference("defect", b.rng.pick(defects).as_str()),
            );
        }
        b.add("comments", comment);
    }
}

fn previous_runs(b: &mut Builder, tests: &TestIds, scale: usize) {
    let automated: Vec<&(String, &str, Ids)> = tests
        .iter()
        .filter(|(_, e, _)| *e == "test_automated")
        .collect();
    for _ in 0..600 * scale {
        let id = Builder::id(&mut b.next_other);
        let (test, entity, _) = *b.rng.pick(&automated);
        let status = b.rng.word(&["passed", "passed", "failed", "skipped"]);
        let entity = object!({
            "type": "previous_run", "id": &id, "name": format!("Run of {test}"),
            "test": reference(entity, test),
            "native_status": list_node("run_native_status", status),
            "status": list_node("run_status", status),
            "started": date_time(30 + b.rng.span(300), 0),
        });
        b.add("previous_runs", entity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_numbers_read_as_the_formatter_writes_them() {
        let numbers = [0, 1, 9, 10, 59, 99, 100, 2026, 12_345, -1, -7, -42, -2026];
        for n in numbers.into_iter().chain([i64::MAX, i64::MIN]) {
            for width in [0, 1, 2, 4, 6] {
                let mut text = String::from("x");
                push_padded(&mut text, n, width);
                assert_eq!(text, format!("x{n:0width$}"), "{n} in {width}");
            }
        }
        assert_eq!(date_time(0, 0), "2026-11-20T12:00:00Z");
        assert_eq!(date_time(400, -721), "2025-10-15T23:59:00Z");
        assert_eq!(date(-45), "2027-01-04");
    }

    #[test]
    fn calendar_arithmetic() {
        assert_eq!(Day(today().0 - 31).to_civil(), (2026, 10, 20));
        assert_eq!(date(0), "2026-11-20");
        assert_eq!(date_time(1, -13 * 60), "2026-11-18T23:00:00Z");
    }

    #[test]
    fn strings_are_written_as_json_reads_them() {
        for text in [
            "",
            "plain",
            "a\"b",
            "back\\slash",
            "tab\tnew\nline\u{1}",
            "Weiß Júlia 🐞",
        ] {
            let mut out = String::new();
            write_string(&mut out, text);
            assert_eq!(serde_json::from_str::<String>(&out).unwrap(), text, "{out}");
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_workspace() {
        let a = generate(SampleOptions::default());
        let b = generate(SampleOptions::default());
        assert_eq!(a, b);
        let c = generate(SampleOptions { seed: 7, scale: 1 });
        assert_ne!(a, c);
    }
}

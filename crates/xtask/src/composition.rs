//! What each entry's code is made of: the code section of a build that
//! keeps function names, attributed to the crate each function comes
//! from, gzipped crate by crate. It says how much of a size goal each
//! crate takes; the build itself checks the budgets.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use serde_json::{Value, json};

use crate::config;
use crate::util::{command, run_command};

/// One crate's share of an entry's code.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Share {
    /// Bytes of function bodies.
    pub raw: usize,
    /// Those bodies gzipped together, alone.
    pub gzip: usize,
    /// How many functions.
    pub functions: usize,
}

/// Builds each entry with names kept (in `target/names`), as the package
/// build does (wasm-bindgen, then wasm-opt with the package's arguments),
/// and returns the report's section and its data.
pub fn run(root: &Path) -> Result<(String, Value), String> {
    let config = config::load(root)?;
    let target_dir = root.join("target/names");
    let mut markdown = String::from(
        "### What the code is made of\n\n\
         Each entry built with function names kept (wasm-bindgen and \
         wasm-opt as the package build runs them; names kept, the calls \
         pass JavaScript values as `externref`s, about 1 KB apart from the \
         shipped build), its code section split by the crate each function \
         comes from, and each crate's functions gzipped alone. The rows \
         add up to more than the whole, which gzip compresses across \
         crates.\n\n",
    );
    let mut data = serde_json::Map::new();
    let mut tables = Vec::new();
    for entry in &config.entry {
        let wasm = named_build(root, &config, entry, &target_dir)?;
        let bytes =
            std::fs::read(&wasm).map_err(|e| format!("cannot read {}: {e}", wasm.display()))?;
        let shares = shares(&bytes)?;
        data.insert(
            entry.out_name.clone(),
            shares
                .iter()
                .map(|(name, s)| {
                    (
                        name.clone(),
                        json!({ "raw": s.raw, "gzip": s.gzip, "functions": s.functions }),
                    )
                })
                .collect::<serde_json::Map<_, _>>()
                .into(),
        );
        tables.push((entry, shares));
    }
    for (entry, shares) in &tables {
        let whole: usize = shares.values().map(|s| s.raw).sum();
        let mut rows: Vec<_> = shares.iter().collect();
        rows.sort_by(|a, b| b.1.gzip.cmp(&a.1.gzip).then(a.0.cmp(b.0)));
        let _ = write!(
            markdown,
            "`{}` ({}): {} B of function bodies\n\n\
             | crate | functions | bytes | gzip alone |\n|---|---:|---:|---:|\n",
            entry.export, entry.out_name, whole
        );
        for (name, share) in rows {
            let _ = writeln!(
                markdown,
                "| {name} | {} | {} | {} |",
                share.functions, share.raw, share.gzip
            );
        }
        markdown.push('\n');
    }
    Ok((markdown, Value::Object(data)))
}

/// Builds `entry` with names into `target_dir` and returns its optimized
/// module.
fn named_build(
    root: &Path,
    config: &config::Config,
    entry: &config::Entry,
    target_dir: &Path,
) -> Result<std::path::PathBuf, String> {
    let crate_name = "octane-wasm";
    let mut args = vec![
        "build",
        "--quiet",
        "--release",
        "-p",
        crate_name,
        "--target",
        "wasm32-unknown-unknown",
    ];
    args.extend(entry.cargo_args.iter().map(String::as_str));
    let mut cargo = command(root, "cargo", &args);
    cargo
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_PROFILE_RELEASE_STRIP", "false")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false");
    run_command(cargo, "cargo build (names kept)")?;
    let built = target_dir.join("wasm32-unknown-unknown/release/octane_wasm.wasm");
    let out = target_dir.join(&entry.out_name);
    let built_arg = built.to_string_lossy().into_owned();
    let out_arg = out.to_string_lossy().into_owned();
    run_command(
        command(
            root,
            "wasm-bindgen",
            &[
                "--target",
                "web",
                "--keep-debug",
                "--out-dir",
                &out_arg,
                "--out-name",
                &entry.out_name,
                &built_arg,
            ],
        ),
        "wasm-bindgen (names kept)",
    )?;
    let wasm = out.join(format!("{}_bg.wasm", entry.out_name));
    if config.wasm_opt.enabled {
        let wasm_arg = wasm.to_string_lossy().into_owned();
        let tool = root.join(&config.wasm_opt.path);
        let mut args: Vec<&str> = config.wasm_opt.args.iter().map(String::as_str).collect();
        args.extend(["--debuginfo", wasm_arg.as_str(), "-o", wasm_arg.as_str()]);
        run_command(
            command(root, &tool.to_string_lossy(), &args),
            "wasm-opt (names kept)",
        )?;
    }
    Ok(wasm)
}

/// The code of `wasm` by crate.
pub fn shares(wasm: &[u8]) -> Result<BTreeMap<String, Share>, String> {
    let module = Module::read(wasm)?;
    let mut bodies: BTreeMap<String, (Vec<u8>, usize)> = BTreeMap::new();
    for (i, body) in module.bodies.iter().enumerate() {
        let name = module
            .names
            .get(&(module.imported + i))
            .map_or("", String::as_str);
        let (code, count) = bodies.entry(owner(name)).or_default();
        code.extend_from_slice(body);
        *count += 1;
    }
    bodies
        .into_iter()
        .map(|(name, (code, functions))| {
            let gzip = gzip_len(&code)?;
            Ok((
                name,
                Share {
                    raw: code.len(),
                    gzip,
                    functions,
                },
            ))
        })
        .collect()
}

fn gzip_len(bytes: &[u8]) -> Result<usize, String> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(9));
    encoder.write_all(bytes).map_err(|e| e.to_string())?;
    Ok(encoder.finish().map_err(|e| e.to_string())?.len())
}

/// The crate a function comes from, read from its name as wasm-bindgen
/// writes it (demangled): the first segment of its path
/// (`core[c5930c85a12de822]::fmt::write` is `core`); for a method of
/// `<Type as Trait>`, the type's crate, or the trait's when the type is
/// generic or a reference to one (`<&T as core::fmt::Display>::fmt` is
/// `core`); methods of primitive types (`<u64>::fmt`) are `core`'s.
/// wasm-bindgen's export shims, which hold what was inlined into each
/// export, count as `exports (wasm-bindgen shims)`; other names as
/// `(other)`.
pub fn owner(name: &str) -> String {
    const PRIMITIVES: [&str; 17] = [
        "bool", "char", "str", "f32", "f64", "i8", "i16", "i32", "i64", "i128", "isize", "u8",
        "u16", "u32", "u64", "u128", "usize",
    ];
    if name.ends_with(" shim") {
        return "exports (wasm-bindgen shims)".to_owned();
    }
    let path_crate = |path: &str| -> Option<String> {
        let mut path = path;
        while let Some(rest) = ["<", "&", "mut ", "*const ", "*mut ", "[", "(", "dyn "]
            .iter()
            .find_map(|prefix| path.strip_prefix(prefix))
        {
            path = rest;
        }
        let length = path
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        let (ident, rest) = path.split_at(length);
        if ident.is_empty() {
            None
        } else if rest.starts_with("::") || crate_hash(rest) {
            Some(ident.to_owned())
        } else if PRIMITIVES.contains(&ident) && !rest.starts_with(" as ") {
            Some("core".to_owned())
        } else {
            None
        }
    };
    path_crate(name)
        .or_else(|| {
            let (_, tr) = name.split_once(" as ")?;
            path_crate(tr)
        })
        .unwrap_or_else(|| "(other)".to_owned())
}

/// Whether `rest` opens with a crate's hash and a path after it
/// (`[c5930c85a12de822]::`), as the standard library's names have.
fn crate_hash(rest: &str) -> bool {
    rest.strip_prefix('[')
        .and_then(|rest| rest.split_once("]::"))
        .is_some_and(|(hash, _)| !hash.is_empty() && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The parts of a module this reads: its imported functions' count, its
/// function bodies, and the names of its functions.
struct Module {
    imported: usize,
    bodies: Vec<Vec<u8>>,
    names: BTreeMap<usize, String>,
}

impl Module {
    fn read(wasm: &[u8]) -> Result<Module, String> {
        let mut reader = Reader { bytes: wasm, at: 8 };
        if wasm.get(..4) != Some(b"\0asm") {
            return Err("not a wasm module".to_owned());
        }
        let mut module = Module {
            imported: 0,
            bodies: Vec::new(),
            names: BTreeMap::new(),
        };
        while reader.at < wasm.len() {
            let id = reader.byte()?;
            let size = reader.leb()?;
            let end = reader.at + size;
            let mut section = Reader {
                bytes: wasm.get(..end).ok_or("a section runs past the end")?,
                at: reader.at,
            };
            match id {
                2 => module.imported = section.imported_functions()?,
                10 => {
                    for _ in 0..section.leb()? {
                        let length = section.leb()?;
                        module.bodies.push(section.take(length)?.to_vec());
                    }
                }
                0 if section.name()? == "name" => module.names = section.function_names()?,
                _ => {}
            }
            reader.at = end;
        }
        Ok(module)
    }
}

/// A cursor over a module's bytes.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, String> {
        let byte = *self.bytes.get(self.at).ok_or("the module ends early")?;
        self.at += 1;
        Ok(byte)
    }

    fn leb(&mut self) -> Result<usize, String> {
        let mut value = 0usize;
        for shift in (0..35).step_by(7) {
            let byte = self.byte()?;
            value |= usize::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Ok(value);
            }
        }
        Err("a number too long".to_owned())
    }

    fn take(&mut self, length: usize) -> Result<&'a [u8], String> {
        let bytes = self
            .bytes
            .get(self.at..self.at + length)
            .ok_or("the module ends early")?;
        self.at += length;
        Ok(bytes)
    }

    fn name(&mut self) -> Result<String, String> {
        let length = self.leb()?;
        Ok(String::from_utf8_lossy(self.take(length)?).into_owned())
    }

    /// The import section: how many of its imports are functions.
    fn imported_functions(&mut self) -> Result<usize, String> {
        let mut functions = 0;
        for _ in 0..self.leb()? {
            self.name()?;
            self.name()?;
            match self.byte()? {
                0 => {
                    functions += 1;
                    self.leb()?;
                }
                // A table: its element type, then its limits.
                1 => {
                    self.byte()?;
                    self.limits()?;
                }
                2 => self.limits()?,
                // A global: its type and mutability.
                3 => {
                    self.byte()?;
                    self.byte()?;
                }
                kind => return Err(format!("unknown import kind {kind}")),
            }
        }
        Ok(functions)
    }

    fn limits(&mut self) -> Result<(), String> {
        let flags = self.byte()?;
        self.leb()?;
        if flags & 1 == 1 {
            self.leb()?;
        }
        Ok(())
    }

    /// The `name` section's function names (subsection 1).
    fn function_names(&mut self) -> Result<BTreeMap<usize, String>, String> {
        let mut names = BTreeMap::new();
        while self.at < self.bytes.len() {
            let kind = self.byte()?;
            let size = self.leb()?;
            let end = self.at + size;
            if kind == 1 {
                for _ in 0..self.leb()? {
                    let index = self.leb()?;
                    names.insert(index, self.name()?);
                }
            }
            self.at = end;
        }
        Ok(names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn functions_are_owned_by_their_crate() {
        for (name, crate_name) in [
            ("core[c5930c85a12de822]::fmt::write", "core"),
            (
                "octane_query::parser::parse::h0123456789abcdef",
                "octane_query",
            ),
            (
                "<alloc::string::String as core::fmt::Write>::write_str",
                "alloc",
            ),
            ("<&T as core[c5930c85a12de822]::fmt::Display>::fmt", "core"),
            (
                "<&mut serde_json::de::Deserializer<R> as serde_core::de::Deserializer>::deserialize_seq",
                "serde_json",
            ),
            ("<u64>::_fmt", "core"),
            ("<char>::escape_debug_ext", "core"),
            (
                "parseQuery externref shim multivalue shim",
                "exports (wasm-bindgen shims)",
            ),
            ("memcpy", "(other)"),
            ("code[1174]", "(other)"),
        ] {
            assert_eq!(owner(name), crate_name, "{name}");
        }
    }

    /// A module written by hand: one imported function, two bodies, and
    /// names for both.
    #[test]
    fn bodies_are_counted_by_the_crate_named() {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        // Import section: one function import "a"."b" of type 0.
        let import = [1, 1, b'a', 1, b'b', 0, 0];
        wasm.extend([2, import.len() as u8]);
        wasm.extend(import);
        // Code section: two bodies of 3 and 4 bytes.
        let code = [2, 3, 0, 0x41, 0x0b, 4, 0, 0x01, 0x01, 0x0b];
        wasm.extend([10, code.len() as u8]);
        wasm.extend(code);
        // Name section: functions 1 and 2.
        let one = b"core::f";
        let two = b"alloc::vec::g";
        let mut names = vec![2, 1, one.len() as u8];
        names.extend(one);
        names.extend([2, two.len() as u8]);
        names.extend(two);
        let mut custom = vec![4];
        custom.extend(b"name");
        custom.extend([1, names.len() as u8]);
        custom.extend(names);
        wasm.extend([0, custom.len() as u8]);
        wasm.extend(custom);

        let shares = shares(&wasm).unwrap();
        assert_eq!(shares.len(), 2, "{shares:?}");
        assert_eq!((shares["core"].raw, shares["core"].functions), (3, 1));
        assert_eq!((shares["alloc"].raw, shares["alloc"].functions), (4, 1));
    }
}

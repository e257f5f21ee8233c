//! Compiles the embedded gazetteer (`dictionaries/gazetteer/places.tsv`) with the
//! library's own parsing code (`src/data.rs`) into `OUT_DIR/gazetteer.bin`
//! (`src/compiled.rs`), so that start-up reads places and the name index in place
//! instead of parsing and folding 120,000 names.
use std::{env, fs, path::Path};

#[allow(dead_code)]
#[path = "src/data.rs"]
mod data;

#[allow(dead_code)]
#[path = "src/compiled.rs"]
mod compiled;

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").unwrap();
    let tsv = Path::new(&manifest).join("../../dictionaries/gazetteer/places.tsv");
    println!("cargo:rerun-if-changed={}", tsv.display());
    println!("cargo:rerun-if-changed=src/data.rs");
    println!("cargo:rerun-if-changed=src/compiled.rs");
    let text = fs::read_to_string(&tsv).expect("read places.tsv");
    let parsed = match data::parse_files(&[("gazetteer/places.tsv".to_string(), &text)]) {
        Ok(p) => p,
        Err(errs) => {
            for e in &errs {
                println!("cargo:warning={e}");
            }
            panic!("{} error(s) in the gazetteer", errs.len());
        }
    };
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("gazetteer.bin");
    fs::write(out, compiled::write(&parsed)).unwrap();
}

//! Embeds every file under the workspace's `dictionaries/` directory into the library
//! (`*.txt` as text, `*.bin` as bytes), so the binary carries its dictionaries and needs
//! no files at run time.
use std::{env, fs, path::Path};

fn collect(dir: &Path, base: &Path, ext: &str, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("read dictionaries dir")
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            println!("cargo:rerun-if-changed={}", p.display());
            collect(&p, base, ext, out);
        } else if p.extension().is_some_and(|x| x == ext) {
            let rel = p
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((
                rel,
                p.canonicalize().unwrap().to_string_lossy().into_owned(),
            ));
        }
    }
}

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").unwrap();
    let dict = Path::new(&manifest).join("../../dictionaries");
    println!("cargo:rerun-if-changed={}", dict.display());
    let mut files = Vec::new();
    collect(&dict, &dict, "txt", &mut files);
    let mut code = String::from("/// Every dictionary file, by its path relative to `dictionaries/`.\npub static EMBEDDED: &[(&str, &str)] = &[\n");
    for (rel, abs) in &files {
        println!("cargo:rerun-if-changed={abs}");
        code.push_str(&format!("    ({rel:?}, include_str!({abs:?})),\n"));
    }
    code.push_str("];\n");
    // Binary files (the tagger's model), embedded as bytes.
    let mut bins = Vec::new();
    collect(&dict, &dict, "bin", &mut bins);
    code.push_str("/// Every binary dictionary file (`*.bin`), by its relative path.\npub static EMBEDDED_BINARY: &[(&str, &[u8])] = &[\n");
    for (rel, abs) in &bins {
        println!("cargo:rerun-if-changed={abs}");
        code.push_str(&format!("    ({rel:?}, include_bytes!({abs:?})),\n"));
    }
    code.push_str("];\n");
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("embedded.rs"),
        code,
    )
    .unwrap();
}

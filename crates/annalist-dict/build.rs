//! Embeds every file under the workspace's `dictionaries/` directory into the library
//! (`*.txt` as text, `*.bin` as bytes), so the binary carries its dictionaries and needs
//! no files at run time; and compiles the lexicon's `words.txt` and `lemmas.txt` into
//! read-in-place tables (`lexicon::compile`, the library's own code) so that start-up
//! parses none of them.
use std::{env, fs, path::Path};

// The library's parsing code, so that the compiled tables mean what the text means.
#[allow(dead_code)]
#[path = "src/format.rs"]
mod format;
#[allow(dead_code, clippy::upper_case_acronyms)]
#[path = "src/lexicon.rs"]
mod lexicon;

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
    code.push_str(&compile_lexicon(&dict));
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("embedded.rs"),
        code,
    )
    .unwrap();
}

/// Compiles the lexicon into `OUT_DIR/lexicon-*.bin` and returns the statics that embed
/// them (`LEXICON_WORDS`, `LEXICON_TAG_LISTS`, `LEXICON_LEMMAS`).
fn compile_lexicon(dict: &Path) -> String {
    let read = |name: &str| fs::read_to_string(dict.join(name)).expect("read lexicon file");
    let c = match lexicon::compile(&read("lexicon/words.txt"), &read("lexicon/lemmas.txt")) {
        Ok(c) => c,
        Err(errs) => {
            // The library reports these when it parses the text (tests, `annalist
            // dictionaries`); fail the build with them too.
            for e in &errs {
                println!("cargo:warning={e}");
            }
            panic!("{} error(s) in the lexicon", errs.len());
        }
    };
    let out = env::var("OUT_DIR").unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = Path::new(&out).join(name);
        fs::write(&p, bytes).unwrap();
        format!("include_bytes!({:?})", p.display().to_string())
    };
    format!(
        "/// The compiled `lexicon/words.txt` (see `lexicon::compile`).\n\
         pub static LEXICON_WORDS: &[u8] = {};\n\
         /// The distinct tag lists of the compiled words.\n\
         pub static LEXICON_TAG_LISTS: &[u8] = {};\n\
         /// The compiled `lexicon/lemmas.txt`: verbs, nouns, adjectives.\n\
         pub static LEXICON_LEMMAS: [&[u8]; 3] = [{}, {}, {}];\n",
        write("lexicon-words.bin", &c.words),
        write("lexicon-tag-lists.bin", &c.tag_lists),
        write("lexicon-lemmas-v.bin", &c.lemmas[0]),
        write("lexicon-lemmas-n.bin", &c.lemmas[1]),
        write("lexicon-lemmas-a.bin", &c.lemmas[2]),
    )
}

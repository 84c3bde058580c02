//! Computes `GRAPHGEN_BUILD_KEY`: a hash of this crate's sources, its manifest and the
//! workspace's lock file (the versions of syn and prettyplease), so that the caches
//! (`src/cache/`) never serve what another build of the generator made.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut files = Vec::new();
    collect(&manifest.join("src"), &mut files);
    files.sort();
    files.push(manifest.join("Cargo.toml"));
    files.push(manifest.join("build.rs"));
    files.push(manifest.join("../../Cargo.lock"));
    // Two differently seeded 64-bit hashes make a 128-bit key.
    let mut hashers = [DefaultHasher::new(), DefaultHasher::new()];
    hashers[1].write_u8(1);
    for file in &files {
        let relative = file.strip_prefix(&manifest).unwrap_or(file);
        let contents = std::fs::read(file).unwrap_or_default();
        for hasher in &mut hashers {
            relative.to_string_lossy().hash(hasher);
            contents.hash(hasher);
        }
    }
    let key = format!("{:016x}{:016x}", hashers[0].finish(), hashers[1].finish());
    println!("cargo:rustc-env=GRAPHGEN_BUILD_KEY={key}");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.toml");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=../../Cargo.lock");
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

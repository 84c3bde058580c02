//! Cross-run caches that make a re-run cheap, in three layers, each one file per output
//! folder under `<dir>` (by default `target/graphgen-cache/`, see [`default_dir`]):
//!
//! - The analysis cache ([`analysis`]): the schema, diagnostics and seeds of the last run,
//!   keyed by a hash of every page read. A re-run over the same pages skips extraction
//!   and merging.
//! - The output cache (`output-<scope>.pack`): the whole set of generated files of the
//!   last run, keyed by a hash of everything emitting reads (the schema as schema.json
//!   spells it, the example seeds, the crate names and the support path). A re-run whose
//!   pages merge into the same schema skips planning and emitting altogether.
//! - The output stamp (`output-<scope>.stamp`): the size and modification time of every
//!   file of the output folder as the last run of that output left it. A re-run that
//!   finds them so neither emits nor reads a generated file.
//! - The format cache (`format-<scope>.pack`): emitting builds every file's tokens again,
//!   but parsing and pretty-printing them (most of emitting) is skipped for any file whose
//!   tokens are exactly those of the last run. An entry is keyed by a 128-bit hash of the
//!   token tree (every token's kind, text, spacing and group delimiters: all that
//!   formatting reads) and holds the formatted text with a checksum.
//!
//! Every file is stamped with the generator's build key (a hash of its sources and of
//! the lock file, see `build.rs`): a file from another build is never read. A corrupt
//! analysis or output file (bad checksum, cut short) is a miss; a corrupt format entry is ignored,
//! formatted again and rewritten. So the caches only ever give what emitting would:
//! output is the same with them, without them, or with damaged ones. `GRAPHGEN_CACHE=off`
//! disables both.
//!
//! Rendering reaches the format cache through [`Scope`]: while a scope is alive,
//! [`format`] (called by `emit::render`) looks its tokens up in the innermost installed
//! cache. The cache is process-wide so that the emitters keep their signatures; two scopes
//! alive at once (tests in parallel) may serve each other, which changes nothing but their
//! counts.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use siphasher::sip::SipHasher13;
use siphasher::sip128::{Hasher128, SipHasher13 as SipHasher128};

use crate::write::FileSet;

pub mod analysis;

/// The first bytes of a cache file; the number is the file format's version.
const MAGIC: &[u8] = b"graphgen format cache 1\n";

/// This build's key: a hash of the generator's sources and dependency versions.
pub const BUILD_KEY: &str = env!("GRAPHGEN_BUILD_KEY");

/// The environment variable that disables the caches (`off`, `0`, `false`, `no`).
pub const DISABLE_VAR: &str = "GRAPHGEN_CACHE";

/// Whether the environment disables the caches.
pub fn disabled_by_env() -> bool {
    std::env::var(DISABLE_VAR).is_ok_and(|v| {
        matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "off" | "0" | "false" | "no"
        )
    })
}

/// The cache folder of a workspace: `graphgen-cache/` in `$CARGO_TARGET_DIR`, else in
/// the workspace's `target/`.
pub fn default_dir(workspace: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| workspace.join("target"))
        .join("graphgen-cache")
}

/// The scope (cache file name) of one output: its crates' name and a hash of its folder,
/// so that outputs generated in turn keep their own caches.
pub fn scope(label: &str, output: &Path) -> String {
    let absolute = std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf());
    let mut hasher = SipHasher13::new_with_keys(0, 0);
    hasher.write(absolute.to_string_lossy().as_bytes());
    let label: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{label}-{:016x}", hasher.finish())
}

/// The first bytes of an output cache file; the number is the file format's version.
const OUTPUT_MAGIC: &[u8] = b"graphgen output cache 1\n";

/// The key of an output: a hash of every text that emitting reads, each length-prefixed.
pub fn output_key(parts: &[&str]) -> u128 {
    let mut hasher = SipHasher128::new_with_keys(0x6772_6170_6867_656e, 0x6f75_7470_7574_0001);
    for part in parts {
        hash_text(b's', part, &mut hasher);
    }
    hasher.finish128().as_u128()
}

/// The files of the output cached under `key` for `scope`, if the cache file is whole,
/// of this build and of that key.
pub fn load_output(dir: &Path, scope: &str, key: u128) -> Option<FileSet> {
    let payload = load_blob(&dir.join(format!("output-{scope}.pack")), OUTPUT_MAGIC, key)?;
    let mut rest = payload.as_slice();
    let mut files = FileSet::new();
    while !rest.is_empty() {
        let (path, after) = take_text(rest)?;
        let (text, after) = take_text(after)?;
        files.insert(PathBuf::from(path), text.to_string());
        rest = after;
    }
    Some(files)
}

/// Saves `files` as the output of `key` for `scope`, replacing the previous one.
pub fn save_output(dir: &Path, scope: &str, key: u128, files: &FileSet) -> std::io::Result<()> {
    let size: usize = files
        .iter()
        .map(|(p, t)| p.as_os_str().len() + t.len() + 16)
        .sum();
    let mut payload = Vec::with_capacity(size);
    for (path, text) in files {
        // Relative paths with `/` read back the same on every platform.
        for part in [path.to_string_lossy().replace('\\', "/").as_str(), text] {
            payload.extend_from_slice(&(part.len() as u64).to_le_bytes());
            payload.extend_from_slice(part.as_bytes());
        }
    }
    save_blob(
        &dir.join(format!("output-{scope}.pack")),
        OUTPUT_MAGIC,
        key,
        &payload,
    )
}

/// The first bytes of an output stamp file; the number is the file format's version.
const STAMP_MAGIC: &[u8] = b"graphgen output stamp 1\n";

/// Records that `output` holds the output of `key` (of `files` files) as it is now: the
/// size and modification time of every file in it (see [`crate::write::listing`]), and
/// when the record was made.
pub fn stamp_output(
    dir: &Path,
    scope: &str,
    key: u128,
    output: &Path,
    files: usize,
) -> std::io::Result<()> {
    let listing = crate::write::listing(output)?;
    let now = nanos_since_epoch(std::time::SystemTime::now());
    let mut payload = now.to_le_bytes().to_vec();
    payload.extend(listing_payload(files, &listing));
    save_blob(&stamp_path(dir, scope), STAMP_MAGIC, key, &payload)
}

/// Removes the output stamp of `scope`, if there is one.
pub fn forget_stamp(dir: &Path, scope: &str) {
    let _ = std::fs::remove_file(stamp_path(dir, scope));
}

/// How many files the output of `key` has, if `output` is exactly as the last run of
/// that key left it: the same files, each of the same size and modification time.
/// That is how make and cargo tell a file unchanged; an edit to a generated file (or a
/// checkout of another version of it) changes its time, and the run then compares and
/// rewrites as usual. A file whose time is unknown, or so close to the stamp's own time
/// that an edit right after it could carry the same time (git's "racy clean"), makes
/// the stamp untrusted: the run compares, and stamps again.
pub fn output_unchanged(dir: &Path, scope: &str, key: u128, output: &Path) -> Option<usize> {
    let stamp = load_blob(&stamp_path(dir, scope), STAMP_MAGIC, key)?;
    let stamped_at = u128::from_le_bytes(stamp.get(..16)?.try_into().ok()?);
    let recorded = stamp.get(16..)?;
    let files = usize::try_from(u64::from_le_bytes(recorded.get(..8)?.try_into().ok()?)).ok()?;
    let listing = crate::write::listing(output).ok()?;
    let racy = listing.iter().any(|listed| {
        // A time without a fraction of a second is from a file system that keeps whole
        // seconds (or two): a wider window.
        let window: u128 = if listed.modified % 1_000_000_000 == 0 {
            2_000_000_000
        } else {
            50_000_000
        };
        listed.modified == 0 || listed.modified + window >= stamped_at
    });
    (!racy && recorded == listing_payload(files, &listing)).then_some(files)
}

fn stamp_path(dir: &Path, scope: &str) -> PathBuf {
    dir.join(format!("output-{scope}.stamp"))
}

fn nanos_since_epoch(time: std::time::SystemTime) -> u128 {
    time.duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

fn listing_payload(files: usize, listing: &[crate::write::Listed]) -> Vec<u8> {
    let mut payload = (files as u64).to_le_bytes().to_vec();
    for listed in listing {
        let path = listed.path.to_string_lossy().replace('\\', "/");
        payload.extend_from_slice(&(path.len() as u64).to_le_bytes());
        payload.extend_from_slice(path.as_bytes());
        payload.extend_from_slice(&listed.len.to_le_bytes());
        payload.extend_from_slice(&listed.modified.to_le_bytes());
    }
    payload
}

/// The payload of a one-entry cache file, if it is whole (its checksum agrees), of this
/// build and of `key`.
pub(crate) fn load_blob(path: &Path, magic: &[u8], key: u128) -> Option<Vec<u8>> {
    let mut bytes = std::fs::read(path).ok()?;
    let body_len = bytes.len().checked_sub(8)?;
    let sum = u64::from_le_bytes(bytes[body_len..].try_into().ok()?);
    if sum != checksum(key, &bytes[..body_len]) {
        return None;
    }
    let header = [magic, BUILD_KEY.as_bytes(), b"\n", &key.to_le_bytes()].concat();
    if !bytes[..body_len].starts_with(&header) {
        return None;
    }
    bytes.truncate(body_len);
    bytes.drain(..header.len());
    Some(bytes)
}

/// Writes a one-entry cache file (magic, build key, key, payload, checksum) atomically.
pub(crate) fn save_blob(
    path: &Path,
    magic: &[u8],
    key: u128,
    payload: &[u8],
) -> std::io::Result<()> {
    let mut bytes = Vec::with_capacity(payload.len() + 128);
    bytes.extend_from_slice(magic);
    bytes.extend_from_slice(BUILD_KEY.as_bytes());
    bytes.push(b'\n');
    bytes.extend_from_slice(&key.to_le_bytes());
    bytes.extend_from_slice(payload);
    let sum = checksum(key, &bytes);
    bytes.extend_from_slice(&sum.to_le_bytes());
    crate::write::write_atomic(path, &bytes)
}

/// A length-prefixed UTF-8 text and the bytes after it.
fn take_text(bytes: &[u8]) -> Option<(&str, &[u8])> {
    let len = usize::try_from(u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?)).ok()?;
    let text = std::str::from_utf8(bytes.get(8..8usize.checked_add(len)?)?).ok()?;
    Some((text, &bytes[8 + len..]))
}

/// What a cache did in one run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Whether the analysis came from the analysis cache (nothing was extracted).
    pub analysis_reused: bool,
    /// Whether the whole output came from the output cache (nothing was emitted).
    pub output_reused: bool,
    /// Whether the output folder was exactly as the last run of the same output left it
    /// (its stamp), so that nothing was emitted, read or written.
    pub output_unchanged: bool,
    /// Entries read from the cache file.
    pub loaded: usize,
    /// Entries in the file that were ignored (corrupt, or cut short).
    pub ignored: usize,
    /// Files whose formatted text came from the cache.
    pub hits: usize,
    /// Files formatted (and added to the cache).
    pub misses: usize,
}

/// The formatted files of one output, loaded from and saved to one cache file.
#[derive(Debug)]
pub struct FormatCache {
    path: PathBuf,
    /// Entries read from the file: key → (checksum-verified) formatted text.
    loaded: HashMap<u128, String>,
    /// Entries used or made in this run, saved back (and only they, so that the file
    /// holds one generation of the output rather than growing forever).
    used: Mutex<BTreeMap<u128, String>>,
    ignored: usize,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

impl FormatCache {
    /// Opens the cache of `scope` (one output: a name safe in a file name) in `dir`. A
    /// missing, unreadable or foreign file is an empty cache.
    pub fn open(dir: &Path, scope: &str) -> FormatCache {
        let path = dir.join(format!("format-{scope}.pack"));
        let bytes = std::fs::read(&path).unwrap_or_default();
        let (loaded, ignored) = parse(&bytes);
        FormatCache {
            path,
            loaded,
            used: Mutex::default(),
            ignored,
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
        }
    }

    /// The cache file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the cache did so far.
    pub fn stats(&self) -> Stats {
        Stats {
            analysis_reused: false,
            output_reused: false,
            output_unchanged: false,
            loaded: self.loaded.len(),
            ignored: self.ignored,
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }

    /// The formatted text of `tokens`: from the cache, else from `render` (and then
    /// remembered).
    fn get_or_render(
        &self,
        tokens: TokenStream,
        render: impl FnOnce(TokenStream) -> String,
    ) -> String {
        let key = token_key(&tokens);
        if let Some(text) = self.loaded.get(&key) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            self.lock_used().insert(key, text.clone());
            return text.clone();
        }
        if let Some(text) = self.lock_used().get(&key) {
            // The same file twice in one run (two outputs share identical code).
            self.hits.fetch_add(1, Ordering::Relaxed);
            return text.clone();
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let text = render(tokens);
        self.lock_used().insert(key, text.clone());
        text
    }

    fn lock_used(&self) -> std::sync::MutexGuard<'_, BTreeMap<u128, String>> {
        // A panic while holding the lock leaves a map of complete entries: still usable.
        self.used.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes the entries this run used back to the cache file, atomically, when they
    /// differ from what was loaded. Returns whether the file was written.
    pub fn save(&self) -> std::io::Result<bool> {
        let used = self.lock_used();
        let unchanged = self.ignored == 0
            && used.len() == self.loaded.len()
            && used.keys().all(|k| self.loaded.contains_key(k));
        if unchanged {
            return Ok(false);
        }
        let mut bytes = Vec::with_capacity(used.values().map(|t| t.len() + 28).sum::<usize>() + 64);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(BUILD_KEY.as_bytes());
        bytes.push(b'\n');
        for (key, text) in used.iter() {
            bytes.extend_from_slice(&key.to_le_bytes());
            bytes.extend_from_slice(&(text.len() as u64).to_le_bytes());
            bytes.extend_from_slice(&checksum(*key, text.as_bytes()).to_le_bytes());
            bytes.extend_from_slice(text.as_bytes());
        }
        crate::write::write_atomic(&self.path, &bytes)?;
        Ok(true)
    }
}

/// Reads a cache file's entries, and how many were ignored; a file of another format or
/// build gives none.
fn parse(bytes: &[u8]) -> (HashMap<u128, String>, usize) {
    let mut entries = HashMap::new();
    let Some(mut rest) = bytes
        .strip_prefix(MAGIC)
        .and_then(|b| b.strip_prefix(BUILD_KEY.as_bytes()))
        .and_then(|b| b.strip_prefix(b"\n"))
    else {
        return (entries, 0);
    };
    let mut ignored = 0;
    while !rest.is_empty() {
        let Some((key, len, sum, after)) = entry_header(rest) else {
            // A header cut short: nothing after it can be found again.
            ignored += 1;
            break;
        };
        let Some(text) = after.get(..len) else {
            ignored += 1;
            break;
        };
        rest = &after[len..];
        match std::str::from_utf8(text) {
            Ok(text) if checksum(key, text.as_bytes()) == sum => {
                entries.insert(key, text.to_string());
            }
            _ => ignored += 1,
        }
    }
    (entries, ignored)
}

/// An entry's key, text length and checksum, and the bytes after them.
fn entry_header(bytes: &[u8]) -> Option<(u128, usize, u64, &[u8])> {
    let key = u128::from_le_bytes(bytes.get(..16)?.try_into().ok()?);
    let len = u64::from_le_bytes(bytes.get(16..24)?.try_into().ok()?);
    let sum = u64::from_le_bytes(bytes.get(24..32)?.try_into().ok()?);
    Some((key, usize::try_from(len).ok()?, sum, &bytes[32..]))
}

fn checksum(key: u128, text: &[u8]) -> u64 {
    let mut hasher = SipHasher13::new_with_keys(0x6772_6170_6867_656e, 0x636b_7375_6d00_0001);
    hasher.write(&key.to_le_bytes());
    hasher.write(text);
    hasher.finish()
}

/// A 128-bit hash of everything formatting reads in a token tree. Written out rather than
/// taken from `to_string()`, which prints a group without delimiters (`Delimiter::None`)
/// like its contents and so could give two different trees one key.
pub fn token_key(tokens: &TokenStream) -> u128 {
    let mut hasher = SipHasher128::new_with_keys(0x6772_6170_6867_656e, 0x746f_6b65_6e73_0001);
    hash_stream(tokens, &mut hasher);
    hasher.finish128().as_u128()
}

fn hash_stream(tokens: &TokenStream, hasher: &mut SipHasher128) {
    for tree in tokens.clone() {
        match tree {
            TokenTree::Group(group) => {
                let tag = match group.delimiter() {
                    Delimiter::Parenthesis => b'(',
                    Delimiter::Brace => b'{',
                    Delimiter::Bracket => b'[',
                    Delimiter::None => b'0',
                };
                hasher.write_u8(tag);
                hash_stream(&group.stream(), hasher);
                hasher.write_u8(b'}');
            }
            TokenTree::Ident(ident) => hash_text(b'i', &ident.to_string(), hasher),
            TokenTree::Punct(punct) => {
                hasher.write_u8(match punct.spacing() {
                    Spacing::Joint => b'j',
                    Spacing::Alone => b'p',
                });
                hasher.write_u32(u32::from(punct.as_char()));
            }
            TokenTree::Literal(literal) => hash_text(b'l', &literal.to_string(), hasher),
        }
    }
}

/// A tag, the text's length and the text, so that no two sequences run together.
fn hash_text(tag: u8, text: &str, hasher: &mut SipHasher128) {
    hasher.write_u8(tag);
    hasher.write_u64(text.len() as u64);
    hasher.write(text.as_bytes());
}

/// The caches installed by live scopes; formatting uses the last.
static ACTIVE: Mutex<Vec<Arc<FormatCache>>> = Mutex::new(Vec::new());

/// While alive, formatting goes through a cache.
#[derive(Debug)]
pub struct Scope {
    cache: Arc<FormatCache>,
}

impl Scope {
    /// Installs `cache` for formatting until the scope is dropped.
    pub fn install(cache: Arc<FormatCache>) -> Scope {
        lock_active().push(Arc::clone(&cache));
        Scope { cache }
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        let mut active = lock_active();
        if let Some(i) = active.iter().rposition(|c| Arc::ptr_eq(c, &self.cache)) {
            active.remove(i);
        }
    }
}

fn lock_active() -> std::sync::MutexGuard<'static, Vec<Arc<FormatCache>>> {
    ACTIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// The formatted text of `tokens` by `render`, through the installed cache if any.
pub(crate) fn format(tokens: TokenStream, render: impl FnOnce(TokenStream) -> String) -> String {
    let cache = lock_active().last().cloned();
    match cache {
        Some(cache) => cache.get_or_render(tokens, render),
        None => render(tokens),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn keys_tell_apart_what_formatting_tells_apart() {
        let plain = quote! { a + b * c };
        let grouped: TokenStream = {
            let inner = proc_macro2::Group::new(Delimiter::None, quote! { a + b });
            let mut s = TokenStream::from(TokenTree::Group(inner));
            s.extend(quote! { * c });
            s
        };
        // Printed alike, parsed differently: `(a + b) * c`.
        assert_eq!(
            plain.to_string().replace(' ', ""),
            grouped.to_string().replace(' ', "")
        );
        assert_ne!(token_key(&plain), token_key(&grouped));
        assert_ne!(
            token_key(&quote! { a += b }),
            token_key(&quote! { a + = b })
        );
        assert_ne!(token_key(&quote! { ab c }), token_key(&quote! { a bc }));
        assert_eq!(
            token_key(&quote! { fn f() {} }),
            token_key(&quote! { fn f ( ) { } })
        );
    }

    #[test]
    fn a_foreign_or_damaged_file_gives_no_entries() {
        assert_eq!(parse(b""), (HashMap::new(), 0));
        assert_eq!(
            parse(b"graphgen format cache 0\nxyz\n"),
            (HashMap::new(), 0)
        );
        let mut other_build = MAGIC.to_vec();
        other_build.extend_from_slice(b"0000000000000000ffffffffffffffff\n");
        assert_eq!(parse(&other_build).0.len(), 0);
    }
}

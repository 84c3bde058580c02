#![no_main]
//! Bytes → format sniffing → page → facts → merge → emit: nothing may panic, and the
//! emitted Rust must parse.

use graphgen::extract::{Source, extract};
use graphgen::merge::{SourcedFacts, merge};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok((_, page)) = graphgen::read::read_bytes("txt", data) else {
        return;
    };
    let source = Source { page: "fuzz/page", file: "fuzz/page.txt" };
    let (facts, _) = extract(source, &page);
    let (schema, _) = merge(vec![SourcedFacts { file: "fuzz/page.txt".into(), facts }]);
    for (path, text) in graphgen::emit::emit(&schema) {
        if path.extension().is_some_and(|e| e == "rs") {
            assert!(syn::parse_file(&text).is_ok(), "{} does not parse:\n{text}", path.display());
            assert!(!text.contains("graphgen emitted invalid Rust"), "{}:\n{text}", path.display());
        }
    }
});

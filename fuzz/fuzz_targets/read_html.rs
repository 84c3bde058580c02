#![no_main]
//! The html reader on arbitrary text: it must never panic.

use graphgen::page::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = graphgen::read::read_str(Format::Html, text);
    }
});

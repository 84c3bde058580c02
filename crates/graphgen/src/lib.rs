//! graphgen: reads Microsoft Graph API reference pages in any of their forms and generates
//! Rust code from them.
//!
//! The pipeline, one module per stage, plain data between stages:
//!
//! ```text
//! files ──read──▶ Page ──extract──▶ PageFacts ──merge──▶ Schema ──emit──▶ files ──write──▶ disk
//! ```
//!
//! Each stage imports only the data of earlier ones. `page` (the page model) and `http`
//! (request lines and paths, which both the text reader and the extractor read) sit
//! below the stages and import no stage.
#![deny(missing_docs)]

pub mod accepted;
pub mod bench;
pub mod cache;
pub mod changelog;
pub mod codegen;
pub mod commands;
pub mod compile_bench;
pub mod diag;
pub mod doc_json;
pub mod doc_values;
pub mod emit;
pub mod examples;
pub mod extract;
pub mod facts;
pub mod http;
pub mod memory;
pub mod merge;
pub mod naming;
pub mod page;
pub mod pipeline;
mod primitive;
pub mod read;
pub mod schema;
pub mod score;
pub mod verify;
pub mod write;

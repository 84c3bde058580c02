//! The runtime half of the compile benchmark: a program that deserializes and serializes
//! every documented example body through the generated model and through the baseline's
//! derived struct, in one run, and prints both times. Built in release mode: what users
//! ship.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use quote::quote;

use crate::emit::manifest::{self, Package};
use crate::emit::{Plan, render};
use crate::verify::BodyCheck;
use crate::write::FileSet;

/// The `runtime` crate of the work space.
pub fn runtime_crate(plan: &Plan<'_>, checks: &[BodyCheck], support: &str) -> FileSet {
    let baseline_of = baseline_names(plan);
    let mut bodies: BTreeMap<(String, String), Vec<&str>> = BTreeMap::new();
    for check in checks {
        if let Some(baseline) = baseline_model(&check.model, &baseline_of) {
            bodies
                .entry((check.model.clone(), baseline))
                .or_default()
                .push(&check.body);
        }
    }
    let arms = bodies.keys().filter_map(|(model, baseline)| {
        let m: syn::Type = syn::parse_str(model).ok()?;
        let b: syn::Type = syn::parse_str(baseline).ok()?;
        Some(quote! { #model => measure::<#m, #b>(bodies, rounds), })
    });
    let list: Vec<(&str, &Vec<&str>)> = bodies.iter().map(|((m, _), b)| (m.as_str(), b)).collect();
    let json = serde_json::to_string(&list).unwrap_or_else(|_| "[]".to_string());
    let main = render(quote! {
        //! Times every example body through the generated model and the baseline struct.
        use std::time::{Duration, Instant};

        /// One pass over the bodies: parse and print each, keeping only bodies that both
        /// types read; the time of `rounds` passes, or `None` if a type reads none.
        fn time<T: serde::de::DeserializeOwned + serde::Serialize>(bodies: &[&str], rounds: usize) -> Duration {
            let start = Instant::now();
            for _ in 0..rounds {
                for body in bodies {
                    if let Ok(value) = serde_json::from_str::<T>(body) {
                        std::hint::black_box(serde_json::to_string(&value).ok());
                    }
                }
            }
            start.elapsed()
        }

        fn readable<T: serde::de::DeserializeOwned>(body: &str) -> bool {
            serde_json::from_str::<T>(body).is_ok()
        }

        fn measure<M, B>(bodies: &[&str], rounds: usize) -> (usize, Duration, Duration)
        where
            M: serde::de::DeserializeOwned + serde::Serialize,
            B: serde::de::DeserializeOwned + serde::Serialize,
        {
            let both: Vec<&str> = bodies.iter().copied().filter(|b| readable::<M>(b) && readable::<B>(b)).collect();
            (both.len(), time::<M>(&both, rounds), time::<B>(&both, rounds))
        }

        fn main() {
            let list: Vec<(String, Vec<String>)> = serde_json::from_str(include_str!("../bodies.json")).unwrap_or_default();
            let rounds = 20;
            let (mut count, mut models, mut baseline) = (0, Duration::ZERO, Duration::ZERO);
            for (model, bodies) in &list {
                let bodies: Vec<&str> = bodies.iter().map(String::as_str).collect();
                let bodies = bodies.as_slice();
                let (n, m, b) = match model.as_str() {
                    #(#arms)*
                    _ => (0, Duration::ZERO, Duration::ZERO),
                };
                count += n;
                models += m;
                baseline += b;
            }
            println!("runtime {count} {} {}", models.as_secs_f64(), baseline.as_secs_f64());
        }
    });
    let mut files = FileSet::new();
    files.insert(PathBuf::from("runtime/src/main.rs"), main);
    files.insert(PathBuf::from("runtime/bodies.json"), json);
    let dependencies = [
        ("graph-models", manifest::path("../graph-models", &["full"])),
        ("baseline", manifest::path("../baseline", &[])),
        ("graph-support", manifest::path(support, &[])),
        ("serde", "\"1\"".to_string()),
        ("serde_json", manifest::SERDE_JSON.to_string()),
    ];
    let package = Package {
        name: "runtime",
        description: None,
    };
    files.insert(
        PathBuf::from("runtime/Cargo.toml"),
        manifest::manifest(package, &dependencies, ""),
    );
    files
}

/// The generated identifier → the baseline's: an `Any` enum stands for its base struct.
fn baseline_names(plan: &Plan<'_>) -> BTreeMap<String, String> {
    let mut names: BTreeMap<String, String> = plan
        .idents
        .values()
        .map(|id| (id.clone(), id.clone()))
        .collect();
    for (ty, any) in &plan.any_idents {
        names.insert(any.clone(), plan.idents[ty].clone());
    }
    names.extend(plan.parameters.keys().map(|id| (id.clone(), id.clone())));
    names
}

/// The baseline's type for a model path such as
/// `::graph_support::Collection<::graph_models::AnyX>`.
fn baseline_model(model: &str, names: &BTreeMap<String, String>) -> Option<String> {
    const MODELS: &str = "::graph_models::";
    let mut out = String::new();
    let mut rest = model;
    let mut replaced = BTreeSet::new();
    while let Some(at) = rest.find(MODELS) {
        out.push_str(&rest[..at]);
        let after = &rest[at + MODELS.len()..];
        let end = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '#'))
            .unwrap_or(after.len());
        let ident = &after[..end];
        let base = names.get(ident)?;
        replaced.insert(base.clone());
        out.push_str("::baseline::");
        out.push_str(base);
        rest = &after[end..];
    }
    out.push_str(rest);
    (!replaced.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_enums_map_to_their_base_struct() {
        let names = BTreeMap::from([
            ("AnyX".to_string(), "X".to_string()),
            ("Y".to_string(), "Y".to_string()),
        ]);
        assert_eq!(
            baseline_model("::graph_support::Collection<::graph_models::AnyX>", &names),
            Some("::graph_support::Collection<::baseline::X>".to_string())
        );
        assert_eq!(
            baseline_model("::graph_models::Y", &names),
            Some("::baseline::Y".to_string())
        );
        assert_eq!(baseline_model("::std::string::String", &names), None);
        assert_eq!(baseline_model("::graph_models::Z", &names), None);
    }
}

//! The README's client program, run in CI against the generated mock server seeded with
//! the documented examples, as the README's own command starts it.

mod program {
    include!("readme/list_device_categories.rs");

    /// The program's `main`, for the test below.
    pub fn run() -> Result<(), Error> {
        main()
    }
}

/// The program in the README is this file, word for word.
#[test]
fn the_readme_shows_the_program_that_is_run() {
    let readme =
        std::fs::read_to_string(graphgen_tests::workspace().join("README.md")).expect("README.md");
    let program = include_str!("readme/list_device_categories.rs");
    assert!(
        readme.contains(&format!("```rust\n{program}```")),
        "README.md must show tests/readme/list_device_categories.rs as it is"
    );
}

#[test]
fn the_readme_program_lists_the_device_categories_of_the_mock_server() {
    // The server runs on its own runtime; the program starts its own, as `main` does.
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let address = runtime.block_on(graphgen_tests::start_server(
        graph_routes::Server::new().seeded_with_examples(),
    ));
    // SAFETY: the only test of this binary that reads or writes the environment.
    unsafe { std::env::set_var("GRAPH_URL", format!("http://{address}")) };
    program::run().expect("the program lists the device categories");
    let client = graph_client::Client::new().with_base_url(format!("http://{address}"));
    let listed = runtime
        .block_on(client.device_category_list().all())
        .expect("listed");
    let names: Vec<_> = listed.iter().map(|c| c.display_name.as_deref()).collect();
    assert_eq!(
        names,
        [Some("Display Name value")],
        "the documented example"
    );
}

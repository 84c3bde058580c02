use graph_client::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let url = std::env::var("GRAPH_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into());
    let client = Client::new().with_base_url(url);
    for category in client.device_category_list().all().await? {
        println!("{}", category.display_name.unwrap_or_default());
    }
    Ok(())
}

//! Serves a store on a port: `cargo run -p entente-server --example serve -- DB PORT`.
//! Stands in for `entente serve` in the browser tests until the CLI has it.

use std::net::SocketAddr;
use std::path::PathBuf;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(db), Some(port)) = (args.next(), args.next()) else {
        eprintln!("usage: serve DB PORT");
        std::process::exit(2);
    };
    let port: u16 = port.parse().unwrap_or_else(|_| {
        eprintln!("bad port {port:?}");
        std::process::exit(2)
    });
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    match entente_server::bind(&PathBuf::from(db), addr).await {
        Ok((bound, served)) => {
            println!("serving on http://{bound}/");
            if let Err(e) = served.await {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}

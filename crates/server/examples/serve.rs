//! Serves a store on a port: `cargo run -p entente-server --example serve -- DB PORT [--fill N]`.
//! With `--fill N` and no file at DB, first writes a synthetic store of N events (for the
//! browser tests). Stands in for `entente serve` until the CLI has it.

#[path = "../benches/synthetic.rs"]
mod synthetic;

use std::net::SocketAddr;
use std::path::PathBuf;

fn fail(message: String) -> ! {
    eprintln!("{message}");
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [db, port, rest @ ..] = args.as_slice() else { fail("usage: serve DB PORT [--fill EVENTS]".into()) };
    let db = PathBuf::from(db);
    let port: u16 = port.parse().unwrap_or_else(|_| fail(format!("bad port {port:?}")));
    if let [flag, n] = rest
        && flag == "--fill"
        && !db.exists()
    {
        let n: usize = n.parse().unwrap_or_else(|_| fail(format!("bad count {n:?}")));
        synthetic::fill(&db, n).unwrap_or_else(|e| fail(e.to_string()));
    }
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    match entente_server::bind(&db, addr).await {
        Ok((bound, served)) => {
            println!("serving on http://{bound}/");
            if let Err(e) = served.await {
                fail(e.to_string());
            }
        }
        Err(e) => fail(e.to_string()),
    }
}

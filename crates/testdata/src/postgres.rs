//! A throwaway PostgreSQL server for tests: a cluster in a temporary directory, listening on
//! loopback on its own port, stopped and deleted when dropped. Each test makes the databases
//! it needs ([`PgServer::database`]).
//!
//! The binaries are found as `ENTENTE_PG_BIN` (a directory), `initdb` on `PATH`, or Debian's
//! `/usr/lib/postgresql/<version>/bin` (the newest). Without them a test skips with a
//! SKIPPED line, except in CI (`CI` set), where a missing server is a failure: CI must run
//! these tests.
//!
//! `initdb` refuses to run as root: as root, the cluster is made and run by the `postgres`
//! user (Debian's package creates it) through `runuser`, in a directory given to that user.
//!
//! The cluster's default collation is ICU's `en-US` where the server has ICU (Debian's does):
//! a collation that does not order text by bytes, so a query that orders by text without
//! `COLLATE "C"` shows in the tests as an export that differs from SQLite's.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A running cluster; stopped and deleted on drop.
pub struct PgServer {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    /// The user the server runs as, when the test runs as root.
    run_as: Option<String>,
    databases: AtomicUsize,
}

/// The user every cluster is made for (trust authentication on loopback, no password).
pub const USER: &str = "entente";

impl PgServer {
    /// Starts a cluster, or prints why the test `test` skips and returns `None` (a failure in CI).
    pub fn start_or_skip(test: &str) -> Option<PgServer> {
        match find_bin() {
            Some(bin) => Some(PgServer::start(&bin).unwrap_or_else(|e| panic!("{test}: cannot start PostgreSQL: {e}"))),
            None => {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "{test}: no PostgreSQL server binaries (initdb, pg_ctl), and CI must run every test"
                );
                println!("SKIPPED: {test}: no PostgreSQL server binaries (install Debian's postgresql)");
                None
            }
        }
    }

    /// Makes and starts a cluster with the binaries in `bin`.
    pub fn start(bin: &Path) -> Result<PgServer, String> {
        let dir = temp_dir()?;
        let run_as = running_as_root().then(|| "postgres".to_string());
        if let Some(user) = &run_as {
            run(Command::new("chown").arg(format!("{user}:")).arg(&dir), "chown")?;
        }
        let mut server = PgServer { dir, bin: bin.to_path_buf(), port: 0, run_as, databases: AtomicUsize::new(0) };
        let data = server.dir.join("data");
        let initdb = |icu: bool| {
            let mut args: Vec<String> = vec![
                "-D".into(),
                data.display().to_string(),
                "-U".into(),
                USER.into(),
                "--auth=trust".into(),
                "-E".into(),
                "UTF8".into(),
                "--locale=C.UTF-8".into(),
                "--no-sync".into(),
            ];
            if icu {
                args.extend(["--locale-provider=icu".into(), "--icu-locale=en-US".into()]);
            }
            server.command("initdb", &args)
        };
        // ICU where the server has it (see the module's comment), else the C.UTF-8 locale.
        if initdb(true).is_err() {
            let _ = std::fs::remove_dir_all(&data);
            initdb(false)?;
        }
        // A port free now may be taken before the server binds it: try a few.
        let mut last = String::new();
        for _ in 0..5 {
            server.port = free_port()?;
            let options = format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off",
                server.port,
                server.dir.display()
            );
            let log = server.dir.join("server.log").display().to_string();
            let args = [
                "-D".to_string(),
                data.display().to_string(),
                "-o".into(),
                options,
                "-l".into(),
                log,
                "-w".into(),
                "start".into(),
            ];
            match server.command("pg_ctl", &args) {
                Ok(_) => return Ok(server),
                Err(e) => last = e,
            }
        }
        Err(format!("pg_ctl start failed five times; last: {last}"))
    }

    /// Creates a new, empty database and returns its URL.
    pub fn database(&self) -> String {
        let name = format!("test{}", self.databases.fetch_add(1, Ordering::Relaxed));
        let port = self.port.to_string();
        let args = ["-h", "127.0.0.1", "-p", port.as_str(), "-U", USER, name.as_str()].map(String::from);
        self.command("createdb", &args).unwrap_or_else(|e| panic!("createdb {name}: {e}"));
        self.url(&name)
    }

    /// The URL of database `name` of this server.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{name}", self.port)
    }

    /// Runs one of the server's programs, as the server's user.
    fn command(&self, program: &str, args: &[String]) -> Result<Output, String> {
        let path = self.bin.join(program);
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&path);
                c
            }
            None => Command::new(&path),
        };
        cmd.args(args);
        run(&mut cmd, program)
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        let data = self.dir.join("data").display().to_string();
        let _ = self.command("pg_ctl", &["-D".into(), data, "-m".into(), "immediate".into(), "stop".into()]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn run(cmd: &mut Command, what: &str) -> Result<Output, String> {
    let out = cmd.output().map_err(|e| format!("{what}: {e}"))?;
    if out.status.success() {
        Ok(out)
    } else {
        Err(format!(
            "{what}: {}\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// The directory of `initdb` and `pg_ctl`, if this machine has them.
pub fn find_bin() -> Option<PathBuf> {
    let has_all = |dir: &Path| ["initdb", "pg_ctl", "createdb"].iter().all(|p| dir.join(p).is_file());
    if let Some(dir) = std::env::var_os("ENTENTE_PG_BIN") {
        return Some(PathBuf::from(dir)).filter(|d| has_all(d));
    }
    let on_path = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|dir| dir.join("initdb"))
        .find(|p| p.is_file())
        // Debian links /usr/local/bin/initdb (or a wrapper) to the real directory.
        .and_then(|p| p.canonicalize().ok())
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .filter(|d| has_all(d));
    if on_path.is_some() {
        return on_path;
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin)| has_all(bin))
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

/// Root owns /proc/self when the process runs as root.
fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false)
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

fn temp_dir() -> Result<PathBuf, String> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let dir = std::env::temp_dir().join(format!(
        "entente-pg-{}-{}-{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

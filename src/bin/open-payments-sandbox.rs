//! Starts the Open Payments sandbox on 127.0.0.1 and prints one JSON line with its URLs.
//!
//! `open-payments-sandbox [--port N] [--config FILE] [--layout paths|origins]` (`--port 0`, the
//! default, picks a free port). See [`usage`] for the layouts.

use std::io::Write as _;
use std::process::ExitCode;

use open_payments_wasm::sandbox::{spawn, Layout, SandboxConfig};

const USAGE: &str = "\
usage: open-payments-sandbox [--port N] [--config FILE] [--layout paths|origins]

  --port N          port of the base URL (0, the default, picks a free one)
  --config FILE     sandbox configuration JSON (default: the built-in ASEs bank-a and bank-b)
  --layout paths    (default) every ASE on the base URL: wallets at {base}/{ase}/{wallet},
                    authServer {base}/{ase}/auth, resourceServer {base}/{ase}/op
  --layout origins  as production ASEs: each ASE on two origins of its own (ports picked by
                    the OS): wallets at {wallet origin}/{wallet} with resourceServer = the
                    wallet origin, authServer = its own origin (grant requests at /); the base
                    URL serves only /dev/*. Overrides \"layout\" of the configuration file.

Prints one JSON line with the URLs (baseUrl, layout, wallets, authServers, resourceServers).";

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut port: u16 = 0;
    let mut config_path: Option<String> = None;
    let mut layout: Option<Layout> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--port", Some(p)) => match p.parse() {
                Ok(p) => port = p,
                Err(_) => return usage(),
            },
            ("--config", Some(path)) => config_path = Some(path),
            ("--layout", Some(l)) => match l.as_str() {
                "paths" => layout = Some(Layout::Paths),
                "origins" => layout = Some(Layout::Origins),
                _ => return usage(),
            },
            _ => return usage(),
        }
    }
    let mut config = match config_path {
        Some(path) => match std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|text| SandboxConfig::from_json(&text).map_err(|e| e.to_string()))
        {
            Ok(c) => c,
            Err(e) => {
                eprintln!("cannot read {path}: {e}");
                return ExitCode::FAILURE;
            }
        },
        None => SandboxConfig::default(),
    };
    if let Some(layout) = layout {
        config.layout = layout;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let info = spawn(config.clone(), listener).await?;
        let line = serde_json::to_string(&info).map_err(std::io::Error::other)?;
        let mut out = std::io::stdout();
        writeln!(out, "{line}")?;
        out.flush()?;
        // Serve forever (the spawned task does the work).
        std::future::pending::<()>().await;
        Ok::<(), Box<dyn std::error::Error>>(())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sandbox stopped: {e}");
            ExitCode::FAILURE
        }
    }
}

//! `shiming-server`: see `shiming-server --help` and the crate's documentation.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use shiming_server::config::{Cli, Command, KeysAction};
use shiming_server::keys::Keys;

/// mimalloc instead of the system allocator (server/Cargo.toml says why).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let quiet = match &cli.command {
        Some(Command::Serve(args)) => args.quiet,
        _ => cli.serve.quiet,
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SHIMING_LOG").unwrap_or_else(|_| {
                tracing_subscriber::EnvFilter::new(if quiet { "warn" } else { "info" })
            }),
        )
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("shiming-server: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Some(Command::Keys {
                action,
                key_file,
                data_dir,
            }) => keys(
                action,
                key_file.unwrap_or_else(|| data_dir.join("keys.json")),
            ),
            Some(Command::Seed { count, serve }) => seed(count, &serve).await,
            Some(Command::Serve(args)) => serve(&args).await,
            None => serve(&cli.serve).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("shiming-server: {message}");
            ExitCode::FAILURE
        }
    }
}

fn keys(action: KeysAction, path: std::path::PathBuf) -> Result<(), String> {
    match action {
        KeysAction::New => {
            if path.exists() {
                return Err(format!(
                    "{} exists: a new key file would make the stored data unreadable (use `keys rotate`)",
                    path.display()
                ));
            }
            let keys = Keys::generate();
            keys.save(&path).map_err(|e| e.0)?;
            println!("wrote {} (data key {})", path.display(), keys.current_id());
        }
        KeysAction::RotateSigning => {
            let (mut keys, _) = Keys::load_or_create(None, &path, false).map_err(|e| e.0)?;
            let id = keys.rotate_signing().map_err(|e| e.0)?;
            keys.save(&path).map_err(|e| e.0)?;
            println!(
                "{}: new receipts are signed with key {id}; restart the servers to use it",
                path.display()
            );
        }
        KeysAction::Rotate => {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let mut keys = Keys::from_json(&text).map_err(|e| e.0)?;
            let id = keys.rotate().map_err(|e| e.0)?;
            keys.save(&path).map_err(|e| e.0)?;
            println!(
                "{}: new writes use data key {id}; restart the servers to use it",
                path.display()
            );
        }
    }
    Ok(())
}

async fn seed(count: u64, args: &shiming_server::config::ServeArgs) -> Result<(), String> {
    let (keys, _) = Keys::load_or_create(
        std::env::var("SHIMING_KEYS").ok().as_deref(),
        &args.key_file_path(),
        true,
    )
    .map_err(|e| e.0)?;
    let keys = std::sync::Arc::new(keys);
    let store = shiming_server::store::Store::open(
        args.database_url.as_deref(),
        std::path::Path::new(&args.data_dir),
        std::sync::Arc::clone(&keys),
    )
    .await?;
    let check = store.meta_init("key_check", &keys.check_value()).await?;
    if check != keys.check_value() {
        return Err("these keys are not the ones this database was written with".into());
    }
    let started = std::time::Instant::now();
    store.seed(count, shiming_server::api::now_ms()).await?;
    println!(
        "seeded {count} accounts in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn serve(args: &shiming_server::config::ServeArgs) -> Result<(), String> {
    let running = shiming_server::server::start(args).await?;
    let mut out = std::io::stdout().lock();
    if let Some(token) = &running.created_admin_token {
        let _ = writeln!(out, "admin token: {token}");
        let _ = writeln!(
            out,
            "(shown once: only its hash is stored; keep it to use the admin endpoints)"
        );
    }
    let _ = writeln!(out, "shiming-server listening on http://{}", running.addr);
    let _ = out.flush();
    drop(out);
    tokio::select! {
        () = running_wait(running) => {}
        () = shutdown_signal() => {}
    }
    Ok(())
}

async fn running_wait(running: shiming_server::server::Running) {
    running.wait().await;
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => return std::future::pending().await,
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

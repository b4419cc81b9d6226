//! `imr user add|passwd|disable|enable|list`: the server's users, on the store directly (a
//! lost administrator password is reset here, not by deleting the database).
//!
//! A password is either read from standard input (`--password-stdin`: the user's own) or
//! generated, printed once and one-time (to be changed at first login).

use std::io::{BufRead, Read};
use std::process::ExitCode;

use anyhow::{Context, bail};
use imr_server::auth;
use imr_store::accounts::{Role, User};

use crate::store_args::{StoreArgs, runtime};

/// Users of the server: add, passwd, disable, enable, list.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(subcommand)]
    pub command: UserCommand,
}

#[derive(clap::Subcommand)]
pub enum UserCommand {
    /// Add a user. Without --password-stdin a one-time password is generated and printed.
    Add {
        username: String,
        /// intake_clerk, reviewer, administrator, quality or party.
        #[arg(long)]
        role: String,
        /// For a reviewer: the reviewer record they are.
        #[arg(long)]
        reviewer: Option<String>,
        /// For a party: the case they are a party to.
        #[arg(long = "case")]
        case_number: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a user's password (ending their sessions). Without --password-stdin a one-time
    /// password is generated and printed.
    Passwd {
        username: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable a user: their sessions end and they cannot log in.
    Disable { username: String },
    /// Enable a disabled user again.
    Enable { username: String },
    /// List the users with their role and state.
    List {
        #[arg(long)]
        json: bool,
    },
}

fn password_from_stdin() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .take(4096)
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    auth::check_new_password(&password).map_err(|m| anyhow::anyhow!("password (stdin): {m}"))?;
    Ok(password)
}

fn state_of(user: &User) -> &'static str {
    match (user.disabled, user.must_change_password) {
        (true, _) => "disabled",
        (false, true) => "one-time password",
        (false, false) => "active",
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let (store, accounts) = imr_store::accounts::open_with_accounts(
            &args.store.database_url,
            Default::default(),
        )
        .await
        .with_context(|| "cannot open the store (--database-url)".to_string())?;
        let state = imr_server::AppState::new(store, accounts, Default::default())?;
        let api = |e: imr_server::error::ApiError| anyhow::anyhow!("{}", e.message);
        let find = async |name: &str| -> anyhow::Result<User> {
            match state.accounts.user_by_name(name).await? {
                Some(user) => Ok(user),
                None => bail!("no user {name:?}"),
            }
        };
        match args.command {
            UserCommand::Add {
                username,
                role,
                reviewer,
                case_number,
                password_stdin,
            } => {
                let role = Role::parse(&role).ok_or_else(|| {
                    anyhow::anyhow!(
                        "--role: {role:?} is not one of intake_clerk, reviewer, administrator, quality, party"
                    )
                })?;
                let (password, one_time) = if password_stdin {
                    (password_from_stdin()?, false)
                } else {
                    (auth::one_time_password().map_err(api)?, true)
                };
                let user = auth::add_user(
                    &state,
                    auth::NewAccount {
                        username: &username,
                        password: &password,
                        role,
                        reviewer_id: reviewer,
                        case_number,
                        one_time,
                    },
                )
                .await
                .map_err(api)?;
                println!("user {} added ({})", user.username, role.as_str());
                if one_time {
                    println!("one-time password (to be changed at first login): {password}");
                }
            }
            UserCommand::Passwd {
                username,
                password_stdin,
            } => {
                let user = find(&username).await?;
                if password_stdin {
                    let password = password_from_stdin()?;
                    let hash = auth::hash_password(&password).map_err(api)?;
                    state.accounts.set_password(user.id, &hash, false).await?;
                    println!("password of {} changed; their sessions ended", user.username);
                } else {
                    let password = auth::reset_password(&state, user.id).await.map_err(api)?;
                    println!(
                        "password of {} reset; their sessions ended\n\
                         one-time password (to be changed at first login): {password}",
                        user.username
                    );
                }
            }
            UserCommand::Disable { username } => {
                let user = find(&username).await?;
                state.accounts.set_disabled(user.id, true).await?;
                println!("user {} disabled; their sessions ended", user.username);
            }
            UserCommand::Enable { username } => {
                let user = find(&username).await?;
                state.accounts.set_disabled(user.id, false).await?;
                println!("user {} enabled", user.username);
            }
            UserCommand::List { json } => {
                let users = state.accounts.users().await?;
                if json {
                    let list: Vec<serde_json::Value> = users
                        .iter()
                        .map(|u| {
                            serde_json::json!({
                                "username": u.username,
                                "role": u.role.as_str(),
                                "reviewer_id": u.reviewer_id,
                                "case_number": u.case_number,
                                "state": state_of(u),
                            })
                        })
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&list)?);
                } else {
                    println!("{:<24} {:<14} {:<20} STATE", "USERNAME", "ROLE", "REVIEWER/CASE");
                    for u in &users {
                        let link = u.reviewer_id.as_deref().or(u.case_number.as_deref());
                        println!(
                            "{:<24} {:<14} {:<20} {}",
                            u.username,
                            u.role.as_str(),
                            link.unwrap_or("-"),
                            state_of(u)
                        );
                    }
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

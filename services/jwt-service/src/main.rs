//! `jwt-service`: serve (the default) or run an admin subcommand. See `--help`.

use std::process::ExitCode;

use clap::Parser;
use jwt_service::config::{Cli, Command, Config, KeysCommand, UserCommand};
use jwt_service::{admin, server};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(&cli.settings) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("jwt-service: {e}");
            return ExitCode::from(2);
        }
    };
    server::init_logging(&config);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => server::run(config),
        Command::User(UserCommand::Add { name, roles }) => admin::user_add(&config, &name, &roles),
        Command::User(UserCommand::Disable { name }) => admin::user_disable(&config, &name),
        Command::Keys(KeysCommand::Rotate) => admin::keys_rotate(&config),
        Command::Keys(KeysCommand::List) => admin::keys_list(&config),
        Command::Keys(KeysCommand::Revoke { kid }) => admin::keys_revoke(&config, &kid),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("jwt-service: {e}");
            ExitCode::FAILURE
        }
    }
}

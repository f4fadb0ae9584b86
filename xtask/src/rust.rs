//! The Rust core: unit, integration, property and vector tests; criterion benches.

use std::process::Command;

use crate::util::{self, Ctx, Result};

pub fn test(ctx: &Ctx) -> Result {
    let mut cmd = Command::new(util::cargo_bin());
    cmd.args(["test", "-p", "jwt-core"]).current_dir(&ctx.root);
    if let Some(shared) = &ctx.shared {
        cmd.env("JWT_CORE_SHARED", shared);
    }
    util::run(&mut cmd)
}

pub fn bench(ctx: &Ctx) -> Result {
    ctx.cargo(&["bench", "-p", "jwt-bench", "--bench", "jws"])
}

pub fn dist(_ctx: &Ctx) -> Result {
    Ok(())
}

pub fn codegen(_ctx: &Ctx, _check: bool) -> Result {
    Ok(())
}

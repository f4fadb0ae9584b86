//! Health, readiness, metrics, graceful shutdown, configuration.

use crate::harness::{Server, get, temp_dir};

#[test]
fn health_readiness_and_metrics() {
    let s = Server::start(&[]);
    assert_eq!(get(&s.url("/healthz"), &[]).expect_ok()["status"], "ok");
    let r = get(&s.url("/readyz"), &[]).expect_ok();
    assert_eq!(r["status"], "ready");
    assert_eq!(r["store"], "sqlite");
    let t = s.admin_tokens();
    s.me(t["access_token"].as_str().unwrap()).expect_ok();
    s.me(t["access_token"].as_str().unwrap()).expect_ok();
    s.login("admin", "wrong").expect_error(400, "invalid_grant");
    let m = get(&s.url("/metrics"), &[]);
    assert!(m.header("content-type").unwrap().starts_with("text/plain"));
    for line in [
        "jwt_logins_total{result=\"ok\"} 1",
        "jwt_logins_total{result=\"failed\"} 1",
        "jwt_auth_cache_total{result=\"hit\"} 1",
        "jwt_auth_cache_total{result=\"miss\"} 1",
        "jwt_ready 1",
        "# TYPE jwt_http_responses_total counter",
    ] {
        assert!(m.body.contains(line), "metrics lack `{line}`:\n{}", m.body);
    }
}

#[test]
fn sigterm_shuts_down_gracefully() {
    let mut s = Server::start(&[]);
    let pid = s.pid().to_string();
    let ok = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(ok.success());
    assert!(s.wait().success(), "graceful shutdown exits 0");
}

#[test]
fn settings_come_from_a_toml_file_and_flags_win() {
    let dir = temp_dir("config");
    let file = dir.join("jwt-service.toml");
    std::fs::write(
        &file,
        "access_ttl = 120\naudience = \"from-toml\"\nrefresh_grace = 0\n",
    )
    .unwrap();
    let cfg = file.display().to_string();
    let s = Server::start(&["--config", &cfg, "--audience", "from-flag"]);
    let t = s.admin_tokens();
    assert_eq!(t["expires_in"], 120);
    let claims = jwt_core::unverified::decode(t["access_token"].as_str().unwrap())
        .unwrap()
        .claims;
    assert_eq!(claims["aud"], "from-flag");
    // Unknown settings are an error, not silently ignored.
    std::fs::write(&file, "acces_ttl = 120\n").unwrap();
    let out = std::process::Command::new(crate::harness::BIN)
        .args(["--config", &cfg, "keys", "list"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown field"));
    let help = std::process::Command::new(crate::harness::BIN)
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for flag in [
        "--bind",
        "--data-dir",
        "--store",
        "--config",
        "--access-ttl",
        "--refresh-ttl",
        "--issuer",
        "--audience",
        "--cookie-secure",
        "--algorithm",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

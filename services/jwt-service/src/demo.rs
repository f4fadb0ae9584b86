//! The browser demo of the cookie flow, served at `GET /` (turn it off with
//! `--demo-page false`).
//!
//! Plain HTML, JS and CSS, embedded in the binary; no build step. The page uses the public
//! API only (`POST /token` with `"cookie": true`, `GET /me`, `POST /token/refresh`,
//! `POST /logout`) and shows what a page script can see of the session: the CSRF cookie,
//! never the tokens.
//!
//! Every asset carries a strict Content-Security-Policy: scripts and styles only from this
//! origin (so no inline script can run, whatever gets injected into the page), requests only
//! to this origin, no framing (`frame-ancestors 'none'`, plus `X-Frame-Options` for old
//! browsers), no form submission (the login form is sent by the script, never as a GET with
//! the password in the URL), `nosniff` and `Referrer-Policy: no-referrer`.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

/// The policy of every demo asset.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; \
    frame-ancestors 'none'";

const PAGE: &str = include_str!("demo/index.html");
const SCRIPT: &str = include_str!("demo/demo.js");
const STYLE: &str = include_str!("demo/demo.css");

fn asset(content_type: &'static str, body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CONTENT_SECURITY_POLICY, CSP))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header((header::X_FRAME_OPTIONS, "DENY"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(body)
}

async fn page() -> HttpResponse {
    asset("text/html; charset=utf-8", PAGE)
}

async fn script() -> HttpResponse {
    asset("text/javascript; charset=utf-8", SCRIPT)
}

async fn style() -> HttpResponse {
    asset("text/css; charset=utf-8", STYLE)
}

/// Register `GET /`, `GET /demo.js` and `GET /demo.css`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/").route(web::get().to(page)))
        .service(web::resource("/demo.js").route(web::get().to(script)))
        .service(web::resource("/demo.css").route(web::get().to(style)));
}

//! End-to-end tests: real HTTP against the real `jwt-service` binary (a subprocess on a
//! free port), a real SQLite file, a real `redis-server`. One module per concern.

mod harness;

mod bad_input;
mod cookies;
mod crash_safety;
mod demo_page;
mod encryption;
mod families;
mod hardening;
mod keys;
mod lockout;
mod operations;
mod redis_store;
mod sessions;
mod standard;
mod token_flow;

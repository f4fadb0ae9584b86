//! # jwt-service: the reference service for the whole token lifecycle
//!
//! Short-lived access tokens (RFC 9068 JWTs signed by [`jwt_core`]), rotating refresh
//! tokens with reuse detection (RFC 9700 4.14.2), revocation (RFC 7009), introspection
//! (RFC 7662), key rotation with a JWKS, HttpOnly cookies with CSRF protection, on an
//! embedded SQLite store or a shared Redis.
//!
//! Modules, in the order a reader wants them:
//! - [`auth`]: the reusable extractors (`Authenticated`, `Require<R>`), the verified
//!   token cache and the local denylist view;
//! - [`app`]: routes and handlers;
//! - [`store`]: the store interface, SQLite and Redis;
//! - [`keys`]: key generation, persistence, rotation, JWKS;
//! - [`demo`]: the browser demo of the cookie flow at `GET /`;
//! - [`config`], [`server`], [`admin`], [`metrics`], [`error`].

pub mod admin;
pub mod app;
pub mod audit;
pub mod auth;
pub mod clients;
pub mod config;
pub mod demo;
pub mod error;
pub mod keys;
pub mod limits;
pub mod metrics;
pub mod server;
pub mod store;

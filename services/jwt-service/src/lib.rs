//! # jwt-service: the reference service for the whole token lifecycle
//!
//! Short-lived access tokens (RFC 9068 JWTs signed by [`jwt_core`]), refresh families
//! with one live token each and reuse detection (RFC 9700 4.14.2), sessions,
//! revocation (RFC 7009), introspection (RFC 7662), key rotation and emergency
//! revocation with a JWKS, HttpOnly `__Host-` cookies with CSRF protection, on an
//! embedded SQLite store or a shared Redis.
//!
//! Modules, in the order a reader wants them:
//! - [`auth`]: the reusable extractors (`Authenticated`, `Require<R>`), the verified
//!   token cache and the local denylist view;
//! - [`app`]: routes and handlers;
//! - [`store`]: the store interface, SQLite and Redis;
//! - [`keys`]: key generation, persistence (optionally sealed), rotation, emergency
//!   revocation, JWKS;
//! - [`limits`]: client addresses behind trusted proxies, per-address login buckets,
//!   the password-hashing cap;
//! - [`clients`]: OAuth client authentication for `/revoke` and `/introspect`;
//! - [`audit`]: the structured audit events;
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

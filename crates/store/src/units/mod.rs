//! The units tree and the people in it: units, users and their role assignments, logins,
//! sessions and tokens, and how a list query reaches the units its caller may see.

pub(crate) mod auth;
pub(crate) mod calendar_feed;
pub(crate) mod choices;
pub(crate) mod grants;
pub(crate) mod network;
pub(crate) mod password;
pub(crate) mod scope;
pub(crate) mod staff;
pub(crate) mod tree;
pub(crate) mod users;

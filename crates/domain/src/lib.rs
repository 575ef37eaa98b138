//! Khiên's domain: plain types and rules, no I/O. Everything here is deterministic and
//! testable without a database or a network.

pub mod attachment;
pub mod audit;
pub mod audit_labels;
pub mod botnet;
pub mod budget;
pub mod calendar;
pub mod catalog;
pub mod clock;
pub mod compliance;
pub mod consultation;
pub mod error;
pub mod evidence;
pub mod finding;
pub mod fold;
pub mod incident;
pub mod index;
pub mod indicator;
pub mod lang;
pub mod network;
pub mod notification;
pub mod number;
pub mod page;
pub mod plan;
pub mod report;
pub mod role;
pub mod scope;
pub mod staff;
pub mod system;
pub mod telemetry;
pub mod time;
pub mod training;
pub mod unit;
pub mod user;
pub mod worklist;

pub use clock::{Clock, FixedTime};
pub use error::{Error, Msg, Result, UnknownCode};
pub use lang::{Lang, Text};

//! Compliance work on top of the catalogues ([`crate::catalog`]) and scanner findings
//! ([`crate::finding`]): assessments and their results, the lifecycle of a finding, and when
//! it must be fixed.

pub mod assessment;
pub mod finding_moves;
pub mod remediation;

pub use assessment::{AssessmentKind, AssessmentState, Outcome, Score};
pub use finding_moves::{allowed_moves, may_move};
pub use remediation::{check_acceptance, check_move, FindingMove, FindingState, Policy, PolicyRow, Verifier};

//! Follow-up calls (FU-01 … FU-12): windows, call slots, attempts, SMS
//! fallback and routing.

mod policy;

pub use policy::{ContactWindow, FollowUpPolicy, WindowBounds, WindowShapeError};

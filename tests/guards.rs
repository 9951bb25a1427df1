//! guards tests.

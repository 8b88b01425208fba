//! Inputs for forms and JSON: thaw-app's request values (the same for every edge), and reading a
//! form's typed numbers.

pub(crate) use thaw_app::input::*;

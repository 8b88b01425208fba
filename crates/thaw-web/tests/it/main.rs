//! Server tests: the real server on port 0, driven over HTTP.

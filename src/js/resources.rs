//! JS exports that parse and validate Open Payments resources (filled in with `src/resources/`).

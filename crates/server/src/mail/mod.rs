//! Email: templates, the durable outbox (written in the caller's transaction)
//! and the worker that delivers it over SMTP or into a folder of `.eml` files.

pub mod outbox;
pub mod templates;
pub mod transport;

pub use outbox::{enqueue, Worker};
pub use templates::{Lang, Message};
pub use transport::{MailConfig, Transport};

//! Email: templates, the durable outbox (written in the caller's transaction)
//! and the worker that delivers it over SMTP or into a folder of `.eml` files.

pub mod outbox;
pub mod templates;
pub mod transport;

pub use outbox::{enqueue, enqueue_rendered, Worker};
pub use templates::{Lang, Message, Rendered};
pub use transport::{MailConfig, Transport};

//! The pages of the app, one per route, one component per file.

mod account;
mod audit;
mod benefits;
mod confirm_email;
mod forgot_password;
mod home;
mod invite;
mod not_found;
mod offers;
pub mod operator;
mod operator_partner;
mod overview;
mod program;
mod reset_password;
mod settings;
mod sign_in;
mod what_if;
mod why;

pub use account::Account;
pub use audit::Audit;
pub use benefits::Benefits;
pub use confirm_email::ConfirmEmail;
pub use forgot_password::ForgotPassword;
pub use home::Home;
pub use invite::Invite;
pub use not_found::NotFound;
pub use offers::Offers;
pub use operator::Operator;
pub use operator_partner::OperatorPartner;
pub use overview::Overview;
pub use program::Program;
pub use reset_password::ResetPassword;
pub use settings::Settings;
pub use sign_in::SignIn;
pub use what_if::WhatIf;
pub use why::Why;

//! Reusable pieces of the UI, one component per file.

mod app_shell;
mod benefit_card;
mod catalog_tables;
mod contact_panel;
mod error_notice;
mod evaluation_summary;
mod language_switch;
mod loading;
mod mbs_chart;
mod metric_card;
mod offline_banner;
mod outbox_panel;
mod progress_bar;
mod select_field;
mod site_nav;
mod text_field;
mod update_prompt;

pub use app_shell::AppShell;
pub use benefit_card::BenefitCard;
pub use catalog_tables::{CatalogTables, Position};
pub use contact_panel::ContactPanel;
pub use error_notice::ErrorNotice;
pub use evaluation_summary::EvaluationSummary;
pub use language_switch::LanguageSwitch;
pub use loading::Loading;
pub use mbs_chart::MbsChart;
pub use metric_card::MetricCard;
pub use offline_banner::OfflineBanner;
pub use outbox_panel::OutboxPanel;
pub use progress_bar::ProgressBar;
pub use select_field::SelectField;
pub use site_nav::SiteNav;
pub use text_field::TextField;
pub use update_prompt::UpdatePrompt;

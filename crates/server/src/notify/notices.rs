//! The notification messages, one template per event and language (English,
//! Polish), each rendered to an email (subject, text, HTML) and to the in-app
//! entry (title, body). Benefit and partner names are the catalog's and the
//! partner's own, quoted as they are.

use std::fmt::Write as _;

use benefits_domain::activation::RevocationReason;
use benefits_domain::notify::EventKind;
use chrono::NaiveDate;

use crate::mail::templates::escape;
use crate::mail::{Lang, Rendered};

/// Whom a message is written for: the same event reads differently for each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The partner's marketing contact.
    Contact,
    /// The partner's admins.
    Admin,
    /// The Rewards team (the engagement manager, or every operator).
    Team,
}

/// One overdue activation in the Rewards team's digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overdue {
    pub partner: String,
    pub benefit: String,
    pub contact_by: NaiveDate,
}

/// An event with what its message says.
#[derive(Clone, Debug)]
pub enum Notice {
    /// The partner's tier and unlocked benefits now.
    ContactAssigned { partner: String, tier: Option<u32>, benefits: Vec<String> },
    Activated { partner: String, benefit: String, contact_by: NaiveDate },
    /// Contacted, in progress or delivered.
    Advanced { partner: String, benefit: String, step: EventKind },
    Revoked { partner: String, benefit: String, reason: RevocationReason, note: Option<String> },
    ExpiringSoon { partner: String, benefit: String, expires_on: NaiveDate },
    Expired { partner: String, benefit: String },
    OptedOut { partner: String, benefit: String },
    TierReached { partner: String, tier: u32, benefits: Vec<String> },
    BenefitYearStarted { partner: String, start: NaiveDate, end: NaiveDate, tier: Option<u32>, benefits: Vec<String> },
    OverdueDigest { day: NaiveDate, items: Vec<Overdue> },
}

/// What a notice says in one language, before it is laid out.
struct Text {
    subject: String,
    paragraphs: Vec<String>,
    action: &'static str,
}

/// A rendered notice: the email, and the in-app title and body.
pub struct RenderedNotice {
    pub email: Rendered,
    pub title: String,
    pub body: String,
}

impl Notice {
    pub fn kind(&self) -> EventKind {
        match self {
            Notice::ContactAssigned { .. } => EventKind::ContactAssigned,
            Notice::Activated { .. } => EventKind::Activated,
            Notice::Advanced { step, .. } => *step,
            Notice::Revoked { .. } => EventKind::Revoked,
            Notice::ExpiringSoon { .. } => EventKind::ExpiringSoon,
            Notice::Expired { .. } => EventKind::Expired,
            Notice::OptedOut { .. } => EventKind::OptedOut,
            Notice::TierReached { .. } => EventKind::TierReached,
            Notice::BenefitYearStarted { .. } => EventKind::BenefitYearStarted,
            Notice::OverdueDigest { .. } => EventKind::OverdueDigest,
        }
    }

    /// The email (with `link`, the page it is about, and `preferences`, where
    /// email settings are changed) and the in-app entry.
    pub fn render(&self, lang: Lang, audience: Audience, link: &str, preferences: &str) -> RenderedNotice {
        let t = match lang {
            Lang::En => self.en(audience),
            Lang::Pl => self.pl(audience),
        };
        let (footer, prefs_label) = match lang {
            Lang::En => ("You receive this as a user of the Marketplace Rewards Benefits workspace.", "Change which emails you receive"),
            Lang::Pl => ("Otrzymujesz tę wiadomość jako użytkownik obszaru roboczego Korzyści programu Marketplace Rewards.", "Zmień, jakie wiadomości otrzymujesz"),
        };
        let mut text = String::new();
        let mut html = String::from("<!doctype html><html><body style=\"font-family:sans-serif;line-height:1.5\">");
        for p in &t.paragraphs {
            let _ = writeln!(text, "{p}\n");
            let _ = write!(html, "<p>{}</p>", escape(p).replace('\n', "<br>"));
        }
        let _ = writeln!(text, "{}: {link}\n", t.action);
        let _ = write!(html, "<p><a href=\"{}\">{}</a></p>", escape(link), escape(t.action));
        let _ = writeln!(text, "-- \n{footer}\n{prefs_label}: {preferences}");
        let _ = write!(
            html,
            "<p style=\"color:#555;font-size:0.9em\">{}<br><a href=\"{}\">{}</a></p></body></html>",
            escape(footer),
            escape(preferences),
            escape(prefs_label)
        );
        RenderedNotice {
            title: t.subject.clone(),
            body: t.paragraphs.first().cloned().unwrap_or_default(),
            email: Rendered { subject: t.subject, text, html },
        }
    }

    fn en(&self, audience: Audience) -> Text {
        let d = |d: &NaiveDate| d.format("%-d %B %Y").to_string();
        match self {
            Notice::ContactAssigned { partner, tier, benefits } => {
                let mut p = vec![format!("You are now the marketing contact of {partner} in the Marketplace Rewards program: the Rewards team will work with you on the benefits {partner} activates.")];
                p.push(match tier {
                    Some(t) => format!("{partner} is in tier {t} today."),
                    None => format!("{partner} has no transact tier today."),
                });
                p.push(if benefits.is_empty() {
                    "No benefit is unlocked yet: benefits unlock when an offer goes live or a tier is reached.".into()
                } else {
                    format!("Unlocked benefits:\n{}", bullets(benefits))
                });
                p.push("To use a benefit, select Activate on it in Marketing benefits. A Rewards team member contacts you within one week, and you are told here at every step.".into());
                Text { subject: format!("You are the marketing contact of {partner}"), paragraphs: p, action: "Open Marketing benefits" }
            }
            Notice::Activated { partner, benefit, contact_by } => match audience {
                Audience::Team => Text {
                    subject: format!("{partner} activated {benefit}"),
                    paragraphs: vec![format!("{partner} activated {benefit}. Contact their marketing contact by {}.", d(contact_by))],
                    action: "Open the partner in the console",
                },
                _ => Text {
                    subject: format!("{benefit} is activated"),
                    paragraphs: vec![
                        format!("{benefit} is activated for {partner}. The Rewards team will be in touch with the marketing contact by {}.", d(contact_by)),
                        "If nobody has been in touch by then, the workspace flags it and the Rewards team is reminded.".into(),
                    ],
                    action: "See the benefit",
                },
            },
            Notice::Advanced { partner, benefit, step } => {
                let (subject, line) = match step {
                    EventKind::Contacted => (format!("The Rewards team contacted you about {benefit}"), format!("The Rewards team recorded that they contacted {partner}'s marketing contact about {benefit}.")),
                    EventKind::InProgress => (format!("{benefit} is in progress"), format!("The Rewards team started work on {benefit} for {partner}.")),
                    _ => (format!("{benefit} is delivered"), format!("The Rewards team delivered {benefit} to {partner}.")),
                };
                Text { subject, paragraphs: vec![line], action: "See the benefit" }
            }
            Notice::Revoked { partner, benefit, reason, note } => {
                let mut p = vec![format!("The Rewards team revoked {benefit} for {partner}."), format!("Reason: {}.", reason.describe())];
                if let Some(n) = note.as_deref().filter(|n| !n.trim().is_empty()) {
                    p.push(format!("Note from the Rewards team: {n}"));
                }
                Text { subject: format!("{benefit} was revoked"), paragraphs: p, action: "See the benefit" }
            }
            Notice::ExpiringSoon { partner, benefit, expires_on } => Text {
                subject: format!("{benefit} expires on {}", d(expires_on)),
                paragraphs: vec![format!("{benefit} of {partner} expires on {}. Work with the Rewards team to use it before then.", d(expires_on))],
                action: "See the benefit",
            },
            Notice::Expired { partner, benefit } => Text {
                subject: format!("{benefit} has expired"),
                paragraphs: vec![format!("{benefit} of {partner} has expired and can no longer be used this benefit year.")],
                action: "See the benefit",
            },
            Notice::OptedOut { partner, benefit } => Text {
                subject: format!("{partner} opted out of {benefit}"),
                paragraphs: vec![format!("{partner} opted out of {benefit} while it was being worked on. Stop the engagement.")],
                action: "Open the partner in the console",
            },
            Notice::TierReached { partner, tier, benefits } => Text {
                subject: format!("{partner} reached tier {tier}"),
                paragraphs: vec![format!("{partner} reached transact tier {tier}. Newly unlocked benefits:\n{}", bullets(benefits))],
                action: "See the benefits",
            },
            Notice::BenefitYearStarted { partner, start, end, tier, benefits } => {
                let mut p = vec![format!("A new benefit year of {partner} started on {} and runs until {}.", d(start), d(end))];
                if let Some(t) = tier {
                    p.push(format!("{partner} is in tier {t}."));
                }
                p.push(format!("Benefits unlocked for this year:\n{}", bullets(benefits)));
                Text { subject: format!("A new benefit year started for {partner}"), paragraphs: p, action: "See the benefits" }
            }
            Notice::OverdueDigest { day, items } => Text {
                subject: format!("{} activations past their contact date ({})", items.len(), d(day)),
                paragraphs: vec![
                    format!("{} activations are past the date by which the marketing contact should have been contacted:", items.len()),
                    items.iter().map(|o| format!("- {}: {} (contact by {})", o.partner, o.benefit, d(&o.contact_by))).collect::<Vec<_>>().join("\n"),
                ],
                action: "Open the activation queue",
            },
        }
    }

    fn pl(&self, audience: Audience) -> Text {
        let d = |d: &NaiveDate| d.format("%d.%m.%Y").to_string();
        match self {
            Notice::ContactAssigned { partner, tier, benefits } => {
                let mut p = vec![format!("Jesteś teraz kontaktem marketingowym firmy {partner} w programie Marketplace Rewards: zespół Rewards będzie z Tobą współpracować przy korzyściach, które {partner} aktywuje.")];
                p.push(match tier {
                    Some(t) => format!("Firma {partner} jest dziś w warstwie {t}."),
                    None => format!("Firma {partner} nie ma dziś warstwy transakcyjnej."),
                });
                p.push(if benefits.is_empty() {
                    "Żadna korzyść nie jest jeszcze odblokowana: korzyści odblokowują się, gdy oferta zostaje opublikowana lub firma osiąga warstwę.".into()
                } else {
                    format!("Odblokowane korzyści:\n{}", bullets(benefits))
                });
                p.push("Aby skorzystać z korzyści, wybierz przy niej Aktywuj w sekcji Korzyści marketingowe. Członek zespołu Rewards skontaktuje się z Tobą w ciągu tygodnia, a o każdym kroku dowiesz się z takiej wiadomości.".into());
                Text { subject: format!("Jesteś kontaktem marketingowym firmy {partner}"), paragraphs: p, action: "Otwórz Korzyści marketingowe" }
            }
            Notice::Activated { partner, benefit, contact_by } => match audience {
                Audience::Team => Text {
                    subject: format!("Firma {partner} aktywowała korzyść {benefit}"),
                    paragraphs: vec![format!("Firma {partner} aktywowała korzyść {benefit}. Skontaktuj się z jej kontaktem marketingowym do {}.", d(contact_by))],
                    action: "Otwórz partnera w konsoli",
                },
                _ => Text {
                    subject: format!("Korzyść {benefit} została aktywowana"),
                    paragraphs: vec![
                        format!("Korzyść {benefit} została aktywowana dla firmy {partner}. Zespół Rewards skontaktuje się z kontaktem marketingowym do {}.", d(contact_by)),
                        "Jeśli do tego dnia nikt się nie odezwie, obszar roboczy to oznaczy, a zespół Rewards otrzyma przypomnienie.".into(),
                    ],
                    action: "Zobacz korzyść",
                },
            },
            Notice::Advanced { partner, benefit, step } => {
                let (subject, line) = match step {
                    EventKind::Contacted => (format!("Zespół Rewards skontaktował się w sprawie korzyści {benefit}"), format!("Zespół Rewards odnotował kontakt z kontaktem marketingowym firmy {partner} w sprawie korzyści {benefit}.")),
                    EventKind::InProgress => (format!("Korzyść {benefit} jest w realizacji"), format!("Zespół Rewards rozpoczął realizację korzyści {benefit} dla firmy {partner}.")),
                    _ => (format!("Korzyść {benefit} została zrealizowana"), format!("Zespół Rewards zrealizował korzyść {benefit} dla firmy {partner}.")),
                };
                Text { subject, paragraphs: vec![line], action: "Zobacz korzyść" }
            }
            Notice::Revoked { partner, benefit, reason, note } => {
                let mut p = vec![format!("Zespół Rewards cofnął korzyść {benefit} firmy {partner}."), format!("Powód: {}.", reason_pl(*reason))];
                if let Some(n) = note.as_deref().filter(|n| !n.trim().is_empty()) {
                    p.push(format!("Uwaga zespołu Rewards: {n}"));
                }
                Text { subject: format!("Korzyść {benefit} została cofnięta"), paragraphs: p, action: "Zobacz korzyść" }
            }
            Notice::ExpiringSoon { partner, benefit, expires_on } => Text {
                subject: format!("Korzyść {benefit} wygasa {}", d(expires_on)),
                paragraphs: vec![format!("Korzyść {benefit} firmy {partner} wygasa {}. Wykorzystaj ją wspólnie z zespołem Rewards przed tym dniem.", d(expires_on))],
                action: "Zobacz korzyść",
            },
            Notice::Expired { partner, benefit } => Text {
                subject: format!("Korzyść {benefit} wygasła"),
                paragraphs: vec![format!("Korzyść {benefit} firmy {partner} wygasła i nie można już z niej skorzystać w tym roku korzyści.")],
                action: "Zobacz korzyść",
            },
            Notice::OptedOut { partner, benefit } => Text {
                subject: format!("Firma {partner} zrezygnowała z korzyści {benefit}"),
                paragraphs: vec![format!("Firma {partner} zrezygnowała z korzyści {benefit} w trakcie jej realizacji. Zakończ prace nad tą korzyścią.")],
                action: "Otwórz partnera w konsoli",
            },
            Notice::TierReached { partner, tier, benefits } => Text {
                subject: format!("Firma {partner} osiągnęła warstwę {tier}"),
                paragraphs: vec![format!("Firma {partner} osiągnęła warstwę transakcyjną {tier}. Nowo odblokowane korzyści:\n{}", bullets(benefits))],
                action: "Zobacz korzyści",
            },
            Notice::BenefitYearStarted { partner, start, end, tier, benefits } => {
                let mut p = vec![format!("Nowy rok korzyści firmy {partner} rozpoczął się {} i trwa do {}.", d(start), d(end))];
                if let Some(t) = tier {
                    p.push(format!("Firma {partner} jest w warstwie {t}."));
                }
                p.push(format!("Korzyści odblokowane na ten rok:\n{}", bullets(benefits)));
                Text { subject: format!("Nowy rok korzyści firmy {partner}"), paragraphs: p, action: "Zobacz korzyści" }
            }
            Notice::OverdueDigest { day, items } => Text {
                subject: format!("Aktywacje po terminie kontaktu: {} ({})", items.len(), d(day)),
                paragraphs: vec![
                    format!("Liczba aktywacji, w których minął termin kontaktu z kontaktem marketingowym: {}.", items.len()),
                    items.iter().map(|o| format!("- {}: {} (kontakt do {})", o.partner, o.benefit, d(&o.contact_by))).collect::<Vec<_>>().join("\n"),
                ],
                action: "Otwórz kolejkę aktywacji",
            },
        }
    }
}

fn bullets(items: &[String]) -> String {
    items.iter().map(|b| format!("- {b}")).collect::<Vec<_>>().join("\n")
}

fn reason_pl(r: RevocationReason) -> &'static str {
    match r {
        RevocationReason::IllegalActivity => "działalność niezgodna z prawem prowadzona za pośrednictwem oferty",
        RevocationReason::FraudulentPurchases => "zakupy, co do których wiadomo lub podejrzewa się, że są oszukańcze",
        RevocationReason::Delisted => "usunięcie oferty z Marketplace",
        RevocationReason::InfringingContent => "treści naruszające prawa autorskie lub znaki towarowe",
        RevocationReason::SponsorshipPolicyBreach => {
            "naruszenie zasad sponsorowania platformy Azure (np. użycie do celów wewnętrznych lub wydobywania kryptowalut)"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn an_activation_reads_in_the_recipients_language_with_both_links_and_escaped_names() {
        let n = Notice::Activated { partner: "Acme <Apps>".into(), benefit: "Trial promotion".into(), contact_by: d("2025-07-22") };
        let en = n.render(Lang::En, Audience::Contact, "https://b.example/partners/acme/benefits#trial-promotion", "https://b.example/notifications#preferences");
        assert_eq!(en.email.subject, "Trial promotion is activated");
        assert!(en.email.text.contains("by 22 July 2025"), "{}", en.email.text);
        assert!(en.email.text.contains("https://b.example/notifications#preferences"));
        assert!(en.email.html.contains("Acme &lt;Apps&gt;") && !en.email.html.contains("<Apps>"));
        let pl = n.render(Lang::Pl, Audience::Contact, "https://b.example/x", "https://b.example/notifications#preferences");
        assert_eq!(pl.email.subject, "Korzyść Trial promotion została aktywowana");
        assert!(pl.email.text.contains("do 22.07.2025") && pl.email.text.contains("Zmień, jakie wiadomości otrzymujesz"));
        assert_eq!(pl.title, pl.email.subject);
        let team = n.render(Lang::En, Audience::Team, "https://b.example/operator/partners/acme", "https://b.example/p");
        assert_eq!(team.email.subject, "Acme <Apps> activated Trial promotion");
    }

    #[test]
    fn a_revocation_says_the_reason_and_the_note_in_each_language() {
        let n = Notice::Revoked { partner: "Acme".into(), benefit: "Case study".into(), reason: RevocationReason::Delisted, note: Some("Offer removed in June".into()) };
        let en = n.render(Lang::En, Audience::Admin, "l", "p");
        assert!(en.email.text.contains("Reason: Delisted from the marketplace.") && en.email.text.contains("Offer removed in June"));
        let pl = n.render(Lang::Pl, Audience::Admin, "l", "p");
        assert!(pl.email.text.contains("Powód: usunięcie oferty z Marketplace.") && pl.email.text.contains("Uwaga zespołu Rewards: Offer removed in June"));
    }
}

//! The messages the server sends, one template per message and language
//! (the recipient's: `users.language`). A message carries no secret but the
//! one-time link it exists for. Numbers, money and dates in a message go
//! through `benefits_domain::locale`, the same CLDR patterns the browser uses.

use std::fmt::Write as _;

pub use benefits_domain::locale::Lang;
use benefits_domain::locale::Plural;

/// A message to render.
#[derive(Clone, Debug)]
pub enum Message {
    /// To join a partner organisation (`org` is its name) or the program's operators (`org` is `None`).
    Invitation { org: Option<String>, role: String, inviter: String, link: String, valid_days: i64 },
    PasswordReset { link: String, valid_minutes: i64 },
    /// Sent to the old address after a change, so an owner notices a takeover.
    PasswordChanged,
    EmailChange { link: String, valid_hours: i64 },
}

/// A rendered message: subject, plain text and HTML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Message {
    /// The template's name, for the outbox and the logs.
    pub fn template(&self) -> &'static str {
        match self {
            Message::Invitation { .. } => "invitation",
            Message::PasswordReset { .. } => "password_reset",
            Message::PasswordChanged => "password_changed",
            Message::EmailChange { .. } => "email_change",
        }
    }

    pub fn render(&self, lang: Lang) -> Rendered {
        let body = match lang {
            Lang::En => self.render_en(),
            Lang::Pl => self.render_pl(),
        };
        sign(body, Message::footer(lang))
    }

    fn render_en(&self) -> Rendered {
        match self {
            Message::Invitation { org, role, inviter, link, valid_days } => {
                let place = match org {
                    Some(org) => format!("{org} in the Marketplace Rewards Benefits workspace, as {}", role_en(role)),
                    None => "the Marketplace Rewards program team as an operator".to_string(),
                };
                compose(
                    format!("You are invited to {}", org.as_deref().unwrap_or("the Marketplace Rewards program team")),
                    &[format!("{inviter} invited you to join {place}."), "Open the link to choose your password and sign in:".into()],
                    ("Accept the invitation", link),
                    &[format!("The link works once and expires in {}. If you did not expect this invitation, ignore this email.", en_count(*valid_days, "day", "days"))],
                )
            }
            Message::PasswordReset { link, valid_minutes } => compose(
                "Reset your Benefits workspace password".into(),
                &["Someone asked to reset the password of your Benefits workspace account. To choose a new password, open the link:".into()],
                ("Choose a new password", link),
                &[format!(
                    "The link works once and expires in {}. If you did not ask for it, ignore this email: your password stays as it is.",
                    en_count(*valid_minutes, "minute", "minutes")
                )],
            ),
            Message::PasswordChanged => compose(
                "Your Benefits workspace password was changed".into(),
                &["The password of your Benefits workspace account was just changed, and every other session was signed out.".into()],
                ("", ""),
                &["If you did not change it, reset your password from the sign-in page now and tell your program contact.".into()],
            ),
            Message::EmailChange { link, valid_hours } => compose(
                "Confirm your new email address".into(),
                &["To use this address for your Benefits workspace account, open the link:".into()],
                ("Confirm this address", link),
                &[format!("The link works once and expires in {}. If you did not ask for this, ignore this email.", en_count(*valid_hours, "hour", "hours"))],
            ),
        }
    }

    /// Polish: the same messages as natural Polish (not word for word).
    fn render_pl(&self) -> Rendered {
        match self {
            Message::Invitation { org, role, inviter, link, valid_days } => {
                let place = match org {
                    Some(org) => format!("do organizacji {org} w obszarze roboczym Korzyści programu Marketplace Rewards jako {}", role_pl(role)),
                    None => "do zespołu programu Marketplace Rewards jako operator".to_string(),
                };
                compose(
                    format!("Zaproszenie do {}", org.as_deref().unwrap_or("zespołu programu Marketplace Rewards")),
                    &[format!("{inviter} zaprasza Cię {place}."), "Otwórz link, aby ustawić hasło i się zalogować:".into()],
                    ("Przyjmij zaproszenie", link),
                    &[format!(
                        "Link zadziała raz i wygaśnie za {}. Jeśli nie spodziewasz się tego zaproszenia, zignoruj tę wiadomość.",
                        pl_count(*valid_days, ["dzień", "dni", "dni"])
                    )],
                )
            }
            Message::PasswordReset { link, valid_minutes } => compose(
                "Reset hasła do obszaru roboczego Korzyści".into(),
                &["Ktoś poprosił o zresetowanie hasła do Twojego konta w obszarze roboczym Korzyści. Aby ustawić nowe hasło, otwórz link:".into()],
                ("Ustaw nowe hasło", link),
                &[format!(
                    "Link zadziała raz i wygaśnie za {}. Jeśli to nie Ty o niego prosiłeś, zignoruj tę wiadomość: hasło pozostanie bez zmian.",
                    pl_count(*valid_minutes, ["minutę", "minuty", "minut"])
                )],
            ),
            Message::PasswordChanged => compose(
                "Hasło do obszaru roboczego Korzyści zostało zmienione".into(),
                &["Hasło do Twojego konta w obszarze roboczym Korzyści zostało właśnie zmienione, a wszystkie pozostałe sesje zostały wylogowane.".into()],
                ("", ""),
                &["Jeśli to nie Ty je zmieniłeś, od razu zresetuj hasło na stronie logowania i powiadom swoją osobę kontaktową w programie.".into()],
            ),
            Message::EmailChange { link, valid_hours } => compose(
                "Potwierdź nowy adres e-mail".into(),
                &["Aby używać tego adresu dla swojego konta w obszarze roboczym Korzyści, otwórz link:".into()],
                ("Potwierdź ten adres", link),
                &[format!(
                    "Link zadziała raz i wygaśnie za {}. Jeśli to nie Ty o to prosiłeś, zignoruj tę wiadomość.",
                    pl_count(*valid_hours, ["godzinę", "godziny", "godzin"])
                )],
            ),
        }
    }

    /// The signature under every message.
    fn footer(lang: Lang) -> &'static str {
        match lang {
            Lang::En => "Marketplace Rewards Benefits workspace",
            Lang::Pl => "Marketplace Rewards · obszar roboczy Korzyści",
        }
    }
}

/// `1 day`, `7 days`.
fn en_count(n: i64, one: &str, other: &str) -> String {
    let word = if Lang::En.plural(n) == Plural::One { one } else { other };
    format!("{} {word}", Lang::En.count(n.unsigned_abs()))
}

/// Polish forms after a number, in the accusative ("za 1 godzinę", "za 2
/// godziny", "za 5 godzin"): [one, few, many].
fn pl_count(n: i64, [one, few, many]: [&str; 3]) -> String {
    let word = match Lang::Pl.plural(n) {
        Plural::One => one,
        Plural::Few => few,
        Plural::Many | Plural::Other => many,
    };
    format!("{} {word}", Lang::Pl.count(n.unsigned_abs()))
}

fn role_pl(role: &str) -> &'static str {
    match role {
        "admin" => "administrator",
        "operator" => "operator",
        _ => "członek zespołu",
    }
}

fn role_en(role: &str) -> &'static str {
    match role {
        "admin" => "an admin",
        "operator" => "an operator",
        _ => "a member",
    }
}

/// Paragraphs, one call to action (omitted when its label is empty), closing paragraphs.
fn compose(subject: String, before: &[String], (label, link): (&str, &str), after: &[String]) -> Rendered {
    let mut text = String::new();
    let mut html = String::from("<!doctype html><html><body style=\"font-family:sans-serif;line-height:1.5\">");
    for p in before {
        let _ = writeln!(text, "{p}\n");
        let _ = write!(html, "<p>{}</p>", escape(p));
    }
    if !label.is_empty() {
        let _ = writeln!(text, "{link}\n");
        let _ = write!(html, "<p><a href=\"{}\">{}</a></p>", escape(link), escape(label));
    }
    for p in after {
        let _ = writeln!(text, "{p}\n");
        let _ = write!(html, "<p>{}</p>", escape(p));
    }
    Rendered { subject, text, html }
}

/// Closes a composed message with the signature.
fn sign(mut r: Rendered, footer: &str) -> Rendered {
    let _ = write!(r.text, "-- \n{footer}\n");
    let _ = write!(r.html, "<p style=\"color:#555\">{}</p></body></html>", escape(footer));
    r
}

/// HTML text and attribute escaping: names and organisation names come from users.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_has_the_link_in_both_parts_and_escapes_user_text() {
        let m = Message::Invitation {
            org: Some("Acme <Apps> & Co".into()),
            role: "admin".into(),
            inviter: "Ann".into(),
            link: "https://b.example/invite/tok".into(),
            valid_days: 7,
        };
        let r = m.render(Lang::from_tag("en"));
        assert_eq!(r.subject, "You are invited to Acme <Apps> & Co");
        assert!(r.text.contains("https://b.example/invite/tok\n"));
        assert!(r.text.contains("as an admin") && r.text.contains("7 days"));
        assert!(r.html.contains("href=\"https://b.example/invite/tok\""));
        assert!(r.html.contains("Acme &lt;Apps&gt; &amp; Co") && !r.html.contains("<Apps>"));
    }

    #[test]
    fn a_polish_invitation_is_polish_with_polish_plurals() {
        let m = Message::Invitation {
            org: Some("Contoso".into()),
            role: "admin".into(),
            inviter: "Anna".into(),
            link: "https://b.example/invite/tok".into(),
            valid_days: 7,
        };
        let r = m.render(Lang::Pl);
        assert_eq!(r.subject, "Zaproszenie do Contoso");
        assert!(r.text.contains("Anna zaprasza Cię do organizacji Contoso"), "{}", r.text);
        assert!(r.text.contains("jako administrator") && r.text.contains("wygaśnie za 7 dni"), "{}", r.text);
        assert!(r.html.contains(">Przyjmij zaproszenie</a>") && r.html.ends_with("obszar roboczy Korzyści</p></body></html>"));
        let Message::Invitation { org, role, inviter, link, .. } = m else { unreachable!() };
        let one = Message::Invitation { org, role, inviter, link, valid_days: 1 }.render(Lang::Pl);
        assert!(one.text.contains("wygaśnie za 1 dzień"), "{}", one.text);
    }

    #[test]
    fn durations_take_the_plural_form_of_each_language() {
        let reset = |minutes| Message::PasswordReset { link: "l".into(), valid_minutes: minutes };
        assert!(reset(60).render(Lang::Pl).text.contains("za 60 minut."));
        assert!(reset(2).render(Lang::Pl).text.contains("za 2 minuty."));
        assert!(reset(1).render(Lang::Pl).text.contains("za 1 minutę."));
        assert!(reset(60).render(Lang::En).text.contains("in 60 minutes."));
        assert!(reset(1).render(Lang::En).text.contains("in 1 minute."));
        let change = |hours| Message::EmailChange { link: "l".into(), valid_hours: hours }.render(Lang::Pl).text;
        assert!(change(24).contains("za 24 godziny.") && change(48).contains("za 48 godzin."));
    }

    #[test]
    fn a_notice_without_a_link_has_no_call_to_action() {
        let r = Message::PasswordChanged.render(Lang::En);
        assert!(!r.html.contains("<a "));
        assert!(r.text.contains("every other session"));
    }
}

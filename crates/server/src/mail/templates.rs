//! The messages the server sends, one template per message and language.
//! A message carries no secret but the one-time link it exists for.

use std::fmt::Write as _;

/// The recipient's language: English and Polish; every template has an arm for each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Pl,
}

impl Lang {
    /// The language of a tag such as `pl`, `pl-PL`, `en-GB`; English when not Polish.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("pl") {
            Lang::Pl
        } else {
            Lang::En
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Pl => "pl",
        }
    }
}

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
        match lang {
            Lang::En => self.render_en(),
            Lang::Pl => self.render_pl(),
        }
    }

    fn render_pl(&self) -> Rendered {
        match self {
            Message::Invitation { org, role, inviter, link, valid_days } => {
                let place = match org {
                    Some(org) => format!("{org} w obszarze roboczym Korzyści programu Marketplace Rewards, z rolą {}", role_pl(role)),
                    None => "zespołu programu Marketplace Rewards jako operator".to_string(),
                };
                compose_in(
                    Lang::Pl,
                    format!("Zaproszenie do {}", org.as_deref().unwrap_or("zespołu programu Marketplace Rewards")),
                    &[format!("{inviter} zaprasza Cię do {place}."), "Otwórz link, aby ustawić hasło i się zalogować:".into()],
                    ("Przyjmij zaproszenie", link),
                    &[format!("Link działa jeden raz i wygasa za {valid_days} dni. Jeśli nie spodziewasz się tego zaproszenia, zignoruj tę wiadomość.")],
                )
            }
            Message::PasswordReset { link, valid_minutes } => compose_in(
                Lang::Pl,
                "Zresetuj hasło do obszaru roboczego Korzyści".into(),
                &["Otrzymaliśmy prośbę o zresetowanie hasła do Twojego konta w obszarze roboczym Korzyści. Aby ustawić nowe hasło, otwórz link:".into()],
                ("Ustaw nowe hasło", link),
                &[format!("Link działa jeden raz i wygasa za {valid_minutes} minut. Jeśli to nie Ty, zignoruj tę wiadomość: hasło pozostanie bez zmian.")],
            ),
            Message::PasswordChanged => compose_in(
                Lang::Pl,
                "Hasło do obszaru roboczego Korzyści zostało zmienione".into(),
                &["Hasło do Twojego konta w obszarze roboczym Korzyści zostało właśnie zmienione, a wszystkie pozostałe sesje wylogowane.".into()],
                ("", ""),
                &["Jeśli to nie Ty, od razu zresetuj hasło na stronie logowania i powiadom swojego opiekuna programu.".into()],
            ),
            Message::EmailChange { link, valid_hours } => compose_in(
                Lang::Pl,
                "Potwierdź nowy adres e-mail".into(),
                &["Aby używać tego adresu w swoim koncie w obszarze roboczym Korzyści, otwórz link:".into()],
                ("Potwierdź ten adres", link),
                &[format!("Link działa jeden raz i wygasa za {valid_hours} godz. Jeśli to nie Ty, zignoruj tę wiadomość.")],
            ),
        }
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
                    &[format!("The link works once and expires in {valid_days} days. If you did not expect this invitation, ignore this email.")],
                )
            }
            Message::PasswordReset { link, valid_minutes } => compose(
                "Reset your Benefits workspace password".into(),
                &["Someone asked to reset the password of your Benefits workspace account. To choose a new password, open the link:".into()],
                ("Choose a new password", link),
                &[format!(
                    "The link works once and expires in {valid_minutes} minutes. If you did not ask for it, ignore this email: your password stays as it is."
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
                &[format!("The link works once and expires in {valid_hours} hours. If you did not ask for this, ignore this email.")],
            ),
        }
    }
}

fn role_pl(role: &str) -> &'static str {
    match role {
        "admin" => "administratora",
        "operator" => "operatora",
        _ => "członka",
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
fn compose(subject: String, before: &[String], cta: (&str, &str), after: &[String]) -> Rendered {
    compose_in(Lang::En, subject, before, cta, after)
}

/// [`compose`] with the signature in `lang`.
pub(crate) fn compose_in(lang: Lang, subject: String, before: &[String], (label, link): (&str, &str), after: &[String]) -> Rendered {
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
    let signature = match lang {
        Lang::En => "Marketplace Rewards Benefits workspace",
        Lang::Pl => "Obszar roboczy Korzyści programu Marketplace Rewards",
    };
    let _ = writeln!(text, "-- \n{signature}");
    let _ = write!(html, "<p style=\"color:#555\">{signature}</p></body></html>");
    Rendered { subject, text, html }
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
    fn a_notice_without_a_link_has_no_call_to_action() {
        let r = Message::PasswordChanged.render(Lang::En);
        assert!(!r.html.contains("<a "));
        assert!(r.text.contains("every other session"));
    }
}

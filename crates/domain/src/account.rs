//! Rules for accounts other than passwords: the shape of a partner ID.

/// The partner ID appears in every address of the partner's workspace:
/// 2 to 40 lower-case letters, digits and hyphens, starting with a letter or digit.
pub fn check_partner_id(id: &str) -> Result<(), &'static str> {
    let ok_chars = id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let ok_start = id.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !(2..=40).contains(&id.len()) || !ok_chars || !ok_start {
        return Err("Use 2 to 40 lower-case letters, digits and hyphens, starting with a letter or digit (for example contoso-eu).");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partner_ids_are_url_safe_slugs() {
        for ok in ["contoso", "contoso-eu", "a1", "9lives"] {
            assert!(check_partner_id(ok).is_ok(), "{ok}");
        }
        for bad in ["", "a", "Contoso", "-x", "con toso", "con/toso", "ćma", &"x".repeat(41)] {
            assert!(check_partner_id(bad).is_err(), "{bad}");
        }
    }
}

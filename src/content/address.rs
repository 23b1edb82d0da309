//! Addresses in front matter: web addresses (`http://`, `https://`), phone numbers, and
//! e-mail addresses (`email` of NGO entries and coordinators) with the `mailto:` links made
//! of them. An address is parsed by the `email_address` crate (RFC 5322
//! `local@domain`, no display name, no domain literal) and its domain must be a host name
//! under IDNA's STD3 rules (letters, digits, hyphens): `biuro@example.org?subject=…&cc=…` is
//! refused, since its "domain" holds `?`, `=` and `&`. The link percent-encodes everything
//! but unreserved characters and `@` (RFC 6068), so no address can add headers or a body.

use email_address::{EmailAddress, Options};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Checks one address; the error says what is wrong with it.
pub fn check_email(s: &str) -> Result<(), String> {
    let options = Options::default()
        .without_display_text()
        .without_domain_literal()
        .with_required_tld();
    let address = EmailAddress::parse_with_options(s, options)
        .map_err(|e| e.to_string().trim_end_matches('.').to_lowercase())?;
    let domain = address.domain();
    let ascii = idna::domain_to_ascii_strict(domain)
        .map_err(|_| format!("{domain:?} is not a domain name"))?;
    if !ascii.contains('.') || ascii.ends_with('.') {
        return Err(format!("{domain:?} is not a full domain name"));
    }
    Ok(())
}

/// What `mailto:` leaves as it is: RFC 3986 unreserved characters and the `@`.
const MAILTO_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// The `mailto:` URL of a checked address, percent-encoded.
pub fn mailto(address: &str) -> String {
    format!("mailto:{}", utf8_percent_encode(address, MAILTO_KEEP))
}

/// An `http://` or `https://` address with a host and nothing that would break out of an
/// attribute.
pub fn is_http_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(r) => {
            !r.is_empty()
                && !r.starts_with('/')
                && !s.chars().any(|c| {
                    c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>'
                })
        }
        None => false,
    }
}

/// A phone number: 7 to 15 digits, with spaces, `+`, `-`, `(`, `)` and `/` between them.
pub(crate) fn is_phone(s: &str) -> bool {
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    (7..=15).contains(&digits)
        && s.chars()
            .all(|c| c.is_ascii_digit() || " +-()/".contains(c))
}

/// Percent-encode a path for use in a URL (keeps `/` and unreserved characters).
pub fn encode_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_and_urls() {
        assert!(is_phone("+48 12 345 67 89"));
        assert!(!is_phone("123"));
        assert!(is_http_url("https://bip.krakow.pl/?dok_id=1"));
        assert!(!is_http_url("javascript:alert(1)"));
    }

    #[test]
    fn addresses() {
        for ok in [
            "biuro@fundacja.pl",
            "jan.kowalski+konsultacje@um.krakow.pl",
            "biuro@zażółć.pl",
        ] {
            assert_eq!(check_email(ok), Ok(()), "{ok}");
        }
        for bad in [
            "biuro@",
            "@fundacja.pl",
            "biuro@example.invalid?subject=Pilne&cc=x@y.pl&body=tekst",
            "biuro@example.org&cc=x",
            "Biuro <biuro@fundacja.pl>",
            "biuro@[127.0.0.1]",
            "biuro@localhost",
            "biuro@fundacja.pl\nBcc: x@y.pl",
            "a b@fundacja.pl",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn mailto_is_percent_encoded() {
        assert_eq!(mailto("biuro@fundacja.pl"), "mailto:biuro@fundacja.pl");
        // RFC 5322 allows `?`, `&`, `=` and `%` in a local part: they may not start a query.
        assert_eq!(
            mailto("a?subject=x&cc=y%@fundacja.pl"),
            "mailto:a%3Fsubject%3Dx%26cc%3Dy%25@fundacja.pl"
        );
        assert_eq!(
            mailto("ż@zażółć.pl"),
            "mailto:%C5%BC@za%C5%BC%C3%B3%C5%82%C4%87.pl"
        );
    }

    #[test]
    fn encodes_paths() {
        assert_eq!(encode_path("pliki/a b/ż.pdf"), "pliki/a%20b/%C5%BC.pdf");
    }
}

//! The order a reader expects for names shown in a list (tag names): letters
//! compared without their accents and case first (`Ámbito` sits beside
//! `azul`, not after `zona`), then accented after unaccented, then case. In
//! Spanish, Galician and Asturian `ñ` is its own letter after `n`, as their
//! alphabets have it (`nube` < `nzz` < `ñandú` < `oso`).
//!
//! This is the first two levels of the Unicode Collation Algorithm for Latin
//! script as the common locales see it, built on canonical decomposition
//! (`unicode-normalization`); letters of other scripts compare by code point
//! after folding case, which keeps each script's own order of its letters.

use std::cmp::Ordering;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Compare two names for a list in language `lang` (a BCP 47 tag: `es`, `es-MX`).
pub fn compare(lang: &str, a: &str, b: &str) -> Ordering {
    let n_tilde = n_tilde_is_a_letter(lang);
    primary(a, n_tilde)
        .cmp(&primary(b, n_tilde))
        .then_with(|| secondary(a).cmp(&secondary(b)))
        .then_with(|| a.cmp(b))
}

fn n_tilde_is_a_letter(lang: &str) -> bool {
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    ["es", "gl", "ast"].contains(&primary.to_ascii_lowercase().as_str())
}

/// The base letters, lowercase, without accents; `ñ` kept apart where it is a
/// letter (sorted after every `n…`, by a code point above any letter).
fn primary(s: &str, n_tilde: bool) -> Vec<char> {
    let mut out = Vec::with_capacity(s.len());
    let mut chars = s.nfd().peekable();
    while let Some(c) = chars.next() {
        if is_combining_mark(c) {
            continue;
        }
        let lower: Vec<char> = c.to_lowercase().collect();
        if n_tilde && lower == ['n'] && chars.peek() == Some(&'\u{303}') {
            chars.next();
            out.push('n');
            out.push(char::MAX);
            continue;
        }
        out.extend(lower);
    }
    out
}

/// The accents, in order: unaccented letters come first.
fn secondary(s: &str) -> Vec<char> {
    s.nfd()
        .map(|c| if is_combining_mark(c) { c } else { '\0' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(lang: &str, names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| compare(lang, a, b));
        v
    }

    #[test]
    fn accents_and_case_are_folded_first() {
        assert_eq!(
            sorted(
                "es",
                &["zona", "Ámbito", "azul", "cuidados", "Éxito", "estrés"]
            ),
            ["Ámbito", "azul", "cuidados", "estrés", "Éxito", "zona"]
        );
        assert_eq!(
            sorted("en", &["résumé", "resume", "Resume"]),
            ["Resume", "resume", "résumé"]
        );
    }

    #[test]
    fn n_tilde_is_its_own_letter_in_spanish_only() {
        assert_eq!(
            sorted("es-MX", &["oso", "ñandú", "nube", "nzz"]),
            ["nube", "nzz", "ñandú", "oso"]
        );
        assert_eq!(
            sorted("en", &["nzz", "ñandú", "nube"]),
            ["ñandú", "nube", "nzz"]
        );
    }
}

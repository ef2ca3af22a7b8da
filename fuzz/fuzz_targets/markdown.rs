//! The Markdown pipeline with a resolver.
//! Properties: no panic; no script URL survives in a link; link and diagnostic
//! positions fall inside the body.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use follicle::markdown::{render, Env, LinkResolver, RawHtml, RenderOptions, Source};
use follicle::theme::{self, Theme};
use libfuzzer_sys::fuzz_target;

/// The built-in theme, so shortcodes are expanded through its templates.
fn theme() -> &'static Theme {
    static T: OnceLock<Theme> = OnceLock::new();
    T.get_or_init(|| theme::load(Path::new("/nonexistent-follicle-site"), "clinic").expect("theme"))
}

struct Resolver;
impl LinkResolver for Resolver {
    fn resolve(&self, p: &str) -> Option<String> {
        match p {
            "care/aftercare.md" => Some("/care/aftercare/".into()),
            "care/washing.md" => Some("/care/washing/".into()),
            "_index.md" => Some("/".into()),
            _ => None,
        }
    }
    fn is_broken(&self, p: &str) -> bool {
        p == "care/broken.md"
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(body) = std::str::from_utf8(rest) else {
        return;
    };
    let opts = RenderOptions {
        smart_punctuation: flags & 1 != 0,
        anchor_links: flags & 2 != 0,
        external_links_new_tab: flags & 4 != 0,
        raw_html: if flags & 8 != 0 {
            RawHtml::Trusted
        } else {
            RawHtml::Safe
        },
        highlight: flags & 16 != 0,
    };
    let none = tera::Value::none();
    let env = Env {
        templates: if flags & 32 != 0 { Some(theme()) } else { None },
        page: &none,
        config: &none,
        i18n: &none,
        lang: "en",
        today: jiff::civil::date(2026, 1, 1),
        consent_warning_days: 30,
    };
    let body_line = 4;
    let r = render(
        Source {
            file: "content/care/fuzz.md",
            dir: "care",
            body,
            body_line,
        },
        &Resolver,
        opts,
        &env,
    );
    let last = body_line + body.matches('\n').count();
    for l in &r.links {
        assert!(
            l.line >= body_line && l.line <= last,
            "link at line {}",
            l.line
        );
        assert!(l.column >= 1);
        let cleaned: String = l
            .href
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .collect::<String>()
            .to_ascii_lowercase();
        assert!(
            !cleaned.starts_with("javascript:"),
            "script href {}",
            l.href
        );
    }
    // Safe mode cleans every page it does not refuse (too much raw HTML).
    if opts.raw_html == RawHtml::Safe && !r.diagnostics.iter().any(|d| d.is_error()) {
        let lower = r.html.to_ascii_lowercase();
        assert!(!lower.contains("<script"), "script left in {}", r.html);
        assert!(!lower.contains("<iframe"), "frame left in {}", r.html);
    }
    for d in &r.diagnostics {
        assert!(d.line >= body_line && d.line <= last, "{d}");
    }
});

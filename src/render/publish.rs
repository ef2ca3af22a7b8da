//! Files for static hosts: `_headers` and `_redirects`, which Netlify and
//! Cloudflare Pages read (other hosts publish them as plain files nobody links
//! to). Pure: the site and its config in, text out.

use crate::config::{Config, PublishHost};

/// The Content-Security-Policy every page is served with. The clinic theme
/// needs nothing more: no inline script or style, no third-party file. Frames
/// are allowed from the two video hosts the `video` shortcode loads after a
/// patient clicks (nothing is requested before).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
media-src 'self'; frame-src https://www.youtube-nocookie.com https://player.vimeo.com; \
object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// `_headers`: security headers for every file of the site.
pub fn headers(config: &Config) -> String {
    let mut out = String::from(
        "# Security headers, read by Netlify and Cloudflare Pages. Written by\n\
         # Follicle; turn off with [publish] headers = false in site.toml.\n",
    );
    out.push_str(&format!("{}/*\n", config.path_prefix()));
    for (name, value) in [
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        // Patients' privacy: another site never learns which page they read.
        ("Referrer-Policy", "same-origin"),
        (
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
        ),
        ("X-Frame-Options", "DENY"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ] {
        out.push_str(&format!("  {name}: {value}\n"));
    }
    out
}

/// `_redirects`: a permanent redirect for each `(from, to)` pair (site-relative
/// paths: aliases, `redirect_to`, `page/1/`), then each other language's 404
/// page for the paths under it, in the dialect of `[publish] host`
/// ([`PublishHost`]): forced (`301!`) for Netlify, whose files would shadow
/// the rules, and no 404 rewrites for Cloudflare, which finds them itself.
pub fn redirects(config: &Config, pairs: &[(String, String)]) -> String {
    let prefix = config.path_prefix();
    let host = config.publish.host;
    let mut out = format!(
        "# Redirects, read by Netlify and Cloudflare Pages ([publish] host = \"{}\").\n\
         # Written by Follicle; turn off with [publish] redirects = false in site.toml.\n",
        host_name(host)
    );
    let status = if host == PublishHost::Netlify {
        "301!"
    } else {
        "301"
    };
    for (from, to) in pairs {
        out.push_str(&format!("{prefix}{from} {prefix}{to} {status}\n"));
    }
    if host == PublishHost::Cloudflare {
        return out;
    }
    for lang in config.all_languages() {
        if lang != config.default_language {
            out.push_str(&format!("{prefix}/{lang}/* {prefix}/{lang}/404.html 404\n"));
        }
    }
    out
}

fn host_name(host: PublishHost) -> &'static str {
    match host {
        PublishHost::Any => "any",
        PublishHost::Netlify => "netlify",
        PublishHost::Cloudflare => "cloudflare",
    }
}

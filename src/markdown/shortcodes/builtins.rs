//! The clinic theme's shortcodes' arguments (checked at the call, with the exact
//! fix), the consent rule for before/after photos, Hugo's built-in shortcodes
//! mapped onto ours, and Jekyll's Liquid lookups and links.

use std::ops::Range;

use serde_json::Value as Json;

use super::args::{Arg, Call};
use super::{fenced, json_text, Expander};

#[derive(Clone, Copy, PartialEq)]
enum Type {
    Text,
    Bool,
    Int,
    Date,
}

impl Type {
    fn matches(self, v: &Json) -> bool {
        match self {
            Type::Text => v.is_string(),
            Type::Bool => v.is_boolean(),
            Type::Int => v.is_i64() || v.is_u64(),
            Type::Date => v
                .as_str()
                .is_some_and(|s| s.parse::<jiff::civil::Date>().is_ok()),
        }
    }

    fn example(self, name: &str) -> String {
        match self {
            Type::Text => format!("{name}=\"…\""),
            Type::Bool => format!("{name}=true or {name}=false"),
            Type::Int => format!("{name}=3"),
            Type::Date => format!("{name}=\"2027-05-01\""),
        }
    }
}

/// A built-in shortcode's arguments: (name, type, required, allowed values).
struct Spec {
    name: &'static str,
    args: &'static [(&'static str, Type, bool, &'static [&'static str])],
    /// At least one of these must be given.
    one_of: &'static [&'static str],
}

const SPECS: &[Spec] = &[
    Spec {
        name: "callout",
        args: &[
            (
                "kind",
                Type::Text,
                false,
                &["urgent", "warning", "info", "tip"],
            ),
            ("title", Type::Text, false, &[]),
        ],
        one_of: &[],
    },
    Spec {
        name: "clinic",
        args: &[(
            "field",
            Type::Text,
            true,
            &["phone", "email", "address", "hours", "booking", "name"],
        )],
        one_of: &[],
    },
    Spec {
        name: "before_after",
        args: &[
            ("before", Type::Text, true, &[]),
            ("after", Type::Text, true, &[]),
            ("alt_before", Type::Text, true, &[]),
            ("alt_after", Type::Text, true, &[]),
            // Required unless `illustration = true` (see `consent`).
            ("consent_ref", Type::Text, false, &[]),
            ("consent_expires", Type::Date, false, &[]),
            ("illustration", Type::Bool, false, &[]),
            ("typical_results", Type::Bool, false, &[]),
            ("compensated", Type::Bool, false, &[]),
            ("sessions", Type::Int, false, &[]),
            ("caption", Type::Text, false, &[]),
        ],
        one_of: &[],
    },
    Spec {
        name: "video",
        args: &[
            ("youtube", Type::Text, false, &[]),
            ("vimeo", Type::Text, false, &[]),
            ("src", Type::Text, false, &[]),
            ("title", Type::Text, true, &[]),
        ],
        one_of: &["youtube", "vimeo", "src"],
    },
    Spec {
        name: "figure",
        args: &[
            ("src", Type::Text, true, &[]),
            // Not required: a peer theme's figure has none (its caption
            // stands in, with a warning; see `figure_alt`).
            ("alt", Type::Text, false, &[]),
            ("caption", Type::Text, false, &[]),
            ("title", Type::Text, false, &[]),
            ("link", Type::Text, false, &[]),
            ("width", Type::Int, false, &[]),
            ("height", Type::Int, false, &[]),
            ("class", Type::Text, false, &[]),
        ],
        one_of: &[],
    },
    Spec {
        name: "details",
        args: &[
            ("summary", Type::Text, false, &[]),
            ("open", Type::Bool, false, &[]),
        ],
        one_of: &[],
    },
];

/// Check a call of a clinic-theme shortcode; false (with errors) when it is wrong.
pub(super) fn check(ex: &mut Expander<'_, '_>, start: usize, call: &Call) -> bool {
    let Some(spec) = SPECS.iter().find(|s| s.name == call.name) else {
        return true;
    };
    let before = ex.slots.diagnostics.len();
    let name = spec.name;
    let known: Vec<&str> = spec.args.iter().map(|a| a.0).collect();
    for arg in &call.args {
        let Some(&(_, ty, _, choices)) = spec.args.iter().find(|a| a.0 == arg.name) else {
            unknown_arg(ex, start, name, &arg.name, &known);
            continue;
        };
        check_value(ex, arg.offset, name, arg, ty, choices);
    }
    for &(arg, ty, required, choices) in spec.args {
        if required && !call.args.iter().any(|a| a.name == arg) {
            let example = match choices.first() {
                Some(c) => format!("{arg}=\"{c}\""),
                None => ty.example(arg),
            };
            let hint = if arg.starts_with("consent_") {
                "photos of a patient need their written consent: add consent_ref=\"…\" (the signed form's reference) and consent_expires=\"YYYY-MM-DD\" (when it ends)".to_string()
            } else {
                format!("add it, e.g. {name}({example})")
            };
            ex.error(
                start,
                format!("the shortcode `{name}` needs the argument `{arg}`"),
                hint,
            );
        }
    }
    if !spec.one_of.is_empty()
        && !spec
            .one_of
            .iter()
            .any(|k| call.args.iter().any(|a| a.name == *k))
    {
        ex.error(
            start,
            format!(
                "the shortcode `{name}` needs one of: {}",
                spec.one_of.join(", ")
            ),
            format!("e.g. {name}({}=\"…\", title=\"…\")", spec.one_of[0]),
        );
    }
    // Warnings (an option left out) do not stop the checks that follow.
    if ex.slots.diagnostics[before..].iter().all(|d| !d.is_error()) {
        match name {
            "before_after" => consent(ex, start, call),
            "clinic" => clinic_field_set(ex, start, call),
            "figure" => figure_alt(ex, start, call),
            _ => {}
        }
        for a in &call.args {
            check_url(ex, a.offset, name, a);
        }
    }
    ex.slots.diagnostics[before..].iter().all(|d| !d.is_error())
}

/// An argument the shortcode does not take. A near miss of one it takes
/// (`captoin`) is our own key mistyped: an error with the fix. Any other name
/// is a peer theme's option (terminimal's `figure(position="left")`): the
/// page builds, and the warning says it was left out.
fn unknown_arg(ex: &mut Expander<'_, '_>, start: usize, name: &str, arg: &str, known: &[&str]) {
    let typo = known
        .iter()
        .copied()
        .filter(|k| is_typo(arg, k))
        .min_by_key(|k| strsim::damerau_levenshtein(arg, k));
    match typo {
        Some(best) => ex.error(
            start,
            format!("the shortcode `{name}` has no argument `{arg}`"),
            format!("did you mean `{best}`?"),
        ),
        None => ex.warning(
            start,
            format!("the shortcode `{name}` has no argument `{arg}`, so it was left out"),
            format!(
                "remove it, or use one of its arguments: {}",
                known.join(", ")
            ),
        ),
    }
}

/// `word` is `known` with a slip of one or two keys, not another word that
/// shares its start (`caption_position` is not `caption` mistyped).
fn is_typo(word: &str, known: &str) -> bool {
    let distance = strsim::damerau_levenshtein(word, known);
    distance > 0 && distance <= (known.chars().count() / 4).clamp(1, 2)
}

/// A figure without `alt`: its caption is the alt text, else it has none;
/// either way a warning says to write one (`--strict` fails).
fn figure_alt(ex: &mut Expander<'_, '_>, start: usize, call: &Call) {
    if call.args.iter().any(|a| a.name == "alt") {
        return;
    }
    let has_caption = call.args.iter().any(|a| a.name == "caption");
    let message = if has_caption {
        "this figure has no alt text, so its caption is used as the alt text"
    } else {
        "this figure has no alt text, so screen readers skip its image"
    };
    ex.warning(
        start,
        message.to_string(),
        "describe the image for someone who cannot see it: figure(alt=\"…\", …)".to_string(),
    );
}

fn check_value(
    ex: &mut Expander<'_, '_>,
    start: usize,
    name: &str,
    arg: &Arg,
    ty: Type,
    choices: &[&str],
) {
    if !ty.matches(&arg.value) {
        ex.error(
            start,
            format!(
                "the argument `{}` of the shortcode `{name}` must be {}",
                arg.name,
                match ty {
                    Type::Text => "text in quotes",
                    Type::Bool => "true or false",
                    Type::Int => "a whole number",
                    Type::Date => "a date",
                }
            ),
            format!("write {}", ty.example(&arg.name)),
        );
        return;
    }
    if let Some(v) = arg.value.as_str() {
        if !choices.is_empty() && !choices.contains(&v) {
            ex.error(
                start,
                format!("`{v}` is not a `{}` of the shortcode `{name}`", arg.name),
                format!("use one of: {}", choices.join(", ")),
            );
        } else if ty == Type::Text && v.trim().is_empty() {
            ex.error(
                start,
                format!(
                    "the argument `{}` of the shortcode `{name}` is empty",
                    arg.name
                ),
                format!("write {}", ty.example(&arg.name)),
            );
        }
    }
}

/// Arguments that are addresses pass the one scheme policy (http(s), mailto,
/// tel, relative); video ids are plain ids, so they cannot add to the URL.
fn check_url(ex: &mut Expander<'_, '_>, start: usize, name: &str, a: &Arg) {
    let Some(v) = a.value.as_str() else { return };
    if matches!(a.name.as_str(), "youtube" | "vimeo") {
        if !v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            ex.error(
                start,
                format!("`{v}` is not a {} video id", a.name),
                format!(
                    "write only the id, e.g. {}=\"{}\"",
                    a.name,
                    if a.name == "youtube" {
                        "dQw4w9WgXcQ"
                    } else {
                        "76979871"
                    }
                ),
            );
        }
        return;
    }
    if !matches!(a.name.as_str(), "src" | "before" | "after" | "link") {
        return;
    }
    let cleaned: String = v
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let scheme_end = cleaned.find([':', '/', '?', '#']);
    if let Some(i) = scheme_end.filter(|&i| cleaned[i..].starts_with(':')) {
        let scheme = cleaned[..i].to_ascii_lowercase();
        if !matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel") {
            ex.error(
                start,
                format!("the `{}` of the shortcode `{name}` is a `{scheme}:` address, which is not allowed", a.name),
                "use a path on this site (photo.jpg, /images/photo.jpg) or an https:// address".into(),
            );
        }
    }
}

/// `clinic(field=…)` shows a value from site.toml's [clinic]: it must be set.
fn clinic_field_set(ex: &mut Expander<'_, '_>, start: usize, call: &Call) {
    let Some(field) = arg(call, &["field"]).and_then(Json::as_str) else {
        return;
    };
    let key = match field {
        "address" => "street_address",
        "hours" => "opening_hours",
        "booking" => "booking_url",
        other => other,
    };
    let set = ex
        .env
        .config
        .get_from_path(&format!("clinic.{key}"))
        .is_some_and(|v| v.is_truthy());
    if !set && !ex.env.config.is_none() {
        ex.error(
            start,
            format!("`clinic(field=\"{field}\")` shows the clinic's {field}, which site.toml does not give"),
            format!("add `{key}` under [clinic] in site.toml"),
        );
    }
}

/// Photos of a patient need their written consent, in date: an expired consent
/// is never published again (US FTC endorsement guides; UK CAP Code 12.25).
/// Drawings marked `illustration = true` show no patient and need none.
fn consent(ex: &mut Expander<'_, '_>, start: usize, call: &Call) {
    let get = |k: &str| {
        call.args
            .iter()
            .find(|a| a.name == k)
            .and_then(|a| a.value.as_str())
    };
    let illustration = call
        .args
        .iter()
        .any(|a| a.name == "illustration" && a.value.as_bool() == Some(true));
    if illustration {
        return;
    }
    for arg in ["consent_ref", "consent_expires"] {
        if !call.args.iter().any(|a| a.name == arg) {
            ex.error(
                start,
                format!("the shortcode `before_after` needs the argument `{arg}`"),
                "photos of a patient need their written consent: add consent_ref=\"…\" (the signed form's reference) and consent_expires=\"YYYY-MM-DD\" (when it ends); for drawings, not photos, add illustration=true".to_string(),
            );
        }
    }
    let (Some(reference), Some(expires)) = (get("consent_ref"), get("consent_expires")) else {
        return;
    };
    let Ok(date) = expires.parse::<jiff::civil::Date>() else {
        return;
    };
    let today = ex.env.today;
    let start = call
        .args
        .iter()
        .find(|a| a.name == "consent_expires")
        .map_or(start, |a| a.offset);
    if date < today {
        ex.error(
            start,
            format!("the patient's consent for these photos ({reference}) expired on {expires}"),
            "renew the written consent and update consent_expires, or take the photos off the page"
                .into(),
        );
    } else if ex.env.consent_warning_days > 0 {
        let days = (date - today).get_days() as i64;
        if days <= ex.env.consent_warning_days {
            ex.warning(
                start,
                format!("the patient's consent for these photos ({reference}) expires on {expires}, in {days} days"),
                "ask the patient to renew it, or plan to take the photos off the page; after that day the site will not build with them".into(),
            );
        }
    }
}

/// What a Hugo built-in becomes.
pub(super) enum Hugo {
    /// Text for the page (Markdown).
    Done(String),
    /// A call of one of our templates.
    As(Call),
    /// Not a Hugo built-in.
    No,
}

fn arg<'c>(call: &'c Call, names: &[&str]) -> Option<&'c Json> {
    names
        .iter()
        .find_map(|n| call.args.iter().find(|a| a.name == *n))
        .map(|a| &a.value)
}

/// The fence info of Hugo's `{{< highlight go "linenos=table,hl_lines=8 15-17" >}}`:
/// the language and the options as a Hugo fence takes them, for the
/// highlighter to draw.
fn highlight_info(call: &Call) -> String {
    let lang = arg_text(call, &["_0", "lang"]);
    let options = arg_text(call, &["_1", "options"]).replace(['\n', '\r', '}'], " ");
    match options.trim() {
        "" => lang,
        options => format!("{lang} {{{options}}}"),
    }
}

/// The first of `names` given to `call`, as text ("" when none is).
fn arg_text(call: &Call, names: &[&str]) -> String {
    arg(call, names).map(json_text).unwrap_or_default()
}

/// Hugo's built-in shortcodes, which Hugo sites use without templates.
pub(super) fn hugo(
    ex: &mut Expander<'_, '_>,
    start: usize,
    call: &Call,
    body: Option<Range<usize>>,
) -> Hugo {
    match call.name.as_str() {
        "youtube" | "vimeo" => {
            let id = arg_text(call, &["id", "_0"]);
            let title = arg(call, &["title"]).map(json_text).unwrap_or_else(|| {
                format!(
                    "{} video",
                    if call.name == "youtube" {
                        "YouTube"
                    } else {
                        "Vimeo"
                    }
                )
            });
            let mk = |name: &str, value: String| Arg {
                name: name.into(),
                value: Json::String(value),
                offset: start,
            };
            Hugo::As(Call {
                name: "video".into(),
                args: vec![mk(&call.name, id), mk("title", title)],
                end: call.end,
                notes: Vec::new(),
            })
        }
        "highlight" => {
            let code = body
                .map(|r| ex.origin.body[r].trim_matches('\n').to_string())
                .unwrap_or_default();
            Hugo::Done(fenced(&highlight_info(call), &code))
        }
        "ref" | "relref" => {
            let target = arg_text(call, &["_0", "path"]);
            match resolve_page(ex, &target) {
                Some(url) if call.name == "ref" => Hugo::Done(permalink(ex, &url)),
                // Used as a Markdown link's address, which gets the base path.
                Some(url) => Hugo::Done(url),
                None => {
                    ex.error(
                        start,
                        format!("`{}` names `{target}`, which is not a page in content/", call.name),
                        "check the path; it is the file's path inside content/, e.g. \"treatment/aftercare.md\"".into(),
                    );
                    Hugo::Done(String::new())
                }
            }
        }
        "param" => {
            let key = arg_text(call, &["_0", "name"]);
            let found = value_at(ex.env.page, &format!("extra.{key}"))
                .or_else(|| value_at(ex.env.config, &format!("extra.{key}")));
            match found {
                Some(v) => Hugo::Done(escape_text(&v)),
                None => {
                    ex.warning(
                        start,
                        format!("`param` names `{key}`, which neither the page's [extra] nor site.toml's [extra] has, so it was left out"),
                        format!("add `{key}` under [extra] in the front matter or in site.toml"),
                    );
                    Hugo::Done(String::new())
                }
            }
        }
        _ => Hugo::No,
    }
}

fn value_at(v: &tera::Value, path: &str) -> Option<String> {
    let found = v.get_from_path(path)?;
    if found.is_undefined() || found.is_none() {
        return None;
    }
    Some(match found.as_str() {
        Some(s) => s.to_string(),
        None => match found.as_array() {
            Some(items) => items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| i.to_string())
                })
                .collect::<Vec<_>>()
                .join(", "),
            None => found.to_string(),
        },
    })
}

/// Writer text placed into Markdown: `<`, `>` and `&` cannot start markup.
fn escape_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn permalink(ex: &Expander<'_, '_>, url: &str) -> String {
    let base = value_at(ex.env.config, "base_url").unwrap_or_default();
    format!("{}{}", base.trim_end_matches('/'), url)
}

/// The path of a sub-path `base_url` (`/my-clinic`), else `""`.
pub(super) fn base_path(ex: &Expander<'_, '_>) -> String {
    value_at(ex.env.config, "base_path").unwrap_or_default()
}

/// Site-absolute addresses a built-in is given (`/img/a.jpg`) get the base
/// path of a sub-path site, as Markdown links do.
pub(super) fn prefix_paths(ex: &Expander<'_, '_>, call: &mut Call) {
    let prefix = base_path(ex);
    if prefix.is_empty() {
        return;
    }
    for a in &mut call.args {
        if !matches!(a.name.as_str(), "src" | "before" | "after" | "link") {
            continue;
        }
        if let Json::String(v) = &mut a.value {
            if v.starts_with('/') && !v.starts_with("//") {
                *v = format!("{prefix}{v}");
            }
        }
    }
}

/// A page named the ways Hugo and Jekyll name them: with or without `.md`,
/// a leading `/`, `content/`, or Jekyll's `_posts/`-style folder.
fn resolve_page(ex: &mut Expander<'_, '_>, target: &str) -> Option<String> {
    let (path, anchor) = match target.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (target, None),
    };
    let p = path.trim_start_matches('/');
    let p = p.strip_prefix("content/").unwrap_or(p);
    let p = p.trim_end_matches('/');
    let unscored = p.strip_prefix('_').unwrap_or(p);
    let mut candidates = Vec::new();
    for base in [p, unscored] {
        if base.ends_with(".md") {
            candidates.push(base.to_string());
        } else {
            candidates.push(format!("{base}.md"));
            candidates.push(format!("{base}/_index.md"));
            candidates.push(format!("{base}/index.md"));
        }
    }
    let url = candidates.iter().find_map(|c| ex.host.resolve(c))?;
    Some(match anchor {
        Some(a) => format!("{url}#{a}"),
        None => url,
    })
}

/// Liquid `{{ site.x }}` / `{{ page.x }}`.
pub(super) fn lookup(ex: &mut Expander<'_, '_>, at: usize, path: &str) -> String {
    let (root, key) = path.split_once('.').unwrap_or((path, ""));
    let found = if root == "site" {
        let key = match key {
            "url" | "baseurl" => "base_url",
            k => k,
        };
        value_at(ex.env.config, key).or_else(|| value_at(ex.env.config, &format!("extra.{key}")))
    } else {
        value_at(ex.env.page, key).or_else(|| value_at(ex.env.page, &format!("extra.{key}")))
    };
    match found {
        Some(v) => escape_text(&v),
        None => {
            ex.warning(
                at,
                format!("`{{{{ {path} }}}}` has no value here, so it was left out of the page"),
                format!(
                    "write the text itself, or add `{key}` under [extra] in {}",
                    if root == "site" {
                        "site.toml"
                    } else {
                        "the front matter"
                    }
                ),
            );
            String::new()
        }
    }
}

/// Liquid `{% link path %}` and `{% post_url name %}`: the page's URL.
pub(super) fn liquid_link(
    ex: &mut Expander<'_, '_>,
    at: usize,
    post: bool,
    target: &str,
) -> String {
    let found = if post {
        let undated = target
            .get(11..)
            .filter(|_| target.as_bytes().get(10) == Some(&b'-'));
        ["posts", "blog", "_posts"]
            .iter()
            .flat_map(|dir| {
                std::iter::once(format!("{dir}/{target}"))
                    .chain(undated.map(|u| format!("{dir}/{u}")))
            })
            .find_map(|c| resolve_page(ex, &c))
    } else {
        resolve_page(ex, target)
    };
    match found {
        // Used as a Markdown link's address, which gets the base path.
        Some(url) => url,
        None => {
            let tag = if post { "post_url" } else { "link" };
            ex.warning(
                at,
                format!("`{{% {tag} {target} %}}` names a page that is not in content/, so it was left out of the page"),
                "write an @/ link to the page instead, e.g. [text](@/section/page.md)".into(),
            );
            String::new()
        }
    }
}

//! Search metadata: `<head>` tags and one JSON-LD `@graph` per page.
//!
//! Takes: the page being rendered (as a [`Subject`]) and the config. Gives: one
//! HTML string, `seo_head`, that every theme prints in `<head>` with
//! `{{ seo_head | safe }}`. Everything a writer typed is escaped for the place it
//! lands: attributes by [`escape_attr_into`], JSON-LD by [`json_for_script`] (so a
//! title holding `</script>` cannot end the block).

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use crate::config::Config;
use crate::content::frontmatter::Audience;
use crate::content::Meta;
use crate::markdown::escape_attr_into;

/// What kind of output the metadata describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Home,
    Article,
    Page,
    Listing,
}

/// The page being described.
pub struct Subject<'a> {
    pub kind: Kind,
    pub title: &'a str,
    pub description: &'a str,
    /// Site-relative path.
    pub path: &'a str,
    pub lang: &'a str,
    pub meta: Option<&'a Meta>,
    /// Breadcrumbs from the home page down to (not including) this page.
    pub crumbs: Vec<(&'a str, &'a str)>,
    /// FAQ as (question, answer HTML), the same data the visible FAQ uses.
    pub faq: Vec<(&'a str, &'a str)>,
    /// Other language versions: (language, path).
    pub alternates: Vec<(&'a str, &'a str)>,
    /// Show the clinic's full details (home and contact pages).
    pub clinic: bool,
    /// For a stand-in for a missing translation: the original's path, which
    /// becomes the canonical URL.
    pub canonical: Option<&'a str>,
}

/// Writes `seo_head`. What every page's metadata shares (the WebSite node per
/// language, the clinic, the procedure) is serialised once per build.
pub struct Writer<'a> {
    config: &'a Config,
    /// Language → the WebSite node as script-safe JSON.
    website: HashMap<String, String>,
    clinic: String,
    procedure: String,
}

impl<'a> Writer<'a> {
    pub fn new(config: &'a Config) -> Writer<'a> {
        Writer {
            config,
            website: config
                .all_languages()
                .into_iter()
                .map(|lang| {
                    let node = json_for_script(&website(&lang, config));
                    (lang, node)
                })
                .collect(),
            clinic: json_for_script(&clinic(config)),
            procedure: json_for_script(&procedure(config)),
        }
    }

    /// The `<head>` tags for one page.
    pub fn head(&self, subject: &Subject<'_>) -> String {
        let config = self.config;
        let url = config.permalink(subject.path);
        let site_title = config
            .languages
            .get(subject.lang)
            .map(|l| l.title.as_str())
            .filter(|t| !t.is_empty())
            .unwrap_or(&config.title);
        let description = if subject.description.is_empty() {
            &config.description
        } else {
            subject.description
        };
        let canonical = subject
            .canonical
            .map(|p| config.permalink(p))
            .unwrap_or_else(|| url.clone());
        let mut out = String::with_capacity(4096);
        tag(
            &mut out,
            r#"<meta name="description" content=""#,
            description,
        );
        tag(&mut out, r#"<link rel="canonical" href=""#, &canonical);
        for (lang, path) in &subject.alternates {
            out.push_str(r#"<link rel="alternate" hreflang=""#);
            escape_attr_into(&mut out, lang);
            tag(&mut out, r#"" href=""#, &config.permalink(path));
        }
        open_graph(&mut out, subject, &url, description, site_title);
        out.push_str("<meta name=\"twitter:card\" content=\"summary\">\n");
        tag(
            &mut out,
            r#"<meta name="twitter:title" content=""#,
            subject.title,
        );
        tag(
            &mut out,
            r#"<meta name="twitter:description" content=""#,
            description,
        );
        out.push_str(r#"<script type="application/ld+json">"#);
        self.graph(subject, &url, &mut out);
        out.push_str("</script>\n");
        out
    }

    /// The JSON-LD `@graph` for a page, script-safe, onto `out`.
    fn graph(&self, subject: &Subject<'_>, url: &str, out: &mut String) {
        let config = self.config;
        let base = &config.base_url;
        out.push_str(r#"{"@context":"https://schema.org","@graph":["#);
        match self.website.get(subject.lang) {
            Some(node) => out.push_str(node),
            None => push_script_json(out, &website(subject.lang, config)),
        }
        if subject.clinic || subject.kind == Kind::Home {
            out.push(',');
            out.push_str(&self.clinic);
        }
        let mut page = Map::new();
        let page_type = match subject.kind {
            Kind::Article => "MedicalWebPage",
            Kind::Listing => "CollectionPage",
            _ => "WebPage",
        };
        page.insert("@type".into(), json!(page_type));
        page.insert("@id".into(), json!(format!("{url}#webpage")));
        page.insert("url".into(), json!(url));
        page.insert("name".into(), json!(subject.title));
        if !subject.description.is_empty() {
            page.insert("description".into(), json!(subject.description));
        }
        page.insert("inLanguage".into(), json!(subject.lang));
        page.insert(
            "isPartOf".into(),
            json!({ "@id": format!("{base}#website") }),
        );
        page.insert(
            "publisher".into(),
            json!({ "@id": format!("{base}#clinic") }),
        );
        if !subject.crumbs.is_empty() {
            page.insert(
                "breadcrumb".into(),
                json!({ "@id": format!("{url}#breadcrumb") }),
            );
        }
        if let Some(m) = subject.meta {
            add_article_fields(&mut page, m, config, subject.lang);
            if subject.kind == Kind::Article {
                page.insert(
                    "about".into(),
                    json!({ "@id": format!("{base}#procedure") }),
                );
                out.push(',');
                out.push_str(&self.procedure);
            }
        }
        out.push(',');
        push_script_json(out, &Value::Object(page));
        if !subject.crumbs.is_empty() {
            out.push(',');
            push_script_json(out, &breadcrumbs(subject, config, url));
        }
        if !subject.faq.is_empty() {
            out.push(',');
            push_script_json(out, &faq_page(subject, url));
        }
        out.push_str("]}");
    }
}

/// One tag: `start` (ending inside an open attribute value), the value escaped,
/// `">` and a newline.
fn tag(out: &mut String, start: &str, value: &str) {
    out.push_str(start);
    escape_attr_into(out, value);
    out.push_str("\">\n");
}

/// JSON that is safe inside `<script>`: `<`, `>` and `&` become `\u` escapes, which
/// JSON parsers read back as the same characters.
pub fn json_for_script(value: &Value) -> String {
    let mut out = String::new();
    push_script_json(&mut out, value);
    out
}

/// [`json_for_script`] onto the end of `out`. The escapes work character by
/// character, so pieces escaped apart join into the same text.
fn push_script_json(out: &mut String, value: &Value) {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    out.reserve(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
}

fn website(lang: &str, config: &Config) -> Value {
    let name = config
        .languages
        .get(lang)
        .map(|l| l.title.as_str())
        .filter(|t| !t.is_empty())
        .unwrap_or(&config.title);
    json!({
        "@type": "WebSite",
        "@id": format!("{}#website", config.base_url),
        "url": config.base_url,
        "name": name,
        "inLanguage": config.all_languages(),
        "publisher": { "@id": format!("{}#clinic", config.base_url) },
    })
}

fn clinic(config: &Config) -> Value {
    let c = &config.clinic;
    let mut node = Map::new();
    node.insert("@type".into(), json!("MedicalClinic"));
    node.insert("@id".into(), json!(format!("{}#clinic", config.base_url)));
    node.insert(
        "name".into(),
        json!(if c.name.is_empty() {
            &config.title
        } else {
            &c.name
        }),
    );
    node.insert("url".into(), json!(config.base_url));
    let address = json!({
        "@type": "PostalAddress",
        "streetAddress": c.street_address,
        "addressLocality": c.locality,
        "addressRegion": c.region,
        "postalCode": c.postal_code,
        "addressCountry": c.country,
    });
    node.insert("address".into(), address);
    if !c.phone.is_empty() {
        node.insert("telephone".into(), json!(c.phone));
    }
    if !c.email.is_empty() {
        node.insert("email".into(), json!(c.email));
    }
    if !c.opening_hours.is_empty() {
        node.insert("openingHours".into(), json!(c.opening_hours));
    }
    if !c.opening_hours_spec.is_empty() {
        let spec: Vec<Value> = c
            .opening_hours_spec
            .iter()
            .map(|h| {
                json!({
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": h.days.iter().map(|d| format!("https://schema.org/{d}")).collect::<Vec<_>>(),
                    "opens": h.opens,
                    "closes": h.closes,
                })
            })
            .collect();
        node.insert("openingHoursSpecification".into(), json!(spec));
    }
    if !c.medical_specialty.is_empty() {
        node.insert("medicalSpecialty".into(), json!(c.medical_specialty));
    }
    node.insert(
        "isAcceptingNewPatients".into(),
        json!(c.accepting_new_patients),
    );
    if !c.booking_url.is_empty() {
        node.insert(
            "potentialAction".into(),
            json!({ "@type": "ReserveAction", "target": c.booking_url, "name": "Book a consultation" }),
        );
    }
    Value::Object(node)
}

fn procedure(config: &Config) -> Value {
    let p = &config.procedure;
    json!({
        "@type": "MedicalProcedure",
        "@id": format!("{}#procedure", config.base_url),
        "name": p.name,
        "alternateName": p.alternate_name,
        "description": p.description,
        "procedureType": "https://schema.org/NoninvasiveProcedure",
        "bodyLocation": p.body_location,
        "howPerformed": p.how_performed,
        "preparation": p.preparation,
        "followup": p.followup,
    })
}

fn add_article_fields(page: &mut Map<String, Value>, m: &Meta, config: &Config, lang: &str) {
    if let Some(d) = m.date {
        page.insert("datePublished".into(), json!(d.ymd()));
    }
    if let Some(d) = m.updated.or(m.date) {
        page.insert("dateModified".into(), json!(d.ymd()));
    }
    if let Some(d) = m.reviewed_on {
        page.insert("lastReviewed".into(), json!(d.ymd()));
    }
    // The reviewer as the page's language shows them ([languages.X.people]).
    let people = config.people_for(lang);
    if let Some(person) = m.reviewed_by.as_deref().and_then(|k| people.get(k)) {
        let mut p = json!({ "@type": "Person", "name": person.name });
        if !person.credentials.is_empty() {
            p["hasCredential"] = json!({ "@type": "EducationalOccupationalCredential", "credentialCategory": person.credentials });
        }
        if !person.role.is_empty() {
            p["jobTitle"] = json!(person.role);
        }
        if !person.url.is_empty() {
            p["url"] = json!(person.url);
        }
        page.insert("reviewedBy".into(), p);
    }
    if let Some(a) = m.audience {
        let t = match a {
            Audience::Patient => "Patient",
            Audience::Clinician => "Clinician",
        };
        page.insert(
            "medicalAudience".into(),
            json!({ "@type": "MedicalAudience", "audienceType": t }),
        );
    }
    if !m.sources.is_empty() {
        let cites: Vec<Value> = m
            .sources
            .iter()
            .map(|s| {
                let mut c = json!({ "@type": "CreativeWork", "name": s.title, "url": s.url.as_str() });
                if !s.publisher.is_empty() {
                    c["publisher"] = json!({ "@type": "Organization", "name": s.publisher });
                }
                let mut ids = Vec::new();
                if let Some(doi) = &s.doi {
                    ids.push(json!({ "@type": "PropertyValue", "propertyID": "DOI", "value": doi.as_str() }));
                }
                if let Some(pmid) = &s.pmid {
                    ids.push(json!({ "@type": "PropertyValue", "propertyID": "PMID", "value": pmid.as_str() }));
                }
                if !ids.is_empty() {
                    c["identifier"] = json!(ids);
                }
                c
            })
            .collect();
        page.insert("citation".into(), json!(cites));
    }
}

fn breadcrumbs(subject: &Subject<'_>, config: &Config, url: &str) -> Value {
    let mut items: Vec<Value> = subject
        .crumbs
        .iter()
        .enumerate()
        .map(|(i, (name, path))| json!({ "@type": "ListItem", "position": i + 1, "name": name, "item": config.permalink(path) }))
        .collect();
    items.push(json!({ "@type": "ListItem", "position": items.len() + 1, "name": subject.title, "item": url }));
    json!({ "@type": "BreadcrumbList", "@id": format!("{url}#breadcrumb"), "itemListElement": items })
}

fn faq_page(subject: &Subject<'_>, url: &str) -> Value {
    let questions: Vec<Value> = subject
        .faq
        .iter()
        .map(|(q, a)| json!({ "@type": "Question", "name": q, "acceptedAnswer": { "@type": "Answer", "text": a.trim() } }))
        .collect();
    json!({ "@type": "FAQPage", "@id": format!("{url}#faq"), "url": url, "inLanguage": subject.lang, "mainEntity": questions })
}

/// Open Graph tags (link previews), with an article's dates.
fn open_graph(
    out: &mut String,
    subject: &Subject<'_>,
    url: &str,
    description: &str,
    site_title: &str,
) {
    let og_type = if subject.kind == Kind::Article {
        "article"
    } else {
        "website"
    };
    tag(out, r#"<meta property="og:type" content=""#, og_type);
    tag(out, r#"<meta property="og:title" content=""#, subject.title);
    tag(
        out,
        r#"<meta property="og:description" content=""#,
        description,
    );
    tag(out, r#"<meta property="og:url" content=""#, url);
    tag(
        out,
        r#"<meta property="og:site_name" content=""#,
        site_title,
    );
    tag(
        out,
        r#"<meta property="og:locale" content=""#,
        &subject.lang.replace('-', "_"),
    );
    if let Some(m) = subject.meta.filter(|_| subject.kind == Kind::Article) {
        if let Some(d) = m.date {
            tag(
                out,
                r#"<meta property="article:published_time" content=""#,
                &d.rfc3339(),
            );
        }
        if let Some(d) = m.updated.or(m.reviewed_on) {
            tag(
                out,
                r#"<meta property="article:modified_time" content=""#,
                &d.rfc3339(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_block() {
        let v = json!({ "name": "</script><script>alert(1)</script>" });
        let s = json_for_script(&v);
        assert!(!s.contains("</script"));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script>");
    }
}

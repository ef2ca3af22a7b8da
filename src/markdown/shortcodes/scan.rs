//! Finding shortcodes and Liquid tags in a body, outside code, and nesting them.
//!
//! Takes: a body and the byte ranges pulldown-cmark parses as code (spans, fenced
//! and indented blocks). Gives: a tree of [`Node`]s, each with its byte range in
//! the body. Nothing here renders; a malformed call becomes a [`Kind::Bad`] node
//! at the byte that is wrong.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::args::{self, Call};

/// Deeper nesting than this is refused (the expander recurses once per level).
pub const MAX_DEPTH: usize = 32;
/// How far a closing `}}` or `%}` is looked for: a call does not span pages.
const MAX_TAG_LEN: usize = 4096;

#[derive(Debug, Clone, PartialEq)]
pub enum Syntax {
    /// `{{ name() }}` / `{% name() %}…{% end %}`
    Zola,
    /// `{{< name >}}` / `{{% name %}}`
    Hugo,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Printed as it is: Zola's and Hugo's escapes, Liquid `{% raw %}`.
    Literal(String),
    /// A shortcode call; `body` is the byte range between its tags.
    Call {
        call: Call,
        syntax: Syntax,
        body: Option<Range<usize>>,
    },
    /// Liquid `{% highlight lang %}…{% endhighlight %}`.
    Code { lang: String, text: String },
    /// Liquid `{{ site.x }}` / `{{ page.x }}`: the dotted path.
    Lookup(String),
    /// Liquid `{% link path %}` / `{% post_url name %}`.
    Link { post: bool, target: String },
    /// Liquid-looking text we do not support, as written.
    Unknown(String),
    /// A malformed call: what is wrong, at `at` (a body offset), and the fix
    /// (`None`: how to write a call).
    Bad {
        message: String,
        at: usize,
        hint: Option<&'static str>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub range: Range<usize>,
    pub kind: Kind,
    pub children: Vec<Node>,
}

/// Byte ranges of code in `body`, as the Markdown parser sees them.
pub fn code_ranges(body: &str, options: Options) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut block: Option<usize> = None;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => block = block.or(Some(range.start)),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = block.take() {
                    out.push(start..range.end);
                }
            }
            Event::Code(_) if block.is_none() => out.push(range),
            _ => {}
        }
    }
    out.sort_by_key(|r| r.start);
    out
}

/// A token before nesting.
enum Tok {
    Leaf(Kind),
    ZolaOpen(Call),
    ZolaEnd,
    HugoOpen(Call),
    HugoClose(String),
}

/// Find every shortcode in `body` outside `code` and nest them.
pub fn parse(body: &str, code: &[Range<usize>]) -> Vec<Node> {
    let mut tree = Tree::default();
    let mut at = 0;
    let mut code_i = 0;
    while let Some(found) = body[at..].find('{') {
        let p = at + found;
        while code_i < code.len() && code[code_i].end <= p {
            code_i += 1;
        }
        if let Some(r) = code.get(code_i).filter(|r| r.start <= p) {
            at = r.end.max(p + 1);
            continue;
        }
        match token(body, p) {
            Some((tok, end)) => {
                tree.push(tok, p..end, body);
                at = end.max(p + 1);
            }
            None => at = p + 1,
        }
    }
    tree.finish(body)
}

/// The token starting at `p` (a `{`), and where it ends; `None` for plain text.
fn token(body: &str, p: usize) -> Option<(Tok, usize)> {
    let rest = &body[p..];
    for (open, close, shown) in [
        ("{{</*", "*/>}}", ("{{<", ">}}")),
        ("{{%/*", "*/%}}", ("{{%", "%}}")),
        ("{{/*", "*/}}", ("{{", "}}")),
        ("{%/*", "*/%}", ("{%", "%}")),
    ] {
        if let Some(inner) = rest.strip_prefix(open) {
            let end = bounded_find(inner, close)?;
            let text = format!("{}{}{}", shown.0, &inner[..end], shown.1);
            return Some((
                Tok::Leaf(Kind::Literal(text)),
                p + open.len() + end + close.len(),
            ));
        }
    }
    if let Some(inner) = rest.strip_prefix("{{<") {
        return hugo(body, p, p + 3, inner, ">}}");
    }
    if let Some(inner) = rest.strip_prefix("{{%") {
        return hugo(body, p, p + 3, inner, "%}}");
    }
    if let Some(inner) = rest.strip_prefix("{{") {
        return expression(p, inner);
    }
    if let Some(inner) = rest.strip_prefix("{%") {
        return tag(body, p, inner);
    }
    None
}

fn bounded_find(s: &str, pat: &str) -> Option<usize> {
    let mut limit = s.len().min(MAX_TAG_LEN);
    while !s.is_char_boundary(limit) {
        limit -= 1;
    }
    s[..limit].find(pat).or_else(|| {
        // A pattern straddling the limit still counts.
        let tail = (limit + pat.len()).min(s.len());
        s[..tail].find(pat)
    })
}

/// Is the text after a delimiter a Zola call `name(`?
fn looks_like_call(inner: &str) -> bool {
    let t = inner.trim_start();
    let name_len = t
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(t.len());
    name_len > 0
        && !t.starts_with(|c: char| c.is_ascii_digit())
        && t[name_len..].trim_start().starts_with('(')
}

fn bad(message: impl Into<String>, at: usize) -> Tok {
    Tok::Leaf(Kind::Bad {
        message: message.into(),
        at,
        hint: None,
    })
}

/// Argument offsets from the parser's text to the body.
fn shifted(mut call: Call, base: usize) -> Call {
    for a in &mut call.args {
        a.offset += base;
    }
    for n in &mut call.notes {
        n.offset += base;
    }
    call
}

/// Where a tag's closing delimiter ends, skipping spaces before it.
fn close_at(inner: &str, from: usize, close: &str) -> Option<usize> {
    let t = &inner[from..];
    let trimmed = t.trim_start();
    trimmed
        .starts_with(close)
        .then(|| from + (t.len() - trimmed.len()) + close.len())
}

/// `{{ … }}`: a Zola inline call, or a Liquid output tag.
fn expression(p: usize, inner: &str) -> Option<(Tok, usize)> {
    if looks_like_call(inner) {
        return Some(match args::parse_zola(inner).map(|c| shifted(c, p + 2)) {
            Ok(call) => match close_at(inner, call.end, "}}") {
                Some(end) => (Tok::Leaf(call_kind(call, Syntax::Zola)), p + 2 + end),
                None => {
                    let end = bounded_find(inner, "}}").map_or(p + 2 + call.end, |e| p + 4 + e);
                    (
                        bad(
                            format!("the shortcode `{}` must end with `}}}}`", call.name),
                            p + 2 + call.end,
                        ),
                        end,
                    )
                }
            },
            Err(e) => {
                let end = bounded_find(inner, "}}").map_or(p + 2 + e.offset, |e| p + 4 + e);
                (bad(e.message, p + 2 + e.offset), end)
            }
        });
    }
    let end = bounded_find(inner, "}}")?;
    let text = inner[..end].trim().trim_matches('-').trim();
    let path = text.split('|').next().unwrap_or("").trim();
    let is_lookup = (path.starts_with("site.") || path.starts_with("page."))
        && path
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '-');
    let kind = if is_lookup {
        Kind::Lookup(path.to_string())
    } else {
        Kind::Unknown(format!("{{{{{}}}}}", &inner[..end]))
    };
    Some((Tok::Leaf(kind), p + 2 + end + 2))
}

fn call_kind(call: Call, syntax: Syntax) -> Kind {
    Kind::Call {
        call,
        syntax,
        body: None,
    }
}

/// `{% … %}`: a Zola body call or `end`, or a Liquid tag.
fn tag(body: &str, p: usize, inner: &str) -> Option<(Tok, usize)> {
    if looks_like_call(inner) {
        return Some(match args::parse_zola(inner).map(|c| shifted(c, p + 2)) {
            Ok(call) => match close_at(inner, call.end, "%}") {
                Some(end) => (Tok::ZolaOpen(call), p + 2 + end),
                None => (
                    bad(
                        format!("the shortcode `{}` must end with `%}}`", call.name),
                        p + 2 + call.end,
                    ),
                    p + 2 + call.end,
                ),
            },
            Err(e) => {
                let end = bounded_find(inner, "%}").map_or(p + 2 + e.offset, |e| p + 4 + e);
                (bad(e.message, p + 2 + e.offset), end)
            }
        });
    }
    let end = bounded_find(inner, "%}")?;
    let after = p + 2 + end + 2;
    let words: Vec<&str> = inner[..end]
        .trim()
        .trim_matches('-')
        .split_whitespace()
        .collect();
    let arg = words.get(1).map(|s| s.to_string()).unwrap_or_default();
    let tok = match words.first().copied() {
        Some("end") if words.len() == 1 => Tok::ZolaEnd,
        Some("raw") => match liquid_block(body, after, "endraw") {
            Some((inner_end, block_end)) => {
                let text = body[after..inner_end].to_string();
                return Some((Tok::Leaf(Kind::Literal(text)), block_end));
            }
            None => Tok::Leaf(Kind::Unknown(body[p..after].to_string())),
        },
        Some("highlight") => match liquid_block(body, after, "endhighlight") {
            Some((inner_end, block_end)) => {
                let text = body[after..inner_end].trim_matches('\n').to_string();
                // `{% highlight ruby linenos mark_lines="1 2" %}`: the words
                // after the language are the fence's options.
                let lang = std::iter::once(arg.as_str())
                    .chain(words.iter().skip(2).copied())
                    .collect::<Vec<_>>()
                    .join(",");
                return Some((Tok::Leaf(Kind::Code { lang, text }), block_end));
            }
            None => Tok::Leaf(Kind::Unknown(body[p..after].to_string())),
        },
        Some(w @ ("link" | "post_url")) if words.len() == 2 => Tok::Leaf(Kind::Link {
            post: w == "post_url",
            target: arg,
        }),
        _ => Tok::Leaf(Kind::Unknown(body[p..after].to_string())),
    };
    Some((tok, after))
}

/// The `{% end_word %}` closing a Liquid block opened before `from`: where its
/// tag starts and ends.
fn liquid_block(body: &str, from: usize, end_word: &str) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(i) = body[at..].find("{%") {
        let start = at + i;
        let close = body[start + 2..].find("%}")? + start + 2;
        let word = body[start + 2..close].trim().trim_matches('-').trim();
        if word == end_word {
            return Some((start, close + 2));
        }
        at = start + 2;
    }
    None
}

/// `{{< name … >}}`, `{{< /name >}}`, and the `{{% %}}` twins.
fn hugo(body: &str, p: usize, from: usize, inner: &str, close: &str) -> Option<(Tok, usize)> {
    let _ = body;
    let trimmed = inner.trim_start();
    if let Some(closing) = trimmed.strip_prefix('/') {
        let name: String = closing
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        let end = bounded_find(inner, close)?;
        return Some((Tok::HugoClose(name), from + end + close.len()));
    }
    Some(match args::parse_hugo(inner).map(|c| shifted(c, from)) {
        Ok(call) => {
            let rest = &inner[call.end..];
            let end = call.end;
            if rest.starts_with('/') && rest[1..].starts_with(close) {
                (
                    Tok::Leaf(call_kind(call, Syntax::Hugo)),
                    from + end + 1 + close.len(),
                )
            } else if rest.starts_with(close) {
                (Tok::HugoOpen(call), from + end + close.len())
            } else {
                let at = from + call.end;
                (
                    bad(
                        format!("the shortcode `{}` must end with `{close}`", call.name),
                        at,
                    ),
                    at,
                )
            }
        }
        Err(e) => {
            let end =
                bounded_find(inner, close).map_or(from + e.offset, |x| from + x + close.len());
            (bad(e.message, from + e.offset), end)
        }
    })
    .map(|(t, e)| (t, e.max(p + 1)))
}

/// An open call waiting for its closing tag.
struct Open {
    call: Call,
    syntax: Syntax,
    start: usize,
    body_start: usize,
    children: Vec<Node>,
}

#[derive(Default)]
struct Tree {
    root: Vec<Node>,
    stack: Vec<Open>,
}

impl Tree {
    fn children(&mut self) -> &mut Vec<Node> {
        match self.stack.last_mut() {
            Some(o) => &mut o.children,
            None => &mut self.root,
        }
    }

    fn leaf(&mut self, kind: Kind, range: Range<usize>) {
        self.children().push(Node {
            range,
            kind,
            children: Vec::new(),
        });
    }

    fn push(&mut self, tok: Tok, range: Range<usize>, _body: &str) {
        match tok {
            Tok::Leaf(kind) => self.leaf(kind, range),
            Tok::ZolaOpen(call) | Tok::HugoOpen(call) if self.stack.len() >= MAX_DEPTH => {
                let message = format!(
                    "the shortcode `{}` is nested more than {MAX_DEPTH} shortcodes deep",
                    call.name
                );
                self.leaf(
                    Kind::Bad {
                        message,
                        at: range.start,
                        hint: Some("put fewer shortcodes inside one another"),
                    },
                    range,
                );
            }
            Tok::ZolaOpen(call) => self.open(call, Syntax::Zola, range),
            Tok::HugoOpen(call) => self.open(call, Syntax::Hugo, range),
            Tok::ZolaEnd => match self.stack.iter().rposition(|o| o.syntax == Syntax::Zola) {
                Some(i) => self.close(i, range),
                None => self.leaf(
                    Kind::Bad {
                        message: "this `{% end %}` closes no shortcode".into(),
                        at: range.start,
                        hint: Some(
                            "remove it, or open the shortcode before its body with {% name(…) %}",
                        ),
                    },
                    range,
                ),
            },
            Tok::HugoClose(name) => {
                match self
                    .stack
                    .iter()
                    .rposition(|o| o.syntax == Syntax::Hugo && o.call.name == name)
                {
                    Some(i) => self.close(i, range),
                    None => self.leaf(
                        Kind::Bad {
                            message: format!("this closing tag closes no `{name}` shortcode"),
                            at: range.start,
                            hint: Some("check the name: it must be the one of the opening tag, as in {{< name >}}…{{< /name >}}"),
                        },
                        range,
                    ),
                }
            }
        }
    }

    fn open(&mut self, call: Call, syntax: Syntax, range: Range<usize>) {
        self.stack.push(Open {
            call,
            syntax,
            start: range.start,
            body_start: range.end,
            children: Vec::new(),
        });
    }

    /// Close the open call at stack index `i` with the tag at `range`; Hugo calls
    /// opened after it had no closing tag, so they are inline calls.
    fn close(&mut self, i: usize, range: Range<usize>) {
        while self.stack.len() > i + 1 {
            self.unwind_top();
        }
        let Some(open) = self.stack.pop() else {
            return;
        };
        let node = Node {
            range: open.start..range.end,
            kind: Kind::Call {
                call: open.call,
                syntax: open.syntax,
                body: Some(open.body_start..range.start),
            },
            children: open.children,
        };
        self.children().push(node);
    }

    /// The top open call never closed: a Hugo call is inline (its would-be body
    /// is ordinary text again); a Zola body call is an error.
    fn unwind_top(&mut self) {
        let Some(open) = self.stack.pop() else {
            return;
        };
        let range = open.start..open.body_start;
        let kind = match open.syntax {
            Syntax::Hugo => call_kind(open.call, Syntax::Hugo),
            Syntax::Zola => Kind::Bad {
                message: format!(
                    "the shortcode `{}` has a body but no `{{% end %}}` after it",
                    open.call.name
                ),
                at: open.start,
                hint: Some("add {% end %} on its own line after the body"),
            },
        };
        self.leaf(kind, range);
        let children = open.children;
        self.children().extend(children);
    }

    fn finish(mut self, _body: &str) -> Vec<Node> {
        while !self.stack.is_empty() {
            self.unwind_top();
        }
        self.root
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nodes(body: &str) -> Vec<Node> {
        parse(body, &code_ranges(body, Options::empty()))
    }

    fn names(nodes: &[Node]) -> Vec<String> {
        nodes
            .iter()
            .map(|n| match &n.kind {
                Kind::Call { call, body, .. } => {
                    format!("{}{}", call.name, if body.is_some() { "{}" } else { "" })
                }
                Kind::Literal(t) => format!("lit:{t}"),
                Kind::Bad { message, .. } => format!("bad:{message}"),
                Kind::Unknown(t) => format!("unknown:{t}"),
                Kind::Lookup(p) => format!("lookup:{p}"),
                Kind::Link { target, .. } => format!("link:{target}"),
                Kind::Code { lang, .. } => format!("code:{lang}"),
            })
            .collect()
    }

    #[test]
    fn forms_and_nesting() {
        let body =
            "a {{ x(n=1) }} b\n\n{% outer() %}\n{% inner(k=\"v\") %}hi{% end %}\n{% end %}\n";
        let n = nodes(body);
        assert_eq!(names(&n), ["x", "outer{}"]);
        assert_eq!(names(&n[1].children), ["inner{}"]);
        let Kind::Call { body: Some(r), .. } = &n[1].children[0].kind else {
            panic!()
        };
        assert_eq!(&body[r.clone()], "hi");
    }

    #[test]
    fn hugo_inline_and_body() {
        let n = nodes("{{< yt abc >}} and {{% note %}}*b*{{% /note %}} {{< fig />}}");
        assert_eq!(names(&n), ["yt", "note{}", "fig"]);
        // An open Hugo call with no closing tag is inline; what followed is text.
        let n = nodes("{{< a >}} {{< b >}}x{{< /b >}}");
        assert_eq!(names(&n), ["a", "b{}"]);
    }

    #[test]
    fn code_is_skipped() {
        let n = nodes("`{{ x() }}`\n\n```\n{{ y() }}\n```\n\n    {{ z() }}\n\n{{ w() }}\n");
        assert_eq!(names(&n), ["w"]);
    }

    #[test]
    fn escapes_and_liquid() {
        let n = nodes("{{/* x(a=1) */}} {%/* end */%} {{</* yt */>}} {% raw %}{{ q }}{% endraw %} {{ site.title }} {% include a.html %} {% link x.md %}");
        assert_eq!(
            names(&n),
            [
                "lit:{{ x(a=1) }}",
                "lit:{% end %}",
                "lit:{{< yt >}}",
                "lit:{{ q }}",
                "lookup:site.title",
                "unknown:{% include a.html %}",
                "link:x.md"
            ]
        );
    }

    #[test]
    fn unclosed_and_stray() {
        let n = nodes("{% a() %} text");
        assert_eq!(
            names(&n),
            ["bad:the shortcode `a` has a body but no `{% end %}` after it"]
        );
        let n = nodes("{% end %}");
        assert_eq!(names(&n), ["bad:this `{% end %}` closes no shortcode"]);
        let deep = "{% a() %}".repeat(40) + &"{% end %}".repeat(40);
        let n = nodes(&deep);
        assert!(matches!(n[0].kind, Kind::Call { .. }));
    }
}

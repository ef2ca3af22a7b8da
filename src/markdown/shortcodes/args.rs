//! Shortcode calls as written: Zola's `name(k="v", n=3, on=true, list=["a"])` and
//! Hugo's `name "positional" k="v"`, parsed into a name and typed arguments.
//!
//! Takes the text just after the opening delimiter (`{{`, `{%`, `{{<`, `{{%`);
//! gives a [`Call`] and the offset where the closing delimiter starts, or an
//! [`ArgError`] at the byte that is wrong. Strings keep their quotes' meaning
//! (Zola: no escapes, like Zola; Hugo: `\"` inside `"…"`), numbers and booleans
//! are typed, and an unquoted `2027-05-01` is a date string.
//!
//! Forgiving where the peers are: arguments without a comma between them
//! (Zola's grammar allows `a="x" b="y"`), a name given twice (Zola and Hugo keep
//! the last), and a quote inside text quoted with the same mark (`'it's'`, which
//! Zola cannot parse and so prints the whole call as text) are read, the last two
//! with an [`ArgNote`] that the expander turns into a warning.

use serde_json::Value;

/// One argument: its name (`_0`, `_1`… for Hugo's positional ones), value and
/// the offset of its first byte in the text given to the parser.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub name: String,
    pub value: Value,
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: Vec<Arg>,
    /// Offset of the first byte after the call (where `}}` or `%}` should be).
    pub end: usize,
    /// What was read but is worth a warning (a repeated name, a stray quote).
    pub notes: Vec<ArgNote>,
}

/// A warning about how a call was written, at a byte of the parser's text.
#[derive(Debug, Clone, PartialEq)]
pub struct ArgNote {
    pub offset: usize,
    pub message: String,
    pub hint: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ArgError {
    pub offset: usize,
    pub message: String,
}

struct Lexer<'a> {
    s: &'a str,
    at: usize,
    notes: Vec<ArgNote>,
}

impl<'a> Lexer<'a> {
    fn peek(&self) -> Option<char> {
        self.s[self.at..].chars().next()
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            if !c.is_whitespace() {
                break;
            }
            self.at += c.len_utf8();
        }
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.at += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn error<T>(&self, message: impl Into<String>) -> Result<T, ArgError> {
        Err(ArgError {
            offset: self.at,
            message: message.into(),
        })
    }

    fn ident(&mut self) -> Option<&'a str> {
        let start = self.at;
        while let Some(c) = self.peek() {
            let ok = if self.at == start {
                c.is_alphabetic() || c == '_'
            } else {
                c.is_alphanumeric() || c == '_' || c == '-'
            };
            if !ok {
                break;
            }
            self.at += c.len_utf8();
        }
        (self.at > start).then(|| &self.s[start..self.at])
    }

    /// A quoted string starting at the quote; Hugo's `"…"` honours `\"`.
    fn quoted(&mut self, escapes: bool) -> Result<String, ArgError> {
        let start = self.at;
        let Some(q) = self.peek() else {
            return self.error("expected a value");
        };
        self.at += 1;
        let mut out = String::new();
        while let Some(c) = self.peek() {
            self.at += c.len_utf8();
            if c == q {
                return Ok(out);
            }
            if escapes && q == '"' && c == '\\' {
                if let Some(n) = self.peek() {
                    self.at += n.len_utf8();
                    out.push(match n {
                        'n' => '\n',
                        't' => '\t',
                        other => other,
                    });
                    continue;
                }
            }
            out.push(c);
        }
        Err(ArgError {
            offset: start,
            message: format!("this text has no closing {q}"),
        })
    }

    /// Does what follows end a Zola argument: `,`, `)`, or the next `name=`
    /// (arguments without a comma between them)?
    fn ends_argument(&self) -> bool {
        let rest = self.s[self.at..].trim_start();
        if rest.starts_with([',', ')']) {
            return true;
        }
        let mut probe = Lexer {
            s: rest,
            at: 0,
            notes: Vec::new(),
        };
        probe.ident().is_some() && {
            probe.skip_ws();
            probe.eat('=')
        }
    }

    /// A Zola text whose closing quote was followed by something that cannot
    /// follow an argument (`'Quan s'utilitza…'`): read on to a later quote mark
    /// after which the argument does end, and note it. `start` is the opening
    /// quote; `None` (the lexer unmoved) when no such quote exists.
    fn quote_inside(&mut self, start: usize) -> Option<String> {
        let q = self.s[start..].chars().next()?;
        let first_end = self.at;
        let tail = &self.s[first_end..];
        let limit = first_end
            + ["}}", "%}"]
                .iter()
                .filter_map(|d| tail.find(d))
                .min()
                .unwrap_or(tail.len());
        let mut at = first_end;
        while let Some(i) = self.s[at..limit].find(q) {
            self.at = at + i + q.len_utf8();
            if self.ends_argument() {
                let text = self.s[start + 1..self.at - 1].to_string();
                self.notes.push(ArgNote {
                    offset: first_end - 1,
                    message: format!(
                        "this text has a {q} inside text quoted with {q}; Zola would end the text here and show the whole shortcode as written"
                    ),
                    hint: format!(
                        "Follicle read it up to the last {q}; quote it with another mark so every tool reads it the same: \"{}\" or `…`",
                        text.chars().take(40).collect::<String>()
                    ),
                });
                return Some(text);
            }
            at = self.at;
        }
        self.at = first_end;
        None
    }

    /// A bare word up to whitespace, `,`, `)`, `]` or a closing delimiter.
    fn bare(&mut self) -> &'a str {
        let start = self.at;
        while let Some(c) = self.peek() {
            if c.is_whitespace() || matches!(c, ',' | ')' | ']' | '(' | '[' | '=') {
                break;
            }
            let rest = &self.s[self.at..];
            if rest.starts_with("}}") || rest.starts_with("%}") || rest.starts_with(">}}") {
                break;
            }
            self.at += c.len_utf8();
        }
        &self.s[start..self.at]
    }
}

/// The value of an unquoted word: a boolean, a number, a date (kept as text), or
/// `None` when it is none of these.
fn typed(word: &str) -> Option<Value> {
    match word {
        "true" => return Some(Value::Bool(true)),
        "false" => return Some(Value::Bool(false)),
        _ => {}
    }
    if let Ok(i) = word.parse::<i64>() {
        return Some(Value::from(i));
    }
    if word.contains('.') && !word.ends_with('.') && !word.starts_with('.') {
        if let Ok(f) = word.parse::<f64>() {
            if f.is_finite() {
                return Some(Value::from(f));
            }
        }
    }
    if word.parse::<jiff::civil::Date>().is_ok() && word.len() == 10 {
        return Some(Value::String(word.to_string()));
    }
    None
}

/// Zola: `name(key=value, …)`, the text starting at the name.
pub fn parse_zola(s: &str) -> Result<Call, ArgError> {
    let mut lx = Lexer {
        s,
        at: 0,
        notes: Vec::new(),
    };
    lx.skip_ws();
    let Some(name) = lx.ident() else {
        return lx.error("expected the shortcode's name");
    };
    let name = name.to_string();
    lx.skip_ws();
    if !lx.eat('(') {
        return lx.error(format!("expected `(` after `{name}`"));
    }
    let mut args: Vec<Arg> = Vec::new();
    loop {
        lx.skip_ws();
        if lx.eat(')') {
            break;
        }
        let offset = lx.at;
        let Some(key) = lx.ident() else {
            return lx.error("expected an argument name, such as kind=\"urgent\"");
        };
        let key = key.to_string();
        lx.skip_ws();
        if !lx.eat('=') {
            return lx.error(format!("expected `=` after `{key}`"));
        }
        lx.skip_ws();
        let value = zola_value(&mut lx, 0)?;
        push_arg(&mut args, &mut lx.notes, key, value, offset);
        lx.skip_ws();
        if lx.eat(',') {
            continue;
        }
        lx.skip_ws();
        if lx.eat(')') {
            break;
        }
        if lx.ends_argument() {
            continue; // `a="x" b="y"`: Zola's grammar needs no comma here
        }
        return match lx.peek() {
            None => lx.error("expected `)` to close the arguments"),
            Some(_) => lx.error("expected `,` between arguments or `)` after the last one"),
        };
    }
    lx.skip_ws();
    Ok(Call {
        name,
        args,
        end: lx.at,
        notes: lx.notes,
    })
}

fn zola_value(lx: &mut Lexer<'_>, depth: usize) -> Result<Value, ArgError> {
    match lx.peek() {
        Some('"' | '\'' | '`') => {
            let start = lx.at;
            let text = lx.quoted(false)?;
            if depth == 0 && !lx.ends_argument() {
                if let Some(longer) = lx.quote_inside(start) {
                    return Ok(Value::String(longer));
                }
            }
            Ok(Value::String(text))
        }
        Some('[') if depth < 8 => {
            lx.at += 1;
            let mut items = Vec::new();
            loop {
                lx.skip_ws();
                if lx.eat(']') {
                    return Ok(Value::Array(items));
                }
                items.push(zola_value(lx, depth + 1)?);
                lx.skip_ws();
                if lx.eat(',') {
                    continue;
                }
                if lx.eat(']') {
                    return Ok(Value::Array(items));
                }
                return lx.error("expected `,` or `]` in the list");
            }
        }
        _ => {
            let start = lx.at;
            let word = lx.bare();
            if word.is_empty() {
                return lx.error("expected a value: \"text\", a number, true, false or a [list]");
            }
            typed(word).ok_or(ArgError {
                offset: start,
                message: format!("`{word}` is not a value; put text in quotes: \"{word}\""),
            })
        }
    }
}

/// Hugo: `name "positional" key="value" key=value`, up to `close` (`>}}` or
/// `%}}`, or `/>}}` for a self-closing call, which the caller checks for).
pub fn parse_hugo(s: &str) -> Result<Call, ArgError> {
    let mut lx = Lexer {
        s,
        at: 0,
        notes: Vec::new(),
    };
    lx.skip_ws();
    let Some(name) = lx.ident() else {
        return lx.error("expected the shortcode's name");
    };
    let name = name.to_string();
    let mut args: Vec<Arg> = Vec::new();
    let mut positional = 0usize;
    loop {
        lx.skip_ws();
        let rest = &lx.s[lx.at..];
        if rest.is_empty()
            || rest.starts_with(">}}")
            || rest.starts_with("%}}")
            || rest.starts_with("/>}}")
            || rest.starts_with("/%}}")
        {
            break;
        }
        let offset = lx.at;
        let (key, value) = match lx.peek() {
            Some('"' | '`') => (None, Value::String(lx.quoted(true)?)),
            _ => {
                let word = lx.bare();
                if word.is_empty() {
                    return lx.error("unexpected character in the arguments");
                }
                if lx.eat('=') {
                    let v = match lx.peek() {
                        Some('"' | '`') => Value::String(lx.quoted(true)?),
                        _ => {
                            let w = lx.bare();
                            typed(w).unwrap_or_else(|| Value::String(w.to_string()))
                        }
                    };
                    (Some(word.to_string()), v)
                } else {
                    (
                        None,
                        typed(word).unwrap_or_else(|| Value::String(word.to_string())),
                    )
                }
            }
        };
        let key = key.unwrap_or_else(|| {
            positional += 1;
            format!("_{}", positional - 1)
        });
        push_arg(&mut args, &mut lx.notes, key, value, offset);
    }
    Ok(Call {
        name,
        args,
        end: lx.at,
        notes: lx.notes,
    })
}

/// Add an argument. A name given twice keeps its last value, as Zola (a map
/// insert) and Hugo (a map assignment) do, with a note naming what was dropped.
fn push_arg(
    args: &mut Vec<Arg>,
    notes: &mut Vec<ArgNote>,
    name: String,
    value: Value,
    offset: usize,
) {
    if let Some(old) = args.iter_mut().find(|a| a.name == name) {
        notes.push(ArgNote {
            offset,
            message: format!(
                "`{name}` is given twice; the last value, {}, is used and the first, {}, is dropped (as Zola and Hugo do)",
                value, old.value
            ),
            hint: format!("remove one of the two `{name}=`"),
        });
        old.value = value;
        old.offset = offset;
        return;
    }
    args.push(Arg {
        name,
        value,
        offset,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn values(c: &Call) -> Vec<(String, Value)> {
        c.args
            .iter()
            .map(|a| (a.name.clone(), a.value.clone()))
            .collect()
    }

    #[test]
    fn zola_arguments_are_typed() {
        let c = parse_zola(
            r#"name(k="v", s='x', r=`a"b`, n=3, f=-1.5, on=true, off=false, d=2027-05-01, list=["a", 2, [true]]) }}"#,
        )
        .unwrap();
        assert_eq!(c.name, "name");
        assert_eq!(
            values(&c),
            vec![
                ("k".into(), json!("v")),
                ("s".into(), json!("x")),
                ("r".into(), json!("a\"b")),
                ("n".into(), json!(3)),
                ("f".into(), json!(-1.5)),
                ("on".into(), json!(true)),
                ("off".into(), json!(false)),
                ("d".into(), json!("2027-05-01")),
                ("list".into(), json!(["a", 2, [true]])),
            ]
        );
        assert!(c.name.len() < c.end);
        assert_eq!(
            &r#"name(k="v", s='x', r=`a"b`, n=3, f=-1.5, on=true, off=false, d=2027-05-01, list=["a", 2, [true]]) }}"#
                [c.end..],
            "}}"
        );
    }

    #[test]
    fn zola_errors_point_at_the_byte() {
        let e = parse_zola("callout(kind urgent) }}").unwrap_err();
        assert_eq!(e.message, "expected `=` after `kind`");
        assert_eq!(e.offset, 13);
        let e = parse_zola("callout(kind=urgent) }}").unwrap_err();
        assert_eq!(
            e.message,
            "`urgent` is not a value; put text in quotes: \"urgent\""
        );
        let e = parse_zola("callout(kind=\"urgent) }}").unwrap_err();
        assert_eq!(e.message, "this text has no closing \"");
        let e = parse_zola("callout }}").unwrap_err();
        assert_eq!(e.message, "expected `(` after `callout`");
        let e = parse_zola("x(a=1 \"b\") }}").unwrap_err();
        assert_eq!(
            e.message,
            "expected `,` between arguments or `)` after the last one"
        );
    }

    #[test]
    fn zola_forgives_what_zola_reads() {
        // No comma between arguments: Zola's grammar allows it.
        let c = parse_zola(r#"img(src="a.webp" alt="A tower", wide=true) }}"#).unwrap();
        assert_eq!(
            values(&c),
            vec![
                ("src".into(), json!("a.webp")),
                ("alt".into(), json!("A tower")),
                ("wide".into(), json!(true)),
            ]
        );
        assert!(c.notes.is_empty());
        // A name given twice: the last value wins, with a note at the second.
        let c = parse_zola("x(a=1, a=2) }}").unwrap();
        assert_eq!(values(&c), vec![("a".into(), json!(2))]);
        assert_eq!(c.notes.len(), 1);
        assert_eq!(c.notes[0].offset, 7);
        assert_eq!(
            c.notes[0].message,
            "`a` is given twice; the last value, 2, is used and the first, 1, is dropped (as Zola and Hugo do)"
        );
    }

    #[test]
    fn zola_apostrophe_inside_single_quotes_is_read_with_a_note() {
        let s = "note(kind=\"tip\", text='Quan s'utilitza l'arxiu, mira', n=2) }}";
        let c = parse_zola(s).unwrap();
        assert_eq!(
            values(&c),
            vec![
                ("kind".into(), json!("tip")),
                ("text".into(), json!("Quan s'utilitza l'arxiu, mira")),
                ("n".into(), json!(2)),
            ]
        );
        assert_eq!(&s[c.end..], "}}");
        assert_eq!(c.notes.len(), 1);
        assert_eq!(c.notes[0].offset, s.find("s'").unwrap() + 1);
        assert!(c.notes[0].message.contains("a ' inside text quoted with '"));
        // The same with the last argument, and with a double quote.
        let c = parse_zola(r#"q(t="say "hi" now") }}"#).unwrap();
        assert_eq!(values(&c), vec![("t".into(), json!("say \"hi\" now"))]);
        // A quote with no later end is still the plain error.
        let e = parse_zola("q(t='it's) }}").unwrap_err();
        assert_eq!(
            e.message,
            "expected `,` between arguments or `)` after the last one"
        );
    }

    #[test]
    fn hugo_positional_and_named() {
        let c = parse_hugo(r#"youtube "abc\"d" 3 on >}}"#).unwrap();
        assert_eq!(
            values(&c),
            vec![
                ("_0".into(), json!("abc\"d")),
                ("_1".into(), json!(3)),
                ("_2".into(), json!("on")),
            ]
        );
        // Hugo keeps the last of a repeated name (its params are a map).
        let c = parse_hugo(r#"qr dir="codes" scale=3 dir="images/qr" />}}"#).unwrap();
        assert_eq!(
            values(&c),
            vec![
                ("dir".into(), json!("images/qr")),
                ("scale".into(), json!(3))
            ]
        );
        assert_eq!(c.notes.len(), 1);
        assert!(c.notes[0].message.starts_with("`dir` is given twice"));
        let c = parse_hugo(r#"figure src="/a.png" alt=`x` width=300 />}}"#).unwrap();
        assert_eq!(
            values(&c),
            vec![
                ("src".into(), json!("/a.png")),
                ("alt".into(), json!("x")),
                ("width".into(), json!(300)),
            ]
        );
        assert_eq!(
            &r#"figure src="/a.png" alt=`x` width=300 />}}"#[c.end..],
            "/>}}"
        );
    }
}

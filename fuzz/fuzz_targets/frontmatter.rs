//! Decode, split and parse front matter from arbitrary bytes.
//! Properties: no panic; split pieces are slices of the text; every error
//! points at a line of the file.
#![no_main]

use follicle::content::{decode, frontmatter};
use follicle::parse::locate_key;
use libfuzzer_sys::fuzz_target;

const FILE: &str = "content/fuzz.md";

fuzz_target!(|data: &[u8]| {
    let text = match decode(data.to_vec(), FILE) {
        Ok(t) => t,
        Err(d) => {
            assert!(d.line >= 1, "decode error without a line: {d}");
            return;
        }
    };
    assert!(!text.contains('\r'), "CR survived decoding");
    let lines = text.lines().count().max(1);
    let split = match frontmatter::split(&text, FILE) {
        Ok(s) => s,
        Err(d) => {
            assert!(d.line >= 1 && d.line <= lines + 1, "split error at {d}");
            return;
        }
    };
    let within = |s: &str| {
        if s.is_empty() {
            return true;
        }
        let (start, end) = (text.as_ptr() as usize, text.as_ptr() as usize + text.len());
        let p = s.as_ptr() as usize;
        p >= start && p + s.len() <= end
    };
    assert!(within(split.front) && within(split.body));
    assert!(split.body_line >= split.front_line);
    match frontmatter::parse(&split, FILE) {
        Ok(_) => {}
        Err(diags) => {
            assert!(!diags.is_empty(), "a failed parse with no message");
            for d in diags {
                assert!(d.line >= 1, "parse error without a line: {d}");
                assert!(
                    d.line <= lines + 1,
                    "parse error past the end ({lines} lines): {d}"
                );
                let _ = d.to_string();
            }
        }
    }
    let (line, column) = locate_key(split.front, "title", split.front_line);
    assert!(line >= split.front_line && column >= 1, "title at {line}:{column}");
});

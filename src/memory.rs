//! What the binary's allocator needs to explain a failure: the largest page
//! read so far (for "out of memory"), and the template a thread is rendering
//! (for a template that grows a value without bound).
//!
//! The binary's allocator (src/main.rs) prints a message instead of aborting
//! silently when an allocation fails; it reads [`with_largest`] then, so the
//! reading side takes no lock it could wait on and allocates nothing.

use std::sync::Mutex;

/// Longer file names are cut (at a character boundary).
const MAX_NAME: usize = 240;

struct Largest {
    name: Name,
    bytes: u64,
}

static LARGEST: Mutex<Largest> = Mutex::new(Largest {
    name: Name::EMPTY,
    bytes: 0,
});

/// Note a page's source file (as shown in messages) and its size in bytes.
pub fn saw_page(file: &str, bytes: u64) {
    let Ok(mut l) = LARGEST.lock() else {
        return;
    };
    if l.name.len > 0 && bytes <= l.bytes {
        return;
    }
    l.name.set(file);
    l.bytes = bytes;
}

/// Call `f` with the largest page read so far (file, bytes), if any and if
/// no other thread is noting one this instant. Allocates nothing.
pub fn with_largest(f: impl FnOnce(&str, u64)) {
    let Ok(l) = LARGEST.try_lock() else {
        return;
    };
    if l.name.len > 0 {
        f(l.name.as_str(), l.bytes);
    }
}

/// The largest single value a template may make while it renders (bytes):
/// four times the largest output file (`render::MAX_OUTPUT_BYTES`, 64 MiB).
/// A template that doubles a string in a loop (`set_global s = s ~ s`) asks
/// for more long before it fills the memory; the binary's allocator stops the
/// build then with a message naming the template (see [`with_rendering`]).
pub const MAX_TEMPLATE_VALUE: usize = 256 << 20;

/// A name kept in a fixed buffer (cut at a character boundary).
#[derive(Clone, Copy)]
struct Name {
    bytes: [u8; MAX_NAME],
    len: usize,
}

impl Name {
    const EMPTY: Name = Name {
        bytes: [0; MAX_NAME],
        len: 0,
    };

    fn set(&mut self, text: &str) {
        let mut len = text.len().min(MAX_NAME);
        while !text.is_char_boundary(len) {
            len -= 1;
        }
        self.bytes[..len].copy_from_slice(&text.as_bytes()[..len]);
        self.len = len;
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("?")
    }
}

thread_local! {
    /// The template file and the page this thread is rendering, while it does.
    static RENDERING: std::cell::RefCell<Option<(Name, Name)>> =
        const { std::cell::RefCell::new(None) };
}

/// While alive, this thread is rendering a page (see [`rendering`]).
pub struct Rendering(());

/// Note that this thread renders `source` with `template` (both as shown in
/// messages) until the guard is dropped.
pub fn rendering(template: &str, source: &str) -> Rendering {
    let _ = RENDERING.try_with(|r| {
        if let Ok(mut r) = r.try_borrow_mut() {
            let (mut t, mut s) = (Name::EMPTY, Name::EMPTY);
            t.set(template);
            s.set(source);
            *r = Some((t, s));
        }
    });
    Rendering(())
}

impl Drop for Rendering {
    fn drop(&mut self) {
        let _ = RENDERING.try_with(|r| {
            if let Ok(mut r) = r.try_borrow_mut() {
                *r = None;
            }
        });
    }
}

/// Call `f` with (template, page) if this thread is rendering one. Allocates
/// nothing (for the allocator).
pub fn with_rendering(f: impl FnOnce(&str, &str)) {
    let _ = RENDERING.try_with(|r| {
        if let Ok(r) = r.try_borrow() {
            if let Some((t, s)) = r.as_ref() {
                f(t.as_str(), s.as_str());
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_largest_and_cuts_long_names_at_a_character() {
        saw_page("content/a.md", 10);
        saw_page("content/b.md", 30);
        saw_page("content/c.md", 20);
        let mut seen = (String::new(), 0);
        with_largest(|f, b| seen = (f.to_string(), b));
        assert_eq!(seen, ("content/b.md".to_string(), 30));
        let long = "é".repeat(200);
        saw_page(&long, 40);
        with_largest(|f, b| seen = (f.to_string(), b));
        assert_eq!(seen.1, 40);
        assert!(seen.0.len() <= MAX_NAME && long.starts_with(&seen.0));
    }
}

#[cfg(test)]
mod rendering_tests {
    use super::*;

    #[test]
    fn the_rendering_note_lives_as_long_as_its_guard_and_on_its_thread() {
        let seen = || {
            let mut got = None;
            with_rendering(|t, s| got = Some((t.to_string(), s.to_string())));
            got
        };
        assert_eq!(seen(), None);
        let template = String::from("themes/x/templates/page.html");
        {
            let _g = rendering(&template, "content/a.md");
            assert_eq!(seen(), Some((template.clone(), "content/a.md".to_string())));
            assert_eq!(std::thread::spawn(seen).join().unwrap(), None);
        }
        assert_eq!(seen(), None);
    }
}

//! What the out-of-memory message names: the largest page read so far.
//!
//! The binary's allocator (src/main.rs) prints a message instead of aborting
//! silently when an allocation fails; it reads [`with_largest`] then, so the
//! reading side takes no lock it could wait on and allocates nothing.

use std::sync::Mutex;

/// Longer file names are cut (at a character boundary).
const MAX_NAME: usize = 240;

struct Largest {
    name: [u8; MAX_NAME],
    len: usize,
    bytes: u64,
}

static LARGEST: Mutex<Largest> = Mutex::new(Largest {
    name: [0; MAX_NAME],
    len: 0,
    bytes: 0,
});

/// Note a page's source file (as shown in messages) and its size in bytes.
pub fn saw_page(file: &str, bytes: u64) {
    let Ok(mut l) = LARGEST.lock() else {
        return;
    };
    if l.len > 0 && bytes <= l.bytes {
        return;
    }
    let mut len = file.len().min(MAX_NAME);
    while !file.is_char_boundary(len) {
        len -= 1;
    }
    l.name[..len].copy_from_slice(&file.as_bytes()[..len]);
    l.len = len;
    l.bytes = bytes;
}

/// Call `f` with the largest page read so far (file, bytes), if any and if
/// no other thread is noting one this instant. Allocates nothing.
pub fn with_largest(f: impl FnOnce(&str, u64)) {
    let Ok(l) = LARGEST.try_lock() else {
        return;
    };
    if l.len > 0 {
        if let Ok(name) = std::str::from_utf8(&l.name[..l.len]) {
            f(name, l.bytes);
        }
    }
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

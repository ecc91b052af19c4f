//! The code stays readable: every source file (src/ and kernels/src/) opens with a `//!` line, no function is longer than 60 lines, the README maps every file.

use std::path::{Path, PathBuf};

const LONGEST_FUNCTION: usize = 60;
/// The comment that allows a longer function: one that is a table of data (strings, say).
const DATA_TABLE: &str = "// long: data table";

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    // The main crate and the kernel crate (rnn-kernels, a workspace member beside it).
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("kernels/src"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// The code of one line with string and char literals and `//` comments blanked out, so that
/// only real braces are counted.
fn code_only(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => break,
            '"' => {
                while let Some(s) = chars.next() {
                    match s {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
                out.push_str("\"\"");
            }
            '\'' => {
                // A char literal ('{', '\n') or a lifetime ('a): skip a literal only.
                let rest: String = chars.clone().take(3).collect();
                if rest.starts_with('\\') || rest.chars().nth(1) == Some('\'') {
                    for s in chars.by_ref() {
                        if s == '\'' {
                            break;
                        }
                    }
                }
                out.push('\'');
            }
            _ => out.push(c),
        }
    }
    out
}

fn is_fn_start(code: &str) -> bool {
    let t = code.trim_start();
    let t = t.strip_prefix("pub(crate) ").or_else(|| t.strip_prefix("pub ")).unwrap_or(t);
    let t = t.strip_prefix("const ").unwrap_or(t);
    let t = t.strip_prefix("unsafe ").unwrap_or(t);
    t.starts_with("fn ")
}

/// (name, first line, length in lines) of every function with a body. Multi-line strings are
/// rare here, and raw strings absent, so a line-by-line scan is enough.
fn functions(source: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<String> = source.lines().map(code_only).collect();
    let mut found = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        if !is_fn_start(line) || source.lines().nth(start.saturating_sub(1)).is_some_and(|l| l.contains(DATA_TABLE)) {
            continue;
        }
        let name = line.trim_start().split("fn ").nth(1).unwrap_or("").split(['(', '<']).next().unwrap().to_string();
        let (mut depth, mut opened) = (0i64, false);
        for (end, l) in lines.iter().enumerate().skip(start) {
            if !opened && l.contains(';') && !l.contains('{') {
                break; // a declaration without a body
            }
            for c in l.chars() {
                match c {
                    '{' => (depth, opened) = (depth + 1, true),
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            if opened && depth == 0 {
                found.push((name.clone(), start + 1, end - start + 1));
                break;
            }
        }
    }
    found
}

#[test]
fn no_function_is_longer_than_sixty_lines() {
    let mut long = Vec::new();
    for (file, source) in sources() {
        for (name, line, len) in functions(&source) {
            if len > LONGEST_FUNCTION {
                long.push(format!("{file}:{line} {name} is {len} lines"));
            }
        }
    }
    assert!(long.is_empty(), "split these (or mark a pure data table with `{DATA_TABLE}`):\n{}", long.join("\n"));
}

#[test]
fn the_length_count_sees_real_functions() {
    let source = "fn a() {\n    let s = \"}\";\n    if true {\n    }\n}\nfn b();\n";
    assert_eq!(functions(source), vec![("a".to_string(), 1, 5)]);
}

#[test]
fn every_source_file_opens_with_a_one_line_summary() {
    for (file, source) in sources() {
        assert!(source.starts_with("//! "), "{file} must open with a `//!` line saying what it is for");
    }
}

#[test]
fn the_readmes_file_map_names_every_source_file() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let map = readme.split("## Files").nth(1).expect("the README has a Files section");
    // The map is a tree: each file is named under its folders, each folder once.
    for (file, _) in sources() {
        for part in file.split('/') {
            let named = map.contains(&format!("{part}/")) || map.contains(&format!("{part} "));
            assert!(named, "the README's Files section does not mention {part} (of {file})");
        }
    }
}

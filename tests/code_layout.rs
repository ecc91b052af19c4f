//! The code stays readable: every source file (src/ and kernels/src/) opens with a `//!` line, no function is longer than 60 lines, the README maps every file.

use std::collections::{BTreeMap, BTreeSet};
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

/// The words of some code (identifiers, `::` and single characters), whitespace dropped.
fn tokens(code: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            let mut word = c.to_string();
            while let Some(&n) = chars.peek().filter(|n| n.is_alphanumeric() || **n == '_') {
                word.push(n);
                chars.next();
            }
            out.push(word);
        } else if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            out.push("::".into());
        } else if !c.is_whitespace() {
            out.push(c.to_string());
        }
    }
    out
}

/// The tokens from `start` past the end of the item that begins there: its `;`, or the `}`
/// that closes its first `{`.
fn end_of_item(t: &[String], start: usize) -> usize {
    let mut depth = 0;
    for (k, tok) in t.iter().enumerate().skip(start) {
        match tok.as_str() {
            ";" if depth == 0 => return k + 1,
            "{" => depth += 1,
            "}" if depth == 1 => return k + 1,
            "}" => depth -= 1,
            _ => {}
        }
    }
    t.len()
}

/// The first name of a path that starts at `t[k]` (`name` or `{a::x, b}`, whose names it all takes).
fn first_names(t: &[String], k: usize) -> Vec<String> {
    match t.get(k).map(String::as_str) {
        Some("{") => {
            let (mut names, mut depth, mut take) = (Vec::new(), 0, true);
            for tok in &t[k..] {
                match tok.as_str() {
                    "{" => depth += 1,
                    "}" if depth == 1 => break,
                    "}" => depth -= 1,
                    "," if depth == 1 => take = true,
                    word if take && depth == 1 && word.starts_with(|c: char| c.is_alphabetic() || c == '_') => {
                        names.push(word.to_string());
                        take = false;
                    }
                    _ => {}
                }
            }
            names
        }
        Some(word) if word.starts_with(|c: char| c.is_alphabetic() || c == '_') => vec![word.to_string()],
        _ => Vec::new(),
    }
}

/// The crate-level names that a file of the kernel crate refers to: `use crate::x`, `crate::x::`
/// (also as `$crate::x::` in a macro), `super::x` where it leaves the file's module (`nesting`:
/// how many modules deep the file is, 0 for kernels/src/x.rs), and in lib.rs `use x::`. Comments
/// and strings do not count (doc links are not imports), nor `#[cfg(test)]` items.
fn crate_references(source: &str, nesting: usize, is_root: bool) -> Vec<String> {
    let code: Vec<String> = source.lines().map(code_only).collect();
    let t = tokens(&code.join("\n"));
    let (mut names, mut mods, mut depth, mut k) = (Vec::new(), Vec::new(), 0usize, 0);
    while k < t.len() {
        let at = |d: usize| t.get(k + d).map(String::as_str);
        match t[k].as_str() {
            "#" if (1..=6).map(at).eq(["[", "cfg", "(", "test", ")", "]"].map(Some)) => {
                k = end_of_item(&t, k + 7);
                continue;
            }
            "mod" if at(2) == Some("{") => {
                mods.push(depth + 1);
            }
            "{" => depth += 1,
            "}" => {
                if mods.last() == Some(&depth) {
                    mods.pop();
                }
                depth = depth.saturating_sub(1);
            }
            "crate" if at(1) == Some("::") => names.extend(first_names(&t, k + 2)),
            "use" if is_root => names.extend(first_names(&t, k + 1)),
            "super" if k == 0 || t[k - 1] != "::" => {
                let mut levels = 0;
                while at(2 * levels) == Some("super") && at(2 * levels + 1) == Some("::") {
                    levels += 1;
                }
                if levels > mods.len() + nesting {
                    names.extend(first_names(&t, k + 2 * levels));
                }
            }
            _ => {}
        }
        k += 1;
    }
    names
}

/// Which modules each module imports.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// The kernel crate's modules (by file: kernels/src/x.rs and kernels/src/x/… are `x`, lib.rs is
/// `lib`) and, for each, the modules its code refers to (a name that is no module is lib's).
fn kernel_module_graph() -> Graph {
    let files: Vec<(Vec<String>, String)> = sources()
        .into_iter()
        .filter_map(|(name, source)| {
            let rest = name.strip_prefix("kernels/src/")?.strip_suffix(".rs")?;
            Some((rest.split('/').map(str::to_string).collect(), source))
        })
        .collect();
    let module_of = |path: &[String]| if path == ["lib"] { "lib".to_string() } else { path[0].clone() };
    let modules: BTreeSet<String> = files.iter().map(|(path, _)| module_of(path)).collect();
    let mut graph = BTreeMap::new();
    for (path, source) in &files {
        let module = module_of(path);
        // kernels/src/x/mod.rs is module x itself; kernels/src/x/y.rs is x::y, one deeper.
        let nesting = path.len() - if path.last().is_some_and(|p| p == "mod") { 2 } else { 1 };
        let uses: &mut BTreeSet<String> = graph.entry(module.clone()).or_default();
        for name in crate_references(source, nesting, module == "lib") {
            let target = if modules.contains(&name) { name } else { "lib".to_string() };
            if target != module {
                uses.insert(target);
            }
        }
    }
    graph
}

/// A cycle of the graph as `a → b → … → a`, if there is one.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit<'a>(
        node: &'a str,
        graph: &'a Graph,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|&n| n == node) {
            return Some(path[at..].iter().chain([&node]).map(|n| n.to_string()).collect());
        }
        if !done.insert(node) {
            return None;
        }
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_import_scan_sees_paths_groups_macros_and_super_but_not_tests_or_comments() {
    let source = "//! [`crate::doc`]\nuse crate::{a::x, b};\nuse crate::c;\nfn f() { crate::d::g(); \
        $crate::e::m!(); super::h(); let s = \"crate::string::\"; }\nmod inner { use super::same; \
        use super::super::i; }\n#[cfg(test)]\nmod tests { use crate::test_only; }\nfn k() { crate::j::l() }\n";
    assert_eq!(crate_references(source, 0, false), ["a", "b", "c", "d", "e", "h", "i", "j"]);
    let cyclic = [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"]), ("d", vec![])];
    let graph = cyclic.iter().map(|(m, to)| (m.to_string(), to.iter().map(|t| t.to_string()).collect())).collect();
    assert_eq!(find_cycle(&graph), Some(["a", "b", "c", "a"].map(String::from).to_vec()));
}

#[test]
fn the_kernels_import_each_other_one_way_only() {
    let graph = kernel_module_graph();
    let shown: Vec<String> =
        graph.iter().map(|(m, to)| format!("{m} → {}", to.iter().cloned().collect::<Vec<_>>().join(", "))).collect();
    assert!(graph.len() > 3, "the scan found the kernel crate's modules: {shown:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("kernels/src has an import cycle, {}; every import:\n{}", cycle.join(" → "), shown.join("\n"));
    }
}

/// A cell's own files: its readable file (with the output layer's), its fast twin and its listing,
/// and the list itself (params.rs). Only these may name the plain RNN's parameters one by one.
/// And the tests that transcribe the plain RNN on purpose, weights chosen one by one: the
/// gradient check's independent forward pass, the calm starting weights of fast = readable, the
/// seed loop's plain replay.
const CELL_FILES: &[&str] = &[
    "src/model/rnn.rs",
    "src/model/lstm.rs",
    "src/model/gru.rs",
    "src/model/fast/",
    "src/model/numpy_script.rs",
    "src/model/numpy_comments.rs",
    "src/model/params.rs",
    "tests/gradients.rs",
    "tests/gated_cells.rs",
    "tests/fast_equals_readable.rs",
    "tests/seed_loop.rs",
];

/// Where `source` names a parameter field: `.wx`, `.db`, … (a field, not a method call), a
/// destructuring of the list by position (`as_array::<N>`, not serde_json's `as_array()`), or the
/// old `ParamName`. `#[cfg(test)]`
/// code counts too: tests of one field go through the list by name (`get("wx")`).
fn parameter_fields_named(source: &str) -> Vec<String> {
    let names = ["wx", "wh", "b", "wy", "by", "dwx", "dwh", "db", "dwy", "dby"];
    let code: Vec<String> = source.lines().map(code_only).collect();
    let t = tokens(&code.join("\n"));
    let mut found = Vec::new();
    for (k, tok) in t.iter().enumerate() {
        let field = tok == "." && t.get(k + 1).is_some_and(|n| names.contains(&n.as_str()));
        if field && t.get(k + 2).is_none_or(|n| n != "(") {
            found.push(format!(".{}", t[k + 1]));
        }
        let by_position = (tok == "as_array" && t.get(k + 1).is_some_and(|n| n == "::")) || tok == "as_array_mut";
        if by_position || tok == "ParamName" {
            found.push(tok.clone());
        }
    }
    found
}

#[test]
fn the_scan_for_parameter_fields_sees_fields_not_methods_strings_or_comments() {
    let source = "let a = p.wx * x; g.db += 1.0; let [w, ..] = p.as_array::<5>();\n\
        let n = s.by(3); let s = \".wh\"; // p.wh\n let v = json.as_array();";
    assert_eq!(parameter_fields_named(source), [".wx", ".db", "as_array"]);
}

#[test]
fn no_source_file_outside_a_cells_own_files_names_a_parameter_field() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("tests"), &mut files);
    let tests = files.into_iter().map(|p| {
        let name = p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        (name, std::fs::read_to_string(&p).unwrap())
    });
    let mut named = Vec::new();
    for (file, source) in sources().into_iter().chain(tests) {
        let this_test = file == "tests/code_layout.rs";
        if CELL_FILES.iter().any(|own| file.starts_with(own)) || file.starts_with("kernels/") || this_test {
            continue;
        }
        let found = parameter_fields_named(&source);
        if !found.is_empty() {
            named.push(format!("{file}: {}", found.join(" ")));
        }
    }
    assert!(
        named.is_empty(),
        "these go through the parameter list (params.rs) or the Cell trait:\n{}",
        named.join("\n")
    );
}

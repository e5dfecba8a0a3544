//! String functions (`lower`, `split`, `replace`, `regex`, …): Go's rune-by-rune case mapping, grapheme clusters
//! where Terraform counts them. `format` is in [`super::format`].

use super::format::format;
use super::{int, list_of, s, to_string, Function, R};
use crate::terraform::eval::limits;
use hcl::eval::FuncArgs;
use hcl::Value;
use unicode_segmentation::UnicodeSegmentation;

/// String functions. Go's case mapping is rune by rune (`strings.ToLower`), not Rust's full mapping; Terraform
/// reverses, counts and slices grapheme clusters ("é" written as e + U+0301 is one).
pub(super) const STRING: &[(&str, Function)] = checked![
    ("lower", |a| Ok(s(&a, 0)?
        .chars()
        .map(go_lower)
        .collect::<String>()
        .into())),
    ("upper", |a| Ok(s(&a, 0)?
        .chars()
        .map(go_upper)
        .collect::<String>()
        .into())),
    ("title", |a| Ok(title(&s(&a, 0)?).into())),
    ("trimspace", |a| Ok(s(&a, 0)?.trim().to_string().into())),
    ("chomp", |a| {
        Ok(s(&a, 0)?.trim_end_matches(['\n', '\r']).to_string().into())
    }),
    ("trim", |a| {
        let cut = s(&a, 1)?;
        Ok(s(&a, 0)?.trim_matches(|c| cut.contains(c)).to_string().into())
    }),
    ("trimprefix", |a| {
        let (t, p) = (s(&a, 0)?, s(&a, 1)?);
        Ok(t.strip_prefix(p.as_str()).unwrap_or(&t).to_string().into())
    }),
    ("trimsuffix", |a| {
        let (t, p) = (s(&a, 0)?, s(&a, 1)?);
        Ok(t.strip_suffix(p.as_str()).unwrap_or(&t).to_string().into())
    }),
    ("startswith", |a| Ok(s(&a, 0)?.starts_with(s(&a, 1)?.as_str()).into())),
    ("endswith", |a| Ok(s(&a, 0)?.ends_with(s(&a, 1)?.as_str()).into())),
    ("strrev", |a| Ok(s(&a, 0)?
        .graphemes(true)
        .rev()
        .collect::<String>()
        .into())),
    ("replace", replace),
    ("split", split),
    ("join", join),
    ("substr", substr),
    ("format", format),
    ("regex", regex),
];

fn split(a: FuncArgs) -> R {
    let (sep, text) = (s(&a, 0)?, s(&a, 1)?);
    // Go's strings.Split: an empty separator splits after each character.
    let parts: Vec<Value> = if sep.is_empty() {
        text.chars().map(|c| Value::from(c.to_string())).collect()
    } else {
        text.split(sep.as_str()).map(|p| p.to_string().into()).collect()
    };
    Ok(Value::Array(parts))
}

fn join(a: FuncArgs) -> R {
    let sep = s(&a, 0)?;
    if a.len() < 2 {
        return Err("join: at least one list is required".into());
    }
    let mut parts = Vec::new();
    for list in a.iter().skip(1) {
        for v in list_of(list)? {
            parts.push(to_string(&v)?);
        }
    }
    let bytes = parts.iter().map(|p| p.len() as u64).sum::<u64>()
        + (sep.len() as u64).saturating_mul(parts.len().saturating_sub(1) as u64);
    limits::may_build(bytes, || format!("join would build {bytes} bytes"))?;
    Ok(parts.join(&sep).into())
}

/// `substr(string, offset, length)` over grapheme clusters: a negative offset counts from the end, a negative
/// length takes the rest; both must be whole numbers.
fn substr(a: FuncArgs) -> R {
    let text = s(&a, 0)?;
    let clusters: Vec<&str> = text.graphemes(true).collect();
    let (offset, length) = (int(&a, 1)?, int(&a, 2)?);
    let len = clusters.len() as i64;
    let start = if offset < 0 { len.saturating_add(offset) } else { offset }.clamp(0, len);
    let end = if length < 0 {
        len
    } else {
        start.saturating_add(length).min(len)
    };
    Ok(clusters[start as usize..end as usize].concat().into())
}

/// Go's `unicode.ToLower`: one rune for one (Rust's full mapping turns a final `Σ` into `ς`, `İ` into two).
fn go_lower(c: char) -> char {
    if c == 'İ' {
        return 'i';
    }
    let mut l = c.to_lowercase();
    match (l.next(), l.next()) {
        (Some(one), None) => one,
        _ => c,
    }
}

/// Go's `unicode.ToUpper`: one rune for one (`ß` stays `ß`, where Rust's full mapping makes `SS`).
fn go_upper(c: char) -> char {
    match c {
        'ᾳ' => 'ᾼ',
        'ῃ' => 'ῌ',
        'ῳ' => 'ῼ',
        c => {
            let mut u = c.to_uppercase();
            match (u.next(), u.next()) {
                (Some(one), None) => one,
                _ => c,
            }
        }
    }
}

/// Go's `strings.Title`, which Terraform's `title` is: the first letter of each word in title case, a word
/// starting after anything but a letter, digit, `_` or a non-ASCII character other than a space.
fn title(t: &str) -> String {
    let separator = |c: char| match c {
        c if c.is_ascii_alphanumeric() || c == '_' => false,
        c if c.is_ascii() => true,
        c => c.is_whitespace(),
    };
    let mut out = String::new();
    let mut previous = ' ';
    for c in t.chars() {
        out.push(if separator(previous) { go_title(c) } else { c });
        previous = c;
    }
    out
}

/// Go's `unicode.ToTitle`: upper case, but the digraphs have their own title case (`ǆ` is `ǅ`, not `Ǆ`).
fn go_title(c: char) -> char {
    match c {
        'Ǆ' | 'ǅ' | 'ǆ' => 'ǅ',
        'Ǉ' | 'ǈ' | 'ǉ' => 'ǈ',
        'Ǌ' | 'ǋ' | 'ǌ' => 'ǋ',
        'Ǳ' | 'ǲ' | 'ǳ' => 'ǲ',
        c => go_upper(c),
    }
}

fn replace(a: FuncArgs) -> R {
    let (text, find, with) = (s(&a, 0)?, s(&a, 1)?, s(&a, 2)?);
    let limit = limits::limits().value_size;
    let regex = find.len() > 1 && find.starts_with('/') && find.ends_with('/');
    let bytes = if regex {
        // At most one match per character and one more, each replaced by `with` with its `$n`s expanded.
        let places = text.chars().count() as u64 + 1;
        (with.len() as u64)
            .saturating_mul(places)
            .saturating_add((text.len() as u64).saturating_mul(with.matches('$').count() as u64))
    } else {
        let count = if find.is_empty() {
            text.chars().count() as u64 + 1
        } else {
            text.matches(find.as_str()).count() as u64
        };
        (text.len() as u64).saturating_add((with.len() as u64).saturating_mul(count))
    };
    if bytes > limit {
        limits::may_build(bytes, || format!("replace would build up to {bytes} bytes"))?;
    }
    if regex {
        let re = regex::Regex::new(&find[1..find.len() - 1]).map_err(|e| e.to_string())?;
        // Terraform writes capture references as $1 / ${1}, as the regex crate does.
        Ok(re.replace_all(&text, with.as_str()).into_owned().into())
    } else {
        Ok(text.replace(&find, &with).into())
    }
}

/// `regex(pattern, string)`: the match (no capture groups), the list of unnamed groups, or the object of named
/// groups (a group that did not take part is null); mixing named and unnamed groups is an error, as in Terraform.
fn regex(a: FuncArgs) -> R {
    let re = regex::Regex::new(&s(&a, 0)?).map_err(|e| e.to_string())?;
    let text = s(&a, 1)?;
    let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
    let named = names.iter().filter(|n| n.is_some()).count();
    if named > 0 && named < names.len() {
        return Err("regex: cannot mix named and unnamed capture groups".into());
    }
    let caps = re.captures(&text).ok_or("no match")?;
    let group = |i: usize| caps.get(i).map_or(Value::Null, |m| m.as_str().into());
    Ok(if names.is_empty() {
        caps[0].to_string().into()
    } else if named > 0 {
        let pairs = names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| Some((n.as_ref()?.to_string(), group(i + 1))));
        Value::Object(pairs.collect())
    } else {
        Value::Array((1..caps.len()).map(group).collect())
    })
}

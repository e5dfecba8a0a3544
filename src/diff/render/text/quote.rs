//! Names and strings quoted as Terraform quotes them.

/// Go's `%q`, which Terraform prints every quoted string with (values, map keys, instance keys, import ids, JSON
/// strings): a double-quoted string where every character Go's `strconv.IsPrint` refuses is escaped
/// ([`crate::style::push_escaped`]: `\n`, `\x7f`, `\u00ad`, `\U000e0001`). Beyond Go, the `[` of a CI logging
/// command (`##[`, `##vso[`) is escaped too: input never reaches the output raw.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for (i, c) in s.char_indices() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '[' if crate::style::opens_command(&s[..i]) => crate::style::push_escaped(&mut out, c),
            c if is_printable(c) => out.push(c),
            c => crate::style::push_escaped(&mut out, c),
        }
    }
    out.push('"');
    out
}

/// Go's `strconv.IsPrint` (Go 1.23, which builds Terraform 1.11): the ASCII space and the general categories L
/// (letters), M (marks), N (numbers), P (punctuation) and S (symbols); never separators (Z: U+00A0, U+2028),
/// controls (Cc), format characters (Cf: the soft hyphen U+00AD, the zero-width joiner U+200D, the byte-order
/// mark U+FEFF, the bidirectional controls), private use (Co) or unassigned code points (Cn). The categories are
/// Unicode 16.0's (`unicode-general-category`); Go 1.23 reads Unicode 15.0, so the few hundred code points
/// assigned since are printed where Terraform escapes them.
fn is_printable(c: char) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory as G};
    if c.is_ascii() {
        return c == ' ' || c.is_ascii_graphic();
    }
    !crate::style::is_unsafe(c)
        && !matches!(
            get_general_category(c),
            G::SpaceSeparator
                | G::LineSeparator
                | G::ParagraphSeparator
                | G::Control
                | G::Format
                | G::PrivateUse
                | G::Surrogate
                | G::Unassigned
        )
}

/// HCL's identifier rule (`hclsyntax.ValidIdentifier`), else quoted.
pub(super) fn attribute_name(name: &str) -> String {
    let mut chars = name.chars();
    let valid = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if valid {
        name.to_string()
    } else {
        go_quote(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_quoted_as_go_quotes_them() {
        assert_eq!(go_quote("a \"b\" \\ \t é"), "\"a \\\"b\\\" \\\\ \\t é\"");
        assert_eq!(go_quote("\u{1}"), "\"\\x01\"");
    }

    /// What `terraform show` printed (Terraform 1.11.4, `tests/fixtures/plan-corpus/data_create_escapes`).
    #[test]
    fn format_separator_private_use_and_unassigned_characters_are_escaped_as_go_escapes_them() {
        let s = "soft\u{ad}hyphen zwj\u{200d}joiner bom\u{feff}mark nbsp\u{a0}space zwsp\u{200b}space \
                 ls\u{2028}sep nel\u{85}line del\u{7f} private\u{e000}use tag\u{e0001} unassigned\u{378}";
        assert_eq!(
            go_quote(s),
            "\"soft\\u00adhyphen zwj\\u200djoiner bom\\ufeffmark nbsp\\u00a0space zwsp\\u200bspace \
             ls\\u2028sep nel\\u0085line del\\x7f private\\ue000use tag\\U000e0001 unassigned\\u0378\""
        );
        assert_eq!(go_quote("é ü ß 中 😀 \u{301}"), "\"é ü ß 中 😀 \u{301}\"");
    }
}

//! Names and strings quoted as Terraform quotes them.

/// Go's `%q`: a double-quoted string with Go escapes (printable Unicode kept as it is). Beyond Go, the
/// bidirectional controls are escaped too ([`crate::style::is_unsafe`]), and the `[` of a CI logging command
/// (`##[`, `##vso[`): input never reaches the output raw.
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

/// Approximately Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space; never
/// what [`crate::style::is_unsafe`] names.
fn is_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    !(c.is_control()
        || c.is_whitespace()
        || crate::style::is_unsafe(c)
        || ('\u{fff0}'..='\u{ffff}').contains(&c)
        || ('\u{e000}'..='\u{f8ff}').contains(&c))
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
}

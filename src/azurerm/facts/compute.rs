//! Container CPU and memory on the Consumption workload profile: vCPU from 0.25 to 4 in steps of 0.25, and memory
//! exactly 2 GiB per vCPU (Microsoft Learn, "Containers in Azure Container Apps", Consumption allocation table:
//! 0.25/0.5Gi … 4/8Gi; NOTES.md §10). The provider accepts any value; Azure rejects other pairs at apply time.
//! The stack's `Cpu`/`Memory` types and check rule APP009 both use these functions.

/// The step of Consumption vCPU amounts, and the smallest amount: a quarter core.
pub(crate) const CPU_STEP: f64 = 0.25;
/// The largest vCPU of the Consumption profile.
pub(crate) const MAX_CPU: f64 = 4.0;

/// Whether `cores` is a Consumption vCPU amount: [`CPU_STEP`] to [`MAX_CPU`] in steps of [`CPU_STEP`].
pub(crate) fn consumption_cpu(cores: f64) -> bool {
    let steps = cores / CPU_STEP;
    (steps - steps.round()).abs() < 1e-9 && (1.0..=MAX_CPU / CPU_STEP).contains(&steps.round())
}

/// Whether `cores` vCPU with `gib` GiB of memory is a pair the Consumption profile accepts.
pub(crate) fn consumption_pair(cores: f64, gib: f64) -> bool {
    consumption_cpu(cores) && (gib - memory_for(cores)).abs() < 1e-9
}

/// The memory in GiB that pairs with `cores` vCPU on Consumption.
pub(crate) fn memory_for(cores: f64) -> f64 {
    cores * 2.0
}

/// A memory amount as written: a positive decimal number (digits with at most one `.`, not all zero) and the
/// `Gi` suffix, nothing else. The first branch has a non-zero digit before the point, the second after it. Valid
/// in Rust's `regex` and ECMA-262 (the stack JSON Schema's `pattern`).
pub(crate) const MEMORY_PATTERN: &str = r"^([0-9]*[1-9][0-9]*(\.[0-9]*)?|[0-9]*\.[0-9]*[1-9][0-9]*)Gi$";

/// The GiB of a memory amount written `"<GiB>Gi"` (`"0.5Gi"`, `"1.0Gi"`): see [`MEMORY_PATTERN`].
pub(crate) fn gib(text: &str) -> Option<f64> {
    static PATTERN: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(MEMORY_PATTERN).expect("MEMORY_PATTERN compiles"));
    if !PATTERN.is_match(text) {
        return None;
    }
    text.strip_suffix("Gi").and_then(|n| n.parse::<f64>().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consumption_pairs() {
        assert!(consumption_pair(0.25, 0.5) && consumption_pair(0.5, 1.0) && consumption_pair(4.0, 8.0));
        assert!(!consumption_pair(0.5, 2.0) && !consumption_pair(4.25, 8.5) && !consumption_pair(0.3, 0.6));
        assert!(!consumption_cpu(0.0) && consumption_cpu(1.75) && !consumption_cpu(5.0));
        assert_eq!(gib("1.5Gi"), Some(1.5));
        assert_eq!(gib("1.0Gi"), Some(1.0));
        assert_eq!(gib("1G"), None);
        assert_eq!(gib("0Gi"), None);
        assert_eq!(gib("-1Gi"), None);
        for (text, want) in [("1.Gi", Some(1.0)), (".5Gi", Some(0.5)), ("0.0Gi", None), (".Gi", None)] {
            assert_eq!(gib(text), want, "{text}");
        }
        for bad in ["1.5.Gi", "Gi", "1e3Gi", " 1Gi", "1Gi ", "00Gi", "1,5Gi"] {
            assert_eq!(gib(bad), None, "{bad}");
        }
    }
}

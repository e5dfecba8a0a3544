//! Container CPU and memory on the Consumption workload profile: vCPU from 0.25 to 4 in steps of 0.25, and memory
//! exactly 2 GiB per vCPU (Microsoft Learn, "Containers in Azure Container Apps", Consumption allocation table:
//! 0.25/0.5Gi … 4/8Gi; NOTES.md §10). The provider accepts any value; Azure rejects other pairs at apply time.
//! The stack's `Cpu`/`Memory` types and check rule APP009 both use these functions.

/// The largest vCPU of the Consumption profile, in quarter cores (4.0 vCPU).
const MAX_QUARTERS: f64 = 16.0;

/// Whether `cores` is a Consumption vCPU amount: 0.25 to 4.0 in steps of 0.25.
pub fn consumption_cpu(cores: f64) -> bool {
    let quarters = cores * 4.0;
    (quarters - quarters.round()).abs() < 1e-9 && (1.0..=MAX_QUARTERS).contains(&quarters.round())
}

/// Whether `cores` vCPU with `gib` GiB of memory is a pair the Consumption profile accepts.
pub fn consumption_pair(cores: f64, gib: f64) -> bool {
    consumption_cpu(cores) && (gib - memory_for(cores)).abs() < 1e-9
}

/// The memory in GiB that pairs with `cores` vCPU on Consumption.
pub fn memory_for(cores: f64) -> f64 {
    cores * 2.0
}

/// The GiB of a memory amount written `"<GiB>Gi"` (`"0.5Gi"`, `"1.0Gi"`): a positive decimal number with the
/// `Gi` suffix, nothing else.
pub fn gib(text: &str) -> Option<f64> {
    text.strip_suffix("Gi")
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .and_then(|n| n.parse::<f64>().ok())
        .filter(|g| *g > 0.0)
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
    }
}

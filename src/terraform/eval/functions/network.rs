//! IP network functions (`cidrsubnet`, `cidrhost`, `cidrnetmask`), IPv4 and IPv6.

use super::{int, s, Function, R};
use hcl::eval::FuncArgs;

/// IP network functions (IPv4 and IPv6).
pub(super) const NETWORK: &[(&str, Function)] = checked![
    ("cidrsubnet", cidrsubnet),
    ("cidrhost", cidrhost),
    ("cidrnetmask", |a| {
        let prefix = cidr(&s(&a, 0)?)?;
        if prefix.bits != 32 {
            return Err("cidrnetmask: only IPv4 prefixes have a netmask".into());
        }
        Ok(prefix.address(mask(32, prefix.len)).into())
    }),
];

fn cidrhost(a: FuncArgs) -> R {
    let prefix = cidr(&s(&a, 0)?)?;
    let host = int(&a, 1)?;
    let size = 1i128 << (prefix.bits - prefix.len).min(127);
    let host = if host < 0 {
        size + i128::from(host)
    } else {
        i128::from(host)
    };
    if host < 0 || host >= size {
        return Err("cidrhost: host number out of range".into());
    }
    Ok(prefix.address(prefix.base | host as u128).into())
}

/// Why a text is not a CIDR prefix. Text at hcl-rs's boundary.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
enum PrefixError {
    #[error("not a CIDR prefix")]
    NoSlash,
    #[error("{0} is not an IP address")]
    NotAnAddress(String),
    #[error("bad prefix length")]
    Length,
}

/// An IP prefix (`10.0.0.0/16`, `fd00::/48`): its address masked to the prefix, as a number of `bits` bits.
struct Prefix {
    base: u128,
    len: u32,
    /// 32 for IPv4, 128 for IPv6.
    bits: u32,
}

impl Prefix {
    /// The address `x` in this prefix's family, as Go writes it.
    fn address(&self, x: u128) -> String {
        match self.bits {
            32 => std::net::Ipv4Addr::from(x as u32).to_string(),
            _ => std::net::Ipv6Addr::from(x).to_string(),
        }
    }
}

/// `len` leading one bits of a `bits`-bit address.
fn mask(bits: u32, len: u32) -> u128 {
    let all = if bits == 128 { u128::MAX } else { (1u128 << bits) - 1 };
    match len {
        0 => 0,
        len => all & !(all >> len),
    }
}

/// Reads a CIDR prefix as Terraform does; an IPv4 address may have leading zeros (`010.0.0.0` is `10.0.0.0`).
fn cidr(text: &str) -> Result<Prefix, PrefixError> {
    let (addr, len) = text.split_once('/').ok_or(PrefixError::NoSlash)?;
    let (number, bits) = if addr.contains(':') {
        let ip: std::net::Ipv6Addr = addr.parse().map_err(|_| PrefixError::NotAnAddress(addr.to_string()))?;
        (u128::from(ip), 128)
    } else {
        let octets: Vec<&str> = addr.split('.').collect();
        let plain = octets.len() == 4
            && octets
                .iter()
                .all(|o| !o.is_empty() && o.bytes().all(|b| b.is_ascii_digit()));
        let octets: Vec<u8> = octets.iter().filter_map(|o| o.parse().ok()).collect();
        if !plain || octets.len() != 4 {
            return Err(PrefixError::NotAnAddress(addr.to_string()));
        }
        (
            u128::from(u32::from_be_bytes([octets[0], octets[1], octets[2], octets[3]])),
            32,
        )
    };
    let len: u32 = Some(len)
        .filter(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|l| l.parse().ok())
        .filter(|l| *l <= bits)
        .ok_or(PrefixError::Length)?;
    Ok(Prefix {
        base: number & mask(bits, len),
        len,
        bits,
    })
}

fn cidrsubnet(a: FuncArgs) -> R {
    let prefix = cidr(&s(&a, 0)?)?;
    let (newbits, netnum) = (int(&a, 1)?, int(&a, 2)?);
    // Terraform's answers for a negative newbits or netnum follow from go-cidr's arithmetic; infra does not
    // evaluate them.
    if newbits < 0 || netnum < 0 {
        return Err("cidrsubnet: a negative newbits or netnum is not evaluated".into());
    }
    let new_len = u64::from(prefix.len) + newbits as u64;
    if new_len > u64::from(prefix.bits) {
        return Err(format!(
            "cidrsubnet: insufficient address space to extend prefix of {} by {newbits}",
            prefix.len
        ));
    }
    let new_len = new_len as u32;
    if newbits < 127 && netnum as u128 >= 1u128 << newbits {
        return Err(format!("cidrsubnet: netnum {netnum} does not fit in {newbits} bits"));
    }
    let address = prefix.base | ((netnum as u128) << (prefix.bits - new_len));
    Ok(format!("{}/{new_len}", prefix.address(address)).into())
}

into_text!(PrefixError);

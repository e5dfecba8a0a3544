//! Numeric functions (`min`, `max`, `sum`, …), and decimal arithmetic as Terraform counts (`0.1 + 0.2` is `0.3`).

use super::{arg, list_of, n, num, number_of, Function, R};
use hcl::eval::FuncArgs;
use hcl::Value;

/// Numeric functions.
pub(super) const NUMERIC: &[(&str, Function)] = checked![
    ("min", |a| fold(&a, f64::min)),
    ("max", |a| fold(&a, f64::max)),
    ("sum", |a| {
        let l = list_of(arg(&a, 0)?)?;
        if l.is_empty() {
            return Err("sum: cannot sum an empty list".into());
        }
        let xs: Vec<f64> = l.iter().map(number_of).collect::<Result<_, _>>()?;
        Ok(decimal_sum(&xs))
    }),
    ("abs", |a| Ok(num(n(&a, 0)?.abs()))),
    ("ceil", |a| Ok(num(n(&a, 0)?.ceil()))),
    ("floor", |a| Ok(num(n(&a, 0)?.floor()))),
];

fn fold(a: &FuncArgs, f: fn(f64, f64) -> f64) -> R {
    let xs: Vec<f64> = (0..a.len()).map(|i| n(a, i)).collect::<Result<_, _>>()?;
    xs.into_iter()
        .reduce(f)
        .map(num)
        .ok_or_else(|| "needs at least one number".into())
}

/// `x` as a whole number of 10^-`places` (`0.25` is 25 of 10^-2), when it has at most 15 decimal places.
pub(super) fn decimal(x: f64) -> Option<(i128, u32)> {
    let text = format!("{x}");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let places = u32::try_from(fraction.len()).ok().filter(|p| *p <= 15)?;
    let digits: i128 = format!("{whole}{fraction}").parse().ok()?;
    Some((digits, places))
}

/// `units` of 10^-`places` as a number.
pub(super) fn from_decimal(units: i128, places: u32) -> Value {
    let scale = 10f64.powi(places as i32);
    // Parsing the decimal text rounds once, where `units as f64 / scale` would round twice.
    let sign = if units < 0 { "-" } else { "" };
    let digits = format!("{:0>width$}", units.unsigned_abs(), width = places as usize + 1);
    let (whole, fraction) = digits.split_at(digits.len() - places as usize);
    format!("{sign}{whole}.{fraction}0")
        .parse::<f64>()
        .map(num)
        .unwrap_or_else(|_| num(units as f64 / scale))
}

/// The sum as Terraform computes it, in decimal (`0.1 + 0.2` is `0.3`), for numbers with few decimal places;
/// otherwise in binary floating point.
fn decimal_sum(xs: &[f64]) -> Value {
    let parts: Option<Vec<(i128, u32)>> = xs.iter().map(|x| decimal(*x)).collect();
    let exact = parts.and_then(|parts| {
        let places = parts.iter().map(|p| p.1).max().unwrap_or(0);
        parts
            .iter()
            .try_fold(0i128, |total, (units, p)| {
                total.checked_add(units.checked_mul(10i128.checked_pow(places - p)?)?)
            })
            .map(|total| from_decimal(total, places))
    });
    exact.unwrap_or_else(|| num(xs.iter().sum()))
}

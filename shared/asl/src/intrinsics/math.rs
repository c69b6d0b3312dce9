//! `States.MathRandom` and `States.MathAdd`.
//!
//! AWS: "Intrinsics for Math operations"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-math-operation>).
//! Both take integers; "if you specify a non-integer value … Step Functions
//! will round it off to the nearest integer". Recorded runs show Java's
//! `Math.round` (halves go up: 1.5 → 2, -1.5 → -1, -2.5 → -2), applied to
//! each argument before adding (1.49 + 1.5 = 3).

use super::{Function, fixed, invalid};
use crate::error::Failure;
use crate::rng::Rng;
use serde_json::Value;

/// Java's `Math.round`: the nearest integer, halves rounded up. `None` when
/// the value is not finite or outside the `i64` range.
pub(super) fn java_round(x: f64) -> Option<i64> {
    if !x.is_finite() {
        return None;
    }
    let floor = x.floor();
    let rounded = if x - floor >= 0.5 { floor + 1.0 } else { floor };
    // 2^63 is exactly representable; anything at or past it does not fit.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    (-LIMIT..LIMIT).contains(&rounded).then_some(rounded as i64)
}

/// A number argument, rounded, that fits a Java `int` as AWS requires
/// ("values in the range of -2147483648 and 2147483647").
fn int_arg(f: Function, v: &Value, what: &str) -> Result<i64, Failure> {
    let n = v
        .as_f64()
        .and_then(java_round)
        .ok_or_else(|| invalid(f, format!("{what} must be an integer, but was {}", crate::json::to_text(v))))?;
    if i32::try_from(n).is_err() {
        return Err(invalid(f, format!("{what} must be between -2147483648 and 2147483647, but was {n}")));
    }
    Ok(n)
}

/// `States.MathAdd(a, b)`: the sum of the two rounded arguments.
pub(super) fn add(args: &[Value]) -> Result<Value, Failure> {
    let f = Function::MathAdd;
    let [a, b] = fixed(f, args)?;
    let sum = int_arg(f, a, "the first argument")? + int_arg(f, b, "the second argument")?;
    Ok(Value::from(sum))
}

/// `States.MathRandom(start, end[, seed])`: a random integer from `start`
/// (inclusive) to `end` (exclusive). With a seed the result depends only on
/// the seed, so the same seed gives the same number.
pub(super) fn random(args: &[Value], rng: &mut Rng) -> Result<Value, Failure> {
    let f = Function::MathRandom;
    let (start, end, seed) = match args {
        [start, end] => (start, end, None),
        [start, end, seed] => (start, end, Some(seed)),
        _ => {
            return Err(invalid(f, format!("expected 2 or 3 arguments, got {}", args.len())));
        }
    };
    let start = int_arg(f, start, "the start")?;
    let end = int_arg(f, end, "the end")?;
    if start >= end {
        return Err(invalid(f, format!("the start ({start}) must be less than the end ({end})")));
    }
    let span = end.abs_diff(start);
    let bits = match seed {
        Some(seed) => {
            let seed = seed.as_f64().and_then(java_round).ok_or_else(|| {
                invalid(f, format!("the seed must be an integer, but was {}", crate::json::to_text(seed)))
            })?;
            Rng::new(u64::from_ne_bytes(seed.to_ne_bytes())).next_u64()
        }
        None => rng.next_u64(),
    };
    // Scale 64 random bits onto the span: uniform, with negligible bias.
    let offset = ((u128::from(bits) * u128::from(span)) >> 64) as u64;
    let value = start.checked_add_unsigned(offset).unwrap_or(end - 1);
    Ok(Value::from(value))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check_err, check_ok, run};
    use super::*;

    #[test]
    #[rustfmt::skip]
    fn add_rounds_each_argument_like_java() {
        check_ok(&[
            // The States.MathAdd example of the AWS page.
            ("States.MathAdd($.value1, $.step)", r#"{"value1":111,"step":-1}"#, "110"),
            // Recorded on AWS (conformance test_math_operations__test_math_add__*).
            ("States.MathAdd(-9, 3)", "{}", "-6"),
            ("States.MathAdd(1.49, 1.5)", "{}", "3"),
            ("States.MathAdd(-1.5, 0)", "{}", "-1"),
            ("States.MathAdd(0.5, 0)", "{}", "1"),
            ("States.MathAdd(2.5, 0)", "{}", "3"),
            ("States.MathAdd(-0.5, 0.5)", "{}", "1"),
            ("States.MathAdd(-2.5, 0)", "{}", "-2"),
            ("States.MathAdd(-3.5, 0)", "{}", "-3"),
            ("States.MathAdd(-1.49, -1.5)", "{}", "-2"),
            ("States.MathAdd(1.49, -1.49)", "{}", "0"),
            ("States.MathAdd(1.51, 0)", "{}", "2"),
            ("States.MathAdd(States.MathAdd(1, 2), 3)", "{}", "6"),
        ]);
        check_err(&[
            ("States.MathAdd('1', 2)", "{}", "States.IntrinsicFailure"),
            ("States.MathAdd(null, 2)", "{}", "States.IntrinsicFailure"),
            ("States.MathAdd(2147483648, 0)", "{}", "States.IntrinsicFailure"),
        ]);
    }

    #[test]
    #[rustfmt::skip]
    fn java_round_matches_math_round() {
        // Java: Math.round(0.49999999999999994) == 0, Math.round(-0.5) == 0.
        let cases = [
            (0.49999999999999994, Some(0)),
            (0.5, Some(1)),
            (-0.5, Some(0)),
            (-0.5000000000000001, Some(-1)),
            (1e300, None),
            (f64::NAN, None),
        ];
        for (x, expected) in cases {
            assert_eq!(java_round(x), expected, "{x}");
        }
    }

    #[test]
    fn random_stays_in_range() {
        // The ranges recorded on AWS (conformance test_math_random__*) and the
        // AWS page's example (1 to 999).
        for (start, end) in [(12.5, 44.51), (9999.0, 99999.0), (-99999.0, -9999.0), (1.0, 999.0), (0.0, 1.0)] {
            let mut rng = Rng::new(1);
            let args = [Value::from(start), Value::from(end)];
            let (lo, hi) = (java_round(start).unwrap(), java_round(end).unwrap());
            for _ in 0..200 {
                let n = random(&args, &mut rng).unwrap().as_i64().unwrap();
                assert!((lo..hi).contains(&n), "{n} not in {lo}..{hi}");
            }
        }
    }

    #[test]
    #[rustfmt::skip]
    fn random_with_a_seed_repeats() {
        let a = run("States.MathRandom(0, 999, 3)", "{}").unwrap();
        let mut rng = Rng::new(12345);
        let b = random(&[Value::from(0), Value::from(999), Value::from(3)], &mut rng).unwrap();
        assert_eq!(a, b);
        check_err(&[
            ("States.MathRandom(5, 5)", "{}", "States.IntrinsicFailure"),
            ("States.MathRandom(9, 1)", "{}", "States.IntrinsicFailure"),
            ("States.MathRandom('a', 1)", "{}", "States.IntrinsicFailure"),
            ("States.MathRandom(1, 9, 'x')", "{}", "States.IntrinsicFailure"),
        ]);
    }
}

//! `$formatInteger` and `$parseInteger` pictures (XPath `format-integer`): decimal digits with
//! optional `#`, grouping separators, `;o` ordinals, roman numerals (`I`, `i`) and letters (`A`, `a`).
//! Not yet: words (`w`, `W`, `Ww`) and non-ASCII digit families.

use super::super::error::{Detail, JsonataError};

fn unsupported(picture: &str) -> JsonataError {
    JsonataError::with("D3130", 0, Detail { value: Some(picture.into()), ..Detail::default() })
}

fn ordinal_suffix(n: i64) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

const ROMAN: [(i64, &str); 13] = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
];

fn roman(mut n: i64) -> String {
    let mut out = String::new();
    for (value, numeral) in ROMAN {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

fn letters(mut n: i64, base: u8) -> String {
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push((base + (n % 26) as u8) as char);
        n /= 26;
    }
    out.iter().rev().collect()
}

/// Formats `n` (truncated to an integer) with `picture`.
pub(super) fn format(n: f64, picture: &str) -> Result<String, JsonataError> {
    let (primary, modifier) = picture.split_once(';').unwrap_or((picture, ""));
    let ordinal = modifier.starts_with('o');
    let value = n.trunc() as i64;
    match primary {
        "I" => return Ok(roman(value)),
        "i" => return Ok(roman(value).to_lowercase()),
        "A" => return Ok(letters(value, b'A')),
        "a" => return Ok(letters(value, b'a')),
        _ => {}
    }
    let chars: Vec<char> = primary.chars().collect();
    if chars.is_empty() || !chars.iter().any(char::is_ascii_digit) {
        return Err(unsupported(picture));
    }
    if chars.iter().any(|c| c.is_alphanumeric() && !c.is_ascii_digit()) {
        return Err(unsupported(picture));
    }
    let min_digits = chars.iter().filter(|c| c.is_ascii_digit()).count();
    // Separator positions counted in digits from the right.
    let mut separators: Vec<(usize, char)> = Vec::new();
    let mut digits_right = 0;
    for c in chars.iter().rev() {
        if c.is_ascii_digit() || *c == '#' {
            digits_right += 1;
        } else {
            separators.push((digits_right, *c));
        }
    }
    let regular = separators.first().map(|(first, c)| (*first, *c)).filter(|(first, c)| {
        *first > 0 && separators.iter().enumerate().all(|(i, (pos, sc))| *pos == first * (i + 1) && sc == c)
    });
    let body = format!("{:0width$}", value.unsigned_abs(), width = min_digits);
    let digits: Vec<char> = body.chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        let from_right = digits.len() - i;
        if i > 0 {
            match regular {
                Some((every, sep)) if from_right.is_multiple_of(every) => out.push(sep),
                Some(_) => {}
                None => {
                    if let Some((_, sep)) = separators.iter().find(|(pos, _)| *pos == from_right) {
                        out.push(*sep);
                    }
                }
            }
        }
        out.push(*c);
    }
    if value < 0 {
        out.insert(0, '-');
    }
    if ordinal {
        out.push_str(ordinal_suffix(value.abs()));
    }
    Ok(out)
}

/// Parses `text` written with `picture`; `None` when it does not fit.
pub(super) fn parse(text: &str, picture: &str) -> Option<i64> {
    let (primary, _) = picture.split_once(';').unwrap_or((picture, ""));
    match primary {
        "I" | "i" => {
            let upper = text.to_uppercase();
            let mut rest = upper.as_str();
            let mut total = 0;
            for (value, numeral) in ROMAN {
                while let Some(r) = rest.strip_prefix(numeral) {
                    total += value;
                    rest = r;
                }
            }
            return rest.is_empty().then_some(total);
        }
        "A" | "a" => {
            let mut total = 0i64;
            for c in text.to_uppercase().chars() {
                if !c.is_ascii_uppercase() {
                    return None;
                }
                total = total.checked_mul(26)?.checked_add(i64::from(c as u8 - b'A' + 1))?;
            }
            return Some(total);
        }
        _ => {}
    }
    let digits: String = text
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    digits.parse().ok()
}

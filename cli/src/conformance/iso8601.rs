//! The ISO-8601 timestamp pattern of snapshot-v1 normalization (rule 3 of
//! `shared/conformance/README.md`): a valid calendar date `YYYY-MM-DD`, `T`,
//! `hh:mm:ss`, an optional fraction of 1 to 9 digits, then `Z` or an offset
//! `±hh[:mm]`. Every match, wherever it occurs in a string or key, becomes
//! the word `date`.
//!
//! "Valid" follows what the recordings show: `2016-13-05T21:29:29Z` (month
//! 13) and `2016-12-05T25:29:29Z` (hour 25) were left as they were, so the
//! date must exist (leap years included; year 0000 does not) and the time
//! must be a time of day (no hour 24, no leap second). Offsets are checked
//! the same way (hours up to 23, minutes up to 59).

use std::borrow::Cow;

/// The word a timestamp is replaced with.
pub const DATE: &str = "date";

/// Replaces every ISO-8601 timestamp in `text` by [`DATE`]; borrows when
/// there is none.
pub fn replace_dates(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        // A match starts with an ASCII digit, so `i` is on a char boundary.
        match bytes[i].is_ascii_digit().then(|| match_at(bytes, i)).flatten() {
            Some(len) => {
                out.push_str(&text[copied..i]);
                out.push_str(DATE);
                i += len;
                copied = i;
            }
            None => i += 1,
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// True when `text` begins with an ISO-8601 timestamp (what snapshot-v1's
/// timestamp-key rule checks).
pub fn starts_with_date(text: &str) -> bool {
    match_at(text.as_bytes(), 0).is_some()
}

/// The length of the timestamp starting at `start`, if one does.
fn match_at(b: &[u8], start: usize) -> Option<usize> {
    let mut p = Cursor { b, i: start };
    let year = p.digits(4)?;
    p.byte(b'-')?;
    let month = p.digits(2)?;
    p.byte(b'-')?;
    let day = p.digits(2)?;
    if year == 0 || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    p.byte(b'T')?;
    let (h, m) = (p.digits(2)?, p.byte(b':').and_then(|_| p.digits(2))?);
    let s = p.byte(b':').and_then(|_| p.digits(2))?;
    if h > 23 || m > 59 || s > 59 {
        return None;
    }
    if p.peek() == Some(b'.') {
        p.i += 1;
        let n = p.run_of_digits();
        if !(1..=9).contains(&n) {
            return None;
        }
    }
    match p.peek()? {
        b'Z' => p.i += 1,
        b'+' | b'-' => {
            p.i += 1;
            if p.digits(2)? > 23 {
                return None;
            }
            // `[:mm]` is optional: take it only when it is complete and valid.
            let save = p.i;
            let minutes = p.byte(b':').and_then(|_| p.digits(2));
            if !matches!(minutes, Some(0..=59)) {
                p.i = save;
            }
        }
        _ => return None,
    }
    Some(p.i - start)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 => match (year % 4, year % 100, year % 400) {
            (_, _, 0) => 29,
            (_, 0, _) => 28,
            (0, _, _) => 29,
            _ => 28,
        },
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn byte(&mut self, want: u8) -> Option<()> {
        (self.peek()? == want).then(|| self.i += 1)
    }

    /// Exactly `n` ASCII digits, as a number.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let slice = self.b.get(self.i..self.i + n)?;
        if !slice.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.i += n;
        Some(slice.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
    }

    fn run_of_digits(&mut self) -> usize {
        let n = self.b[self.i..].iter().take_while(|d| d.is_ascii_digit()).count();
        self.i += n;
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inputs and results from the corpus' `test_wait_timestamp_path_*`
    /// cases (valid ones recorded as `date`, invalid ones kept) and from the
    /// README's rule 3.
    #[test]
    fn replaces_valid_timestamps_only() {
        let cases = [
            ("2016-03-14T01:59:00Z", "date"),
            ("2016-03-05T21:29:29.243167252Z", "date"),
            ("2016-13-05T21:29:29Z", "2016-13-05T21:29:29Z"),
            ("2016-12-05T25:29:29Z", "2016-12-05T25:29:29Z"),
            ("2016-12-05 21:29:29Z", "2016-12-05 21:29:29Z"),
            ("2016-12-05T21:29:29", "2016-12-05T21:29:29"),
            ("05-12-2016T21:29:29Z", "05-12-2016T21:29:29Z"),
            ("2024-02-07T13:49:36+00:00", "date"),
            ("2024-02-07T13:49:36-05", "date"),
            ("2024-02-07T13:49:36+05:3", "date:3"),
            ("2024-02-29T00:00:00Z", "date"),
            ("2023-02-29T00:00:00Z", "2023-02-29T00:00:00Z"),
            ("1900-02-29T00:00:00Z", "1900-02-29T00:00:00Z"),
            ("2000-02-29T00:00:00Z", "date"),
            ("2016-03-14T01:59:60Z", "2016-03-14T01:59:60Z"),
            ("2016-03-14T01:59:00.Z", "2016-03-14T01:59:00.Z"),
            ("2016-03-14T01:59:00.1234567891Z", "2016-03-14T01:59:00.1234567891Z"),
            ("0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z"),
        ];
        for (input, want) in cases {
            assert_eq!(replace_dates(input), want, "{input}");
        }
    }

    #[test]
    fn replaces_inside_text_and_keeps_the_rest() {
        assert_eq!(
            replace_dates("The Timestamp 2016-03-14T01:59:00Z and 2012-10-09T19:00:55Z."),
            "The Timestamp date and date."
        );
        assert_eq!(replace_dates(r#"{"t":"12016-03-14T01:59:00Zé"}"#), r#"{"t":"1dateé"}"#);
        assert!(matches!(replace_dates("no dates here"), Cow::Borrowed(_)));
    }

    #[test]
    fn starts_with_date_checks_the_start_only() {
        assert!(starts_with_date("2016-03-14T01:59:00Z trailing"));
        assert!(!starts_with_date(" 2016-03-14T01:59:00Z"));
        assert!(!starts_with_date("2016-12-05T21:29:29"));
        assert!(!starts_with_date(""));
    }
}

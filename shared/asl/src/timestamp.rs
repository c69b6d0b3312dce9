//! RFC 3339 timestamps as Step Functions reads and writes them: the Choice
//! `Timestamp*` operators and `IsTimestamp`, the Wait state's `Timestamp` and
//! `TimestampPath`, and the context object's `StartTime`/`EnteredTime`.
//!
//! AWS, "Choice workflow state"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html>)
//! and "Wait workflow state"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html>):
//! timestamps "must conform to the RFC3339 profile of ISO 8601, with the
//! further restrictions that an uppercase T must separate the date and time
//! portions, and an uppercase Z must denote that a numeric time zone offset is
//! not present", for example `2016-08-18T17:33:00Z`.
//!
//! So the accepted form is `YYYY-MM-DDThh:mm:ss[.f](Z|+hh:mm|-hh:mm)`:
//!
//! - a valid calendar date (leap years included) and a time of day; seconds
//!   are required, a leap second (`:60`) is not accepted;
//! - a fraction of 1 to 9 digits (AWS keeps nanoseconds: the conformance case
//!   `test_wait_timestamp_path_NANOSECONDS` waits until `...29.243167252Z`);
//! - a zone, which is required (`test_wait_timestamp_path_NO_Z` fails on
//!   `2016-12-05T21:29:29`), with offsets up to ±18:00 as Java's `ZoneOffset`
//!   allows (AWS parses with Java's ISO-8601 offset date-time format, the
//!   name its error causes use);
//! - nothing else: no space for `T` (`test_wait_timestamp_path_NO_T`),
//!   no lowercase `t` or `z`, no hour 24 (`..._INVALID_TIME`), no month 13
//!   (`..._INVALID_DATE`).

use std::fmt;

const NANOS_PER_SECOND: i128 = 1_000_000_000;
const SECONDS_PER_DAY: i64 = 86_400;
const MILLIS_PER_DAY: i64 = 86_400_000;

/// An instant, as nanoseconds since 1970-01-01T00:00:00Z. Ordered by time,
/// so timestamps written with different offsets compare as the instants they
/// denote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    nanos: i128,
}

impl Timestamp {
    /// Parses a timestamp in the form described in the [module docs](self);
    /// `None` when the text is not one.
    pub fn parse(text: &str) -> Option<Timestamp> {
        parse_nanos(text.as_bytes()).map(|nanos| Timestamp { nanos })
    }

    /// The instant `nanos` nanoseconds after the Unix epoch.
    pub fn from_epoch_nanos(nanos: i128) -> Timestamp {
        Timestamp { nanos }
    }

    /// Nanoseconds since the Unix epoch (negative before 1970).
    pub fn epoch_nanos(&self) -> i128 {
        self.nanos
    }

    /// Milliseconds since the Unix epoch, rounded down (towards the past).
    pub fn epoch_millis(&self) -> i64 {
        // Years 0000..=9999 stay far inside i64 milliseconds.
        let millis = self.nanos.div_euclid(1_000_000);
        i64::try_from(millis).unwrap_or(if millis < 0 { i64::MIN } else { i64::MAX })
    }
}

impl fmt::Display for Timestamp {
    /// Formats as UTC with milliseconds, like [`format_rfc3339_millis`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_rfc3339_millis(self.epoch_millis()))
    }
}

/// Parses a timestamp; the same as [`Timestamp::parse`].
pub fn parse(text: &str) -> Option<Timestamp> {
    Timestamp::parse(text)
}

/// Formats milliseconds since the Unix epoch as UTC with exactly three
/// fraction digits, as the context object's `Execution.StartTime` and
/// `State.EnteredTime` show them, e.g. `2024-08-16T15:53:06.123Z`.
///
/// Years outside 0000..=9999 (which RFC 3339 cannot express) are written
/// with a sign or more digits rather than rejected.
pub fn format_rfc3339_millis(epoch_millis: i64) -> String {
    let days = epoch_millis.div_euclid(MILLIS_PER_DAY);
    let of_day = epoch_millis.rem_euclid(MILLIS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    let (hour, minute) = (of_day / 3_600_000, of_day / 60_000 % 60);
    let (second, milli) = (of_day / 1000 % 60, of_day % 1000);
    let year = if year < 0 { format!("-{:04}", -year) } else { format!("{year:04}") };
    format!("{year}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{milli:03}Z")
}

/// Reads the timestamp grammar over bytes; any non-ASCII byte fails a match.
fn parse_nanos(text: &[u8]) -> Option<i128> {
    let mut c = Cursor { text, pos: 0 };
    let year = c.digits(4)?;
    c.byte(b'-')?;
    let month = c.digits(2)?;
    c.byte(b'-')?;
    let day = c.digits(2)?;
    c.byte(b'T')?;
    let hour = c.digits(2)?;
    c.byte(b':')?;
    let minute = c.digits(2)?;
    c.byte(b':')?;
    let second = c.digits(2)?;
    let fraction = if c.byte(b'.').is_some() { c.fraction()? } else { 0 };
    let offset_seconds = c.offset()?;
    if c.pos != text.len() {
        return None;
    }
    let valid = (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour <= 23
        && minute <= 59
        && second <= 59;
    if !valid {
        return None;
    }
    let seconds =
        days_from_civil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offset_seconds;
    Some(i128::from(seconds) * NANOS_PER_SECOND + i128::from(fraction))
}

struct Cursor<'a> {
    text: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn byte(&mut self, expected: u8) -> Option<()> {
        (self.text.get(self.pos) == Some(&expected)).then(|| self.pos += 1)
    }

    /// Exactly `count` ASCII digits as a number.
    fn digits(&mut self, count: usize) -> Option<i64> {
        let mut value = 0;
        for _ in 0..count {
            let d = self.text.get(self.pos).filter(|b| b.is_ascii_digit())?;
            value = value * 10 + i64::from(d - b'0');
            self.pos += 1;
        }
        Some(value)
    }

    /// 1 to 9 digits after the `.`, as nanoseconds.
    fn fraction(&mut self) -> Option<i64> {
        let start = self.pos;
        let mut nanos = 0;
        while let Some(d) = self.text.get(self.pos).filter(|b| b.is_ascii_digit()) {
            if self.pos - start == 9 {
                return None;
            }
            nanos = nanos * 10 + i64::from(d - b'0');
            self.pos += 1;
        }
        let count = self.pos - start;
        if count == 0 {
            return None;
        }
        Some(nanos * 10_i64.pow(u32::try_from(9 - count).ok()?))
    }

    /// `Z` or `±hh:mm` (at most ±18:00), as seconds east of UTC.
    fn offset(&mut self) -> Option<i64> {
        if self.byte(b'Z').is_some() {
            return Some(0);
        }
        let sign = if self.byte(b'+').is_some() {
            1
        } else {
            self.byte(b'-')?;
            -1
        };
        let hours = self.digits(2)?;
        self.byte(b':')?;
        let minutes = self.digits(2)?;
        let valid = minutes <= 59 && (hours < 18 || (hours == 18 && minutes == 0));
        valid.then_some(sign * (hours * 3600 + minutes * 60))
    }
}

fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`, <https://howardhinnant.github.io/date_algorithms.html>).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let (era, year_of_era) = (year.div_euclid(400), year.rem_euclid(400));
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`]: (year, month, day).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let (era, day_of_era) = (days.div_euclid(146_097), days.rem_euclid(146_097));
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn millis(text: &str) -> Option<i64> {
        parse(text).map(|t| t.epoch_millis())
    }

    // Accepted forms. Epoch values checked against `date -u -d <text> +%s%3N`.
    #[test]
    fn parses_rfc3339_with_zone() {
        let cases: &[(&str, i64)] = &[
            ("1970-01-01T00:00:00Z", 0),
            // The example on the Choice and Wait pages of the AWS Developer Guide.
            ("2016-08-18T17:33:00Z", 1_471_541_580_000),
            // Recorded Choice cases (conformance choice_operators) compare these.
            ("2012-10-09T19:00:55Z", 1_349_809_255_000),
            ("2012-10-09T19:00:55+01:00", 1_349_805_655_000),
            ("2012-10-09T19:00:55-01:30", 1_349_814_655_000),
            ("2016-03-05T21:29:29.243167252Z", 1_457_213_369_243),
            ("2016-03-05T21:29:29.5Z", 1_457_213_369_500),
            ("1969-12-31T23:59:59.999Z", -1),
            ("2024-02-29T12:00:00Z", 1_709_208_000_000),
            ("2000-02-29T00:00:00Z", 951_782_400_000),
            ("0000-01-01T00:00:00Z", -62_167_219_200_000),
            ("9999-12-31T23:59:59Z", 253_402_300_799_000),
            ("2020-01-01T00:00:00+18:00", 1_577_772_000_000),
            ("2020-01-01T00:00:00-00:00", 1_577_836_800_000),
        ];
        for (text, expected) in cases {
            assert_eq!(millis(text), Some(*expected), "{text}");
        }
    }

    // Rejected forms: the Wait cases recorded in conformance `scenarios`
    // (test_wait_timestamp_path_*) and the AWS rule "uppercase T ... uppercase Z".
    #[test]
    fn rejects_what_aws_rejects() {
        let cases = [
            "2016-12-05T21:29:29",
            "2016-12-05 21:29:29Z",
            "2016-13-05T21:29:29Z",
            "2016-12-05T25:29:29Z",
            "05-12-2016T21:29:29Z",
            "2016-12-05t21:29:29Z",
            "2016-12-05T21:29:29z",
            "2023-02-24",
            "2023-02-24 12:15:56.832957",
            "2019-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2016-04-31T00:00:00Z",
            "2016-12-05T21:29:60Z",
            "2016-12-05T21:60:00Z",
            "2016-12-05T21:29Z",
            "2016-12-05T21:29:29.Z",
            "2016-12-05T21:29:29.1234567890Z",
            "2016-12-05T21:29:29+0100",
            "2016-12-05T21:29:29+01",
            "2016-12-05T21:29:29+18:01",
            "2016-12-05T21:29:29+01:60",
            "2016-12-05T21:29:29Z ",
            " 2016-12-05T21:29:29Z",
            "+2016-12-05T21:29:29Z",
            "２016-12-05T21:29:29Z",
            "",
        ];
        for text in cases {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    #[test]
    fn offsets_denote_the_same_instant() {
        assert_eq!(parse("2012-10-09T20:00:55+01:00"), parse("2012-10-09T19:00:55Z"));
        assert!(parse("2012-10-09T19:00:55+01:00") < parse("2012-10-09T19:00:55Z"));
        assert!(parse("2012-10-09T19:00:55.000000001Z") > parse("2012-10-09T19:00:55Z"));
    }

    #[test]
    fn formats_utc_with_milliseconds() {
        let cases: &[(i64, &str)] = &[
            (0, "1970-01-01T00:00:00.000Z"),
            (1_723_823_586_123, "2024-08-16T15:53:06.123Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
            (951_782_400_000, "2000-02-29T00:00:00.000Z"),
            (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
            (-62_167_219_200_000, "0000-01-01T00:00:00.000Z"),
            (-62_167_219_200_001, "-0001-12-31T23:59:59.999Z"),
        ];
        for (epoch, expected) in cases {
            assert_eq!(format_rfc3339_millis(*epoch), *expected, "{epoch}");
        }
    }

    proptest! {
        #[test]
        fn parse_never_panics(text in "\\PC{0,40}") {
            let _ = parse(&text);
        }

        #[test]
        fn parse_never_panics_on_near_timestamps(text in "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,12})?(Z|[+-][0-9]{2}:[0-9]{2})?") {
            let _ = parse(&text);
        }

        #[test]
        fn formatted_millis_parse_back(epoch in -62_167_219_200_000_i64..253_402_300_800_000) {
            prop_assert_eq!(millis(&format_rfc3339_millis(epoch)), Some(epoch));
        }

        #[test]
        fn format_never_panics(epoch in any::<i64>()) {
            let _ = format_rfc3339_millis(epoch);
        }
    }
}

//! XPath `format-dateTime` pictures for `$fromMillis` and `$now`: `[Y0001]-[M01]-[D01]`,
//! names (`[MNn]`, `[FNn,3-3]`), ordinals (`[D1o]`), 12-hour clocks (`[h]`, `[P]`),
//! fractions (`[f001]`) and zones (`[Z01:01t]`, `[z]`). Not yet: words, roman numerals, week numbers.

use super::super::error::{Detail, JsonataError};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// The calendar fields of an instant, already shifted to the requested zone.
struct Parts {
    year: i64,
    month: i64,
    day: i64,
    day_of_year: i64,
    weekday: i64,
    hour: i64,
    minute: i64,
    second: i64,
    millis: i64,
    offset_minutes: i64,
}

/// A zone offset `±HHMM` in minutes.
pub(super) fn parse_offset(tz: &str) -> Option<i64> {
    let (sign, digits) = match tz.as_bytes().first()? {
        b'-' => (-1, &tz[1..]),
        b'+' => (1, &tz[1..]),
        _ => (1, tz),
    };
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i64 = digits[..2].parse().ok()?;
    let m: i64 = digits[2..].parse().ok()?;
    Some(sign * (h * 60 + m))
}

fn parts(millis: i64, offset_minutes: i64) -> Parts {
    let local = millis + offset_minutes * 60_000;
    let days = local.div_euclid(86_400_000);
    let of_day = local.rem_euclid(86_400_000);
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let day_of_year = cumulative[(month - 1) as usize] + day + i64::from(leap && month > 2);
    Parts {
        year,
        month,
        day,
        day_of_year,
        weekday: (days + 3).rem_euclid(7) + 1,
        hour: of_day / 3_600_000,
        minute: of_day / 60_000 % 60,
        second: of_day / 1000 % 60,
        millis: of_day % 1000,
        offset_minutes,
    }
}

fn err(code: &'static str, value: Option<String>) -> JsonataError {
    JsonataError::with(code, 0, Detail { value: value.map(Into::into), ..Detail::default() })
}

/// Formats `millis` with `picture` in the zone `offset_minutes` east of UTC.
pub(super) fn format(millis: i64, picture: &str, offset_minutes: i64) -> Result<String, JsonataError> {
    let p = parts(millis, offset_minutes);
    let chars: Vec<char> = picture.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if (c == '[' || c == ']') && chars.get(i + 1) == Some(&c) {
            out.push(c);
            i += 2;
            continue;
        }
        if c != '[' {
            out.push(c);
            i += 1;
            continue;
        }
        let end = chars[i..].iter().position(|&x| x == ']').map(|e| i + e).ok_or_else(|| err("D3135", None))?;
        let marker: String = chars[i + 1..end].iter().filter(|c| !c.is_whitespace()).collect();
        out.push_str(&component(&p, &marker)?);
        i = end + 1;
    }
    Ok(out)
}

fn component(p: &Parts, marker: &str) -> Result<String, JsonataError> {
    let mut it = marker.chars();
    let Some(kind) = it.next() else { return Ok(String::new()) };
    let rest: String = it.collect();
    let (pres, width) = match rest.rsplit_once(',') {
        Some((pres, w)) if !w.is_empty() && w.chars().all(|c| c.is_ascii_digit() || c == '*' || c == '-') => {
            (pres.to_string(), Some(w.to_string()))
        }
        _ => (rest.clone(), None),
    };
    let (min_w, max_w) = match &width {
        None => (None, None),
        Some(w) => {
            let (a, b) = w.split_once('-').unwrap_or((w, ""));
            (a.parse::<usize>().ok(), b.parse::<usize>().ok())
        }
    };
    let default = match kind {
        'F' | 'P' | 'C' | 'E' => "n",
        'm' | 's' => "01",
        'Z' | 'z' => "01:01",
        _ => "1",
    };
    let pres = if pres.is_empty() { default.to_string() } else { pres };
    let name = |full: &str| -> String {
        let mut s = match pres.as_str() {
            "N" => full.to_uppercase(),
            "n" => full.to_lowercase(),
            _ => full.to_string(),
        };
        if let Some(m) = max_w {
            s = s.chars().take(m).collect();
        }
        s
    };
    let value = match kind {
        'Y' => p.year,
        'M' => p.month,
        'D' => p.day,
        'd' => p.day_of_year,
        'F' => p.weekday,
        'H' => p.hour,
        'h' => (p.hour + 11) % 12 + 1,
        'm' => p.minute,
        's' => p.second,
        'f' => p.millis,
        'P' => return Ok(name(if p.hour < 12 { "am" } else { "pm" })),
        'C' | 'E' => return Ok("ISO".into()),
        'Z' | 'z' => return zone(p.offset_minutes, &pres, kind == 'z'),
        _ => return Err(err("D3132", Some(kind.to_string()))),
    };
    if pres.starts_with('N') || pres.starts_with('n') {
        return match kind {
            'M' => Ok(name(MONTHS[(value - 1) as usize])),
            'F' => Ok(name(DAYS[(value - 1) as usize])),
            _ => Err(err("D3133", Some(kind.to_string()))),
        };
    }
    let ordinal = pres.ends_with('o');
    let digits_pic = pres.trim_end_matches('o');
    if !digits_pic.chars().all(|c| c.is_ascii_digit() || c == '#' || c == ',') {
        return Err(err("D3130", Some(digits_pic.to_string())));
    }
    if kind == 'f' {
        let n = digits_pic.chars().filter(|c| c.is_ascii_digit()).count().max(min_w.unwrap_or(0)).max(1);
        let frac = format!("{:03}", value);
        let mut s: String = frac.chars().chain(std::iter::repeat('0')).take(n).collect();
        if n < 3 {
            s = frac.chars().take(n).collect();
        }
        return Ok(s);
    }
    let mandatory = digits_pic.chars().filter(|c| c.is_ascii_digit()).count().max(min_w.unwrap_or(0));
    let mut text = format!("{:0width$}", value.abs(), width = mandatory);
    let truncate_year = kind == 'Y'
        && (max_w.is_some() || (digits_pic.chars().filter(|c| c.is_ascii_digit()).count() < 2 && min_w.is_some()));
    if truncate_year {
        let keep = max_w.or(min_w).unwrap_or(text.len());
        if text.len() > keep {
            text = text[text.len() - keep..].to_string();
        }
    }
    if let Some(group) = digits_pic.rfind(',').map(|i| digits_pic.len() - i - 1).filter(|g| *g > 0) {
        let chars: Vec<char> = text.chars().collect();
        let mut grouped = String::new();
        for (i, c) in chars.iter().enumerate() {
            if i > 0 && (chars.len() - i).is_multiple_of(group) {
                grouped.push(',');
            }
            grouped.push(*c);
        }
        text = grouped;
    }
    if ordinal {
        let suffix = match (value % 10, value % 100) {
            (_, 11..=13) => "th",
            (1, _) => "st",
            (2, _) => "nd",
            (3, _) => "rd",
            _ => "th",
        };
        text.push_str(suffix);
    }
    Ok(if value < 0 { format!("-{text}") } else { text })
}

fn zone(offset: i64, pres: &str, gmt: bool) -> Result<String, JsonataError> {
    let (pres, t) = match pres.strip_suffix('t') {
        Some(p) => (p, true),
        None => (pres, false),
    };
    if t && offset == 0 {
        return Ok("Z".into());
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let (h, m) = (offset.abs() / 60, offset.abs() % 60);
    let digits = pres.chars().filter(|c| c.is_ascii_digit()).count();
    if digits > 4 {
        return Err(err("D3134", None));
    }
    let body = if pres.contains(':') {
        let (hp, _) = pres.split_once(':').unwrap_or((pres, ""));
        format!("{:0w$}:{:02}", h, m, w = hp.len())
    } else if digits <= 2 {
        if m == 0 { format!("{:0w$}", h, w = digits.max(1)) } else { format!("{:0w$}:{:02}", h, m, w = digits.max(1)) }
    } else {
        format!("{:0w$}{:02}", h, m, w = digits - 2)
    };
    Ok(format!("{}{sign}{body}", if gmt { "GMT" } else { "" }))
}

/// Parses `text` with `picture` (numeric components, month names, ordinals, `[Z]` zones) into epoch milliseconds;
/// `None` when the text does not match.
pub(super) fn parse(text: &str, picture: &str, now_ms: i64) -> Result<Option<i64>, JsonataError> {
    let chars: Vec<char> = picture.chars().collect();
    let mut pattern = String::from("^");
    let mut fields: Vec<(char, String)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if (c == '[' || c == ']') && chars.get(i + 1) == Some(&c) {
            pattern.push_str(&regex::escape(&c.to_string()));
            i += 2;
            continue;
        }
        if c != '[' {
            pattern.push_str(&regex::escape(&c.to_string()));
            i += 1;
            continue;
        }
        let end = chars[i..].iter().position(|&x| x == ']').map(|e| i + e).ok_or_else(|| err("D3135", None))?;
        let marker: String = chars[i + 1..end].iter().filter(|c| !c.is_whitespace()).collect();
        let mut it = marker.chars();
        let kind = it.next().unwrap_or(' ');
        let pres: String = it.collect::<String>().split(',').next().unwrap_or_default().to_string();
        let next_is_marker = chars.get(end + 1) == Some(&'[');
        let digits = pres.chars().filter(char::is_ascii_digit).count();
        let group = match kind {
            'M' | 'F' if pres.starts_with('N') || pres.starts_with('n') => "([A-Za-z]+)".to_string(),
            'P' => "([AaPp][Mm])".to_string(),
            'Z' | 'z' => "(Z|(?:GMT)?[+-]\\d{1,2}:?\\d{0,2})".to_string(),
            _ if pres.ends_with('o') => "(\\d+)(?:st|nd|rd|th)".to_string(),
            _ if next_is_marker && digits > 0 => format!("(\\d{{{digits}}})"),
            'Y' | 'M' | 'D' | 'd' | 'H' | 'h' | 'm' | 's' | 'f' => "(\\d+)".to_string(),
            _ => return Err(err("D3132", Some(kind.to_string()))),
        };
        pattern.push_str(&group);
        fields.push((kind, pres));
        i = end + 1;
    }
    pattern.push('$');
    let re = regex::Regex::new(&pattern).map_err(|_| err("D3136", None))?;
    let Some(caps) = re.captures(text) else { return Ok(None) };
    let (mut year, mut month, mut day, mut hour, mut minute, mut second, mut millis) = (None, None, None, 0, 0, 0, 0);
    let mut day_of_year = None;
    let (mut pm, mut twelve, mut offset) = (None, false, 0i64);
    for (index, (kind, pres)) in fields.iter().enumerate() {
        let raw = caps.get(index + 1).map_or("", |m| m.as_str());
        let number = || raw.parse::<i64>().ok();
        match kind {
            'Y' => year = number(),
            'M' if pres.starts_with('N') || pres.starts_with('n') => {
                let lower = raw.to_lowercase();
                month = MONTHS
                    .iter()
                    .position(|m| m.to_lowercase().starts_with(&lower) && lower.len() >= 3)
                    .map(|p| p as i64 + 1);
            }
            'M' => month = number(),
            'D' => day = number(),
            'd' => day_of_year = number(),
            'H' => hour = number().unwrap_or(0),
            'h' => {
                hour = number().unwrap_or(0);
                twelve = true;
            }
            'P' => pm = Some(raw.eq_ignore_ascii_case("pm")),
            'm' => minute = number().unwrap_or(0),
            's' => second = number().unwrap_or(0),
            'f' => millis = format!("{raw:0<3}").get(..3).and_then(|f| f.parse().ok()).unwrap_or(0),
            'Z' | 'z' => {
                let zone = raw.trim_start_matches("GMT").replace(':', "");
                if zone != "Z" {
                    let sign = if zone.starts_with('-') { -1 } else { 1 };
                    let digits = &zone[1..];
                    let (h, m) = if digits.len() <= 2 { (digits, "0") } else { digits.split_at(digits.len() - 2) };
                    offset = sign * (h.parse::<i64>().unwrap_or(0) * 60 + m.parse::<i64>().unwrap_or(0));
                }
            }
            _ => {}
        }
    }
    if twelve && pm == Some(true) && hour < 12 {
        hour += 12;
    } else if twelve && pm == Some(false) && hour == 12 {
        hour = 0;
    }
    let today = parts(now_ms, 0);
    let days = match (year, month, day, day_of_year) {
        // A time of day alone is today's (as jsonata-js fills the date from `$now()`).
        (None, None, None, None) => days_from_civil(today.year, today.month, today.day),
        (Some(y), None, None, Some(d)) => days_from_civil(y, 1, 1) + d - 1,
        (Some(y), m, d, None) if !(d.is_some() && m.is_none()) => {
            let (m, d) = (m.unwrap_or(1), d.unwrap_or(1));
            if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
                return Ok(None);
            }
            days_from_civil(y, m, d)
        }
        _ => return Err(err("D3136", None)),
    };
    Ok(Some(((days * 24 + hour) * 60 + minute - offset) * 60_000 + second * 1000 + millis))
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

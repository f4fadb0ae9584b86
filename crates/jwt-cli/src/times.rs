//! Durations on the command line (`15m`, `1h30m`) and times for people ("expires in
//! 14 min", "2023-11-14 22:13:20 UTC"), without a date library.

/// Parse `90`, `90s`, `15m`, `2h`, `1d`, `1w`, or a sequence such as `1h30m`, into seconds.
pub fn parse_duration(s: &str) -> Result<u64, String> {
    let bad = || format!("`{s}` is not a duration (examples: 90s, 15m, 2h, 1d, 1h30m)");
    if s.is_empty() {
        return Err(bad());
    }
    if let Ok(n) = s.parse::<u64>() {
        return Ok(n);
    }
    let mut total: u64 = 0;
    let mut digits = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return Err(bad()),
        };
        let n: u64 = digits.parse().map_err(|_| bad())?;
        digits.clear();
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| format!("`{s}` is too long a duration"))?;
    }
    if !digits.is_empty() {
        return Err(bad());
    }
    Ok(total)
}

/// A span of seconds in the largest unit that fits, rounded down: `45 s`, `14 min`,
/// `3 h`, `12 days`.
pub fn span(seconds: u64) -> String {
    match seconds {
        0..60 => format!("{seconds} s"),
        60..3600 => format!("{} min", seconds / 60),
        3600..172_800 => format!("{} h", seconds / 3600),
        _ => format!("{} days", seconds / 86_400),
    }
}

/// How a registered time claim stands relative to `now`, in words.
pub fn relative(claim: &str, at: i64, now: i64) -> String {
    let future = at > now;
    let d = span(at.abs_diff(now));
    match (claim, future) {
        ("exp", true) => format!("expires in {d}"),
        ("exp", false) => format!("expired {d} ago"),
        ("nbf", true) => format!("not valid for another {d}"),
        ("nbf", false) => format!("valid since {d} ago"),
        ("iat", true) => format!("issued {d} in the future"),
        ("iat", false) => format!("issued {d} ago"),
        (_, true) => format!("in {d}"),
        (_, false) => format!("{d} ago"),
    }
}

/// `2023-11-14 22:13:20 UTC` for seconds since the epoch.
pub fn utc(ts: i64) -> String {
    let days = ts.div_euclid(86_400);
    let secs = ts.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90"), Ok(90));
        assert_eq!(parse_duration("15m"), Ok(900));
        assert_eq!(parse_duration("1h30m"), Ok(5400));
        assert_eq!(parse_duration("2d"), Ok(172_800));
        assert!(parse_duration("").is_err());
        assert!(parse_duration("15").is_ok());
        assert!(parse_duration("15x").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("5m3").is_err());
        assert!(parse_duration("-5m").is_err());
        assert!(parse_duration("99999999999999999999w").is_err());
    }

    #[test]
    fn words() {
        assert_eq!(
            relative("exp", 1000 + 14 * 60 + 59, 1000),
            "expires in 14 min"
        );
        assert_eq!(
            relative("exp", 1000, 1000 + 3 * 3600 + 5),
            "expired 3 h ago"
        );
        assert_eq!(
            relative("iat", 940, 1000),
            "issued 60 s ago".replace("60 s", "1 min")
        );
        assert_eq!(
            relative("nbf", 1000 + 86_400 * 3, 1000),
            "not valid for another 3 days"
        );
    }

    #[test]
    fn dates() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(1_700_000_000), "2023-11-14 22:13:20 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc(-1), "1969-12-31 23:59:59 UTC");
    }
}

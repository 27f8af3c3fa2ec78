//! Dates and date-times as the query language writes them: ISO-8601,
//! read in UTC.
//!
//! Octane's docs accept `2015-02-25T16:42:11Z` and
//! `2015-02-25T16:42:11+02:00` and say the time is UTC; its JavaScript SDK
//! writes `toISOString()`, with milliseconds. So a date-time is an
//! [`Instant`] (the offset applied, fractional seconds kept to the
//! nanosecond), and a date is a [`Day`]. A date-time without a zone is
//! read as UTC.
//!
//! The grammar is small and fixed (four-digit years, real calendar
//! dates, `Z` or `±hh:mm`), so it is read here by hand in one pass rather
//! than through a date library: the reader is a few dozen lines, allocates
//! nothing, and keeps the WebAssembly build small.
//!
//! ```
//! use octane_query::temporal::{Temporal, parse};
//!
//! let a = parse("2015-02-25T16:42:11+02:00").unwrap();
//! let b = parse("2015-02-25T14:42:11.000Z").unwrap();
//! assert_eq!(a, b);
//! assert!(matches!(parse("2015-02-25"), Some(Temporal::Date(_))));
//! assert_eq!(parse("2015-02-29"), None);
//! ```

use std::cmp::Ordering;

const NANOS_PER_SECOND: u32 = 1_000_000_000;
const SECONDS_PER_DAY: i64 = 86_400;

/// A calendar day: days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i64);

impl Day {
    /// The day of a calendar date (proleptic Gregorian; the month and day
    /// are not checked).
    pub fn from_civil(year: i64, month: i64, day: i64) -> Day {
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (month + 9) % 12;
        let doy = (153 * mp + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Day(era * 146_097 + doe - 719_468)
    }

    /// The calendar date `(year, month, day)` of this day.
    pub fn to_civil(self) -> (i64, i64, i64) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        (y, m, d)
    }

    /// Midnight UTC at the start of this day.
    pub fn start(self) -> Instant {
        Instant {
            seconds: self.0 * SECONDS_PER_DAY,
            nanos: 0,
        }
    }
}

/// A moment in time: seconds and nanoseconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant {
    /// Whole seconds since the epoch (negative before 1970).
    pub seconds: i64,
    /// Nanoseconds within the second, below 1,000,000,000.
    pub nanos: u32,
}

impl Instant {
    /// The UTC day this instant falls on.
    pub fn day(self) -> Day {
        Day(self.seconds.div_euclid(SECONDS_PER_DAY))
    }
}

/// A date or a date-time literal, read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Temporal {
    /// `2015-02-25`: a whole UTC day.
    Date(Day),
    /// `2015-02-25T16:42:11Z`: one instant.
    DateTime(Instant),
}

impl Temporal {
    /// Where `self` (a stored value) falls relative to `other` (a literal
    /// in a query).
    ///
    /// Two date-times compare as instants and two dates as days. A
    /// date-time against a date compares with the whole UTC day: `Equal`
    /// anywhere within it, `Less` before its midnight, `Greater` from the
    /// next midnight on. So `GT ^2026-07-15^` means "after 15 July" and
    /// `BTW ^2026-07-01^...^2026-07-31^` includes all of 31 July. A date
    /// against a date-time compares with the date-time's UTC day.
    pub fn cmp_to(self, other: Temporal) -> Ordering {
        match (self, other) {
            (Temporal::DateTime(a), Temporal::DateTime(b)) => a.cmp(&b),
            (Temporal::Date(a), Temporal::Date(b)) => a.cmp(&b),
            (Temporal::Date(a), Temporal::DateTime(b)) => a.cmp(&b.day()),
            (Temporal::DateTime(a), Temporal::Date(b)) => {
                if a < b.start() {
                    Ordering::Less
                } else if a < Day(b.0 + 1).start() {
                    Ordering::Equal
                } else {
                    Ordering::Greater
                }
            }
        }
    }

    /// The first instant this value covers (for sorting).
    pub fn start(self) -> Instant {
        match self {
            Temporal::Date(day) => day.start(),
            Temporal::DateTime(instant) => instant,
        }
    }
}

/// Reads `YYYY-MM-DD` or `YYYY-MM-DDThh:mm[:ss[.fff…]][Z|±hh:mm]`, with
/// real calendar dates (leap years included), hours below 24, minutes
/// below 60, seconds below 61 (a leap second reads as the last instant of
/// its minute) and offsets within ±23:59. Anything else is `None`.
pub fn parse(text: &str) -> Option<Temporal> {
    let b = text.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(b, 0, 4)?;
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let date = Day::from_civil(year, month, day);
    if b.len() == 10 {
        return Some(Temporal::Date(date));
    }
    // `Thh:mm`
    if b.len() < 16 || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    if hour > 23 || minute > 59 {
        return None;
    }
    let mut i = 16;
    let mut second = 0;
    let mut nanos = 0u32;
    if b.get(i) == Some(&b':') {
        second = digits(b, i + 1, 2)?;
        if second > 60 {
            return None;
        }
        i += 3;
        if b.get(i) == Some(&b'.') {
            let start = i + 1;
            i = start;
            let mut scale = NANOS_PER_SECOND;
            while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
                // Digits past the nanosecond are read and dropped.
                scale /= 10;
                nanos += u32::from(c - b'0') * scale;
                i += 1;
            }
            if i == start {
                return None;
            }
        }
    }
    let offset = match &b[i..] {
        [] | [b'Z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let h = digits(b, i + 1, 2)?;
            let m = digits(b, i + 4, 2)?;
            if h > 23 || m > 59 {
                return None;
            }
            let minutes = h * 60 + m;
            if *sign == b'-' { -minutes } else { minutes }
        }
        _ => return None,
    };
    if second == 60 {
        // A leap second: the last instant of its minute.
        second = 59;
        nanos = NANOS_PER_SECOND - 1;
    }
    let seconds = date.0 * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offset * 60;
    Some(Temporal::DateTime(Instant { seconds, nanos }))
}

/// The number written by the `len` ASCII digits at `start`.
fn digits(b: &[u8], start: usize, len: usize) -> Option<i64> {
    let slice = b.get(start..start + len)?;
    slice.iter().try_fold(0i64, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
    })
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instant(text: &str) -> Instant {
        match parse(text) {
            Some(Temporal::DateTime(i)) => i,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn calendar_round_trip() {
        for day in [-719_468, -1, 0, 1, 11_016, 20_412, 2_932_896] {
            let (y, m, d) = Day(day).to_civil();
            assert_eq!(Day::from_civil(y, m, d), Day(day), "{y}-{m}-{d}");
        }
        assert_eq!(Day::from_civil(1970, 1, 1), Day(0));
        assert_eq!(Day(20_412).to_civil(), (2025, 11, 20));
    }

    #[test]
    fn offsets_and_fractions_are_instants() {
        assert_eq!(
            instant("2015-02-25T16:42:11+02:00"),
            instant("2015-02-25T14:42:11Z")
        );
        assert_eq!(
            instant("2015-02-25T00:30:00-01:00"),
            instant("2015-02-25T01:30:00Z")
        );
        assert_eq!(
            instant("2020-01-02T03:04:05.000Z"),
            instant("2020-01-02T03:04:05Z")
        );
        assert!(instant("2026-07-15T08:30:00.500Z") > instant("2026-07-15T08:30:00Z"));
        assert_eq!(instant("2024-02-03T04:05:06.789Z").nanos, 789_000_000);
        assert_eq!(
            instant("2024-02-03T04:05:06.1234567891Z").nanos,
            123_456_789
        );
        // No zone reads as UTC; no seconds reads as :00.
        assert_eq!(instant("2015-02-25T16:42"), instant("2015-02-25T16:42:00Z"));
        assert_eq!(instant("1970-01-01T00:00:00Z").seconds, 0);
        assert_eq!(instant("1969-12-31T23:59:59Z").seconds, -1);
        assert!(instant("2016-12-31T23:59:60Z") < instant("2017-01-01T00:00:00Z"));
    }

    #[test]
    fn malformed_text_is_not_temporal() {
        for text in [
            "",
            "R1",
            "2015-02-29",
            "2015-13-01",
            "2015-00-10",
            "2015-04-31",
            "2015-02-25T24:00:00Z",
            "2015-02-25T16:60Z",
            "2015-02-25T16:42:61Z",
            "2015-02-25T16:42:11+25:00",
            "2015-02-25T16:42:11+02",
            "2015-02-25T16:42:11.Z",
            "2015-02-25 16:42",
            "2015-02-25T16",
            "2015-02-25Z",
            "２０１５-02-25",
            "2015-02-25T16:42:11Zjunk",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
        assert!(matches!(parse("2016-02-29"), Some(Temporal::Date(_))));
    }

    #[test]
    fn a_date_is_a_whole_day_to_a_date_time() {
        let day = parse("2026-07-31").unwrap();
        let cmp = |text: &str| parse(text).unwrap().cmp_to(day);
        assert_eq!(cmp("2026-07-30T23:59:59.999Z"), Ordering::Less);
        assert_eq!(cmp("2026-07-31T00:00:00Z"), Ordering::Equal);
        assert_eq!(cmp("2026-07-31T10:00:00Z"), Ordering::Equal);
        assert_eq!(cmp("2026-08-01T01:00:00+02:00"), Ordering::Equal);
        assert_eq!(cmp("2026-08-01T00:00:00Z"), Ordering::Greater);
        // A date against a date-time compares with its UTC day.
        let at = parse("2026-07-31T23:30:00-01:00").unwrap();
        assert_eq!(parse("2026-08-01").unwrap().cmp_to(at), Ordering::Equal);
        assert_eq!(parse("2026-07-31").unwrap().cmp_to(at), Ordering::Less);
    }
}
